"""`ecokg load taxonomy FILE`: NACE Rev.2 and euroSciVoc as SKOS schemes, each its own source, with eco:within.

Fixtures: tests/data/nace/ (the RAMON NACE Rev.2 Turtle of W3C DPV and its flat CSV, copied whole from
../shared/data/nace/), tests/data/taxonomies/euroscivoc_head30.csv (the first 30 concepts of the derived
euroSciVoc CSV), ontology/euroscivoc.ttl (the bundled euroSciVoc subset). Counts by hand: the RAMON file
has 996 codes (21 sections, 88 divisions, 272 groups, 615 classes) and 30 definitions.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import EcokgError, LoadError
from graph.sources import Sources
from loaders.run import load
from ontology import ONTOLOGY_DIR, REFERENCE_TTL, TECHNOLOGIES_TTL
from ontology.vocab import ESV, NACE, T

DATA = Path(__file__).parents[1] / "data"
NACE_TTL = DATA / "nace" / "nace_r2_ramon_w3c-dpv.ttl"
NACE_CSV = DATA / "nace" / "nace_r2_flat_from_ramon.csv"
ESV_CSV = DATA / "taxonomies" / "euroscivoc_head30.csv"


def graph_of(sources: Sources, source: str) -> set[tuple[object, object, object]]:
    return {(q.subject, q.predicate, q.object) for q in sources.store.quads(sources.current()[source].graph)}


def concepts(triples: set[tuple[object, object, object]]) -> set[object]:
    return {s for s, p, o in triples if p == T.rdf.type and o == T.skos.Concept}


def within(triples: set[tuple[object, object, object]], concept: ox.NamedNode) -> set[object]:
    return {o for s, p, o in triples if s == concept and p == T.eco.within}


def test_nace_from_ramon_turtle(sources: Sources) -> None:
    report = load(sources, "taxonomy", [NACE_TTL])
    assert report.source == "taxonomy-nace"
    g = graph_of(sources, "taxonomy-nace")
    assert len(concepts(g)) == 996
    tops = {o for s, p, o in g if p == T.skos.hasTopConcept}
    assert tops == {ox.NamedNode(NACE[letter]) for letter in "ABCDEFGHIJKLMNOPQRSTU"}
    assert within(g, ox.NamedNode(NACE["62.01"])) == {ox.NamedNode(NACE[c]) for c in ("62.01", "62.0", "62", "J")}
    assert (ox.NamedNode(NACE["62.01"]), T.skos.prefLabel, ox.Literal("Computer programming activities",
                                                                       language="en")) in g
    assert sum(1 for _, p, _ in g if p == T.skos.definition) == 30
    assert not any(p.value.startswith("http://ec.europa.eu/eurostat/ramon/ontologies/") for _, p, _ in g)  # type: ignore[attr-defined]


def test_nace_flat_csv_gives_the_same_scheme(sources: Sources) -> None:
    load(sources, "taxonomy", [NACE_TTL])
    from_ttl = graph_of(sources, "taxonomy-nace")
    load(sources, "taxonomy", [NACE_CSV])
    from_csv = graph_of(sources, "taxonomy-nace")
    assert sources.current()["taxonomy-nace"].rows == 996
    assert from_csv == {t for t in from_ttl if t[1] != T.skos.definition}  # the CSV has no definitions


def test_euroscivoc_from_csv_uses_the_bundled_iris(sources: Sources) -> None:
    report = load(sources, "taxonomy", [ESV_CSV])
    assert report.source == "taxonomy-euroscivoc"
    g = graph_of(sources, "taxonomy-euroscivoc")
    assert len(concepts(g)) == 30
    pandemics = ox.NamedNode(ESV["21_33_137_133_9678651"])
    assert within(g, pandemics) == {ox.NamedNode(ESV[c]) for c in (
        "21_33_137_133_9678651", "21_33_137_133", "21_33_137", "21_33", "21")}
    bundled = {q.subject for q in ox.parse(path=str(ONTOLOGY_DIR / "euroscivoc.ttl"), format=ox.RdfFormat.TURTLE)}
    assert concepts(g) <= bundled


def test_euroscivoc_turtle_loads_as_it_is_with_the_closure(sources: Sources) -> None:
    load(sources, "taxonomy", [ONTOLOGY_DIR / "euroscivoc.ttl"])
    g = graph_of(sources, "taxonomy-euroscivoc")
    assert len(concepts(g)) == 980
    assert len(within(g, ox.NamedNode(ESV["21_33_137_133_9678651"]))) == 5


def test_another_skos_scheme_is_named_after_its_file(sources: Sources, tmp_path: Path) -> None:
    path = tmp_path / "Mes Domaines.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "<http://x.example/a> a skos:Concept .\n<http://x.example/b> a skos:Concept ; "
                    "skos:broader <http://x.example/a> .\n", encoding="utf-8")
    assert load(sources, "taxonomy", [path]).source == "taxonomy-mes-domaines"
    assert within(graph_of(sources, "taxonomy-mes-domaines"), ox.NamedNode("http://x.example/b")) == {
        ox.NamedNode("http://x.example/a"), ox.NamedNode("http://x.example/b")}


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("nace.csv", '"code";"level";"name";"broader";"section"\n"A";"1";"AGRICULTURE";"";"A"\n'
                 '"01";"2";"Crop production";"X";"A"\n"01";"2";"Again";"A";"A"\n',
     [("4", "code", "duplicate id '01' (first at row 3)"),
      ("3", "broader", "broader code 'X' is not a code of this file")]),
    ("esv.csv", '"euroSciVocCode";"parentCode";"level";"title"\n"/21";"";"1";""\n',
     [("2", "title", "required value is empty")]),
    ("bad.ttl", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> a skos:Concept\n",
     [("2", "-", "")]),  # the statement on line 2 lacks its final dot
    ("plain.ttl", "<http://x.example/a> <http://x.example/p> 'v' .\n", [("-", "-", "no skos:Concept")]),
])
def test_bad_taxonomy_files_are_refused(sources: Sources, tmp_path: Path, name: str, text: str,
                                        expected: list[tuple[str, str, str]]) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = dump(sources)
    with pytest.raises(LoadError) as caught:
        load(sources, "taxonomy", [path])
    got = [(p.row, p.column, p.reason) for p in caught.value.problems]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in expected]
    assert all(e in g for (_, _, g), (_, _, e) in zip(got, expected, strict=True))
    assert dump(sources) == before


def test_one_scheme_per_load(sources: Sources) -> None:
    with pytest.raises(EcokgError, match="several schemes"):
        load(sources, "taxonomy", [NACE_CSV, ESV_CSV])


def test_nace_mappings_of_the_bundled_schemes_resolve() -> None:
    """The technology and sector schemes point only at NACE concepts that exist (read from the RAMON file)."""
    nace = {q.subject for q in ox.parse(path=str(NACE_TTL), format=ox.RdfFormat.TURTLE)}
    targets = set()
    for path in (TECHNOLOGIES_TTL, REFERENCE_TTL):
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="http://example.org/"):
            if q.object.value.startswith(str(NACE)):  # type: ignore[union-attr]
                targets.add(q.object)
    assert len(targets) == 15  # 12 for the ICT sector, 3 more (62.01, 58.29, 63.11) for technologies
    assert targets <= nace
