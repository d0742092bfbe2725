"""The `ecokg` command: load, check, inspect, dump and serve the knowledge graph."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.formats import FORMATS, render
from graph.config import get_settings
from graph.errors import EcokgError, LoadError
from graph.sources import Sources
from graph.startup import open_sources
from loaders import linking
from loaders.run import KINDS, LoadReport, load
from queries.registry import Result, get, load_registry, run
from queries.stats import statistics

app = typer.Typer(help="ecokg: the knowledge graph of an innovation ecosystem.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)  # progress bars only: messages go through typer.echo, unwrapped


@contextmanager
def _sources() -> Iterator[Sources]:
    """The configured store, opened for this command; every ecokg error becomes a message and exit 1."""
    settings = get_settings()
    try:
        sources = open_sources(settings.store, settings.base_iri, timeout_s=settings.query_timeout_s)
    except EcokgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        yield sources
    except LoadError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"refused: {len(exc.problems)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1) from exc
    except EcokgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        sources.store.close()


def _print_report(report: LoadReport) -> None:
    for item in report.review:
        typer.echo(f"review: {item}", err=True)
    for column in report.ignored_columns:
        typer.echo(f"ignored column: {column}", err=True)
    if report.result is None:
        typer.echo(f"dry run: {report.kind} -> source '{report.source}': {report.rows} rows would load; "
                  f"{len(report.review)} label(s) to review. Nothing written.")
        return
    v, r = report.result.version, report.result
    typer.echo(
        f"loaded {report.kind} -> source '{report.source}' v{v.number} ({v.access}): {v.rows} rows, "
        f"{v.quads} quads, visible after {r.seconds_to_visible:.2f} s; "
        f"+{v.added} -{v.removed} ~{v.changed} entities; "
        f"{len(report.review)} label(s) to review."
    )


@app.command("load")
def load_command(
    kind: Annotated[str, typer.Argument(help=f"one of: {', '.join(KINDS)}")],
    files: Annotated[list[Path], typer.Argument(exists=True, help="CSV or XLSX files (kbo: the extract's "
                                                "directory; taxonomy: Turtle or CSV)")],
    source: Annotated[Optional[str], typer.Option(help="source name (default from the kind and pole)")] = None,  # noqa: UP045
    pole: Annotated[Optional[str], typer.Option(help="the pole of pole files without a pole column")] = None,  # noqa: UP045
    access: Annotated[Optional[str], typer.Option(help="public or restricted")] = None,  # noqa: UP045
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check only; write nothing")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="unknown technology labels are errors")] = False,
    country: Annotated[Optional[str], typer.Option(help="cordis only: load the projects in which an organisation "  # noqa: UP045
                                                   "of this country (e.g. BE) takes part")] = None,
    region: Annotated[Optional[str], typer.Option(help="cordis: the same for a NUTS region or prefix (BE3 = "  # noqa: UP045
                                                  "Wallonia; from the postcode when a row has no NUTS code); kbo: "
                                                  "the enterprises with their seat or a unit there (default BE3; "
                                                  "'all': every one)")] = None,
    enterprises: Annotated[Optional[Path], typer.Option(exists=True, dir_okay=False, help="kbo: (also) the "  # noqa: UP045
                                                        "enterprises of this list (one number a line, or a "
                                                        "CSV/XLSX with an enterprise-number column)")] = None,
    update: Annotated[Optional[list[Path]], typer.Option(exists=True, file_okay=False, help="kbo: a monthly "  # noqa: UP045
                                                         "update directory to apply (repeat, oldest first)")] = None,
    link: Annotated[bool, typer.Option("--link/--no-link", help="resolve entities across sources after the "
                                       "load (`ecokg link`)")] = True,
) -> None:
    """Load files of one kind as one source, atomically: all of it, or nothing and every problem listed."""
    if access not in (None, "public", "restricted"):
        typer.echo("error: --access must be public or restricted", err=True)
        raise typer.Exit(2)
    with _sources() as sources, Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"loading {kind}", total=None)
        report = load(sources, kind, files, source=source, pole=pole, access=access, dry_run=dry_run,
                      strict=strict, progress=lambda n: bar.update(task, description=f"{kind}: {n:,} triples"),
                      country=country, region=region, enterprises=enterprises, updates=update or (),
                      status=lambda text: bar.update(task, description=f"{kind}: {text}"))
        _print_report(report)
        if link and report.result is not None:
            _link(sources, bar)


def _link(sources: Sources, bar: Progress) -> linking.LinkReport:
    """Entity resolution, with a one-line account of what it did."""
    task = bar.add_task("linking", total=None)
    report = linking.link(sources, status=lambda text: bar.update(task, description=f"linking: {text}"))
    methods = Counter(lk.method for lk in report.links if lk.status == "applied")
    how = ", ".join(f"{n} by {m}" for m, n in sorted(methods.items()))
    typer.echo(f"linked: {report.count('applied')} alias IRI(s) to one of {report.records} organisations, "
              f"{report.new} new ({how or 'none'}); {report.count('review')} pair(s) to review (ecokg link "
              f"--review FILE); sources rewritten: {', '.join(report.rewritten) or 'none'}.")
    if report.to_reload:
        typer.echo(f"to separate the pairs an analyst rejected, reload: {', '.join(report.to_reload)}", err=True)
    return report


@app.command("link")
def link_command(
    review: Annotated[Optional[Path], typer.Option(dir_okay=False, help="write the doubtful pairs to this CSV "  # noqa: UP045
                                                   "for an analyst to mark accept or reject")] = None,
    decisions: Annotated[Optional[Path], typer.Option(exists=True, dir_okay=False, help="a review CSV marked by "  # noqa: UP045
                                                      "an analyst: its decisions hold from now on")] = None,
) -> None:
    """Resolve entities: one IRI per real organisation across every source (README, "Entity resolution")."""
    with _sources() as sources, Progress(console=err, transient=True) as bar:
        if decisions is not None:
            read = linking.record_decisions(sources, decisions)
            typer.echo(f"decisions: {read} recorded from {decisions.name}")
        report = _link(sources, bar)
    if review is not None:
        linking.write_review(report.review_rows, review)
        typer.echo(f"review: {len(report.review_rows)} pair(s) written to {review}")


@app.command()
def demo(
    scale: Annotated[int, typer.Option(min=1, help="replicate the regional ecosystem N times")] = 1,
    out_dir: Annotated[Path, typer.Option("--out", help="where to write the demo input files")] = Path("var/demo"),
    seed: Annotated[int, typer.Option(help="random seed (same seed, same files)")] = 2026,
    restricted: Annotated[bool, typer.Option(help="keep pole, events and adoption sources restricted, as real "
                                              "ones are; by default the invented demo is public, all of it")] = False,
) -> None:
    """Write the demo ecosystem's input files, then load them as a user would."""
    from loaders import demo as demo_module

    started = time.perf_counter()
    files = demo_module.generate(out_dir, scale=scale, seed=seed)
    generated = time.perf_counter() - started
    with _sources() as sources, Progress(console=err, transient=True) as progress:
        task = progress.add_task("loading the demo", total=len(files))
        visible = 0.0
        quads = 0
        for f in files:
            progress.update(task, description=f"loading {f.source}")
            report = load(sources, f.kind, list(f.paths), source=f.source, access=None if restricted else "public")
            assert report.result is not None
            visible += report.result.seconds_to_visible
            quads += report.result.version.quads
            progress.advance(task)
        _link(sources, progress)
    total = time.perf_counter() - started
    typer.echo(f"demo x{scale}: {len(files)} sources, {quads} quads; files written in {generated:.1f} s to "
              f"{out_dir}; loads visible after {visible:.1f} s in all ({quads / max(visible, 1e-9):,.0f} "
              f"quads/s); {total:.1f} s end to end.")


def _can_listen(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _params(pairs: list[str]) -> dict[str, list[str]]:
    """-p key=value pairs; a key given twice is a multi-valued parameter."""
    values: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            typer.echo(f"error: parameter '{pair}' is not key=value", err=True)
            raise typer.Exit(2)
        values.setdefault(key.strip(), []).append(value)
    return values


FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json")]


@app.command("queries")
def list_queries(fmt: FormatOption = "table") -> None:
    """The named queries and their parameters."""
    specs = sorted(load_registry().values(), key=lambda s: s.name)
    if fmt == "json":
        typer.echo(json.dumps([
            {"name": s.name, "summary": s.summary, "tags": s.tags,
             "params": [{"name": p.name, "type": p.type, "required": p.required, "multi": p.multi,
                         "default": p.default, "allowed": p.allowed, "description": p.description}
                        for p in s.params]}
            for s in specs], indent=2, ensure_ascii=False))
        return
    table = Table("name", "summary", "parameters")
    for s in specs:
        table.add_row(s.name, s.summary, ", ".join(f"{p.name}{'*' if p.required else ''}:{p.type}"
                                                   for p in s.params))
    out.print(table)


@app.command("query")
def run_query(
    name: Annotated[str, typer.Argument(help="a named query (see `ecokg queries`)")],
    param: Annotated[list[str], typer.Option("-p", "--param", help="key=value; repeat a key for several values")] = [],  # noqa: B006
    fmt: FormatOption = "table",
    offset: Annotated[int, typer.Option(min=0)] = 0,
    limit: Annotated[Optional[int], typer.Option(min=1, help="rows per page (default: the query's)")] = None,  # noqa: UP045
) -> None:
    """Run a named query with its parameters."""
    _check_format(fmt)
    with _sources() as sources:
        result = run(sources, get(name), _params(param), offset=offset, limit=limit)
    render(result, fmt, out)


@app.command()
def gaps(
    pole: Annotated[list[str], typer.Option(help="only this pole's demand (repeatable)")] = [],  # noqa: B006
    region: Annotated[Optional[str], typer.Option(help="a NUTS code: BE3, BE33, BE332")] = None,  # noqa: UP045
    year_from: Annotated[Optional[int], typer.Option(help="projects active from this year")] = None,  # noqa: UP045
    year_to: Annotated[Optional[int], typer.Option(help="projects active until this year")] = None,  # noqa: UP045
    fmt: FormatOption = "table",
    limit: Annotated[int, typer.Option(min=1)] = 20,
) -> None:
    """The technology gap: technologies in demand that few cluster members offer (PRODUCT.md)."""
    _check_format(fmt)
    values: dict[str, object] = {"pole": pole, "region": region, "year_from": year_from, "year_to": year_to}
    with _sources() as sources:
        result = run(sources, get("technology-gap"), {k: v for k, v in values.items() if v}, limit=limit)
    render(result, fmt, out)


@app.command()
def path(
    a: Annotated[str, typer.Argument(help="an actor: IRI, enterprise number, lab code, project id or PIC")],
    b: Annotated[str, typer.Argument(help="the other actor")],
    k: Annotated[int, typer.Option("--k", min=1, help="how many paths")] = 3,
    max_length: Annotated[int, typer.Option(min=1, help="hops at most")] = 6,
    weak: Annotated[bool, typer.Option("--weak", help="also follow weak ties: pole and cluster membership, "
                                       "attendance at the same event")] = False,
    relation: Annotated[list[str], typer.Option(help="follow only this relation (repeatable): participates_in, "
                                                "unit_of, member_of, labelled_by, attends")] = [],  # noqa: B006
    avoid: Annotated[list[str], typer.Option(help="a relation not to follow (repeatable)")] = [],  # noqa: B006
    since: Annotated[Optional[str], typer.Option(help="time window start, YYYY-MM-DD")] = None,  # noqa: UP045
    until: Annotated[Optional[str], typer.Option(help="time window end, YYYY-MM-DD")] = None,  # noqa: UP045
    fmt: FormatOption = "table",
) -> None:
    """The shortest collaboration paths between two actors, hop by hop with evidence and dates."""
    from queries import paths

    _check_format(fmt)
    window = [_day(x) for x in (since, until)]
    with _sources() as sources:
        found = paths.find_paths(sources, a, b, k=k, max_length=max_length, weak=weak, relations=relation or None,
                                 avoid=avoid, start=window[0], end=window[1])
    if fmt == "json":
        typer.echo(json.dumps(paths.paths_json(found), indent=2, ensure_ascii=False))
        return
    if not found:
        typer.echo(paths.no_path_message(a, b, max_length))
        return
    hops = [{"path": i, "hop": j, **hop.to_json()} for i, p in enumerate(found, 1) for j, hop in enumerate(p.hops, 1)]
    render(Result(columns=["path", "hop", "from", "relation", "to", "label", "start", "end", "via"], rows=hops),
           fmt, out)


@app.command()
def outreach(
    technology: Annotated[str, typer.Argument(help="the workshop's technology: a concept IRI, tech:slug or slug")],
    pole: Annotated[list[str], typer.Option(help="only the members of this pole (repeatable)")] = [],  # noqa: B006
    sector: Annotated[list[str], typer.Option(help="only the firms of this sector (repeatable)")] = [],  # noqa: B006
    limit: Annotated[int, typer.Option(min=1)] = 30,
    max_length: Annotated[int, typer.Option(min=1, help="hops at most to an introducer")] = 4,
    fmt: FormatOption = "table",
) -> None:
    """Whom to invite to a workshop on a technology: firms that need it or lack it and no event on it has
    reached, ranked, each with its reason and the cluster member who could introduce it (a collaboration path)."""
    from queries.outreach import outreach as outreach_list

    _check_format(fmt)
    with _sources() as sources:
        found = outreach_list(sources, technology, pole=pole, sector=sector, limit=limit, max_length=max_length)
    rows = [c.to_json() for c in found]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    columns = ["rank", "label", "reason", "events", "poles", "introduction"]
    render(Result(columns=columns, rows=rows), fmt, out)


@app.command()
def recommend(
    project: Annotated[Optional[str], typer.Option(help="a project (IRI or id)")] = None,  # noqa: UP045
    company: Annotated[Optional[str], typer.Option(help="a firm (IRI or enterprise number)")] = None,  # noqa: UP045
    technology: Annotated[Optional[str], typer.Option(help="with --company: the technology sought")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option(min=1)] = 10,
    fmt: FormatOption = "table",
) -> None:
    """Partners for a project, or for a firm looking for a technology, ranked with the reasons."""
    from queries import recommend as rec

    _check_format(fmt)
    if bool(project) == bool(company) or bool(company) != bool(technology):
        typer.echo("error: give --project P, or --company C with --technology T", err=True)
        raise typer.Exit(2)
    with _sources() as sources:
        found = (rec.recommend_for_project(sources, project, limit=limit) if project
                 else rec.recommend_for_company(sources, company or "", technology or "", limit=limit))
    rows = [{**c.to_json(), "reasons": "; ".join(c.reasons)} for c in found]
    columns = ["label", "kind", "score", "distance", "reasons", "iri"]
    render(Result(columns=columns, rows=[{c: r[c] for c in columns} for r in rows]) if fmt != "json"
           else Result(columns=list(rows[0]) if rows else [], rows=[c.to_json() for c in found]), fmt, out)


@app.command()
def network(
    what: Annotated[str, typer.Argument(help="centrality, communities or bridges")] = "centrality",
    top: Annotated[int, typer.Option(min=1)] = 20,
    fmt: FormatOption = "table",
) -> None:
    """Network analytics over the collaboration graph: central actors, communities, bridges between poles."""
    from queries import network as net

    _check_format(fmt)
    with _sources() as sources:
        if what == "centrality":
            rows = net.centrality(sources, top=top)
        elif what == "communities":
            rows = [{**c, "members": ", ".join(m["label"] or m["iri"] for m in c["members"])}
                    for c in net.communities(sources)]
        elif what == "bridges":
            rows = net.pole_bridges(sources, top=top)
        else:
            typer.echo("error: network centrality|communities|bridges", err=True)
            raise typer.Exit(2)
    columns = list(rows[0]) if rows else []
    render(Result(columns=columns, rows=rows), fmt, out)


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", help="report.html or report.pdf (PDF: headless Chromium)")],
    lang: Annotated[str, typer.Option(help="fr or en")] = "fr",
    pole: Annotated[Optional[str], typer.Option(help="one pole only: its key (wagralim) or IRI")] = None,  # noqa: UP045
) -> None:
    """The ecosystem report (key figures, gaps, offer, regions, network, data quality) from named queries."""
    from reports.ecosystem import write_report

    if lang not in ("fr", "en"):
        typer.echo("error: --lang must be fr or en", err=True)
        raise typer.Exit(2)
    with _sources() as sources:
        written = write_report(sources, out_file, lang="fr" if lang == "fr" else "en", pole=pole)
    typer.echo(f"report written to {written}")


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        typer.echo(f"error: '{text}' is not a date YYYY-MM-DD", err=True)
        raise typer.Exit(2) from exc


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)


@app.command()
def history(source: Annotated[Optional[str], typer.Argument(help="one source, or all")] = None) -> None:  # noqa: UP045
    """Every load: when, by whom, from which file, and what changed."""
    with _sources() as sources:
        versions = sources.history(source)
        table = Table("source", "v", "loaded (UTC)", "by", "files", "rows", "quads", "+", "-", "~")
        for v in versions:
            counts = (str(x) if x is not None else "?" for x in (v.added, v.removed, v.changed))
            table.add_row(v.source, str(v.number), v.ended[:16].replace("T", " "), v.agent,
                          ", ".join(f for f, _ in v.files), str(v.rows), str(v.quads), *counts)
        out.print(table)
        if source is not None and versions:
            change = sources.change_of(versions[-1])
            for label, items in (("added", change.added), ("removed", change.removed),
                                 ("changed", change.changed)):
                for iri in items:
                    typer.echo(f"{label}: {iri}")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False) -> None:
    """Quads per source and entities per class, in the current (visible) graph."""
    with _sources() as sources:
        figures = statistics(sources)
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    table = Table("source", "version", "access", "quads")
    for name, s in figures["sources"].items():
        table.add_row(name, str(s["version"]), s["access"], str(s["quads"]))
    out.print(table)
    classes = Table("class", "entities")
    for name, n in figures["entities"].items():
        classes.add_row(name, str(n))
    out.print(classes)


@app.command()
def dump(file: Annotated[Path, typer.Argument(help="N-Quads file to write")]) -> None:
    """Write every quad of the store (all graphs, the load history included) as N-Quads."""
    with _sources() as sources, file.open("wb") as f:
        sources.store.dump(f)
    typer.echo(f"dumped to {file}")


@app.command()
def restore(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Replace the whole store by an N-Quads dump made with `ecokg dump`."""
    with _sources() as sources, file.open("rb") as f:
        sources.store.restore(f)
    typer.echo(f"restored from {file}")


@app.command()
def validate() -> None:
    """Check the whole current graph against the SHACL shapes (slow on big graphs: pyshacl)."""
    from graph.validation import validate_sources

    with _sources() as sources:
        problems = validate_sources(sources)
    for p in problems:
        typer.echo(str(p))
    violations = sum(p.severity == "Violation" for p in problems)
    typer.echo(f"{violations} violation(s), {len(problems) - violations} warning(s).")
    if violations:  # a warning (a company no loaded source names, say) is for the analyst, not a failure
        raise typer.Exit(1)


@app.command()
def key(
    name: Annotated[str, typer.Argument(help="who holds the key: recorded as the agent of its uploads")],
    scope: Annotated[list[str], typer.Option(help="read (restricted sources), write (uploads); repeat")] = ["read"],  # noqa: B006
) -> None:
    """Make an API key: its secret is printed once, and the entry to add to ECOKG_API_KEYS holds only its hash."""
    from api.access import new_key
    from graph.config import ApiKey

    try:
        entry = ApiKey(name=name, sha256="0" * 64, scopes=frozenset(scope))  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    secret, digest = new_key()
    typer.echo(f"secret (give it to {name}; it is not stored anywhere): {secret}")
    line = {"name": entry.name, "sha256": digest, "scopes": sorted(entry.scopes)}
    typer.echo(f"add to ECOKG_API_KEYS: {json.dumps(line)}")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="default ECOKG_HOST")] = None,  # noqa: UP045
    port: Annotated[Optional[int], typer.Option(help="default ECOKG_PORT")] = None,  # noqa: UP045
) -> None:
    """Serve the store over HTTP. A store directory is handed to a child engine (oxigraph serve) that stops
    queries at ECOKG_QUERY_TIMEOUT_S (decision 0007); this process is then the store's only writer."""
    import uvicorn

    from api.app import create_app
    from api.logs import configure_logging
    from graph.engine import Engine
    from graph.remote import RemoteStore
    from graph.store import OWNER_FILE, open_store

    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    url = f"http://{host}:{port}"
    if not _can_listen(host, port):
        typer.echo(f"error: {host}:{port} is already in use (another ecokg serve?); choose another with --port "
                   "or ECOKG_PORT", err=True)
        raise typer.Exit(1)
    with _sources() as prepared:  # cleaned, bundled sources up to date; closed before the engine opens it
        remote = isinstance(prepared.store, RemoteStore)
    configure_logging()
    try:
        engine = None if remote else Engine(settings.store, timeout_s=settings.query_timeout_s).start()
    except EcokgError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    try:
        store = (RemoteStore(engine.url, timeout_s=settings.query_timeout_s, on_stuck=engine.restart) if engine
                 else open_store(settings.store, timeout_s=settings.query_timeout_s))
        card = None if engine is None else Path(settings.store) / OWNER_FILE
        sources = Sources(store, settings.base_iri, exclusive=engine is not None)  # the engine is ours alone
        app = create_app(sources, url=url, settings=settings, owner_card=card, warm=settings.warm_answers)
        typer.echo(f"ecokg serving {settings.store} on {url}")
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
    finally:
        if engine is not None:
            engine.stop()


export_app = typer.Typer(help="Files for people: the offer catalogue.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("catalogue")
def export_catalogue(
    out_file: Annotated[Path, typer.Option("--out", help="offer.xlsx (a sheet per technology family) or offer.csv",
                                           dir_okay=False)],
    lang: Annotated[str, typer.Option(help="fr or en: headers and labels")] = "fr",
    firms: Annotated[str, typer.Option(help="members (of the cluster) or all (every company)")] = "members",
    public: Annotated[bool, typer.Option("--public", help="public sources only, as anonymous API callers")] = False,
) -> None:
    """The offer catalogue: firms by technology family, with their public contact, location and technologies."""
    from api.exports import catalogue, catalogue_csv, catalogue_xlsx

    if out_file.suffix.lower() not in (".xlsx", ".csv") or lang not in ("fr", "en"):
        typer.echo("error: --out FILE.xlsx or FILE.csv, --lang fr or en", err=True)
        raise typer.Exit(2)
    with _sources() as sources:
        families = catalogue(sources, lang=lang, firms=firms, restricted=not public)
    if out_file.suffix.lower() == ".xlsx":
        out_file.write_bytes(catalogue_xlsx(families, lang))
    else:
        out_file.write_text(catalogue_csv(families, lang), encoding="utf-8", newline="")
    firms_listed = {firm["firm"] for f in families for firm in f.firms}
    typer.echo(f"{out_file}: {len(firms_listed)} firms in {sum(bool(f.firms) for f in families)} of "
               f"{len(families)} technology families")
