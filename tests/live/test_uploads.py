"""Uploads to a running server: the key decides (401/403), a good file makes a new version whose prov:Agent
is the key's name, a bad file is refused with its problems and changes nothing."""

from __future__ import annotations

import httpx
from server import ANALYTICS, Live

MEMBERS = (ANALYTICS / "members.csv").read_bytes()
CHECK = 97 - 4509999 % 97
COMPANIES = "PREFIX eco: <https://w3id.org/ecokg/def#> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a eco:Company }"


def companies(live: Live) -> int:
    answer = httpx.get(f"{live.url}/sparql", params={"query": COMPANIES},
                       headers={"Accept": "application/sparql-results+json"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def upload(live: Live, content: bytes, name: str = "members.csv", key: str | None = None) -> httpx.Response:
    headers = live.auth(key) if key else {}
    return httpx.post(f"{live.url}/api/v1/sources/members", files={"files": (name, content, "text/csv")},
                      headers=headers, timeout=60)


def test_writes_need_a_write_key(live: Live) -> None:
    assert upload(live, MEMBERS).status_code == 401
    assert upload(live, MEMBERS, key="not-a-key").status_code == 403
    no_scope = upload(live, MEMBERS, key=live.reader_key)
    assert no_scope.status_code == 403
    assert "'write'" in no_scope.json()["detail"]


def test_an_upload_replaces_the_source_and_names_the_key_as_agent(live: Live) -> None:
    assert companies(live) == 8
    ninth = MEMBERS.rstrip(b"\n") + b"\n" + _ninth_row()
    loaded = upload(live, ninth, key=live.writer_key)
    assert loaded.status_code == 200, loaded.text
    report = loaded.json()
    # the firm and its cluster membership are the two new entities
    assert (report["status"], report["source"], report["rows"], report["added"]) == ("loaded", "members", 9, 2)
    assert companies(live) == 9

    agents = httpx.get(f"{live.url}/sparql", headers={**live.auth(live.reader_key), "Accept": "text/csv"}, params={
        "query": "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                 "SELECT DISTINCT ?name WHERE { ?load prov:wasAssociatedWith ?agent . ?agent rdfs:label ?name }"})
    assert "api-key:loader" in agents.text.split("\r\n")

    restored = upload(live, MEMBERS, key=live.writer_key)
    assert restored.json()["removed"] == 2
    assert companies(live) == 8


def test_a_bad_file_is_refused_with_its_problems_and_changes_nothing(live: Live) -> None:
    wrong = f"0450.999.9{(CHECK + 1) % 97:02d}".encode()
    bad = MEMBERS.rstrip(b"\n") + b"\n" + _ninth_row().replace(f"0450.999.9{CHECK:02d}".encode(), wrong)
    refused = upload(live, bad, name="my members.csv", key=live.writer_key)
    assert refused.status_code == 422
    report = refused.json()
    assert report["status"] == "refused"
    problem = report["problems"][0]
    assert problem["file"] == "my members.csv"
    assert problem["row"] == "10"
    assert "check" in problem["reason"].lower()
    assert companies(live) == 8


def test_upload_type_is_sniffed_not_trusted(live: Live) -> None:
    html = upload(live, b"<html><body>not a workbook</body></html>", name="members.xlsx", key=live.writer_key)
    assert html.status_code == 415
    binary = upload(live, b"\x00\x01\x02garbage", name="members.csv", key=live.writer_key)
    assert binary.status_code == 415
    assert companies(live) == 8


def _ninth_row() -> bytes:
    """A ninth member in the file's own layout (enterprise number with a valid check: 97 - 4509999 mod 97)."""
    return "0450.999.9CC;Nouvelle Firme SRL;Rue Neuve 1;5000;Namur;;;3;2024\n".replace("CC", f"{CHECK:02d}").encode()
