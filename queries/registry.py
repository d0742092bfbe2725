"""Named queries: one .rq file each, a `#+` YAML header, parameters bound as typed RDF terms.

The header (STYLE.md 1) is parsed into a `QuerySpec` at start-up; a malformed one is an error then, not
when a user first calls the query. Parameters are never pasted into query text: each becomes an RDF term
made by pyoxigraph and written into a VALUES block (pyoxigraph's `substitutions=` binds only projected
variables, one value each). Where the block goes:

- at every line `# @params ?a ?b` of the query (only those variables: a block in a sub-select must not
  multiply rows it does not filter), or, when the query has no such line,
- right after the first `WHERE {`, with every parameter.

An optional parameter left out is bound to UNDEF, which constrains nothing; a multi-valued one gets
its own block with one row per value.

Lines between `# @if ?a ?b` and `# @end` are kept only when one of those parameters has a value. A filter
written as `OPTIONAL { ... FILTER(?x = ?region) } FILTER(!BOUND(?region) || BOUND(?x))` still computes its
OPTIONAL for every row when ?region is left out (seconds at demo x100); inside such a block it costs nothing
then. Which lines are kept depends only on whether a parameter is given, never on its value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.errors import EcokgError, InvalidParameter, QueryNotFound
from graph.sources import Sources
from ontology.identifiers import parse_enterprise_number
from ontology.iris import Minter
from ontology.vocab import NUTS, SECTOR, TECH, T, prefixes
from queries.kept import kept

QUERIES_DIR = Path(__file__).parent
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_MARKER = re.compile(r"^[ \t]*#[ \t]*@params\b(?P<vars>[^\n]*)$", re.MULTILINE)
_IF = re.compile(r"^[ \t]*#[ \t]*@if\b(?P<vars>[^\n]*)\n(?P<lines>.*?)^[ \t]*#[ \t]*@end[ \t]*\n",
                 re.MULTILINE | re.DOTALL)
_IF_OR_END = re.compile(r"^[ \t]*#[ \t]*@(?:if|end)\b", re.MULTILINE)

# What people type for an entity (the one definition: queries.identify and the binding below use these)
IRI_SCHEMES = ("http://", "https://", "urn:")
"""A text starting with one of these is taken for a full IRI."""
NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""The key of an entity IRI (BASE/id/{kind}/{key}): a lab code's or a project's slug, a pole id."""
ORG_KEY = re.compile(r"^[a-z]{2,4}-[a-z0-9][a-z0-9-]*$")
"""The key of an organisation IRI (BASE/id/org/{key}): be-0436195241, fr-acme, inst-ulb."""


class MalformedQuery(EcokgError):
    """A .rq file whose header or body the registry cannot use: raised at start-up."""


class BadParameter(InvalidParameter):
    """An InvalidParameter about one named parameter, which `parameter` names (the API returns it with a 422)."""

    def __init__(self, message: str, *, parameter: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class Param(BaseModel):
    """One parameter of a named query, as its header declares it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["iri", "string", "int", "decimal", "date", "enum"]
    kind: Literal["org", "lab", "pole", "cluster", "project", "technology", "sector", "nuts", "any"] = "any"
    required: bool = False
    default: Any = None
    allowed: list[str] | None = None
    multi: bool = False
    description: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> Param:
        if self.type == "enum" and not self.allowed:
            raise ValueError(f"enum parameter '{self.name}' needs its allowed values")
        if self.required and self.default is not None:
            raise ValueError(f"parameter '{self.name}' cannot be both required and defaulted")
        return self


class QuerySpec(BaseModel):
    """A named query: its header, and its body (SPARQL without the header)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    summary: str
    description: str = ""
    tags: list[str] = []
    params: list[Param] = []
    pagination: int | None = Field(default=None, gt=0, description="page size; None: not paginated")
    body: str = ""
    path: str = ""

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise BadParameter(f"query '{self.name}' has no parameter '{name}' "
                           f"(it has: {', '.join(p.name for p in self.params) or 'none'})", parameter=name)


class Result(BaseModel):
    """Rows of a named query: column names, and each row as RDF terms rendered to plain JSON values."""

    columns: list[str]
    rows: list[dict[str, Any]]
    offset: int = 0
    limit: int | None = None
    has_more: bool = False


def parse(path: Path) -> QuerySpec:
    """A .rq file -> its spec; MalformedQuery names the file and what is wrong."""
    text = path.read_text(encoding="utf-8")
    header = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip() + "\n"
    try:
        meta = yaml.safe_load("\n".join(h[1:] if h.startswith(" ") else h for h in header)) or {}
        if not isinstance(meta, dict):
            raise MalformedQuery(f"{path}: the #+ header is not a YAML mapping")
        spec = QuerySpec(name=path.stem, body=body, path=str(path), **meta)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise MalformedQuery(f"{path}: malformed #+ header: {exc}") from exc
    _check_body(spec)
    return spec


def _check_body(spec: QuerySpec) -> None:
    if not _WHERE.search(spec.body):
        raise MalformedQuery(f"{spec.path}: no WHERE {{ to bind parameters in")
    for p in spec.params:
        if not re.search(rf"\?{p.name}\b", spec.body):
            raise MalformedQuery(f"{spec.path}: parameter '{p.name}' is not used as ?{p.name} in the query")
    marked: set[str] = set()
    for m in _MARKER.finditer(spec.body):
        for var in m["vars"].split():
            if var.lstrip("?") not in {p.name for p in spec.params}:
                raise MalformedQuery(f"{spec.path}: '# @params' names {var}, which is no parameter")
            marked.add(var.lstrip("?"))
    if marked and (unbound := [p.name for p in spec.params if p.name not in marked]):
        raise MalformedQuery(f"{spec.path}: parameter(s) {', '.join(unbound)} on no '# @params' line: "
                             "they would never be bound")
    blocks = list(_IF.finditer(spec.body))
    if 2 * len(blocks) != len(_IF_OR_END.findall(spec.body)) or any(_IF_OR_END.search(b["lines"]) for b in blocks):
        raise MalformedQuery(f"{spec.path}: every '# @if' needs its own '# @end', and blocks do not nest")
    for b in blocks:
        if not _if_names(b) or not _if_names(b) <= {p.name for p in spec.params}:
            raise MalformedQuery(f"{spec.path}: '# @if{b['vars']}' must name parameters of the query")
    unset = {p.name: [None] for p in spec.params}
    try:  # the syntax, with every parameter bound as it will be, and with every `# @if` block kept
        for kept_blocks in (set(), set(unset)):
            ox.Store().query(_with_values(spec, unset, kept_blocks), prefixes=prefixes())
    except SyntaxError as exc:
        raise MalformedQuery(f"{spec.path}: {exc}") from exc


def _if_names(block: re.Match[str]) -> set[str]:
    return {v.lstrip("?") for v in block["vars"].split()}


@lru_cache(maxsize=4)
def load_registry(directory: Path = QUERIES_DIR) -> dict[str, QuerySpec]:
    """Every .rq under `directory`, by name (the file name without .rq); names are unique."""
    specs: dict[str, QuerySpec] = {}
    for path in sorted(directory.rglob("*.rq")):
        spec = parse(path)
        if spec.name in specs:
            raise MalformedQuery(f"{path}: the name '{spec.name}' is taken by {specs[spec.name].path}")
        specs[spec.name] = spec
    return specs


def get(name: str, directory: Path = QUERIES_DIR) -> QuerySpec:
    registry = load_registry(directory)
    if name not in registry:
        raise QueryNotFound(f"no named query '{name}' (known: {', '.join(sorted(registry))})")
    return registry[name]


# -- binding ---------------------------------------------------------------------------------------
Term = ox.NamedNode | ox.Literal


def to_term(param: Param, raw: object, minter: Minter) -> Term:
    """A user's value -> the RDF term it stands for; InvalidParameter says why not."""
    text = str(raw).strip()
    try:
        match param.type:
            case "iri":
                return _iri(param, text, minter)
            case "string":
                return ox.Literal(text)
            case "int":
                return ox.Literal(str(int(text)), datatype=T.xsd.integer)
            case "decimal":
                return ox.Literal(f"{Decimal(text).normalize():f}", datatype=T.xsd.decimal)
            case "date":
                return ox.Literal(dt.date.fromisoformat(text).isoformat(), datatype=T.xsd.date)
            case "enum":
                if text not in (param.allowed or []):
                    raise ValueError(f"must be one of {', '.join(param.allowed or [])}")
                return ox.Literal(text)
    except (ValueError, InvalidOperation) as exc:
        raise BadParameter(f"parameter '{param.name}' ({param.type}): {raw!r}: {exc}", parameter=param.name) from exc
    raise BadParameter(f"parameter '{param.name}': unknown type {param.type}", parameter=param.name)


def _iri(param: Param, text: str, minter: Minter) -> ox.NamedNode:
    """A full IRI, or the identifier people use for that kind of entity."""
    if text.startswith(IRI_SCHEMES):
        return ox.NamedNode(text)  # pyoxigraph refuses what is no IRI (spaces, <, >, ...)
    if param.kind == "org":
        if ORG_KEY.match(text):  # the key of an organisation IRI: be-0436195241, fr-acme, inst-ulb
            return ox.NamedNode(f"{minter.base}id/org/{text}")
        return minter.company(parse_enterprise_number(text))
    if param.kind == "nuts":
        if not NUTS_CODE.match(text.upper()):
            raise ValueError("not a NUTS code (e.g. BE3, BE32, BE332)")
        return ox.NamedNode(f"{NUTS}{text.upper()}")
    if param.kind == "technology":
        return ox.NamedNode(f"{TECH}{_slug(text.removeprefix('tech:'))}")
    if param.kind == "sector":
        return ox.NamedNode(f"{SECTOR}{_slug(text.removeprefix('sector:'))}")
    if param.kind in ("pole", "cluster", "lab", "project"):
        return ox.NamedNode(f"{minter.base}id/{param.kind}/{_slug(text.lower())}")
    raise ValueError("expected a full IRI")


def _slug(text: str) -> str:
    if not SLUG.match(text):
        raise ValueError("expected an identifier of lower-case letters, digits and '-'")
    return text


def bind(spec: QuerySpec, values: Mapping[str, object], minter: Minter) -> str:
    """The query text with its VALUES blocks: every parameter checked, typed and made a term."""
    for name in values:
        spec.param(name)  # unknown parameter names are an error, not ignored
    terms: dict[str, list[Term | None]] = {}
    for p in spec.params:
        raw = values.get(p.name, p.default)
        items = [] if raw is None or raw == "" else list(raw) if isinstance(raw, list | tuple) else [raw]
        if not items and p.required:
            raise BadParameter(f"parameter '{p.name}' is required", parameter=p.name)
        if len(items) > 1 and not p.multi:
            raise BadParameter(f"parameter '{p.name}' takes one value, not {len(items)}", parameter=p.name)
        terms[p.name] = [to_term(p, item, minter) for item in items] or [None]
    return _with_values(spec, terms, {name for name, given in terms.items() if given != [None]})


def _with_values(spec: QuerySpec, terms: Mapping[str, Sequence[Term | None]], given: set[str]) -> str:
    """The body with the `# @if` blocks of the `given` parameters, and the parameters' VALUES blocks."""
    def block(names: Sequence[str]) -> str:
        single = [n for n in names if len(terms[n]) == 1]
        multi = [n for n in names if len(terms[n]) > 1]
        parts = []
        if single:
            row = " ".join(_render(terms[n][0]) for n in single)
            parts.append(f"VALUES ({' '.join('?' + n for n in single)}) {{ ({row}) }}")
        parts += [f"VALUES ?{n} {{ {' '.join(_render(t) for t in terms[n])} }}" for n in multi]
        return " ".join(parts)

    body = _IF.sub(lambda m: m["lines"] if _if_names(m) & given else "", spec.body)
    if not terms:
        return body
    if _MARKER.search(body):
        return _MARKER.sub(lambda m: block([v.lstrip("?") for v in m["vars"].split()]), body)
    where = _WHERE.search(body)
    assert where is not None  # checked at parse time
    return f"{body[:where.end()]}\n  {block(list(terms))}\n{body[where.end():]}"


def _render(term: Term | None) -> str:
    """N-Triples form, as pyoxigraph writes it; UNDEF for an unbound optional parameter."""
    return "UNDEF" if term is None else str(term)


# -- running ---------------------------------------------------------------------------------------
def run(
    sources: Sources,
    spec: QuerySpec,
    values: Mapping[str, object] | None = None,
    *,
    restricted: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> Result:
    """Run a named query on the visible graph (public sources only unless `restricted`): one page of rows,
    `limit` (default: the query's page size; all rows when it has none) from `offset`."""
    page = limit if limit is not None else spec.pagination
    if offset < 0 or (page is not None and page <= 0):
        raise InvalidParameter("offset must be >= 0 and limit > 0")
    text = bind(spec, values or {}, Minter(sources.base))

    def compute() -> _Page:
        columns, solutions = _run(sources, spec, text, restricted)
        out = [_plain_row(columns, s) for s in islice(solutions, offset, None if page is None else offset + page + 1)]
        more = page is not None and len(out) > page
        return _Page(columns, out[:page] if page is not None else out, more)

    found = kept.answer(sources, restricted, ("page", text, offset, page), compute)
    return Result(columns=found.columns, rows=[dict(r) for r in found.rows], offset=offset, limit=page,
                  has_more=found.more)


def rows_of(
    sources: Sources,
    spec_or_name: QuerySpec | str,
    values: Mapping[str, object] | None = None,
    *,
    restricted: bool = True,
    graphs: Sequence[ox.NamedNode] | None = None,
    keep: bool = False,
) -> list[dict[str, Any]]:
    """Every row of a named query (a spec, or its name), whatever its page size: for code that needs the
    whole answer. Parameters are bound as `run` binds them; values are `plain`. `graphs`: run on these graphs
    instead of what the caller may see (a query of the load log on `sources.meta` alone, say). `keep`: keep
    the answer until the data changes (queries.kept), for questions asked again and again (a report's)."""
    spec = get(spec_or_name) if isinstance(spec_or_name, str) else spec_or_name
    text = bind(spec, values or {}, Minter(sources.base))

    def compute() -> list[dict[str, Any]]:
        columns, solutions = _run(sources, spec, text, restricted, graphs)
        return [_plain_row(columns, s) for s in solutions]

    if not keep or graphs is not None:
        return compute()
    return [dict(row) for row in kept.answer(sources, restricted, ("rows", text), compute)]


def rows_in_batches(
    sources: Sources,
    spec_or_name: QuerySpec | str,
    param: str,
    items: Sequence[object],
    size: int,
    *,
    restricted: bool = True,
    others: Mapping[str, object] | None = None,
) -> list[dict[str, Any]]:
    """`rows_of` for many values of the multi-valued parameter `param`: one query per `size` values (a VALUES
    block of thousands of IRIs is slow to parse, and a remote store may refuse it); the rows of every batch,
    in batch order. No query at all for no items. `others`: the other parameters, the same for every batch."""
    return [row for i in range(0, len(items), size)
            for row in rows_of(sources, spec_or_name, {**(others or {}), param: list(items[i:i + size])},
                               restricted=restricted)]


@dataclass(frozen=True)
class _Page:
    """One page as kept: rows shared by every caller, who each get copies."""

    columns: list[str]
    rows: list[dict[str, Any]]
    more: bool

    def __len__(self) -> int:
        return len(self.rows)


def _run(sources: Sources, spec: QuerySpec, text: str, restricted: bool,
         graphs: Sequence[ox.NamedNode] | None = None) -> tuple[list[str], ox.QuerySolutions]:
    solutions = (sources.query(text, restricted=restricted, prefixes=prefixes()) if graphs is None
                 else sources.store.query(text, dataset=list(graphs), prefixes=prefixes()))
    if not isinstance(solutions, ox.QuerySolutions):
        raise MalformedQuery(f"{spec.path}: a named query must be a SELECT")
    return [v.value for v in solutions.variables], solutions


def _plain_row(columns: Sequence[str], solution: ox.QuerySolution) -> dict[str, Any]:
    """`columns` in the solutions' order: by position, since a lookup by name costs pyoxigraph about 2 µs a
    value, most of what a row took (a row of three: 8.5 -> 2.5 µs)."""
    return {c: plain(solution[i]) for i, c in enumerate(columns)}


_XSD = "http://www.w3.org/2001/XMLSchema#"
_JSON_OF: dict[str, Callable[[str], Any]] = {
    **{_XSD + t: int for t in ("integer", "int", "long", "nonNegativeInteger")},
    **{_XSD + t: float for t in ("decimal", "double", "float")},
    _XSD + "boolean": lambda value: value in ("true", "1"),  # both are the lexical forms of true
}


def plain(term: object) -> Any:
    """An RDF term as a JSON value: IRIs as strings, numbers as numbers, dates as ISO strings."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        convert = _JSON_OF.get(term.datatype.value)
        return term.value if convert is None else convert(term.value)
    return str(term)


def rows(result: Result) -> Iterator[list[Any]]:
    """The result as lists, in column order (for tables and CSV)."""
    for row in result.rows:
        yield [row[c] for c in result.columns]
