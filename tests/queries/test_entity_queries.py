"""Entity descriptions and search by name (queries/entities.py, queries/entities/*.rq) on the hand-made
ecosystem of tests/data/analytics/ (its README tabulates every firm, lab and project used below).

members.csv and labs.csv load as public sources, the Wagralim and BioWin files as restricted ones: an
anonymous reader (restricted=False) sees the cluster members and the labs, no pole member, no project.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from test_gap_queries import BASE, BRIXTEL, DATA, FROMAGERIE, LIEGE_DATA, TECH, WAGRALIM, eco

from graph.sources import Sources
from loaders.run import load
from queries import entities
from queries.entities import describe, pick_label, search

__all__ = ["eco"]  # the fixture, imported to be used here

SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
LOCN = "http://www.w3.org/ns/locn#"
ECO = "https://w3id.org/ecokg/def#"
LIEGE = f"{BASE}id/municipality/62063"
OPTIFRUIT = f"{BASE}id/project/wagralim-wg-2019-01"
CLUSTER = f"{BASE}id/cluster/ict-wallonia"


def triple(s: str, p: str, o: str | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o))


def test_a_company_with_its_address_memberships_and_sources(eco: Sources) -> None:
    # Brixtel (M3): a cluster member (members.csv, public) who joined Wagralim (wagralim-members.csv, restricted)
    found = describe(eco, BRIXTEL, restricted=True)
    assert found is not None and not found.from_load_log
    assert triple(BRIXTEL, f"{SKOS}prefLabel", ox.Literal("Brixtel Logistique SRL")) in found.statements
    assert triple(BRIXTEL, f"{ECO}offers", f"{TECH}erp") in found.statements
    # its address is a fragment of its document: described with it
    assert triple(f"{BRIXTEL}#address", f"{LOCN}postCode", ox.Literal("6041")) in found.statements
    assert [v.source for v in found.sources] == ["members", "pole-wagralim"]
    memberships = [f"{BASE}id/membership/be-0450333386/ict-wallonia", f"{BASE}id/membership/be-0450333386/wagralim"]
    assert found.incoming == [triple(m, f"{ORG}member", BRIXTEL) for m in memberships]
    assert not found.incoming_cut
    assert triple(memberships[1], f"{ORG}organization", WAGRALIM) in found.around
    # the labels of what it links to, in every language: ERP in English and French (technologies.ttl)
    assert {(x.value, x.language) for x in found.labels_of(f"{TECH}erp")} >= {
        ("enterprise resource planning", "en"), ("progiciel de gestion intégré", "fr")}
    assert pick_label(found.labels_of(WAGRALIM), "fr") == "Wagralim"


def test_anonymous_readers_see_only_public_sources(eco: Sources) -> None:
    found = describe(eco, BRIXTEL, restricted=False)
    assert found is not None
    assert [v.source for v in found.sources] == ["members"]
    assert [t.subject.value for t in found.incoming] == [f"{BASE}id/membership/be-0450333386/ict-wallonia"]
    # Fromagerie du Plateau (W1) and the project OPTIFRUIT exist only in Wagralim's restricted files
    for hidden in (FROMAGERIE, OPTIFRUIT):
        assert describe(eco, hidden, restricted=False) is None
        assert describe(eco, hidden, restricted=True) is not None


def test_a_fragment_iri_is_described_by_its_document(eco: Sources) -> None:
    found = describe(eco, f"{BRIXTEL}#address", restricted=False)
    assert found is not None and found.iri == BRIXTEL
    # a membership's interval is two fragments deep: #during, then its beginning #start
    membership = f"{BASE}id/membership/be-0450333386/ict-wallonia"
    found = describe(eco, membership, restricted=False)
    assert found is not None
    assert triple(f"{membership}#start", "http://www.w3.org/2006/time#inXSDDate",
                  ox.Literal("2017-06-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))) \
        in found.statements  # members.csv: Brixtel, member since 2017-06-01


def test_what_nothing_visible_describes_is_none(eco: Sources) -> None:
    assert describe(eco, f"{BASE}id/org/be-0999999999", restricted=True) is None
    assert describe(eco, f"{BASE}graph/meta", restricted=True) is None


def test_incoming_statements_are_cut_and_say_so(eco: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    # Liège (NIS 62063) is the municipality of the addresses of M1 Fictive Vision (4000), M7 Liège Data
    # (4020) and the lab ULIEGE-HPC (4000), all public; and of W2 Biscuiterie Mosane and B3 Clinique Numérique
    # (4000), both from restricted pole files
    found = describe(eco, LIEGE, restricted=False)
    assert found is not None
    assert sorted(t.subject.value for t in found.incoming) == [
        f"{BASE}id/lab/uliege-hpc#address", f"{BASE}id/org/be-0450111177#address", f"{LIEGE_DATA}#address"]
    found = describe(eco, LIEGE, restricted=True)
    assert found is not None and len(found.incoming) == 5 and not found.incoming_cut
    monkeypatch.setattr(entities, "INCOMING_LIMIT", 2)
    found = describe(eco, LIEGE, restricted=True)
    assert found is not None and len(found.incoming) == 2 and found.incoming_cut


def test_rdf_carries_statements_incoming_and_labels_of_objects(eco: Sources) -> None:
    found = describe(eco, BRIXTEL, restricted=False)
    assert found is not None
    rdf = found.rdf()
    assert rdf[0].subject.value == BRIXTEL  # the entity's own statements first
    assert triple(f"{TECH}erp", f"{SKOS}prefLabel", ox.Literal("enterprise resource planning", language="en")) in rdf
    assert triple(f"{BASE}id/membership/be-0450333386/ict-wallonia", f"{ORG}member", BRIXTEL) in rdf
    # what only a referring node links to is not part of the answer
    assert not [t for t in rdf if t.subject.value == CLUSTER]


# -- the load log ----------------------------------------------------------------------------------
def test_a_source_version_is_described_by_its_load(eco: Sources) -> None:
    version = eco.current()["members"]
    found = describe(eco, version.graph.value, restricted=False)
    assert found is not None and found.from_load_log
    load = version.activity.value
    assert triple(version.graph.value, f"{ECO}access", ox.Literal("public")) in found.statements
    assert ox.Triple(ox.NamedNode(load), ox.NamedNode(f"{ECO}rowsRead"),
                     ox.Literal("8", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))) \
        in found.statements  # members.csv has 8 rows
    files = {t.object.value for t in found.statements if t.predicate.value == f"{ECO}fileName"}
    assert files == {"members.csv"}
    # the source it is a version of refers to nothing, but is referred to by its versions
    source = describe(eco, f"{BASE}graph/source/members", restricted=False)
    assert source is not None
    assert source.incoming == [triple(version.graph.value, f"{ECO}ofSource", f"{BASE}graph/source/members")]


def test_the_load_log_of_a_restricted_source_is_restricted(eco: Sources) -> None:
    version = eco.current()["pole-biowin"]
    for iri in (version.graph.value, version.activity.value, f"{version.activity.value}/file/1"):
        assert describe(eco, iri, restricted=False) is None
        assert describe(eco, iri, restricted=True) is not None
    found = describe(eco, version.graph.value, restricted=True)
    assert found is not None
    files = {t.object.value for t in found.statements if t.predicate.value == f"{ECO}fileName"}
    assert files == {"biowin-members.csv", "biowin-participants.csv", "biowin-projects.csv"}


# -- labels ----------------------------------------------------------------------------------------
def test_pick_label_prefers_the_language_then_no_tag_then_the_other() -> None:
    fr, en, plain = ox.Literal("Cluster TIC", language="fr"), ox.Literal("ICT cluster", language="en"), \
        ox.Literal("ICT")
    assert pick_label([fr, en, plain], "fr") == "Cluster TIC"
    assert pick_label([fr, en, plain], "en") == "ICT cluster"
    assert pick_label([fr, plain], "en") == "ICT"
    assert pick_label([fr, ox.Literal("Luik", language="nl")], "en") == "Cluster TIC"
    assert pick_label([], "en") is None


# -- search ----------------------------------------------------------------------------------------
def found(sources: Sources, text: str, *, restricted: bool = True, **options: object) -> list[tuple[str, int]]:
    return [(h.label, h.rank) for h in search(sources, text, restricted=restricted, **options)]  # type: ignore[arg-type]


def test_search_folds_accents_and_case_and_ranks(eco: Sources) -> None:
    # "liege": Liège Data SRL starts with it (2); Université de Liège has a word starting with it (3)
    assert found(eco, "liege", restricted=False) == [("Liège Data SRL", 2), ("Université de Liège", 3)]
    assert found(eco, "LIÈGE", restricted=False) == found(eco, "liege", restricted=False)
    # an accented query finds an unaccented name: the acronym PREDILINE of project W2 (label: its title)
    hits = search(eco, "prédiline", restricted=True)
    assert [(h.label, h.matched, h.rank, h.types) for h in hits] == [
        ("Maintenance prédictive des lignes de production", "PREDILINE", 1, ["Project"])]
    # exact name first: the pole BioWin (1) before names that start with "biowin" (its altLabel "BioWin ASBL")
    assert found(eco, "biowin") == [("BioWin", 1)]
    # "bio": BIOSIM (W4's acronym) and BioWin both start with it, both 6 letters: alphabetical
    assert found(eco, "bio") == [("Simulation de bioréacteurs", 2), ("BioWin", 2)]
    # "win" only inside names: BioWin, Skywin (6 letters, alphabetical), LAITWIN (7), Greenwin (8)
    assert found(eco, "win") == [("BioWin", 4), ("Skywin", 4), ("Jumeau numérique de la laiterie", 4),
                                 ("Greenwin", 4)]


def test_search_filters_by_type_and_limits(eco: Sources) -> None:
    assert found(eco, "liege", types=["Institution"]) == [("Université de Liège", 3)]
    assert found(eco, "win", types=["Pole"], limit=2) == [("BioWin", 4), ("Skywin", 4)]
    assert found(eco, "   ") == []


def test_search_sees_only_visible_sources_and_a_new_load(sources: Sources) -> None:
    load(sources, "members", [DATA / "members.csv"])
    # "pack": Nordic Pack AB (a word starts with it) and ECOPACK (W3's acronym, contains it): Wagralim files
    assert found(sources, "pack") == []
    load(sources, "poles", sorted(DATA.glob("wagralim-*.csv")), pole="wagralim")
    assert found(sources, "pack") == [("Nordic Pack AB", 3), ("Emballage durable", 4)]
    # a foreign partner has no finer class than org:FormalOrganization; a firm is both
    assert [h.types for h in search(sources, "pack", restricted=True)] == [["Organisation"], ["Project"]]
    assert [h.types for h in search(sources, "brixtel", restricted=True)] == [["Company", "Organisation"]]
    assert found(sources, "pack", restricted=False) == []
