"""The interactive neighbourhood view of entity pages: its section of the page, its JSON, its scripts.

The page draws the graph with cytoscape.js (vendored in api/static/cytoscape, its README says from where)
and api/static/entity/neighbourhood.js, both served from here. The script fetches the JSON of
/api/v1/entities/neighbourhood (queries.neighbourhood) and takes the colours and shapes of the node kinds and
the line styles of the relations from the legend below the graph, so that the legend says what the drawing
shows. Clicking a node opens its page. Without scripts, the page's tables still list the same links.
"""

from __future__ import annotations

from html import escape
from typing import Literal
from urllib.parse import quote

import pyoxigraph as ox
from pydantic import BaseModel, Field

from api.assets import JS, TEXT, Assets
from api.entity_page import page_of
from queries.entities import SEARCH_TYPES, Description, iri_of
from queries.neighbourhood import MAX_DEPTH, Neighbourhood, Relation

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CYTOSCAPE = Assets("cytoscape", {"cytoscape.min.js": JS, "LICENSE": TEXT})
SCRIPT = Assets("entity", {"neighbourhood.js": JS})

NodeKind = Literal["company", "lab", "institution", "pole", "cluster", "project", "organisation", "other"]
_KINDS: dict[NodeKind, tuple[str, str, str, str]] = {  # colour (Okabe-Ito), cytoscape shape, French, English
    "company": ("#0072B2", "ellipse", "entreprise", "company"),
    "lab": ("#009E73", "triangle", "laboratoire", "lab"),
    "institution": ("#56B4E9", "rectangle", "institution", "institution"),
    "pole": ("#D55E00", "diamond", "pôle", "pole"),
    "cluster": ("#CC79A7", "star", "cluster", "cluster"),
    "project": ("#E69F00", "round-rectangle", "projet", "project"),
    "organisation": ("#999999", "ellipse", "autre organisation", "other organisation"),
    "other": ("#DDDDDD", "ellipse", "autre", "other"),
}
_RELATIONS: dict[Relation, tuple[str, str, str, str]] = {  # line colour and style, French, English
    "participates_in": ("#555555", "solid", "participe à", "takes part in"),
    "member_of": ("#999999", "dashed", "membre de", "member of"),
    "unit_of": ("#009E73", "dotted", "unité de", "unit of"),
    "labelled_by": ("#D55E00", "solid", "labellisé par", "labelled by"),
}
_WORDS = {
    "fr": {"title": "Voisinage", "depth": "Liens à suivre", "failed": "Le voisinage n'a pu être chargé.",
           "graph": "Graphe du voisinage de l'entité : les mêmes liens sont listés dans les tableaux plus bas.",
           "script": "Le graphe du voisinage demande JavaScript ; les tableaux plus bas donnent les mêmes liens.",
           "capped": "Plus de {n} nœuds à {depth} lien(s) : les {n} dessinés sont les plus proches, pôles et "
                     "clusters d'abord, puis projets, puis acteurs.",
           "drawn": "{nodes} nœuds, {edges} liens."},
    "en": {"title": "Neighbourhood", "depth": "Links to follow", "failed": "The neighbourhood could not be loaded.",
           "graph": "Graph of the entity's neighbourhood: the tables below list the same links.",
           "script": "The neighbourhood graph needs JavaScript; the tables below give the same links.",
           "capped": "More than {n} nodes lie within {depth} link(s): the {n} drawn are the nearest, poles and "
                     "clusters first, then projects, then actors.",
           "drawn": "{nodes} nodes, {edges} links."},
}


class GraphNode(BaseModel):
    id: str = Field(description="Its IRI.")
    label: str = Field(description="Its short name (a project's acronym), else its label in the reader's language.")
    title: str = Field(description="Its full label.")
    kind: NodeKind
    depth: int = Field(ge=0, le=MAX_DEPTH, description="Links from the entity (0: the entity itself).")
    page: str | None = Field(description="Its page on this server, when it is an IRI minted here.")


class GraphEdge(BaseModel):
    source: str
    target: str
    relation: Relation = Field(description="From an actor to its project, pole or cluster; from a lab to its "
                                           "institution; from a project to its pole.")


class GraphOut(BaseModel):
    iri: str
    depth: int
    nodes: list[GraphNode] = Field(description="The entity first, then the nearest nodes first.")
    edges: list[GraphEdge]
    capped: bool = Field(description="Whether more nodes lie within `depth` links than `nodes` holds.")
    note: str = Field(description="What is drawn, for a person, in the reader's language.")


def graph_json(found: Neighbourhood, *, base: str, lang: str) -> GraphOut:
    w = _WORDS[lang]
    note = w["drawn"].format(nodes=len(found.nodes), edges=len(found.edges))
    if found.capped:
        note = w["capped"].format(n=len(found.nodes), depth=found.depth) + " " + note
    return GraphOut(
        iri=found.iri, depth=found.depth, capped=found.capped, note=note,
        nodes=[GraphNode(id=n.iri, label=n.label, title=n.title, kind=n.kind if n.kind in _KINDS else "other",
                         depth=n.depth, page=page_of(n.iri, base)) for n in found.nodes],
        edges=[GraphEdge(source=e.source, target=e.target, relation=e.relation) for e in found.edges])


def section(found: Description, *, lang: str) -> str:
    """The view's section of the page of `found`, for an entity of a kind the collaboration graph links
    (a company, a lab, a pole, a project...); empty for any other."""
    types = {iri_of(t.object) for t in found.statements if iri_of(t.subject) == found.iri and t.predicate == _TYPE}
    if not types & set(SEARCH_TYPES.values()):
        return ""
    w, i = _WORDS[lang], 0 if lang == "fr" else 1
    src = f"/api/v1/entities/neighbourhood?iri={escape(quote(found.iri, safe=''), quote=True)}"
    depths = "".join(f'<option value="{d}"{" selected" if d == 1 else ""}>{d}</option>'
                     for d in range(1, MAX_DEPTH + 1))
    kinds = "".join(f'<li data-kind="{k}" data-colour="{c}" data-shape="{shape}"><span class="swatch" '
                    f'style="background:{c}"></span>{escape(words[i])}</li>'
                    for k, (c, shape, *words) in _KINDS.items() if k != "other")
    relations = "".join(f'<li data-relation="{r}" data-colour="{c}" data-line="{line}"><span class="line" '
                        f'style="border-top:2px {line} {c}"></span>{escape(words[i])}</li>'
                        for r, (c, line, *words) in _RELATIONS.items())
    return (f'<section id="neighbourhood" aria-labelledby="neighbourhood-title"><h2 id="neighbourhood-title">'
            f'{w["title"]}</h2><p><label for="neighbourhood-depth">{w["depth"]}</label> <select '
            f'id="neighbourhood-depth">{depths}</select> <span id="neighbourhood-note" role="status"></span></p>'
            f'<div id="neighbourhood-graph" role="img" aria-label="{escape(w["graph"], quote=True)}" '
            f'data-src="{src}" data-failed="{escape(w["failed"], quote=True)}"></div>'
            f'<ul class="legend">{kinds}</ul><ul class="legend">{relations}</ul>'
            f'<noscript><p>{escape(w["script"])}</p></noscript>'
            f'<script src="{CYTOSCAPE.url("cytoscape.min.js")}"></script>'
            f'<script src="{SCRIPT.url("neighbourhood.js")}"></script></section>')

