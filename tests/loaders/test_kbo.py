"""The KBO/BCE loader on the real sample rows of the open-data extract (tests/data/kbo/extract, copied from
../shared/data/kbo/*_sample.csv under the real file names). Every expectation is worked out by hand from
those rows; tests/data/kbo/expected-wallonia.ttl says how."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.errors import EcokgError
from graph.sources import Sources
from loaders.kbo_extract import NumberSet, kbo_number
from loaders.run import load
from ontology.vocab import NACE, T

BASE = "http://example.org/"  # the fixtures' base IRI (tests/conftest.py)
DATA = Path(__file__).parents[1] / "data"
EXTRACT = DATA / "kbo" / "extract"
ORG = f"{BASE}id/org/be-"
KBO = f"{BASE}id/kbo/"


def triples(sources: Sources, source: str = "kbo") -> set[tuple[ox.NamedNode, ox.NamedNode, object]]:
    graph = sources.current()[source].graph
    return {(q.subject, q.predicate, q.object) for q in sources.store.quads(graph)}  # type: ignore[misc]


def organisations(sources: Sources) -> set[str]:
    return {s.value.removeprefix(ORG) for s, p, o in triples(sources)
            if p == T.rdf.type and o == T.rov.RegisteredOrganization}


def objects(sources: Sources, subject: str, predicate: ox.NamedNode) -> set[object]:
    return {o for s, p, o in triples(sources) if s == ox.NamedNode(subject) and p == predicate}


def test_the_sample_extract_loads_its_walloon_part_by_default(sources: Sources) -> None:
    report = load(sources, "kbo", [EXTRACT])
    assert report.source == "kbo"
    got = Graph().parse(data=ox.serialize((ox.Triple(*t) for t in triples(sources)), format=ox.RdfFormat.N_TRIPLES),
                        format="nt")
    expected = Graph().parse(DATA / "kbo" / "expected-wallonia.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(f"only in output:\n{only_got.serialize(format='nt')}\nonly expected:\n"
                    f"{only_expected.serialize(format='nt')}")
    # provenance: every file of the extract read, with its digest
    assert sorted(name for name, _ in sources.current()["kbo"].files) == sorted(p.name for p in EXTRACT.iterdir())


def test_the_walloon_filter_keeps_exactly_the_enterprises_counted_by_hand(sources: Sources) -> None:
    # seats in Wallonia: 0200.362.210, 0200.362.408, 0201.105.843, 0400.357.897; only the first two are in
    # enterprise.csv (10 enterprises, all others in Flanders)
    load(sources, "kbo", [EXTRACT], region="BE3")
    assert organisations(sources) == {"0200362210", "0200362408"}
    load(sources, "kbo", [EXTRACT], region="BE2")  # Flanders: the eight others
    assert organisations(sources) == {"0200065765", "0200068636", "0200171970", "0200245711", "0200305493",
                                      "0200420410", "0200420608", "0200448421"}
    load(sources, "kbo", [EXTRACT], region="BE332")  # arrondissement of Liège: none of them
    assert organisations(sources) == set()
    load(sources, "kbo", [EXTRACT], region="all")
    assert len(organisations(sources)) == 10


def test_an_establishment_unit_in_wallonia_brings_its_enterprise(sources: Sources, tmp_path: Path) -> None:
    """Hand-made rows on top of the sample: a unit of Farys (Gent) in Namur, and one in Gent of Veneco."""
    extract = shutil.copytree(EXTRACT, tmp_path / "extract")
    with (extract / "establishment.csv").open("a", encoding="utf-8") as f:
        f.write('"2.000.000.537",01-03-2001,"0200.068.636"\n"2.000.000.636",01-03-2001,"0200.065.765"\n')
    with (extract / "address.csv").open("a", encoding="utf-8") as f:
        f.write('"2.000.000.537","BAET",,,"5000","Namen","Namur","Rue de Fer","Rue de Fer","1","2","",\n')
        f.write('"2.000.000.636","BAET",,,"9000","Gent","Gent","Stropstraat","Stropstraat","3","","",\n')
    with (extract / "denomination.csv").open("a", encoding="utf-8") as f:
        f.write('"2.000.000.537","1","003","Farys Namur"\n')
    load(sources, "kbo", [extract])
    assert organisations(sources) == {"0200362210", "0200362408", "0200068636"}
    site = f"{BASE}id/site/be-2000000537"
    assert objects(sources, f"{ORG}0200068636", T.org.hasSite) == {ox.NamedNode(site)}
    assert objects(sources, site, T.skos.prefLabel) == {ox.Literal("Farys Namur", language="fr")}
    address = f"{site}#address-baet"
    assert objects(sources, address, T.eco.nuts3) == {ox.NamedNode("http://data.europa.eu/nuts/code/BE352")}
    assert objects(sources, address, T.locn.locatorDesignator) == {ox.Literal("1 bte 2")}
    # the Gent unit of Veneco does not bring Veneco, and Farys's seat (Gent) is loaded with it
    assert objects(sources, f"{ORG}0200068636#address-rego", T.locn.postCode) == {ox.Literal("9000")}


def test_names_carry_their_language(sources: Sources) -> None:
    load(sources, "kbo", [EXTRACT], region="all")
    assert objects(sources, f"{ORG}0200065765", T.rov.legalName) == {
        ox.Literal("Intergemeentelijke Vereniging Veneco", language="nl")}
    assert objects(sources, f"{ORG}0200065765", T.schema.alternateName) == {ox.Literal("Veneco", language="nl")}
    assert objects(sources, f"{ORG}0200362408", T.skos.prefLabel) == {
        ox.Literal("Intercommunale Sociale du Brabant wallon", language="fr")}
    # language 0 (unknown): a plain literal
    assert objects(sources, f"{ORG}0200171970", T.rov.legalName) == {ox.Literal("Sanatorium-Hospitaal van Lemberge")}


def test_activities_keep_code_version_group_and_classification(sources: Sources) -> None:
    load(sources, "kbo", [EXTRACT], region="all")
    got = triples(sources)
    activities = {s for s, p, o in got if p == T.rdf.type and o == T.eco.RegisteredActivity}
    assert len(activities) == 19  # every row of activity.csv: its three enterprises are in enterprise.csv
    versions = {}
    for s, p, o in got:
        if p == T.eco.naceVersion:
            versions[s.value.removeprefix(KBO)] = o.value  # type: ignore[union-attr]
    assert versions == {
        "nace2003/70111": "2003", "nace2003/41000": "2003", "nace2003/45213": "2003",
        "nace2008/84130": "2008", "nace2008/41101": "2008", "nace2008/36000": "2008", "nace2008/93110": "2008",
        "nace2008/93299": "2008", "nace2008/93126": "2008",
        "nace2025/84130": "2025", "nace2025/68121": "2025", "nace2025/36000": "2025", "nace2025/93110": "2025",
        "nace2025/93299": "2025", "nace2025/93126": "2025", "nace2025/41003": "2025",
    }
    activity = ox.NamedNode(f"{ORG}0200068636#activity-2008-93126-001-seco")
    assert {(p, o) for s, p, o in got if s == activity} == {
        (T.rdf.type, T.eco.RegisteredActivity),
        (T.eco.naceCode, ox.NamedNode(f"{KBO}nace2008/93126")),
        (T.eco.activityGroup, ox.NamedNode(f"{KBO}activitygroup/001")),
        (T.eco.activityClassification, ox.NamedNode(f"{KBO}classification/SECO")),
    }
    # code.csv labels the groups and classifications in French and Dutch
    assert objects(sources, f"{KBO}activitygroup/006", T.skos.prefLabel) == {
        ox.Literal("Activités ONSS", language="fr"), ox.Literal("RSZ-activiteiten", language="nl")}
    # main activities (2008 and 2025 versions) are the organisation's rov:orgActivity; 2003 is history
    assert objects(sources, f"{ORG}0200065765", T.rov.orgActivity) == {
        ox.NamedNode(f"{KBO}nace2008/84130"), ox.NamedNode(f"{KBO}nace2008/41101"),
        ox.NamedNode(f"{KBO}nace2025/84130"), ox.NamedNode(f"{KBO}nace2025/68121")}


def test_nace_2008_codes_are_linked_to_their_rev2_class_and_the_others_are_not(sources: Sources) -> None:
    load(sources, "kbo", [EXTRACT], region="all")
    links = {(s.value.removeprefix(KBO), o) for s, p, o in triples(sources) if p == T.skos.broadMatch}
    assert links == {
        ("nace2008/84130", ox.NamedNode(NACE["84.13"])), ("nace2008/41101", ox.NamedNode(NACE["41.10"])),
        ("nace2008/36000", ox.NamedNode(NACE["36.00"])), ("nace2008/93110", ox.NamedNode(NACE["93.11"])),
        ("nace2008/93299", ox.NamedNode(NACE["93.29"])), ("nace2008/93126", ox.NamedNode(NACE["93.12"])),
    }


def test_with_nace_loaded_an_organisation_is_found_by_its_nace_section(sources: Sources) -> None:
    """Main activity in section O (public administration) through NACE Rev.2: Veneco only (84130 in 2008);
    SOLVA's 84130 is a 2025 code, kept but not linked."""
    load(sources, "kbo", [EXTRACT], region="all")
    load(sources, "taxonomy", [DATA / "nace" / "nace_r2_ramon_w3c-dpv.ttl"])
    rows = sources.store.query(
        "SELECT DISTINCT ?org WHERE { ?org rov:orgActivity ?bel . ?bel skos:broadMatch ?class . "
        "?class eco:within <http://ec.europa.eu/eurostat/ramon/rdfdata/nace_r2/O> }",
        dataset=sources.dataset(), prefixes={"rov": "http://www.w3.org/ns/regorg#",
                                             "skos": "http://www.w3.org/2004/02/skos/core#",
                                             "eco": "https://w3id.org/ecokg/def#"})
    assert [row["org"].value for row in rows] == [f"{ORG}0200065765"]  # type: ignore[union-attr, index]


def test_an_enterprise_list_selects_alone_or_with_a_region(sources: Sources, tmp_path: Path) -> None:
    listed = tmp_path / "list.txt"
    listed.write_text("# members of the cluster\nBE 0200.065.765\n0200068636  # Farys\n\n", encoding="utf-8")
    load(sources, "kbo", [EXTRACT], enterprises=listed)
    assert organisations(sources) == {"0200065765", "0200068636"}
    load(sources, "kbo", [EXTRACT], enterprises=listed, region="BE3")
    assert organisations(sources) == {"0200065765", "0200068636", "0200362210", "0200362408"}
    members = tmp_path / "members.csv"  # a member directory works as a list too
    members.write_text("Numéro d'entreprise;Nom\n0200.420.410;Congrégation\n", encoding="utf-8")
    load(sources, "kbo", [EXTRACT], enterprises=members)
    assert organisations(sources) == {"0200420410"}


def test_status_reports_the_files_being_read(sources: Sources) -> None:
    heard: list[str] = []
    load(sources, "kbo", [EXTRACT], status=heard.append)
    # pass 1 reads address, establishment and branch; pass 2 every table
    assert [h.split(":")[0] for h in heard if h.endswith("reading")] == [
        "address.csv", "establishment.csv", "branch.csv", "enterprise.csv", "establishment.csv", "branch.csv",
        "denomination.csv", "address.csv", "contact.csv", "activity.csv"]


def test_region_and_kind_checks(sources: Sources, tmp_path: Path) -> None:
    with pytest.raises(EcokgError, match="not a Belgian NUTS 2021 code"):
        load(sources, "kbo", [EXTRACT], region="FR1")
    with pytest.raises(EcokgError, match="one directory"):
        load(sources, "kbo", [EXTRACT / "enterprise.csv"])
    with pytest.raises(EcokgError, match="kbo loads only"):
        load(sources, "members", [EXTRACT / "enterprise.csv"], updates=[tmp_path])


def test_number_sets_and_numbers() -> None:
    numbers = NumberSet()
    for text in ("0200.065.765", "2.000.000.339", "9.000.006.626", "0200.065.765"):
        numbers.add(kbo_number(text))
    assert numbers.count == 3
    assert kbo_number("0200.065.765") in numbers and kbo_number("0200.068.636") not in numbers
    with pytest.raises(ValueError, match="check digits"):
        kbo_number("0200.065.766")
    with pytest.raises(ValueError, match="not a KBO number"):
        kbo_number("200.065.765")
