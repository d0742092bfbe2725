"""The model as data: where ecokg's ontology files are, and the ids of the reference poles.

- ``ECOSYSTEM_TTL``: the OWL ontology (classes and properties of ``eco:``, with what they reuse).
- ``SHAPES_TTL``: the SHACL shapes the loaders' data is validated against.
- ``TECHNOLOGIES_TTL``: the bilingual SKOS taxonomy of digital technologies (``tech:``).
- ``REFERENCE_TTL``: the ICT cluster, the six poles and the sector scheme. The cluster and poles are written
  with relative IRIs (``<id/pole/biowin>``): parse it with the deployment's base IRI (``ECOKG_BASE_IRI``,
  ending with ``/``) as ``base_iri`` / ``publicID``.

The vocabularies themselves (namespaces, the ``ECO`` terms) are in :mod:`ontology.vocab`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ECOSYSTEM_TTL", "ONTOLOGY_DIR", "POLE_IDS", "REFERENCE_TTL", "SHAPES_TTL", "TECHNOLOGIES_TTL"]

ONTOLOGY_DIR: Path = Path(__file__).resolve().parent
ECOSYSTEM_TTL: Path = ONTOLOGY_DIR / "ecosystem.ttl"
SHAPES_TTL: Path = ONTOLOGY_DIR / "shapes.ttl"
TECHNOLOGIES_TTL: Path = ONTOLOGY_DIR / "technologies.ttl"
REFERENCE_TTL: Path = ONTOLOGY_DIR / "reference.ttl"

#: Wallonia's six competitiveness poles, as the last segment of their IRIs (``BASE/id/pole/{id}``).
POLE_IDS: tuple[str, ...] = (
    "biowin",
    "greenwin",
    "logistics-in-wallonia",
    "mecatech",
    "skywin",
    "wagralim",
)
