"""HTTP content negotiation: the best of what we can produce for an Accept header (RFC 9110, 12.5.1)."""

from __future__ import annotations


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (ties: our order), or None when it accepts none of them.
    No Accept header, or an empty one, accepts anything: the first offer."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q))
    best_q, chosen = 0.0, None
    for offer in offers:
        matching = [(spec, q) for media, q in ranges if (spec := _matches(media, offer)) is not None]
        if matching:
            q = max(matching)[1]  # the most specific range decides, e.g. "text/*, text/csv;q=0"
            if q > best_q:
                best_q, chosen = q, offer
    return chosen


def _matches(media: str, offer: str) -> int | None:
    """How precisely `media` names `offer`: 2 exactly, 1 by type/*, 0 by */*; None when it does not."""
    if media == offer:
        return 2
    kind = offer.split("/")[0]
    if media == f"{kind}/*":
        return 1
    if media == "*/*":
        return 0
    return None
