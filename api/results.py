"""SPARQL results written from rows already in hand (pyoxigraph writes only whole result objects, and the
endpoint needs to stop at its row cap first): JSON, XML, CSV and TSV as the W3C recommendations say."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

Row = Sequence[Any]  # one term (or None) per variable
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}


def write(kind: str, variables: Sequence[str], rows: Sequence[Row] | None, boolean: bool | None = None,
          extra: dict[str, Any] | None = None) -> bytes:
    """Solutions (`rows`) or an ASK answer (`boolean`) in `kind` (json, xml, csv, tsv). `extra` goes into
    the JSON document as a member of its own (the row cap's notice)."""
    return _WRITERS[kind](list(variables), rows, boolean, extra or {})


def _json(variables: list[str], rows: Sequence[Row] | None, boolean: bool | None, extra: dict[str, Any]) -> bytes:
    doc: dict[str, Any] = {"head": {"vars": [] if rows is None else variables}}
    if rows is None:
        doc["boolean"] = bool(boolean)
    else:
        doc["results"] = {"bindings": [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]}
    doc.update(extra)
    return json.dumps(doc, ensure_ascii=False).encode()


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _xml(variables: list[str], rows: Sequence[Row] | None, boolean: bool | None, _: dict[str, Any]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    if rows is None:
        out.append(f"</head><boolean>{'true' if boolean else 'false'}</boolean></sparql>")
        return "".join(out).encode()
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode()


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _csv(variables: list[str], rows: Sequence[Row] | None, boolean: bool | None, _: dict[str, Any]) -> bytes:
    """Values only (the CSV format drops types and languages); lines end in CRLF as RFC 4180 says."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if rows is None:
        writer.writerow(["_askResult"])
        writer.writerow(["true" if boolean else "false"])
    else:
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
    return out.getvalue().encode()


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value) if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _tsv(variables: list[str], rows: Sequence[Row] | None, boolean: bool | None, _: dict[str, Any]) -> bytes:
    """Terms in their Turtle/N-Triples form, so that nothing is lost (pyoxigraph's str() writes them)."""
    if rows is None:
        return f"?_askResult\n{'true' if boolean else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
