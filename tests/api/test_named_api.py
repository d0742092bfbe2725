"""Named queries over HTTP (/api/v1/queries): the list, typed parameters, pages, formats, ETags and access.

Expected rows are worked out by hand from tests/data/analytics/README.md (keys M1..M8, W1..W4, B1..B4 as
there); tests/queries/test_gap_queries.py gives the reasoning for the technology gap in full.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from named_support import BIOWIN, DATA, TECH, WAGRALIM, Api, api_over, load_analytics, problems
from openpyxl import load_workbook

from api import named
from api.formats import XLSX
from graph.sources import Sources
from loaders.run import load

COVERAGE = "/api/v1/queries/pole-digital-coverage"
GAP = "/api/v1/queries/technology-gap"
HPC = f"{TECH}high-performance-computing"


@pytest.fixture
def api(sources: Sources) -> Api:
    return api_over(load_analytics(sources))


def test_the_list_names_every_public_query_with_its_parameters(api: Api) -> None:
    listed = {q["name"]: q for q in api.json("/api/v1/queries")}
    assert {"technology-gap", "pole-digital-coverage", "isolated-actors", "eu-mentors"} <= set(listed)
    assert not {"neighbours", "entity-labels", "resolve-actor"} & set(listed)  # tagged internal
    gap = listed["technology-gap"]
    assert gap["url"] == "http://testserver/api/v1/queries/technology-gap"
    assert gap["page_size"] == 50 and "gaps" in gap["tags"] and gap["summary"].startswith("Technology gap")
    assert [p["name"] for p in gap["params"]] == ["pole", "region", "year_from", "year_to", "max_supply"]
    assert gap["params"][0] == {"name": "pole", "type": "iri", "kind": "pole", "required": False, "default": None,
                                "allowed": None, "multi": True,
                                "description": "Only the demand of these poles (their projects and their member "
                                               "firms)."}
    firms = listed["eu-mentors"]["params"][0]
    assert (firms["type"], firms["allowed"], firms["default"]) == ("enum", ["members", "all"], "members")
    assert listed["pole-digital-coverage"]["page_size"] is None


def test_rows_as_json_with_the_page_they_are(api: Api) -> None:
    # README: BioWin 4 projects, 3 with a digital partner, B3 needs digital without one; Wagralim 4, 2, W4
    page = api.json(COVERAGE, read=True)
    assert page["columns"] == ["pole", "pole_label", "projects", "projects_with_digital_partner", "share",
                               "projects_needing_digital_without_partner"]
    assert page["rows"] == [
        {"pole": BIOWIN, "pole_label": "BioWin", "projects": 4, "projects_with_digital_partner": 3, "share": 0.75,
         "projects_needing_digital_without_partner": 1},
        {"pole": WAGRALIM, "pole_label": "Wagralim", "projects": 4, "projects_with_digital_partner": 2,
         "share": 0.5, "projects_needing_digital_without_partner": 1},
    ]
    # no page size of its own: the API's bound
    assert (page["offset"], page["limit"], page["has_more"], page["next"]) == (0, named.MAX_LIMIT, False, None)


def test_repeated_parameters_are_several_values(api: Api) -> None:
    def hpc(query: str) -> dict[str, object]:
        return next(r for r in api.json(f"{GAP}?{query}", read=True)["rows"] if r["technology"] == HPC)

    # HPC is needed by W2 (Wagralim), B2 and B4 (BioWin, B4 through numerical simulation)
    assert hpc("pole=biowin")["demand_projects"] == 2
    assert hpc("pole=biowin&pole=wagralim")["demand_projects"] == 3
    assert hpc("pole=wagralim")["demand_projects"] == 1


def test_parameter_errors_are_422_naming_the_parameter(api: Api) -> None:
    assert problems(api.get(f"{GAP}?region=B")) == [
        (["query", "region"], "parameter 'region' (iri): 'B': not a NUTS code (e.g. BE3, BE32, BE332)")]
    assert problems(api.get(f"{GAP}?year_from=soon"))[0][0] == ["query", "year_from"]
    assert problems(api.get(f"{GAP}?region=BE3&region=BE33")) == [
        (["query", "region"], "parameter 'region' takes one value, not 2")]
    assert problems(api.get(f"{GAP}?colour=blue")) == [
        (["query", "colour"], "query 'technology-gap' has no parameter 'colour' "
                              "(it has: pole, region, year_from, year_to, max_supply)")]
    assert problems(api.get("/api/v1/queries/firm-labs")) == [(["query", "firm"], "parameter 'firm' is required")]
    # the API's own parameters, checked by FastAPI in the same shape
    assert problems(api.get(f"{GAP}?limit={named.MAX_LIMIT + 1}"))[0][0] == ["query", "limit"]
    assert problems(api.get(f"{GAP}?offset=-1"))[0][0] == ["query", "offset"]
    assert problems(api.get(f"{GAP}?offset={10**20}"))[0][0] == ["query", "offset"]  # beyond what Python slices
    assert api.json(f"{GAP}?offset={named.MAX_OFFSET}")["rows"] == []
    assert problems(api.get(f"{GAP}?format=pdf"))[0][0] == ["query", "format"]


def test_unknown_and_internal_queries_are_not_found(api: Api) -> None:
    for name in ("no-such-query", "neighbours"):
        answer = api.get(f"/api/v1/queries/{name}")
        assert answer.status_code == 404
        assert answer.json()["detail"].startswith(f"no named query '{name}' (known: actors-by-region, adoption-gap, ")


def test_pages_follow_next_links_with_the_same_parameters(api: Api) -> None:
    # 18 technologies have some demand with the key (test_gap_queries.TECHNOLOGY_GAP): pages of 5, 5, 5, 3
    whole = api.json(GAP, read=True)
    assert (len(whole["rows"]), whole["limit"], whole["has_more"]) == (18, 50, False)
    url: str | None = f"{GAP}?limit=5"
    rows, sizes = [], []
    while url:
        answer = api.get(url, read=True)
        page = answer.json()
        rows += page["rows"]
        sizes.append(len(page["rows"]))
        if page["next"]:
            assert answer.headers["link"] == f'<{page["next"]}>; rel="next"'
        else:
            assert "link" not in answer.headers and not page["has_more"]
        url = page["next"]
    assert sizes == [5, 5, 5, 3] and rows == whole["rows"]

    first = api.json(f"{GAP}?pole=biowin&pole=wagralim&limit=2", read=True)
    following = urlsplit(first["next"])
    assert (following.scheme, following.netloc, following.path) == ("http", "testserver", GAP)
    assert parse_qs(following.query) == {"pole": ["biowin", "wagralim"], "offset": ["2"], "limit": ["2"]}


EXPECTED_CSV = (
    "pole,pole_label,projects,projects_with_digital_partner,share,projects_needing_digital_without_partner\n"
    f"{BIOWIN},BioWin,4,3,0.75,1\n"
    f"{WAGRALIM},Wagralim,4,2,0.5,1\n"
)


def test_csv_by_parameter_or_by_accept(api: Api) -> None:
    for answer in (api.get(f"{COVERAGE}?format=csv", read=True),
                   api.get(COVERAGE, read=True, headers={"Accept": "text/csv"})):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "text/csv; charset=utf-8"
        assert answer.headers["content-disposition"] == 'attachment; filename="pole-digital-coverage.csv"'
        assert answer.text == EXPECTED_CSV


def test_xlsx_is_a_workbook_with_a_frozen_bold_filtered_header(api: Api) -> None:
    answer = api.get(COVERAGE, read=True, headers={"Accept": XLSX})
    assert answer.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["pole", "pole_label", "projects", "projects_with_digital_partner", "share",
         "projects_needing_digital_without_partner"],
        [BIOWIN, "BioWin", 4, 3, 0.75, 1],
        [WAGRALIM, "Wagralim", 4, 2, 0.5, 1],
    ]
    assert all(c.font.b for c in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F3"
    assert sheet["C2"].data_type == "n"  # numbers stay numbers


def test_xlsx_never_turns_data_into_formulas(sources: Sources, tmp_path: Path) -> None:
    # four cluster members whose names start with = @ + -, in no project and no pole: all isolated
    members = tmp_path / "members.csv"
    members.write_text(
        "Numéro d'entreprise;Nom;Rue;Code postal;Localité\n"
        '0460.000.130;=HYPERLINK("http://evil.example","click");Rue 1;4000;Liège\n'
        "0460.000.229;@SUM(A1:A9);Rue 2;5000;Namur\n"
        "0460.000.328;+32 Trade;Rue 3;7000;Mons\n"
        "0460.000.427;-1+1;Rue 4;7000;Mons\n", encoding="utf-8")  # check digits: 97 - (04600001..4 mod 97)
    load(sources, "members", [members])
    answer = api_over(sources).get("/api/v1/queries/isolated-actors?format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    names = [(c.value, c.data_type) for c in sheet["B"][1:]]  # ordered by label: + - = @
    assert names == [("+32 Trade", "s"), ("-1+1", "s"), ('=HYPERLINK("http://evil.example","click")', "s"),
                     ("@SUM(A1:A9)", "s")]


def test_what_cannot_be_produced_is_406(api: Api) -> None:
    assert api.get(GAP, headers={"Accept": "application/xml"}).status_code == 406
    assert api.get(f"{GAP}?format=json", headers={"Accept": "application/xml"}).status_code == 200  # asked for
    browser = api.get(GAP, headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.headers["content-type"] == "application/json"
    assert api.get(GAP, headers={"Accept": "text/csv;q=0.5, application/json"}).headers["content-type"] == \
        "application/json"


def test_etag_answers_304_without_running_the_query(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    first = api.get(COVERAGE, read=True)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert api.get(COVERAGE, read=True).headers["etag"] == tag  # the same question, the same data

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the query ran")

    monkeypatch.setattr(named, "run", refuse)
    again = api.get(COVERAGE, read=True, headers={"If-None-Match": f'"other", {tag}'})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert api.get(COVERAGE, read=True, headers={"If-None-Match": "*"}).status_code == 304


def test_etag_differs_by_parameters_format_page_and_access(api: Api) -> None:
    def tag(url: str, read: bool = True, accept: str = "application/json") -> str:
        answer = api.get(url, read=read, headers={"Accept": accept})
        assert answer.status_code == 200
        return answer.headers["etag"]

    tags = [tag(GAP), tag(f"{GAP}?pole=biowin"), tag(f"{GAP}?pole=wagralim"), tag(f"{GAP}?format=csv"),
            tag(GAP, accept="text/csv"), tag(GAP, accept=XLSX), tag(f"{GAP}?offset=5"), tag(f"{GAP}?limit=5"),
            tag(GAP, read=False), tag(COVERAGE)]
    assert len(set(tags)) == len(tags)
    assert tag(f"{GAP}?pole=biowin&pole=wagralim") == tag(f"{GAP}?pole=biowin&pole=wagralim")


def test_a_new_load_changes_the_etag(api: Api, sources: Sources) -> None:
    before = api.get(GAP)
    load(sources, "members", [DATA / "members.csv"])  # the same file: a new version of the source all the same
    after = api.get(GAP, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]


def test_anonymous_callers_see_public_sources_only(api: Api) -> None:
    # no project is public: no pole has a visible project
    assert api.json(COVERAGE)["rows"] == []
    assert [r["pole_label"] for r in api.json(COVERAGE, read=True)["rows"]] == ["BioWin", "Wagralim"]
    # anonymous demand is the members' own needs (M1 ERP, M2 cybersecurity); HPC is needed by projects only
    anonymous = {r["technology"] for r in api.json(GAP)["rows"]}
    assert anonymous == {f"{TECH}cybersecurity", f"{TECH}erp", f"{TECH}digital-transformation"}
    assert HPC in {r["technology"] for r in api.json(GAP, read=True)["rows"]}
    assert api.get(GAP, headers={"Authorization": "Bearer not-a-key"}).status_code == 403
