"""CORDIS organisations: which node a PIC is, where it is, and what CORDIS says of it.

One node per real organisation (ARCHITECTURE.md, IRIs): a Belgian organisation whose VAT number carries a
valid enterprise number is `minter.company(number)`, the node the member and pole lists and the KBO name
too; any other organisation is `minter.pic(pic)`, which entity resolution later links. A Belgian VAT number
failing its check digits does not refuse the load: real CORDIS exports hold some, and refusing a
180 k-row export for a typo in the EU's own register would leave the user nothing to fix. The organisation
then keeps its PIC node and the number is listed in the load's review report (docs/data-dictionary.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass

import pyoxigraph as ox

from loaders import fields
from loaders.common import Builder, ReviewItem
from loaders.tabular import Row
from ontology import geography, identifiers
from ontology.vocab import NUTS, T

PIC = re.compile(r"\d{9}", re.ASCII)
_NUTS_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}", re.ASCII)
_VAT_SPACES = str.maketrans("", "", " .-\u00a0")
_VAT = re.compile(r"[A-Z]{2}[0-9A-Z]{2,14}", re.ASCII)  # placeholders such as MISSING have no digit

ACTIVITY_CLASSES: dict[str, ox.NamedNode | None] = {
    "PRC": T.eco.Company,  # private for-profit
    "HES": T.eco.ResearchInstitution,  # higher or secondary education
    "REC": T.eco.ResearchInstitution,  # research organisation
    "PUB": None,  # public body: an org:FormalOrganization only
    "OTH": None,
}
_BOOLEANS = {"true": "true", "false": "false", "1": "true", "0": "false"}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a row puts an organisation: its country (ISO 3166), its NUTS code (as CORDIS gives it, or derived
    from a Belgian postcode), its Belgian municipality when the postcode is known."""

    street: str
    postcode: str
    city: str
    country: str
    nuts: str
    place: geography.Place | None


def locate(row: Row, b: Builder, street: str, postcode: str, city: str) -> Location:
    """The row's location; a malformed country or NUTS code is a problem of the row. A Belgian address without
    a NUTS code gets its postcode's (some CORDIS rows swap postcode and city: 'BRUSSELS', '1040')."""
    country = (b.parse(row, "country", fields.parse_country) or "") if row.text("country") else ""
    nuts = row.text("nutsCode").upper()
    if nuts and not _NUTS_CODE.fullmatch(nuts):
        b.problems.append(row.problem("nutsCode", f"'{nuts}' is not a NUTS code (e.g. BE332)"))
        nuts = ""
    place = None
    if country == "BE":
        if geography.normalise_postcode(postcode) is None and geography.normalise_postcode(city):
            postcode, city = city, postcode
        place = geography.place_for(postcode, city)
        nuts = nuts or (place.nuts3 if place else geography.nuts_for_postcode(postcode) or "")
    return Location(street, postcode, city, country, nuts, place)


def fp7_address(text: str) -> tuple[str, str, str]:
    """FP7's one-cell address 'street, city, postcode' -> (street, postcode, city); the street may hold
    commas, the postcode may be empty ('RUE X 4, Namur, ')."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) < 3:
        return text.strip(), "", ""
    return ", ".join(parts[:-2]), parts[-1], parts[-2]


class Organisations:
    """The organisations of one load, by PIC: each node is described once, by the first row that names it (a
    PIC's rows repeat its description, once per project), so that it has one legal name and one address within
    the source. Another spelling of its name becomes an skos:altLabel; another PIC of the same registered
    organisation (one VAT number) an eco:pic more."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self._nodes: dict[str, ox.NamedNode] = {}  # PIC -> node
        self._names: dict[str, str] = {}  # node IRI -> the name it was described with

    def node(self, row: Row, pic: str, where: tuple[str, str, str]) -> ox.NamedNode:
        """The PIC's node, described on its first row; `where` = (street, postcode, city) of the row."""
        name = row.text("name")
        iri = self._nodes.get(pic)
        if iri is None:
            iri, number = self._identity(row, pic)
            self._nodes[pic] = iri
            if iri.value not in self._names:
                self._names[iri.value] = name
                self._describe(row, iri, pic, number, name)
                self._address(row, iri, pic, locate(row, self.b, *where))
                return iri
            self.b.text(iri, T.eco.pic, pic)
        if name and name != self._names[iri.value]:
            self.b.text(iri, T.skos.altLabel, name)
        return iri

    def _identity(self, row: Row, pic: str) -> tuple[ox.NamedNode, str | None]:
        b, vat = self.b, vat_number(row.text("vatNumber"))
        if vat.startswith("BE"):
            try:
                number = identifiers.parse_enterprise_number(vat)
            except ValueError as exc:
                reason = f"{exc}: the organisation is kept under its PIC {pic}"
                b.review.append(ReviewItem("vat number", vat, row.problem("vatNumber", reason)))
            else:
                return b.minter.company(number), number
        return b.minter.pic(pic), None

    def _describe(self, row: Row, iri: ox.NamedNode, pic: str, number: str | None, name: str) -> None:
        b = self.b
        b.add(iri, T.rdf.type, T.org.FormalOrganization)
        activity = row.text("activityType").upper()
        if activity not in ACTIVITY_CLASSES and activity:
            known = ", ".join(ACTIVITY_CLASSES)
            b.problems.append(row.problem("activityType", f"unknown activity type '{activity}' ({known})"))
        elif activity:
            b.text(iri, T.eco.activityType, activity)
            cls = ACTIVITY_CLASSES[activity]
            if cls is not None:
                b.add(iri, T.rdf.type, cls)
        if number:
            b.add(iri, T.rdf.type, T.rov.RegisteredOrganization)
            b.text(iri, T.eco.enterpriseNumber, number)
        b.text(iri, T.rov.legalName, name)
        b.text(iri, T.skos.prefLabel, name)
        short = row.text("shortName")
        if short and short.casefold() != name.casefold():
            b.text(iri, T.skos.altLabel, short)
        b.text(iri, T.eco.pic, pic)
        vat = vat_number(row.text("vatNumber"))
        if _VAT.fullmatch(vat) and any(ch.isdigit() for ch in vat):
            b.text(iri, T.eco.vatNumber, "BE" + number.replace(".", "") if number else vat)
        sme = row.text("SME")
        if sme.lower() in _BOOLEANS:
            b.add(iri, T.eco.sme, ox.Literal(_BOOLEANS[sme.lower()], datatype=T.xsd.boolean))
        elif sme:
            b.problems.append(row.problem("SME", f"'{sme}' is not True or False"))
        url = row.text("organizationURL")
        if url:  # CORDIS web addresses are often sloppy: one that is no IRI is left out, not an error
            with contextlib.suppress(ValueError):
                b.add(iri, T.schema.url, ox.NamedNode(url if "://" in url else "http://" + url))

    def _address(self, row: Row, iri: ox.NamedNode, pic: str, loc: Location) -> None:
        b = self.b
        if not (loc.street or loc.postcode or loc.city or loc.country):
            return
        addr = b.address_node(iri, loc.street, loc.postcode, loc.city, loc.country, address_fragment(pic, loc))
        if len(loc.nuts) == 5:
            b.located(addr, loc.nuts, loc.place)
        elif len(loc.nuts) == 4:
            b.add(addr, T.eco.province, ox.NamedNode(f"{NUTS}{loc.nuts}"))
        if loc.country == "BE" and loc.postcode and not loc.nuts:
            reason = f"'{loc.postcode}' is not a Belgian postcode: the address has no municipality or NUTS region"
            column = "postCode" if "postCode" in row.headers else "address"  # FP7's list: one address cell
            b.review.append(ReviewItem("postcode", loc.postcode, row.problem(column, reason)))


def address_fragment(pic: str, loc: Location) -> str:
    """`address-pic-<PIC>-<digest of what the row says of the place>`: other sources give the organisation's node
    their own address (the KBO/BCE seat, the member list's, another programme's export, which may spell the street
    otherwise or predate a move), so each description is a node of its own, never one address with two streets;
    two exports that agree name the same node."""
    place = "\x1f".join((loc.street, loc.postcode, loc.city, loc.country, loc.nuts))
    return f"address-pic-{pic}-{hashlib.blake2s(place.encode(), digest_size=4).hexdigest()}"


def vat_number(text: str) -> str:
    """'BE 0436.195.241' -> 'BE0436195241': a VAT number as CORDIS should have written it."""
    return text.upper().translate(_VAT_SPACES)
