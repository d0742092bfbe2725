"""What a query asks for, read without running it: its form, its FROM graphs, and whether it must be refused.

Oxigraph would execute a SERVICE call (an outbound request from our host) and crashes on queries nested
thousands of levels deep, so both are refused here, before any parser sees them. The scan is lexical:
comments, strings and IRIs are skipped, so a keyword inside them counts for nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_DEPTH = 64
"""Brackets ({ ( [) open at once; real queries stay far below (the deepest named query has 6)."""

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<word>[?$]?[^\s{}()\[\]<>"'\#,;=!&|+*/^]+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


class Refused(Exception):
    """A query this endpoint will not run; `status` is the HTTP answer (400 or 403)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Shape:
    form: str
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    has_from: bool = False


def inspect(text: str, *, max_depth: int = MAX_DEPTH) -> Shape:
    """The query's form and FROM graphs; raises Refused for an update, SERVICE, or too deep a nesting."""
    depth = 0
    form = ""
    prefixes: dict[str, str] = {}
    shape = Shape(form="")
    expect: str | None = None  # what the previous keyword announced: PREFIX name, PREFIX iri, FROM graph
    prefix_name = ""
    named = False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            continue
        if kind == "open":
            depth += 1
            if depth > max_depth:
                raise Refused(400, f"the query is nested more than {max_depth} levels deep; this endpoint refuses it")
        elif kind == "close":
            depth -= 1
        word = value.upper() if kind == "word" and ":" not in value and value[0] not in "?$" else ""
        if word in UPDATE_WORDS:
            raise Refused(403, f"this endpoint is read-only: {word} (SPARQL Update) is not allowed")
        if word == "SERVICE":
            raise Refused(403, "federated queries (SERVICE) are not allowed on this endpoint")
        if word in QUERY_FORMS and not form:
            form = word
        if expect == "prefix-name" and kind == "word":
            prefix_name, expect = value.removesuffix(":"), "prefix-iri"
            continue
        if expect == "prefix-iri" and kind == "iri":
            prefixes[prefix_name] = value[1:-1]
        if expect == "from" and word == "NAMED":
            named = True
            continue
        if expect == "from" and kind in ("iri", "word"):
            iri = value[1:-1] if kind == "iri" else _expand(value, prefixes)
            (shape.from_named if named else shape.from_graphs).append(iri)
        expect = {"PREFIX": "prefix-name", "FROM": "from"}.get(word)
        if word == "FROM":
            shape.has_from, named = True, False
    if not form:
        raise Refused(400, "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    shape.form = form
    return shape


def _expand(name: str, prefixes: dict[str, str]) -> str:
    prefix, _, local = name.partition(":")
    return prefixes.get(prefix, f"{prefix}:") + local
