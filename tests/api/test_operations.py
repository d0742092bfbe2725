"""Operations: JSON log lines carrying the request id, CORS when configured, health."""

from __future__ import annotations

import io
import json
import logging

from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import JsonLines
from graph.config import Settings
from graph.sources import Sources


def test_each_request_is_logged_as_json_with_its_id(sources: Sources) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("ecokg.http")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with TestClient(create_app(sources, url="http://testserver", settings=Settings())) as client:
            answer = client.get("/health", headers={"X-Request-ID": "abc-123"})
    finally:
        logger.removeHandler(handler)
    assert answer.headers["x-request-id"] == "abc-123"
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert (line["request_id"], line["method"], line["path"], line["status"]) == ("abc-123", "GET", "/health", 200)
    assert line["level"] == "info" and line["ms"] >= 0


def test_cors_only_for_configured_origins(sources: Sources) -> None:
    preflight = {"Origin": "https://cluster.example", "Access-Control-Request-Method": "GET"}
    with TestClient(create_app(sources, url="http://testserver", settings=Settings())) as client:
        assert "access-control-allow-origin" not in client.options("/api/v1/stats", headers=preflight).headers
    settings = Settings(cors_origins=["https://cluster.example"])
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        allowed = client.options("/api/v1/stats", headers=preflight)
        assert allowed.headers["access-control-allow-origin"] == "https://cluster.example"
        other = client.options("/api/v1/stats", headers={**preflight, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_health_counts_what_is_served(sources: Sources) -> None:
    with TestClient(create_app(sources, url="http://testserver", settings=Settings())) as client:
        health = client.get("/health").json()
    current = sources.current()
    assert health == {"status": "ok", "sources": 5, "quads": sum(v.quads for v in current.values())}
    assert health["quads"] > 10_000  # the bundled model alone


def test_head_is_answered_like_get_without_a_body(sources: Sources) -> None:
    with TestClient(create_app(sources, url="http://testserver", settings=Settings())) as client:
        get = client.get("/id/pole/biowin", headers={"Accept": "text/turtle"})
        head = client.head("/id/pole/biowin", headers={"Accept": "text/turtle"})
    assert get.status_code == head.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.content == b"" and b"BioWin" in get.content


def test_anonymous_clients_are_rate_limited_and_keys_are_not(sources: Sources) -> None:
    from api.access import new_key
    from graph.config import ApiKey

    secret, digest = new_key()
    settings = Settings(rate_limit_per_minute=60, rate_limit_burst=3, api_keys=[ApiKey(name="k", sha256=digest)])
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        answers = [client.get("/api/v1/stats").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]  # a burst of 3, then one a second
        refused = client.get("/api/v1/stats")
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        assert "at most 60 a minute" in refused.json()["detail"]
        assert client.get("/health").status_code == 200  # never limited
        assert client.get("/api/v1/stats", headers={"X-API-Key": secret}).status_code == 200
