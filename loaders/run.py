"""The thin code between a loader and the store: read, convert, check, then one atomic replace.

Every kind of file goes the same way: its tables are read (structural problems stop here), converted
row by row while streaming into an invisible new version of the source, and committed only if no row
had a problem (``graph.sources``). `dry_run` does all of it but the write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import EcokgError, LoadError, Problem
from graph.sources import SYSTEM_SOURCES, LoadInput, LoadResult, Sources, Triple
from loaders import adoption, cordis, curation, events, kbo, labs, linking, members, poles, taxonomy
from loaders.common import Builder, ReviewItem, Streamed
from loaders.tabular import Table, TableSchema, header_only, read_tables
from loaders.vocabulary import Vocabulary
from ontology.iris import Minter, slugify

LOADER_VERSION = "ecokg-loaders/1"

KINDS: dict[str, tuple[TableSchema, ...]] = {
    "members": (members.SCHEMA,),
    "poles": poles.SCHEMAS,
    "labs": (labs.SCHEMA_,),
    "curation": (curation.SCHEMA,),
    "cordis": cordis.SCHEMAS,
    "events": events.SCHEMAS,
    "adoption": (adoption.SCHEMA,),
    "kbo": (),  # a directory: loaders.kbo reads its files
    "taxonomy": (),  # Turtle or CSV: loaders.taxonomy reads them
}
RESTRICTED_BY_DEFAULT = {"poles", "events", "adoption"}  # pole project lists are often confidential (PRODUCT.md,
# Access); so are who came to which event and which firm still lacks which tool
TABULAR = [kind for kind, schemas in KINDS.items() if schemas]  # CSV/XLSX files: what an upload may send
STREAMED = {"cordis"}  # exports too big to hold: rows read from disk as they are converted


@dataclass
class LoadReport:
    """What a load did, or would do with --dry-run."""

    kind: str
    source: str
    files: list[str]
    rows: int
    review: list[ReviewItem]
    ignored_columns: list[str] = field(default_factory=list)
    result: LoadResult | None = None  # None for a dry run


def load(
    sources: Sources,
    kind: str,
    paths: Sequence[Path],
    *,
    source: str | None = None,
    pole: str | None = None,
    access: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    agent: str | None = None,
    country: str | None = None,
    region: str | None = None,
    enterprises: Path | None = None,
    updates: Sequence[Path] = (),
    status: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load files of one kind as one source. Raises LoadError (nothing written) on any problem.

    `progress(n)` hears how many triples are converted so far, every 10,000. `agent` names who loads (the
    provenance's prov:Agent; by default the local user@host). `country` / `region` load the part of a
    CORDIS export about one country or NUTS region (cordis.Filters), or the KBO/BCE enterprises located in a
    region; `enterprises` (a list file) and `updates` (monthly update directories) are the KBO's too (kbo.read),
    and `status` hears what a long read is doing (a KBO file and its rows)."""
    vocab = Vocabulary.from_store(sources, curation=kind != "curation")
    c = convert(kind, paths, vocab, Minter(sources.base), pole, country=country, region=region,
                enterprises=enterprises, updates=updates, status=status)
    name = source or c.source or _default_source(kind, c.tables, pole, vocab)
    if name in (*SYSTEM_SOURCES, linking.DECISIONS):
        raise EcokgError(f"'{name}' is a source ecokg writes itself; give your source another name (--source)")
    b = c.builder
    report = LoadReport(kind, name, [str(p) for p in paths], 0, b.review,
                        [f"{t.file}: {col}" for t in c.tables for col in t.ignored])

    def describe() -> LoadInput:
        problems = [*(p for t in c.tables for p in t.problems), *b.problems]
        if strict:
            problems += [item.problem for item in b.review]
        if problems:
            raise LoadError(problems)
        report.rows = b.rows
        return LoadInput(
            files=[(Path(p).name, _sha256(p)) for p in c.files or paths],
            rows=b.rows,
            loader_version=LOADER_VERSION,
            access=access or ("restricted" if kind in RESTRICTED_BY_DEFAULT else "public"),
            unknown_labels=sorted({item.label for item in b.review if item.scheme is not None}),
            **({"agent": agent} if agent else {}),
        )

    # organisations that entity resolution merged are written under their canonical IRI (loaders.linking)
    triples = linking.Canonical.of(sources).apply(c.triples)
    triples = _reporting(triples, progress) if progress else triples
    report.result = sources.replace(name, triples, describe, dry_run=dry_run)
    return report


def _reporting(triples: Iterator[Triple], progress: Callable[[int], None]) -> Iterator[Triple]:
    for n, triple in enumerate(triples, 1):
        if n % 10_000 == 0:
            progress(n)
        yield triple


@dataclass
class Conversion:
    """A kind's files being converted: the triples stream out, the builder notes the problems."""

    tables: list[Table]
    builder: Builder
    triples: Iterator[Triple]
    files: Sequence[Path] = ()  # the files read, when the kind finds them itself (a KBO directory)
    source: str | None = None  # the source, when the kind names it from the content (a taxonomy)


def convert(
    kind: str, paths: Sequence[Path], vocab: Vocabulary, minter: Minter, pole: str | None = None, *,
    country: str | None = None, region: str | None = None, enterprises: Path | None = None,
    updates: Sequence[Path] = (), status: Callable[[str], None] | None = None,
) -> Conversion:
    """Read and start converting files of one kind; pure: no store is touched."""
    if kind not in KINDS:
        raise EcokgError(f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
    if (country and kind != "cordis") or (region and kind not in ("cordis", "kbo")):
        raise EcokgError("--country applies to cordis loads only, --region to cordis and kbo loads")
    if (enterprises or updates) and kind != "kbo":
        raise EcokgError("--enterprises and --update apply to kbo loads only")
    if kind in ("kbo", "taxonomy"):
        b = Builder(minter, vocab)
        own: Streamed = (kbo.read(paths, b, region=region, enterprises=enterprises, updates=updates, status=status)
                         if kind == "kbo" else taxonomy.read(paths, b))
        return Conversion([], b, own.triples, own.files, own.source)
    tables = _read(paths, KINDS[kind], stream=kind in STREAMED)
    b = Builder(minter, vocab)
    if kind == "cordis":
        return Conversion(tables, b, cordis.convert(tables, b, cordis.Filters.of(country, region)))
    return Conversion(tables, b, _converter(kind, pole)(tables, b))


def _read(paths: Sequence[Path], schemas: tuple[TableSchema, ...], *, stream: bool = False) -> list[Table]:
    """All tables of all files; every file's structural problems reported together."""
    tables: list[Table] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            tables += read_tables(Path(path), schemas, stream=stream)
        except LoadError as exc:
            problems += exc.problems
    problems = problems or header_only(tables)  # headers alone would empty the source
    if problems:
        raise LoadError(problems)
    return tables


def _converter(kind: str, pole: str | None) -> Callable[[Sequence[Table], Builder], Iterator[Triple]]:
    if kind == "poles":
        return lambda tables, b: poles.convert(tables, b, pole)
    return {"members": members.convert, "labs": labs.convert, "curation": curation.convert, "events": events.convert,
            "adoption": adoption.convert}[kind]


def _default_source(kind: str, tables: Sequence[Table], pole: str | None, vocab: Vocabulary) -> str:
    """`members`, `labs`, `curation`; `pole-<id>` for one pole's files; `poles` for a registry alone; for
    CORDIS, `cordis-<programme>` when the files are of one programme (cordis.source_name)."""
    if kind == "cordis":
        return cordis.source_name(tables)
    if kind != "poles":
        return kind
    ids, unknown = set(), []
    for label in sorted(poles.pole_labels(tables, pole)):
        found = vocab.poles.find(label)
        if found is None:
            unknown.append(label)  # reported row by row by the conversion
        else:
            ids.add(found.value.rsplit("/", 1)[-1])
    if len(ids) > 1:
        raise EcokgError(f"these files hold several poles ({', '.join(sorted(ids))}): name the source "
                         "with --source")
    if not ids and unknown:
        return f"pole-{slugify(unknown[0])}"
    if not ids:
        if all(t.schema is poles.REGISTRY for t in tables):
            return "poles"
        raise EcokgError("which pole? give --pole, or fill the files' pole column")
    return f"pole-{ids.pop()}"


def _sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
