"""An entity's description as an HTML page: readable, accessible, self-contained (nothing from a CDN).

Its one script, the interactive view of the entity's neighbourhood (api/neighbourhood.py), is served from
here; the rest of the page needs none.

Everything shown is escaped; nodes are named by their label in the reader's language (French or English),
and linked when they are entities under the base IRI (a server-relative path: BASE + P[1:] is served at P).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

import pyoxigraph as ox

from ontology.vocab import prefixes
from queries.entities import LABEL_PREDICATES, Description, document_of, iri_of, pick_label

MAX_VALUES = 50
"""Values shown per property on a page (the RDF answers carry them all)."""

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_WORDS = {
    "en": {"types": "Types", "labels": "Names", "properties": "Properties", "property": "Property",
           "value": "Value", "referred": "Referred to by", "cut": "Only the first {n} statements that refer to it "
           "are shown: the SPARQL endpoint has them all.", "sources": "Sources", "source": "Source",
           "version": "Version", "access": "Access", "loaded": "Loaded (UTC)", "more": "and {n} more",
           "log": "Described by the load log: the provenance of the sources.", "as": "This data as",
           "missing": "Nothing you may see describes this IRI."},
    "fr": {"types": "Types", "labels": "Noms", "properties": "Propriétés", "property": "Propriété",
           "value": "Valeur", "referred": "Cité par", "cut": "Seuls les {n} premiers énoncés qui le citent sont "
           "montrés : le point SPARQL les a tous.", "sources": "Sources", "source": "Source",
           "version": "Version", "access": "Accès", "loaded": "Chargée (UTC)", "more": "et {n} de plus",
           "log": "Décrit par le journal des chargements : la provenance des sources.", "as": "Ces données en",
           "missing": "Rien de ce que vous pouvez voir ne décrit cette IRI."},
}
_STYLE = """body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
header,main,footer{max-width:62rem;margin:0 auto;padding:.8rem 1.2rem}header{border-bottom:1px solid #ccc}
a{color:#0645ad}a:focus{outline:3px solid #f90}h1{margin:.6rem 0 .2rem}h2{margin-top:2rem;font-size:1.2rem}
.iri{color:#444;word-break:break-all}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:left;vertical-align:top}
th[scope=row]{width:30%;font-weight:600}ul{margin:0;padding-left:1.1rem}.tag{color:#555;font-size:.85em}
footer{border-top:1px solid #ccc;margin-top:2rem}
#neighbourhood-graph{height:28rem;border:1px solid #ccc;border-radius:4px;background:#fcfcfc}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.5rem 0;font-size:.9rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.35rem;vertical-align:-1px}
.line{display:inline-block;width:1.6rem;margin-right:.35rem;vertical-align:middle}"""
_FORMATS = (("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
            ("nt", "application/n-triples", "N-Triples"), ("rdf", "application/rdf+xml", "RDF/XML"))


def page_of(iri: str, base: str) -> str | None:
    """Where this server shows `iri`: the path standing for it, when it is under the base."""
    return "/" + iri[len(base):] if iri.startswith(base) and len(iri) > len(base) else None


def render(found: Description, *, base: str, lang: str, graph: str = "") -> str:
    """The page of `found`, an IRI under `base`, for a reader of `lang`; `graph`, the HTML of the
    neighbourhood view, goes after its names."""
    path = page_of(found.iri, base) or "/"
    view = _View(found, base, lang)
    w = _WORDS[lang]
    title = view.name(found.iri)
    types = [t.object for t in found.statements if iri_of(t.subject) == found.iri and t.predicate.value == _TYPE]
    labels = [t.object for t in found.statements if iri_of(t.subject) == found.iri
              and t.predicate.value in LABEL_PREDICATES and isinstance(t.object, ox.Literal)]
    parts = [f"<h1>{escape(title)}</h1>", f'<p class="iri"><code>{escape(found.iri)}</code></p>']
    if types:
        parts.append(f"<p>{w['types']}: " + ", ".join(view.node(t) for t in sorted(set(types), key=str)) + "</p>")
    if labels:
        parts.append(f"<h2>{w['labels']}</h2><ul>" + "".join(f"<li>{view.literal(x)}</li>" for x in
                                                           sorted(set(labels), key=str)) + "</ul>")
    parts.append(graph)
    subjects = sorted({iri_of(t.subject) for t in found.statements} - {found.iri})
    parts.append(f"<h2>{w['properties']}</h2>" + view.table(found.iri, skip={_TYPE, *LABEL_PREDICATES}))
    for subject in subjects:
        anchor = subject.split("#", 1)[1] if document_of(subject) == found.iri else ""
        heading = f"#{escape(anchor)}" if anchor else view.node(ox.NamedNode(subject))
        parts.append(f'<section id="{escape(anchor or subject, quote=True)}"><h2>{heading}</h2>'
                     f"{view.table(subject)}</section>")
    if found.incoming:
        parts.append(f"<h2>{w['referred']}</h2>" + view.incoming())
        if found.incoming_cut:
            parts.append(f"<p>{escape(w['cut'].format(n=len(found.incoming)))}</p>")
    if found.from_load_log:
        parts.append(f"<h2>{w['sources']}</h2><p>{escape(w['log'])}</p>")
    elif found.sources:
        parts.append(f"<h2>{w['sources']}</h2>{view.sources()}")
    alternates = " · ".join(f'<a href="{escape(path, quote=True)}?format={key}" type="{media}">{name}</a>'
                            for key, media, name in _FORMATS)
    return _document(title, lang, "\n".join(parts), f"<p>{w['as']} {alternates}</p>", path)


def not_found(iri: str, *, lang: str) -> str:
    w = _WORDS[lang]
    return _document(iri, lang, f"<h1>404</h1><p>{escape(w['missing'])}</p><p><code>{escape(iri)}</code></p>",
                     "", None)


def _document(title: str, lang: str, main: str, footer: str, path: str | None) -> str:
    links = "".join(f'<link rel="alternate" type="{media}" href="{escape(path, quote=True)}?format={key}">'
                    for key, media, _ in _FORMATS if path)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title>{links}<style>{_STYLE}</style></head><body>"
            f'<header><nav><a href="/">ecokg</a> · <a href="/sparql">SPARQL</a> · <a href="/docs">API</a></nav>'
            f'</header><main id="main">{main}</main><footer>{footer}</footer></body></html>')


class _View:
    """How one description names and links the nodes it shows."""

    def __init__(self, found: Description, base: str, lang: str) -> None:
        self.found, self.base, self.lang = found, base, lang
        self.prefixes = sorted(prefixes().items(), key=lambda kv: -len(kv[1]))

    def name(self, iri: str) -> str:
        """Its label; a fragment by its document's label and its fragment; else its path or prefixed name."""
        label = pick_label(self.found.labels_of(iri), self.lang)
        if label:
            return label
        doc = document_of(iri)
        if doc != iri and doc == self.found.iri:
            return f"#{iri.split('#', 1)[1]}"
        if doc != iri and (of_doc := pick_label(self.found.labels_of(doc), self.lang)):
            return f"{of_doc} #{iri.split('#', 1)[1]}"
        if iri.startswith(self.base):
            return iri[len(self.base):]
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def node(self, term: object) -> str:
        if isinstance(term, ox.Literal):
            return self.literal(term)
        iri = iri_of(term)
        if not iri:
            return escape(str(term))
        return self.link(iri, self.name(iri))

    def link(self, iri: str, text: str) -> str:
        """`text` linked to the page of `iri` when it is under the base, else with the IRI as its title."""
        page = page_of(iri, self.base)
        if page is not None:
            return f'<a href="{escape(page, quote=True)}">{escape(text)}</a>'
        return f'<span title="{escape(iri, quote=True)}">{escape(text)}</span>'

    def literal(self, term: ox.Literal) -> str:
        if term.language:
            return (f'<span lang="{escape(term.language, quote=True)}">{escape(term.value)}</span> '
                    f'<span class="tag">{escape(term.language)}</span>')
        return escape(term.value)

    def predicate(self, iri: str) -> str:
        return f'<span title="{escape(iri, quote=True)}">{escape(self.name(iri))}</span>'

    def table(self, subject: str, skip: Iterable[str] = ()) -> str:
        """The statements of `subject`, one row per property."""
        groups: dict[str, list[object]] = {}
        for t in self.found.statements:
            if iri_of(t.subject) == subject and t.predicate.value not in skip:
                groups.setdefault(t.predicate.value, []).append(t.object)
        return self._grouped({p: [self.node(o) for o in sorted(objects, key=str)] for p, objects in groups.items()})

    def incoming(self) -> str:
        """The statements that refer to the entity, one row per property."""
        groups: dict[str, list[str]] = {}
        for t in self.found.incoming:
            groups.setdefault(t.predicate.value, []).append(self._referrer(iri_of(t.subject)))
        return self._grouped(groups)

    def _referrer(self, subject: str) -> str:
        """A node that refers to the entity, and what else under the base it links to (a membership's pole,
        a participation's project), so that the page shows where the entity belongs."""
        doc = document_of(subject)
        links = sorted({iri_of(t.object) for t in self.found.around if iri_of(t.subject) == subject
                        and t.predicate.value != _TYPE and page_of(iri_of(t.object), self.base)
                        and document_of(iri_of(t.object)) not in (doc, self.found.iri)})
        via = "".join(f" → {self.node(ox.NamedNode(o))}" for o in links)
        return self.node(ox.NamedNode(subject)) + via

    def sources(self) -> str:
        w = _WORDS[self.lang]
        rows = "".join(
            f"<tr><td>{escape(v.source)}</td><td>{self.link(v.graph.value, str(v.number))}</td>"
            f'<td>{escape(v.access)}</td><td><time datetime="{escape(v.ended, quote=True)}">'
            f"{escape(v.ended[:19].replace('T', ' '))}</time></td></tr>" for v in self.found.sources)
        head = "".join(f'<th scope="col">{w[k]}</th>' for k in ("source", "version", "access", "loaded"))
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    def _grouped(self, groups: dict[str, list[str]]) -> str:
        """A property/value table: properties by name, one value as such, several as a list (MAX_VALUES)."""
        rows = []
        for p, cells in sorted(groups.items(), key=lambda kv: self.name(kv[0]).lower()):
            items = [f"<li>{c}</li>" for c in cells[:MAX_VALUES]]
            if len(cells) > MAX_VALUES:
                items.append(f"<li>… {escape(_WORDS[self.lang]['more'].format(n=len(cells) - MAX_VALUES))}</li>")
            value = cells[0] if len(cells) == 1 else f"<ul>{''.join(items)}</ul>"
            rows.append(f'<tr><th scope="row">{self.predicate(p)}</th><td>{value}</td></tr>')
        w = _WORDS[self.lang]
        return (f'<table><thead><tr><th scope="col">{w["property"]}</th><th scope="col">{w["value"]}</th></tr>'
                f"</thead><tbody>{''.join(rows)}</tbody></table>")
