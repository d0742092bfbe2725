"""The ecosystem report, end to end: named queries -> figures -> HTML page -> (optionally) PDF file."""

from __future__ import annotations

from pathlib import Path

from graph.errors import EcokgError
from graph.sources import Sources
from reports.figures import gather
from reports.messages import Lang
from reports.pdf import chromium, html_to_pdf
from reports.render import render_html

SUFFIXES = (".html", ".pdf")


def ecosystem_report(sources: Sources, *, lang: Lang = "fr", pole: str | None = None, restricted: bool = True) -> str:
    """The report as one self-contained HTML page, over what the caller may see (public sources only unless
    `restricted`); about one pole when `pole` names one (its key, e.g. wagralim, or its IRI)."""
    return render_html(gather(sources, lang=lang, pole=pole, restricted=restricted))


def write_report(sources: Sources, out: Path, *, lang: Lang = "fr", pole: str | None = None,
                 restricted: bool = True) -> Path:
    """The report written to `out`, HTML or PDF by its suffix. A PDF without Chromium fails before any
    query runs, saying how to install it."""
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise EcokgError(f"the report is written as .html or .pdf, not '{out.name}'")
    browser = chromium() if suffix == ".pdf" else None
    html = ecosystem_report(sources, lang=lang, pole=pole, restricted=restricted)
    if browser is None:
        out.write_text(html, encoding="utf-8")
        return out
    return html_to_pdf(html, out, executable=browser)
