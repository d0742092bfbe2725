"""The report as PDF: headless Chromium's print-to-PDF of the very HTML page (so the PDF looks like it).

Why Chromium and not WeasyPrint (docs/decisions/0001-libraries.md): the browser tests already need Debian's
chromium (scripts/ensure-chromium), it renders the page's CSS grid and SVG exactly as a reader's browser
does, and its command line needs no Python package at run time. The page is written to a private temporary
directory with a throwaway browser profile; the browser loads that one file and nothing else.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import EcokgError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-pdf-header-footer")


class PdfEngineMissing(EcokgError):
    """No headless Chromium to print the PDF with."""


def chromium() -> str:
    """The Chromium executable on PATH, or PdfEngineMissing saying how to install one."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfEngineMissing(
        "PDF output needs headless Chromium, and none is on PATH (looked for "
        f"{', '.join(CANDIDATES)}): install it with `apt-get install --no-install-recommends chromium` "
        "(scripts/ensure-chromium does), or write the report as .html and print it from a browser.")


def html_to_pdf(html: str, out: Path, *, executable: str | None = None) -> Path:
    """Print `html` to the PDF file `out` (A4, as the page's @page rule says); EcokgError if Chromium fails."""
    browser = executable or chromium()
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="ecokg-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [browser, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}",
                   page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise EcokgError(f"Chromium did not print the PDF within {TIMEOUT_S} s") from exc
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise EcokgError(f"Chromium could not print the PDF (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return out
