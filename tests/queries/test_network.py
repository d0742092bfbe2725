"""Network metrics: hand-computed betweenness on tiny graphs, then the fixture of tests/data/recommend
(its README draws the graph and works out every figure asserted here)."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pytest
from test_recommend import AGRO, BASE, C1, F1, F2, F3, L1, L2, L3, SA, SB, H, K, load_fixture

from graph.sources import Sources
from queries.network import betweenness, centrality, collaboration_graph, communities, pole_bridges

# The same fixture and short names as test_recommend.py (tests/data/recommend/README.md), plus:
M = f"{BASE}id/org/be-0400099957"  # Meridian Services SA
U = f"{BASE}id/org/inst-universite-fictive-de-namur"
V = f"{BASE}id/org/inst-universite-fictive-d-arlon"
WAGRALIM, SKYWIN = f"{BASE}id/pole/wagralim", f"{BASE}id/pole/skywin"


@pytest.fixture(scope="module")
def eco(fresh: Callable[..., Sources]) -> Sources:
    return fresh(load_fixture)


# -- betweenness by hand ---------------------------------------------------------------------------
def test_betweenness_of_tiny_graphs_by_hand() -> None:
    # path a-b-c: the one pair (a, c) has its one shortest path through b
    values, method = betweenness(nx.path_graph(["a", "b", "c"]))
    assert values == {"a": 0.0, "b": 1.0, "c": 0.0} and method == "exact"
    # a star with 4 leaves: every pair of leaves (4 x 3 / 2 = 6) goes through the centre
    values, _ = betweenness(nx.star_graph(4))
    assert values[0] == 6.0 and values[1] == 0.0
    # a square a-b-c-d-a: a to c has two shortest paths (via b, via d), each gets 1/2; same for b to d
    values, _ = betweenness(nx.cycle_graph(["a", "b", "c", "d"]))
    assert values == {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}


def test_large_graphs_get_a_sampled_estimate_and_say_so() -> None:
    # above the limit, networkx samples k = min(samples, n) sources; with k = n every source is used
    values, method = betweenness(nx.path_graph(["a", "b", "c"]), exact_limit=2, samples=10, seed=7)
    assert method == "approximate: networkx k-sample estimate from 3 of 3 nodes, seed 7"
    assert values["b"] == pytest.approx(1.0)


# -- the graph -------------------------------------------------------------------------------------
def test_the_collaboration_graph(eco: Sources) -> None:
    strong = collaboration_graph(eco)
    # 15 organisations (10 firms, 3 labs, 2 institutions) + 6 projects; 15 participations + 3 unit_of
    assert (strong.number_of_nodes(), strong.number_of_edges()) == (21, 18)
    assert strong.nodes[H] == {"kind": "company", "label": "Hub Foods SA"}
    assert strong.nodes[L3]["kind"] == "lab" and strong.nodes[U]["kind"] == "institution"
    assert strong.nodes[f"{BASE}id/project/wagralim-wag-01"] == {"kind": "project", "label": "VISIOFOOD"}
    assert strong[L3][U]["relation"] == "unit_of"
    assert strong[K][f"{BASE}id/project/skywin-sky-01"]["relation"] == "participates_in"
    weak = collaboration_graph(eco, weak=True)
    # + 6 poles and the cluster; + 6 cluster memberships, 4 Wagralim and 2 Skywin memberships, 6 labelled_by
    assert (weak.number_of_nodes(), weak.number_of_edges()) == (28, 36)
    assert weak[M][WAGRALIM]["relation"] == weak[M][SKYWIN]["relation"] == "member_of"
    assert weak.nodes[WAGRALIM]["kind"] == "pole"


# -- centrality ------------------------------------------------------------------------------------
def test_centrality_ranks_the_star_first(eco: Sources) -> None:
    rows = centrality(eco)
    # README: H 96, K 66, L3 30, Sa = Sb = 19.5 (degree 3 both: IRI), L1 = U = 16 (degree 2 before 0)
    assert [r["iri"] for r in rows[:7]] == [H, K, L3, SA, SB, L1, U]
    assert [r["betweenness_raw"] for r in rows[:7]] == [96, 66, 30, 19.5, 19.5, 16, 16]
    assert rows[0]["rank"] == 1 and rows[0]["label"] == "Hub Foods SA"
    assert rows[0]["betweenness"] == pytest.approx(96 / 190)  # n = 21: (20 x 19) / 2 = 190 pairs
    assert rows[0]["method"] == "exact"
    assert len(rows) == 15  # every organisation, fewer than top=20
    degrees = {r["iri"]: r["degree"] for r in rows}
    assert degrees == {H: 5, K: 3, SA: 3, SB: 3, F1: 2, L3: 2, L1: 2, F2: 1, F3: 1,
                       C1: 0, M: 0, AGRO: 0, L2: 0, U: 0, V: 0}
    projects = {r["iri"]: r["projects"] for r in rows}
    assert (projects[H], projects[K], projects[SA], projects[F1], projects[U]) == (4, 2, 2, 1, 0)
    assert [r["iri"] for r in centrality(eco, top=2)] == [H, K]


def test_centrality_of_the_public_view(eco: Sources) -> None:
    # public: members and labs only, no project: the one path is VisLab - U - DataLab, through U
    rows = centrality(eco, restricted=False, top=3)
    assert rows[0]["iri"] == U and rows[0]["betweenness_raw"] == 1.0
    assert rows[1]["betweenness_raw"] == 0.0 and all(r["degree"] == 0 for r in rows)


# -- communities -----------------------------------------------------------------------------------
def test_two_communities_joined_by_one_firm(eco: Sources) -> None:
    found = communities(eco)
    # README: Q = 0.4132 for this split; K on the Wagralim side gives 0.3194
    assert [{m["iri"] for m in c["members"]} for c in found] == [{H, F1, L3, F2, F3}, {K, SA, SB, L1}]
    assert [c["size"] for c in found] == [5, 4]
    assert found[0]["dominant_poles"] == [{"iri": WAGRALIM, "label": "Wagralim", "members": 5}]
    # Skywin side: all 4 connected to Skywin; K (CLOUDFARM) and Sb (member) to Wagralim too
    assert found[1]["poles"] == [{"iri": SKYWIN, "label": "Skywin", "members": 4},
                                 {"iri": WAGRALIM, "label": "Wagralim", "members": 2}]
    assert [p["iri"] for p in found[1]["dominant_poles"]] == [SKYWIN]
    # organisations without partners are in no community
    everyone = {m["iri"] for c in found for m in c["members"]}
    assert everyone.isdisjoint({C1, M, AGRO, L2, U, V})


# -- bridges between poles -------------------------------------------------------------------------
def test_pole_bridges(eco: Sources) -> None:
    rows = pole_bridges(eco)
    # K: projects in both poles; Sb: Wagralim member, Skywin projects; M: member of both, no project
    assert [r["iri"] for r in rows] == [K, SB, M]
    assert [(r["pole_count"], r["project_poles"], r["member_poles"], r["projects"]) for r in rows] == [
        (2, 2, 1, 2), (2, 1, 1, 2), (2, 0, 2, 0)]
    assert rows[0]["poles"] == [
        {"iri": SKYWIN, "label": "Skywin", "member": True, "projects": 1},
        {"iri": WAGRALIM, "label": "Wagralim", "member": False, "projects": 1},
    ]
    assert rows[0]["label"] == "Keystone Cloud SA" and rows[0]["rank"] == 1
    assert [r["iri"] for r in pole_bridges(eco, top=1)] == [K]
    # pole files are restricted: the public sees no pole membership and no project
    assert pole_bridges(eco, restricted=False) == []
