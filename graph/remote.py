"""A store behind the SPARQL 1.1 Protocol and the Graph Store Protocol (an Oxigraph server's layout:
/query, /update, /store; another server's paths and credentials come from the settings, see
docs/remote-engines.md).

It is both the remote backend (ECOKG_STORE=http://host:port) and how `ecokg serve` talks to the child
engine that owns an embedded store (graph.engine, decision 0007). Every term written into request text
is serialised by pyoxigraph (N-Triples form), never pasted from user input.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from graph.config import Endpoint, get_settings
from graph.errors import QueryTimeout, StoreUnavailable
from graph.store import QueryResult, batches

_CANCELLED = b"operation has been cancelled"
_NOTHING = ox.NamedNode("urn:ecokg:no-graph")  # stands for an empty list: no dataset parameter means "all"
_RESULTS = "application/sparql-results+json"
_GRAPH_ANSWER = "application/n-triples"
OXIGRAPH_PATHS: dict[Endpoint, str] = {"query": "query", "update": "update", "store": "store"}
BODY_BYTES = 16 << 20  # a write is sent in bodies of about this size, each with its length (see bulk_add)


def grace_s(timeout_s: float) -> float:
    """How long past the time limit we wait for the engine to say it stopped a query: a tenth of the limit
    (TARGETS.md: stopped at the limit + 10%), at least a second to hear the engine's own answer."""
    return max(1.0, timeout_s / 10)
WRITE_TIMEOUT_S = 3600.0
RESTART_WAIT_S = 10.0


class RemoteStore:
    """GraphStore over HTTP. A query gets `timeout_s` (the engine's own limit) plus `grace_s`; past that it is
    stuck — Oxigraph does not stop every query at its limit (decision 0007) — and `on_stuck` is called
    (graph.engine restarts the engine it owns) before QueryTimeout is raised."""

    def __init__(self, url: str, *, timeout_s: float = 30.0, on_stuck: Callable[[], None] | None = None,
                 paths: Mapping[Endpoint, str] | None = None, auth: httpx.Auth | None = None) -> None:
        self.location = url.rstrip("/")
        self.timeout_s = timeout_s
        self._on_stuck = on_stuck
        self._paths = {**OXIGRAPH_PATHS, **(paths or {})}
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_s + grace_s(timeout_s), connect=5), http1=True,
                                  auth=auth)

    # -- reading ------------------------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        dataset: Sequence[ox.NamedNode] | None,
        named: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        # on the query's first line, so that the engine's error messages keep the user's line numbers
        text = "".join(f"PREFIX {p}: <{iri}> " for p, iri in (prefixes or {}).items()) + sparql
        form: list[tuple[str, str]] = [("query", text)]
        if dataset is None:
            form.append(("union-default-graph", ""))  # Oxigraph's parameter: every graph, one union
        else:
            form += [("default-graph-uri", g.value) for g in dataset or [_NOTHING]]
            form += [("named-graph-uri", g.value) for g in (dataset if named is None else named) or [_NOTHING]]
        body = self._send("POST", "query", content=urlencode(form).encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": f"{_RESULTS}, {_GRAPH_ANSWER};q=0.9"})
        if body.headers.get("content-type", "").startswith(_GRAPH_ANSWER):
            return list(_parse_triples(body.content))
        return _parse_results(body.content)

    def quads(
        self,
        graph: ox.NamedNode | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        if graph is not None and subject is None and predicate is None and obj is None:
            answer = self._get("store", params={"graph": graph.value}, accept=_GRAPH_ANSWER, missing_ok=True)
            return (ox.Quad(t.subject, t.predicate, t.object, graph) for t in _parse_triples(answer))
        pattern = " ".join(str(t) if t is not None else v for t, v in
                           ((subject, "?s"), (predicate, "?p"), (obj, "?o")))
        where = f"GRAPH {graph if graph is not None else '?g'} {{ {pattern} }}"
        solutions = self._unrestricted(f"SELECT * WHERE {{ {where} }}")
        return (_quad(s, subject, predicate, obj, graph) for s in solutions)  # type: ignore[union-attr]

    def graphs(self) -> list[ox.NamedNode]:
        # Virtuoso keeps no empty graph and matches none with an empty pattern: then ask for graphs with a triple
        return (self._graph_names("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
                or self._graph_names("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def _graph_names(self, sparql: str) -> list[ox.NamedNode]:
        return [s["g"] for s in self._unrestricted(sparql) if isinstance(s["g"], ox.NamedNode)]  # type: ignore[union-attr]

    def ping(self) -> None:
        """Raise StoreUnavailable unless the engine answers a trivial query."""
        self._unrestricted("ASK {}")

    # -- writing ------------------------------------------------------------------------------------
    def bulk_add(self, graph: ox.NamedNode, ntriples: Iterable[bytes]) -> None:
        """`ntriples`: chunks of whole lines (graph.sources writes them so), sent as bodies of about BODY_BYTES,
        each with its length: Virtuoso ignores a chunked body (it answers 201 and stores nothing)."""
        for body in batches(ntriples, BODY_BYTES):
            self._send("POST", "store", params={"graph": graph.value, "no_transaction": ""}, timeout=WRITE_TIMEOUT_S,
                       content=body, headers={"Content-Type": _GRAPH_ANSWER})

    def add_atomic(self, quads: Sequence[ox.Quad]) -> None:
        """One INSERT DATA: the engine applies an update in one transaction."""
        if quads:
            body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
            self._update(f"INSERT DATA {{ {body} }}")

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self._update(f"DROP SILENT GRAPH {graph}")

    def dump(self, out: BinaryIO) -> None:
        with self._http.stream("GET", f"{self.location}/{self._paths['store']}",
                               headers={"Accept": "application/n-quads"}) as r:
            _check(r, "dump")
            for chunk in r.iter_bytes():
                out.write(chunk)

    def restore(self, source: BinaryIO) -> None:
        if self._paths != OXIGRAPH_PATHS:  # Virtuoso answers 200 to both requests below and changes nothing
            raise StoreUnavailable("restore needs an Oxigraph server (CLEAR ALL, then N-Quads posted to /store); "
                                   "load the dump with the server's own bulk loader (docs/remote-engines.md)")
        self._update("CLEAR ALL")
        for body in batches(iter(lambda: b"".join(source.readlines(1 << 20)), b""), BODY_BYTES):
            self._send("POST", "store", params={"no_transaction": ""}, timeout=WRITE_TIMEOUT_S, content=body,
                       headers={"Content-Type": "application/n-quads"})

    def optimize(self) -> None:
        """The engine's own business (e.g. `oxigraph optimize` while stopped)."""

    def close(self) -> None:
        self._http.close()

    # -- HTTP ---------------------------------------------------------------------------------------
    def _unrestricted(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean:
        """A query over the engine's whole store (no dataset parameters): for bookkeeping only."""
        answer = self._get("query", params={"query": sparql}, accept=_RESULTS)
        return _parse_results(answer)

    def _update(self, sparql: str) -> None:
        self._send("POST", "update", content=sparql.encode(), headers={"Content-Type": "application/sparql-update"},
                   timeout=WRITE_TIMEOUT_S)

    def _get(self, endpoint: Endpoint, *, params: dict[str, str], accept: str, missing_ok: bool = False) -> bytes:
        response = self._send("GET", endpoint, params=params, headers={"Accept": accept}, missing_ok=missing_ok)
        return b"" if response.status_code == 404 else response.content

    def _request(self, method: str, endpoint: Endpoint, kwargs: dict[str, object]) -> httpx.Response:
        """One request; while an engine of ours restarts (on_stuck given), wait for it rather than fail: a
        request it refuses, and one in flight when it was killed (the connection reset), are sent again."""
        deadline = time.monotonic() + RESTART_WAIT_S
        while True:
            try:
                url = f"{self.location}/{self._paths[endpoint]}"
                return self._http.request(method, url, **kwargs)  # type: ignore[arg-type]
            except (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                if self._on_stuck is None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _send(self, method: str, endpoint: Endpoint, *, missing_ok: bool = False, **kwargs: object) -> httpx.Response:
        try:
            response = self._request(method, endpoint, kwargs)
        except httpx.TimeoutException as exc:
            if self._on_stuck is not None:
                self._on_stuck()
            raise QueryTimeout(f"the query ran past the time limit of {self.timeout_s:g} s and was stopped") from exc
        except httpx.HTTPError as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL engine at {self.location}: {exc}") from exc
        if not (missing_ok and response.status_code == 404):
            _check(response, endpoint)
        return response


def configured(url: str, *, timeout_s: float) -> RemoteStore:
    """The server ECOKG_STORE names, with the endpoint paths and credentials of the settings."""
    settings = get_settings()
    auth: httpx.Auth | None = None
    if settings.store_user:
        login = (settings.store_user, settings.store_password.get_secret_value())
        auth = httpx.DigestAuth(*login) if settings.store_auth == "digest" else httpx.BasicAuth(*login)
    return RemoteStore(url, timeout_s=timeout_s, paths=settings.store_paths, auth=auth)


def _check(response: httpx.Response, what: str) -> None:
    if response.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's "anytime" answer: cut at its time limit
        raise QueryTimeout("the SPARQL engine stopped the query at its time limit; its partial answer is not used")
    if response.status_code == 400 and what == "query":
        raise SyntaxError(response.read().decode(errors="replace").strip())
    if response.status_code >= 400:
        detail = response.read().decode(errors="replace").strip()[:500]
        raise StoreUnavailable(f"the SPARQL engine refused {what} ({response.status_code}): {detail}")


def _parse_results(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """Parse a whole answer. The engine streams, so a timeout shows as a document cut short and followed by
    its message: a complete JSON answer ends with '}'."""
    if not body.rstrip().endswith(b"}"):
        raise _broken(body)
    return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)


def _parse_triples(body: bytes) -> list[ox.Triple]:
    if body.strip() and not body.rstrip().endswith(b"."):
        raise _broken(body)
    return [q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)]


def _broken(body: bytes) -> Exception:
    if _CANCELLED in body[-400:]:
        return QueryTimeout("the query ran past the time limit and was stopped")
    return StoreUnavailable("the SPARQL engine's answer was cut short or malformed")


def _quad(solution: ox.QuerySolution, subject: ox.NamedNode | None, predicate: ox.NamedNode | None,
          obj: ox.NamedNode | None, graph: ox.NamedNode | None) -> ox.Quad:
    return ox.Quad(subject or solution["s"], predicate or solution["p"], obj or solution["o"],  # type: ignore[arg-type]
                   graph or solution["g"])
