"""BENCHMARKS.md is written by several scripts, each owning one "## " section: replace one, keep the others."""

from __future__ import annotations

from pathlib import Path

PAGE = Path(__file__).resolve().parent / "BENCHMARKS.md"


def replace_section(heading: str, body: str, page: Path = PAGE) -> None:
    """Put `body` (a section starting "## {heading}") where the section whose title starts with `heading` is,
    or at the end when there is none; the text before it and the sections after it stay as they are."""
    text = page.read_text(encoding="utf-8") if page.exists() else "# Benchmarks\n"
    before, found, after = text.partition(f"\n## {heading}")
    rest = after[after.find("\n## "):] if found and "\n## " in after else ""
    page.write_text(before.rstrip() + "\n\n" + body.strip() + "\n" + rest, encoding="utf-8")
