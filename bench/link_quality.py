"""Precision and recall of entity resolution on the labelled pairs (tests/data/linking/pairs.csv).

Usage: python bench/link_quality.py [--split train|test] [--sweep] [--write]
`--sweep` shows the figures at other thresholds (tune on train only: the test split measures the result).
A pair counts as found when the matcher links it with no review; pairs it sends to review are counted
apart, as are the positives that are renames or translations (scripts/make_link_pairs.py says which).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import matching  # noqa: E402

PAIRS = ROOT / "tests" / "data" / "linking" / "pairs.csv"


@dataclass
class Figures:
    pairs: int
    positives: int  # renames excluded
    renames: int
    linked: int
    true_links: int
    reviewed_positives: int
    reviewed_negatives: int
    renames_linked: int
    false: list[tuple[str, str, str]]

    @property
    def precision(self) -> float:
        return self.true_links / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        """Of the positives a name matcher can find (renames apart)."""
        return (self.true_links - self.renames_linked) / self.positives if self.positives else 1.0

    @property
    def recall_all(self) -> float:
        return self.true_links / (self.positives + self.renames) if self.positives + self.renames else 1.0


def records(row: dict[str, str]) -> tuple[matching.Record, matching.Record]:
    left = matching.Record(row["left_pic"], (row["left_name"],), row["country"], row["left_postcode"], row["left_city"])
    right = matching.Record(row["right_pic"], (row["right_name"],), row["country"], row["right_postcode"],
                            row["right_city"])
    return left, right


def scored(split: str) -> list[tuple[dict[str, str], float, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["split"] == split]
    out = []
    for row in rows:
        verdict = matching.compare(*records(row))
        out.append((row, verdict.score, verdict.evidence))
    return out


def evaluate(pairs: list[tuple[dict[str, str], float, str]], accept: float = matching.ACCEPT,
             review: float = matching.REVIEW) -> Figures:
    kinds: Counter[str] = Counter()
    false = []
    for row, score, evidence in pairs:
        positive, rename = row["label"] == "match", row["category"].endswith("rename")
        kinds["pairs"] += 1
        kinds["renames" if rename else "positives"] += positive
        if score >= accept:
            kinds["linked"] += 1
            kinds["true_links"] += positive
            kinds["renames_linked"] += positive and rename
            if not positive:
                false.append((row["left_name"], row["right_name"], evidence))
        elif score >= review:
            kinds["reviewed_positives" if positive else "reviewed_negatives"] += 1
    return Figures(**{k: kinds[k] for k in Figures.__dataclass_fields__ if k != "false"}, false=false)


def write_section() -> None:
    from sections import replace_section

    rows = []
    for split in ("train", "test"):
        f = evaluate(scored(split))
        rows.append(f"| {split} | {f.pairs:,} | {f.positives} (+{f.renames} renames) | {f.linked} | "
                    f"**{f.precision:.3f}** | **{f.recall:.3f}** | {f.recall_all:.3f} | "
                    f"{f.reviewed_positives} / {f.reviewed_negatives} |")
    replace_section("Entity resolution", f"""\
## Entity resolution (`bench/link_quality.py --write`; issue 5: precision >= 0.99, recall >= 0.90)
The matcher (`loaders/matching.py`, link from {matching.ACCEPT:.0f}, review from {matching.REVIEW:.0f}) on the labelled
real FP7/H2020 pairs of `tests/data/linking/pairs.csv`; thresholds chosen on train, test held out. Recall
counts the pairs a name matcher can find; "with renames" counts translations and new names too.

| split | pairs | same organisation | linked | precision | recall | with renames | to review (true / false) |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("train", "test"))
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the 'Entity resolution' section of BENCHMARKS.md")
    args = parser.parse_args()
    if args.write:
        write_section()
        return
    pairs = scored(args.split)
    for accept in (range(84, 100, 2) if args.sweep else [matching.ACCEPT]):
        f = evaluate(pairs, float(accept))
        print(f"{args.split} accept>={accept}: {f.pairs} pairs, {f.positives} positives (+{f.renames} renames); "
              f"linked {f.linked}, precision {f.precision:.4f}, recall {f.recall:.4f} "
              f"(with renames {f.recall_all:.4f}); to review: {f.reviewed_positives} true, "
              f"{f.reviewed_negatives} false")
    if not args.sweep:
        for left, right, evidence in f.false[:20]:
            print(f"  false link: {left!r} / {right!r}: {evidence}")


if __name__ == "__main__":
    main()
