"""Collaboration paths (queries/paths.py) on the hand-made fixture of tests/data/paths/.

Every expected path is worked out by hand from the drawing in tests/data/paths/README.md; the reasoning is
repeated next to each test. Short names: A..H, P1 firms; L1, L2, L9 labs; ULg, UMONS institutions; AERO the
foreign partner; BW1, BW2, SW1, SW2, PXb, PXs projects; CLUSTER and BIOWIN the groups.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from itertools import combinations, islice
from pathlib import Path as FilePath

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.errors import InvalidParameter
from graph.sources import Sources
from loaders.run import load
from queries import paths, registry
from queries.paths import Hop, Path, find_paths, no_path_message, paths_json, resolve_actor

DATA = FilePath(__file__).resolve().parents[1] / "data" / "paths"
ID = "http://example.org/id/"

A, B, C, D = (f"{ID}org/be-{n}" for n in ("0411111140", "0422222291", "0433333345", "0444444496"))
E, H, P1 = (f"{ID}org/be-{n}" for n in ("0455555550", "0466666604", "0477777755"))
ULG, UMONS, AERO = f"{ID}org/be-0325777171", f"{ID}org/inst-universite-de-mons", f"{ID}org/de-aero-lab-gmbh"
L1, L2, L9 = f"{ID}lab/uliege-vision", f"{ID}lab/uliege-robot", f"{ID}lab/umons-quant"
BW1, BW2, PXB = f"{ID}project/biowin-bw-1", f"{ID}project/biowin-bw-2", f"{ID}project/biowin-px-01"
SW1, SW2, PXS = f"{ID}project/skywin-sw-1", f"{ID}project/skywin-sw-2", f"{ID}project/skywin-px-01"
CLUSTER, BIOWIN = f"{ID}cluster/ict-wallonia", f"{ID}pole/biowin"
ACTORS = [A, B, C, D, E, H, P1, ULG, UMONS, AERO, L1, L2, L9]

INJECTION = 'x" } ; DROP ALL #'


@pytest.fixture(params=["by queries", "in memory"])
def fx(request: pytest.FixtureRequest, fresh: Callable[..., Sources]) -> Sources:
    """The fixture, searched layer by layer with queries, and again with the graph kept in memory (what
    `ecokg serve` prepares): every expectation must hold both ways."""
    sources = fresh(load_paths)
    if request.param == "in memory" and not paths.prepare(sources):
        pytest.skip("a store that other processes may write keeps no graph in memory")
    return sources


def load_paths(sources: Sources) -> None:
    """The fixture files loaded as a user would load them."""
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "labs", [DATA / "labs.csv"])
    load(sources, "poles", sorted(DATA.glob("biowin-*.csv")), pole="biowin")
    load(sources, "poles", sorted(DATA.glob("skywin-*.csv")), pole="skywin")


def nodes_of(found: list[Path]) -> list[list[str]]:
    return [list(p.nodes) for p in found]


def ask(sources: Sources, a: str, b: str, **options: object) -> list[list[str]]:
    return nodes_of(find_paths(sources, ox.NamedNode(a), ox.NamedNode(b), **options))


def via_participation(project: str, participant: str) -> str:
    return f"{ID}participation/{project.rsplit('/', 1)[1]}/{participant.rsplit('/', 1)[1]}"


def via_membership(member: str, group: str) -> str:
    return f"{ID}membership/{member.rsplit('/', 1)[1]}/{group.rsplit('/', 1)[1]}"


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


# -- the shapes of paths -------------------------------------------------------------------------------------
def test_a_firm_and_a_lab_of_one_project_are_two_hops_apart_with_every_hop_explained(fx: Sources) -> None:
    # A and L1 both take part in BW1 (2018-01-01 - 2019-12-31): A -BW1- L1. The participations are the
    # evidence (via), not hops. Each hop's label is its target's: BW1's title, then L1's name.
    found = find_paths(fx, ox.NamedNode(A), ox.NamedNode(L1), k=1)
    assert found == [Path((
        Hop(A, "participates_in", BW1, via_participation(BW1, A), "Imagerie médicale par IA", "2018-01-01",
            "2019-12-31"),
        Hop(BW1, "participates_in", L1, via_participation(BW1, L1), "Vision artificielle", "2018-01-01",
            "2019-12-31"),
    ))]
    assert paths_json(found) == {"paths": [{"length": 2, "hops": [
        {"from": A, "relation": "participates_in", "to": BW1, "via": via_participation(BW1, A),
         "label": "Imagerie médicale par IA", "start": "2018-01-01", "end": "2019-12-31"},
        {"from": BW1, "relation": "participates_in", "to": L1, "via": via_participation(BW1, L1),
         "label": "Vision artificielle", "start": "2018-01-01", "end": "2019-12-31"},
    ]}]}


def test_alternatives_come_shortest_first_and_never_go_round_the_cycle(fx: Sources) -> None:
    # A -> L1 within 6: A BW1 L1 (2); A SW2 B BW1 L1 (4, round the A-BW1-B-SW2 cycle once, but simple);
    # A SW2 E SW1 ULg L1 (5). A BW1 B SW2 E SW1 ULg L1 is 7: out. Nothing repeats a node.
    found = ask(fx, A, L1, k=5)
    assert found == [[A, BW1, L1], [A, SW2, B, BW1, L1], [A, SW2, E, SW1, ULG, L1]]
    assert all(len(set(p)) == len(p) for p in found)


def test_a_path_through_a_labs_institution(fx: Sources) -> None:
    # A -> ULg: A BW1 L1 ULg (3, the last hop L1 unit_of ULg, undated), then A SW2 E SW1 ULg (4),
    # A SW2 B BW1 L1 ULg (5), A BW1 B SW2 E SW1 ULg (6). k=3 needs the search to go past the shortest.
    found = find_paths(fx, ox.NamedNode(A), ox.NamedNode(ULG))
    assert nodes_of(found) == [[A, BW1, L1, ULG], [A, SW2, E, SW1, ULG], [A, SW2, B, BW1, L1, ULG]]
    assert found[0].hops[2] == Hop(L1, "unit_of", ULG, None, "Université de Liège", None, None)
    assert [p.length for p in find_paths(fx, ox.NamedNode(A), ox.NamedNode(ULG), k=10)] == [3, 4, 5, 6]


def test_two_tied_shortest_paths_come_in_the_order_of_their_node_iris(fx: Sources) -> None:
    # A and B share BW1 and SW2: two paths of 2 hops; .../project/biowin-bw-1 < .../project/skywin-sw-2.
    assert ask(fx, A, B, k=2) == [[A, BW1, B], [A, SW2, B]]
    assert ask(fx, A, B, k=1) == [[A, BW1, B]]
    assert ask(fx, B, A, k=2) == [[B, BW1, A], [B, SW2, A]]
    # No path of 3 to 6 hops; with 7: A BW1 L1 ULg SW1 E SW2 B, then A SW2 E SW1 ULg L1 BW1 B.
    assert ask(fx, A, B, k=3) == [[A, BW1, B], [A, SW2, B]]
    assert ask(fx, A, B, k=4, max_length=7) == [
        [A, BW1, B], [A, SW2, B], [A, BW1, L1, ULG, SW1, E, SW2, B], [A, SW2, E, SW1, ULG, L1, BW1, B]]


def test_max_length_cuts_a_long_path(fx: Sources) -> None:
    # A -> C: A BW1 L1 ULg L2 BW2 C is 6 hops, the only one within 6; A SW2 E SW1 ULg L2 BW2 C is 7.
    assert ask(fx, A, C) == [[A, BW1, L1, ULG, L2, BW2, C]]
    assert ask(fx, A, C, max_length=5) == []
    assert ask(fx, A, C, max_length=7) == [[A, BW1, L1, ULG, L2, BW2, C], [A, SW2, E, SW1, ULG, L2, BW2, C]]


def test_avoiding_a_relation_changes_the_answer(fx: Sources) -> None:
    # Without unit_of, ULg is reached only as a partner of SW1: A SW2 E SW1 ULg (4), A BW1 B SW2 E SW1 ULg (6).
    assert ask(fx, A, ULG, avoid={"unit_of"}) == [[A, SW2, E, SW1, ULG], [A, BW1, B, SW2, E, SW1, ULG]]
    assert ask(fx, A, ULG, avoid="unit_of") == [[A, SW2, E, SW1, ULG], [A, BW1, B, SW2, E, SW1, ULG]]
    # Following only participations gives the same; following only unit_of leaves A with no tie at all.
    assert ask(fx, A, ULG, relations={"participates_in"}) == [[A, SW2, E, SW1, ULG], [A, BW1, B, SW2, E, SW1, ULG]]
    assert ask(fx, A, ULG, relations={"unit_of"}) == []


def test_a_time_window_removes_the_edges_it_does_not_meet(fx: Sources) -> None:
    # In 2021, BW1 (2018-2019) is over; SW2 (2019-2021) and SW1 (2021-2023) meet the window; unit_of is undated.
    found = find_paths(fx, ox.NamedNode(A), ox.NamedNode(ULG), start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31))
    assert nodes_of(found) == [[A, SW2, E, SW1, ULG]]
    assert [(h.start, h.end) for h in found[0].hops] == [
        ("2019-01-01", "2021-12-31"), ("2019-01-01", "2021-12-31"), ("2021-01-01", "2023-06-30"),
        ("2021-01-01", "2023-06-30")]
    # Bounds are inclusive: on 2019-12-31 BW1 still runs, SW2 runs, SW1 has not started.
    day = dt.date(2019, 12, 31)
    assert ask(fx, A, ULG, start=day, end=day) == [[A, BW1, L1, ULG], [A, SW2, B, BW1, L1, ULG]]
    # An open-ended window: from 2023 on, only BW2 (2023-2025) and SW1 (to mid-2023) of A's world are left.
    assert ask(fx, A, ULG, start=dt.date(2023, 1, 1)) == []
    assert ask(fx, L2, ULG, start=dt.date(2023, 1, 1)) == [[L2, ULG]]


def test_an_isolated_firm_has_no_path_and_the_message_says_so(fx: Sources) -> None:
    # D is a cluster member and nothing else: no strong tie.
    assert ask(fx, D, A) == []
    assert no_path_message("0444.444.496", ox.NamedNode(A), 6) == (
        f"no path between 0444.444.496 and {A} within 6 hops")
    # With weak ties every two members are two hops apart through the cluster: D cluster A; then 4 hops through
    # B (BW1, then SW2) - D cluster E SW2 A is 4 hops too but B's IRI (0422...) sorts before E's (0455...).
    found = find_paths(fx, ox.NamedNode(D), ox.NamedNode(A), weak=True)
    assert nodes_of(found) == [[D, CLUSTER, A], [D, CLUSTER, B, BW1, A], [D, CLUSTER, B, SW2, A]]
    assert found[0].hops == (
        Hop(D, "member_of", CLUSTER, via_membership(D, CLUSTER), "ICT cluster of Wallonia", "2021-09-01", None),
        Hop(CLUSTER, "member_of", A, via_membership(A, CLUSTER), "Alpha Vision SRL", "2019-03-15", None),
    )


def test_a_lab_with_no_tie_but_its_institution_is_unreachable_even_through_weak_ties(fx: Sources) -> None:
    # L9's only tie is UMONS, whose only tie is L9.
    assert ask(fx, D, L9) == []
    assert ask(fx, D, L9, weak=True) == []
    assert ask(fx, L9, UMONS, weak=True) == [[L9, UMONS]]


def test_a_pair_joined_only_by_pole_membership_needs_weak_ties(fx: Sources) -> None:
    # H is a BioWin member and nothing else.
    assert ask(fx, H, P1) == []
    # With weak ties: H BioWin P1 (2), H BioWin BW1 P1 (3), then two of 6 hops through C and the cluster
    # (A before B); none of 4 or 5 (README.md, H -> P1).
    found = find_paths(fx, ox.NamedNode(H), ox.NamedNode(P1), weak=True, k=5)
    assert nodes_of(found) == [
        [H, BIOWIN, P1], [H, BIOWIN, BW1, P1], [H, BIOWIN, C, CLUSTER, A, BW1, P1], [H, BIOWIN, C, CLUSTER, B, BW1, P1]]
    assert found[0].hops[0] == Hop(H, "member_of", BIOWIN, via_membership(H, BIOWIN), "BioWin", "2018-06-01", None)
    # labelled_by: no via, the project's dates.
    assert found[1].hops[1] == Hop(BIOWIN, "labelled_by", BW1, None, "Imagerie médicale par IA", "2018-01-01",
                                   "2019-12-31")
    # H joined BioWin on 2018-06-01: a window ending before cuts H off.
    assert ask(fx, H, P1, weak=True, start=dt.date(2010, 1, 1), end=dt.date(2018, 5, 31)) == []
    # Asking for the weak relation by name is asking for weak ties.
    assert ask(fx, H, P1, relations={"member_of"}) == [[H, BIOWIN, P1]]


def test_an_end_that_is_a_pole_is_reached_through_its_own_weak_ties(fx: Sources) -> None:
    # Strong ties elsewhere, BioWin's own memberships and labels at the end: A BW1 BioWin (2), A BW1 P1 BioWin
    # (3), A SW2 B BW1 BioWin (4). The cluster (A's membership) is not followed: it does not touch BioWin.
    assert ask(fx, A, BIOWIN) == [[A, BW1, BIOWIN], [A, BW1, P1, BIOWIN], [A, SW2, B, BW1, BIOWIN]]
    # Relations named explicitly are exactly the ones followed.
    assert ask(fx, A, BIOWIN, relations={"participates_in"}) == []
    # Without labelled_by, BioWin is reached through its members only: P1 (via BW1), then the same after the
    # A SW2 B BW1 detour; C is 7 hops away (A BW1 L1 ULg L2 BW2 C BioWin).
    assert ask(fx, A, BIOWIN, avoid={"labelled_by"}) == [[A, BW1, P1, BIOWIN], [A, SW2, B, BW1, P1, BIOWIN]]


def test_restricted_sources_are_hidden_from_public_searches(fx: Sources) -> None:
    # Every project is in a pole source, restricted by default: in public only the labs and the cluster remain.
    assert ask(fx, A, L1, restricted=False) == []
    assert ask(fx, L1, L2, restricted=False) == [[L1, ULG, L2]]
    with pytest.raises(InvalidParameter, match="BW-1"):
        resolve_actor(fx, "BW-1", restricted=False)


# -- resolving what users type -------------------------------------------------------------------------------
RESOLVED = [
    ("0411.111.140", A),  # enterprise number, formatted
    ("BE0411111140", A),  # as a VAT number
    ("BE 0411 111 140", A),
    ("ULIEGE-VISION", L1),  # lab code
    ("uliege-vision", L1),  # in any case
    ("BW-1", BW1),  # project id
    ("bw-1", BW1),
    ("993523956", BIOWIN),  # BioWin's CORDIS PIC (ontology/reference.ttl)
    ("0325.777.171", ULG),  # an institution by its number
    (AERO, AERO),  # a full IRI the graph holds
    (f"  {L9} ", L9),
]
REFUSED = [
    ("PX-01", f"names several entities: <{PXB}> \\(project id, Projet commun BioWin\\); <{PXS}>"),
    ("0436.195.241", "nothing in the visible graph is named '0436.195.241'"),  # valid number, unknown firm
    ("Alpha", "nothing in the visible graph is named 'Alpha'"),
    (f"{ID}org/be-0999999999", "is not in the visible graph"),
    ("http://example.org/a b", "is not a valid IRI"),
    ("", "an actor is required"),
    (INJECTION, "nothing in the visible graph is named"),
]


def test_resolve_actor(fx: Sources) -> None:
    for text, expected in RESOLVED:
        assert resolve_actor(fx, text) == ox.NamedNode(expected), text


def test_resolve_actor_refuses_what_names_nothing_or_several_things(fx: Sources) -> None:
    for text, reason in REFUSED:
        with pytest.raises(InvalidParameter, match=reason):
            resolve_actor(fx, text)


def test_an_injection_is_only_a_value_and_changes_nothing(fx: Sources) -> None:
    before = dump(fx)
    with pytest.raises(InvalidParameter):
        resolve_actor(fx, INJECTION)
    with pytest.raises(InvalidParameter):
        find_paths(fx, INJECTION, "0411.111.140")
    assert dump(fx) == before


def test_find_paths_takes_identifiers_as_users_type_them(fx: Sources) -> None:
    assert nodes_of(find_paths(fx, "BE0411111140", "ULIEGE-VISION", k=1)) == [[A, BW1, L1]]


@pytest.mark.parametrize(("options", "reason"), [
    ({"k": 0}, "k must be between 1 and 20"),
    ({"k": 21}, "k must be between 1 and 20"),
    ({"max_length": 0}, "max_length must be between 1 and 10"),
    ({"max_length": 11}, "max_length must be between 1 and 10"),
    ({"relations": {"knows"}}, "relations: unknown relation"),
    ({"avoid": {"unit-of"}}, "avoid: unknown relation"),
    ({"start": dt.date(2022, 1, 1), "end": dt.date(2021, 1, 1)}, "starts .* after it ends"),
])
def test_find_paths_refuses_bad_options(sources: Sources, options: dict, reason: str) -> None:
    with pytest.raises(InvalidParameter, match=reason):  # checked before anything is asked of the store
        find_paths(sources, ox.NamedNode(A), ox.NamedNode(B), **options)


def test_both_ends_the_same_is_refused(fx: Sources) -> None:
    with pytest.raises(InvalidParameter, match="two different actors"):
        find_paths(fx, "0411.111.140", ox.NamedNode(A))


# -- the search itself ---------------------------------------------------------------------------------------
def test_one_neighbour_query_per_layer_not_per_node(fx: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    # A -> C, by hand. Layer 1: both ends in one query -> A's frontier [BW1, SW2], C's [BW2]. Then always the
    # smaller frontier (A's on a tie): [BW2] -> [L2]; [L2] -> [ULg]; [ULg] -> [L1, SW1]; now 2 against 2:
    # A's [BW1, SW2]. da + db = 2 + 4 = 6 = max_length: stop. 7 nodes in 5 queries, then one for the labels.
    calls: list[tuple[str, list[str]]] = []
    real = registry.rows_of

    def counting(sources: Sources, spec: registry.QuerySpec | str, values: dict | None = None,
                 **kw: bool) -> list[dict]:
        calls.append((spec if isinstance(spec, str) else spec.name, sorted((values or {}).get("node", []))))
        return real(sources, spec, values, **kw)

    monkeypatch.setattr(registry, "rows_of", counting)
    assert ask(fx, A, C) == [[A, BW1, L1, ULG, L2, BW2, C]]
    if paths._INDEXES.peek(fx, True, "collaboration graph") is not None:
        # with the graph in memory, the layers cost no query: one for the evidence of the path's hops, one
        # for the labels
        assert calls == [("neighbours", sorted([A, BW1, L1, ULG, L2, BW2, C])),
                         ("entity-labels", sorted([BW1, L1, ULG, L2, BW2, C]))]
        return
    assert calls == [
        ("neighbours", [A, C]), ("neighbours", [BW2]), ("neighbours", [L2]), ("neighbours", [ULG]),
        ("neighbours", [BW1, SW2]), ("entity-labels", sorted([BW1, L1, ULG, L2, BW2, C])),
    ]
    # A layer wider than BATCH nodes is split: with BATCH = 1, one query per node, the same answer.
    calls.clear()
    monkeypatch.setattr(paths, "BATCH", 1)
    assert ask(fx, A, C) == [[A, BW1, L1, ULG, L2, BW2, C]]
    assert [c for c in calls if c[0] == "neighbours"] == [
        ("neighbours", [A]), ("neighbours", [C]), ("neighbours", [BW2]), ("neighbours", [L2]),
        ("neighbours", [ULG]), ("neighbours", [BW1]), ("neighbours", [SW2])]


def test_the_search_stops_widening_at_the_node_budget(fx: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "MAX_NODES", 2)
    # A -> B: the first layer already shows the two 2-hop paths; they are returned (fewer than k=3).
    assert ask(fx, A, B) == [[A, BW1, B], [A, SW2, B]]
    # D -> L9 with weak ties: the first layer sees D, the cluster, L9 and UMONS (4 > 2) and no path.
    with pytest.raises(paths.SearchTooWide, match="narrow it"):
        ask(fx, D, L9, weak=True)


def _reference_graph(sources: Sources, *, weak: bool) -> nx.Graph:
    """The same graph, built naively from the visible quads with networkx."""
    eco, org = "https://w3id.org/ecokg/def#", "http://www.w3.org/ns/org#"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    about: dict[str, dict[str, set[str]]] = {}  # subject -> predicate -> IRIs
    for g in sources.dataset(restricted=True):
        for q in sources.store.quads(g):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                about.setdefault(q.subject.value, {}).setdefault(q.predicate.value, set()).add(q.object.value)

    def pairs(kind: str, first: str, second: str) -> list[tuple[str, str]]:
        return [(x, y) for props in about.values() if kind in props.get(rdf_type, ())
                for x in props.get(first, ()) for y in props.get(second, ())]

    g = nx.Graph()
    g.add_edges_from(pairs(eco + "Participation", eco + "participant", eco + "project"))
    g.add_edges_from((s, o) for s, props in about.items() for o in props.get(org + "unitOf", ()))
    if weak:
        g.add_edges_from(pairs(org + "Membership", org + "member", org + "organization"))
        g.add_edges_from((s, o) for s, props in about.items() for o in props.get(eco + "labelledBy", ()))
    return g


# 78 pairs of searches each: remotely once, with weak ties (whose searches follow the strong ties too)
@pytest.mark.parametrize(("fresh", "weak"), [("embedded", False), ("embedded", True), ("remote", True)],
                         indirect=["fresh"])
def test_path_lengths_agree_with_networkx_for_every_pair_of_actors(fx: Sources, weak: bool) -> None:
    g = _reference_graph(fx, weak=weak)
    for a, b in combinations(ACTORS, 2):
        expected: list[int] = []
        if a in g and b in g and nx.has_path(g, a, b):
            expected = [len(p) - 1 for p in islice(nx.shortest_simple_paths(g, a, b), 3) if len(p) - 1 <= 6]
        found = find_paths(fx, ox.NamedNode(a), ox.NamedNode(b), weak=weak)
        assert [p.length for p in found] == expected, (a, b)
        for p in found:  # each path is one of the reference graph, and simple
            assert nx.is_simple_path(g, list(p.nodes)), (a, b, p.nodes)
