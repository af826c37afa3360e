"""Dates: real ISO 8601 values, no recurring forms, ranges in order."""

from __future__ import annotations

from typing import Iterator

from ...isodate import check_iso, iso_sort_key
from ...xmlio import tei
from . import DATE_ATTRIBUTES, Document, Finding, rule

#: Elements whose @from/@to are not dates (folio and page ranges, spans of text).
NOT_DATABLE = {"locus", "locusGrp", "span", "arc"}
_NOT_DATABLE_TAGS = frozenset(tei(name) for name in NOT_DATABLE)


@rule("DAT001", "iso-date")
def iso_date(doc: Document) -> Iterator[Finding]:
    """@when, @notBefore, @notAfter, @from and @to hold real ISO 8601 dates.

    `1964-02-30` has the right shape and names no day; `--10-28` and `---28` mean every
    28 October, every 28th: they are recurring forms, never the date of a document.

    Fails:
        <p><date when="1964-02-30">30 February 1964</date></p>
    Passes:
        <p><date when="1964-02-29">29 February 1964</date></p>
    """
    for value in doc.date_values:
        problem = check_iso(value.strip())
        if problem:  # only now is the element looked at: @from on a locus is a folio, not a date
            element = value.getparent()
            if element.tag not in _NOT_DATABLE_TAGS:
                yield Finding(element, f"@{value.attrname}: {problem}", value.attrname)


@rule("DAT002", "range-in-order")
def range_in_order(doc: Document) -> Iterator[Finding]:
    """@notBefore is not after @notAfter, and @from is not after @to.

    A range that ends before it begins is a typing slip that sorts the document wrongly.

    Fails:
        <p><date notBefore="1965-03" notAfter="1964-12">winter</date></p>
    Passes:
        <p><date notBefore="1964-12" notAfter="1965-03">winter</date></p>
    """
    starts = [value for value in doc.date_values if value.attrname in ("notBefore", "from")]
    ranged = dict.fromkeys(value.getparent() for value in starts)  # one element may start two ranges
    for element in ranged:
        if element.tag in _NOT_DATABLE_TAGS:
            continue
        for low, high in (("notBefore", "notAfter"), ("from", "to")):
            start, end = element.get(low), element.get(high)
            if not start or not end or check_iso(start) or check_iso(end):
                continue
            if iso_sort_key(start)[: len(iso_sort_key(end))] > iso_sort_key(end):
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
