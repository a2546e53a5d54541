"""Quotes (Angebote) of a deal: sent at the proposal stage, sometimes revised in negotiation,
accepted or rejected when the deal closes, still open while it runs."""
from __future__ import annotations

import random
from decimal import Decimal


def customer_id_at(c, customer_from, moment):
    """A prospect's deal and quotes name the customer only from the moment the account exists."""
    return c.customer_id if c is not None and customer_from is not None and moment >= customer_from else None


class Quotes:
    def __init__(self, rng: random.Random, out):
        self.rng, self.out = rng, out
        self.seq = 0

    def for_deal(self, deal_id, c, customer_from, amount, currency, stages) -> None:
        moments = dict(stages)
        if "proposal" not in moments:
            return
        outcome, closed = stages[-1]
        drafts = [(moments["proposal"], amount)]
        if "negotiation" in moments and self.rng.random() < 0.3:
            drafts = [(moments["proposal"], (amount * Decimal("1.08")).quantize(Decimal("0.01"))), (moments["negotiation"], amount)]
        for i, (sent, value) in enumerate(drafts):
            self.seq += 1
            quote_id = f"Q{self.seq:06d}"
            if i < len(drafts) - 1:
                decided, status = drafts[i + 1][0], "rejected"
            elif outcome in ("won", "lost"):
                decided, status = closed, "accepted" if outcome == "won" else "rejected"
            else:
                decided, status = None, None
            versions = [(sent, (quote_id, deal_id, customer_id_at(c, customer_from, sent), value, currency, "sent", sent,
                                None, sent))]
            if status:
                versions.append((decided, (quote_id, deal_id, customer_id_at(c, customer_from, decided), value, currency,
                                           status, sent, decided, decided)))
            self.out.write_versions("quotes", versions)
