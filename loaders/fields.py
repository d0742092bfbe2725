"""Parsers for the typed cells of the input files (see docs/data-dictionary.md).

Each parser takes a cell as read from CSV (str) or Excel (str, int, float, date, datetime) and raises
ValueError with a short reason a person can act on; the loaders prefix it with file:row:column.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from ontology import identifiers
from ontology.text import fold

_DATE_FORMS = "2021-03-15, 15/03/2021, 15-03-2021, 15.03.2021 or a year alone such as 2021"
# An optional time after the date: CSV exports of Excel date cells often carry a midnight time.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME, re.ASCII)
_DMY_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _TIME, re.ASCII)
_LIST_SEPARATORS = re.compile(r"[,;|\r\n]+")
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
# Spaces that spreadsheets put in numbers: space, no-break space, narrow no-break space, thin space.
# Letters NFKD does not decompose but French and German names use.

_COUNTRY_NAMES = {
    "belgique": "BE",
    "belgium": "BE",
    "belgie": "BE",
    "france": "FR",
    "deutschland": "DE",
    "germany": "DE",
    "allemagne": "DE",
    "nederland": "NL",
    "netherlands": "NL",
    "pays bas": "NL",
    "luxembourg": "LU",
    "italia": "IT",
    "italy": "IT",
    "italie": "IT",
    "espana": "ES",
    "spain": "ES",
    "espagne": "ES",
}
# Codes the EU (and so CORDIS) uses where ISO 3166 differs: the graph uses ISO.
_EU_TO_ISO = {"UK": "GB", "EL": "GR"}


def cell_text(value: object) -> str:
    """The cell as a person reads it: trimmed text, Excel integers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() alone also accepts '²' and other scripts' digits."""
    return text.isascii() and text.isdigit()


def parse_enterprise_number(value: object) -> str:
    """A KBO/BCE number in a cell (text, or a number as Excel stores it) -> '0436.195.241'."""
    text = cell_text(value)
    if not text:
        raise ValueError("an empty cell is not an enterprise number")
    if isinstance(value, float) and not value.is_integer():  # its '.' is a decimal point, not a separator
        raise ValueError(f"'{text}' is not an enterprise number (expected e.g. 0436.195.241)")
    return identifiers.parse_enterprise_number(text)


def parse_date(value: object) -> datetime.date:
    """A date in one of the documented forms; a year alone means 1 January of that year."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        raise ValueError(f"an empty cell is not a date (accepted: {_DATE_FORMS})")
    if len(text) == 4 and _is_digits(text):
        year, month, day = int(text), 1, 1
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DMY_DATE.fullmatch(text):
        year, month, day = int(match[4]), int(match[3]), int(match[1])
    else:
        raise ValueError(f"'{text}' is not a date (accepted: {_DATE_FORMS})")
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a real date: {exc} (accepted: {_DATE_FORMS})") from None


def _is_grouped(integer: str, separator: str) -> bool:
    """'1.234.567' with separator '.' is thousands grouping: 1-3 digits, then groups of exactly 3."""
    groups = integer.split(separator)
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def parse_amount(value: object) -> Decimal:
    """An amount in EUR, in French or English notation.

    With a single '.' or ',' followed by exactly three digits ('1.234', '1,234') the separator is read as
    thousands, because a EUR amount has at most two decimals.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not an amount")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise ValueError(f"'{value}' is not an amount")
        if amount < 0:
            raise ValueError(f"'{cell_text(value)}' is negative; amounts must be zero or more")
        return amount
    text = cell_text(value)
    if not text:
        raise ValueError("an empty cell is not an amount")
    number = text.translate(_NUMBER_SPACES)
    upper = number.upper()
    if upper.endswith("EUR"):
        number = number[:-3]
    elif upper.startswith("EUR"):
        number = number[3:]
    number = number.strip("€")
    if number.startswith(("-", "−")) or (number.startswith("(") and number.endswith(")")):
        raise ValueError(f"'{text}' is negative; amounts must be zero or more")
    last_dot, last_comma = number.rfind("."), number.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep, thousands = (",", ".") if last_comma > last_dot else (".", ",")
        integer, _, fraction = number.rpartition(decimal_sep)
        if not _is_grouped(integer, thousands):
            raise ValueError(f"'{text}' is not an amount (expected e.g. 1 234,50 or 1234.50)")
        number = integer.replace(thousands, "") + "." + fraction
    elif last_dot >= 0 or last_comma >= 0:
        separator = "." if last_dot >= 0 else ","
        integer, _, fraction = number.rpartition(separator)
        if number.count(separator) > 1 or (len(fraction) == 3 and integer not in ("", "0")):
            if not _is_grouped(number, separator):
                raise ValueError(f"'{text}' is not an amount (expected e.g. 1 234,50 or 1234.50)")
            number = number.replace(separator, "")
        else:
            number = integer + "." + fraction
    if not _DECIMAL.fullmatch(number):
        raise ValueError(f"'{text}' is not an amount in EUR (expected e.g. 1 234,50 or 1234.50)")
    return Decimal(number)


def parse_int(value: object) -> int:
    """A count (e.g. employees): a whole number, zero or more; '1 200' is read as 1200."""
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"'{value}' is not a whole number")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"'{value}' is negative; a count must be zero or more")
        return value
    text = cell_text(value)
    digits = text.translate(_NUMBER_SPACES)
    if digits.startswith(("-", "−")) and _is_digits(digits[1:]):
        raise ValueError(f"'{text}' is negative; a count must be zero or more")
    if not _is_digits(digits):
        raise ValueError(f"'{text}' is not a whole number")
    return int(digits)


def split_list(value: object) -> list[str]:
    """Items of a list cell, split on , ; | or line breaks ('AR/VR' is one item), without duplicates."""
    items: list[str] = []
    seen: set[str] = set()
    for part in _LIST_SEPARATORS.split(cell_text(value)):
        item = part.strip()
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    return items


def parse_country(value: object) -> str:
    """An ISO 3166 alpha-2 code (default BE), also accepting a few country names and EU codes UK/EL."""
    text = cell_text(value)
    if not text:
        return "BE"
    if len(text) == 2 and text.isascii() and text.isalpha():
        code = text.upper()
        return _EU_TO_ISO.get(code, code)
    name = " ".join(fold(text).lower().replace("-", " ").split())
    if name in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[name]
    raise ValueError(f"'{text}' is not a country code (use ISO 3166 two-letter codes such as BE, FR, NL)")
