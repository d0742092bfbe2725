"""Text folding shared by every place that compares what people type: headers, labels, identifiers."""

from __future__ import annotations

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Accents and ligatures away, case kept: 'Cœur Âme' -> 'Coeur Ame'."""
    if text.isascii():  # most labels and headers: nothing to do, and this runs per cell
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str) -> str:
    """'Université de Liège' -> 'universite-de-liege'; raises ValueError when nothing is left."""
    slug = _NON_SLUG.sub("-", fold(text).lower()).strip("-")
    if not slug:
        raise ValueError(f"'{text}' gives an empty identifier (it needs at least one letter or digit)")
    return slug
