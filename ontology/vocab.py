"""The vocabularies ecokg speaks: standard ones reused, and ECO for the few terms they lack.

Code never spells an IRI by hand: it names a term here, and a misspelled term fails at import
(``DefinedNamespace`` with ``_fail = True``). ``node()`` turns a term into the pyoxigraph
``NamedNode`` the loaders and the store work with.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD, DefinedNamespace

__all__ = [
    "DCTERMS",
    "ECO",
    "ESV",
    "LOCN",
    "NACE",
    "NUTS",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "ROV",
    "SCHEMA",
    "SECTOR",
    "SH",
    "SKOS",
    "TECH",
    "TIME",
    "XSD",
    "T",
    "node",
    "prefixes",
]


class ECO(DefinedNamespace):
    """ecokg's own vocabulary: only what W3C ORG, RegOrg, schema.org, SKOS, PROV and LOCN lack."""

    _fail = True
    _NS = Namespace("https://w3id.org/ecokg/def#")

    # classes
    Company: URIRef  # a firm, registered (KBO/BCE) or foreign
    Cluster: URIRef  # the regional ICT cluster
    CompetitivenessPole: URIRef  # one of Wallonia's competitiveness poles
    ResearchInstitution: URIRef  # a university or research centre that hosts labs
    ResearchLab: URIRef  # a research unit of an institution
    Project: URIRef  # a (subsidised) innovation or research project
    Participation: URIRef  # n-ary: an actor's part in a project
    Source: URIRef  # a file family loaded as a whole into its own named graph
    SourceVersion: URIRef  # one loaded version of a source (a named graph)

    # actors and technologies
    offers: URIRef  # actor -> technology it sells / provides
    needs: URIRef  # actor or project -> technology it needs
    hasExpertise: URIRef  # lab -> technology it researches
    within: URIRef  # concept -> itself and every broader concept (skos:broader*, materialised at load)
    sector: URIRef  # actor or project -> sector concept
    domain: URIRef  # pole or cluster -> sector concept it serves
    employees: URIRef  # headcount (xsd:integer)
    uses: URIRef  # actor -> technology it has adopted (soft-digital tools: ERP, CRM, e-invoicing...)

    # identifiers
    enterpriseNumber: URIRef  # KBO/BCE enterprise number, formatted 0436.195.241
    vatNumber: URIRef  # VAT number, e.g. BE0436195241
    pic: URIRef  # CORDIS participant identification code
    labCode: URIRef  # the unit code of a research lab

    # projects and participations
    participant: URIRef  # participation -> actor
    project: URIRef  # participation -> project
    role: URIRef  # participation -> "coordinator" | "partner" | ...
    contribution: URIRef  # participation -> funding received, EUR (xsd:decimal)
    budget: URIRef  # project -> total cost, EUR (xsd:decimal)
    labelledBy: URIRef  # project -> pole that labelled it
    programme: URIRef  # project -> funding programme (literal)
    netContribution: URIRef  # CORDIS participation -> net EU contribution, EUR (xsd:decimal)
    cost: URIRef  # participation -> its total cost, EUR (xsd:decimal)
    sourceRole: URIRef  # participation -> role as the source writes it (CORDIS thirdParty, ...)
    maxContribution: URIRef  # project -> maximum EU contribution, EUR (xsd:decimal)
    legalBasis: URIRef  # project -> CORDIS legal basis concept
    topic: URIRef  # project -> CORDIS call topic concept
    activityType: URIRef  # organisation -> CORDIS activity type HES | REC | PRC | PUB | OTH
    sme: URIRef  # organisation -> declared an SME in the EU programmes (xsd:boolean)

    # the KBO/BCE register
    activity: URIRef  # organisation or site -> a registered activity (eco:RegisteredActivity)
    RegisteredActivity: URIRef  # class: a NACE-BEL code registered for an entity, with its group and rank
    naceCode: URIRef  # registered activity -> NACE-BEL concept (one version: 2003, 2008 or 2025)
    activityGroup: URIRef  # registered activity -> KBO activity group concept (VAT, ONSS, ...)
    activityClassification: URIRef  # registered activity -> MAIN | SECO | ANCI concept
    naceVersion: URIRef  # NACE-BEL concept -> "2003" | "2008" | "2025"
    juridicalSituation: URIRef  # organisation -> KBO juridical situation concept
    enterpriseType: URIRef  # organisation -> KBO type of enterprise concept (natural / legal person)
    struckOff: URIRef  # address -> date the register struck it off (xsd:date)

    # addresses
    municipality: URIRef  # address -> municipality (NIS code IRI)
    nuts3: URIRef  # address -> NUTS 3 region
    province: URIRef  # address -> NUTS 2 province
    nisCode: URIRef  # municipality -> its NIS (REFNIS) code

    # sources, versions and loads
    sourceName: URIRef  # source -> short name (members, pole-biowin, ...)
    access: URIRef  # source -> "public" | "restricted"
    version: URIRef  # source version -> integer version number
    ofSource: URIRef  # source version -> source
    fileName: URIRef  # load -> input file name
    sha256: URIRef  # load -> input file sha256
    rowsRead: URIRef  # load -> number of data rows read
    quadsWritten: URIRef  # load -> number of quads in the new version
    loaderVersion: URIRef  # load -> version of the loader code
    entitiesAdded: URIRef  # load -> entities new in this version
    entitiesRemoved: URIRef  # load -> entities gone since the previous version
    entitiesChanged: URIRef  # load -> entities whose description changed
    unknownLabel: URIRef  # load -> a technology label that matched no concept
    addedEntity: URIRef  # load -> an entity new in this version (listed when the change is small)
    removedEntity: URIRef  # load -> an entity gone since the previous version (idem)
    changedEntity: URIRef  # load -> an entity whose description changed (idem)

    # programme activity: events, attendance, adoption
    Event: URIRef  # an event of the cluster's programme: workshop, club, ICT meets, on tour, networking
    Attendance: URIRef  # n-ary: an organisation at an event, with its role
    Adoption: URIRef  # n-ary: an eco:uses link with its date (when the organisation adopted the technology)
    eventType: URIRef  # event -> "workshop" | "club" | "ict-meets" | "on-tour" | "networking"
    targets: URIRef  # event -> the pole or sector concept it is aimed at
    event: URIRef  # attendance -> event
    attendee: URIRef  # attendance -> organisation
    attendeeRole: URIRef  # attendance -> "participant" | "speaker" | "host" | "organiser" | "exhibitor"
    adopter: URIRef  # adoption -> organisation
    technology: URIRef  # adoption -> technology concept

    # curation
    mapsLabel: URIRef  # curation mapping -> the free-text label it maps
    mapsTo: URIRef  # curation mapping -> the taxonomy concept

    # entity resolution (the links graph and the analyst's decisions)
    Link: URIRef  # two IRIs of one organisation, or a doubtful pair
    LinkDecision: URIRef  # an analyst's accept / reject of a pair
    alias: URIRef  # link or decision -> the IRI replaced
    canonical: URIRef  # link or decision -> the IRI kept
    linkScore: URIRef  # link -> 0-100
    linkMethod: URIRef  # link -> "vat" | "name" | "analyst"
    linkStatus: URIRef  # link -> "applied" | "review" | "rejected"
    evidence: URIRef  # link -> what the matcher saw, in words
    decision: URIRef  # link decision -> "accept" | "reject"


ORG = Namespace("http://www.w3.org/ns/org#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
SCHEMA = Namespace("https://schema.org/")
LOCN = Namespace("http://www.w3.org/ns/locn#")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
ESV = Namespace("urn:cordis:euroscivoc:")  # euroSciVoc concepts (ontology/euroscivoc.ttl)
NACE = Namespace("http://ec.europa.eu/eurostat/ramon/rdfdata/nace_r2/")  # NACE Rev.2 (Eurostat RAMON IRIs)
TECH = Namespace("https://w3id.org/ecokg/tech/")
SECTOR = Namespace("https://w3id.org/ecokg/sector/")


_PREFIXES = {
    "eco": str(ECO._NS), "org": str(ORG), "rov": str(ROV), "schema": str(SCHEMA),
    "locn": str(LOCN), "nuts": str(NUTS), "tech": str(TECH), "sector": str(SECTOR),
    "skos": str(SKOS), "dcterms": str(DCTERMS), "prov": str(PROV), "time": str(TIME),
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "xsd": str(XSD), "sh": str(SH),
}


def prefixes() -> dict[str, str]:
    """The prefixes every query and every Turtle output starts with: a copy, made in a fraction of the 12 µs that
    reading rdflib's namespaces took on every query."""
    return dict(_PREFIXES)


class Nodes:
    """The pyoxigraph nodes of one namespace's terms, as attributes cached on first use.

    Loaders name a predicate per triple: an attribute lookup here costs a dict hit, where going through
    rdflib's namespace objects costs microseconds each time. A misspelled term still fails (on first use).
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        value = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, value)
        return value


class Terms:
    """`T.eco.offers`, `T.rdf.type`, ...: every vocabulary's terms as pyoxigraph nodes."""

    def __init__(self) -> None:
        self.eco, self.org, self.rov, self.schema = Nodes(ECO), Nodes(ORG), Nodes(ROV), Nodes(SCHEMA)
        self.locn, self.skos, self.dcterms, self.prov = Nodes(LOCN), Nodes(SKOS), Nodes(DCTERMS), Nodes(PROV)
        self.rdf, self.rdfs, self.time, self.xsd = Nodes(RDF), Nodes(RDFS), Nodes(TIME), Nodes(XSD)
        self.owl = Nodes(OWL)


T = Terms()


@lru_cache(maxsize=4096)
def node(term: str) -> ox.NamedNode:
    """The pyoxigraph node of a vocabulary term (cached: loaders call this per row)."""
    return ox.NamedNode(str(term))
