"""What every loader shares: turning validated cells into triples, and collecting what went wrong.

A loader is a pure function from tables to triples; the `Builder` is its notebook: it emits triples,
records each problem against its file, row and column (every problem in one pass, not the first
only), and lists the labels no concept matched, for the review report.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from graph.errors import Problem
from graph.sources import Triple
from loaders import fields
from loaders.tabular import Row
from loaders.vocabulary import Scheme, Vocabulary
from ontology import geography
from ontology.identifiers import enterprise_digits
from ontology.iris import Minter, fragment
from ontology.vocab import NUTS, T

V = TypeVar("V")


ROLES = {
    "coordinator": "coordinator", "coordinateur": "coordinator", "coordinatrice": "coordinator",
    "partner": "partner", "partenaire": "partner", "participant": "partner", "beneficiary": "partner",
    "subcontractor": "subcontractor", "sous traitant": "subcontractor",
    "associated": "associated", "associe": "associated", "associated partner": "associated",
    "partenaire associe": "associated",
}
"""Role as written (normalised: no case, accents or hyphens) -> the role stored."""


@dataclass(frozen=True)
class ReviewItem:
    """A label that matched no concept: where it is, and what it may have meant. Also (without a scheme) a
    doubtful value a loader keeps but an analyst should check, `where` then giving the reason."""

    kind: str  # "technology" | "sector" | e.g. "vat number" (no scheme)
    label: str
    where: Problem  # its file, row and column
    scheme: Scheme | None = field(default=None, repr=False, compare=False)

    @property
    def problem(self) -> Problem:
        """The message for a person (and the error --strict makes of it), with the closest concepts:
        worked out only when someone reads it, since a big load may hold many unknown labels."""
        if self.scheme is None:
            return self.where
        closest = self.scheme.closest(self.label)
        hint = f" (closest: {', '.join(closest)})" if closest else ""
        return Problem(self.where.file, self.where.row, self.where.column, f"unknown {self.kind} '{self.label}'{hint}")

    def __str__(self) -> str:
        return str(self.problem)


@dataclass
class Builder:
    """Collects the triples, problems and review items of one load."""

    minter: Minter
    vocab: Vocabulary
    triples: list[Triple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    rows: int = 0

    # -- emitting ---------------------------------------------------------------------------------
    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.triples.append((s, p, o))

    def text(self, s: ox.NamedNode, p: ox.NamedNode, value: str) -> None:
        if value:
            self.triples.append((s, p, ox.Literal(value)))

    def drain(self) -> Iterator[Triple]:
        """Hand the triples over and forget them, so a big load never holds two copies."""
        triples, self.triples = self.triples, []
        return iter(triples)

    # -- checking cells ---------------------------------------------------------------------------
    def parse(self, row: Row, column: str, parser: Callable[[object], V]) -> V | None:
        """The parsed cell, or None when empty; a bad cell becomes a problem at its row and column."""
        value = row.values.get(column, "")
        if value == "" or value is None:
            return None
        try:
            return parser(value)
        except ValueError as exc:
            self.problems.append(row.problem(column, str(exc)))
            return None

    def required(self, row: Row, column: str) -> str:
        value = row.text(column)
        if not value:
            self.problems.append(row.problem(column, "required value is empty"))
        return value

    def unique(self, row: Row, column: str, key: str, seen: dict[str, str], label: str | None = None) -> bool:
        """False (and a problem) if `key` was already seen in this load; `label` names it (default: the key)."""
        if key in seen:
            self.problems.append(row.problem(column, f"duplicate id '{label or key}' (first at row {seen[key]})"))
            return False
        seen[key] = row.row
        return True

    def date(self, row: Row, column: str) -> dt.date | None:
        return self.parse(row, column, fields.parse_date)

    def period(self, row: Row, start_col: str, end_col: str) -> tuple[dt.date | None, dt.date | None]:
        start, end = self.date(row, start_col), self.date(row, end_col)
        if start and end and end < start:
            self.problems.append(row.problem(end_col, f"ends ({end}) before it starts ({start})"))
        return start, end

    # -- vocabularies -----------------------------------------------------------------------------
    def concepts(
        self, row: Row, column: str, subject: ox.NamedNode, predicate: ox.NamedNode, kind: str = "technology"
    ) -> None:
        """Link `subject` to each concept a list cell names; unknown labels go to the review list."""
        scheme: Scheme = self.vocab.technologies if kind == "technology" else self.vocab.sectors
        for label in fields.split_list(row.values.get(column, "")):
            concept = scheme.find(label)
            if concept is not None:
                self.add(subject, predicate, concept)
            else:
                self.review.append(ReviewItem(kind, label, row.problem(column, ""), scheme))

    def pole(self, row: Row, column: str, given: str | None) -> ox.NamedNode | None:
        """The pole of a row: its `pole` cell if any, else the pole given on the command line."""
        label = row.text(column) or given or ""
        if not label:
            self.problems.append(row.problem(column, "no pole: give --pole or fill the pole column"))
            return None
        found = self.vocab.poles.find(label)
        if found is None:
            known = ", ".join(sorted(set(self.vocab.poles.names.values())))
            self.problems.append(row.problem(column, f"unknown pole '{label}' (known: {known})"))
        return found

    # -- shared patterns --------------------------------------------------------------------------
    def organisation(self, row: Row, number: str, name: str, cls: ox.NamedNode) -> ox.NamedNode:
        """A Belgian organisation by enterprise number, with its names, contacts and address."""
        org = self.minter.company(number)
        self.add(org, T.rdf.type, cls)
        self.add(org, T.rdf.type, T.org.FormalOrganization)
        self.add(org, T.rdf.type, T.rov.RegisteredOrganization)
        self.text(org, T.rov.legalName, name)
        self.text(org, T.skos.prefLabel, name)
        self.text(org, T.eco.enterpriseNumber, number)
        self.text(org, T.eco.vatNumber, "BE" + enterprise_digits(number))
        self.contacts(row, org)
        return org

    def contacts(self, row: Row, subject: ox.NamedNode) -> None:
        website = row.text("website")
        if website:
            url = website if "://" in website else "https://" + website
            try:
                self.add(subject, T.schema.url, ox.NamedNode(url))
            except ValueError:
                self.problems.append(row.problem("website", f"'{website}' is not a web address"))
        self.text(subject, T.schema.email, row.text("email"))
        self.text(subject, T.schema.telephone, row.text("phone"))
        self.address(row, subject)

    def address(self, row: Row, subject: ox.NamedNode) -> None:
        """street / postcode / city / country -> a locn:Address, placed in its municipality and NUTS 3."""
        street, postcode, city = row.text("street"), row.text("postcode"), row.text("city")
        if not (street or postcode or city):
            return
        country = self.parse(row, "country", fields.parse_country) or "BE"
        addr = self.address_node(subject, street, postcode, city, country)
        if country == "BE" and postcode:
            place = geography.place_for(postcode, city)
            if place is None:
                self.problems.append(row.problem("postcode", f"'{postcode}' is not a Belgian postcode"))
                return
            self.located(addr, place.nuts3, place)

    def address_node(
        self, subject: ox.NamedNode, street: str, postcode: str, city: str, country: str, name: str = "address"
    ) -> ox.NamedNode:
        """`subject`'s locn:Address (`subject#name`) with what is known of it."""
        addr = fragment(subject, name)
        self.add(subject, T.locn.address, addr)
        self.add(addr, T.rdf.type, T.locn.Address)
        self.text(addr, T.locn.thoroughfare, street)
        self.text(addr, T.locn.postCode, postcode)
        self.text(addr, T.locn.postName, city)
        self.text(addr, T.locn.adminUnitL1, country)
        return addr

    def located(self, addr: ox.NamedNode, nuts3: str, place: geography.Place | None = None) -> None:
        """An address in its NUTS 3 region and province, and in its Belgian municipality when known."""
        if place is not None:
            self.add(addr, T.eco.municipality, self.minter.municipality(place.nis))
        self.add(addr, T.eco.nuts3, ox.NamedNode(f"{NUTS}{nuts3}"))
        self.add(addr, T.eco.province, ox.NamedNode(f"{NUTS}{nuts3[:4]}"))

    def membership(
        self, member: ox.NamedNode, organization: ox.NamedNode, since: dt.date | None, until: dt.date | None
    ) -> None:
        """An org:Membership; org:memberDuring only when a date is known (docs/ontology.md)."""
        m = self.minter.membership(member, organization)
        self.add(m, T.rdf.type, T.org.Membership)
        self.add(m, T.org.member, member)
        self.add(m, T.org.organization, organization)
        if since is None and until is None:
            return
        during = fragment(m, "during")
        self.add(m, T.org.memberDuring, during)
        self.add(during, T.rdf.type, T.time.Interval)
        for name, day, link in (("start", since, T.time.hasBeginning), ("end", until, T.time.hasEnd)):
            if day is not None:
                instant = fragment(m, name)
                self.add(during, link, instant)
                self.add(instant, T.rdf.type, T.time.Instant)
                self.add(instant, T.time.inXSDDate, date_literal(day))


def date_literal(day: dt.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=T.xsd.date)


def decimal_literal(amount: decimal.Decimal) -> ox.Literal:
    """In xsd:decimal's canonical form ('1250000', '0.5'), the form the store keeps, so that what a load
    streams and what it reads back compare equal (see graph.sources' change sets)."""
    return ox.Literal(f"{amount.normalize():f}", datatype=T.xsd.decimal)


def integer_literal(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=T.xsd.integer)


@dataclass
class Streamed:
    """What a kind that reads its own files (a KBO/BCE extract directory, a taxonomy in Turtle) gives a load:
    the files it reads (for the provenance), the source it names when it decides (None: the kind's name), and
    its triples, converted while the store takes them."""

    files: list[Path]
    source: str | None
    triples: Iterator[Triple]
