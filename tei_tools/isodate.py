"""ISO 8601 values as TEI's @when holds them: checking them, ordering them."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache


def valid_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


_ISO_FORMS = [
    (re.compile(r"-?\d{4,}"), None),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])"), None),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), "date"),
    (re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "datetime"),
    (re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), None),
]


@lru_cache(maxsize=4096)  # a corpus repeats the same dates many times over
def check_iso(value: str) -> str | None:
    """None when `value` is a real W3C date (xs:gYear, gYearMonth, date, dateTime or time),
    else a sentence saying what is wrong."""
    if re.fullmatch(r"-{2,3}\d.*", value):
        return f"'{value}' is a recurring form (every such day), not a date; give the year"
    for pattern, kind in _ISO_FORMS:
        if pattern.fullmatch(value):
            if kind in ("date", "datetime"):
                year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
                if not valid_day(year, month, day):
                    return f"'{value}' is not a day of the calendar"
            return None
    return f"'{value}' is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)"


def iso_sort_key(value: str) -> str:
    """A string that orders ISO values of mixed precision by their earliest instant."""
    return value.lstrip("-")
