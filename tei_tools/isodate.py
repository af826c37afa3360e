"""ISO 8601 values as TEI's @when holds them: checking them, ordering them."""

from __future__ import annotations

import re
from functools import lru_cache


def valid_day(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the proleptic Gregorian calendar, for any year."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return day <= (29 if leap else 28)
    return day <= (30 if month in (4, 6, 9, 11) else 31)


_ISO_FORMS = [  # the commonest first
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), "date"),
    (re.compile(r"-?\d{4,}"), None),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"), None),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "datetime"),
    (re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), None),
]
_RECURRING = re.compile(r"-{2,3}\d.*")


@lru_cache(maxsize=4096)  # a corpus repeats the same dates many times over
def check_iso(value: str) -> str | None:
    """None when `value` is a real W3C date (xs:gYear, gYearMonth, date, dateTime or time),
    else a sentence saying what is wrong."""
    if _RECURRING.fullmatch(value):
        return f"'{value}' is a recurring form (every such day), not a date; give the year"
    for pattern, kind in _ISO_FORMS:
        if pattern.fullmatch(value):
            if kind is not None:
                year, month, day = value[1:].split("-", 2) if value[0] == "-" else value.split("-", 2)
                if not valid_day(int(year), int(month), int(day[:2])):
                    return f"'{value}' is not a day of the calendar"
            return None
    return f"'{value}' is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)"


def iso_sort_key(value: str) -> str:
    """A string that orders ISO values of mixed precision by their earliest instant."""
    return value.lstrip("-")
