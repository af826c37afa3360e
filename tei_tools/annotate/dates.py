"""Finding date expressions in text and normalising them to ISO 8601 at their real precision."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..isodate import check_iso, iso_sort_key, valid_day
from .spans import Spans

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
_FULL = [name for name in MONTHS if len(name) > 4 or name in ("May", "June", "July")]
_SHORT = [name for name in MONTHS if name not in _FULL]
# Telegrams write in capitals ("SEPTEMBER 2", "031415Z SEP 75"): both cases, never mixed.
_FULL_MONTHS = "|".join(_FULL + [name.upper() for name in _FULL])
_ABBREVIATED = "|".join(_SHORT + [name.upper() for name in _SHORT])
# Brackets are blanked to spaces before matching (see `blank_brackets`), so a supplied
# month ("31 [October]") matches with the same offsets as the source.
_SP = r"[\s\u00a0]+"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_MON = rf"(?P<month>(?:{_FULL_MONTHS})\b|(?:{_ABBREVIATED})\b\.?)"
_TIME = r"(?:(?:,|\s+at)?" + _SP + r"(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?!\d))"

# A clock time: "6:00pm", "6 p.m.", "11:00 hours", "0830 hours", "14h30", "16.00" (the dotted
# and the bare four-digit forms only with a word that makes them times).
_AMPM = r"(?P<{0}ap>[aApP])(?:\.[mM]\.|[mM](?![\w]))"
_CLOCK = (
    r"(?:(?P<{0}h1>[01]?\d)(?:[:.](?P<{0}m1>[0-5]\d))?[ \u00a0]?" + _AMPM
    + r"|(?P<{0}h2>[0-2]?\d):(?P<{0}m2>[0-5]\d)(?![\d:])(?:[ \u00a0]?(?:hours|hrs|HOURS|HRS|h)(?![\w]))?"
    + r"|(?P<{0}h3>[0-2]?\d)\.(?P<{0}m3>[0-5]\d)[ \u00a0]?(?:hours|hrs|HOURS|HRS|h)(?![\w])"
    + r"|(?P<{0}h4>[0-2]\d)(?P<{0}m4>[0-5]\d)[ \u00a0]?(?:hours|hrs|HOURS|HRS)(?![\w])"
    + r"|(?P<{0}h5>[0-2]?\d)h(?P<{0}m5>[0-5]\d)(?![\w])"
    + r"|(?<=\bat )(?P<{0}h6>[0-2]?\d)\.(?P<{0}m6>[0-5]\d)(?![\d.])"
    + r")"
)
_RANGE_WORD = r"(?:[ \u00a0]?[-–—][ \u00a0]?|[ \u00a0]+(?:to|until|till|TO)[ \u00a0]+)"
# "9.30 to 13.00 hours": the unit after the second time holds for both.
_CLOCK_OPEN = r"(?P<ah8>[0-2]?\d)\.(?P<am8>[0-5]\d)"
_TIME_RANGE = re.compile(
    r"(?<![\w:.])(?:" + _CLOCK.format("a") + "|" + _CLOCK_OPEN + r"|(?P<ah7>[01]?\d)(?::(?P<am7>[0-5]\d))?(?=" + _RANGE_WORD + r"[01]?\d(?::[0-5]\d)?[ \u00a0]?[aApP]))"
    + _RANGE_WORD + _CLOCK.format("b")
)
_TIME_ALONE = re.compile(r"(?<![\w:.])" + _CLOCK.format("a"))
_TIME_AFTER = re.compile(r",?[ \u00a0]+")

# Each pattern with what a text must hold for it to match: D a digit, M a month's name or
# abbreviation, P "early", "mid" or "late" and then a month or a digit. Checked once a text,
# so that most texts skip most scans (a paragraph number is no reason to look for "5 May").
# Then where its matches can begin: "digit" at the first digit of a number, "month" at a
# month's name, "part" at "early", "mid" or "late" (see _STARTS), "any" anywhere.
_PATTERNS: list[tuple[str, str, str, re.Pattern[str]]] = [
    ("iso", "D", "digit", re.compile(r"(?<![\w-])(?P<year>1[6-9]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")),
    # Date-time groups: day, hour, minute, zone ("211958Z OCT 64"), or month first ("Sep 3 1415z 75").
    ("dtg", "D", "digit", re.compile(r"(?<![\w])(?P<day>[0-3]\d)(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)(?P<zone>[zZ])(?:\s+(?P<month>[A-Z][a-zA-Z]{2})\s+(?P<yy>\d\d))?(?![\w])")),
    ("dtg", "DM", "month", re.compile(rf"(?<![\w])(?P<month>(?:{_ABBREVIATED}|May))\.?\s+(?P<day>[0-3]?\d)\s+(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)(?P<zone>[zZ])\s+(?P<yy>\d\d)(?![\w])")),
    ("dmy", "DM", "digit", re.compile(rf"(?<![\w])(?:{_DAY}{_SP}{_MON},?{_SP}{_YEAR})(?!\w)")),
    ("mdy", "DM", "month", re.compile(rf"(?<![\w]){_MON}{_SP}{_DAY},?{_SP}{_YEAR}(?!\w)")),
    # Numbers only: "71. 10. 03", "3/9/75", "24.8.1961"; the document's date picks the reading.
    ("numeric", "D", "digit", re.compile(r"(?<![\w./-])(?P<a>\d{1,4})(?P<sep>[./])[ \u00a0]?(?P<b>\d{1,2})(?P=sep)[ \u00a0]?(?P<c>\d{2}|\d{4})(?![\w/-]|[.,]\d)")),
    ("part", "P", "part", re.compile(rf"(?<![\w-])(?P<part>[Ee]arly|[Mm]id|[Ll]ate|EARLY|MID|LATE)(?:-|{_SP})(?:{_MON}(?:,?{_SP}{_YEAR})?|(?P<pyear>1[6-9]\d\d|20\d\d)(?!\w))")),
    ("dm", "DM", "digit", re.compile(rf"(?<![\w])(?:{_DAY}{_SP}(?:of{_SP})?{_MON})(?![\w])")),
    ("md", "DM", "month", re.compile(rf"(?<![\w]){_MON}{_SP}{_DAY}(?!\s*\d)(?![\w])")),
    ("my", "DM", "month", re.compile(rf"(?<![\w]){_MON},?{_SP}{_YEAR}(?!\w)")),
    ("years", "D", "digit", re.compile(r"(?<![\w.,/-])(?P<year>1[6-9]\d\d|20\d\d)[ \u00a0]?[-–][ \u00a0]?(?P<year2>1[6-9]\d\d|20\d\d|\d\d)(?![\w-]|[.,]\d)")),
    ("month", "M", "any", re.compile(rf"(?<![\w])(?:in|since|until|till|by|during|before|after|from|for|In|Since|Until|By|During|Before|After|From|For|IN|SINCE|UNTIL|BY|FOR){_SP}(?P<month>(?:{_FULL_MONTHS}))(?![\w])(?!{_SP}\d)")),
    ("ordinal", "D", "any", re.compile(r"(?<![\w])(?:[Tt]he|THE)[ \u00a0]+(?P<day>[0-3]?\d)(?:st|nd|rd|th|ST|ND|RD|TH)(?![\w])")),
    ("year", "D", "digit", re.compile(r"(?<![\d-])(?<!No\. )(?<!No )(?<![\d,.$£])(?P<year>19\d\d|20\d\d)(?![\d,%])(?![-–/]\d)(?!\s*(?:tons|people|persons|copies|km|kilometers|metres|meters|men|troops|units|dollars|yuan|rubles|roubles|votes)\b)")),
    ("time", "D", "digit", _TIME_RANGE),
    ("time", "D", "digit", _TIME_ALONE),
]
_FULL_DATE_KINDS = ("iso", "dmy", "mdy")

_BRACKETS = re.compile(r"[\[\]]")
_ANY_MONTH = re.compile(rf"{_FULL_MONTHS}|{_ABBREVIATED}")
_PART_WORD = re.compile(r"early|Early|EARLY|mid|Mid|MID|late|Late|LATE")  # literals: a fast search
# Where matches can begin. Every pattern of a kind refuses a word character (or a digit) just
# before its match, so its matches begin where these do; trying a pattern only there gives the
# matches a scan of the whole text gives, without the scan: the engine runs a pattern that
# opens with a look-behind at every character, but leaps to the characters these begin with.
_STARTS = {"digit": re.compile(r"\d(?<!\d\d)"), "month": _ANY_MONTH, "part": _PART_WORD}
_MONTH_WORD = re.compile(rf"(?<![\w])(?:{_FULL_MONTHS})(?![\w])")
_DIGIT = re.compile(r"\d")


def blank_brackets(text: str) -> str:
    """Replace square brackets by spaces so matching sees supplied text with unchanged offsets."""
    return _BRACKETS.sub(" ", text)


@dataclass(frozen=True)
class DateValue:
    """An ISO value at the precision the text gives, and how it was reached.

    A point has `when`; a stretch of time has `from_`/`to` ("14:30-16:05"); a time known only
    within bounds has `not_before`/`not_after` ("late December")."""

    when: str | None = None
    evidence: str | None = None  # "internal" when completed from the document's own date
    cert: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    from_: str | None = None
    to: str | None = None

    def attributes(self) -> list[tuple[str, str]]:
        """The TEI attributes that say this value (those given), in the order they are written."""
        given = (("when", self.when), ("notBefore", self.not_before), ("notAfter", self.not_after), ("from", self.from_), ("to", self.to), ("evidence", self.evidence), ("cert", self.cert))
        return [(name, value) for name, value in given if value]


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    value: DateValue
    kind: str


_valid = valid_day


def _month_number(token: str) -> int:
    token = token.rstrip(".")
    return MONTHS[token.title() if token.isupper() else token]


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


def _nearest_month_year(month: int, anchor: dt.date, tense: str | None = None) -> int | None:
    """Year of a month named alone: the next such month for what is to come, the last one for
    what is past, else the one nearest the anchor's month; None when two are as near."""
    if tense == "future":
        return anchor.year if month >= anchor.month else anchor.year + 1
    if tense == "past":
        return anchor.year if month <= anchor.month else anchor.year - 1
    distances = sorted((abs((year * 12 + month) - (anchor.year * 12 + anchor.month)), year) for year in (anchor.year - 1, anchor.year, anchor.year + 1))
    if distances[0][0] == distances[1][0]:
        return None
    return distances[0][1]


def parse_anchor(iso: str | None) -> dt.date | None:
    """The document date as a `date` when it is known to the day, else None."""
    if iso and re.fullmatch(r"\d{4}-\d\d-\d\d", iso[:10]):
        try:
            return dt.date.fromisoformat(iso[:10])
        except ValueError:
            return None
    return None


# -- times ---------------------------------------------------------------------------------

def _clock(match: re.Match[str], prefix: str, ampm: str | None = None) -> str | None:
    """'HH:MM:00' of one clock time in `match` (groups named with `prefix`), or None;
    `ampm` is the marker of the other end of a stretch, for an end without its own."""
    groups = match.groupdict()
    for variant in "12345678":
        hour = groups.get(f"{prefix}h{variant}")
        if hour is None:
            continue
        minute = groups.get(f"{prefix}m{variant}") or "00"
        h = int(hour)
        marker = (groups.get(f"{prefix}ap") or "").lower() if variant == "1" else ""
        if not marker and ampm and variant in "1278" and 1 <= h <= 12:
            marker = ampm
        if marker:
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if marker == "p" else 0)
        if h > 23:
            return None
        return f"{h:02d}:{minute}:00"
    return None


def _time_value(match: re.Match[str]) -> DateValue | None:
    """A time or a stretch of time ('4:35-11:20 p.m.': the marker holds for both ends)."""
    if "bh1" in match.re.groupindex:
        end = _clock(match, "b")
        marker = (match.groupdict().get("bap") or "").lower() or None
        start = _clock(match, "a", marker)
        if start is None or end is None:
            return None
        if start > end and marker and match.groupdict().get("aap") is None:
            start = _clock(match, "a", "a" if marker == "p" else "p")  # "11:00 to 1:30 p.m."
        if start is None or start >= end:
            return None
        return DateValue(from_=start, to=end)
    value = _clock(match, "a")
    return DateValue(value) if value else None


def _with_time(text: str, end: int, day_value: str) -> tuple[DateValue, int]:
    """A day followed by a time ('31 October 1964, 23:40') or a stretch ('30 May 1960, 14:30-16:05')."""
    gap = _TIME_AFTER.match(text, end)
    if gap:
        for pattern in (_TIME_RANGE, _TIME_ALONE):
            m = pattern.match(text, gap.end())
            if m:
                value = _time_value(m)
                if value is None:
                    continue
                if value.from_:
                    return DateValue(from_=f"{day_value}T{value.from_}", to=f"{day_value}T{value.to}"), m.end()
                return DateValue(f"{day_value}T{value.when}"), m.end()
    return DateValue(day_value), end


# -- days of the month alone -----------------------------------------------------------------

_FUTURE = re.compile(
    r"\b(?:will|would|shall|could|can|may|might|should|must|going to|is to|are to|was to|were to|plans?|planned|"
    r"planning|schedul\w*|expects?|expected|intends?|intended|booked|reserved|proposes?|proposed|tomorrow|next|"
    r"(?:asked|requested|proposed|suggested|demanded|agreed|decided) that)\b|'ll\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|been|since|ago|yesterday|last|came|went|met|left|said|told|took|gave|sent|spoke|held|"
    r"began|fought|flew|saw|wrote|made|brought|stood|fell|won|lost|shot|\w{2,}ed)\b",
    re.IGNORECASE,
)
# A period ends a clause when a capital follows: "4 p.m. and" goes on.
_CLAUSE_END = re.compile(r"[.!?](?=[\s\u00a0]+[A-Z0-9\"“(])|[.!?]$|;")
_OF_MONTH = re.compile(rf"[ \u00a0]+(?:of|OF)[ \u00a0]+(?:(?P<which>this|next|last|the same|the current|THIS|NEXT|LAST)[ \u00a0]+(?:month|MONTH)|(?:the[ \u00a0]+)?(?:month|MONTH)|{_MON})(?![\w])")
_NEXT_ORDINAL = re.compile(r"[ \u00a0]+(?:and|or|to|AND|OR|TO|-|–)[ \u00a0]+(?:(?:the|THE)[ \u00a0]+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th|ST|ND|RD|TH)(?![\w])")
# What may follow a day of the month: a function word, a lower-case verb in the past ("the 28th
# reached me") or punctuation, never a noun ("the 24th Congress", "the 90th anniversary", "the 24th
# and 25th pages").
_AFTER_DAY = re.compile(
    r"(?:[ \u00a0]+(?:at|in|on|and|or|to|till|until|when|that|with|from|for|by|after|before|we|i|he|she|they|it|"
    r"there|his|her|their|our|the|a|an|was|were|is|are|will|would|had|has|have|this|but|as|if|so|then|"
    r"morning|evening|afternoon|night|(?-i:[a-z]{2,}ed))(?![\w])|[ \u00a0]*(?:[.,;:!?)\]\"”’']|$))",
    re.IGNORECASE,
)
_BEFORE_DAY = {"on", "since", "until", "till", "by", "of", "from", "before", "after", "to", "and", "for", "between", "or", "through", "until"}
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \u00a0]*$")


def _tense(text: str, start: int, end: int) -> str | None:
    """'future' or 'past' from the verb nearest before the day in its clause (else after it)."""
    low = max(0, start - 160)
    clause_start = low
    for m in _CLAUSE_END.finditer(text, low, start):
        clause_start = m.end()
    stop = _CLAUSE_END.search(text, end, min(len(text), end + 160))
    clause_end = stop.start() if stop else min(len(text), end + 160)
    capitals = text[clause_start:clause_end].isupper()

    def markers(low: int, high: int) -> list[tuple[int, int, str]]:
        # A capitalised word is a name or a sentence start ("United", "May"), not a verb,
        # unless the whole clause is in capitals.
        found = [(m.start(), m.end(), "future") for m in _FUTURE.finditer(text, low, high) if capitals or not m.group()[0].isupper()]
        found += [(m.start(), m.end(), "past") for m in _PAST.finditer(text, low, high) if (capitals or not m.group()[0].isupper()) and not _FUTURE.fullmatch(m.group())]
        return found

    before = markers(clause_start, start)
    if before:
        nearest = max(before)
        if nearest[2] == "past" and any(kind == "future" and nearest[0] - end_ <= 16 for _, end_, kind in before):
            return "future"  # "will be published", "would have arrived"
        return nearest[2]
    after = markers(end, clause_end)
    return min(after)[2] if after else None


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _day_alone(day: int, anchor: dt.date, tense: str | None, month_of_neighbour: tuple[int, int, int] | None) -> DateValue | None:
    """The day of the month the text implies, or None when it does not say which month."""
    if tense == "future":
        year, month = (anchor.year, anchor.month) if day >= anchor.day else _shift(anchor.year, anchor.month, 1)
    elif tense == "past":
        year, month = (anchor.year, anchor.month) if day <= anchor.day else _shift(anchor.year, anchor.month, -1)
    elif month_of_neighbour is not None and day >= month_of_neighbour[2]:
        year, month = month_of_neighbour[0], month_of_neighbour[1]
    elif day == anchor.day:
        year, month = anchor.year, anchor.month
    else:
        return None
    if not _valid(year, month, day):
        return None
    cert = None if (year, month) == (anchor.year, anchor.month) else "medium"
    return DateValue(f"{year:04d}-{month:02d}-{day:02d}", "internal", cert)


# -- finding ----------------------------------------------------------------------------------

def find_dates(text: str, document_date: str | None = None, *, country: str | None = None) -> list[DateSpan]:
    """Every date expression in `text`, longest first where two overlap.

    `document_date` (ISO) completes partial dates; without it they stay untagged unless the
    text itself carries a year. `country` (a register key) reads slashed numbers the way that
    country writes them when the document date leaves two readings.
    """
    digit = _DIGIT.search(text) is not None
    month = _ANY_MONTH.search(text) is not None
    if not digit and (not month or not _MONTH_WORD.search(text)):
        return []  # every date form has a digit or a month's name
    anchor = parse_anchor(document_date)
    blanked = blank_brackets(text)
    found: list[DateSpan] = []
    taken = Spans()
    days = _Days()

    def free(start: int, end: int) -> bool:
        return taken.free(start, end)

    def add(start: int, end: int, value: DateValue, kind: str) -> None:
        end = _balance(text, start, end)
        taken.add(start, end)
        found.append(DateSpan(start, end, value, kind))
        days.add(start, value)

    held = {"D": digit, "M": month, "DM": digit and month, "P": (digit or month) and _PART_WORD.search(blanked) is not None}
    starts: dict[str, list[int]] = {}
    for kind, needs, begins, pattern in _PATTERNS:
        if not held[needs]:
            continue
        if begins == "any":
            matches: Iterable[re.Match[str]] = pattern.finditer(blanked)
        else:
            if begins not in starts:
                starts[begins] = [m.start() for m in _STARTS[begins].finditer(blanked)]
            matches = _matches_from(pattern, blanked, starts[begins])
        for match in matches:
            start, end = match.span()
            if kind == "month":
                start = match.start("month")
            if not free(start, end):
                continue
            if kind == "ordinal":
                _ordinal(blanked, match, anchor, days, free, add)
                continue
            tense = _tense(blanked, start, end) if kind in ("month", "part") and anchor is not None else None
            value = _value(kind, match, anchor, country, tense)
            if value is None:
                if kind in _FULL_DATE_KINDS or kind == "numeric":
                    taken.add(start, end)  # "31 February 1964" is no date, nor is a piece of it
                continue
            if kind in ("dmy", "mdy", "iso", "dm", "md") and value.when and len(value.when) == 10:
                value_with_time, end = _with_time(blanked, end, value.when)
                value = DateValue(value_with_time.when, value.evidence, value.cert, from_=value_with_time.from_, to=value_with_time.to)
            if not free(start, end):
                continue
            add(start, end, value, kind)
            if kind in ("dmy", "dm", "mdy", "md"):
                _day_range(blanked, match, kind, value, anchor, free, add)
    found.sort(key=lambda span: span.start)
    return found


def _matches_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What pattern.finditer(text) yields, trying the pattern at `starts` only (in order)."""
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the previous match, as finditer resumes after it
        match = pattern.match(text, start)
        if match is not None:
            end = match.end()
            yield match


_DAY_BEFORE_RANGE = re.compile(r"(?<![\w.,/-])(?P<token>(?P<day>[0-3]?\d)(?:st|nd|rd|th)?)[ \u00a0]*(?:to|and|till|until|-|–|—)[ \u00a0]*$")
_DAY_AFTER_RANGE = re.compile(r"[ \u00a0]*(?:to|and|till|until|-|–|—)[ \u00a0]*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\w.,:/-]|[.,]\d)")


def _day_range(text: str, match: re.Match[str], kind: str, value: DateValue, anchor: dt.date | None, free, add) -> None:
    """'From 8 to 12 May 1978', 'November 14 to 16': the bare day shares the month and year."""
    iso = (value.when or value.from_ or "")[:10]
    if len(iso) != 10:
        return
    year, month = int(iso[:4]), int(iso[5:7])
    if kind in ("dmy", "dm"):
        before = _DAY_BEFORE_RANGE.search(text, max(0, match.start() - 14), match.start())
        if before and before.end() == match.start():
            day = int(before["day"])
            if _valid(year, month, day) and day < int(iso[8:10]) and free(before.start(), before.end("token")):
                add(before.start(), before.end("token"), DateValue(f"{year:04d}-{month:02d}-{day:02d}", value.evidence, value.cert), "dm")
    else:
        after = _DAY_AFTER_RANGE.match(text, match.end())
        if after:
            day = int(after["day"])
            if _valid(year, month, day) and day > int(iso[8:10]) and free(after.start("day"), after.end()):
                add(after.start("day"), after.end(), DateValue(f"{year:04d}-{month:02d}-{day:02d}", value.evidence, value.cert), "md")


class _Days:
    """Days found so far, by position: the nearest one before a day of the month alone."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.values: list[tuple[int, int, int]] = []

    def add(self, start: int, value: DateValue) -> None:
        when = value.when or ""
        if len(when) >= 10 and when[4] == "-":
            i = bisect.bisect_right(self.starts, start)
            self.starts.insert(i, start)
            self.values.insert(i, (int(when[:4]), int(when[5:7]), int(when[8:10])))

    def before(self, position: int) -> tuple[int, int, int] | None:
        i = bisect.bisect_left(self.starts, position)
        return self.values[i - 1] if i else None


def _ordinal(text: str, match: re.Match[str], anchor: dt.date | None, days_found: _Days, free, add) -> None:
    """'the 28th', 'the 5th of this month', 'the 3rd and 4th': days whose month the text implies."""
    if anchor is None:
        return
    previous = _WORD_BEFORE.search(text, max(0, match.start() - 24), match.start())
    if previous is None or previous.group(1).lower() not in _BEFORE_DAY:
        return
    days = [(match.start(), match.end(), int(match["day"]))]
    position = match.end()
    following = _NEXT_ORDINAL.match(text, position)
    if following:
        days.append((following.start("day"), following.end(), int(following["day"])))
        position = following.end()
    of_month = _OF_MONTH.match(text, position)
    if of_month:
        which = (of_month["which"] or "this").lower()
        if of_month["month"]:
            month = _month_number(of_month["month"])
            for start, end, day in days:
                try:
                    year, cert = _nearest_year(month, day, anchor)
                except ValueError:
                    return
                stop = of_month.end() if end == days[-1][1] else end
                if free(start, stop):
                    add(start, stop, DateValue(f"{year:04d}-{month:02d}-{day:02d}", "internal", cert), "ordinal")
            return
        shift = {"next": 1, "last": -1}.get(which, 0)
        year, month = _shift(anchor.year, anchor.month, shift)
        for start, end, day in days:
            if _valid(year, month, day):
                stop = of_month.end() if end == days[-1][1] else end
                if free(start, stop):
                    add(start, stop, DateValue(f"{year:04d}-{month:02d}-{day:02d}", "internal"), "ordinal")
        return
    if not _AFTER_DAY.match(text, position):
        return  # a noun follows: "the 24th Congress"
    tense = _tense(text, match.start(), position)
    neighbour = days_found.before(match.start())
    for start, end, day in days:
        value = _day_alone(day, anchor, tense, neighbour)
        if value is not None and free(start, end):
            add(start, end, value, "ordinal")


def _balance(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    while piece.count("[") > piece.count("]") and end < len(text):
        end += 1
        piece = text[start:end]
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


_PART_DAYS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PART_MONTHS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


def _numeric(m: re.Match[str], anchor: dt.date | None, country: str | None) -> DateValue | None:
    """'71. 10. 03' (year first), '24.8.1961' (day first), '3/9/75' (either): readings that
    are real days not after the document's date, and only one of them."""
    a, b, c = m["a"], m["b"], m["c"]
    readings: list[tuple[str, int, int, int]] = []

    def year_of(token: str) -> int | None:
        if len(token) == 4:
            return int(token)
        if anchor is None:
            return None  # a two-digit year needs the document's century
        value = int(token) + anchor.year // 100 * 100
        value = value - 100 if value > anchor.year + 1 else value
        return value if value >= anchor.year - 30 else None

    if len(a) == 4 or (len(a) == 2 and int(a) > 31):
        year = year_of(a)
        if year is not None and len(c) == 2:
            readings.append(("ymd", year, int(b), int(c)))
    elif len(a) <= 2:
        year = year_of(c)
        if year is not None:
            readings.append(("dmy", year, int(b), int(a)))
            if m["sep"] == "/":
                readings.append(("mdy", year, int(a), int(b)))
    plausible = []
    for reading, year, month, day in readings:
        if not _valid(year, month, day):
            continue
        day_value = dt.date(year, month, day)
        if anchor is not None and not (anchor.year - 60 <= year and day_value <= anchor + dt.timedelta(days=2)):
            continue
        plausible.append((reading, day_value))
    if len({value for _, value in plausible}) > 1:
        wanted = "mdy" if country in ("united-states",) else "dmy"
        plausible = [item for item in plausible if item[0] == wanted] if country else []
    if len({value for _, value in plausible}) != 1:
        return None
    return DateValue(plausible[0][1].isoformat())


def _value(kind: str, m: re.Match[str], anchor: dt.date | None, country: str | None = None, tense: str | None = None) -> DateValue | None:
    groups = m.groupdict()
    try:
        if kind == "iso":
            year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}") if _valid(year, month, day) else None
        if kind in ("dmy", "mdy"):
            year, month, day = int(m["year"]), _month_number(m["month"]), int(m["day"])
            if not _valid(year, month, day):
                return None
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}")
        if kind == "my":
            return DateValue(f"{int(m['year']):04d}-{_month_number(m['month']):02d}")
        if kind in ("dm", "md"):
            if anchor is None:
                return None
            month, day = _month_number(m["month"]), int(m["day"])
            year, cert = _nearest_year(month, day, anchor)
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}", "internal", cert)
        if kind == "numeric":
            return _numeric(m, anchor, country)
        if kind == "month":
            if anchor is None:
                return None
            month = _month_number(m["month"])
            year = _nearest_month_year(month, anchor, "past" if m.group().lower().startswith("since") else tense)
            return DateValue(f"{year:04d}-{month:02d}", "internal") if year else None
        if kind == "part":
            part = m["part"].lower()
            if groups.get("month"):
                month = _month_number(m["month"])
                if groups.get("year"):
                    year, evidence = int(m["year"]), None
                elif anchor is not None:
                    year, evidence = _nearest_month_year(month, anchor, tense), "internal"
                    if year is None:
                        return None
                else:
                    return None
                first, last = _PART_DAYS[part]
                last = min(last, calendar.monthrange(year, month)[1])
                return DateValue(evidence=evidence, not_before=f"{year:04d}-{month:02d}-{first:02d}", not_after=f"{year:04d}-{month:02d}-{last:02d}")
            year = int(m["pyear"])
            first, last = _PART_MONTHS[part]
            return DateValue(not_before=f"{year:04d}-{first:02d}", not_after=f"{year:04d}-{last:02d}")
        if kind == "years":
            first, second = m["year"], m["year2"]
            if len(second) == 2:
                second = first[:2] + second
            if not 0 < int(second) - int(first) <= 50:
                return None
            return DateValue(from_=first, to=second)
        if kind == "time":
            return _time_value(m)
        if kind == "dtg":
            day, hour, minute = int(m["day"]), int(m["hour"]), m["minute"]
            if hour > 23:
                return None
            cert = None
            if groups.get("month"):
                month_token = m["month"].title()
                if month_token not in MONTHS:
                    return None
                year = 1900 + int(m["yy"]) if int(m["yy"]) > 30 else 2000 + int(m["yy"])
                month, evidence = MONTHS[month_token], None
            elif anchor is not None:
                # A group without its month is of the document's month, or the one before
                # when its day is still to come.
                year, month = (anchor.year, anchor.month) if day <= anchor.day + 1 else _shift(anchor.year, anchor.month, -1)
                evidence = "internal"
                cert = None if (year, month) == (anchor.year, anchor.month) else "medium"
            else:
                return None
            if not _valid(year, month, day):
                return None
            return DateValue(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute}:00Z", evidence, cert)
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
    if len(text) > 80:
        return None  # a date span is short; a long line is prose
    for separator in _RANGE_SEPARATOR.finditer(text):
        start, end = text[: separator.start()], text[separator.end() :]
        first, last = parse_date_line(start), parse_date_line(end)
        if first and last and first[:4].isdigit() and first <= last:
            return first, last
    return None


def parse_date_line(line: str) -> str | None:
    """ISO value of a line that is only a date ('October 30, 1964', 'November 1980', '1984')."""
    line = line.strip().strip("\u00a0").strip()
    if len(line) > 40:
        return None  # the longest date line ("September 30, 1964") is far shorter
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
