"""Dates as documents write them: days of the month resolved by tense and neighbouring dates,
ordinals before nouns, clock times and spans, date-time groups, numeric forms, parts of months
and years; a wrong value is a defect, so an unsure one is left out."""

from __future__ import annotations

import pytest

from tei_tools.annotate.dates import DateValue, find_dates


def values(text: str, anchor: str | None, **kwargs) -> list[tuple[str, DateValue]]:
    return [(text[d.start:d.end], d.value) for d in find_dates(text, anchor, **kwargs)]


def when(text: str, anchor: str | None = "1973-06-02", **kwargs) -> list[tuple[str, str | None]]:
    return [(piece, value.when) for piece, value in values(text, anchor, **kwargs)]


@pytest.mark.parametrize("text,expected", [
    ("We have booked rooms at the hotel for the 4th.", "1973-06-04"),
    ("The delegation will arrive on the 28th.", "1973-06-28"),
    ("The delegation arrived on the 28th.", "1973-05-28"),
    ("He left on the 1st and came back today.", "1973-06-01"),
    ("The talks will resume on the 1st.", "1973-07-01"),
    ("The reply was handed over by the 5th of this month.", "1973-06-05"),
    ("Reply by the 10th of next month.", "1973-07-10"),
    ("He had said so on the 20th of last month.", "1973-05-20"),
    ("On 17 May and again on the 24th they met.", "1973-05-24"),
    ("The report will be published on the 8th.", "1973-06-08"),
])
def test_a_day_of_the_month_takes_the_month_the_text_implies(text: str, expected: str) -> None:
    assert [value for _, value in when(text) if value and len(value) == 10][-1] == expected


def test_a_day_the_text_does_not_place_stays_without_a_value() -> None:
    assert when("Meeting on the 28th.") == []


@pytest.mark.parametrize("text", [
    "the 24th Congress of the CPSU",
    "on the 24th and 25th pages",
    "since the 90th anniversary",
    "of the 38th parallel",
    "on the 5th Division",
    "the 3rd Secretary",
])
def test_ordinals_before_a_noun_are_not_dates(text: str) -> None:
    assert when(text) == []


@pytest.mark.parametrize("text,expected", [
    ("dinner at 6:00pm", ("6:00pm", "18:00:00")),
    ("at 7 p.m.", ("7 p.m.", "19:00:00")),
    ("at 12:30 a.m.", ("12:30 a.m.", "00:30:00")),
    ("at 0930 hours", ("0930 hours", "09:30:00")),
    ("at 16:45 hours", ("16:45 hours", "16:45:00")),
    ("at 14h30", ("14h30", "14:30:00")),
    ("at 9.15", ("9.15", "09:15:00")),
])
def test_clock_times_keep_the_time_of_day(text: str, expected: tuple[str, str]) -> None:
    assert when(text) == [expected]


def test_spans_of_time() -> None:
    assert [(p, v.from_, v.to) for p, v in values("from 14:30-16:05 and 2:00 to 4:10 p.m.", "1973-06-02")] == [
        ("14:30-16:05", "14:30:00", "16:05:00"), ("2:00 to 4:10 p.m.", "14:00:00", "16:10:00")]
    found = values("Time: 4 June 1973, 10:00-12:30", "1973-06-02")
    assert [(p, v.from_, v.to) for p, v in found] == [("4 June 1973, 10:00-12:30", "1973-06-04T10:00:00", "1973-06-04T12:30:00")]


@pytest.mark.parametrize("text,anchor,expected", [
    ("DTG 031415Z SEP 75", "1975-09-03", "1975-09-03T14:15:00Z"),
    ("Sep 3 1415z 75", "1975-09-05", "1975-09-03T14:15:00Z"),
    ("received 302310Z", "1975-10-01", "1975-09-30T23:10:00Z"),
])
def test_date_time_groups(text: str, anchor: str, expected: str) -> None:
    assert [value for _, value in when(text, anchor)] == [expected]


@pytest.mark.parametrize("text,anchor,country,expected", [
    ("71. 10. 03", "1971-10-04", None, "1971-10-03"),
    ("dated 3/9/75", "1975-04-12", None, "1975-03-09"),  # 3 September 1975 had not come yet
    ("dated 03.09.75", "1975-10-01", None, "1975-09-03"),
    ("Berlin, 24.8.1961", None, None, "1961-08-24"),
    ("dated 3/9/75", "1975-12-01", "united-states", "1975-03-09"),
    ("dated 3/9/75", "1975-12-01", "poland", "1975-09-03"),
])
def test_numeric_dates_read_by_the_document_date(text: str, anchor: str | None, country: str | None, expected: str) -> None:
    assert [value for _, value in when(text, anchor, country=country)] == [expected]


@pytest.mark.parametrize("text,anchor", [
    ("dated 3/9/75", "1975-12-01"),  # either reading is past: no way to tell
    ("dated 3/9/75", None),
    ("Article 2.3.12 of the treaty", "1964-10-30"),
])
def test_numeric_dates_left_out_when_unsure(text: str, anchor: str | None) -> None:
    assert when(text, anchor) == []


@pytest.mark.parametrize("text,anchor,bounds", [
    ("in late December", "1962-12-02", ("1962-12-21", "1962-12-31")),
    ("by mid-1962", "1962-01-10", ("1962-05", "1962-08")),
    ("in early March 1965", None, ("1965-03-01", "1965-03-10")),
    ("will come in mid-February", "1964-12-20", ("1965-02-11", "1965-02-20")),
])
def test_parts_of_months_and_years(text: str, anchor: str | None, bounds: tuple[str, str]) -> None:
    [(piece, value)] = values(text, anchor)
    assert (value.not_before, value.not_after) == bounds and value.when is None


def test_month_named_alone_by_tense() -> None:
    assert when("They will come back in March.", "1964-10-30") == [("March", "1965-03")]
    assert when("They came back in March.", "1964-10-30") == [("March", "1964-03")]
    assert when("Trains have stopped since February.", "1964-10-30") == [("February", "1964-02")]


def test_day_ranges_share_the_month() -> None:
    assert when("from 8 to 12 May 1978") == [("8", "1978-05-08"), ("12 May 1978", "1978-05-12")]
    assert when("from November 14 to 16", "1957-11-25") == [("November 14", "1957-11-14"), ("16", "1957-11-16")]


def test_year_spans() -> None:
    assert [(p, v.from_, v.to) for p, v in values("the plan for 1978-1980.", None)] == [("1978-1980", "1978", "1980")]
