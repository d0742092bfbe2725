"""loaders.fields: every documented spelling is accepted, and bad cells are refused with a usable reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from loaders.fields import (
    cell_text,
    parse_amount,
    parse_country,
    parse_date,
    parse_enterprise_number,
    parse_int,
    split_list,
)
from ontology.identifiers import enterprise_digits
from ontology.text import slugify

# --- enterprise numbers -----------------------------------------------------------------------------
# Check digits computed by hand, 97 - (first eight digits mod 97):
#   0436.195.241: 4361952 = 97 * 44968 + 56    -> 97 - 56 = 41 (valid; a number from CORDIS data)
#   0325.777.171: 3257771 = 97 * 33585 + 26    -> 97 - 26 = 71 (valid)
#   1000.000.021: 10000000 = 97 * 103092 + 76  -> 97 - 76 = 21 (valid, starts with 1)
#   0000.000.097: 97 = 97 * 1 + 0              -> 97 - 0 = 97 (valid: the remainder-0 case gives 97)


@pytest.mark.parametrize(
    "value",
    [
        "0436.195.241",
        "0436195241",
        "BE0436195241",
        "be0436195241",
        "BE 0436 195 241",
        "BE 0436.195.241",
        " 0436\u00a0195\u00a0241 ",
        "436195241",
        "436.195.241",
        436195241,
        436195241.0,
    ],
)
def test_enterprise_number_spellings(value: object) -> None:
    assert parse_enterprise_number(value) == "0436.195.241"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0325777171", "0325.777.171"), ("1000.000.021", "1000.000.021"), ("0000000097", "0000.000.097")],
)
def test_enterprise_numbers_with_other_check_digits(value: str, expected: str) -> None:
    assert parse_enterprise_number(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0436.195.240", "'0436.195.240' fails the KBO/BCE check digits (expected 41)"),
        ("0325.777.170", "'0325.777.170' fails the KBO/BCE check digits (expected 71)"),
        ("436195242", "'436195242' fails the KBO/BCE check digits (expected 41)"),
        ("12AB", "'12AB' is not an enterprise number (expected e.g. 0436.195.241)"),
        ("04361952", "'04361952' is not an enterprise number (expected e.g. 0436.195.241)"),
        ("043619524100", "'043619524100' is not an enterprise number (expected e.g. 0436.195.241)"),
        ("FR0436195241", "'FR0436195241' is not an enterprise number (expected e.g. 0436.195.241)"),
        ("0436195²41", "'0436195²41' is not an enterprise number (expected e.g. 0436.195.241)"),
        ("2436195241", "'2436195241' is not an enterprise number (it must start with 0 or 1)"),
        ("", "an empty cell is not an enterprise number"),
        (436195241.5, "'436195241.5' is not an enterprise number (expected e.g. 0436.195.241)"),
    ],
)
def test_bad_enterprise_numbers(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_enterprise_number(value)
    assert str(caught.value) == reason


def test_enterprise_digits() -> None:
    assert enterprise_digits("0436.195.241") == "0436195241"
    for bad in ("0436.195", "BE0436195241", "0436.195.24x"):
        with pytest.raises(ValueError, match="not an enterprise number"):
            enterprise_digits(bad)


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-15", datetime.date(2021, 3, 15)),
        ("15/03/2021", datetime.date(2021, 3, 15)),
        ("15-03-2021", datetime.date(2021, 3, 15)),
        ("15.03.2021", datetime.date(2021, 3, 15)),
        ("5/3/2021", datetime.date(2021, 3, 5)),
        (" 2021 ", datetime.date(2021, 1, 1)),
        (2021, datetime.date(2021, 1, 1)),
        (2021.0, datetime.date(2021, 1, 1)),
        ("2021-03-15 00:00:00", datetime.date(2021, 3, 15)),
        ("2021-03-15T10:30", datetime.date(2021, 3, 15)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
        (datetime.date(2021, 3, 15), datetime.date(2021, 3, 15)),
        (datetime.datetime(2021, 3, 15, 12, 0), datetime.date(2021, 3, 15)),
    ],
)
def test_date_forms(value: object, expected: datetime.date) -> None:
    result = parse_date(value)
    assert result == expected
    assert type(result) is datetime.date


@pytest.mark.parametrize(
    ("value", "start"),
    [
        ("31/02/2021", "'31/02/2021' is not a real date"),
        ("29/02/2023", "'29/02/2023' is not a real date"),
        ("2021-13-01", "'2021-13-01' is not a real date"),
        ("03/15/2021", "'03/15/2021' is not a real date"),
        ("15/03/21", "'15/03/21' is not a date"),
        ("15/03-2021", "'15/03-2021' is not a date"),
        ("hier", "'hier' is not a date"),
        (44270, "'44270' is not a date"),
        ("", "an empty cell is not a date"),
    ],
)
def test_bad_dates_name_the_accepted_forms(value: object, start: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    reason = str(caught.value)
    assert reason.startswith(start)
    assert "(accepted: 2021-03-15, 15/03/2021, 15-03-2021, 15.03.2021 or a year alone such as 2021)" in reason


# --- amounts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", "1234.5"),
        ("1234,5", "1234.5"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567"),
        ("€ 1.200", "1200"),
        ("1.200 €", "1200"),
        ("1200 EUR", "1200"),
        ("EUR 1200", "1200"),
        ("1,234", "1234"),
        ("0,125", "0.125"),
        ("0", "0"),
        (1200, "1200"),
        (1234.5, "1234.5"),
        (0.1, "0.1"),
        (Decimal("12.30"), "12.30"),
    ],
)
def test_amount_forms(value: object, expected: str) -> None:
    result = parse_amount(value)
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("-100", "is negative"),
        ("−100", "is negative"),
        ("(100)", "is negative"),
        (-5, "is negative"),
        (-0.5, "is negative"),
        ("abc", "is not an amount"),
        ("$100", "is not an amount"),
        ("12,34,567", "is not an amount"),
        ("1.23.4", "is not an amount"),
        ("1.234,5.6", "is not an amount"),
        ("1e6", "is not an amount"),
        ("", "empty cell"),
        (float("nan"), "is not an amount"),
        (True, "is not an amount"),
    ],
)
def test_bad_amounts(value: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_amount(value)


# --- integers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (" 42 ", 42), ("1 200", 1200), ("1\u00a0200", 1200), (42, 42), (42.0, 42), (0, 0)],
)
def test_int_forms(value: object, expected: int) -> None:
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (4.5, "'4.5' is not a whole number"),
        ("4.5", "'4.5' is not a whole number"),
        ("1.200", "'1.200' is not a whole number"),
        ("quarante", "'quarante' is not a whole number"),
        ("", "'' is not a whole number"),
        ("²", "'²' is not a whole number"),
        (True, "'True' is not a whole number"),
        (-1, "'-1' is negative; a count must be zero or more"),
        ("-3", "'-3' is negative; a count must be zero or more"),
    ],
)
def test_bad_ints(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_int(value)
    assert str(caught.value) == reason


# --- lists, slugs, countries, text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AI, IoT; cloud | AR/VR\nRobotics", ["AI", "IoT", "cloud", "AR/VR", "Robotics"]),
        ("Cloud;cloud ; CLOUD, Edge", ["Cloud", "Edge"]),
        ("a,, ;|b\r\n\r\nc", ["a", "b", "c"]),
        ("  ", []),
        ("", []),
        (None, []),
        (42, ["42"]),
    ],
)
def test_split_list(value: object, expected: list[str]) -> None:
    assert split_list(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Université de Liège", "universite-de-liege"),
        ("  Cœur & Âme  ", "coeur-ame"),
        ("AR/VR", "ar-vr"),
        ("--Straße 12--", "strasse-12"),
        ("ICT_Wallonia", "ict-wallonia"),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "!!!", "日本"])
def test_slugify_refuses_an_empty_result(text: str) -> None:
    with pytest.raises(ValueError, match="empty identifier"):
        slugify(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("be", "BE"),
        (" FR ", "FR"),
        ("", "BE"),
        (None, "BE"),
        ("Belgique", "BE"),
        ("België", "BE"),
        ("BELGIUM", "BE"),
        ("Pays-Bas", "NL"),
        ("pays bas", "NL"),
        ("Nederland", "NL"),
        ("Allemagne", "DE"),
        ("Deutschland", "DE"),
        ("Luxembourg", "LU"),
        ("Italia", "IT"),
        ("Italie", "IT"),
        ("España", "ES"),
        ("Espagne", "ES"),
        ("UK", "GB"),
        ("EL", "GR"),
    ],
)
def test_country(value: object, expected: str) -> None:
    assert parse_country(value) == expected


@pytest.mark.parametrize("value", ["Belgica", "B", "BEL", "12", "Wallonie", "É1"])
def test_bad_country(value: str) -> None:
    with pytest.raises(ValueError, match="is not a country code"):
        parse_country(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  x  ", "x"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (datetime.datetime(2021, 3, 15), "2021-03-15"),
        (datetime.datetime(2021, 3, 15, 8, 30), "2021-03-15 08:30:00"),
        (datetime.date(2021, 3, 15), "2021-03-15"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_cell_text(value: object, expected: str) -> None:
    assert cell_text(value) == expected
