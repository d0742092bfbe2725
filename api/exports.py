"""The offer catalogue as files for people (`ecokg export catalogue`, /api/v1/exports/catalogue.xlsx|.csv).

The map of the cluster's digital offer: an Excel workbook with one sheet per technology family (the top
concepts of the taxonomy, every family, so that the workbook keeps its sheets from one load to the next), a
row per firm with its public contact, its location and its technologies of that family; or one CSV with a
family column. The rows are those of the named queries technology-families and catalogue
(queries/exports/); this module only groups them (one row per firm and family) and orders them without
regard to accents. Texts are written so that a spreadsheet never takes them for formulas (api.formats).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from api.access import Principal, sources_of
from api.formats import XLSX, csv_text, workbook_bytes
from api.named import Reader, cache_headers, etag, not_modified
from graph.sources import Sources
from ontology.text import fold
from queries.registry import Result, rows_in_batches, rows_of

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")
Firms = Literal["members", "all"]

COLUMNS: dict[str, tuple[str, str]] = {
    "firm_label": ("Entreprise", "Firm"),
    "enterprise_number": ("Numéro d'entreprise", "Enterprise number"),
    "website": ("Site web", "Website"),
    "email": ("E-mail", "E-mail"),
    "street": ("Rue", "Street"),
    "postcode": ("Code postal", "Postcode"),
    "municipality": ("Commune", "Municipality"),
    "nuts3": ("NUTS 3", "NUTS 3"),
    "nuts3_label": ("Arrondissement", "District"),
    "province": ("Province", "Province"),
    "technologies": ("Technologies", "Technologies"),
    "firm": ("IRI", "IRI"),
}
"""A sheet's columns: the catalogue query's column (technologies: the firm's offers in the family) ->
its header in each of LANGS."""
BATCH = 200
"""Firms per organisation-contacts query."""
FAMILY_HEADER = {"fr": "Famille technologique", "en": "Technology family"}


@dataclass(frozen=True)
class Family:
    """One technology family and its firms, a row each (keys of COLUMNS)."""

    iri: str
    label: str
    firms: list[dict[str, Any]]


def catalogue(sources: Sources, *, lang: str = "fr", firms: str = "members", restricted: bool) -> list[Family]:
    """Every technology family, by label, with the firms that offer one of its concepts, by name."""
    offers: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows_of(sources, "catalogue", {"lang": lang, "firms": firms}, restricted=restricted, keep=True):
        entry = offers.setdefault((row["family"], row["firm"]), {**row, "technologies": []})
        entry["technologies"].append(row["offered_label"] or row["offered"])
    firm_iris = sorted({firm for _, firm in offers})
    contacts = {row["org"]: row for row in rows_in_batches(sources, "organisation-contacts", "org", firm_iris, BATCH,
                                                           restricted=restricted, others={"lang": lang})}
    families = []
    for f in rows_of(sources, "technology-families", {"lang": lang}, restricted=restricted, keep=True):
        rows = [{key: (offer | contacts.get(firm, {})).get(key) for key in COLUMNS} | {
                 "technologies": sorted(offer["technologies"], key=_key)}
                for (family, firm), offer in offers.items() if family == f["family"]]
        rows.sort(key=lambda row: (_key(row["firm_label"] or ""), row["firm"]))
        families.append(Family(f["family"], f["family_label"] or f["family"], rows))
    return sorted(families, key=lambda f: (_key(f.label), f.iri))


def _key(text: str) -> str:
    return fold(text).lower()


def catalogue_xlsx(families: list[Family], lang: str) -> bytes:
    """One sheet per family, named by its label with a capital."""
    i = LANGS.index(lang)
    columns = [names[i] for names in COLUMNS.values()]
    return workbook_bytes([(f.label[:1].upper() + f.label[1:], Result(columns=columns, rows=[
        {names[i]: firm[key] for key, names in COLUMNS.items()} for firm in f.firms])) for f in families])


def catalogue_csv(families: list[Family], lang: str) -> str:
    """One CSV, a row per family and firm, with a byte-order mark: Excel then reads it as UTF-8."""
    i, family = LANGS.index(lang), FAMILY_HEADER[lang]
    rows = [{family: f.label} | {names[i]: firm[key] for key, names in COLUMNS.items()}
            for f in families for firm in f.firms]
    return "\ufeff" + csv_text(Result(columns=[family, *(n[i] for n in COLUMNS.values())], rows=rows), inert=True)


# -- HTTP ------------------------------------------------------------------------------------------
router = APIRouter(tags=["exports"])
LangQuery = Annotated[Lang, Query(description="language of the headers and labels", examples=["fr"])]
FirmsQuery = Annotated[Firms, Query(description="members: the cluster's members; all: every company",
                                    examples=["members"])]
_ABOUT = (" Anonymous callers get what public sources say; a key with the `read` scope adds restricted ones. "
          "Send the `ETag` back as `If-None-Match` for a 304 while it is unchanged.")


@router.get("/api/v1/exports/catalogue.xlsx", summary="The offer catalogue as an Excel workbook",
            response_class=Response, responses={200: {"content": {XLSX: {}}}},
            description="One sheet per technology family (the taxonomy's top concepts, in French or English), "
                        "a row per firm offering one of its technologies: the organisation's public contact "
                        "(website, generic e-mail, street address), location (municipality, NUTS 3, province) "
                        "and technologies; header row frozen, with filters." + _ABOUT)
def catalogue_xlsx_file(request: Request, who: Reader, lang: LangQuery = "fr",
                        firms: FirmsQuery = "members") -> Response:
    return _file(request, who, lang, firms, "xlsx")


@router.get("/api/v1/exports/catalogue.csv", summary="The offer catalogue as CSV",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}},
            description="The rows of the Excel workbook in one file, the family in the first column; UTF-8 with "
                        "a byte-order mark, texts that a spreadsheet would take for a formula prefixed with "
                        "an apostrophe." + _ABOUT)
def catalogue_csv_file(request: Request, who: Reader, lang: LangQuery = "fr",
                       firms: FirmsQuery = "members") -> Response:
    return _file(request, who, lang, firms, "csv")


def _file(request: Request, who: Principal, lang: Lang, firms: Firms, extension: str) -> Response:
    tag = etag(request, who)  # the path names the format; lang and firms are in the query string
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    families = catalogue(sources_of(request), lang=lang, firms=firms, restricted=who.restricted)
    headers = cache_headers(tag) | {"Content-Disposition": f'attachment; filename="catalogue-{lang}.{extension}"'}
    if extension == "xlsx":
        return Response(catalogue_xlsx(families, lang), media_type=XLSX, headers=headers)
    return Response(catalogue_csv(families, lang), media_type="text/csv; charset=utf-8", headers=headers)
