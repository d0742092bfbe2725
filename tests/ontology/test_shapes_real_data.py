"""ontology/shapes.ttl on real public data: the CORDIS and KBO/BCE slices of tests/data (origins in
tests/data/README.md), loaded and linked one after the other as `ecokg load` does, conform.

They hold what the shapes must allow (worked out from the rows, quoted below): one organisation spelled two ways by
two programmes, its address given twice, a project known by its acronym only.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.sources import Sources
from graph.store import EmbeddedStore
from graph.validation import validate_sources
from loaders import linking
from loaders.run import load
from ontology.vocab import T

BASE = "http://example.org/"  # the `sources` fixture's (tests/conftest.py)
DATA = Path(__file__).resolve().parents[1] / "data"
LOADS = [
    ("cordis", [DATA / "cordis" / "h2020_organization_BE.csv"]),
    ("cordis", [DATA / "cordis" / "fp7_organizations_BE.csv"]),
    ("cordis", [DATA / "cordis" / "he_project_head100.csv", DATA / "cordis" / "he_organization_head100.csv"]),
    ("kbo", [DATA / "kbo" / "extract"]),
]


@pytest.fixture(scope="module")
def real(system_dump: bytes) -> Sources:
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    sources = Sources(store, BASE, exclusive=True)
    for kind, paths in LOADS:
        load(sources, kind, paths)
        linking.link(sources)
    return sources


def _objects(sources: Sources, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[ox.NamedNode | ox.Literal]:
    """What the visible graphs (the sources' current versions) say of `subject`."""
    return {q.object for g in sources.dataset() for q in sources.store.quads(g, subject, predicate)
            if isinstance(q.object, ox.NamedNode | ox.Literal)}


def _address_values(sources: Sources, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[str]:
    addresses = [a for a in _objects(sources, subject, T.locn.address) if isinstance(a, ox.NamedNode)]
    return {o.value for a in addresses for o in _objects(sources, a, predicate)}


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(f"{BASE}id/{path}")


def test_the_real_slices_hold_what_the_shapes_must_allow(real: Sources) -> None:
    # H2020 "998398206","BE0403834160","JANSSEN PHARMACEUTICA NV"; FP7 "998398206";"BE";"Janssen Pharmaceutica NV"
    assert _objects(real, iri("org/be-0403834160"), T.rov.legalName) == {
        ox.Literal("JANSSEN PHARMACEUTICA NV"), ox.Literal("Janssen Pharmaceutica NV")}
    # PIC 987950045 (INBO) moved: H2020 "HAVENLAAN 88 BUS 73","1000"; FP7 "KLINIEKSTRAAT 25, BRUSSEL, 1070"
    assert _address_values(real, iri("org/pic-987950045"), T.locn.postCode) == {"1000", "1070"}
    # PIC 906160809 (SCIENSANO, BE0693876830): H2020 city "ELSENE", Horizon Europe "Elsene": two addresses
    assert _address_values(real, iri("org/be-0693876830"), T.locn.postName) == {"ELSENE", "Elsene"}
    # H2020 organization.csv names project 826141 by its acronym, X2Rail-3; its title is in a project.csv not loaded
    assert _objects(real, iri("project/cordis-826141"), T.schema.alternateName) == {ox.Literal("X2Rail-3")}
    assert _objects(real, iri("project/cordis-826141"), T.dcterms.title) == set()


def test_the_real_slices_conform(real: Sources) -> None:
    # no violation, and no warning either: every company of these sources is named
    assert [str(v) for v in validate_sources(real)] == []
