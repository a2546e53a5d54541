"""Post exports of Meta Business Suite (Facebook, Instagram) and LinkedIn page analytics.

Each file describes posts and their metrics at once, so it feeds social_posts and
social_post_metrics: the generator places a copy in both folders, as users are told to.
Both write one row per post with its totals over the exported period (Meta: `Date` is
`Lifetime`, publish time `MM/DD/YYYY HH:MM` local; LinkedIn: the post link is the only id).
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from .vendor_export import VendorFile

META = ["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Permalink", "Post type",
        "Date", "Impressions", "Reach"]
FACEBOOK_METRICS = ["Reactions", "Comments", "Shares", "Total clicks", "Link clicks", "Other Clicks"]
INSTAGRAM_METRICS = ["Likes", "Comments", "Shares", "Saves", "Follows"]
LINKEDIN = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Campaign start date",
            "Campaign end date", "Audience", "Impressions", "Views (excluding off-site video views)", "Off-site views", "Clicks",
            "Click through rate (CTR)", "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type"]
PAGE_ID = "104958372611234"
START = date(2025, 3, 3)


def us_date(day: date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def _meta(rng: random.Random, instagram: bool) -> VendorFile:
    kinds = ["IG image", "IG carousel", "IG reel"] if instagram else ["Photos", "Links", "Videos", "Text"]
    rows = []
    for i in range(8):
        post_id = f"1790000000000{i:04d}" if instagram else f"{PAGE_ID}_12200000000{i:04d}"
        publish = f"{us_date(START + timedelta(days=2 * i))} {rng.randint(8, 20):02d}:{rng.choice(['00', '15', '30', '45'])}"
        shown = rng.randint(800, 6000)
        common = [post_id, PAGE_ID, "Beispiel GmbH", "", f"Beitrag {i + 1}", "", publish,
                  f"https://www.{'instagram' if instagram else 'facebook'}.com/p/{post_id}", kinds[i % len(kinds)],
                  "Lifetime", str(shown), str(int(shown * 0.8))]
        likes, comments, shares = shown // 40, shown // 300, shown // 500
        if instagram:
            rows.append(common + [str(likes), str(comments), str(shares), str(shown // 200), str(shown // 900)])
        else:
            rows.append(common + [str(likes), str(comments), str(shares), str(shown // 60 + 7), str(shown // 60), "7"])
    name = "meta-instagram-posts-2025-03.csv" if instagram else "meta-facebook-posts-2025-03.csv"
    return VendorFile(("meta_posts", "meta_post_metrics"), name, META + (INSTAGRAM_METRICS if instagram else FACEBOOK_METRICS), rows)


def _linkedin(rng: random.Random) -> VendorFile:
    kinds = ["Text", "Image", "Article", "Video", "Document"]
    rows = []
    for i in range(8):
        shown = rng.randint(500, 4000)
        clicks, likes = shown // 50, shown // 80
        rows.append([f"Neuigkeiten aus dem Team {i + 1}", f"https://www.linkedin.com/feed/update/urn:li:activity:73012345678{i:08d}",
                     "Organic", "", "Sabine Krüger", us_date(START + timedelta(days=3 * i)), "", "", "All followers", str(shown),
                     "", "", str(clicks), f"{clicks / shown:.4f}", str(likes), str(shown // 400), str(shown // 700), str(i % 3),
                     f"{(clicks + likes) / shown:.4f}", kinds[i % len(kinds)]])
    return VendorFile(("linkedin_posts", "linkedin_post_metrics"), "linkedin-content-export-2025-03.csv", LINKEDIN, rows)


def exports(rng: random.Random) -> list[VendorFile]:
    return [_meta(rng, instagram=False), _meta(rng, instagram=True), _linkedin(rng)]
