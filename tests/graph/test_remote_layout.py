"""graph.remote on a server that is not an Oxigraph server (docs/remote-engines.md), against a fake server
that behaves as Virtuoso 7.2 did when tried: its own endpoint paths, digest authentication on the write
endpoints, no empty graph, "anytime" answers cut at its time limit and flagged by a header only, and a
CLEAR ALL or a dataset POST that answer 200 and change nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from graph import remote
from graph.config import get_settings
from graph.errors import QueryTimeout, StoreUnavailable
from graph.remote import RemoteStore, configured

URL = "http://virtuoso.test:8890"
G = ox.NamedNode("http://example.org/g")
EMPTY = b'{"head": {"vars": ["g"]}, "results": {"bindings": []}}'


class Seen:
    """A request as it was when it arrived (httpx re-sends the same object with credentials added)."""

    def __init__(self, request: httpx.Request) -> None:
        self.method, self.path, self.params = request.method, request.url.path, request.url.params
        self.headers, self.content = dict(request.headers), request.read()
        self.login = self.headers.get("authorization", "")[:7]


class FakeVirtuoso:
    """Records every request it answers; writes need digest credentials, as Virtuoso's *-auth endpoints do."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.graph_answer = EMPTY
        self.query_headers: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(Seen(request))
        if request.url.path.endswith("-auth") and self.seen[-1].login != "Digest ":
            return httpx.Response(401, headers={"WWW-Authenticate": 'Digest realm="SPARQL", nonce="n1", qop="auth"'})
        if request.url.path == "/sparql":
            query = request.url.params.get("query", "")
            body = self.graph_answer if "?s ?p ?o" in query else EMPTY
            return httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json",
                                                              **self.query_headers})
        return httpx.Response(201)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVirtuoso]:
    server = FakeVirtuoso()
    real_client = httpx.Client
    monkeypatch.setattr(remote.httpx, "Client", lambda **kw: real_client(transport=httpx.MockTransport(server), **kw))
    for name, value in {"PATHS": '{"query": "sparql", "update": "sparql-auth", "store": "sparql-graph-crud-auth"}',
                        "USER": "dba", "PASSWORD": "secret", "AUTH": "digest"}.items():
        monkeypatch.setenv(f"ECOKG_STORE_{name}", value)
    get_settings.cache_clear()
    yield server
    get_settings.cache_clear()


def test_the_settings_give_the_paths_and_the_digest_login(fake: FakeVirtuoso) -> None:
    store = configured(URL, timeout_s=5)
    store.drop_graph(G)
    store.ping()
    assert [(r.method, r.path, r.login) for r in fake.seen] == [
        ("POST", "/sparql-auth", ""),  # challenged...
        ("POST", "/sparql-auth", "Digest "),  # ...answered with the digest of dba's password
        ("GET", "/sparql", "Digest "),  # queries go to their own endpoint, the login sent from then on
    ]
    assert b"DROP SILENT GRAPH <http://example.org/g>" in fake.seen[1].content


def test_writes_go_in_bodies_with_their_length_never_chunked(fake: FakeVirtuoso,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "BODY_BYTES", 100)
    store = configured(URL, timeout_s=5)
    lines = [f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n".encode() for i in range(6)]  # 53 B
    store.bulk_add(G, lines)
    posts = [r for r in fake.seen if r.login]
    # 100 bytes are reached at every second line: three bodies of two whole lines each
    assert [r.content for r in posts] == [b"".join(lines[i:i + 2]) for i in (0, 2, 4)]
    assert all("transfer-encoding" not in r.headers and int(r.headers["content-length"]) == len(r.content)
               for r in posts)
    assert {r.params["graph"] for r in posts} == {G.value}
    fake.seen.clear()
    store.bulk_add(G, [])  # an empty version is still written: the graph exists on engines that keep empty graphs
    assert [r.content for r in fake.seen if r.login] == [b""]


def test_a_server_that_lists_no_graph_for_an_empty_pattern_is_asked_for_graphs_with_a_triple(
        fake: FakeVirtuoso) -> None:
    fake.graph_answer = (b'{"head": {"vars": ["g"]}, "results": {"bindings": '
                         b'[{"g": {"type": "uri", "value": "http://example.org/g"}}]}}')
    assert configured(URL, timeout_s=5).graphs() == [G]
    assert [r.params["query"] for r in fake.seen] == ["SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
                                                          "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]


def test_an_answer_cut_at_the_servers_time_limit_is_a_timeout_not_a_result(fake: FakeVirtuoso) -> None:
    fake.query_headers = {"X-SQL-State": "S1TAT"}  # Virtuoso 7.2: 200, what it had so far, and this header
    with pytest.raises(QueryTimeout):
        configured(URL, timeout_s=5).query("SELECT * WHERE { ?s ?p ?o }", dataset=[G])


def test_restore_is_refused_rather_than_silently_ignored(fake: FakeVirtuoso) -> None:
    with pytest.raises(StoreUnavailable, match="bulk loader"):
        configured(URL, timeout_s=5).restore(io.BytesIO(b"<http://example.org/s> <http://example.org/p> 1 <g> .\n"))
    assert fake.seen == []  # nothing cleared


def test_an_oxigraph_server_needs_no_setting() -> None:
    store = RemoteStore(URL)
    assert store._paths == {"query": "query", "update": "update", "store": "store"}
    assert store._http.auth is None
