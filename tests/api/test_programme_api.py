"""The programme through the HTTP API: an events upload (two files, one source, restricted by default) and the
programme's named queries, which anonymous callers answer without the restricted attendance."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.access import new_key
from api.app import create_app
from graph.config import ApiKey, Settings
from graph.sources import Sources

DATA = Path(__file__).resolve().parents[1] / "data" / "events"


def test_upload_the_events_then_ask_for_the_activity(sources: Sources) -> None:
    secret, digest = new_key()
    settings = Settings(api_keys=[ApiKey(name="w", sha256=digest, scopes={"read", "write"})])
    files = [("files", (name, (DATA / name).read_bytes(), "text/csv")) for name in ("events.csv", "attendance.csv")]
    with TestClient(create_app(sources, url="http://testserver", settings=settings)) as client:
        key = {"X-API-Key": secret}
        loaded = client.post("/api/v1/sources/events", files=files, headers=key)
        assert loaded.status_code == 200, loaded.text
        assert (loaded.json()["source"], loaded.json()["access"], loaded.json()["rows"]) == ("events", "restricted", 23)
        # the README's event-activity (Transports Mosans, by name at EV-03 and by number at EV-04, came once a year:
        # no entity resolution is needed for these counts)
        rows = client.get("/api/v1/queries/event-activity", headers=key).json()["rows"]
        assert [(r["year"], r["events"], r["attendances"], r["organisations"]) for r in rows] == [
            (2023, 1, 3, 3), (2024, 2, 8, 6), (2025, 2, 7, 5)]
        assert client.get("/api/v1/queries/event-activity").json()["rows"] == []  # anonymous: restricted source
        bad = client.get("/api/v1/queries/non-adopters", params={"technology": "e-invoicing", "sector": "not a slug"},
                         headers=key)
        assert bad.status_code == 422 and "sector" in bad.text
