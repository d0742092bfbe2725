"""Monthly KBO/BCE updates applied to a loaded extract: `ecokg load kbo DIR --update UPDATE_DIR...` builds the
next version of the source from the full extract and the updates, atomically like every load.

tests/data/kbo/update-0137 and update-0138 are hand-made in the real update layout (<table>_delete.csv lists
numbers whose rows of that table are all deleted, <table>_insert.csv their rows now; meta.csv numbers them):
- 0137 deletes enterprise 0200.362.408 (and its names and seat), inserts 0201.105.843 (IDEA, whose seat in
  Mons and e-mail are already in the full extract's address.csv and contact.csv) with a 2008 activity, and
  replaces the names of 0200.362.210 (abbreviation 'in B.W.' becomes 'inBW');
- 0138 renames 0201.105.843 'Intercommunale IDEA'.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import LoadError
from graph.sources import Sources
from loaders.run import load
from ontology.vocab import NACE, T

BASE = "http://example.org/"
DATA = Path(__file__).parents[1] / "data" / "kbo"
EXTRACT, U137, U138 = DATA / "extract", DATA / "update-0137", DATA / "update-0138"
ORG = f"{BASE}id/org/be-"


def current(sources: Sources) -> set[tuple[object, object, object]]:
    return {(q.subject, q.predicate, q.object) for q in sources.store.quads(sources.current()["kbo"].graph)}


def names(sources: Sources, number: str, predicate: ox.NamedNode) -> set[str]:
    return {o.value for s, p, o in current(sources)  # type: ignore[attr-defined]
            if s == ox.NamedNode(f"{ORG}{number}") and p == predicate}


def organisations(sources: Sources) -> set[str]:
    return {s.value.removeprefix(ORG) for s, p, o in current(sources)  # type: ignore[attr-defined]
            if p == T.rdf.type and o == T.rov.RegisteredOrganization}


def test_an_update_inserts_and_deletes(sources: Sources) -> None:
    load(sources, "kbo", [EXTRACT])
    assert organisations(sources) == {"0200362210", "0200362408"}
    report = load(sources, "kbo", [EXTRACT], updates=[U137])
    assert organisations(sources) == {"0200362210", "0201105843"}
    assert names(sources, "0200362210", T.schema.alternateName) == {"inBW"}
    assert names(sources, "0200362210", T.rov.legalName) == {"in BW Association Intercommunale"}
    assert names(sources, "0201105843", T.rov.legalName) == {"IDEA"}
    assert names(sources, "0201105843", T.schema.email) == {"officiel.ic-idea@idea.be"}  # from the full extract
    triples = current(sources)
    seat = ox.NamedNode(f"{ORG}0201105843#address-rego")
    assert (seat, T.eco.nuts3, ox.NamedNode("http://data.europa.eu/nuts/code/BE323")) in triples  # Mons
    assert (ox.NamedNode(f"{BASE}id/kbo/nace2008/70220"), T.skos.broadMatch, ox.NamedNode(NACE["70.22"])) in triples
    assert not any(str(s).startswith(f"<{ORG}0200362408") for s, _, _ in triples)
    # one new version, the change as the load record tells it
    assert report.result is not None and report.result.version.number == 2
    change = report.result.change
    assert change.removed == [f"{ORG}0200362408"]
    assert f"{ORG}0201105843" in change.added and f"{ORG}0200362210" in change.changed
    files = {name for name, _ in sources.current()["kbo"].files}
    assert {"enterprise_insert.csv", "enterprise_delete.csv", "denomination_insert.csv"} <= files


def test_updates_apply_in_order(sources: Sources) -> None:
    load(sources, "kbo", [EXTRACT], updates=[U137, U138])
    assert names(sources, "0201105843", T.rov.legalName) == {"Intercommunale IDEA"}  # 0138 deleted 'IDEA'
    assert names(sources, "0200362210", T.schema.alternateName) == {"inBW"}


def test_an_update_that_does_not_follow_is_refused(sources: Sources) -> None:
    before = sources.current().keys()
    with pytest.raises(LoadError) as caught:
        load(sources, "kbo", [EXTRACT], updates=[U138])
    [problem] = caught.value.problems
    assert (Path(problem.file).parent.name, problem.column) == ("update-0138", "ExtractNumber")
    assert "does not follow extract 136" in problem.reason
    assert sources.current().keys() == before


def test_a_full_extract_is_not_an_update_and_the_reverse(sources: Sources) -> None:
    with pytest.raises(LoadError, match="load a full extract"):
        load(sources, "kbo", [U137])
    with pytest.raises(LoadError, match="is this an unzipped KBO/BCE update"):
        load(sources, "kbo", [EXTRACT], updates=[EXTRACT])
