"""The events inside one web session: page views, element impressions and clicks, purchase.

A session is planned as offsets from its start, so a purchase session can be anchored on the
order's timestamp: its `purchase` event happens exactly when the order was placed.
"""
from __future__ import annotations

import random

from .rand import lognormal

PRODUCT_PAGES = ("/produkte", "/produkte/geraete", "/produkte/zubehoer", "/produkte/verbrauchsmaterial",
                 "/produkte/software", "/service", "/schulungen", "/angebote")
CONTENT_PAGES = ("/blog/kaffee-richtig-lagern", "/blog/entkalken-leicht-gemacht", "/blog/latte-art-fuer-einsteiger",
                 "/kontakt", "/ueber-uns", "/konto")
# Elements shown on a page: (element, chance it is shown, click-through rate).
ELEMENTS = {
    "home": (("cta_hero", 0.8, 0.07), ("banner_top", 0.5, 0.025), ("newsletter_signup", 0.25, 0.02), ("link_footer", 0.1, 0.015)),
    "product": (("cta_add_to_cart", 0.6, 0.1), ("banner_top", 0.2, 0.025), ("link_footer", 0.1, 0.015)),
    "blog": (("newsletter_signup", 0.4, 0.03), ("link_footer", 0.15, 0.015)),
    "campaign": (("banner_top", 0.9, 0.12), ("cta_hero", 0.6, 0.09)),
    "other": (("link_footer", 0.1, 0.015),),
}
BOUNCE_RATE = 0.4


def _kind(page: str) -> str:
    if page == "/":
        return "home"
    if page.startswith(("/produkte", "/service", "/schulungen", "/angebote")):
        return "product"
    if page.startswith("/blog"):
        return "blog"
    if page.startswith("/aktion"):
        return "campaign"
    return "other"


def plan(rng: random.Random, landing: str, purchase: bool) -> list[tuple[int, str, str, str | None]]:
    """Events as `(offset_seconds, event_name, page, element)`; a purchase, if any, comes last."""
    if purchase:
        pages = [landing] + [rng.choice(PRODUCT_PAGES) for _ in range(rng.randint(1, 4))] + ["/warenkorb", "/checkout"]
    elif rng.random() < BOUNCE_RATE:
        pages = [landing]
    else:
        pages = [landing] + [rng.choice(PRODUCT_PAGES if rng.random() < 0.7 else CONTENT_PAGES)
                             for _ in range(min(rng.randint(1, 7), rng.randint(1, 7)))]
    events, offset = [], 0
    for page in pages:
        events.append((offset, "page_view", page, None))
        for element, shown, ctr in ELEMENTS[_kind(page)]:
            if rng.random() < shown:
                seen = offset + rng.randint(1, 3)
                events.append((seen, "element_impression", page, element))
                if rng.random() < ctr:
                    events.append((seen + rng.randint(2, 20), "element_click", page, element))
        offset += int(min(600, lognormal(rng, 40, 0.8))) + 5
    events.sort(key=lambda e: e[0])
    if purchase:
        events = [e for e in events if e[0] < offset] + [(offset, "purchase", "/checkout/bestaetigung", None)]
    return events
