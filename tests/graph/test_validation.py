"""`ecokg validate`: the full SHACL report over what is visible."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.sources import LoadInput, Sources
from graph.validation import validate_sources
from loaders.run import load

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ECO = "https://w3id.org/ecokg/def#"


def test_the_examples_conform_and_a_broken_fact_is_reported(sources: Sources) -> None:
    load(sources, "labs", [EXAMPLES / "labs.csv"])
    load(sources, "members", [EXAMPLES / "members.csv"])
    load(sources, "poles", sorted(EXAMPLES.glob("biowin-*.csv")))
    assert validate_sources(sources) == []

    firm = ox.NamedNode("http://example.org/id/org/be-0436195241")
    sources.replace("corrections", [(firm, ox.NamedNode(ECO + "enterpriseNumber"), ox.Literal("436195241"))],
                    lambda: LoadInput(files=(), rows=1, loader_version="t"))
    violations = validate_sources(sources)
    assert {(v.focus, v.path) for v in violations} == {(firm.value, ECO + "enterpriseNumber")}
    assert all(v.message for v in violations)

