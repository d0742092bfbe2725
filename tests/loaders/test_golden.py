"""Loaders tested by golden files: input files + hand-written expected Turtle, compared as graphs.

Each folder of tests/loaders/golden/ holds the input file(s), `expected.ttl` (worked out by hand from
docs/data-dictionary.md and docs/ontology.md, never produced by the code) and `case.json` (kind, the
review items expected, why the case exists).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from loaders.run import convert
from loaders.vocabulary import Vocabulary
from ontology.iris import Minter

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def _as_rdflib(triples: list) -> Graph:
    data = ox.serialize((ox.Triple(*t) for t in triples), format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data, format="nt")


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, vocab: Vocabulary, minter: Minter) -> None:
    folder = GOLDEN / case
    spec = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    inputs = sorted(p for p in folder.iterdir() if p.name not in ("case.json", "expected.ttl"))
    conversion = convert(spec["kind"], inputs, vocab, minter, spec.get("pole"))
    triples = list(conversion.triples)
    assert conversion.builder.problems == []
    got = _as_rdflib(triples)
    expected = Graph().parse(folder / "expected.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "loader output differs from expected.ttl\n--- only in output:\n"
            + only_got.serialize(format="nt") + "\n--- only in expected:\n" + only_expected.serialize(format="nt")
        )
    review = [[i.kind, i.label, i.problem.row, i.problem.column] for i in conversion.builder.review]
    assert review == spec["review"]
