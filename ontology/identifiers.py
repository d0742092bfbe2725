"""The identifiers of the model that carry their own rules: the KBO/BCE enterprise number.

Shared by the loaders (cells of files) and the queries (parameters people type).
"""

from __future__ import annotations

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009.-/")


def parse_enterprise_number(text: str) -> str:
    """A KBO/BCE number in any usual spelling -> '0436.195.241', refusing numbers whose check digits fail.

    >>> parse_enterprise_number("BE 0436 195 241")
    '0436.195.241'
    >>> parse_enterprise_number("436195241")  # the old 9-digit form
    '0436.195.241'
    """
    compact = text.strip().upper().translate(_SPACES).removeprefix("BE")
    if not (compact.isascii() and compact.isdigit()) or len(compact) not in (9, 10):
        raise ValueError(f"'{text}' is not an enterprise number (expected e.g. 0436.195.241)")
    if len(compact) == 9:  # the old 9-digit form: the same number without its leading 0
        compact = "0" + compact
    if compact[0] not in "01":
        raise ValueError(f"'{text}' is not an enterprise number (it must start with 0 or 1)")
    expected = check_digits(int(compact[:8]))
    if int(compact[8:]) != expected:
        raise ValueError(f"'{text}' fails the KBO/BCE check digits (expected {expected:02d})")
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def check_digits(base: int) -> int:
    """The last two digits of a KBO/BCE number (enterprise, establishment unit or branch) whose first eight
    are `base`: 97 - (base mod 97).

    >>> check_digits(4361952)
    41
    """
    return 97 - base % 97


def enterprise_digits(number: str) -> str:
    """'0436.195.241' -> '0436195241', the form used in IRIs."""
    digits = number.replace(".", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"'{number}' is not an enterprise number in the form 0436.195.241")
    return digits
