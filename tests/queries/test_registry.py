"""The named-query registry: headers parsed strictly, parameters bound as typed terms and never as text."""

from __future__ import annotations

import io
import re
import typing
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import InvalidParameter
from graph.sources import Sources
from queries.registry import BadParameter, MalformedQuery, Param, QuerySpec, load_registry, parse, plain, run

DATA = Path(__file__).resolve().parents[1] / "data" / "queries"
GOOD = load_registry(DATA / "good")
XSD = "http://www.w3.org/2001/XMLSchema#"

INJECTIONS = ['"} ; DROP ALL #', "<x> } UNION { ?s ?p ?o", "x' . ?s ?p ?o } #", '\\" } INSERT DATA { <a> <b> <c> } #']
IRI_KINDS = typing.get_args(Param.model_fields["kind"].annotation)  # every kind a query header may name
HARMLESS = "urn:ecokg:harmless"
HOSTILE_IRIS: dict[str, str | None] = {  # a value for an iri parameter of any kind -> the IRI it is, None: refused
    **dict.fromkeys(INJECTIONS),
    "urn:x> } ; DROP ALL ; <urn:y": None,  # closes the IRI
    "http://example.org/id/pole/a>\n} ; CLEAR ALL #": None,
    "biowin\n} ; DROP ALL #": None,  # a good key, then a new line
    "BE3> } ; DROP ALL #": None,
    "tech:erp> } INSERT DATA { <a> <b> <c> } #": None,
    'sector:c" } #': None,
    "be-0436195241> } UNION { ?s ?p ?o } #": None,
    "urn:x\\u003E } ; DROP ALL { <urn:y": None,  # SPARQL reads \u escapes in IRIs: \u003E is '>'
    "biowin\\u003e } ; DROP ALL #": None,
    "urn:x<y": None,
    "urn:x'} ; DROP ALL #": None,
    "urn:a b": None,
    "urn:x\x00": None,
    'http://example.org/a?b="c"': None,
    "urn:x{y}": None,
    "urn:x%3E%20%7D%20DROP%20ALL": "urn:x%3E%20%7D%20DROP%20ALL",  # percent-encoded: an IRI, nothing more
    "urn:x\uff1e\uff5d\uff1bDROP": "urn:x\uff1e\uff5d\uff1bDROP",  # full-width > } ;, letters to SPARQL
    "urn:x\u202e": "urn:x\u202e",  # right-to-left override
    "urn:x\u2028y": "urn:x\u2028y",  # Unicode's line separator, no end of line to SPARQL
    f" \t{HARMLESS}-padded\n ": f"{HARMLESS}-padded",  # white space around is trimmed
}


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def echo(sources: Sources, **values: object) -> dict:
    result = run(sources, GOOD["echo"], values)
    assert len(result.rows) == 1
    return result.rows[0]


def test_each_type_is_bound_as_its_rdf_term(sources: Sources) -> None:
    row = echo(sources, s="Liège", i="https://w3id.org/ecokg/tech/erp", org="BE 0436.195.241", n="42",
               d="1250.00", day="2024-02-29", e="beta")
    assert row == {"s": "Liège", "i": "https://w3id.org/ecokg/tech/erp",
                   "org": "http://example.org/id/org/be-0436195241", "n": 42, "d": 1250.0, "day": "2024-02-29",
                   "e": "beta", "many": None}


@pytest.mark.parametrize(("term", "value"), [
    (ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")), 7),
    (ox.Literal("-3", datatype=ox.NamedNode(XSD + "long")), -3),
    (ox.Literal("2.5", datatype=ox.NamedNode(XSD + "decimal")), 2.5),
    (ox.Literal("1E3", datatype=ox.NamedNode(XSD + "double")), 1000.0),
    (ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")), True),  # "1" is true too, in XSD
    (ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")), False),
    (ox.Literal("7", datatype=ox.NamedNode("http://example.org/units#integer")), "7"),  # not XSD's: its text
    (ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date")), "2024-02-29"),
    (ox.Literal("Liège", language="fr"), "Liège"),
    (ox.NamedNode("urn:x"), "urn:x"),
    (None, None),
])
def test_a_term_becomes_its_json_value(term: ox.Literal | ox.NamedNode | None, value: object) -> None:
    assert plain(term) == value
    assert type(plain(term)) is type(value)


def test_an_optional_parameter_left_out_is_unbound_and_a_default_applies(sources: Sources) -> None:
    row = echo(sources)
    assert row["s"] is None and row["n"] is None
    assert row["e"] == "alpha"


def test_a_multi_valued_parameter_gives_one_binding_per_value(sources: Sources) -> None:
    result = run(sources, GOOD["echo"], {"many": ["b", "a", "c"]})
    assert [r["many"] for r in result.rows] == ["a", "b", "c"]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_through_a_string_is_only_a_value(sources: Sources, attack: str) -> None:
    before = dump(sources)
    row = echo(sources, s=attack)
    assert row["s"] == attack
    assert dump(sources) == before


@pytest.mark.parametrize("fresh", ["embedded"], indirect=True)  # refused before any query: one backend is enough
@pytest.mark.parametrize("attack", INJECTIONS)
@pytest.mark.parametrize("name", ["i", "org", "n", "d", "day", "e"])
def test_injection_through_any_other_type_is_refused(sources: Sources, attack: str, name: str) -> None:
    before = dump(sources)
    with pytest.raises(InvalidParameter, match=f"parameter '{name}'"):
        run(sources, GOOD["echo"], {name: attack})
    assert dump(sources) == before


@pytest.mark.parametrize("fresh", ["embedded"], indirect=True)  # bound before any query: one backend is enough
@pytest.mark.parametrize("kind", IRI_KINDS)
def test_injection_through_every_iri_kind_is_refused_or_one_iri(sources: Sources, kind: str) -> None:
    """Every kind, those no bundled query uses yet included: a hostile value is refused naming the parameter,
    or is one IRI, the value itself, alone or among several values."""
    before = dump(sources)
    for multi in (False, True):
        spec = QuerySpec(name="echo-iri", summary="echo", body="SELECT ?x WHERE { }\n",
                         params=[Param.model_validate({"name": "x", "type": "iri", "kind": kind, "multi": multi})])
        for attack, iri in HOSTILE_IRIS.items():
            value = [attack, HARMLESS] if multi else attack
            if iri is None:
                with pytest.raises(BadParameter, match="parameter 'x'") as refused:
                    run(sources, spec, {"x": value})
                assert refused.value.parameter == "x"
            else:
                rows = run(sources, spec, {"x": value}).rows
                assert sorted(r["x"] for r in rows) == sorted([iri, HARMLESS] if multi else [iri]), attack
    assert dump(sources) == before


def harmless(param: Param) -> object:
    """A value any parameter of this type takes: for the other required parameters of a query under attack."""
    if param.type == "iri":
        return [HARMLESS] if param.multi else HARMLESS
    assert param.type == "enum" and param.allowed, f"{param.name}: give a harmless {param.type} here"
    return param.allowed[0]


def test_injection_through_every_iri_parameter_of_every_bundled_query(sources: Sources) -> None:
    """Each hostile value in each iri parameter of each bundled query: refused naming that parameter, or the
    same answer as an unknown harmless IRI there (the value itself standing for it where echoed)."""
    before = dump(sources)
    attacked = 0
    for spec in load_registry().values():
        for param in (p for p in spec.params if p.type == "iri"):
            others = {p.name: harmless(p) for p in spec.params if p.required and p is not param}
            expected = run(sources, spec, {**others, param.name: harmless(param)}).rows
            for attack, iri in HOSTILE_IRIS.items():
                values = {**others, param.name: [attack] if param.multi else attack}
                if iri is None:
                    with pytest.raises(BadParameter) as refused:
                        run(sources, spec, values)
                    assert refused.value.parameter == param.name, (spec.name, attack)
                    continue
                rows = run(sources, spec, values).rows
                assert [{c: HARMLESS if v == iri else v for c, v in r.items()} for r in rows] == expected, \
                    (spec.name, param.name, attack)
            attacked += 1
    assert attacked >= 40  # 40 iri parameters in 31 queries when this was written
    assert dump(sources) == before


def test_an_injected_multi_value_is_one_value(sources: Sources) -> None:
    result = run(sources, GOOD["echo"], {"many": [INJECTIONS[1], "ok"]})
    assert sorted(r["many"] for r in result.rows) == sorted([INJECTIONS[1], "ok"])


@pytest.mark.parametrize(("values", "reason"), [
    ({"nope": "1"}, "has no parameter 'nope'"),
    ({"n": "4.5"}, "parameter 'n' (int)"),
    ({"day": "29/02/2023"}, "parameter 'day' (date)"),
    ({"e": "gamma"}, "must be one of alpha, beta"),
    ({"s": ["a", "b"]}, "takes one value, not 2"),
    ({"org": "0436.195.240"}, "check digits"),
])
def test_bad_values_are_refused_with_the_reason(sources: Sources, values: dict, reason: str) -> None:
    with pytest.raises(InvalidParameter, match=re.escape(reason)):
        run(sources, GOOD["echo"], values)


def test_a_marker_puts_the_filter_inside_the_sub_select_and_pages_are_cut_without_text(sources: Sources) -> None:
    spec = GOOD["numbers"]
    first = run(sources, spec, {"at_least": 2})
    assert [r["n"] for r in first.rows] == [2, 3] and first.has_more  # page size 2 from the header
    last = run(sources, spec, {"at_least": 2}, offset=2)
    assert [r["n"] for r in last.rows] == [4, 5] and not last.has_more
    assert [r["n"] for r in run(sources, spec, limit=10).rows] == [1, 2, 3, 4, 5]


def test_an_if_block_is_kept_only_when_one_of_its_parameters_is_given(sources: Sources) -> None:
    spec = GOOD["when"]

    def numbers(**values: object) -> list[int]:
        return [r["n"] for r in run(sources, spec, values).rows]

    assert numbers() == [1, 2, 3, 4]  # kept, FILTER(?n <= UNDEF) would keep no row
    assert numbers(at_most=2) == [1, 2]
    assert numbers(at_least=2) == [2, 3, 4]
    assert numbers(at_least=2, at_most=3) == [2, 3]


@pytest.mark.parametrize(("name", "reason"), [
    ("bad-yaml", "malformed #\\+ header"),
    ("unknown-key", "colour"),
    ("unused-param", "'pole' is not used"),
    ("syntax", "bad/syntax.rq"),
    ("marker", "names \\?b, which is no parameter"),
    ("enum", "needs its allowed values"),
    ("unmarked", "parameter\\(s\\) b on no '# @params' line"),
    ("no-summary", "summary"),
    ("if-unclosed", "every '# @if' needs its own '# @end'"),
    ("if-nested", "blocks do not nest"),
    ("if-stranger", "must name parameters of the query"),
])
def test_a_malformed_query_file_fails_loudly(name: str, reason: str) -> None:
    with pytest.raises(MalformedQuery, match=reason):
        parse(DATA / "bad" / f"{name}.rq")


def test_the_registry_refuses_a_directory_with_any_bad_file() -> None:
    with pytest.raises(MalformedQuery):
        load_registry(DATA / "bad")


def test_every_bundled_query_parses() -> None:
    registry = load_registry()
    assert "entities-per-class" in registry
    assert all(spec.summary for spec in registry.values())
