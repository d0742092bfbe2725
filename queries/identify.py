"""What people type for an actor or a project -> the one entity it names in the visible graph.

Shared by the collaboration paths (queries/paths.py) and the recommendations (queries/recommend.py), so that
both accept the same spellings and say the same thing when a text names nothing or several things. The
identifier patterns themselves (IRI schemes, organisation keys, slugs) are defined once, in
queries/registry.py, which binds typed parameters with them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from graph.errors import InvalidParameter
from graph.sources import Sources
from ontology.identifiers import parse_enterprise_number
from ontology.iris import Minter
from queries import registry

__all__ = ["AmbiguousEntity", "UnknownEntity", "entity_labels", "local_name", "resolve_actor"]

BATCH = 500
"""IRIs per labels query."""

_LABELS = "entity-labels"
_RESOLVE = "resolve-actor"
_HINT = "give an IRI, an enterprise number (0436.195.241), a lab code, a project id or a CORDIS PIC"


class UnknownEntity(InvalidParameter):
    """The text names nothing in the visible graph."""


class AmbiguousEntity(InvalidParameter):
    """The text names several entities: the message lists them."""


def resolve_actor(sources: Sources, text: str, *, restricted: bool = True) -> ox.NamedNode:
    """The node `text` names: a full IRI the visible graph holds, an enterprise number (0436.195.241,
    BE0436195241, ...), the key of an organisation or project IRI (be-0436195241, inst-ulb,
    wagralim-wag-01), a lab code, a project id or a CORDIS PIC. UnknownEntity when nothing matches,
    AmbiguousEntity when several entities do (the candidates are listed), InvalidParameter for an empty text
    or a malformed IRI. Every lookup is a named query with bound parameters."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidParameter("an actor is required: an IRI, an enterprise number, a lab code, a project id "
                               "or a PIC")
    if raw.startswith(registry.IRI_SCHEMES):
        try:
            iri = ox.NamedNode(raw)
        except ValueError as exc:
            raise InvalidParameter(f"'{raw}' is not a valid IRI") from exc
        if not entity_labels(sources, [iri.value], restricted=restricted):
            raise UnknownEntity(f"<{raw}> is not in the visible graph")
        return iri

    minter = Minter(sources.base)
    candidates: dict[str, str] = {}  # IRI it would be -> how it would match
    number_error = ""
    try:
        candidates[minter.company(parse_enterprise_number(raw)).value] = "enterprise number"
    except ValueError as exc:
        if sum(ch.isdigit() for ch in raw) >= 9:  # meant as an enterprise number: say why it is none
            number_error = f" ({exc})"
    if registry.ORG_KEY.match(raw):
        candidates.setdefault(f"{sources.base}id/org/{raw}", "organisation key")
    with contextlib.suppress(ValueError):  # a lab known only from participant lists has no eco:labCode,
        candidates.setdefault(minter.lab(raw).value, "lab code")  # but its IRI is its code's slug
    if registry.SLUG.match(raw.lower()):
        candidates.setdefault(f"{sources.base}id/project/{raw.lower()}", "project key")

    found: dict[str, tuple[str, str | None]] = {}  # IRI -> (how it matched, label)
    for known, row in entity_labels(sources, list(candidates), restricted=restricted).items():
        found[known] = (candidates[known], row["label"])
    for row in registry.rows_of(sources, _RESOLVE, {"text": raw}, restricted=restricted):
        found.setdefault(row["entity"], (row["how"], row["label"]))

    if not found:
        raise UnknownEntity(f"nothing in the visible graph is named '{raw}'{number_error}: {_HINT}")
    if len(found) > 1:
        listed = "; ".join(f"<{iri}> ({how}{', ' + label if label else ''})"
                           for iri, (how, label) in sorted(found.items()))
        raise AmbiguousEntity(f"'{raw}' names several entities: {listed}. Give one of these IRIs")
    return ox.NamedNode(next(iter(found)))


def entity_labels(sources: Sources, iris: Sequence[str], *, restricted: bool = True) -> dict[str, dict[str, Any]]:
    """IRI -> its row of the named query ``entity-labels`` (label, acronym), for the IRIs the visible graph
    holds (others are left out)."""
    rows = registry.rows_in_batches(sources, _LABELS, "node", sorted(set(iris)), BATCH, restricted=restricted)
    return {row["node"]: row for row in rows}


def local_name(iri: str) -> str:
    """The last segment of an IRI (be-0436195241, wagralim-wag-01): what to call an entity without a label."""
    return iri.rstrip("/").rsplit("/", 1)[-1]
