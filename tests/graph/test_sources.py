"""Sources as versioned named graphs: atomic replace, what queries see, provenance and history."""

from __future__ import annotations

import io
from datetime import datetime

import pyoxigraph as ox
import pytest

from graph.errors import EcokgError, LoadError, Problem, UnknownSource
from graph.sources import LoadInput, Sources

EX = "http://example.org/id/"
P = ox.NamedNode("http://example.org/p")


def t(s: str, o: str) -> tuple[ox.NamedNode, ox.NamedNode, ox.Literal]:
    return ox.NamedNode(EX + s), P, ox.Literal(o)


def describe(rows: int = 1, files: tuple[tuple[str, str], ...] = (("f.csv", "00"),)) -> LoadInput:
    return LoadInput(files=files, rows=rows, loader_version="test/1", agent="tester@host")


def visible(sources: Sources) -> set[tuple[str, str]]:
    """What a query sees of the test entities, through the default graph."""
    result = sources.store.query("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }", dataset=sources.dataset())
    return {(r["s"].value.removeprefix(EX), r["o"].value) for r in result}  # type: ignore[union-attr]


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def test_replace_makes_the_new_version_the_only_visible_one(sources: Sources) -> None:
    sources.replace("members", [t("a", "1"), t("b", "2")], lambda: describe(2))
    sources.replace("members", [t("a", "1"), t("c", "3")], lambda: describe(2))
    assert visible(sources) == {("a", "1"), ("c", "3")}
    assert sources.current()["members"].number == 2
    # the old version's graph is gone; the history keeps both loads
    names = {g.value for g in sources.store.graphs()}
    assert "http://example.org/graph/source/members/v2" in names
    assert "http://example.org/graph/source/members/v1" not in names
    assert [v.number for v in sources.history("members")] == [1, 2]


def test_sources_are_independent(sources: Sources) -> None:
    sources.replace("members", [t("a", "1")], describe)
    sources.replace("labs", [t("l", "x")], describe)
    sources.replace("members", [t("a", "2")], describe)
    assert visible(sources) == {("a", "2"), ("l", "x")}


def test_a_refused_load_leaves_the_store_exactly_as_before(sources: Sources) -> None:
    sources.replace("members", [t("a", "1")], describe)
    before = dump(sources)

    def refuse() -> LoadInput:
        raise LoadError([Problem("f.csv", "3", "name", "required value is empty")])

    with pytest.raises(LoadError):
        sources.replace("members", [t("a", "9"), t("z", "9")], refuse)
    assert dump(sources) == before
    assert visible(sources) == {("a", "1")}


def test_a_conversion_that_crashes_half_way_leaves_nothing(sources: Sources) -> None:
    sources.replace("members", [t("a", "1")], describe)
    before = dump(sources)

    def exploding():  # type: ignore[no-untyped-def]
        yield t("a", "9")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        sources.replace("members", exploding(), describe)
    assert dump(sources) == before


def test_an_uncommitted_version_is_never_visible_and_cleanup_drops_it(sources: Sources) -> None:
    """What a killed load leaves: a version graph without its commit record."""
    sources.replace("members", [t("a", "1")], describe)
    orphan = ox.NamedNode("http://example.org/graph/source/members/v2")
    s, p, o = t("half", "loaded")
    sources.store.bulk_add(orphan, [f"{s} {p} {o} .\n".encode()])
    assert visible(sources) == {("a", "1")}
    # not through GRAPH ?g either: only current versions are named graphs of the dataset
    graphs = sources.store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=sources.dataset())
    assert orphan not in {r["g"] for r in graphs}  # type: ignore[index]
    assert sources.cleanup() == [orphan.value]
    assert orphan not in sources.store.graphs()
    # and the next load does not trip over the number
    sources.replace("members", [t("a", "2")], describe)
    assert visible(sources) == {("a", "2")}


def test_dry_run_writes_nothing(sources: Sources) -> None:
    before = dump(sources)
    assert sources.replace("members", [t("a", "1")], describe, dry_run=True) is None
    assert dump(sources) == before


def test_provenance_of_a_load(sources: Sources) -> None:
    result = sources.replace("members", [t("a", "1"), t("b", "2")],
                             lambda: describe(7, (("m.csv", "ab12"), ("n.csv", "cd34"))))
    v = result.version
    assert (v.source, v.number, v.quads, v.rows, v.agent, v.loader_version) == (
        "members", 1, 2, 7, "tester@host", "test/1")
    assert v.files == (("m.csv", "ab12"), ("n.csv", "cd34"))
    assert v.access == "public"
    # xsd:dateTime is kept canonical ('...55.8Z'): compare times, not strings
    assert datetime.fromisoformat(v.started) <= datetime.fromisoformat(v.ended)


def test_what_changed_between_two_loads(sources: Sources) -> None:
    sources.replace("members", [t("a", "1"), t("b", "2"), t("c", "3")], describe)
    result = sources.replace(
        "members",
        # a unchanged, b changed, c removed, d added
        [t("a", "1"), t("b", "22"), t("d", "4")],
        describe,
    )
    assert result.change.added == [EX + "d"]
    assert result.change.removed == [EX + "c"]
    assert result.change.changed == [EX + "b"]
    v = sources.history("members")[-1]
    assert (v.added, v.removed, v.changed) == (1, 1, 1)
    assert sources.change_of(v).changed == [EX + "b"]


def test_long_lists_are_counted_not_listed(sources: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counts are exact however many; the IRIs only up to LIST_LIMIT each (here 2)."""
    monkeypatch.setattr("graph.sources.LIST_LIMIT", 2)
    sources.replace("members", [t(k, "1") for k in "abcde"], describe)
    # a unchanged; b, c, d changed (3: not listed); e removed; f, g, h added (3: not listed)
    result = sources.replace("members", [t("a", "1"), *(t(k, "2") for k in "bcd"), *(t(k, "1") for k in "fgh")],
                             describe)
    assert (result.change.added, result.change.removed, result.change.changed) == ([], [EX + "e"], [])
    v = result.version
    assert (v.added, v.removed, v.changed) == (3, 1, 3)
    assert sources.change_of(v) == result.change
    first = sources.history("members")[0]
    assert first.added == 5 and sources.change_of(first).added == []


def test_a_change_in_a_dependent_node_is_a_change_of_its_entity(sources: Sources) -> None:
    sources.replace("members", [t("a", "1"), t("a#address", "4000")], describe)
    result = sources.replace("members", [t("a", "1"), t("a#address", "5000")], describe)
    assert result.change.changed == [EX + "a"]
    assert result.change.added == [] and result.change.removed == []


def test_restricted_sources_are_left_out_of_the_public_dataset(sources: Sources) -> None:
    sources.replace("pole-biowin", [t("p", "secret")],
                    lambda: LoadInput(files=(), rows=1, loader_version="t", access="restricted"))
    assert sources.graph_of("pole-biowin").value + "/v1" in {g.value for g in sources.dataset()}
    assert sources.graph_of("pole-biowin").value + "/v1" not in {g.value for g in sources.dataset(restricted=False)}


def test_history_of_an_unknown_source_says_so(sources: Sources) -> None:
    with pytest.raises(UnknownSource, match="no load of source 'nope'"):
        sources.history("nope")


@pytest.mark.parametrize("name", ["<script>", "Members", "pole biowin", "", "a/b", "x" * 64])
def test_a_source_name_is_a_safe_identifier(sources: Sources, name: str) -> None:
    with pytest.raises(EcokgError, match="must be lower-case letters"):
        sources.replace(name, [], describe)


def test_what_a_load_streams_digests_as_what_the_store_gives_back(sources: Sources) -> None:
    """The change set compares the new version's digests (computed while streaming) with the old one's
    (read from the store): both must agree on unchanged data, literals of every datatype included."""
    from pathlib import Path

    from loaders.run import load

    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    first = load(sources, "poles", sorted(examples.glob("biowin-*.csv")))
    assert first.result is not None
    again = load(sources, "poles", sorted(examples.glob("biowin-*.csv")))
    assert again.result is not None
    change = again.result.change
    assert (change.added, change.removed, change.changed) == ([], [], [])


def test_quads_written_counts_distinct_triples(sources: Sources) -> None:
    result = sources.replace("members", [t("a", "1"), t("a", "1"), t("b", "2")], describe)
    assert result.version.quads == 2
    assert len(list(sources.store.quads(result.version.graph))) == 2


def test_the_stream_counts_and_digests_distinct_triples_as_the_store_keeps_them() -> None:
    """A firm named by two rows writes its triples twice: they count once, and each entity's digest equals the
    one `_digests` computes from the store's distinct quads (what the next load compares with)."""
    from graph.digests import Digests, Stream, digests_of, entity_hash

    firm, other = ox.NamedNode("http://example.org/id/org/be-1"), ox.NamedNode("http://example.org/id/org/be-2")
    address = ox.NamedNode("http://example.org/id/org/be-1#address")
    name = ox.NamedNode("http://www.w3.org/ns/regorg#legalName")
    blank = ox.BlankNode("b0")
    triples = [(firm, name, ox.Literal("Acme")), (address, name, ox.Literal("Rue 1")), (firm, name, ox.Literal("Acme")),
               (other, name, ox.Literal("Bet")), (blank, name, ox.Literal("x")), (blank, name, ox.Literal("x"))]
    stream = Stream(triples)
    written = b"".join(stream)
    assert written.count(b"\n") == 6  # every line goes to the store, which keeps a set
    assert stream.count == 4
    distinct = {ox.Quad(s, p, o) for s, p, o in triples}
    def as_dict(d: Digests) -> dict[int, int]:
        return dict(zip(d.entities.tolist(), d.sums.tolist(), strict=True))

    assert as_dict(stream.digests) == as_dict(digests_of(distinct))
    assert set(as_dict(stream.digests)) == {entity_hash(firm), entity_hash(other)}  # the address is its firm's
