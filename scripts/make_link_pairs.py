"""Build the labelled organisation pairs that measure entity resolution (tests/data/linking/pairs.csv), and
the word counts of organisation names the matcher weighs words by (ontology/name_words.csv).

Run once, by hand, from the repository root: `python scripts/make_link_pairs.py ../shared/data/cordis`.
The word counts come from the 30,399 FP7 names, labels unused.

The truth is the legal entity. An FP7 and an H2020 record with the same PIC are one organisation (a positive
pair, whatever their spelling). Other pairs of the same country with similar names are the hard cases: two
PICs are one legal entity when their H2020 VAT numbers are equal (a positive: CORDIS has organisations
registered twice) and two when they differ (a negative); when a VAT number is unknown on either side (any
FP7 PIC absent from H2020) the pair cannot be labelled and is left out, counted. The split is fixed here,
by a hash of the FP7 PIC, before any tuning: the matcher's thresholds are chosen on `train` only, `test`
measures them.

A positive is a `rename` when no name matcher could find it: the two names share no word of three letters or
more and look alike at under 50% (a translation, a new name): counted apart in the figures.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from loaders.matching import normalise

OUT = Path("tests/data/linking/pairs.csv")
WORDS = Path("ontology/name_words.csv")
FIELDS = ("pair", "split", "label", "category", "left_pic", "left_name", "left_postcode", "left_city", "country",
          "right_pic", "right_name", "right_postcode", "right_city")


def plain(text: str) -> str:
    """Accents, case and punctuation away: the generator's own folding, independent of the matcher's."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def fp7_records(path: Path) -> dict[str, dict[str, str]]:
    out = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            parts = [p.strip() for p in row["address"].split(",")]
            out[row["organisationID_PIC"]] = {
                "pic": row["organisationID_PIC"], "name": row["name"].strip(), "country": row["country"],
                "postcode": parts[-1] if len(parts) >= 3 else "", "city": parts[-2] if len(parts) >= 3 else ""}
    return out


def h2020_records(path: Path) -> dict[str, dict[str, str]]:
    out = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["organisationID"], {
                "pic": row["organisationID"], "name": row["name"].strip(), "country": row["country"],
                "postcode": row["postCode"].strip(), "city": row["city"].strip(), "vat": ""})
            out[row["organisationID"]]["vat"] = out[row["organisationID"]]["vat"] or vat(row["vatNumber"])
    return out


def vat(text: str) -> str:
    """A VAT number as compared; the placeholders some rows carry ('NOTAPPLICABLE', '-') are no number."""
    text = re.sub(r"[^0-9A-Z]", "", text.upper())
    return text if any(ch.isdigit() for ch in text) else ""


def split_of(pic: str) -> str:
    return "test" if int(hashlib.sha1(pic.encode()).hexdigest(), 16) % 10 < 3 else "train"


def category(left: str, right: str) -> str:
    a, b = plain(left), plain(right)
    if a == b:
        return "same-spelling"
    words = {w for w in a.split() if len(w) >= 3} & {w for w in b.split() if len(w) >= 3}
    return "rename" if not words and fuzz.ratio(a, b) < 50 else "spelled-differently"


def write_words(names: list[str]) -> None:
    """How many names hold each word (three or more), the first row `*` giving the number of names."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(set(normalise(name).split()))
    with WORDS.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(("word", "names"))
        w.writerow(("*", len(names)))
        w.writerows((word, n) for word, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if n >= 3)


def main(cordis: Path) -> None:
    fp7 = fp7_records(cordis / "fp7" / "fp7_organizations_all_GB1609.csv")
    write_words([r["name"] for r in fp7.values()])
    h2020 = h2020_records(cordis / "h2020" / "h2020_organization_slice_derrabauke.csv")
    by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in h2020.values():
        by_country[rec["country"]].append(rec)
    pairs, unlabelled = [], 0
    for pic, left in sorted(fp7.items()):
        if pic in h2020:
            right = h2020[pic]
            pairs.append((left, right, "match", category(left["name"], right["name"])))
        block = by_country.get(left["country"], [])
        names = [plain(r["name"]) for r in block]
        for _, score, i in process.extract(plain(left["name"]), names, scorer=fuzz.token_set_ratio, limit=3,
                                           score_cutoff=75):
            right, known = block[i], h2020[pic]["vat"] if pic in h2020 else ""
            if right["pic"] == pic:
                continue
            if not (known and right["vat"]):
                unlabelled += 1
            elif known == right["vat"]:
                pairs.append((left, right, "match", "same-vat-" + category(left["name"], right["name"])))
            else:
                pairs.append((left, right, "non-match", f"similar-name-{int(score) // 5 * 5}"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        for n, (left, right, label, cat) in enumerate(pairs, 1):
            w.writerow((n, split_of(left["pic"]), label, cat, left["pic"], left["name"], left["postcode"],
                        left["city"], left["country"], right["pic"], right["name"], right["postcode"], right["city"]))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for left, _, label, cat in pairs:
        counts[(split_of(left["pic"]), label if label == "non-match" else cat)] += 1
    print(f"{len(pairs)} pairs -> {OUT}; {unlabelled} similar-name pairs left out (a VAT number unknown)")
    for key in sorted(counts):
        print(*key, counts[key])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
