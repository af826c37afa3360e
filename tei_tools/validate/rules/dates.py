"""Dates: values TEI's W3C datatypes allow and the calendar has, ranges in order; in our own
editions also a value on every date and no recurring forms."""

from __future__ import annotations

import re
from typing import Iterator

from ...isodate import check_iso, valid_day
from ...xmlio import tei
from . import DATE_ATTRIBUTES, Document, Finding, rule

#: TEI elements whose @from/@to are not dates: pointers (span, arc, app) and the bounds of a
#: cited or folio range (citedRange, biblScope, locus, locusGrp), all outside att.datable.
NOT_DATABLE = {"locus", "locusGrp", "span", "arc", "app", "citedRange", "biblScope"}
_NOT_DATABLE_TAGS = frozenset(tei(name) for name in NOT_DATABLE)

# TEI's data.temporal.w3c: xs:date, gYear, gYearMonth, gMonth, gMonthDay, gDay, time, dateTime,
# each with an optional time zone; a year may be negative (BCE) and longer than four digits.
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
_ZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?"
_W3C = re.compile(
    rf"(?P<year>{_YEAR})(?:-(?P<month>0[1-9]|1[0-2])(?:-(?P<day>0[1-9]|[12]\d|3[01])(?:T(?:{_TIME}))?)?)?{_ZONE}"
    rf"|--(?P<gmonth>0[1-9]|1[0-2])(?:-(?P<gday>0[1-9]|[12]\d|3[01]))?{_ZONE}"
    rf"|---(?:0[1-9]|[12]\d|3[01]){_ZONE}"
    rf"|(?:{_TIME}){_ZONE}"
)
_RECURRING = re.compile(r"-{2,3}\d.*")


def w3c_problem(value: str) -> str | None:
    """None when `value` is a legal W3C temporal value (as TEI's datatype allows) naming a real
    day, else a sentence saying what is wrong."""
    found = _W3C.fullmatch(value)
    if found is None:
        return f"'{value}' is not a W3C date or time (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD, hh:mm:ss, YYYY-MM-DDThh:mm:ss ...)"
    if found["day"]:
        year = int(found["year"])
        # BCE years are counted two ways (XSD 1.0 has no year 0, XSD 1.1 has): either may be leap.
        leap_ok = valid_day(year, int(found["month"]), int(found["day"])) or (year < 0 and valid_day(year + 1, int(found["month"]), int(found["day"])))
        if not leap_ok:
            return f"'{value}' is not a day of the calendar"
    elif found["gday"] and not valid_day(2000, int(found["gmonth"]), int(found["gday"])):
        return f"'{value}' names no day of any year"
    return None


def instant(value: str) -> tuple[int, ...] | None:
    """(year, month, day, hour, minute, second) as far as `value` gives them, BCE years
    negative, so that ranges of any era compare; None for forms with no year."""
    found = re.match(r"(-?\d{4,})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d):(\d\d))?)?)?", value)
    if found is None or value.startswith("--"):
        return None
    return tuple(int(part) for part in found.groups() if part is not None)


@rule("DAT001", "iso-date")
def iso_date(doc: Document) -> Iterator[Finding]:
    """@when, @notBefore, @notAfter, @from and @to hold W3C dates (as TEI's datatype allows)
    that name real days.

    `1964-02-30` has the right shape and names no day. BCE years (`-0044-03-15`), time zones
    and the recurring forms TEI allows (`--10-28`) pass; @from/@to of a cited range, a folio
    range or a span are not dates and are left alone.

    Fails:
        <p><date when="1964-02-30">30 February 1964</date></p>
    Passes:
        <p><date when="1964-02-29">29 February 1964</date></p>
    """
    for value in doc.date_values:
        problem = w3c_problem(value.strip())
        if problem:  # only now is the element looked at: @from on a locus is a folio, not a date
            element = value.getparent()
            if element.tag not in _NOT_DATABLE_TAGS:
                yield Finding(element, f"@{value.attrname}: {problem}", value.attrname)


@rule("DAT002", "range-in-order")
def range_in_order(doc: Document) -> Iterator[Finding]:
    """@notBefore is not after @notAfter, and @from is not after @to (BCE years too).

    A range that ends before it begins is a typing slip that sorts the document wrongly.

    Fails:
        <p><date notBefore="1965-03" notAfter="1964-12">winter</date></p>
    Passes:
        <p><date notBefore="-0100" notAfter="-0044">the first century BCE</date></p>
    """
    starts = [value for value in doc.date_values if value.attrname in ("notBefore", "from")]
    ranged = dict.fromkeys(value.getparent() for value in starts)  # one element may start two ranges
    for element in ranged:
        if element.tag in _NOT_DATABLE_TAGS:
            continue
        for low, high in (("notBefore", "notAfter"), ("from", "to")):
            start, end = element.get(low), element.get(high)
            if not start or not end or w3c_problem(start.strip()) or w3c_problem(end.strip()):
                continue
            first, last = instant(start.strip()), instant(end.strip())
            if first is None or last is None:
                continue
            common = min(len(first), len(last))  # compare at the precision both give
            if first[:common] > last[:common]:
                yield Finding(element, f"@{low}=\"{start}\" is after @{high}=\"{end}\"", low)


@rule("DAT003", "date-has-value")
def date_has_value(doc: Document) -> Iterator[Finding]:
    """A date in the text carries @when, or a range (@notBefore/@notAfter, @from/@to).

    A date without a normalised value cannot be sorted, searched or exchanged (CMIF needs one).

    Fails:
        <p>On <date>29 October</date>.</p>
    Passes:
        <p>On <date when="1964-10-29" evidence="internal">29 October</date>.</p>
    """
    for element in doc.tagged("date"):
        if element.get("when"):
            continue  # most dates: one lookup
        if not any(element.get(name) for name in DATE_ATTRIBUTES):
            yield Finding(element, "<date> has no @when, @notBefore/@notAfter or @from/@to")


@rule("DAT004", "no-recurring-date")
def no_recurring_date(doc: Document) -> Iterator[Finding]:
    """A document's dates name a year: no recurring forms (`--10-28`, `---28`).

    TEI allows them, but they mean every 28 October, every 28th: never the date of a document.

    Fails:
        <p><date when="--10-28">28 October</date></p>
    Passes:
        <p><date when="1964-10-28">28 October</date></p>
    """
    for value in doc.date_values:
        if value[:2] == "--" and _RECURRING.fullmatch(value.strip()) and check_iso(value.strip()):
            element = value.getparent()
            if element.tag not in _NOT_DATABLE_TAGS:
                yield Finding(element, f"@{value.attrname}: '{value.strip()}' is a recurring form (every such day), not a date; give the year", value.attrname)
