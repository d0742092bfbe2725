"""What a query asks for, read without running it: its form, its FROM graphs, and whether it must be refused.

Oxigraph would execute a SERVICE call (an outbound request from our host) and crashes on queries nested
thousands of levels deep, so both are refused here, before any parser sees them. The scan is lexical:
comments, strings and IRIs are skipped, so a keyword inside them counts for nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

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
      | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]*)
      | (?P<word>[^\s{}()\[\]<>"'\#,;=!&|+*/^?$]+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
"""A variable ends where SPARQL ends it (no '.' or '-'), so `?o.SERVICE` is `?o`, `.`, `SERVICE`."""


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
    scan = _Scan(max_depth)
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "open":
            scan.nest(1)
        elif kind == "close":
            scan.nest(-1)
        elif kind == "iri":
            scan.nest_inside(value)  # `?a<((?b))&&?c>?d` lexes as an IRI: its brackets count all the same
            scan.iri(value[1:-1])
        elif kind == "word":
            scan.word(value)
    if not scan.shape.form:
        raise Refused(400, "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return scan.shape


class _Scan:
    """The little state the scan keeps: depth, prefixes and base, and what the last keyword announced."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.depth = 0
        self.shape = Shape(form="")
        self.prefixes: dict[str, str] = {}
        self.base = ""
        self.expect = ""  # "prefix-name", "prefix-iri", "base", "from" or "from-named"
        self.prefix_name = ""

    def nest(self, step: int) -> None:
        self.depth += step
        if self.depth > self.max_depth:
            raise Refused(400, f"the query is nested more than {self.max_depth} levels deep; this endpoint refuses it")

    def nest_inside(self, value: str) -> None:
        for char in value:
            if char in "([":
                self.nest(1)
            elif char in ")]":
                self.nest(-1)

    def iri(self, iri: str) -> None:
        if self.expect == "prefix-iri":
            self.prefixes[self.prefix_name] = urljoin(self.base, iri)
        elif self.expect == "base":
            self.base = urljoin(self.base, iri)
        elif self.expect.startswith("from"):
            self._from(urljoin(self.base, iri))
        self.expect = ""

    def word(self, value: str) -> None:
        if ":" in value:  # a prefixed name (its local part may hold dots: ex:a.b is one name)
            if self.expect == "prefix-name":
                self.prefix_name, self.expect = value.removesuffix(":"), "prefix-iri"
                return
            if self.expect.startswith("from"):
                prefix, _, local = value.partition(":")
                self._from(self.prefixes.get(prefix, f"{prefix}:") + local)
            self.expect = ""
            return
        for part in value.upper().split("."):  # `}.SERVICE`, `1.SERVICE`: keywords after a dot count
            self._keyword(part)

    def _keyword(self, word: str) -> None:
        if word in UPDATE_WORDS:
            raise Refused(403, f"this endpoint is read-only: {word} (SPARQL Update) is not allowed")
        if word == "SERVICE":
            raise Refused(403, "federated queries (SERVICE) are not allowed on this endpoint")
        if word in QUERY_FORMS and not self.shape.form:
            self.shape.form = word
        if word == "NAMED" and self.expect == "from":
            self.expect = "from-named"
            return
        self.expect = {"PREFIX": "prefix-name", "BASE": "base", "FROM": "from"}.get(word, "")
        if word == "FROM":
            self.shape.has_from = True

    def _from(self, iri: str) -> None:
        (self.shape.from_named if self.expect == "from-named" else self.shape.from_graphs).append(iri)
