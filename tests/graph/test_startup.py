"""Opening a store brings the bundled model: the taxonomy with its written-out closure."""

from __future__ import annotations

from graph.sources import Sources

TECH = "https://w3id.org/ecokg/tech/"
WITHIN = "https://w3id.org/ecokg/def#within"


def test_within_is_the_reflexive_transitive_closure_of_broader(sources: Sources) -> None:
    def within(slug: str) -> set[str]:
        q = f"SELECT ?up WHERE {{ <{TECH}{slug}> <{WITHIN}> ?up }}"
        return {r["up"].value.removeprefix(TECH) for r in sources.store.query(q, dataset=sources.dataset())}  # type: ignore[union-attr,index]

    # image recognition -> computer vision -> artificial intelligence (technologies.ttl), and itself
    assert within("image-recognition") == {"image-recognition", "computer-vision", "artificial-intelligence"}
    assert within("artificial-intelligence") == {"artificial-intelligence"}
    # the same as the property path, for every concept of the technology taxonomy and of euroSciVoc
    for scheme in (TECH, "urn:cordis:euroscivoc:"):
        concepts = f"?c a <http://www.w3.org/2004/02/skos/core#Concept> FILTER(STRSTARTS(STR(?c), {scheme!r}))"
        broader = "<http://www.w3.org/2004/02/skos/core#broader>*"
        path = sources.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {concepts} ?c {broader} ?up }}",
                                   dataset=sources.dataset())
        written = sources.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {concepts} ?c <{WITHIN}> ?up }}",
                                      dataset=sources.dataset())
        counted = int(next(iter(path))["n"].value)  # type: ignore[index,union-attr,call-overload]
        assert counted > 100 and counted == int(next(iter(written))["n"].value)  # type: ignore[index,union-attr,call-overload]


def test_a_bundled_source_is_loaded_once(sources: Sources) -> None:
    from graph.startup import ensure_system

    assert ensure_system(sources) == []  # fingerprints match: nothing to reload
