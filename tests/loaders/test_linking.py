"""Entity resolution across sources (`ecokg link`): tests/data/linking/README.md works out every expectation."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.sources import Sources
from loaders import linking
from loaders.run import load
from queries.stats import statistics
from tests.api.cli_support import cli_on, run

DATA = Path(__file__).resolve().parents[1] / "data" / "linking"
ORG = "http://example.org/id/org/"
NANOTECH, HYDRO, GEO = f"{ORG}be-0450555595", f"{ORG}be-0450666651", f"{ORG}be-0450777707"
UNAMUR = f"{ORG}inst-universite-de-namur"


def pic(n: int) -> str:
    return f"{ORG}pic-90000000{n}"


def load_all(sources: Sources) -> None:
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "poles", [DATA / "biowin-members.csv"], access="public")
    load(sources, "labs", [DATA / "labs.csv"])
    load(sources, "cordis", [DATA / "h2020-organizations.csv"], source="cordis")


POLES_AND_CLUSTER = 7  # the reference graph's six poles and the cluster are organisations too


def organisations(sources: Sources) -> int:
    """As the entities-per-class named query counts them, less the reference graph's."""
    return statistics(sources)["entities"]["FormalOrganization"] - POLES_AND_CLUSTER


def graphs_naming(sources: Sources, iri: str) -> set[str]:
    rows = sources.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} }}")
    names = (str(r["g"].value).split("/graph/", 1)[1].removeprefix("source/") for r in rows)
    return {re.sub(r"/v\d+$", "", name) for name in names}


def test_each_organisation_becomes_one_node(sources: Sources) -> None:
    load_all(sources)
    assert organisations(sources) == 9
    report = linking.link(sources)
    applied = {(lk.alias, lk.canonical, lk.method) for lk in report.links if lk.status == "applied"}
    assert applied == {(pic(1), NANOTECH, "name"), (pic(2), HYDRO, "name"), (UNAMUR, pic(3), "name")}
    assert [(lk.alias, lk.canonical) for lk in report.links if lk.status == "review"] == [(pic(4), GEO)]
    assert set(report.rewritten) == {"cordis", "labs"}
    assert organisations(sources) == 6


def test_a_firm_known_three_ways_shows_everything_once(sources: Sources) -> None:
    """Member, BioWin member and CORDIS participant: one node with both memberships and its project."""
    load_all(sources)
    linking.link(sources)
    rows = list(sources.query(f"""
        PREFIX org: <http://www.w3.org/ns/org#> PREFIX eco: <https://w3id.org/ecokg/def#>
        SELECT ?what WHERE {{
          {{ ?m org:member <{NANOTECH}> ; org:organization ?what }}
          UNION {{ ?p eco:participant <{NANOTECH}> ; eco:project ?what }} }}"""))
    found = sorted(str(r["what"].value).removeprefix("http://example.org/id/") for r in rows)
    assert found == ["cluster/ict-wallonia", "pole/biowin", "project/cordis-900001"]
    names = {str(r["n"].value) for r in sources.query(
        f"SELECT ?n WHERE {{ <{NANOTECH}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?n }}")}
    assert names == {"Nanotech Materials SA", "NANOTECH MATERIALS"}
    # the alias lives on only in the link's record, and in the history of the load that first wrote it
    assert graphs_naming(sources, pic(1)) == {"links", "meta"}


def test_the_links_graph_says_why_and_owl_same_as(sources: Sources) -> None:
    load_all(sources)
    linking.link(sources)
    rows = list(sources.query(f"""
        PREFIX eco: <https://w3id.org/ecokg/def#>
        SELECT ?score ?method ?status ?evidence WHERE {{
          ?l eco:alias <{pic(1)}> ; eco:canonical <{NANOTECH}> ; eco:linkScore ?score ; eco:linkMethod ?method ;
             eco:linkStatus ?status ; eco:evidence ?evidence }}"""))
    assert len(rows) == 1
    assert (str(rows[0]["method"].value), str(rows[0]["status"].value)) == ("name", "applied")
    assert float(rows[0]["score"].value) == 100.0  # same name (100) + same postcode (8), capped
    assert "same postcode 5000" in str(rows[0]["evidence"].value)
    assert sources.query(f"ASK {{ <{pic(1)}> <http://www.w3.org/2002/07/owl#sameAs> <{NANOTECH}> }}")


def test_a_reload_writes_the_canonical_iri_straight_away(sources: Sources) -> None:
    load_all(sources)
    linking.link(sources)
    load(sources, "cordis", [DATA / "h2020-organizations.csv"], source="cordis")
    assert organisations(sources) == 6
    links_version = sources.current()["links"].number
    again = linking.link(sources)
    assert again.new == 0 and again.rewritten == []
    assert sources.current()["links"].number == links_version  # nothing new: no new version of the links graph


def review_file(sources: Sources, tmp_path: Path, decision: str) -> Path:
    report = linking.link(sources)
    path = tmp_path / "review.csv"
    linking.write_review(report.review_rows, path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["alias"], r["canonical"]) for r in rows] == [(pic(4), GEO)]
    assert rows[0]["alias_name"] == "GEOMATIQUE WALLONNE SERVICES"
    assert rows[0]["canonical_name"] == "Géomatique Wallonne SRL"
    assert rows[0]["canonical_sources"] == "members"
    rows[0]["decision"] = decision
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, linking.REVIEW_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("decision", "organisations_after"), [("accept", 5), ("reject", 6)])
def test_the_analysts_decision_holds_over_reloads(sources: Sources, tmp_path: Path, decision: str,
                                                  organisations_after: int) -> None:
    load_all(sources)
    assert linking.record_decisions(sources, review_file(sources, tmp_path, decision)) == 1
    report = linking.link(sources)
    assert report.count("review") == 0
    assert organisations(sources) == organisations_after
    for _ in range(2):  # a reload of every source, then of CORDIS again: the word still holds
        load_all(sources)
        report = linking.link(sources)
        assert report.count("review") == 0 and organisations(sources) == organisations_after
    statuses = {lk.status for lk in report.links if {lk.alias, lk.canonical} == {pic(4), GEO}}
    assert statuses == {"applied" if decision == "accept" else "rejected"}


def test_rejecting_an_applied_link_names_the_sources_to_reload_and_the_reload_separates(
        sources: Sources, tmp_path: Path) -> None:
    load_all(sources)
    linking.link(sources)
    path = tmp_path / "decisions.csv"
    path.write_text(f"alias;canonical;decision\n{pic(1)};{NANOTECH};reject\n", encoding="utf-8")
    linking.record_decisions(sources, path)
    report = linking.link(sources)
    assert "cordis" in report.to_reload
    load(sources, "cordis", [DATA / "h2020-organizations.csv"], source="cordis")
    linking.link(sources)
    assert organisations(sources) == 7  # Nanotech's CORDIS record stands alone again
    assert "cordis" in graphs_naming(sources, pic(1))


def test_a_bad_decisions_file_names_file_row_and_column_and_writes_nothing(sources: Sources, tmp_path: Path) -> None:
    load_all(sources)
    linking.link(sources)
    before = sources.current()
    path = tmp_path / "decisions.csv"
    path.write_text(f"alias;canonical;decision\n{pic(4)};{GEO};maybe\nnot-an-iri;{GEO};accept\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        linking.record_decisions(sources, path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}:2:decision: 'maybe' is neither accept nor reject",
        f"{path}:3:alias: 'not-an-iri' is no IRI of this knowledge graph",
    ]
    assert sources.current() == before


def test_two_enterprise_numbers_are_never_merged_whatever_the_names(sources: Sources, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Numéro d'entreprise;Nom;Code postal;Localité\n"
                    "0450.555.595;Nanotech Materials SA;5000;Namur\n"
                    "0450.666.651;Nanotech Materials SA;5000;Namur\n", encoding="utf-8")
    load(sources, "members", [path])
    report = linking.link(sources)
    assert report.links == [] and organisations(sources) == 2


def test_ecokg_link_on_the_command_line(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as cli:
        run(cli, "load", "members", str(DATA / "members.csv"))
        out = run(cli, "load", "cordis", str(DATA / "h2020-organizations.csv"), "--source", "cordis")
        assert "linked: 2 alias IRI(s)" in out and "2 new (2 by name)" in out
        assert "1 pair(s) to review" in out
        out = run(cli, "link", "--review", str(tmp_path / "review.csv"))
        assert "0 new" in out and "review: 1 pair(s) written" in out
        assert (tmp_path / "review.csv").read_text(encoding="utf-8-sig").count("\n") == 2


def test_an_alias_iri_redirects_to_its_canonical_entity_page(sources: Sources) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    load_all(sources)
    linking.link(sources)
    client = TestClient(create_app(sources, url="http://testserver"))
    moved = client.get("/id/org/pic-900000001?format=ttl", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == "/id/org/be-0450555595?format=ttl"
    page = client.get("/id/org/pic-900000001", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and "NANOTECH MATERIALS" in page.text
    assert client.get("/id/org/pic-900000006", follow_redirects=False).status_code == 200  # no alias: itself
