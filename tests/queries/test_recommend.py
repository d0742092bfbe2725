"""Partner recommendations on the hand-made fixture of tests/data/recommend (its README tells the story).

Every expectation is worked out by hand from the fixture files; the arithmetic is in the comments.
Score = 0.5 x coverage + 0.3 x proximity (1/distance) + 0.2 x AA/(1+AA), AA = sum of 1/ln(degree) over
the shared partners. Useful values: 1/ln 5 = 0.6213349, 0.6213349/1.6213349 = 0.3832243;
1/ln 3 = 0.9102392, 0.9102392/1.9102392 = 0.4765051.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import InvalidParameter
from graph.sources import Sources
from loaders.run import load
from queries.recommend import Candidate, recommend_for_company, recommend_for_project

DATA = Path(__file__).resolve().parents[1] / "data" / "recommend"
BASE = "http://example.org/"
TECH = "https://w3id.org/ecokg/tech/"

H = f"{BASE}id/org/be-0400011172"  # Hub Foods SA
F1 = f"{BASE}id/org/be-0400022258"  # Fovea Imaging SRL
F2 = f"{BASE}id/org/be-0400033344"  # Forma Learning SRL
F3 = f"{BASE}id/org/be-0400044430"  # Fresco ERP SA
K = f"{BASE}id/org/be-0400055516"  # Keystone Cloud SA
SA = f"{BASE}id/org/be-0400066602"  # Sapphire Analytics SA
SB = f"{BASE}id/org/be-0400077785"  # Stratos Aero SA
C1 = f"{BASE}id/org/be-0400088871"  # Alpha Vision SRL
AGRO = f"{BASE}id/org/be-0400111043"  # Agro Optics SA (offers computer vision, no cluster member)
L1 = f"{BASE}id/lab/ufa-aero"  # AeroLab
L2 = f"{BASE}id/lab/ufn-data"  # DataLab
L3 = f"{BASE}id/lab/ufn-vis"  # VisLab
CV, ML = f"{TECH}computer-vision", f"{TECH}machine-learning"


def load_fixture(sources: Sources) -> None:
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "labs", [DATA / "labs.csv"])
    for pole in ("wagralim", "skywin"):
        load(sources, "poles", [DATA / f"{pole}-{t}.csv" for t in ("members", "projects", "participants")])


@pytest.fixture(scope="module")
def eco(fresh: Callable[..., Sources]) -> Sources:
    """The fixture loaded once for the module and backend (tests/queries/conftest.py): the tests only read."""
    return fresh(load_fixture)


def by_iri(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {c.iri: c for c in candidates}


# -- for a project ---------------------------------------------------------------------------------
def test_project_candidates_ranked_with_their_score_components(eco: Sources) -> None:
    # WAG-01 needs computer vision and machine learning; participants H, F1, L3.
    # Alpha Vision: both (image recognition, deep learning), unconnected:  0.5 x 2/2            = 0.5
    # Forma Learning: ML, W1-H-W2-F2 = 3, shared H (5 partners):          0.25 + 0.1 + 0.0766449 = 0.4266449
    # DataLab: deep learning, W1-L3-U-L2 = 3, no shared partner:          0.25 + 0.1             = 0.35
    # AeroLab: computer vision, 7 hops (None):                            0.25
    # Sapphire: predictive analytics, W1-H-W3-K-S1-Sa = 5 hops (None):    0.25 (after AeroLab: IRI)
    found = recommend_for_project(eco, "WAG-01")
    assert [c.iri for c in found] == [C1, F2, L2, L1, SA]
    assert [c.score for c in found] == pytest.approx([0.5, 0.25 + 0.1 + 0.2 * 0.3832243, 0.35, 0.25, 0.25])
    assert [c.distance for c in found] == [None, 3, 3, None, None]
    assert [c.kind for c in found] == ["company", "company", "lab", "lab", "company"]
    c = by_iri(found)
    assert c[C1].technologies == (CV, ML)
    assert c[F2].technologies == c[L2].technologies == c[SA].technologies == (ML,)
    assert c[L1].technologies == (CV,)
    assert c[F2].shared_partners == (H,)
    assert c[F2].adamic_adar == pytest.approx(1 / math.log(5))
    assert all(c[x].shared_partners == () and c[x].adamic_adar == 0 for x in (C1, L2, L1, SA))


def test_the_reasons_say_why_in_words(eco: Sources) -> None:
    forma = by_iri(recommend_for_project(eco, "WAG-01"))[F2]
    assert forma.reasons == (
        "offers machine learning (needed: machine learning)",
        "3 hops away via Hub Foods SA, project DATAFOOD",
        "shared partners: Hub Foods SA (Adamic-Adar 0.62)",
        "score 0.427 = 0.5 × coverage 0.50 (1 of 2 needed) + 0.3 × proximity 0.33 (1/distance) "
        "+ 0.2 × shared-partner index 0.38 (AA/(1+AA))",
    )
    datalab = by_iri(recommend_for_project(eco, "WAG-01"))[L2]
    assert datalab.reasons[:3] == ("has expertise in deep learning (needed: machine learning)",
                                   "3 hops away via VisLab, Université Fictive de Namur",  # lab -> institution -> lab
                                   "no shared partners")


def test_current_participants_and_non_members_are_no_candidates(eco: Sources) -> None:
    # F1 (computer vision) and VisLab (image recognition) would cover WAG-01 but already take part in it;
    # Agro Optics offers computer vision but is a pole member, not a cluster member; H offers nothing.
    found = {c.iri for c in recommend_for_project(eco, "WAG-01", limit=50)}
    assert found.isdisjoint({F1, L3, AGRO, H})
    assert len(found) == 5


def test_a_narrower_concept_covers_the_need(eco: Sources) -> None:
    # SKY-02 needs computer vision; participants Sa, Sb, AeroLab. VisLab and Alpha Vision offer image
    # recognition (skos:broader computer vision), Fovea computer vision itself. None is within 4 hops of
    # SKY-02 (S2-Sa-S1-K-W3-H-W1-F1 is 7), so all score 0.5 x 1 = 0.5 and come in IRI order.
    found = recommend_for_project(eco, "sky-02")  # identifiers match in any case
    assert [c.iri for c in found] == [L3, F1, C1]
    assert all(c.technologies == (CV,) and c.score == pytest.approx(0.5) for c in found)
    assert found[0].reasons[0] == "has expertise in image recognition (needed: computer vision)"
    assert found[2].reasons[0] == "offers image recognition (needed: computer vision)"


def test_a_project_by_iri_or_key_is_the_same_project(eco: Sources) -> None:
    iri = f"{BASE}id/project/wagralim-wag-01"
    expected = [c.iri for c in recommend_for_project(eco, "WAG-01")]
    assert [c.iri for c in recommend_for_project(eco, iri)] == expected
    assert [c.iri for c in recommend_for_project(eco, ox.NamedNode(iri))] == expected
    assert [c.iri for c in recommend_for_project(eco, "wagralim-wag-01")] == expected


def test_limit_keeps_the_best(eco: Sources) -> None:
    assert [c.iri for c in recommend_for_project(eco, "WAG-01", limit=2)] == [C1, F2]
    with pytest.raises(InvalidParameter):
        recommend_for_project(eco, "WAG-01", limit=0)


def test_unknown_project_is_an_invalid_parameter(eco: Sources) -> None:
    with pytest.raises(InvalidParameter, match="unknown project 'WAG-99'"):
        recommend_for_project(eco, "WAG-99")
    with pytest.raises(InvalidParameter, match="unknown project"):
        recommend_for_project(eco, f"{BASE}id/project/wagralim-wag-99")
    with pytest.raises(InvalidParameter):
        recommend_for_project(eco, "")
    # Keystone Cloud's enterprise number names an entity, but a firm, not a project
    with pytest.raises(InvalidParameter, match=r"unknown project '0400\.055\.516'"):
        recommend_for_project(eco, "0400.055.516")


def test_restricted_projects_are_unknown_to_the_public(eco: Sources) -> None:
    # pole sources are restricted: without them WAG-01 does not exist
    with pytest.raises(InvalidParameter, match="unknown project"):
        recommend_for_project(eco, "WAG-01", restricted=False)


# -- for a firm and a technology -------------------------------------------------------------------
def test_company_and_technology(eco: Sources) -> None:
    # Keystone Cloud (partners H, Sa, Sb) + machine learning:
    # Sapphire: predictive analytics, K-S1-Sa = 2, shared Sb (partners K, Sa, L1: 3):
    #           0.5 + 0.3/2 + 0.2 x 0.4765051 = 0.7453010
    # Forma Learning: K-W3-H-W2-F2 = 4, shared H (5 partners): 0.5 + 0.3/4 + 0.2 x 0.3832243 = 0.6516449
    # DataLab: K-W3-H-W1-L3-U-L2 = 6 (None): 0.5; Alpha Vision: unconnected: 0.5 (IRI order: lab/ first)
    found = recommend_for_company(eco, "0400.055.516", "machine-learning")
    assert [c.iri for c in found] == [SA, F2, L2, C1]
    assert [c.score for c in found] == pytest.approx([0.7453010, 0.6516449, 0.5, 0.5])
    assert [c.distance for c in found] == [2, 4, None, None]
    assert [c.shared_partners for c in found] == [(SB,), (H,), (), ()]
    assert found[0].adamic_adar == pytest.approx(1 / math.log(3))
    assert all(c.technologies == (ML,) for c in found)
    assert found[0].reasons[:3] == ("offers predictive analytics (needed: machine learning)",
                                    "2 hops away via project AEROCLOUD",
                                    "shared partners: Stratos Aero SA (Adamic-Adar 0.91)")


def test_the_company_itself_is_no_candidate(eco: Sources) -> None:
    # Fovea Imaging (partners H, VisLab) + computer vision: Fovea is left out.
    # VisLab: F1-W1-L3 = 2, shared H: 0.5 + 0.15 + 0.2 x 0.3832243 = 0.7266449; AeroLab, Alpha Vision 0.5
    found = recommend_for_company(eco, F1, "tech:computer-vision")
    assert [c.iri for c in found] == [L3, L1, C1]
    assert found[0].score == pytest.approx(0.7266449)
    assert found[0].distance == 2 and found[0].shared_partners == (H,)


def test_company_and_technology_spelled_every_way(eco: Sources) -> None:
    expected = [c.iri for c in recommend_for_company(eco, K, ML)]
    for company in ("BE 0400 055 516", "0400055516", "be-0400055516", ox.NamedNode(K)):
        for tech in ("machine-learning", "tech:machine-learning", ox.NamedNode(ML)):
            assert [c.iri for c in recommend_for_company(eco, company, tech)] == expected


def test_unknown_company_or_technology_is_an_invalid_parameter(eco: Sources) -> None:
    with pytest.raises(InvalidParameter, match="unknown company"):
        recommend_for_company(eco, "0400.144.301", "machine-learning")  # valid number, no such firm
    with pytest.raises(InvalidParameter, match="enterprise number"):
        recommend_for_company(eco, "0400.144.300", "machine-learning")  # check digits fail
    with pytest.raises(InvalidParameter, match="unknown technology"):
        recommend_for_company(eco, K, "teleportation")
    with pytest.raises(InvalidParameter, match="technology"):
        recommend_for_company(eco, K, "machine learning")  # a label, not a slug
    # WAG-01 names an entity, but a project, not an organisation
    with pytest.raises(InvalidParameter, match="unknown company 'WAG-01'"):
        recommend_for_company(eco, "WAG-01", "machine-learning")


def test_public_only_sees_no_projects(eco: Sources) -> None:
    # members and labs are public, pole files restricted: Keystone is known, but has no project and no
    # partner in the public view, so every candidate scores 0.5 x 1 and the order is the IRI order
    found = recommend_for_company(eco, K, ML, restricted=False)
    assert [c.iri for c in found] == [L2, F2, SA, C1]
    assert all(c.distance is None and c.shared_partners == () for c in found)
    # Hub Foods is only in a (restricted) pole file
    with pytest.raises(InvalidParameter, match="unknown company"):
        recommend_for_company(eco, H, ML, restricted=False)


def test_to_json_is_plain(eco: Sources) -> None:
    first = recommend_for_company(eco, K, ML)[0].to_json()
    assert first["iri"] == SA and first["label"] == "Sapphire Analytics SA" and first["kind"] == "company"
    assert first["shared_partners"] == [SB] and first["technologies"] == [ML] and first["distance"] == 2
    assert isinstance(first["reasons"], list) and isinstance(first["score"], float)
