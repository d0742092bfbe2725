"""The example files of docs/examples load as the data dictionary says, together, with nothing to review."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.sources import Sources
from loaders.run import load
from queries.stats import statistics

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_the_examples_load_and_link(sources: Sources) -> None:
    reports = [
        load(sources, "curation", [EXAMPLES / "curation.csv"]),
        load(sources, "labs", [EXAMPLES / "labs.csv"]),
        load(sources, "members", [EXAMPLES / "members.csv"]),
        load(sources, "poles", sorted(EXAMPLES.glob("biowin-*.csv"))),
    ]
    assert [r.source for r in reports] == ["curation", "labs", "members", "pole-biowin"]
    assert all(r.review == [] for r in reports), [str(i) for r in reports for i in r.review]
    assert sources.current()["pole-biowin"].access == "restricted"
    figures = statistics(sources)["entities"]
    # 3 members + 1 pole-only member (Datalys is both: one node) = 4 companies; 2 labs; 1 project
    assert (figures["Company"], figures["ResearchLab"], figures["Project"], figures["Participation"]) == (4, 2, 1, 4)
    assert figures["CompetitivenessPole"] == 6 and figures["Cluster"] == 1
    # Datalys is a member of the cluster and of BioWin, and one node in both
    q = """SELECT ?org WHERE { ?m1 <http://www.w3.org/ns/org#member> ?org ;
                                  <http://www.w3.org/ns/org#organization> <http://example.org/id/cluster/ict-wallonia> .
                              ?m2 <http://www.w3.org/ns/org#member> ?org ;
                                  <http://www.w3.org/ns/org#organization> <http://example.org/id/pole/biowin> . }"""
    rows = list(sources.store.query(q, dataset=sources.dataset()))  # type: ignore[arg-type]
    assert [r["org"] for r in rows] == [ox.NamedNode("http://example.org/id/org/be-0403170701")]
