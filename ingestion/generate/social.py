"""Social media: posts per channel, their daily metrics for two weeks, followers per day.

Reach decays day by day after publishing; posts during a social campaign carry its UTM and id
and get paid reach. Recent link posts are offered to the web module, whose social sessions carry
their UTM campaign, so engagement can be tied to sessions and revenue.
"""
from __future__ import annotations

import random
from collections import deque
from datetime import date, timedelta

from .clock import at
from .rand import Weighted, lognormal, poisson

POSTS_PER_WEEK = {"facebook": 3, "instagram": 4, "linkedin": 2, "x": 5, "youtube": 0.5}
POST_TYPES = {
    "facebook": Weighted({"image": 40, "link": 30, "video": 15, "text": 10, "carousel": 5}),
    "instagram": Weighted({"image": 50, "video": 25, "carousel": 25}),
    "linkedin": Weighted({"text": 30, "link": 35, "image": 20, "carousel": 15}),
    "x": Weighted({"text": 50, "link": 35, "image": 15}),
    "youtube": Weighted({"video": 100}),
}
REACH = {"image": 0.4, "video": 0.6, "carousel": 0.5, "link": 0.25, "text": 0.2}
START_FOLLOWERS = {"facebook": 12000, "instagram": 8000, "linkedin": 5000, "x": 3000, "youtube": 1500}
DAILY_GROWTH = {"facebook": 0.0002, "instagram": 0.0012, "linkedin": 0.0015, "x": -0.0002, "youtube": 0.001}
METRIC_DAYS = 14


class Social:
    """Writes posts, their metrics and follower counts; remembers recent link posts."""

    def __init__(self, rng: random.Random, out, campaigns, scale: float):
        self.rng, self.out, self.scale = rng, out, scale
        self.social_campaigns = [c for c in campaigns if c.channel == "social"]
        self.followers = {ch: START_FOLLOWERS[ch] * max(scale, 0.1) for ch in START_FOLLOWERS}
        self.recent: deque = deque()
        self.seq = 0

    def day(self, day: date) -> None:
        rng = self.rng
        campaign = next((c for c in self.social_campaigns if c.start <= day <= c.end), None)
        for channel, per_week in POSTS_PER_WEEK.items():
            for _ in range(poisson(rng, per_week / 7 * min(1.0, max(0.25, self.scale ** 0.5)))):
                self._post(day, channel, campaign)
            change = DAILY_GROWTH[channel] + rng.gauss(0, 0.0008) + (0.003 if campaign else 0.0)
            if rng.random() < 1 / 120:
                change -= rng.uniform(0.01, 0.03)
            self.followers[channel] = max(0.0, self.followers[channel] * (1 + change))
            self.out.write("social_followers", day, (channel, day, int(self.followers[channel])))
        while self.recent and self.recent[0][0] < day - timedelta(days=METRIC_DAYS):
            self.recent.popleft()

    def _post(self, day: date, channel: str, campaign) -> None:
        """One post and its decaying daily metrics for the next two weeks."""
        rng = self.rng
        self.seq += 1
        post_id = f"SP{self.seq:06d}"
        kind = POST_TYPES[channel].pick(rng)
        paid = campaign is not None and rng.random() < 0.6
        utm = campaign.utm if paid else (f"{channel}-{post_id.lower()}" if kind != "text" or rng.random() < 0.3 else None)
        published = at(day, rng.randint(7 * 3600, 21 * 3600))
        self.out.write("social_posts", day, (post_id, channel, kind, published, utm, campaign.campaign_id if paid else None))
        if utm:
            self.recent.append((day, channel, utm))
        impressions = self.followers[channel] * REACH[kind] * lognormal(rng, 1.0, 0.5) * (2.5 if paid else 1.0)
        decay = rng.uniform(0.45, 0.65)
        for k in range(METRIC_DAYS):
            shown = int(impressions * decay ** k)
            if shown < 1:
                break
            reach = int(shown * rng.uniform(0.6, 0.85))
            likes = int(reach * rng.uniform(0.02, 0.06))
            comments = int(reach * rng.uniform(0.002, 0.008))
            shares = int(reach * rng.uniform(0.001, 0.01))
            clicks = int(reach * rng.uniform(0.005, 0.02)) if utm else 0
            self.out.write("social_post_metrics", day + timedelta(days=k),
                           (post_id, day + timedelta(days=k), shown, reach, likes, comments, shares, clicks))

    def pick_recent(self, rng: random.Random):
        """(channel, utm) of a link post of the last two weeks, or None."""
        if not self.recent:
            return None
        _, channel, utm = self.recent[int(rng.random() * len(self.recent))]
        return channel, utm
