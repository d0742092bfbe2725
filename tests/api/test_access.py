"""API keys: what `ecokg key` prints works as configured, keys are compared by hash, and the access rules."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
from pathlib import Path

import pytest
from cli_support import cli_on, run
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import access
from api.access import ANONYMOUS, identify, new_key
from api.app import create_app
from api.uploads import Kind
from graph.config import ApiKey, Settings
from graph.sources import Sources


def test_ecokg_key_prints_a_secret_and_its_configuration(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as runner:
        out = run(runner, "key", "partner-tool", "--scope", "read", "--scope", "write")
    secret = re.search(r"not stored anywhere\): (\S+)", out)[1]  # type: ignore[index]
    entry = json.loads(out.split("add to ECOKG_API_KEYS: ", 1)[1])
    assert entry == {"name": "partner-tool", "sha256": hashlib.sha256(secret.encode()).hexdigest(),
                     "scopes": ["read", "write"]}
    principal = identify(secret, [ApiKey(**entry)])
    assert principal is not None and principal.name == "partner-tool" and principal.restricted


def test_ecokg_key_refuses_a_bad_name_or_scope(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as runner:
        assert "name" in run(runner, "key", "two words", code=1)
        assert "scopes" in run(runner, "key", "tool", "--scope", "admin", code=1)


def test_identify() -> None:
    secret, digest = new_key()
    keys = [ApiKey(name="other", sha256="0" * 64), ApiKey(name="mine", sha256=digest, scopes={"write"})]
    assert identify(None, keys) is ANONYMOUS
    assert identify("", keys) is ANONYMOUS
    assert identify(secret + "x", keys) is None
    mine = identify(secret, keys)
    assert mine is not None and mine.name == "mine" and not mine.restricted  # 'write' alone does not read


def test_writes_are_disabled_without_keys_and_need_the_write_scope(sources: Sources) -> None:
    csv = ("members.csv", b"enterprise_number;name\n0436.195.241;A SA\n", "text/csv")
    with TestClient(create_app(sources, url="http://testserver", settings=Settings(api_keys=[]))) as client:
        refused = client.post("/api/v1/sources/members", files={"files": csv})
        assert refused.status_code == 403
        assert "disabled" in refused.json()["detail"]
    reader, reader_hash = new_key()
    writer, writer_hash = new_key()
    settings = Settings(api_keys=[ApiKey(name="r", sha256=reader_hash, scopes={"read"}),
                                  ApiKey(name="w", sha256=writer_hash, scopes={"read", "write"})])
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        assert client.post("/api/v1/sources/members", files={"files": csv}).status_code == 401
        assert client.post("/api/v1/sources/members", files={"files": csv},
                           headers={"X-API-Key": reader}).status_code == 403
        assert client.post("/api/v1/sources/members", files={"files": csv},
                           headers={"Authorization": "Bearer nope"}).status_code == 403
        loaded = client.post("/api/v1/sources/members", files={"files": csv}, headers={"X-API-Key": writer})
        assert loaded.status_code == 200, loaded.text
        assert loaded.json()["rows"] == 1
    assert sources.current()["members"].agent == "api-key:w"


def test_request_bodies_above_the_limit_are_refused(sources: Sources) -> None:
    settings = Settings(max_body_mb=0.001)  # 1,048 bytes
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        big = client.post("/sparql", content=b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 2000,
                          headers={"Content-Type": "application/sparql-query"})
        assert big.status_code == 413
        small = client.post("/sparql", content=b"ASK { ?s ?p ?o }",
                            headers={"Content-Type": "application/sparql-query"})
        assert small.status_code == 200


def test_uploads_take_tabular_kinds_only_and_never_a_bundled_source_name(sources: Sources) -> None:
    secret, digest = new_key()
    settings = Settings(api_keys=[ApiKey(name="w", sha256=digest, scopes={"read", "write"})])
    csv = ("members.csv", b"enterprise_number;name\n0436.195.241;A SA\n", "text/csv")
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        key = {"X-API-Key": secret}
        assert client.post("/api/v1/sources/kbo", files={"files": csv}, headers=key).status_code == 422
        assert client.post("/api/v1/sources/taxonomy", files={"files": csv}, headers=key).status_code == 422
        refused = client.post("/api/v1/sources/members?source=taxonomy", files={"files": csv}, headers=key)
    assert refused.status_code == 400 and "ecokg writes itself" in refused.json()["detail"]
    assert sources.current()["taxonomy"].loader_version.startswith("ecokg-system")


def last_changed(secret: str) -> str:
    """The secret with its last character changed: the nearest wrong key."""
    return secret[:-1] + ("A" if secret[-1] != "A" else "B")


def spy_on_compare_digest(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The arguments of every hmac.compare_digest call from now on (it still answers as before)."""
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    return calls


def test_keys_are_compared_as_sha256_digests_by_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Constant time is hmac.compare_digest's promise (no timing test could show it on a shared machine):
    what is proven here is that the decision goes through it, on digests, against every configured key."""
    secret, digest = new_key()
    near = last_changed(secret)
    keys = [ApiKey(name="zero", sha256="0" * 64), ApiKey(name="mine", sha256=digest, scopes=frozenset({"read"})),
            ApiKey(name="other", sha256=hashlib.sha256(b"other").hexdigest())]
    calls = spy_on_compare_digest(monkeypatch)
    assert identify(near, keys) is None
    assert calls == [(hashlib.sha256(near.encode()).hexdigest(), k.sha256) for k in keys]
    calls.clear()
    mine = identify(secret, keys)
    assert mine is not None and mine.name == "mine"
    assert calls == [(digest, k.sha256) for k in keys]  # every key, the ones after the match too
    # compare_digest alone decides: no other equality test stands beside it
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: False)
    assert identify(secret, keys) is None
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: b == keys[2].sha256)
    other = identify(near, keys)
    assert other is not None and other.name == "other"


def test_the_app_identifies_callers_through_compare_digest(sources: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    secret, digest = new_key()
    near = last_changed(secret)
    settings = Settings(api_keys=[ApiKey(name="w", sha256=digest, scopes=frozenset({"read", "write"}))])
    calls = spy_on_compare_digest(monkeypatch)
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        assert client.get("/api/v1/stats", headers={"X-API-Key": near}).status_code == 403
        assert calls == [(hashlib.sha256(near.encode()).hexdigest(), digest)]
        assert client.get("/api/v1/stats", headers={"X-API-Key": secret}).status_code == 200
        assert calls[1:] == [(digest, digest)]


def write_operations(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every operation that may change the store: all but GET, and POST /sparql (the
    SPARQL Protocol's query by POST, a read whose updates tests/api/test_sparql.py shows refused)."""
    return [(method, path) for path, operations in app.openapi()["paths"].items() for method in operations
            if method not in ("get", "head") and (method, path) != ("post", "/sparql")]


def test_every_write_path_and_upload_kind_is_401_without_a_key_and_403_with_a_wrong_one(sources: Sources) -> None:
    write, write_hash = new_key()
    read, read_hash = new_key()
    settings = Settings(api_keys=[ApiKey(name="w", sha256=write_hash, scopes=frozenset({"read", "write"})),
                                  ApiKey(name="r", sha256=read_hash, scopes=frozenset({"read"}))])
    before = dump(sources)
    csv = ("upload.csv", b"enterprise_number;name\n0436.195.241;A SA\n", "text/csv")
    app = create_app(sources, url="http://testserver", settings=settings)
    operations = write_operations(app)
    assert ("post", "/api/v1/sources/{kind}") in operations
    tried = []
    with TestClient(app) as client:
        for method, path in operations:
            assert re.findall(r"\{(\w+)\}", path) in ([], ["kind"]), f"{path}: which values to try?"
            for kind in list(Kind) if "{kind}" in path else [None]:
                url = path.format(kind=kind) + "?dry_run=true"
                answers = [client.request(method.upper(), url, files={"files": csv}, headers=headers)
                           for headers in ({}, {"X-API-Key": last_changed(write)}, {"Authorization": "Bearer nope"},
                                           {"X-API-Key": read}, {"X-API-Key": write})]
                none, near, unknown, no_scope, right = (a.status_code for a in answers)
                assert (none, near, unknown, no_scope) == (401, 403, 403, 403), (url, [a.text for a in answers])
                assert answers[0].headers["www-authenticate"] == "Bearer"
                assert right in (200, 400, 422), url  # the right key gets to the loader (400: poles needs its pole)
                tried.append(url)
    assert len(tried) >= len(Kind) >= 7  # members, poles, labs, curation, cordis, events, adoption
    assert dump(sources) == before  # refused, or dry runs: nothing written


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()
