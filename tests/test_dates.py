"""Date expressions: full, partial, month and year only, times, date-time groups; and non-dates."""

from __future__ import annotations

import pytest

from tei_tools.annotate.dates import check_iso, find_dates, parse_date_line


def dates(text: str, anchor: str | None = "1964-10-30") -> list[tuple[str, str, str | None]]:
    return [(text[d.start:d.end], d.value.when, d.value.evidence) for d in find_dates(text, anchor)]


@pytest.mark.parametrize("text,expected", [
    ("signed on 30 October 1964.", [("30 October 1964", "1964-10-30", None)]),
    ("dated October 30, 1964 in Beijing", [("October 30, 1964", "1964-10-30", None)]),
    ("on 3 Oct. 1964", [("3 Oct. 1964", "1964-10-03", None)]),
    ("in November 1980", [("November 1980", "1980-11", None)]),
    ("by 1984 at the latest", [("1984", "1984", None)]),
    ("Affairs1964", [("1964", "1964", None)]),
    ("on 1964-10-28", [("1964-10-28", "1964-10-28", None)]),
    ("in a meeting on 29 October.", [("29 October", "1964-10-29", "internal")]),
    ("On the evening of the 28th, I spoke", [("the 28th", "1964-10-28", "internal")]),
    ("since the 16th has not", [("the 16th", "1964-10-16", "internal")]),
    ("Distributed: 31 [October] 1:15", [("31 [October] 1:15", "1964-10-31T01:15:00", "internal")]),
    ("Copied: 2 [November] 23:30", [("2 [November] 23:30", "1964-11-02T23:30:00", "internal")]),
    ("received 211958Z", [("211958Z", "1964-10-21T19:58:00Z", "internal")]),
    ("DTG 211958Z OCT 64", [("211958Z OCT 64", "1964-10-21T19:58:00Z", None)]),
])
def test_date_expressions(text: str, expected) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize("text", [
    "As for the future, after a few decades, that is another question.",
    "the 47th anniversary of the October Revolution",
    "the 16th Congress of the Party",
    "not a 180-degree turn",
    "invite 12 fraternal parties",
    "you may respectively propose it; May Day",
    "Special No. 416",
    "1500 tons of grain",
    "Serial number: 1966-0457",
    "March forward",
])
def test_not_dates(text: str) -> None:
    assert dates(text) == []


def test_partial_dates_need_the_document_date() -> None:
    assert dates("on 29 October", anchor=None) == []
    assert dates("on the 28th", anchor="1964-10") == []


def test_year_chosen_nearest_the_document_date() -> None:
    found = find_dates("on 29 December", "1965-01-03")
    assert found[0].value.when == "1964-12-29" and found[0].value.cert == "medium"
    later = find_dates("they met on the 28th", "1964-11-05")
    assert later[0].value.when == "1964-10-28" and later[0].value.cert == "medium"


def test_impossible_days_are_not_dates() -> None:
    assert dates("on 31 February 1964") == []
    assert dates("he arrived on the 31st", anchor="1964-11-30")[0][1] == "1964-10-31"


@pytest.mark.parametrize("line,iso", [
    ("October 30, 1964", "1964-10-30"), ("30 October 1964", "1964-10-30"), ("November 1980", "1980-11"),
    ("1984", "1984"), ("1964-10-30", "1964-10-30"), ("circa 1950", "1950"), ("Cable", None), ("February 30, 1964", None),
])
def test_page_date_lines(line: str, iso: str | None) -> None:
    assert parse_date_line(line) == iso


@pytest.mark.parametrize("value,ok", [
    ("1964", True), ("1964-10", True), ("1964-10-30", True), ("1964-10-31T01:15:00", True), ("1964-10-31T01:15:00Z", True),
    ("23:30:00", True), ("1964-02-29", True), ("1965-02-29", False), ("1964-13", False), ("---28", False),
    ("--10-28", False), ("1964-10-31T01:15", False), ("30.10.1964", False), ("", False),
    ("-0044-03-15", True), ("-0044-02-30", False), ("12000-02-29", True), ("1900-02-29", False), ("2000-02-29T12:00:00", True),
])
def test_iso_check(value: str, ok: bool) -> None:
    assert (check_iso(value) is None) == ok


def test_converter_never_writes_recurring_forms(register) -> None:
    from tei_tools.convert import convert_bytes

    from .conftest import GOLDEN, SAMPLE

    for page in [SAMPLE, *GOLDEN.glob("*.txt")]:
        data, _ = convert_bytes(page.read_bytes(), page.name, register=register)
        assert b'when="--' not in data and b'when="---' not in data


@pytest.mark.parametrize("line,span", [
    ("1960-1962", ("1960", "1962")),
    ("November 1961 – March 1962", ("1961-11", "1962-03")),
    ("October 30, 1964 - November 2, 1964", ("1964-10-30", "1964-11-02")),
    ("1962-1960", None),
    ("1964", None),
    ("Cable from Moscow", None),
])
def test_page_date_spans(line: str, span) -> None:
    from tei_tools.annotate.dates import parse_date_range

    assert parse_date_range(line) == span


def test_a_day_of_the_month_before_a_verb_is_a_date_before_a_noun_is_not() -> None:
    text = "Your letter of the 28th reached me yesterday. Delegates of the 24th Congress and the 24th Armored Division met."
    found = [(text[d.start:d.end], d.value.when) for d in find_dates(text, "1964-10-30")]
    assert found == [("the 28th", "1964-10-28")]
