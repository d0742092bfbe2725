"""`ecokg load cordis` on real CORDIS slices (tests/data/cordis/, origins in tests/data/README.md).

Every expected number was counted from the files with awk, not with ecokg (the commands are in the comments):
- h2020_organization_BE.csv: awk -F'","' 'NR>1{n++; p[$1]; o[$3]} END{print n, length(p), length(o)}'
  -> 281 rows, 173 projects, 148 PICs; the nodes (a valid BE VAT number's digits, else the PIC, check digits
  worked out in awk) -> 148: 124 enterprise-number nodes and 24 PIC nodes (no two PICs share a VAT number).
- Walloon rows (postcode 1300-1499 or 4000-7999; the file's own region_from_postcode agrees: 19 rows)
  -> 15 projects; the rows of those projects -> 34 participations of 24 organisations.
- h2020_organization_head1000.csv (the first 1,000 rows of the real slice): 131 projects, 833 PICs, 833 nodes;
  country BE -> 54 rows in 29 projects, whose rows -> 474 participations of 420 organisations;
  Walloon BE rows -> 5 projects, 120 participations.
- fp7_organizations_BE.csv: 1,210 rows and PICs; the last part of the address is a Walloon postcode (B- or BE
  prefix allowed) in 159 rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.sources import Sources
from loaders.run import load
from ontology.vocab import ESV, NUTS, T

DATA = Path(__file__).resolve().parents[1] / "data" / "cordis"
BE = DATA / "h2020_organization_BE.csv"
HEAD = DATA / "h2020_organization_head1000.csv"
FP7_BE = DATA / "fp7_organizations_BE.csv"
HE = [DATA / f"he_{name}_head100.csv" for name in ("project", "organization", "euroSciVoc", "topics", "legalBasis")]
BASE = "http://example.org/"


class Graph:
    """The triples of one source's current version, and a few questions about them."""

    def __init__(self, sources: Sources, source: str) -> None:
        graph = sources.current()[source].graph
        self.triples = {(q.subject, q.predicate, q.object) for q in sources.store.quads(graph)}

    def subjects(self, cls: ox.NamedNode) -> set[ox.NamedNode]:
        return {s for s, p, o in self.triples if p == T.rdf.type and o == cls}

    def values(self, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[object]:
        return {o for s, p, o in self.triples if s == subject and p == predicate}

    def value(self, subject: ox.NamedNode, predicate: ox.NamedNode) -> object:
        [found] = self.values(subject, predicate)
        return found.value if isinstance(found, ox.Literal) else found

    def organisations(self) -> set[object]:
        return {s for s, p, _ in self.triples if p == T.eco.pic}

    def address(self, org: ox.NamedNode, pic: str) -> ox.NamedNode:
        """The organisation's one address in this source, named after the PIC whose row gave it."""
        [found] = self.values(org, T.locn.address)
        assert isinstance(found, ox.NamedNode)
        assert re.fullmatch(re.escape(f"{org.value}#address-pic-{pic}-") + "[0-9a-f]{8}", found.value), found
        return found


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(BASE + path)


@pytest.fixture
def belgian(sources: Sources) -> Graph:
    report = load(sources, "cordis", [BE])
    assert report.source == "cordis" and report.rows == 281 and report.review == []
    return Graph(sources, "cordis")


def test_the_belgian_slice_loads_with_its_counts(belgian: Graph) -> None:
    assert len(belgian.subjects(T.eco.Participation)) == 281
    assert len(belgian.subjects(T.eco.Project)) == 173
    organisations = belgian.organisations()
    assert len(organisations) == 148
    assert sum(o.value.startswith(BASE + "id/org/be-") for o in organisations) == 124  # type: ignore[attr-defined]
    assert sum(o.value.startswith(BASE + "id/org/pic-") for o in organisations) == 24  # type: ignore[attr-defined]


def test_a_belgian_vat_number_makes_the_enterprise_number_node(belgian: Graph) -> None:
    # row 2: "998805800","BE0436195241","ALSTOM BELGIUM SA",...,"RUE CAMBIER DUPRET 50-52","6001","Charleroi"
    alstom = iri("id/org/be-0436195241")
    assert belgian.value(alstom, T.eco.pic) == "998805800"
    assert belgian.value(alstom, T.eco.enterpriseNumber) == "0436.195.241"
    assert belgian.value(alstom, T.eco.vatNumber) == "BE0436195241"
    assert belgian.value(alstom, T.rov.legalName) == "ALSTOM BELGIUM SA"
    assert belgian.value(alstom, T.eco.activityType) == "PRC"
    assert belgian.value(alstom, T.eco.sme) == "false"
    assert belgian.values(alstom, T.rdf.type) == {T.eco.Company, T.org.FormalOrganization, T.rov.RegisteredOrganization}
    # 6001 is Marcinelle, in Charleroi (NIS 52011), arrondissement Charleroi = NUTS 3 BE32B; nutsCode is empty
    address = belgian.address(alstom, "998805800")
    assert belgian.value(address, T.locn.postCode) == "6001"
    assert belgian.value(address, T.locn.adminUnitL1) == "BE"
    assert belgian.value(address, T.eco.municipality) == iri("id/municipality/52011")
    assert belgian.value(address, T.eco.nuts3) == ox.NamedNode(f"{NUTS}BE32B")
    assert belgian.value(address, T.eco.province) == ox.NamedNode(f"{NUTS}BE32")
    # its two rows (X2Rail-5, X2Rail-3) are two participations as a linked third party
    parts = {s for s, p, o in belgian.triples if p == T.eco.participant and o == alstom}
    assert {belgian.value(p, T.eco.sourceRole) for p in parts} == {"thirdParty"}
    assert {belgian.value(p, T.eco.role) for p in parts} == {"associated"}


def test_a_coordinator_with_its_contribution_and_a_decimal_comma_cost(belgian: Graph) -> None:
    # row 14: "641606",...,"969448459","BE0870498190","M3 SYSTEMS BELGIUM",...,"1300","Wavre",...,"coordinator",
    # "946968.75","946968.75","1352812,5"
    firm = iri("id/org/be-0870498190")
    p = iri("id/participation/cordis-641606/be-0870498190/1")
    assert belgian.value(p, T.eco.project) == iri("id/project/cordis-641606")
    assert belgian.value(p, T.eco.participant) == firm
    assert belgian.value(p, T.eco.role) == "coordinator"
    assert Decimal(belgian.value(p, T.eco.contribution)) == Decimal("946968.75")  # type: ignore[arg-type]
    assert Decimal(belgian.value(p, T.eco.netContribution)) == Decimal("946968.75")  # type: ignore[arg-type]
    assert Decimal(belgian.value(p, T.eco.cost)) == Decimal("1352812.5")  # type: ignore[arg-type]
    # Wavre (NIS 25112) is in Walloon Brabant, one NUTS 3 (BE310)
    address = belgian.address(firm, "969448459")
    assert belgian.value(address, T.eco.nuts3) == ox.NamedNode(f"{NUTS}BE310")
    assert belgian.value(address, T.eco.municipality) == iri("id/municipality/25112")


def test_organisations_without_vat_number_keep_their_pic_node(belgian: Graph) -> None:
    # "957376421","","PARTNERSHIP FOR ADVANCED COMPUTING IN EUROPE AISBL" (no VAT number)
    prace = iri("id/org/pic-957376421")
    assert belgian.value(prace, T.rov.legalName) == "PARTNERSHIP FOR ADVANCED COMPUTING IN EUROPE AISBL"
    assert belgian.values(prace, T.eco.enterpriseNumber) == set()


def test_special_brussels_postcodes_and_swapped_cells_still_find_their_region(belgian: Graph) -> None:
    # 1049 (EU institutions) names no municipality: its bpost range gives Brussels, one NUTS 3 (BE100).
    # A row with postCode "BRUSSELS" and city "1040" is read the right way round.
    jrc = {s for s, p, o in belgian.triples if p == T.locn.postCode and o == ox.Literal("1049")}
    assert jrc and all(belgian.value(a, T.eco.nuts3) == ox.NamedNode(f"{NUTS}BE100") for a in jrc)
    # row 31: "893304914","BE0807605667","FORUM DES PATIENTS EUROPEENS",...,"BRUSSELS","1040". 1040 serves
    # Brussels (21004) and Etterbeek (21005); "BRUSSELS" names neither exactly: the lower NIS code (geography)
    forum = belgian.address(iri("id/org/be-0807605667"), "893304914")
    assert (belgian.value(forum, T.locn.postCode), belgian.value(forum, T.locn.postName)) == ("1040", "BRUSSELS")
    assert belgian.value(forum, T.eco.municipality) == iri("id/municipality/21004")


def semicolon_dialect(source: Path, target: Path) -> None:
    """The same rows as CORDIS ships them: `;`, quoted only where needed, every amount with a decimal comma."""
    with source.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    amounts = {rows[0].index(c) for c in ("ecContribution", "netEcContribution", "totalCost")}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([cell.replace(".", ",") if i in amounts else cell for i, cell in enumerate(row)])
    target.write_text(out.getvalue(), encoding="utf-8-sig")


def test_both_dialects_give_the_same_graph(tmp_path: Path, sources: Sources, belgian: Graph) -> None:
    semicolon = tmp_path / "organization.csv"
    semicolon_dialect(BE, semicolon)
    text = semicolon.read_text(encoding="utf-8-sig")
    assert text.startswith("projectID;") and ";1352812,5;" in text and ";946968,75;" in text
    load(sources, "cordis", [semicolon], source="cordis-semicolon")
    assert Graph(sources, "cordis-semicolon").triples == belgian.triples


def test_region_keeps_projects_with_a_walloon_participant_and_their_consortium(sources: Sources) -> None:
    report = load(sources, "cordis", [BE], region="BE3")
    assert report.rows == 281  # every row is read; only the kept projects' rows are loaded
    g = Graph(sources, "cordis")
    assert len(g.subjects(T.eco.Project)) == 15
    assert len(g.subjects(T.eco.Participation)) == 34
    assert len(g.organisations()) == 24


def test_country_keeps_projects_with_a_belgian_participant_and_their_foreign_partners(sources: Sources) -> None:
    load(sources, "cordis", [HEAD], country="BE")
    g = Graph(sources, "cordis")
    assert len(g.subjects(T.eco.Project)) == 29
    assert len(g.subjects(T.eco.Participation)) == 474
    assert len(g.organisations()) == 420
    load(sources, "cordis", [HEAD], country="be", region="BE3")
    g = Graph(sources, "cordis")
    assert (len(g.subjects(T.eco.Project)), len(g.subjects(T.eco.Participation))) == (5, 120)


def test_an_organisation_twice_in_one_project_is_two_participations(sources: Sources) -> None:
    load(sources, "cordis", [HEAD])
    g = Graph(sources, "cordis")
    assert (len(g.subjects(T.eco.Project)), len(g.organisations())) == (131, 833)
    assert len(g.subjects(T.eco.Participation)) == 1000
    # "740736",..."999857377" (FACULDADE DE CIENCIAS DA UNIVERSIDADE DE LISBOA) at orders 12 and 23
    twice = {s for s, p, o in g.triples if p == T.eco.participant and o == iri("id/org/pic-999857377")
             and g.value(s, T.eco.project) == iri("id/project/cordis-740736")}
    assert {s.value.rsplit("/", 1)[1] for s in twice} == {"12", "23"}  # type: ignore[attr-defined]


def test_horizon_europe_files_together(sources: Sources) -> None:
    report = load(sources, "cordis", HE)
    assert report.source == "cordis-horizon" and report.rows == 500
    g = Graph(sources, "cordis-horizon")
    assert len(g.subjects(T.eco.Project)) == 100
    # project.csv row 2: 101116741,DOE,...,2024-02-01,2029-01-31,1499998,1499998,HORIZON.1.1,ERC-2023-STG,...
    doe = iri("id/project/cordis-101116741")
    assert g.value(doe, T.schema.alternateName) == "DOE"
    assert g.value(doe, T.dcterms.title) == "Digitizing Other Economies: A Comparative Approach"
    assert (g.value(doe, T.schema.startDate), g.value(doe, T.schema.endDate)) == ("2024-02-01", "2029-01-31")
    assert g.value(doe, T.eco.budget) == g.value(doe, T.eco.maxContribution) == "1499998"
    assert g.value(doe, T.eco.programme) == "HORIZON"
    basis, topic = g.value(doe, T.eco.legalBasis), g.value(doe, T.eco.topic)
    assert basis == iri("id/cordis/legal-basis/HORIZON.1.1") and topic == iri("id/cordis/topic/ERC-2023-STG")
    assert g.values(basis, T.skos.prefLabel) == {ox.Literal("European Research Council (ERC)", language="en")}
    assert g.values(topic, T.skos.prefLabel) == {ox.Literal("ERC STARTING GRANTS", language="en")}
    # euroSciVoc.csv row 2: 101116741,/29/97/543,/social sciences/political sciences/government systems,...
    assert g.values(doe, T.dcterms.subject) == {ox.NamedNode(f"{ESV}29_97_543")}
    # a concept of the bundled subset is described there only (queries see one label, not two)
    assert g.values(ox.NamedNode(f"{ESV}29_97_543"), T.skos.prefLabel) == set()
    # organization.csv: STICKYDOT SRL, BE0745750648, nutsCode BE100, coordinator of 101131799
    sticky = iri("id/org/be-0745750648")
    assert g.value(g.address(sticky, "896926700"), T.eco.nuts3) == ox.NamedNode(f"{NUTS}BE100")
    assert g.value(sticky, T.eco.sme) == "true"


def test_a_euroscivoc_concept_outside_the_bundled_subset_keeps_its_code(tmp_path: Path, sources: Sources) -> None:
    path = tmp_path / "euroSciVoc.csv"
    path.write_text("projectID;euroSciVocCode;euroSciVocPath;euroSciVocTitle\n"
                    "641606;/23/43/251/99999999;/natural sciences/physical sciences/optics/test optics;test optics\n",
                    encoding="utf-8")
    load(sources, "cordis", [path])
    g = Graph(sources, "cordis")
    leaf = ox.NamedNode(f"{ESV}23_43_251_99999999")
    assert g.values(iri("id/project/cordis-641606"), T.dcterms.subject) == {leaf}
    assert g.value(leaf, T.skos.notation) == "/23/43/251/99999999"
    assert g.values(leaf, T.skos.prefLabel) == {ox.Literal("test optics", language="en")}
    assert g.value(leaf, T.skos.broader) == ox.NamedNode(f"{ESV}23_43_251")  # in the subset: not described
    assert {s for s, p, _ in g.triples if p == T.skos.notation} == {leaf}


def test_fp7_organisation_list_and_its_walloon_part(sources: Sources) -> None:
    report = load(sources, "cordis", [FP7_BE])
    assert report.source == "cordis-fp7" and report.rows == 1210
    g = Graph(sources, "cordis-fp7")
    assert len(g.organisations()) == 1210
    # "917770642";"BE";"FISH 2 BE NV";"Centrum Zuid 1111, Houthalen-Helchteren, 3530";...
    fish = iri("id/org/pic-917770642")
    address = g.address(fish, "917770642")
    assert (g.value(address, T.locn.thoroughfare), g.value(address, T.locn.postCode),
            g.value(address, T.locn.postName)) == ("Centrum Zuid 1111", "3530", "Houthalen-Helchteren")
    kinds = Counter(item.kind for item in report.review)  # postcodes such as '300' or '3527GV'
    assert set(kinds) == {"postcode"}
    load(sources, "cordis", [FP7_BE], region="BE3")
    assert len(Graph(sources, "cordis-fp7").organisations()) == 159


def test_two_pics_of_one_registered_organisation_are_one_node(tmp_path: Path, sources: Sources) -> None:
    # rows 2 and 3: ALSTOM BELGIUM SA (998805800, BE0436195241) and GEIE DES UTILISATEURS D'ERTMS (952924606,
    # BE0455935830); the second given the first's VAT number, as when one firm registered two PICs
    with BE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[:3]
    rows[2][rows[0].index("vatNumber")] = "BE0436195241"
    path = tmp_path / "organization.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    load(sources, "cordis", [path])
    g = Graph(sources, "cordis")
    alstom = iri("id/org/be-0436195241")
    assert g.organisations() == {alstom}
    assert g.values(alstom, T.eco.pic) == {ox.Literal("998805800"), ox.Literal("952924606")}
    assert g.value(alstom, T.rov.legalName) == "ALSTOM BELGIUM SA"  # one legal name, one address in a source
    assert g.values(alstom, T.skos.altLabel) == {ox.Literal("GEIE DES UTILISATEURS D'ERTMS")}
    assert g.value(g.address(alstom, "998805800"), T.locn.postCode) == "6001"  # the first PIC's row
    assert len(g.subjects(T.eco.Participation)) == 2
