"""The name matcher of entity resolution: folding, weighing, and its measured precision and recall."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from loaders import matching
from loaders.matching import Record, compare, normalise

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("name", "expected"), [
    ("Société Générale S.A.", "societe generale"),
    ("ION BEAM APPLICATIONS SA", "ion beam applications"),
    ("Agoria ASBL - VZW", "agoria"),
    ("Technische Universität Graz", "technische universitat graz"),
    ("TECHNISCHE UNIVERSITAET GRAZ", "technische universitat graz"),
    ("Dupont & Fils SPRL", "dupont and fils"),
    ("SA", "sa"),  # a name that is only a legal form keeps it
])
def test_normalise_folds_accents_case_and_legal_forms(name: str, expected: str) -> None:
    assert normalise(name) == expected


def test_an_acronym_of_the_name_is_not_an_extra_word() -> None:
    assert matching.acronym("acta", "acta association coordination technique agricole".split())
    assert not matching.acronym("bicocca", "universita studi milano bicocca".split())


def firm(name: str, postcode: str = "5000", city: str = "Namur") -> Record:
    return Record(key=name, names=(name,), country="BE", postcode=postcode, city=city)


def test_same_firm_spelled_otherwise_at_the_same_address_is_linked() -> None:
    verdict = compare(firm("Ion Beam Applications SA", "1348"), firm("ION BEAM APPLICATIONS", "1348"))
    assert matching.decision(verdict.score) == "link"
    assert "same postcode 1348" in verdict.evidence


def test_a_rare_extra_word_keeps_two_universities_apart() -> None:
    """'Bicocca' is rare, 'universita degli studi' common: a different university, not another spelling."""
    a = Record("a", ("UNIVERSITA DEGLI STUDI DI MILANO",), "IT", "20122", "MILANO")
    b = Record("b", ("UNIVERSITA' DEGLI STUDI DI MILANO-BICOCCA",), "IT", "20126", "MILANO")
    assert matching.decision(compare(a, b).score) is None


def test_different_countries_never_match() -> None:
    a = Record("a", ("Acme",), "BE", "5000", "Namur")
    b = Record("b", ("Acme",), "FR", "5000", "Namur")
    assert compare(a, b).score == 0


def test_the_same_name_elsewhere_in_the_country_is_linked() -> None:
    """Organisations move: 58 of 58 such pairs of the train split were one organisation."""
    verdict = compare(firm("Terra Energy NV", "2400", "Mol"), firm("TERRA ENERGY", "2440", "Geel"))
    assert matching.decision(verdict.score) == "link"
    assert "different places" in verdict.evidence


def test_a_name_with_an_extra_rare_word_goes_to_review_at_one_address_and_nowhere_at_another() -> None:
    here = firm("Nanotech Materials Namur", "5000", "Namur")
    assert matching.decision(compare(here, firm("NANOTECH MATERIAL", "5000", "Namur")).score) == "review"
    assert matching.decision(compare(here, firm("NANOTECH MATERIALS", "5100", "Jambes")).score) is None


def quality() -> object:
    spec = importlib.util.spec_from_file_location("link_quality", ROOT / "bench" / "link_quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_precision_and_recall_on_the_held_out_real_pairs() -> None:
    """The README's figures: FP7 / H2020 pairs of the test split, never used to choose the thresholds."""
    lq = quality()
    f = lq.evaluate(lq.scored("test"))  # type: ignore[attr-defined]
    assert f.positives == 509 and f.renames == 13 and f.pairs == 836
    assert f.precision >= 0.99
    assert f.recall >= 0.90
