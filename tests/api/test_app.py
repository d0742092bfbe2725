"""The HTTP service at this stage: health, and the statistics page and JSON."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph.sources import Sources
from loaders.run import load

MESSY = Path(__file__).resolve().parents[1] / "loaders" / "golden" / "members-messy" / "input.csv"


def test_health_and_statistics(sources: Sources) -> None:
    load(sources, "members", [MESSY])
    with TestClient(create_app(sources, url="http://testserver")) as client:
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        assert health.json()["sources"] == 6  # five bundled sources + members

        figures = client.get("/api/v1/stats").json()
        assert figures["entities"]["Company"] == 3
        assert figures["sources"]["members"]["rows"] == 3
        assert figures["sources"]["members"]["access"] == "public"

        page = client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<td>members</td>" in page.text
        assert "<td>Company</td><td>3</td>" in page.text
