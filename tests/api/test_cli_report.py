"""`ecokg report` as a user runs it, on the example files of docs/examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import cli_on, run

from reports import pdf

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_report_writes_html_in_each_language_and_refuses_what_it_cannot_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with cli_on(tmp_path / "store") as runner:
        run(runner, "load", "members", str(EXAMPLES / "members.csv"))
        out = tmp_path / "report.html"
        assert f"report written to {out}" in run(runner, "report", "--out", str(out))
        assert '<html lang="fr">' in out.read_text(encoding="utf-8")
        run(runner, "report", "--out", str(out), "--lang", "en")
        # members.csv holds 3 firms, all cluster members
        assert 'data-figure="companies"><span class="figure">3<' in out.read_text(encoding="utf-8")
        assert "--lang must be fr or en" in run(runner, "report", "--out", str(out), "--lang", "de", code=2)
        assert "no pole 'skywin'" in run(runner, "report", "--out", str(out), "--pole", "skywin", code=1)
        monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
        assert "needs headless Chromium" in run(runner, "report", "--out", str(tmp_path / "r.pdf"), code=1)
