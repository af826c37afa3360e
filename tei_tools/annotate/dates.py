"""Finding date expressions in text and normalising them to ISO 8601 at their real precision."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..isodate import check_iso, iso_sort_key, valid_day

__all__ = ["DateSpan", "DateValue", "blank_brackets", "check_iso", "find_dates", "iso_sort_key", "parse_date_line"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
            ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
            ("September", "Sep", "Sept"), ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_FULL_MONTHS = "|".join(name for name in MONTHS if len(name) > 4 or name in ("May", "June", "July"))
_ABBREVIATED = "|".join(name for name in MONTHS if len(name) <= 4 and name not in ("May", "June", "July"))
# Brackets are blanked to spaces before matching (see `blank_brackets`), so a supplied
# month ("31 [October]") matches with the same offsets as the source.
_SP = r"[\s\u00a0]+"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_MON = rf"(?P<month>(?:{_FULL_MONTHS})\b|(?:{_ABBREVIATED})\b\.?)"
_TIME = r"(?:(?:,|\s+at)?" + _SP + r"(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?!\d))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\w-])(?P<year>1[6-9]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")),
    ("dmy", re.compile(rf"(?<![\w])(?:{_DAY}{_SP}{_MON},?{_SP}{_YEAR}){_TIME}?(?!\w)")),
    ("mdy", re.compile(rf"(?<![\w]){_MON}{_SP}{_DAY},?{_SP}{_YEAR}{_TIME}?(?!\w)")),
    ("dm", re.compile(rf"(?<![\w])(?:{_DAY}{_SP}{_MON}){_TIME}?(?![\w])")),
    ("md", re.compile(rf"(?<![\w]){_MON}{_SP}{_DAY}(?!\s*\d)(?![\w]){_TIME}?")),
    ("my", re.compile(rf"(?<![\w]){_MON},?{_SP}{_YEAR}(?!\w)")),
    # Military date-time group: day, hour, minute, zone letter ("211958Z OCT 64").
    ("dtg", re.compile(r"(?<![\w])(?P<day>[0-3]\d)(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)(?P<zone>[zZ])(?:\s+(?P<month>[A-Z]{3})\s+(?P<yy>\d\d))?(?![\w])")),
    # "the 28th": only after a word that makes it a point in time, and not before a noun.
    ("ordinal", re.compile(
        r"(?:(?<=\b[Oo]n )|(?<=\b[Ss]ince )|(?<=\b[Uu]ntil )|(?<=\b[Bb]y )|(?<=\bof )|(?<=\b[Ff]rom )"
        r"|(?<=\b[Bb]efore )|(?<=\b[Aa]fter )|(?<=\bto )|(?<=\band ))"
        r"(?P<text>the (?P<day>[0-3]?\d)(?:st|nd|rd|th))\b"
        r"(?!\s+(?:[A-Z]|century|centuries|anniversary|congress|plenum|session|meeting|time|times|round|floor|day|year|parallel|division|army|party|conference|birthday|grade|place|row|page|article|point|item|paragraph|line|volume|issue|edition|most)\b)"
    )),
    ("year", re.compile(r"(?<![\d-])(?<!No\. )(?<!No )(?<![\d,.$£])(?P<year>19\d\d|20\d\d)(?![\d,%])(?![-–/]\d)(?!\s*(?:tons|people|persons|copies|km|kilometers|metres|meters|men|troops|units|dollars|yuan|rubles|roubles|votes)\b)")),
]

_BRACKETS = re.compile(r"[\[\]]")
_DIGIT = re.compile(r"\d")


def blank_brackets(text: str) -> str:
    """Replace square brackets by spaces so matching sees supplied text with unchanged offsets."""
    return _BRACKETS.sub(" ", text)


@dataclass(frozen=True)
class DateValue:
    """An ISO value at the precision the text gives, and how it was reached."""

    when: str
    evidence: str | None = None  # "internal" when completed from the document's own date
    cert: str | None = None


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    value: DateValue
    kind: str


_valid = valid_day


def _month_number(token: str) -> int:
    return MONTHS[token.rstrip(".").title() if token.isupper() else token.rstrip(".")]


def _with_time(day_value: str, match: re.Match[str]) -> str:
    hour = match.groupdict().get("hour")
    if hour is None:
        return day_value
    if int(hour) > 23:
        return day_value
    return f"{day_value}T{int(hour):02d}:{match['minute']}:00"


def _nearest_year(month: int, day: int, anchor: dt.date) -> tuple[int, str | None]:
    """Year for a day and month without one: the one that puts the date nearest the anchor."""
    best: tuple[int, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        if not _valid(year, month, day):
            continue
        distance = abs((dt.date(year, month, day) - anchor).days)
        if best is None or distance < best[0]:
            best = (distance, year)
    if best is None:
        raise ValueError("no valid date")
    _, year = best
    return year, (None if year == anchor.year else "medium")


def parse_anchor(iso: str | None) -> dt.date | None:
    """The document date as a `date` when it is known to the day, else None."""
    if iso and re.fullmatch(r"\d{4}-\d\d-\d\d", iso):
        try:
            return dt.date.fromisoformat(iso)
        except ValueError:
            return None
    return None


def find_dates(text: str, document_date: str | None = None) -> list[DateSpan]:
    """Every date expression in `text`, longest first where two overlap.

    `document_date` (ISO) completes partial dates; without it they stay untagged
    unless the text itself carries a year.
    """
    if not _DIGIT.search(text):
        return []  # every date form has a digit
    anchor = parse_anchor(document_date)
    anchor_month = document_date[:7] if document_date and len(document_date) >= 7 else None
    blanked = blank_brackets(text)
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(blanked):
            start, end = match.span("text") if kind == "ordinal" else match.span()
            if not free(start, end):
                continue
            value = _value(kind, match, anchor, anchor_month)
            if value is None:
                if kind in ("iso", "dmy", "mdy"):
                    taken.append((start, end))  # "31 February 1964" is no date, nor is a piece of it
                continue
            # Keep a trailing blanked bracket inside the span only when its partner is inside.
            end = _balance(text, start, end)
            taken.append((start, end))
            found.append(DateSpan(start, end, value, kind))
    found.sort(key=lambda span: span.start)
    return found


def _balance(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    while piece.count("[") > piece.count("]") and end < len(text):
        end += 1
        piece = text[start:end]
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _value(kind: str, m: re.Match[str], anchor: dt.date | None, anchor_month: str | None) -> DateValue | None:
    groups = m.groupdict()
    try:
        if kind == "iso":
            year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}") if _valid(year, month, day) else None
        if kind in ("dmy", "mdy"):
            year, month, day = int(m["year"]), _month_number(m["month"]), int(m["day"])
            if not _valid(year, month, day):
                return None
            return DateValue(_with_time(f"{year:04d}-{month:02d}-{day:02d}", m))
        if kind == "my":
            return DateValue(f"{int(m['year']):04d}-{_month_number(m['month']):02d}")
        if kind in ("dm", "md"):
            if anchor is None:
                return None
            month, day = _month_number(m["month"]), int(m["day"])
            year, cert = _nearest_year(month, day, anchor)
            return DateValue(_with_time(f"{year:04d}-{month:02d}-{day:02d}", m), "internal", cert)
        if kind == "ordinal":
            if anchor is None:
                return None
            day = int(m["day"])
            month_start = anchor.replace(day=1)
            if day <= anchor.day:
                candidate, cert = (anchor.year, anchor.month), None
            else:
                previous = month_start - dt.timedelta(days=1)
                candidate, cert = (previous.year, previous.month), "medium"
            if not _valid(candidate[0], candidate[1], day):
                return None
            return DateValue(f"{candidate[0]:04d}-{candidate[1]:02d}-{day:02d}", "internal", cert)
        if kind == "dtg":
            day, hour, minute = int(m["day"]), int(m["hour"]), m["minute"]
            if hour > 23:
                return None
            if groups.get("month"):
                month_token = m["month"].title()
                if month_token not in MONTHS:
                    return None
                year = 1900 + int(m["yy"]) if int(m["yy"]) > 30 else 2000 + int(m["yy"])
                month, evidence = MONTHS[month_token], None
            elif anchor is not None:
                year, month, evidence = anchor.year, anchor.month, "internal"
            else:
                return None
            if not _valid(year, month, day):
                return None
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute}:00Z", evidence)
        if kind == "year":
            return DateValue(m["year"])
    except (KeyError, ValueError):
        return None
    return None


_PAGE_DATE = [
    re.compile(rf"^{_MON}{_SP}{_DAY},?{_SP}{_YEAR}$"),
    re.compile(rf"^{_DAY}{_SP}{_MON},?{_SP}{_YEAR}$"),
    re.compile(rf"^{_MON},?{_SP}{_YEAR}$"),
    re.compile(r"^(?P<year>1[6-9]\d\d|20\d\d)(?:-(?P<month>[01]\d)(?:-(?P<day>[0-3]\d))?)?$"),
    re.compile(rf"^(?:[Cc]irca|c\.){_SP}{_YEAR}$"),
]


_RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|-|\bto\b)\s*")


def parse_date_range(line: str) -> tuple[str, str] | None:
    """(start, end) of a line that is a span of dates: '1960-1962', 'November 1961 – March 1962'."""
    text = line.strip().strip("\u00a0").strip()
    for separator in _RANGE_SEPARATOR.finditer(text):
        start, end = text[: separator.start()], text[separator.end() :]
        first, last = parse_date_line(start), parse_date_line(end)
        if first and last and first[:4].isdigit() and first <= last:
            return first, last
    return None


def parse_date_line(line: str) -> str | None:
    """ISO value of a line that is only a date ('October 30, 1964', 'November 1980', '1984')."""
    line = line.strip().strip("\u00a0").strip()
    for pattern in _PAGE_DATE:
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        year = int(groups["year"])
        month_token = groups.get("month")
        if month_token is None:
            return f"{year:04d}"
        month = int(month_token) if month_token.isdigit() else _month_number(month_token)
        if not 1 <= month <= 12:
            return None
        if groups.get("day") is None:
            return f"{year:04d}-{month:02d}"
        day = int(groups["day"])
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    return None


