"""Minting the IRIs of entities from their real identifiers (docs/ontology.md, "IRIs").

One rule per kind of entity, in one place, so that every source and every query names a real
organisation the same way: that is what makes a firm that is a member, a pole member and a project
participant ONE node (Oxigraph does no owl:sameAs reasoning).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from ontology.text import slugify

__all__ = ["Minter", "fragment", "slugify"]

@dataclass(frozen=True)
class Minter:
    """IRIs under one deployment's base IRI (``ECOKG_BASE_IRI``, ending with '/')."""

    base: str

    def _iri(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + path)

    def company(self, enterprise_number: str) -> ox.NamedNode:
        """A Belgian organisation by its KBO/BCE number, formatted or not."""
        return self._iri(f"id/org/be-{enterprise_number.replace('.', '')}")

    def pic(self, pic: str) -> ox.NamedNode:
        """An organisation known by its CORDIS PIC only (no valid Belgian VAT number): entity resolution
        links it to the enterprise-number node of the same organisation when another source tells."""
        return self._iri(f"id/org/pic-{pic}")

    def cordis(self, kind: str, code: str) -> ox.NamedNode:
        """A CORDIS code list entry ('topic', 'legal-basis'), its code kept whole ('H2020-EU.3.4.')."""
        return self._iri(f"id/cordis/{kind}/{quote(code, safe='-._~')}")

    def site(self, unit_number: str) -> ox.NamedNode:
        """A KBO/BCE establishment unit (2.000.000.339) or branch (9.000.006.626) of an organisation."""
        return self._iri(f"id/site/be-{unit_number.replace('.', '')}")

    def kbo(self, category: str, code: str | None = None) -> ox.NamedNode:
        """A KBO/BCE code (code.csv: category 'JuridicalForm', code '014'), or without a code its scheme."""
        path = f"id/kbo/{category.lower()}"
        return self._iri(path if code is None else f"{path}/{quote(code, safe='-._~')}")

    def foreign_org(self, country: str, name: str) -> ox.NamedNode:
        return self._iri(f"id/org/{country.lower()}-{slugify(name)}")

    def institution(self, name: str) -> ox.NamedNode:
        """An institution known only by name (with a number, use company())."""
        return self._iri(f"id/org/inst-{slugify(name)}")

    def named(self, name: str) -> ox.NamedNode:
        """A Belgian organisation known only by its name (an event's attendee, a survey's respondent): entity
        resolution (`ecokg link`) joins it to the registered node of the same organisation when names and
        places agree."""
        return self._iri(f"id/org/name-{slugify(name)}")

    def event(self, event_id: str) -> ox.NamedNode:
        return self._iri(f"id/event/{slugify(event_id)}")

    def attendance(self, event: ox.NamedNode, attendee: ox.NamedNode) -> ox.NamedNode:
        return self._iri(f"id/attendance/{_key(event)}/{_key(attendee)}")

    def adoption(self, adopter: ox.NamedNode, technology: ox.NamedNode) -> ox.NamedNode:
        """The dated eco:uses link of an organisation and a technology (its slug, the taxonomy's IRI tail)."""
        return self._iri(f"id/adoption/{_key(adopter)}/{_key(technology)}")

    def lab(self, code: str) -> ox.NamedNode:
        return self._iri(f"id/lab/{slugify(code)}")

    def pole(self, pole_id: str) -> ox.NamedNode:
        return self._iri(f"id/pole/{pole_id}")

    def cluster(self, cluster_id: str) -> ox.NamedNode:
        return self._iri(f"id/cluster/{cluster_id}")

    def project(self, scope: str, project_id: str) -> ox.NamedNode:
        """A project by the id its source gives it, scoped (a pole id, 'cordis') so ids never collide."""
        return self._iri(f"id/project/{scope}-{slugify(project_id)}")

    def participation(self, project: ox.NamedNode, participant: ox.NamedNode, rank: str = "") -> ox.NamedNode:
        """`rank` tells apart two parts of one organisation in one project (CORDIS lists some twice)."""
        return self._iri(f"id/participation/{_key(project)}/{_key(participant)}" + (f"/{rank}" if rank else ""))

    def membership(self, member: ox.NamedNode, organization: ox.NamedNode) -> ox.NamedNode:
        return self._iri(f"id/membership/{_key(member)}/{_key(organization)}")

    def municipality(self, nis: str) -> ox.NamedNode:
        return self._iri(f"id/municipality/{nis}")

    def curation(self, label: str) -> ox.NamedNode:
        return self._iri(f"id/curation/{slugify(label)}")

    def local_id(self, iri: ox.NamedNode, kind: str) -> str | None:
        """'biowin' for BASE/id/pole/biowin and kind 'pole'; None for an IRI of another kind."""
        prefix = f"{self.base}id/{kind}/"
        return iri.value[len(prefix):] if iri.value.startswith(prefix) else None


def fragment(entity: ox.NamedNode, name: str) -> ox.NamedNode:
    """A dependent node of an entity (its address, a membership's interval): ``entity#name``."""
    return ox.NamedNode(f"{entity.value}#{name}")


def _key(iri: ox.NamedNode) -> str:
    """The last path segment of an entity IRI: its key within its kind."""
    return iri.value.rstrip("/").rsplit("/", 1)[-1]
