"""The analytics fixture (tests/data/analytics; its README tells the story and tabulates who offers, needs and
studies what) served by the HTTP app, and a client that asks anonymously or with a read key.

members.csv and labs.csv load as public sources; the Wagralim and BioWin files (pole members, projects,
participants) as restricted ones, the default for pole files (loaders/run.py): an anonymous caller sees the
cluster's members and the labs, and no project at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from api.access import new_key
from api.app import create_app
from graph.config import ApiKey, Settings
from graph.sources import Sources
from loaders.run import load

DATA = Path(__file__).resolve().parents[1] / "data" / "analytics"
ID = "http://example.org/id/"
TECH = "https://w3id.org/ecokg/tech/"


def org(digits: str) -> str:
    return f"{ID}org/be-{digits}"


FICTIVE, DATALYS, BRIXTEL, LIEGE_DATA = (org(d) for d in ("0450111177", "0450222233", "0450333386", "0450777707"))
PHARMALYS = org("0620111102")
LAB_HPC, LAB_IMAGE = f"{ID}lab/uliege-hpc", f"{ID}lab/ucl-image"
BIOWIN, WAGRALIM = f"{ID}pole/biowin", f"{ID}pole/wagralim"
OPTIFRUIT = f"{ID}project/wagralim-wg-2019-01"  # W1


def load_analytics(sources: Sources) -> Sources:
    """The fixture loaded as a user would (README: `ecokg load ...`)."""
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "labs", [DATA / "labs.csv"])
    load(sources, "poles", sorted(DATA.glob("wagralim-*.csv")), pole="wagralim")
    load(sources, "poles", sorted(DATA.glob("biowin-*.csv")), pole="biowin")
    return sources


@dataclass
class Api:
    """The app over some sources, and the headers of a partner whose key has the 'read' scope."""

    client: TestClient
    key: dict[str, str]

    def get(self, url: str, *, read: bool = False, headers: dict[str, str] | None = None,
            **options: Any) -> httpx.Response:
        return self.client.get(url, headers={**(self.key if read else {}), **(headers or {})}, **options)

    def json(self, url: str, *, read: bool = False) -> Any:
        answer = self.get(url, read=read)
        assert answer.status_code == 200, answer.text
        return answer.json()


def api_over(sources: Sources) -> Api:
    secret, digest = new_key()
    settings = Settings(api_keys=[ApiKey(name="partner", sha256=digest, scopes=frozenset({"read"}))])
    client = TestClient(create_app(sources, url="http://testserver", settings=settings))
    return Api(client, {"Authorization": f"Bearer {secret}"})


def problems(answer: httpx.Response) -> list[tuple[list[str], str]]:
    """A 422's errors as (loc, msg) pairs."""
    assert answer.status_code == 422, answer.text
    return [(e["loc"], e["msg"]) for e in answer.json()["detail"]]
