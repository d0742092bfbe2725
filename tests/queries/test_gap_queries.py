"""The gap analyses (queries/gaps/*.rq) on the hand-made ecosystem of tests/data/analytics/.

The fixture's README tells its story and tabulates who offers, needs and studies what; every expected row
below is worked out by hand from those tables (the reasoning is in the comments), never copied from a run.
Keys used in the comments: M1..M8 cluster members, W1..W3 Wagralim members, B1 and B3 BioWin members (M2
Datalys is also a BioWin member, M3 Brixtel also a Wagralim member), projects W1..W4 (Wagralim) and B1..B4
(BioWin). "T counts with its narrower concepts" everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.sources import Sources
from loaders.run import load
from queries.registry import QUERIES_DIR, Result, get, run

DATA = Path(__file__).parents[1] / "data" / "analytics"
BASE = "http://example.org/"
TECH = "https://w3id.org/ecokg/tech/"
NUTS = "http://data.europa.eu/nuts/code/"


def org(digits: str) -> str:
    return f"{BASE}id/org/be-{digits}"


def tech(slug: str) -> str:
    return TECH + slug


def nuts(code: str) -> str:
    return NUTS + code


FICTIVE, DATALYS, BRIXTEL, HAINAUT_CYBER = (org(d) for d in ("0450111177", "0450222233", "0450333386", "0450444442"))
WAVRE_WEB, ARDENNE_IOT, LIEGE_DATA, NAMUR_SOFT = (org(d) for d in ("0450555595", "0450666651", "0450777707",
                                                                   "0450888860"))
FROMAGERIE, BISCUITERIE, BRASSERIE = org("0810111138"), org("0810222291"), org("0810333347")
PHARMALYS, CLINIQUE = org("0620111102"), org("0620333311")
WAGRALIM, BIOWIN = f"{BASE}id/pole/wagralim", f"{BASE}id/pole/biowin"
LAB_HPC, LAB_IMAGE, LAB_DATA, LAB_AGRO = (f"{BASE}id/lab/{k}" for k in ("uliege-hpc", "ucl-image", "unamur-data",
                                                                          "gembloux-agro"))
LABEL = {
    "artificial-intelligence": "artificial intelligence", "bioinformatics": "bioinformatics",
    "computer-vision": "computer vision", "cybersecurity": "cybersecurity", "deep-learning": "deep learning",
    "digital-health": "digital health", "digital-transformation": "digital transformation",
    "digital-twin": "digital twin", "e-invoicing": "e-invoicing", "erp": "enterprise resource planning",
    "high-performance-computing": "high-performance computing", "image-recognition": "image recognition",
    "industrial-iot": "industrial IoT and industry 4.0", "internet-of-things": "internet of things",
    "machine-learning": "machine learning", "medical-imaging-ai": "AI for medical imaging",
    "predictive-maintenance": "predictive maintenance", "simulation": "numerical simulation and modelling",
    "quantum-computing": "quantum computing", "quantum-technologies": "quantum technologies",
    "cryptography": "cryptography", "post-quantum-cryptography": "post-quantum cryptography",
    "business-intelligence": "business intelligence", "crm": "customer relationship management",
    "web-development": "web development",
}


@pytest.fixture
def eco(fresh: Callable[..., Sources]) -> Sources:
    return fresh(load_analytics)


def load_analytics(sources: Sources) -> None:
    """The fixture ecosystem loaded as a user would, every technology label recognised."""
    loads = [
        ("members", [DATA / "members.csv"], None),
        ("labs", [DATA / "labs.csv"], None),
        ("poles", sorted(DATA.glob("wagralim-*.csv")), "wagralim"),
        ("poles", sorted(DATA.glob("biowin-*.csv")), "biowin"),
    ]
    for kind, paths, pole in loads:
        report = load(sources, kind, paths, pole=pole)
        assert not report.review, [str(item) for item in report.review]


def ask(sources: Sources, name: str, **values: Any) -> list[dict[str, Any]]:
    result: Result = run(sources, get(name), values, restricted=True)
    assert not result.has_more
    return result.rows


# -- technology-gap ------------------------------------------------------------------------------------
def gap_row(slug: str, projects: int, firms: int, supply: int, labs: int) -> dict[str, Any]:
    """A technology-gap row; gap_score = (projects + firms) / (supply + 1), compared to the float."""
    return {"technology": tech(slug), "label": LABEL[slug], "demand_projects": projects, "demand_firms": firms,
            "supply": supply, "labs": labs, "gap_score": pytest.approx((projects + firms) / (supply + 1))}


# Every technology with demand, unfiltered. Needs (projects): W1 image-recognition; W2 predictive-maintenance,
# HPC; W4 digital-twin; B1 medical-imaging-ai, deep-learning; B2 bioinformatics, HPC; B3 cybersecurity,
# e-invoicing; B4 simulation (< HPC). Needs (firms): M1 erp; M2 cybersecurity; W1 erp, e-invoicing,
# computer-vision; W2 e-invoicing, predictive-maintenance; W3 e-invoicing; B1 medical-imaging-ai,
# bioinformatics; B3 e-invoicing, deep-learning. Supply (cluster members only): M1 computer-vision,
# deep-learning; M2 machine-learning; M3 e-invoicing, erp; M4 cybersecurity; M5 crm; M6 predictive-maintenance;
# M7 image-recognition; M8 e-invoicing. Labs: HPC: ULIEGE-HPC; UCL-IMAGE computer-vision, deep-learning,
# medical-imaging-ai; UMONS-QUANT post-quantum-cryptography (< cybersecurity); UNAMUR-DATA machine-learning,
# bioinformatics.
TECHNOLOGY_GAP = [
    gap_row("digital-health", 2, 1, 0, 2),  # B1 + B2; B1 (both needs, one firm); labs UCL-IMAGE, UNAMUR-DATA: 3
    gap_row("high-performance-computing", 3, 0, 0, 1),  # W2, B2, B4 (simulation): 3 (IRI after digital-health)
    gap_row("bioinformatics", 1, 1, 0, 1),  # B2; B1: 2
    gap_row("medical-imaging-ai", 1, 1, 0, 1),  # B1; B1: 2
    gap_row("e-invoicing", 1, 4, 2, 0),  # B3; W1 W2 W3 B3; M3 M8: 5/3
    gap_row("digital-transformation", 1, 5, 3, 0),  # B3; M1 W1 W2 W3 B3; M3 M5 (crm) M8: 6/4
    gap_row("artificial-intelligence", 2, 2, 3, 2),  # W1, B1 (deep-learning); W1, B3; M1 M2 M7: 4/4, demand 4
    gap_row("cybersecurity", 1, 1, 1, 1),  # B3; M2 once; M4 (B3 offers it but is no member): 1, demand 2
    gap_row("deep-learning", 1, 1, 1, 1),  # B1; B3; M1; UCL-IMAGE
    gap_row("erp", 0, 2, 1, 0),  # M1, W1; M3
    gap_row("industrial-iot", 1, 1, 1, 0),  # W2; W2; M6
    gap_row("internet-of-things", 1, 1, 1, 0),
    gap_row("predictive-maintenance", 1, 1, 1, 0),
    gap_row("digital-twin", 1, 0, 0, 0),  # W4: 1, demand 1
    gap_row("simulation", 1, 0, 0, 0),  # B4; ULIEGE-HPC's expertise is the broader HPC: no lab
    gap_row("computer-vision", 1, 1, 2, 1),  # W1 (image recognition); W1; M1 + M7 (narrower); UCL-IMAGE: 2/3
    gap_row("machine-learning", 1, 1, 2, 2),  # B1; B3; M1 (deep learning) M2; UCL-IMAGE UNAMUR-DATA: 2/3
    gap_row("image-recognition", 1, 0, 1, 0),  # W1; W1 needs the broader computer vision; M7; no lab: 1/2
]


def test_technology_gap_ranks_every_needed_technology(eco: Sources) -> None:
    assert ask(eco, "technology-gap") == TECHNOLOGY_GAP


def test_a_firm_in_three_sources_is_counted_once(eco: Sources) -> None:
    """Datalys (M2) is a cluster member, a BioWin member and a participant; its offer of machine learning and
    its need of cybersecurity are written by both the member directory and the BioWin member list."""
    rows = {r["technology"]: r for r in ask(eco, "technology-gap")}
    assert rows[tech("machine-learning")]["supply"] == 2  # M1 (deep learning) and M2: not 3
    assert rows[tech("cybersecurity")]["demand_firms"] == 1  # M2: not 2
    biowin = {r["technology"]: r for r in ask(eco, "technology-gap", pole="biowin")}
    assert biowin[tech("cybersecurity")]["demand_firms"] == 1  # M2 again, as a BioWin member
    assert biowin[tech("cybersecurity")]["demand_projects"] == 1  # B3
    # and M2 appears once in the lists of firms
    mentors = [r["firm"] for r in ask(eco, "eu-mentors")]
    assert mentors.count(DATALYS) == 1
    catalogue = ask(eco, "offer-catalogue", technology="machine-learning")  # M2 once, and M1's deep learning
    assert [(r["firm"], r["offered"]) for r in catalogue] == [(DATALYS, tech("machine-learning")),
                                                              (FICTIVE, tech("deep-learning"))]


def test_technology_gap_of_one_pole(eco: Sources) -> None:
    """Wagralim: projects W1..W4; firms W1, W2, W3 and M3 (no needs). Supply and labs are not filtered."""
    assert ask(eco, "technology-gap", pole="wagralim") == [
        gap_row("e-invoicing", 0, 3, 2, 0),  # B3 is BioWin; W1 W2 W3: 3/3, demand 3
        gap_row("industrial-iot", 1, 1, 1, 0),  # W2; W2
        gap_row("internet-of-things", 1, 1, 1, 0),
        gap_row("predictive-maintenance", 1, 1, 1, 0),
        gap_row("digital-twin", 1, 0, 0, 0),  # W4
        gap_row("high-performance-computing", 1, 0, 0, 1),  # W2 only (B2, B4 are BioWin)
        gap_row("digital-transformation", 0, 3, 3, 0),  # W1 W2 W3 (M1 is no pole member): 3/4
        gap_row("computer-vision", 1, 1, 2, 1),  # 2/3
        gap_row("artificial-intelligence", 1, 1, 3, 2),  # W1; W1: 2/4, demand 2
        gap_row("erp", 0, 1, 1, 0),  # W1: 1/2, demand 1
        gap_row("image-recognition", 1, 0, 1, 0),  # 1/2, demand 1
    ]


def test_technology_gap_of_several_poles_keeps_only_pole_members_demand(eco: Sources) -> None:
    """Both poles: every project, and every firm but M1 (a cluster member in no pole, needing ERP)."""
    rows = ask(eco, "technology-gap", pole=["wagralim", "biowin"])
    expected = [gap_row("digital-transformation", 1, 4, 3, 0), gap_row("erp", 0, 1, 1, 0)]
    changed = {tech("digital-transformation"), tech("erp")}
    unchanged = [r for r in TECHNOLOGY_GAP if r["technology"] not in changed]
    assert [r for r in rows if r["technology"] in changed] == expected
    assert [r for r in rows if r["technology"] not in changed] == unchanged


def test_technology_gap_in_a_province(eco: Sources) -> None:
    """Province of Liège (BE33): firms M1, M7, W2, B3; lab ULIEGE-HPC; projects with a participant there: W1 (M1),
    W2 (W2, M7), B3 (B3), B4 (ULIEGE-HPC). Supply: M1 (computer vision, deep learning), M7 (image recognition)."""
    assert ask(eco, "technology-gap", region="BE33") == [
        gap_row("digital-transformation", 1, 3, 0, 0),  # B3; M1 (erp) W2 B3: 4
        gap_row("e-invoicing", 1, 2, 0, 0),  # B3; W2 B3: 3
        gap_row("high-performance-computing", 2, 0, 0, 1),  # W2, B4; ULIEGE-HPC: 2
        gap_row("industrial-iot", 1, 1, 0, 0),  # W2; W2; M6 is in Arlon: 2
        gap_row("internet-of-things", 1, 1, 0, 0),
        gap_row("predictive-maintenance", 1, 1, 0, 0),
        gap_row("cybersecurity", 1, 0, 0, 0),  # B3 (M2 and M4 are elsewhere): 1
        gap_row("erp", 0, 1, 0, 0),  # M1: 1
        gap_row("simulation", 1, 0, 0, 0),  # B4: 1
        gap_row("artificial-intelligence", 1, 1, 2, 0),  # W1; B3 (deep learning); M1 M7: 2/3
        gap_row("deep-learning", 0, 1, 1, 0),  # B1 has no participant in BE33; B3; M1: 1/2
        gap_row("image-recognition", 1, 0, 1, 0),  # W1; M7: 1/2
        gap_row("machine-learning", 0, 1, 1, 0),  # B3; M1: 1/2
        gap_row("computer-vision", 1, 0, 2, 0),  # W1; W1 the firm is in Namur; M1 M7; UCL-IMAGE elsewhere: 1/3
    ]


def test_technology_gap_by_years_filters_projects_only(eco: Sources) -> None:
    """2021-2022: the projects active then are W2 (2021-2023), B1 (2020-2022), B2 (2022-2025); firms' needs stay."""
    rows = {r["technology"]: r for r in ask(eco, "technology-gap", year_from=2021, year_to=2022)}
    assert rows[tech("high-performance-computing")] == gap_row("high-performance-computing", 2, 0, 0, 1)  # W2, B2
    assert rows[tech("digital-health")] == gap_row("digital-health", 2, 1, 0, 2)  # B1, B2
    assert rows[tech("e-invoicing")] == gap_row("e-invoicing", 0, 4, 2, 0)  # B3 (2024) is out: 4/3
    assert rows[tech("artificial-intelligence")] == gap_row("artificial-intelligence", 1, 2, 3, 2)  # B1 only
    assert rows[tech("computer-vision")] == gap_row("computer-vision", 0, 1, 2, 1)  # W1 firm only
    # needed only by projects out of the range (W1 2019-2020, W4 2024-2026, B4 2025-2026)
    for slug in ("image-recognition", "digital-twin", "simulation"):
        assert tech(slug) not in rows
    assert len(rows) == 15
    # one bound alone: year_to=2020 keeps the projects started by 2020 (W1, B1)
    up_to_2020 = {r["technology"]: r["demand_projects"] for r in ask(eco, "technology-gap", year_to=2020)}
    assert up_to_2020[tech("artificial-intelligence")] == 2  # W1 (image recognition), B1 (deep learning)
    # W2 starts in 2021, B2 in 2022, B4 in 2025, and no firm needs HPC: no demand, no row
    assert tech("high-performance-computing") not in up_to_2020
    # year_from=2025 keeps those still running in 2025: W4 (2026), B2 (2025), B3 (2025), B4 (2026)
    from_2025 = {r["technology"]: r["demand_projects"] for r in ask(eco, "technology-gap", year_from=2025)}
    assert from_2025[tech("high-performance-computing")] == 2  # B2, B4 (W2 ended in 2023)
    assert from_2025[tech("digital-twin")] == 1  # W4


def test_technology_gap_with_a_supply_ceiling(eco: Sources) -> None:
    """Analyst question 1: what Wagralim needs that fewer than two cluster members offer."""
    rows = ask(eco, "technology-gap", pole="wagralim", max_supply=1)
    assert [r["technology"] for r in rows] == [
        tech(s) for s in ("industrial-iot", "internet-of-things", "predictive-maintenance", "digital-twin",
                          "high-performance-computing", "erp", "image-recognition")
    ]  # e-invoicing (2), digital transformation (3), computer vision (2), AI (3) are offered by two or more


def test_public_view_sees_no_pole_list(eco: Sources) -> None:
    """Anonymous users see the public sources only (members, labs): the demand left is M1 (ERP) and M2 (cyber)."""
    result = run(eco, get("technology-gap"), {}, restricted=False)
    assert [(r["technology"], r["demand_projects"], r["demand_firms"], r["supply"]) for r in result.rows] == [
        (tech("cybersecurity"), 0, 1, 1),  # M2; M4: 1/2
        (tech("erp"), 0, 1, 1),  # M1; M3: 1/2, IRI after cybersecurity
        (tech("digital-transformation"), 0, 1, 3),  # M1; M3 M5 M8: 1/4
    ]


# -- pole coverage -------------------------------------------------------------------------------------
def test_pole_digital_coverage(eco: Sources) -> None:
    """Digital partner = a cluster member or a lab with some expertise.
    BioWin: B1 (M2, M4, UCL-IMAGE), B2 (M2, M8, UNAMUR-DATA), B4 (ULIEGE-HPC, UCL-IMAGE: labs only) have one;
    B3 (its coordinator, a pole member, alone) has none and needs cybersecurity and e-invoicing.
    Wagralim: W1 (M1, UCL-IMAGE), W2 (M6, M7) have one; W3 (W3 + a Swedish firm) has none but needs nothing;
    W4 (W1 + GEMBLOUX-AGRO, a lab without expertise) has none and needs a digital twin."""
    assert ask(eco, "pole-digital-coverage") == [
        {"pole": BIOWIN, "pole_label": "BioWin", "projects": 4, "projects_with_digital_partner": 3,
         "share": pytest.approx(0.75), "projects_needing_digital_without_partner": 1},
        {"pole": WAGRALIM, "pole_label": "Wagralim", "projects": 4, "projects_with_digital_partner": 2,
         "share": pytest.approx(0.5), "projects_needing_digital_without_partner": 1},
    ]
    assert [r["pole"] for r in ask(eco, "pole-digital-coverage", pole="wagralim")] == [WAGRALIM]


def test_projects_without_digital_partner(eco: Sources) -> None:
    """B3 and W4 (W3 has no digital partner either, but needs no technology). Labels sorted: c < e."""
    expected = [
        {"project": f"{BASE}id/project/biowin-bw-2024-03", "title": "Registre patients sécurisé", "pole": BIOWIN,
         "pole_label": "BioWin", "technologies": "cybersecurity, e-invoicing"},
        {"project": f"{BASE}id/project/wagralim-wg-2024-04", "title": "Jumeau numérique de la laiterie",
         "pole": WAGRALIM, "pole_label": "Wagralim", "technologies": "digital twin"},
    ]
    assert ask(eco, "projects-without-digital-partner") == expected
    assert ask(eco, "projects-without-digital-partner", pole="wagralim") == expected[1:]
    assert ask(eco, "projects-without-digital-partner", pole=["biowin", "wagralim"]) == expected


# -- research ------------------------------------------------------------------------------------------
def test_untapped_research(eco: Sources) -> None:
    """Lab expertise (with broader concepts) minus what cluster members offer (with their broader concepts).
    Offered, so not untapped: AI, ML, deep learning, computer vision (M1, M2); cybersecurity (M4) — but the
    cybersecurity firm does not offer cryptography, so UMONS-QUANT's post-quantum cryptography stays untapped
    up to cryptography. Lab names sorted: "Algorithmique quantique" (umons) before "Calcul intensif" (uliege)."""
    def row(slug: str, names: list[str]) -> dict[str, Any]:
        return {"technology": tech(slug), "label": LABEL[slug], "labs": len(names), "lab_names": ", ".join(names)}

    quantum = ["Algorithmique quantique", "Calcul intensif"]
    assert ask(eco, "untapped-research") == [
        row("digital-health", ["Laboratoire d'imagerie médicale", "Science des données"]),
        row("quantum-computing", quantum),
        row("quantum-technologies", quantum),
        row("bioinformatics", ["Science des données"]),
        row("cryptography", ["Algorithmique quantique"]),
        row("high-performance-computing", ["Calcul intensif"]),
        row("medical-imaging-ai", ["Laboratoire d'imagerie médicale"]),
        row("post-quantum-cryptography", ["Algorithmique quantique"]),
    ]
    # analyst question 5: quantum or HPC
    assert ask(eco, "untapped-research", within=["quantum-technologies", "high-performance-computing"]) == [
        row("quantum-computing", quantum), row("quantum-technologies", quantum),
        row("high-performance-computing", ["Calcul intensif"]),
    ]


def test_unsupported_firm_technologies(eco: Sources) -> None:
    """A lab supports T if it has expertise in T or a narrower concept. Supported: M1's computer vision and deep
    learning (UCL-IMAGE), M2's machine learning (UNAMUR-DATA), M4's cybersecurity (UMONS-QUANT's post-quantum
    cryptography is narrower). Not supported: M7's image recognition (UCL-IMAGE's computer vision is broader),
    and everything no lab touches. B3 offers cybersecurity but is no cluster member."""
    def row(firm: str, name: str, slug: str) -> dict[str, Any]:
        return {"firm": firm, "label": name, "technology": tech(slug), "technology_label": LABEL[slug]}

    assert ask(eco, "unsupported-firm-technologies") == [
        row(ARDENNE_IOT, "Ardenne IoT SA", "predictive-maintenance"),
        row(BRIXTEL, "Brixtel Logistique SRL", "e-invoicing"),
        row(BRIXTEL, "Brixtel Logistique SRL", "erp"),
        row(DATALYS, "Datalys SA", "business-intelligence"),
        row(LIEGE_DATA, "Liège Data SRL", "image-recognition"),
        row(NAMUR_SOFT, "Namur Soft SA", "e-invoicing"),
        row(WAVRE_WEB, "Wavre Web SRL", "crm"),
        row(WAVRE_WEB, "Wavre Web SRL", "web-development"),
    ]
    # "local" = in the province of Liège: M1 and M7 there; the only lab there (ULIEGE-HPC) does HPC and quantum
    assert ask(eco, "unsupported-firm-technologies", region="BE33") == [
        row(FICTIVE, "Fictive Vision SRL", "computer-vision"),
        row(FICTIVE, "Fictive Vision SRL", "deep-learning"),
        row(LIEGE_DATA, "Liège Data SRL", "image-recognition"),
    ]


# -- outreach ------------------------------------------------------------------------------------------
def test_isolated_actors(eco: Sources) -> None:
    """Members in no project: M3 and M5; M3 is a Wagralim member: only M5 is isolated."""
    expected = [{"firm": WAVRE_WEB, "label": "Wavre Web SRL", "province": nuts("BE31"),
                 "province_label": "Prov. Brabant Wallon"}]
    assert ask(eco, "isolated-actors") == expected
    assert ask(eco, "isolated-actors", region="BE310") == expected
    assert ask(eco, "isolated-actors", region="BE33") == []


def test_adoption_gap(eco: Sources) -> None:
    """Pole members needing e-invoicing: W1 (Namur), W2 (Liège), W3 (Hainaut), B3 (Liège). Cluster members
    offering it: M3 (Hainaut) and M8 (Namur). Nobody in Liège."""
    def row(firm: str, name: str, pole: str, province: str, province_label: str, trainers: list[str]) -> dict[str, Any]:
        return {"firm": firm, "label": name, "pole": pole, "pole_label": "Wagralim" if pole == WAGRALIM else "BioWin",
                "province": nuts(province), "province_label": province_label, "trainers": len(trainers),
                "trainer_names": ", ".join(trainers)}

    biscuiterie = row(BISCUITERIE, "Biscuiterie Mosane SRL", WAGRALIM, "BE33", "Prov. Liège", [])
    brasserie = row(BRASSERIE, "Brasserie Carolo SRL", WAGRALIM, "BE32", "Prov. Hainaut", ["Brixtel Logistique SRL"])
    clinique = row(CLINIQUE, "Clinique Numérique SA", BIOWIN, "BE33", "Prov. Liège", [])
    fromagerie = row(FROMAGERIE, "Fromagerie du Plateau SA", WAGRALIM, "BE35", "Prov. Namur", ["Namur Soft SA"])
    assert ask(eco, "adoption-gap", technology="e-invoicing") == [biscuiterie, brasserie, clinique, fromagerie]
    assert ask(eco, "adoption-gap", technology="e-invoicing", pole="biowin") == [clinique]
    assert ask(eco, "adoption-gap", technology="e-invoicing", pole=["biowin", "wagralim"]) == [
        biscuiterie, brasserie, clinique, fromagerie]
    # a broader technology: W1's ERP and e-invoicing needs make one row; M3 offers both, M8 e-invoicing
    assert ask(eco, "adoption-gap", technology="digital-transformation", pole="wagralim") == [
        biscuiterie, brasserie, fromagerie]
    # AI: B3 needs deep learning (Liège: M1 and M7 offer AI concepts there); W1 computer vision (Namur: M2's
    # machine learning). M2 itself is a BioWin member but needs no AI.
    assert ask(eco, "adoption-gap", technology="artificial-intelligence") == [
        row(CLINIQUE, "Clinique Numérique SA", BIOWIN, "BE33", "Prov. Liège", ["Fictive Vision SRL", "Liège Data SRL"]),
        row(FROMAGERIE, "Fromagerie du Plateau SA", WAGRALIM, "BE35", "Prov. Namur", ["Datalys SA"]),
    ]


def test_adoption_gap_leaves_a_firm_out_of_its_own_trainers(sources: Sources) -> None:
    """A and D (pole members in one province) need the technology; A and B (cluster members there) offer it.
    D can be trained by A and B; A only by B, not by itself."""
    import pyoxigraph as ox

    from graph.sources import LoadInput

    def n(key: str) -> ox.NamedNode:
        return ox.NamedNode(f"{BASE}x/{key}")

    eco, org = "https://w3id.org/ecokg/def#", "http://www.w3.org/ns/org#"
    rdf = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    tech, province = n("tech"), n("province")
    triples = [(n("pole"), rdf, ox.NamedNode(f"{eco}CompetitivenessPole")),
               (n("cluster"), rdf, ox.NamedNode(f"{eco}Cluster")), (tech, ox.NamedNode(f"{eco}within"), tech)]
    for firm, name, groups, needs, offers in (("a", "Ay SA", ("pole", "cluster"), True, True),
                                               ("b", "Bee SA", ("cluster",), False, True),
                                               ("d", "Dee SA", ("pole",), True, False)):
        triples += [(n(firm), rdf, ox.NamedNode(f"{eco}Company")),
                    (n(firm), label, ox.Literal(name)),
                    (n(firm), ox.NamedNode("http://www.w3.org/ns/locn#address"), n(f"{firm}-address")),
                    (n(f"{firm}-address"), ox.NamedNode(f"{eco}province"), province)]
        triples += [(n(f"{firm}-in-{g}"), ox.NamedNode(f"{org}{p}"), o)
                    for g in groups for p, o in (("organization", n(g)), ("member", n(firm)))]
        triples += [(n(firm), ox.NamedNode(f"{eco}{verb}"), tech)
                    for verb, does in (("needs", needs), ("offers", offers)) if does]
    sources.replace("trainers-case", triples, lambda: LoadInput(files=(), rows=3, loader_version="test/1"))
    rows = ask(sources, "adoption-gap", technology=tech.value)
    assert [(r["label"], r["trainers"], r["trainer_names"]) for r in rows] == [("Ay SA", 1, "Bee SA"),
                                                                             ("Dee SA", 2, "Ay SA, Bee SA")]


def test_offer_catalogue(eco: Sources) -> None:
    """Analyst question 3: who offers computer vision in the province of Liège: M1 (computer vision) and M7
    (image recognition, narrower), both in Liège (NIS 62063)."""
    def row(firm: str, name: str, slug: str, municipality: str, town: str, province: str,
            province_label: str) -> dict[str, Any]:
        return {"firm": firm, "label": name, "offered": tech(slug), "offered_label": LABEL[slug],
                "municipality": f"{BASE}id/municipality/{municipality}", "municipality_label": town,
                "province": nuts(province), "province_label": province_label}

    fictive_cv = row(FICTIVE, "Fictive Vision SRL", "computer-vision", "62063", "Liège", "BE33", "Prov. Liège")
    fictive_dl = row(FICTIVE, "Fictive Vision SRL", "deep-learning", "62063", "Liège", "BE33", "Prov. Liège")
    liege_data = row(LIEGE_DATA, "Liège Data SRL", "image-recognition", "62063", "Liège", "BE33", "Prov. Liège")
    datalys = row(DATALYS, "Datalys SA", "machine-learning", "92094", "Namur", "BE35", "Prov. Namur")
    assert ask(eco, "offer-catalogue", technology="computer-vision", region="BE33") == [fictive_cv, liege_data]
    assert ask(eco, "offer-catalogue", technology="computer-vision", region="BE35") == []
    assert ask(eco, "offer-catalogue", technology="artificial-intelligence") == [
        datalys, fictive_cv, fictive_dl, liege_data]
    # members only by default: B3 (Clinique Numérique) offers cybersecurity but is no cluster member
    hainaut = row(HAINAUT_CYBER, "Hainaut Cyber SRL", "cybersecurity", "53053", "Mons", "BE32", "Prov. Hainaut")
    clinique = row(CLINIQUE, "Clinique Numérique SA", "cybersecurity", "62063", "Liège", "BE33", "Prov. Liège")
    assert ask(eco, "offer-catalogue", technology="cybersecurity") == [hainaut]
    assert ask(eco, "offer-catalogue", technology="cybersecurity", firms="all") == [clinique, hainaut]


def test_firm_labs(eco: Sources) -> None:
    """Analyst question 3, second half: the labs a firm shared projects with, and when."""
    # M2 Datalys: UCL-IMAGE in B1 (2020-2022), UNAMUR-DATA in B2 (2022-2025)
    assert ask(eco, "firm-labs", firm="0450.222.233") == [
        {"lab": LAB_IMAGE, "label": "Laboratoire d'imagerie médicale", "projects": 1, "first_year": 2020,
         "last_year": 2022},
        {"lab": LAB_DATA, "label": "Science des données", "projects": 1, "first_year": 2022, "last_year": 2025},
    ]
    # B1 Pharmalys: UCL-IMAGE in B1 (2020-2022) and B4 (2025-2026); ULIEGE-HPC in B4
    assert ask(eco, "firm-labs", firm="be-0620111102") == [
        {"lab": LAB_HPC, "label": "Calcul intensif", "projects": 1, "first_year": 2025, "last_year": 2026},
        {"lab": LAB_IMAGE, "label": "Laboratoire d'imagerie médicale", "projects": 2, "first_year": 2020,
         "last_year": 2026},
    ]
    # W1 Fromagerie: UCL-IMAGE in W1 (2019-2020); GEMBLOUX-AGRO in W4 (2024-2026): a lab, digital or not
    assert [(r["lab"], r["projects"], r["first_year"], r["last_year"])
            for r in ask(eco, "firm-labs", firm=FROMAGERIE)] == [(LAB_IMAGE, 1, 2019, 2020), (LAB_AGRO, 1, 2024, 2026)]
    assert ask(eco, "firm-labs", firm="0450.555.595") == []  # M5: no project


# -- regions -------------------------------------------------------------------------------------------
def region_row(region: str, label: str, slug: str, projects: int, firms: int, supply: int = 0) -> dict[str, Any]:
    return {"region": nuts(region), "region_label": label, "technology": tech(slug), "label": LABEL[slug],
            "demand_projects": projects, "demand_firms": firms, "demand": projects + firms, "supply": supply}


def test_regional_gaps_by_nuts3(eco: Sources) -> None:
    """Located actors per NUTS 3: BE310 M5 B1 UCL-IMAGE; BE323 M4 UMONS-QUANT; BE32B M3 W3; BE332 M1 M7 W2 B3
    ULIEGE-HPC; BE341 M6; BE352 M2 M8 W1 UNAMUR-DATA GEMBLOUX-AGRO. Foreign partners are in no region.
    A project is local demand where one of its participants is: W1 in BE310, BE332, BE352; W2 in BE332, BE341;
    W3 in BE32B (needs nothing); W4 in BE352; B1 in BE310, BE323, BE352; B2 in BE352; B3 in BE332; B4 in BE310,
    BE332. Rows: demand > 0 and no local member offering the technology (or a narrower one)."""
    nivelles, mons, liege, arlon, namur = "Arr. Nivelles", "Arr. Mons", "Arr. Liège", "Arr. Arlon", "Arr. Namur"
    assert ask(eco, "regional-gaps") == [
        # BE310: W1 (image recognition), B1 (medical imaging AI, deep learning), B4 (simulation); B1 the firm
        # (medical imaging AI, bioinformatics); M5 offers web development and CRM only
        region_row("BE310", nivelles, "artificial-intelligence", 2, 0),
        region_row("BE310", nivelles, "digital-health", 1, 1),
        region_row("BE310", nivelles, "medical-imaging-ai", 1, 1),
        region_row("BE310", nivelles, "bioinformatics", 0, 1),
        region_row("BE310", nivelles, "computer-vision", 1, 0),
        region_row("BE310", nivelles, "deep-learning", 1, 0),
        region_row("BE310", nivelles, "high-performance-computing", 1, 0),
        region_row("BE310", nivelles, "image-recognition", 1, 0),
        region_row("BE310", nivelles, "machine-learning", 1, 0),
        region_row("BE310", nivelles, "simulation", 1, 0),
        # BE323: B1 through M4, its subcontractor; M4 offers cybersecurity only
        region_row("BE323", mons, "artificial-intelligence", 1, 0),
        region_row("BE323", mons, "deep-learning", 1, 0),
        region_row("BE323", mons, "digital-health", 1, 0),
        region_row("BE323", mons, "machine-learning", 1, 0),
        region_row("BE323", mons, "medical-imaging-ai", 1, 0),
        # BE32B: W3 needs nothing; W3's e-invoicing is offered by M3 there: no row
        # BE332: W1, W2, B3, B4; M1 (ERP), W2 (e-invoicing, predictive maintenance), B3 (e-invoicing, deep
        # learning); M1 and M7 cover AI, computer vision, image recognition, machine and deep learning
        region_row("BE332", liege, "digital-transformation", 1, 3),
        region_row("BE332", liege, "e-invoicing", 1, 2),
        region_row("BE332", liege, "high-performance-computing", 2, 0),
        region_row("BE332", liege, "industrial-iot", 1, 1),
        region_row("BE332", liege, "internet-of-things", 1, 1),
        region_row("BE332", liege, "predictive-maintenance", 1, 1),
        region_row("BE332", liege, "cybersecurity", 1, 0),
        region_row("BE332", liege, "erp", 0, 1),
        region_row("BE332", liege, "simulation", 1, 0),
        # BE341: W2 through M6, who offers predictive maintenance (and so industrial IoT and IoT): HPC only
        region_row("BE341", arlon, "high-performance-computing", 1, 0),
        # BE352: W1, W4, B1, B2; M2 (cybersecurity), W1 (ERP, e-invoicing, computer vision); M2 offers machine
        # learning (so AI), M8 e-invoicing (so digital transformation) — but not deep learning
        region_row("BE352", namur, "computer-vision", 1, 1),
        region_row("BE352", namur, "digital-health", 2, 0),
        region_row("BE352", namur, "bioinformatics", 1, 0),
        region_row("BE352", namur, "cybersecurity", 0, 1),
        region_row("BE352", namur, "deep-learning", 1, 0),
        region_row("BE352", namur, "digital-twin", 1, 0),
        region_row("BE352", namur, "erp", 0, 1),
        region_row("BE352", namur, "high-performance-computing", 1, 0),
        region_row("BE352", namur, "image-recognition", 1, 0),
        region_row("BE352", namur, "medical-imaging-ai", 1, 0),
    ]
    assert [r["technology"] for r in ask(eco, "regional-gaps", within="BE34")] == [tech("high-performance-computing")]


def test_regional_gaps_by_province(eco: Sources) -> None:
    """Hainaut (BE32) = BE32B + BE323: projects W3 (no needs) and B1; firm W3 (e-invoicing); supply M3
    (e-invoicing, ERP), M4 (cybersecurity)."""
    hainaut = "Prov. Hainaut"
    no_supply = [
        region_row("BE32", hainaut, "artificial-intelligence", 1, 0),
        region_row("BE32", hainaut, "deep-learning", 1, 0),
        region_row("BE32", hainaut, "digital-health", 1, 0),
    ]
    tail = [region_row("BE32", hainaut, "machine-learning", 1, 0),
            region_row("BE32", hainaut, "medical-imaging-ai", 1, 0)]
    assert ask(eco, "regional-gaps", level="province", within="BE32") == no_supply + tail
    # at most one local supplier: W3's e-invoicing (and digital transformation) has one, M3
    assert ask(eco, "regional-gaps", level="province", within="BE32", max_supply=1) == [
        *no_supply,
        region_row("BE32", hainaut, "digital-transformation", 0, 1, supply=1),
        region_row("BE32", hainaut, "e-invoicing", 0, 1, supply=1),
        *tail,
    ]
    # Liège has one populated NUTS 3 (BE332): the same nine rows, at the province
    liege = ask(eco, "regional-gaps", level="province", within="BE33")
    assert [(r["region"], r["technology"], r["demand"]) for r in liege] == [
        (nuts("BE33"), tech(slug), demand) for slug, demand in (
            ("digital-transformation", 4), ("e-invoicing", 3), ("high-performance-computing", 2),
            ("industrial-iot", 2), ("internet-of-things", 2), ("predictive-maintenance", 2), ("cybersecurity", 1),
            ("erp", 1), ("simulation", 1))
    ]


# -- internationalisation ------------------------------------------------------------------------------
def test_internationalisation(eco: Sources) -> None:
    """Foreign partners: W2 has Agro Robotique (FR) and Lebensmittel Technik (DE); B1 the Institut Essai de
    Radiologie (FR); W3 Nordic Pack (SE). Members in them: M6, M7 (W2); M2, M4 (B1)."""
    def row(firm: str, name: str, partners: int, countries: str, projects: int) -> dict[str, Any]:
        return {"firm": firm, "label": name, "foreign_partners": partners, "countries": countries,
                "projects": projects}

    ardenne = row(ARDENNE_IOT, "Ardenne IoT SA", 2, "DE, FR", 1)
    liege_data = row(LIEGE_DATA, "Liège Data SRL", 2, "DE, FR", 1)
    datalys = row(DATALYS, "Datalys SA", 1, "FR", 1)  # B2 has no foreign partner
    hainaut = row(HAINAUT_CYBER, "Hainaut Cyber SRL", 1, "FR", 1)
    assert ask(eco, "internationalisation") == [ardenne, liege_data, datalys, hainaut]
    # members without: M1 (W1: Belgian partners only), M3 and M5 (no project), M8 (B2: Belgian only)
    assert ask(eco, "internationalisation", show="without") == [
        row(BRIXTEL, "Brixtel Logistique SRL", 0, "", 0), row(FICTIVE, "Fictive Vision SRL", 0, "", 0),
        row(NAMUR_SOFT, "Namur Soft SA", 0, "", 0), row(WAVRE_WEB, "Wavre Web SRL", 0, "", 0),
    ]
    # every company: the pole members W2 (coordinator of W2), W3 (W3, with SE) and B1 (B1) join
    assert ask(eco, "internationalisation", firms="all") == [
        ardenne, row(BISCUITERIE, "Biscuiterie Mosane SRL", 2, "DE, FR", 1), liege_data,
        row(BRASSERIE, "Brasserie Carolo SRL", 1, "SE", 1), datalys, hainaut,
        row(PHARMALYS, "Pharmalys Essai SA", 1, "FR", 1),
    ]
    assert len(ask(eco, "internationalisation", firms="all", show="all")) == 13  # every company of the README


def test_eu_mentors(eco: Sources) -> None:
    """EU projects: B1 (Horizon 2020, and FR), B2 (Horizon Europe, no foreign partner), W2 (DE, FR), W3 (SE).
    M2: B1 as partner, B2 as coordinator; M4: B1; M6, M7: W2; M8: B2 (by its programme only)."""
    def row(firm: str, name: str, projects: int, coordinated: int) -> dict[str, Any]:
        return {"firm": firm, "label": name, "eu_projects": projects, "as_coordinator": coordinated}

    members = [row(DATALYS, "Datalys SA", 2, 1), row(ARDENNE_IOT, "Ardenne IoT SA", 1, 0),
               row(HAINAUT_CYBER, "Hainaut Cyber SRL", 1, 0), row(LIEGE_DATA, "Liège Data SRL", 1, 0),
               row(NAMUR_SOFT, "Namur Soft SA", 1, 0)]
    assert ask(eco, "eu-mentors") == members
    # every company: the coordinators of W2 (W2), W3 (W3) and B1 (B1); W1 and B3 have no EU project
    assert ask(eco, "eu-mentors", firms="all") == [
        members[0], row(BISCUITERIE, "Biscuiterie Mosane SRL", 1, 1), row(BRASSERIE, "Brasserie Carolo SRL", 1, 1),
        row(PHARMALYS, "Pharmalys Essai SA", 1, 1), *members[1:],
    ]


# -- every gap query has a test ------------------------------------------------------------------------
TESTED_BY = {
    "technology-gap": [test_technology_gap_ranks_every_needed_technology, test_technology_gap_of_one_pole,
                       test_technology_gap_of_several_poles_keeps_only_pole_members_demand,
                       test_technology_gap_in_a_province, test_technology_gap_by_years_filters_projects_only,
                       test_technology_gap_with_a_supply_ceiling, test_a_firm_in_three_sources_is_counted_once],
    "pole-digital-coverage": [test_pole_digital_coverage],
    "projects-without-digital-partner": [test_projects_without_digital_partner],
    "untapped-research": [test_untapped_research],
    "unsupported-firm-technologies": [test_unsupported_firm_technologies],
    "isolated-actors": [test_isolated_actors],
    "adoption-gap": [test_adoption_gap],
    "offer-catalogue": [test_offer_catalogue],
    "firm-labs": [test_firm_labs],
    "regional-gaps": [test_regional_gaps_by_nuts3, test_regional_gaps_by_province],
    "internationalisation": [test_internationalisation],
    "eu-mentors": [test_eu_mentors],
}


@pytest.mark.parametrize("path", sorted((QUERIES_DIR / "gaps").glob("*.rq")), ids=lambda p: p.stem)
def test_every_gap_query_has_a_test(path: Path) -> None:
    assert path.stem in TESTED_BY, f"{path.name} has no test in {Path(__file__).name}"
    assert get(path.stem).path == str(path)
    assert "gaps" in get(path.stem).tags


def test_the_gap_queries_are_all_there() -> None:
    assert sorted(p.stem for p in (QUERIES_DIR / "gaps").glob("*.rq")) == sorted(TESTED_BY)
