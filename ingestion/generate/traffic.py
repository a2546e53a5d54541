"""Where a web visit comes from: source, medium, UTM campaign and landing page.

A typical mix of search, direct, social, referral and newsletter traffic; social visits carry a
recent post's UTM campaign and newsletter visits the UTM of a recent mailing, so both can be
attributed. Broad-reach campaigns bring tagged visits to their landing page.
"""
from __future__ import annotations

import random

from .clickstream import CONTENT_PAGES, PRODUCT_PAGES
from .rand import Weighted

SOURCES = Weighted({"organic": 33, "cpc": 15, "direct": 22, "bing": 3, "social": 10, "referral": 8, "newsletter": 5})
REFERRERS = ("idealo.de", "kaffee-netz.de", "branchenbuch.de", "gastro-portal.de")
CAMPAIGN_TRAFFIC = {"banner": ("google", "display"), "social": ("instagram", "paid_social"), "print": ("print", "qr"),
                    "tv": ("(direct)", "(none)")}


def campaign_visit(campaign) -> tuple[str, str, str | None, str]:
    """A visit brought by a running banner, social, print or TV campaign (TV leaves no UTM)."""
    source, medium = CAMPAIGN_TRAFFIC[campaign.channel]
    if campaign.channel == "tv":
        return source, medium, None, "/"
    return source, medium, campaign.utm, f"/aktion/{campaign.utm}"


def usual_visit(rng: random.Random, social, mailed: list) -> tuple[str, str, str | None, str]:
    """(source, medium, campaign, landing page) drawn from the everyday traffic mix."""
    kind = SOURCES.pick(rng)
    if kind == "social":
        recent = social.pick_recent(rng)
        if recent:
            channel, utm = recent
            return channel, "social", utm, rng.choice(("/angebote", "/blog/latte-art-fuer-einsteiger", "/produkte"))
        kind = "direct"
    if kind == "newsletter":
        if mailed:
            c = rng.choice(mailed)
            return "newsletter", "email", c.utm, f"/aktion/{c.utm}"
        kind = "direct"
    if kind == "organic":
        return "google", "organic", None, rng.choice(("/",) + PRODUCT_PAGES + CONTENT_PAGES[:3])
    if kind == "bing":
        return "bing", "organic", None, rng.choice(("/",) + PRODUCT_PAGES)
    if kind == "cpc":
        return "google", "cpc", None, rng.choice(PRODUCT_PAGES)
    if kind == "referral":
        return rng.choice(REFERRERS), "referral", None, rng.choice(PRODUCT_PAGES)
    return "(direct)", "(none)", None, "/" if rng.random() < 0.7 else "/konto"
