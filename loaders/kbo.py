"""The KBO/BCE open-data extract -> registered organisations, their establishment units, names, addresses,
activities and codes (docs/data-dictionary.md, "KBO/BCE"; docs/ontology.md).

The extract is big (activity.csv alone is 1.6 GB) and its tables are joined by number, so it is read in
two passes, holding only sets of numbers (loaders.kbo_extract.NumberSet, 12.5 MB each, whatever the size):
1. which enterprises are wanted: those whose registered seat, or any establishment unit or branch, has its
   address in the region asked for (address.csv, then establishment.csv and branch.csv to find the
   enterprise of each unit), and those of the --enterprises list;
2. enterprise.csv (an enterprise it does not list is not loaded), establishment.csv and branch.csv (the
   units of the enterprises kept), then denomination, address, contact and activity, each row kept when its
   number is an enterprise or unit kept. The code concepts the rows used are written last, with their
   labels from code.csv.
Every cell of a kept row is checked; of the rows the filter drops, only the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.errors import EcokgError, LoadError, Problem
from graph.sources import Triple
from loaders import fields
from loaders.common import Builder, ReviewItem, Streamed, date_literal
from loaders.kbo_extract import Extract, NumberSet, Status, TooManyProblems, digits, is_enterprise, kbo_number
from loaders.members import NUMBER
from loaders.tabular import Row, TableSchema, read_tables
from ontology import geography
from ontology.iris import fragment
from ontology.vocab import NACE, T

DEFAULT_REGION = "BE3"
"""Wallonia: what a KBO load keeps when neither --region nor --enterprises is given."""

LANGUAGES = {"0": None, "1": "fr", "2": "nl", "3": "de", "4": "en"}
"""KBO language codes (code.csv, category Language) -> language tags; 0 (unknown) gives a plain literal."""

NACE_VERSIONS = ("2003", "2008", "2025")
CLASSIFICATIONS = ("MAIN", "SECO", "ANCI")
CONTACTS = {"EMAIL": "email", "TEL": "telephone", "FAX": "faxNumber", "WEB": "url"}
"""KBO contact types -> schema.org properties."""

_LIST = TableSchema("enterprise list", (NUMBER,), frozenset({"enterprise_number"}))


@dataclass(frozen=True)
class Selection:
    """Which enterprises a load keeps: located in `region` (a NUTS code prefix; None: no region filter) or
    listed; with neither, all of them."""

    region: str | None
    listed: frozenset[int]

    @property
    def everything(self) -> bool:
        return self.region is None and not self.listed


def read(paths: Sequence[Path], b: Builder, *, region: str | None = None, enterprises: Path | None = None,
         updates: Sequence[Path] = (), status: Status | None = None) -> Streamed:
    """Open an extract (every header checked now) and hand back its conversion, which reads it.

    `region`: a Belgian NUTS code (BE3, BE33, BE332...) or 'all'; `enterprises`: a list file; by default
    Wallonia; given both, an enterprise in either is kept. `updates`: update directories, oldest first."""
    if len(paths) != 1 or not Path(paths[0]).is_dir():
        raise EcokgError("kbo: give one directory, the unzipped full extract (updates with --update DIR)")
    extract = Extract.open(Path(paths[0]), [Path(u) for u in updates], b, status)
    selection = selection_of(region, Path(enterprises) if enterprises else None)
    return Streamed(extract.files + ([Path(enterprises)] if enterprises else []), None, _convert(extract, selection))


def selection_of(region: str | None, listed: Path | None) -> Selection:
    """--region (a Belgian NUTS code, or 'all') and --enterprises (a file) as a Selection; Wallonia by default."""
    numbers = frozenset(_listed(listed)) if listed else frozenset()
    if region is None:
        return Selection(None if listed else DEFAULT_REGION, numbers)
    code = str(region).strip().upper()
    if code == "ALL":
        return Selection(None, numbers)
    if code not in geography.nuts_codes():
        raise EcokgError(f"--region {region}: not a Belgian NUTS 2021 code (BE, BE3 for Wallonia, BE33 for the "
                         "province of Liège, BE332...) nor 'all'")
    return Selection(code, numbers)


def _listed(path: Path) -> Iterator[int]:
    """The enterprise numbers of a list: one per line (any spelling; '#' starts a comment), or a CSV/XLSX
    file with an enterprise-number column (e.g. the member directory)."""
    text = path.read_bytes()[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    first = next((line.split("#")[0].strip() for line in text.splitlines() if line.split("#")[0].strip()), "")
    problems: list[Problem] = []
    try:
        fields.parse_enterprise_number(first)
    except ValueError:
        [table] = read_tables(path, [_LIST])
        for row in table.rows:
            try:
                yield int(fields.parse_enterprise_number(row.text("enterprise_number")).replace(".", ""))
            except ValueError as exc:
                problems.append(row.problem("enterprise_number", str(exc)))
    else:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            cell = line.split("#")[0].strip()
            try:
                if cell:
                    yield int(fields.parse_enterprise_number(cell).replace(".", ""))
            except ValueError as exc:
                problems.append(Problem(str(path), str(number), "-", str(exc)))
    if problems:
        raise LoadError(problems)


# --- the two passes --------------------------------------------------------------------------------------


def _convert(x: Extract, selection: Selection) -> Iterator[Triple]:
    b = x.builder
    try:
        wanted = None if selection.everything else _wanted(x, selection)
        yield from _Conversion(x, b, wanted).triples()
    except TooManyProblems:
        if not b.problems[-1].reason.startswith("stopped reading"):  # a table may have said it already
            b.problems.append(Problem(str(x.root), "-", "-", f"stopped reading after {len(b.problems)} problems"))


def _wanted(x: Extract, selection: Selection) -> NumberSet:
    """Pass 1: the enterprises listed, or with their seat or a unit in the region."""
    wanted, units = NumberSet(), NumberSet()
    for n in selection.listed:
        wanted.add(n)
    if selection.region is None:
        return wanted
    for n, row in x.rows("address", report=False):
        nuts3 = _nuts3(row)
        if nuts3 is not None and nuts3.startswith(selection.region):
            (wanted if is_enterprise(n) else units).add(n)
    for table in ("establishment", "branch"):
        for n, row in x.rows(table, report=False):
            if n in units:
                try:
                    wanted.add(kbo_number(row.text("EnterpriseNumber")))
                except ValueError:
                    continue  # reported by the second pass
    return wanted


def _nuts3(row: Row) -> str | None:
    """The NUTS 3 region of a Belgian address (no country given), None when abroad or its postcode unknown."""
    if row.text("CountryFR") or row.text("CountryNL"):
        return None
    place = _place(row.text("Zipcode"), row.text("MunicipalityFR") or row.text("MunicipalityNL"))
    return place.nuts3 if place else None


@lru_cache(maxsize=100_000)
def _place(postcode: str, city: str) -> geography.Place | None:
    return geography.place_for(postcode, city) if postcode else None


class _Conversion:
    """Pass 2: the rows of the enterprises kept, and of their units, as triples."""

    def __init__(self, x: Extract, b: Builder, wanted: NumberSet | None) -> None:
        self.x, self.b, self.wanted = x, b, wanted
        self.orgs, self.units = NumberSet(), NumberSet()
        self.used: dict[tuple[str, str], ox.NamedNode] = {}  # (code.csv category, code) -> concept linked to

    def triples(self) -> Iterator[Triple]:
        x, b = self.x, self.b
        for n, row in x.rows("enterprise"):
            if self.wanted is None or n in self.wanted:
                self.orgs.add(n)
                self._enterprise(n, row)
                yield from b.drain()
        self.wanted = None  # pass 1's set is no longer needed
        for table in ("establishment", "branch"):
            for n, row in x.rows(table):
                owner = x.number(row, "EnterpriseNumber")
                if owner is not None and owner in self.orgs:
                    self.units.add(n)
                    self._unit(n, row, owner, table)
                    yield from b.drain()
        steps: tuple[tuple[str, Callable[[ox.NamedNode, bool, Row], None]], ...] = (
            ("denomination", self._name), ("address", self._address), ("contact", self._contact),
            ("activity", self._activity))
        for table, convert in steps:
            for n, row in x.rows(table):
                org = is_enterprise(n)
                if n in (self.orgs if org else self.units):
                    b.rows += 1
                    convert(b.minter.company(digits(n)) if org else b.minter.site(digits(n)), org, row)
                    yield from b.drain()
        self._codes(x.codes())
        yield from b.drain()

    # -- one row each ---------------------------------------------------------------------------------
    def _enterprise(self, n: int, row: Row) -> None:
        b, d = self.b, digits(n)
        b.rows += 1
        org = b.minter.company(d)
        b.add(org, T.rdf.type, T.org.FormalOrganization)
        b.add(org, T.rdf.type, T.rov.RegisteredOrganization)
        b.text(org, T.eco.enterpriseNumber, f"{d[:4]}.{d[4:7]}.{d[7:]}")
        self._code(org, T.rov.orgStatus, "Status", row)
        self._code(org, T.eco.juridicalSituation, "JuridicalSituation", row)
        self._code(org, T.eco.enterpriseType, "TypeOfEnterprise", row)
        # JuridicalFormCAC: the form as the 2019 Code of companies reads it, until the entity adapts its own
        self._code(org, T.rov.orgType, "JuridicalForm", row, "JuridicalFormCAC" if row.text("JuridicalFormCAC")
                   else "JuridicalForm")
        self._date(org, T.schema.foundingDate, row, "StartDate")

    def _unit(self, n: int, row: Row, owner: int, table: str) -> None:
        b = self.b
        b.rows += 1
        org, site = b.minter.company(digits(owner)), b.minter.site(digits(n))
        b.add(site, T.rdf.type, T.org.Site)
        b.add(org, T.org.hasSite, site)
        b.add(site, T.org.siteOf, org)
        b.text(site, T.dcterms.identifier, row.text("EstablishmentNumber" if table == "establishment" else "Id"))
        self._date(site, T.schema.startDate, row, "StartDate")

    def _name(self, subject: ox.NamedNode, org: bool, row: Row) -> None:
        """Legal names (type 001) also label the organisation; abbreviations (002) are its short names;
        commercial names (003) and others are alternative labels. A unit's names all label it."""
        name, kind = self.b.required(row, "Denomination"), row.text("TypeOfDenomination")
        language = row.text("Language")
        if language not in LANGUAGES:
            self.x.problem(row, "Language", f"unknown language code '{language}' (known: 0 to 4)")
            return
        if not name:
            return
        label = ox.Literal(name, language=LANGUAGES[language]) if LANGUAGES[language] else ox.Literal(name)
        if not org:
            self.b.add(subject, T.skos.prefLabel, label)
        elif kind == "001":
            self.b.add(subject, T.rov.legalName, label)
            self.b.add(subject, T.skos.prefLabel, label)
        else:
            self.b.add(subject, T.schema.alternateName if kind == "002" else T.skos.altLabel, label)

    def _address(self, subject: ox.NamedNode, org: bool, row: Row) -> None:
        """The seat (REGO) of an enterprise, the address of a unit (BAET, ABBR): <subject>#address-<type>."""
        b = self.b
        kind = b.required(row, "TypeOfAddress")
        addr = fragment(subject, f"address-{kind.lower()}")
        b.add(subject, T.locn.address, addr)
        b.add(addr, T.rdf.type, T.locn.Address)
        street, number, box = _french_first(row, "Street"), row.text("HouseNumber"), row.text("Box")
        b.text(addr, T.locn.thoroughfare, street)
        french = bool(row.text("StreetFR"))
        b.text(addr, T.locn.locatorDesignator, number + (f" {'bte' if french else 'bus'} {box}" if box else ""))
        b.text(addr, T.locn.postCode, row.text("Zipcode"))
        b.text(addr, T.locn.postName, _french_first(row, "Municipality"))
        self._date(addr, T.eco.struckOff, row, "DateStrikingOff")
        country = _french_first(row, "Country")
        if country:
            code = _country(row)
            if code:
                b.text(addr, T.locn.adminUnitL1, code)
            return
        b.text(addr, T.locn.adminUnitL1, "BE")
        place = _place(row.text("Zipcode"), _french_first(row, "Municipality"))
        if place is None:
            where = row.problem("Zipcode", f"'{row.text('Zipcode')}' is not a Belgian postcode known to the "
                                "REFNIS/bpost tables: the address is kept without municipality nor NUTS region")
            b.review.append(ReviewItem("postcode", row.text("Zipcode"), where))
            return
        b.located(addr, place.nuts3, place)

    def _contact(self, subject: ox.NamedNode, org: bool, row: Row) -> None:
        kind, value = row.text("ContactType"), self.b.required(row, "Value")
        if kind not in CONTACTS:
            self.x.problem(row, "ContactType", f"unknown contact type '{kind}' (known: {', '.join(CONTACTS)})")
            return
        if not value:
            return
        if kind != "WEB":
            self.b.text(subject, getattr(T.schema, CONTACTS[kind]), value)
            return
        try:
            self.b.add(subject, T.schema.url, ox.NamedNode(value if "://" in value else "https://" + value))
        except ValueError:
            where = row.problem("Value", f"'{value}' is not a web address: left out")
            self.b.review.append(ReviewItem("web address", value, where))

    def _activity(self, subject: ox.NamedNode, org: bool, row: Row) -> None:
        """A registered activity: its NACE-BEL code of one version, group (VAT, ONSS...) and classification.
        The main activities of an enterprise are also its rov:orgActivity."""
        version, code = row.text("NaceVersion"), row.text("NaceCode")
        group, rank = row.text("ActivityGroup"), row.text("Classification")
        bad = [(column, reason) for column, ok, reason in (
            ("NaceVersion", version in NACE_VERSIONS, f"NACE version '{version}' is not one of "
                                                     f"{', '.join(NACE_VERSIONS)}"),
            ("NaceCode", len(code) == 5 and code.isascii() and code.isdigit(),
             f"NACE-BEL code '{code}' is not five digits"),
            ("ActivityGroup", len(group) == 3 and group.isascii() and group.isdigit(),
             f"activity group '{group}' is not three digits"),
            ("Classification", rank in CLASSIFICATIONS, f"classification '{rank}' is not one of "
                                                       f"{', '.join(CLASSIFICATIONS)}")) if not ok]
        for column, reason in bad:
            self.x.problem(row, column, reason)
        if bad:
            return
        b = self.b
        activity = fragment(subject, f"activity-{version}-{code}-{group}-{rank.lower()}")
        nace = self._concept(f"Nace{version}", code)
        b.add(subject, T.eco.activity, activity)
        b.add(activity, T.rdf.type, T.eco.RegisteredActivity)
        b.add(activity, T.eco.naceCode, nace)
        b.add(activity, T.eco.activityGroup, self._concept("ActivityGroup", group))
        b.add(activity, T.eco.activityClassification, self._concept("Classification", rank))
        if org and rank == "MAIN" and version != "2003":  # 2003: kept, but no longer anyone's activity
            b.add(subject, T.rov.orgActivity, nace)

    # -- codes --------------------------------------------------------------------------------------
    def _concept(self, category: str, code: str) -> ox.NamedNode:
        key = (category, code)
        if key not in self.used:
            self.used[key] = self.b.minter.kbo(category, code)
        return self.used[key]

    def _code(self, subject: ox.NamedNode, predicate: ox.NamedNode, category: str, row: Row,
              column: str | None = None) -> None:
        value = row.text(column or category)
        if value:
            self.b.add(subject, predicate, self._concept(category, value))

    def _date(self, subject: ox.NamedNode, predicate: ox.NamedNode, row: Row, column: str) -> None:
        day: dt.date | None = self.b.parse(row, column, fields.parse_date)
        if day is not None:
            self.b.add(subject, predicate, date_literal(day))

    def _codes(self, labels: dict[tuple[str, str], dict[str, str]]) -> None:
        """The code concepts used, labelled from code.csv, each in the scheme of its category; a NACE-BEL
        2008 subclass matched to its NACE Rev.2 class (its first four digits)."""
        b = self.b
        for category in sorted({category for category, _ in self.used}):
            scheme = b.minter.kbo(category)
            b.add(scheme, T.rdf.type, T.skos.ConceptScheme)
            b.text(scheme, T.skos.prefLabel, f"KBO/BCE {category}")
        for (category, code), concept in sorted(self.used.items()):
            b.add(concept, T.rdf.type, T.skos.Concept)
            b.add(concept, T.skos.inScheme, b.minter.kbo(category))
            b.text(concept, T.skos.notation, code)
            for language, text in sorted(labels.get((category, code), {}).items()):
                if text:
                    b.add(concept, T.skos.prefLabel, ox.Literal(text, language=language))
            if category.startswith("Nace"):
                b.text(concept, T.eco.naceVersion, category[4:])
            if category == "Nace2008":
                b.add(concept, T.skos.broadMatch, rev2_class(code))


def rev2_class(code: str) -> ox.NamedNode:
    """The NACE Rev.2 class of a NACE-BEL 2008 subclass: '84130' -> nace_r2/84.13."""
    return ox.NamedNode(NACE[f"{code[:2]}.{code[2:4]}"])


def _french_first(row: Row, column: str) -> str:
    return row.text(f"{column}FR") or row.text(f"{column}NL")


def _country(row: Row) -> str | None:
    """A foreign address's country as an ISO code, from its French or Dutch name ('Allemagne (Rép.féd.)')."""
    for name in (row.text("CountryFR"), row.text("CountryNL")):
        if not name:
            continue
        try:
            return fields.parse_country(name.split("(")[0])
        except ValueError:
            continue
    return None

