"""API keys: what `ecokg key` prints works as configured, keys are compared by hash, and the access rules."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from cli_support import cli_on, run
from fastapi.testclient import TestClient

from api.access import ANONYMOUS, identify, new_key
from api.app import create_app
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
