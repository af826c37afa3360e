"""The document's lines -> its parts: opener fields, head, salute, paragraphs, closer, distribution."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..annotate.dates import find_dates, parse_date_line
from .reader import Line


@dataclass(frozen=True)
class Span:
    """A piece of source text and the offset of its first character in the page."""

    text: str
    offset: int

    def sub(self, start: int, end: int | None = None) -> "Span":
        end = len(self.text) if end is None else end
        return Span(self.text[start:end], self.offset + start)

    def strip(self) -> "Span":
        left = len(self.text) - len(self.text.lstrip())
        return self.sub(left, len(self.text.rstrip()))


@dataclass
class Field:
    """One field of a header block (`seg` in an `opener`)."""

    type: str | None
    span: Span
    label: Span | None = None  # "Subject:" of a labelled field; the value is `span`


@dataclass
class ListItem:
    span: Span
    label: Span | None = None
    count: int | None = None
    count_span: Span | None = None
    total: bool = False
    role: Span | None = None  # "Interpreter:" before a participant


@dataclass
class Block:
    """One part of the document body or its ends.

    kind: p, list, sp, salute, signed, dateline, copies, distdate, copynote, total, unknown
    """

    kind: str
    span: Span
    type: str | None = None
    items: list[ListItem] = field(default_factory=list)
    head: Span | None = None
    speaker: Span | None = None
    count: int | None = None
    line: int = 0
    groups: list[tuple[Span | None, list[ListItem]]] = field(default_factory=list)  # participants by side; None: no side


@dataclass
class Section:
    """One document of a page (a page can hold two: a letter and its attachment)."""

    opener: list[Field] = field(default_factory=list)
    head: Span | None = None
    opener_after_head: list[Field] = field(default_factory=list)
    salute: Span | None = None
    body: list[Block] = field(default_factory=list)
    closer: list[Block] = field(default_factory=list)
    trailer: list[Block] = field(default_factory=list)
    distribution: list[Block] = field(default_factory=list)


@dataclass
class Structure:
    sections: list[Section]
    footnotes: dict[str, Span]
    warnings: list[str]
    glued: dict[str, int] = field(default_factory=dict)  # footnote number -> page offset of a glued mark


CLASSIFICATION = re.compile(
    r"\b(?:Top Secret|TOP SECRET|Strictly Secret|STRICTLY SECRET|Strictly Confidential|STRICTLY CONFIDENTIAL|Secret|SECRET|Confidential|CONFIDENTIAL|Restricted|RESTRICTED|Eyes Only|EYES ONLY|For Official Use Only|Classified|Unclassified|UNCLASSIFIED|NOFORN)\b"
)
PRECEDENCE = re.compile(r"^(?:Level|Precedence|Urgency|Priority)\b|\b(?:Most Urgent|Extra Urgent|Very Urgent|Extremely Urgent|Urgent|URGENT|Immediate|IMMEDIATE|Flash|FLASH|Routine|ROUTINE|Highest Priority|HIGHEST PRIORITY|Priority|PRIORITY|Operational Immediate|OPERATIONAL IMMEDIATE)\b")
# Reference and serial numbers: "Special No. 416", "Ciphergram No. 16052", "No 76.069", "Nr. 0123/65",
# "LS no.0692061-26", "Copy Nº 3", "Report No. 00-B-3"; up to three words before the number sign.
SERIAL = re.compile(r"^(?:[A-Z][\w.-]*\s+){0,3}(?:No\.?|NO\.?|no\.|Nos?\.|Nr\.?|Number|Nº|N°|№|#)\s*:?\s*\S*\d|^(?:Serial|serial) number\b|^(?:Ref|REF|Our ref|Your ref|Reference)\.?\s*:?\s*\S*\d")
# A line that is only a reference: "004076/1955", "JS/BL", "CM-12/64".
REFERENCE_ONLY = re.compile(r"^(?=[^\s]*[/\-.])(?=.*\d)[A-Z0-9][\w.\-/]*(?:\s+[\w.\-/]+){0,2}$|^[A-Z]{2,4}/[A-Z]{2,4}$")
ADDRESSEE = re.compile(r"^(?:Sent to|To|Addressee|Addressed to|For)\b\s*:?", re.I)
SENDER = re.compile(r"^(?:From|Sender)\b\s*:", re.I)
SUBJECT = re.compile(r"^(?:Subject|Re|Regarding|Concerning)\s*:", re.I)
CC = re.compile(r"\balso copied\b|^(?:Copied to|Copy to|Copies to|cc)\b\s*:?", re.I)
HANDLING = re.compile(
    r"\b(?:reviewed|Approved by|Drafted|Notes? appended|Typed|Checked|Cleared|Signed by|Coded|Decoded|Deciphered|Received|Dispatched|Registered|Handed|Prepared by|Place of dispatch|Sent:)\b"
    r"|\b(?:destroy(?:ed)? after (?:use|reading)|for the duty officer only|duty officer|eyes only|personal(?:ly)? (?:only|to)|in person|reproduction (?:is )?prohibited|not to be (?:copied|reproduced)|to be returned|return (?:to|after)|do not copy|not for publication|only for)\b"
    r"|^\[?(?:Stamp|Seal|Handwritten|Handwriting)\b",
    re.I,
)
HANDLING_PHRASE = re.compile(
    r"\b(?:destroy(?:ed)? after (?:use|reading)|for the duty officer only|eyes only|personal(?:ly)? (?:only|to)|reproduction (?:is )?prohibited|not to be (?:copied|reproduced)|do not copy|not for publication)\b|^(?:Only|Solely) for\b|^Personal\b",
    re.I,
)
# Transmission lines of cables: when and by whom a message was sent, received, decoded.
TRANSMISSION = re.compile(
    r"^(?P<verb>Dispatched|Sent|Transmitted|Received|Came (?:in)?to|Arrived|Decoded|Deciphered|Decrypted|Encoded|Enciphered|Ciphered)\b(?!\s+(?:[Tt]elegram|TELEGRAM|[Cc]able|CABLE|[Mm]essage))(?=.*(?:\d|\bat\b|\bon\b|\bby\b))",
    re.I,
)
TRANSMISSION_TYPE = {"dispatched": "sent", "sent": "sent", "transmitted": "sent", "received": "received", "came": "received", "arrived": "received"}
# The form a document was written on: "CIPHER TELEGRAM", "Foreign Ministry Telegram", "INFORMATION REPORT".
FORM_NAME = re.compile(
    r"^(?:[\w'’-]+\s+){0,4}(?:Telegram|TELEGRAM|Cable|CABLE|Ciphergram|CIPHERGRAM|Cryptogram|CRYPTOGRAM|Cipher Telegram|Radiogram|RADIOGRAM|Telex|TELEX|Information Report|INFORMATION REPORT|Intelligence Information Report|Memorandum|MEMORANDUM|Note|NOTE|Message|MESSAGE|Dispatch|DISPATCH|Airgram|AIRGRAM)\.?$"
)
# A line that is nothing but a classification, in any letter case: "Strictly secret.", "TOP SECRET".
CLASSIFICATION_LINE = re.compile(r"^(?:top secret|strictly secret|strictly confidential|secret|confidential|restricted|eyes only|for official use only|classified|unclassified)(?:\s*[/,]\s*(?:[\w ]+))?\.?$", re.I)
# "From Pyongyang.", "To Vyshinsky.": a short unlabelled sender or addressee line.
SHORT_FROM = re.compile(r"^From\s+(?:[A-Z][\w'’.-]*\s?){1,4}\.?$")
INSTITUTION = re.compile(r"\b(?:Embassy|Legation|Consulate|Ministry|Committee|Department|Office|Bureau|Mission|Delegation|Headquarters|Secretariat|Presidium|Council|Directorate|Division|Administration|Agency|Station|Command|EMBASSY|LEGATION|MINISTRY|COMMITTEE|DEPARTMENT|AGENCY|DIRECTORATE|OFFICE|COUNCIL|SECRETARIAT|HEADQUARTERS)\b")
BARE_LABEL = re.compile(r"^(?:Level|Precedence|Urgency|Priority|Classification|Number|No\.)$", re.I)
FIELD_SEPARATOR = re.compile(r"[ \t]*\u00a0[ \t\u00a0]*|[ \t]{3,}|\t+")
LIST_MARK = re.compile(r"^(?P<label>\(\d{1,2}\)|\d{1,2}\)|\d{1,2}\.(?!\d)|\([a-zA-Z]\)|[a-z]\)|[-•–](?=\s))\s+(?=\S)")
SPEAKER = re.compile(r"^(?P<speaker>[A-Z][^:\n]{0,45}?):\s+(?=\S)")
PARTICIPANTS = re.compile(r"^(?:Participants|Participating|Present|Those present|Attended|In attendance|Attendees|Participants in the (?:conversation|meeting|talks))\s*:", re.I)
# A side of a meeting inside a participants list: "Chinese side:", "On the Soviet side:", "From the GDR:".
SIDE = re.compile(r"^(?:(?:On|From|For) the\s+)?(?:[\w'’.-]+\s+){0,3}?(?:side|Side|SIDE|delegation|Delegation|party|Party)\s*:\s*|^(?:From|For) (?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*:\s*")
BRACKETS_ONLY = re.compile(r"^(?:\[[^\]]*\]\s*)+$")
FOOTNOTE_LINE = re.compile(r"^\[(?P<n>\d{1,3})\]\s*(?=\S)")
FOOTNOTE_MARK = re.compile(r"\[(?P<n>\d{1,3})\]")
DIST_LABEL = re.compile(
    r"^(?P<label>Copies|Copy|Distribution|Distribution list|Recipients|Distributed|Copied|Printed|Typed|Sent out|Dispatched|Issued|Prepared)\s*:",
    re.I,
)
COPY_NOTE = re.compile(
    r"^(?:(?P<count>\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+cop(?:y|ies)\s+(?:printed|made|typed|prepared|produced)|cop(?:y|ies)\s+N[ºo°](?:N[ºo°])?\.?\s*[\d,\s–-]+?\s*(?:[-–]\s*)?to\b|N[ºo°]\s*\d+\s*(?:-|–)?\s*to\b)",
    re.I,
)
# Closing lines of a telegram's transmission: "NNNN", "END OF MESSAGE", "Transmitted by ...", telex answerbacks.
TRAILER = re.compile(
    r"^(?:NNNN|ZCZC|BT|\+\+\+|=+|END(?: OF (?:MESSAGE|TEXT|TELEGRAM|CABLE))?\.?|(?:Transmitted|Telexed|Passed|Relayed|Sent|Typed|Printed|Checked|Decoded|Deciphered|Enciphered) (?:by|to|via)\b.*|TLX\b.*|Telex\b.*|Tape\b.*|(?:Op|Operator)\.?\s*:.*)$",
    re.I,
)
# "Label: value" with a short label; the value may be empty (it then follows on the next line).
LABELLED = re.compile(r"^(?P<label>[A-Z][\w.&/'’()-]*(?:\s+[\w.&/'’()-]+){0,5}?)\s*:(?:\s+|$)(?P<value>.*)$")
#: Labels of header fields, folded (lower case, dots and spaces collapsed), and the type each gets.
FIELD_LABELS: dict[str, str] = {}
for _type, _labels in {
    "sender": "from|sender|originator|issued by|author",
    "addressee": "to|addressee|addressed to|sent to|for|recipient|attention|attn",
    "subject": "subject|subj|re|regarding|concerning|topic|object|theme",
    "cc": "cc|copy to|copies to|copied to|also to|info|information to",
    "serial": "no|number|nr|ref|reference no|report no|report number|serial|serial no|serial number|dispatch no|telegram no|cable no|cipher no|ciphergram no|file no|registration no|reg no|outgoing no|incoming no|document no|doc no|copy no|our ref|your ref|ls no",
    "classification": "classification|security classification|class|grade",
    "precedence": "level|precedence|priority|urgency",
    "date": "date|dated|date of info|date of information|date distr|date of distribution|date of report|date of document|date acq|date of acquisition|date & time|date and time",
    "acquired": "place & date acq|place and date acq|place & date acquired|place and date acquired|place acquired",
    "place": "place|location|venue|place of meeting|meeting place",
    "time": "time|time of meeting|duration|hour",
    "interpreter": "interpreter|interpreters|interpreted by|interpreting",
    "recorder": "recorder|recorded by|note taker|note-taker|notetaker|minutes taken by|record made by|record by|notes by|memcon by|minutes by",
    "handling": "approved by|reviewed by|prepared by|typed by|checked by|cleared by|signed by|coded by|decoded by|deciphered by|encoded by|handled by|typist|operator|dictated by|read by|drafted|drafted by|typed|checked|approved|reviewed|cleared|printed|prepared|handling|destroy|destroy after use",
    "sent": "sent|dispatched|transmitted|time sent|date sent|sent at|dispatched at|time of dispatch",
    "received": "received|time received|date received|received at|arrived",
    "decoded": "decoded|deciphered|decrypted|decoded at|deciphered at",
    "country": "country|countries",
    "appraisal": "appraisal|evaluation|appraisal of content|source evaluation|reliability",
    "pages": "no of pages|number of pages|pages|no pages",
    "references": "references|reference|refs|ref|enclosure|enclosures|attachment|attachments|annex|annexes",
    "source": "source|sources|source of information",
    "distribution": "distribution list|list of recipients|distribution",
    "routing": "routing|route to|forward to",
}.items():
    for _label in _labels.split("|"):
        FIELD_LABELS.setdefault(_label, _type)
#: Labels that open an intelligence report form (a second document on a cable's page).
FORM_LABELS = frozenset({"country", "subject", "date of info", "date of information", "place & date acq", "place and date acq", "report no", "date distr", "appraisal", "no of pages", "references", "source"})
NUMBERED_COPY = re.compile(r"^(?P<phrase>(?:cop(?:y|ies)\s+)?N[ºo°](?:N[ºo°])?\.?\s*(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?)\s*(?:[-–]\s*)?to\b", re.I)
# The closing formula of a letter: "With comradely greetings,", "Yours sincerely".
CLOSING_SALUTE = re.compile(
    r"^(?:With\b.{0,40}\b(?:greetings|regards|respect|esteem|salutations)|Yours\b.{0,30}|(?:Sincerely|Respectfully|Cordially|Faithfully)\b.{0,20}|(?:Comradely|Communist|Fraternal|Socialist|Warm|Best) (?:greetings|regards))\W*$",
    re.I,
)
COUNT = re.compile(r"\((?P<n>\d{1,3})\)")
TOTAL = re.compile(r"^(?P<n>\d+|[a-z]+)\s+cop(?:y|ies)\s+in\s+(?:total|all)\b", re.I)
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
SALUTE_LABELS = {"copies", "copy", "distribution", "distributed", "copied", "participants", "present", "subject", "note", "notes", "recipients", "attachment", "enclosure", "summary"}


def number_value(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _alpha_words(text: str) -> list[str]:
    """Words of letters: '11.02.1962 at 18:40' counts one."""
    return re.findall(r"[^\W\d_]+", text)


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def is_prose(text: str) -> bool:
    # Words of letters: a transmission line full of times and numbers ("Typed by X on
    # 10/14/50 at 13:30 p.m.") is no sentence.
    words = _alpha_words(text)
    stripped = text.rstrip()
    return len(words) >= 9 or (len(words) >= 3 and stripped.endswith((".", "!", "?", "”", '"', ".)")))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(_words(text.lower()))


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def is_list_like(text: str) -> bool:
    """A run of short comma-separated names ("Liu, Zhang, Luo, ...") rather than a sentence."""
    pieces = [piece for piece in re.split(r"[,;]", text) if piece.strip()]
    return len(pieces) >= 3 and sum(len(_words(piece)) for piece in pieces) / len(pieces) <= 5


def is_head(text: str, title: str | None) -> bool:
    folded = _fold(text)
    if not folded or text.rstrip().endswith((":", "!", ",", ".", "?")):
        return False
    if title and ((len(folded) > 12 and folded in _fold(title)) or _fold(title).startswith(folded + " ")):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters) and not CLASSIFICATION.fullmatch(text.strip())


def split_fields(line: Line) -> list[Span]:
    """Fields of a header line, split at runs of non-breaking or wide white space."""
    span = Span(line.text, line.offset)
    pieces: list[Span] = []
    start = 0
    for m in FIELD_SEPARATOR.finditer(line.text):
        if m.start() > start:
            pieces.append(span.sub(start, m.start()))
        start = m.end()
    if start < len(line.text):
        pieces.append(span.sub(start))
    pieces = [p.strip() for p in pieces if p.text.strip()]
    merged: list[Span] = []
    for piece in pieces:
        if merged and (BARE_LABEL.match(merged[-1].text) or merged[-1].text.endswith(":")):
            previous = merged.pop()
            merged.append(span.sub(previous.offset - line.offset, piece.offset - line.offset + len(piece.text)))
        else:
            merged.append(piece)
    return merged


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def fold_label(label: str) -> str:
    """'Date of Info.' -> 'date of info': the key of FIELD_LABELS."""
    return " ".join(re.sub(r"[.:]", " ", label.lower()).split())


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def labelled(span: Span) -> tuple[str | None, Span, Span] | None:
    """(type or None for an unknown label, label with its colon, value) of a `Label: value` field."""
    m = LABELLED.match(span.text)
    if not m or m["label"].rstrip().endswith((".", ",")) and fold_label(m["label"]) not in FIELD_LABELS:
        return None
    colon = span.text.index(":", m.end("label"))
    label = span.sub(0, colon + 1)
    value = span.sub(m.start("value")).strip() if m["value"].strip() else Span("", span.offset + len(span.text))
    folded = fold_label(m["label"])
    # "Distribution list - 11 copies:": the label with a count of copies after it.
    kind = FIELD_LABELS.get(folded) or FIELD_LABELS.get(re.sub(r"\s*-?\s*\d+\s+cop(?:y|ies)$", "", folded))
    return kind, label, value


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def field_type(text: str) -> str | None:
    """The type of an unlabelled header field, recognised by its shape, or None."""
    if re.match(r"^\[(?:Stamp|Seal)\b", text):
        return "stamp"
    if HANDLING_PHRASE.search(text):
        return "handling"
    if CC.search(text):
        return "cc"
    if SENDER.match(text) or SHORT_FROM.match(text):
        return "sender"
    if SUBJECT.match(text):
        return "subject"
    if ADDRESSEE.match(text):
        return "addressee"
    transmission = TRANSMISSION.match(text)
    if transmission and len(_alpha_words(text)) <= 20:
        verb = transmission["verb"].split()[0].lower()
        return TRANSMISSION_TYPE.get(verb, "decoded")
    if SERIAL.match(text):
        return "serial"
    if PRECEDENCE.search(text):
        return "precedence"
    if HANDLING.search(text):
        return "handling"
    if CLASSIFICATION.search(text) or CLASSIFICATION_LINE.match(text.strip()):
        return "classification"
    if parse_date_line(text) or _PLACE_DATE.match(text) or NUMERIC_DATELINE.match(text):
        return "date"
    if FORM_NAME.match(text.strip()):
        return "form"
    if REFERENCE_ONLY.match(text.strip()):
        return "serial"
    return None


# "Moscow, 12 March 1965", "Beijing, October 30, 1964": a place and a full date.
_PLACE_DATE = re.compile(r"^[A-Z][\w.'’ -]{1,40},\s*(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4})\.?$")
# "SOFIA, 71. 10. 03", "Berlin, 3.X.1971", "Warsaw, 12.03.1965", "Prague 1968-08-21": a place and a numeric date.
NUMERIC_DATELINE = re.compile(
    r"^(?:(?P<place>[A-ZÀ-Ý][\w.'’ -]{1,40}?),?\s+)?(?:the\s+)?(?P<date>(?P<a>\d{1,4})\s*[./-]\s*(?P<b>\d{1,2}|[IVX]{1,4})\s*[./-]\s*(?P<c>\d{2,4}))\.?(?:\s*(?:г\.|year))?$"
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}


def numeric_date(text: str, near: str | None) -> tuple[int, int, str] | None:
    """(start, end, ISO day) of a numeric date in a dateline, or None when the order is not clear.

    Two-digit fields are read against the document's own date `near` (YY. MM. DD in
    Bulgarian and Hungarian cables, DD.MM.YY elsewhere): only a reading that falls in the
    document's year is taken.
    """
    m = NUMERIC_DATELINE.match(text.strip())
    if not m:
        return None
    lead = len(text) - len(text.lstrip())
    a, b, c = m["a"], m["b"], m["c"]
    month = _ROMAN[b] if b in _ROMAN else int(b)
    readings: list[tuple[int, int, int]] = []
    if len(a) == 4:
        readings.append((int(a), month, int(c)))
    elif len(c) == 4:
        readings.append((int(c), month, int(a)))
        if not b in _ROMAN and int(a) <= 12 and int(b) > 12:  # US order: 10.31.1962
            readings = [(int(c), int(a), int(b))]
    else:
        year_near = int(near[:4]) if near and near[:4].isdigit() else None
        if year_near is None:
            return None
        century = year_near // 100 * 100
        for year, day in ((century + int(a), int(c)), (century + int(c), int(a))):
            if year == year_near:
                readings.append((year, month, day))
    for year, month_value, day in readings:
        if 1 <= month_value <= 12 and 1 <= day <= 31 and 1000 <= year <= 2100:
            try:
                import datetime

                datetime.date(year, month_value, day)
            except ValueError:
                continue
            return lead + m.start("date"), lead + m.end("date"), f"{year:04d}-{month_value:02d}-{day:02d}"
    return None


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def is_salute(text: str) -> bool:
    stripped = text.strip()
    m = re.match(r"^(?P<who>(?:Dear\s+)?[A-Z][\w.’'\- ]{0,70}?)\s*[:!,]\s*(?:\([^)]{1,40}\))?\s*$", stripped)
    if not m:
        return False
    who = m["who"].strip()
    if fold_label(who) in FIELD_LABELS or PARTICIPANTS.match(stripped) or SIDE.match(stripped):
        return False
    # "Comrade Xu Huang of Xinjiang Foreign Affairs Department:": an address may be longer.
    limit = 10 if re.match(r"(?:Dear|Comrade|Comrades|Cde\.?|Esteemed|Respected|Mr\.?|Mrs\.?|Ambassador|Minister)\b", who) else 6
    return len(who.split()) <= limit and who.lower() not in SALUTE_LABELS and not DIST_LABEL.match(stripped)


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def is_distribution_start(text: str) -> bool:
    return bool(DIST_LABEL.match(text) or COPY_NOTE.match(text))


def _is_form_label(text: str) -> bool:
    m = LABELLED.match(text.strip())
    return bool(m) and fold_label(m["label"]) in FORM_LABELS


class _Flags:
    """What each line of the document text is, computed once so no section rescans the rest.

    `cont_from[i]`: some line at or after i is prose that is neither a list nor a distribution
    line (more document text follows); `prose_upto[i]`: prose lines before i; `form_from[i]`:
    the first line at or after i that opens a report form (two form fields in a row).
    """

    def __init__(self, lines: list[Line]) -> None:
        texts = [line.text.strip() for line in lines]
        n = len(texts)
        self.prose = [is_prose(t) for t in texts]
        self.dist = [is_distribution_start(t) for t in texts]
        # A date line is short; a list or a transmission line matters only where it looks like prose.
        self.date = [len(t) <= 80 and _is_date_line(t) for t in texts]
        self.list_like = [p and is_list_like(t) for p, t in zip(self.prose, texts)]
        form = [":" in t and _is_form_label(t) for t in texts]
        # "Typed by X on 10/14/50 at 13:30 p.m." closes a cable; it opens no further document.
        self.transmission = transmission = [p and bool(TRAILER.match(t) or TRANSMISSION.match(t)) for p, t in zip(self.prose, texts)]
        self.prose_upto = [0] * (n + 1)
        for i in range(n):
            self.prose_upto[i + 1] = self.prose_upto[i] + (1 if self.prose[i] else 0)
        self.cont_from = [False] * (n + 1)
        self.form_from = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            self.cont_from[i] = self.cont_from[i + 1] or (self.prose[i] and not self.list_like[i] and not self.dist[i] and not transmission[i])
            opens = form[i] and i + 1 < n and (form[i + 1] or (i + 2 < n and form[i + 2]))
            self.form_from[i] = i if opens else self.form_from[i + 1]


def read_structure(lines: list[Line], title: str | None) -> Structure:
    warnings: list[str] = []
    lines = _join_open_brackets(lines)
    marks = {m["n"] for line in lines for m in FOOTNOTE_MARK.finditer(line.text) if not FOOTNOTE_LINE.match(line.text)}
    glued = _glued_marks(lines, marks)
    marks |= set(glued)
    footnotes: dict[str, Span] = {}
    document_lines: list[Line] = []
    for line in lines:
        m = FOOTNOTE_LINE.match(line.text.strip())
        if m and m["n"] in marks and m["n"] not in footnotes:
            lead = len(line.text) - len(line.text.lstrip())
            footnotes[m["n"]] = Span(line.text, line.offset).sub(lead + m.end()).strip()
        else:
            document_lines.append(line)
    speakers = _speakers(document_lines)
    conversation = sum(1 for line in document_lines if _speaker(line.text, speakers)) >= 2
    flags = _Flags(document_lines)
    sections: list[Section] = []
    start = 0
    while start < len(document_lines):
        section, after = _read_section(document_lines, start, flags, title, conversation, speakers, warnings, first=not sections)
        sections.append(section)
        start = max(after, start + 1)
        title = None
    return Structure(sections=sections or [Section()], footnotes=footnotes, warnings=warnings, glued=glued)


# A footnote number the staging copy glued to the word it follows: "JELEN1", "Czesak2".
GLUED_MARK = re.compile(r"(?<=[^\W\d_]{2})(?P<n>\d{1,2})(?=[\s,.;:)\]]|$)")


def _glued_marks(lines: list[Line], marks: set[str]) -> dict[str, int]:
    """Page offsets of footnote numbers glued to words, for footnote lines no bracket mark points to.

    Only the first such number before the footnote lines counts, so a stray digit elsewhere
    is left alone.
    """
    first_note = next((i for i, line in enumerate(lines) if FOOTNOTE_LINE.match(line.text.strip())), None)
    if first_note is None:
        return {}
    wanted = {m["n"] for line in lines[first_note:] if (m := FOOTNOTE_LINE.match(line.text.strip())) and m["n"] not in marks}
    found: dict[str, int] = {}
    for line in lines[:first_note]:
        if not wanted:
            break
        for m in GLUED_MARK.finditer(line.text):
            if m["n"] in wanted:
                found[m["n"]] = line.offset + m.start("n")
                wanted.discard(m["n"])
    return found


def _join_open_brackets(lines: list[Line]) -> list[Line]:
    """A bracket opened on one line and closed within the next four ("[Stamp: ...") is one line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        depth = line.text.count("[") - line.text.count("]")
        if depth > 0 and "[" in line.text:
            j = i + 1
            text = line.text
            while j < len(lines) and j <= i + 4 and depth > 0 and lines[j].number <= lines[j - 1].number + 2:
                text += "\n" + lines[j].text
                depth += lines[j].text.count("[") - lines[j].text.count("]")
                j += 1
            if depth == 0:
                out.append(Line(line.number, line.offset, text))
                i = j
                continue
        out.append(line)
        i += 1
    return out


def _speaker_words(speaker: str) -> list[str]:
    return re.sub(r"\[[^\]]*\]|[()]", " ", speaker).split()


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def _speaker_label(text: str) -> re.Match[str] | None:
    """A 'Name:' label that can open a turn: 'East (MÜLLER):', 'Chairman:', 'Zhou [Enlai]:'."""
    m = SPEAKER.match(text.strip())
    if not m:
        return None
    speaker = m["speaker"]
    words = _speaker_words(speaker)
    if not words or not all(word[0].isupper() or word[0].isdigit() or word in ("of", "de", "van", "von", "the", "and") for word in words):
        return None
    if words[0] in ("We", "I", "It", "This", "That", "There", "They", "He", "She", "Our", "The", "In", "On", "As", "First", "Second", "Third", "Note", "NB"):
        return None
    stripped = text.strip()
    if len(words) > 5 or words[0].lower() in SALUTE_LABELS or DIST_LABEL.match(stripped) or PARTICIPANTS.match(stripped) or SIDE.match(stripped):
        return None
    if fold_label(speaker) in FIELD_LABELS or SERIAL.match(speaker) or SUBJECT.match(stripped) or ADDRESSEE.match(stripped) or SENDER.match(stripped):
        return None
    # "Level: Most Urgent" is a field; a turn that mentions what was checked is still a turn.
    if len(_words(stripped[m.end():])) < 6 and field_type(stripped) in ("precedence", "handling", "serial", "cc", "classification"):
        return None
    return m


def _speakers(lines: list[Line]) -> frozenset[str]:
    """Labels that open a turn of some length somewhere on the page: their short turns are turns too."""
    found: set[str] = set()
    for line in lines:
        m = _speaker_label(line.text)
        if m and len(_words(line.text.strip()[m.end():])) >= 4:
            found.add(m["speaker"])
    return frozenset(found)


def _speaker(text: str, speakers: frozenset[str] = frozenset()) -> re.Match[str] | None:
    m = _speaker_label(text)
    if not m:
        return None
    # A turn in a conversation says something; "Level: Urgent" is a header field.
    if len(_words(text.strip()[m.end():])) < 4 and m["speaker"] not in speakers:
        return None
    return m


def _header_fields(line: Line, conversation: bool, speakers: frozenset[str]) -> list[Field] | None:
    """The fields of a header line, or None when the line is not one."""
    text = line.text.strip()
    pieces = split_fields(line)
    fields: list[Field] = []
    for piece in pieces:
        found = labelled(piece)
        if found is not None:
            kind, label, value = found
            if kind is None:
                # An unknown label is a field when its value is short, or absent; a long
                # value after a name is a turn of a conversation or a paragraph.
                if is_prose(value.text) or (conversation and _speaker(piece.text, speakers)):
                    return None
                kind = "field"
            fields.append(Field(kind, value, label=label))
            continue
        fields.append(Field(field_type(piece.text), piece))
    if not any(f.type for f in fields):
        return None
    strong = fields[0].type in ("cc", "subject", "sender", "addressee", "serial", "sent", "received", "decoded", "handling", "stamp") and len(_alpha_words(text)) <= 16
    if any(f.label is not None for f in fields) or len(fields) > 1 or not is_prose(text) or strong:
        return [f if f.type else Field("field", f.span) for f in fields]
    return None


def _read_section(
    lines: list[Line], start: int, flags: _Flags, title: str | None, conversation: bool, speakers: frozenset[str], warnings: list[str], *, first: bool = True
) -> tuple[Section, int]:
    section = Section()
    index = start
    first_text = lines[start].text.strip()
    if not first and len(_words(first_text)) <= 8 and not flags.prose[start] and not flags.dist[start] and first_text[:1].isupper() and _header_fields(lines[start], conversation, speakers) is None:
        # A document that follows another on the page opens with its own title ("List of Exhibits").
        section.head = Span(lines[start].text, lines[start].offset).strip()
        index += 1
    # Header block: fields, the inner title, copy notes and the salutation.
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        target = section.opener if section.head is None else section.opener_after_head
        if is_salute(text) and not _speaker_line(text, conversation, speakers):
            section.salute = Span(line.text, line.offset).strip()
            index += 1
            break
        if index == start and BRACKETS_ONLY.match(text) and not FOOTNOTE_LINE.match(text):
            # '[…]' before the heading: text left out at the head of the document.
            target.append(Field("omission", Span(line.text, line.offset).strip()))
            index += 1
            continue
        fields = _header_fields(line, conversation, speakers)
        letterhead = not section.opener or section.opener[-1].type == "sender" and section.opener[-1].label is None
        if fields is None and letterhead and len(_words(text)) <= 12 and not text.endswith((".", "!", "?")) and INSTITUTION.search(text) and index + 1 < len(lines) and not _speaker_line(text, conversation, speakers) and not (title and is_head(text, title) and not text.isupper()):
            # The issuing body's name above the header fields of a letter or telegram
            # (a letterhead in capitals too, and the unit under it).
            fields = [Field("sender", Span(line.text, line.offset).strip())]
        if section.head is None and is_head(text, title) and (fields is None or fields[0].type in ("form", "field") and len(fields) == 1 and fields[0].label is None and not FORM_NAME.match(text)):
            section.head = Span(line.text, line.offset).strip()
            index += 1
            continue
        if fields is None and section.opener and _routing_run(lines, index) >= 2:
            # Recipients listed one a line under the address ("Politburo", "Czesak2", "[?]").
            for _ in range(_routing_run(lines, index)):
                target.append(Field("routing", Span(lines[index].text, lines[index].offset).strip()))
                index += 1
            continue
        if fields is None or _speaker_line(text, conversation, speakers) and not any(f.label is not None and f.type != "field" for f in fields) or is_distribution_start(text) or PARTICIPANTS.match(text):
            break
        index += 1
        # A bare label ("Report No.:") takes its value from the next line; a value that ends
        # with a comma or "and" goes on over the next line.
        last = fields[-1]
        if last.label is not None:
            while index < len(lines):
                following = lines[index].text.strip()
                if not following or labelled(Span(following, 0)) or is_distribution_start(following) or PARTICIPANTS.match(following):
                    break
                if last.span.text and not last.span.text.endswith((",", " and", ";", "-", "–")) or flags.prose[index] and last.span.text:
                    break
                if not last.span.text and (is_prose(following) or _header_fields(lines[index], conversation, speakers)):
                    break
                value = Span(lines[index].text, lines[index].offset).strip()
                if not last.span.text:
                    fields[-1] = last = Field(last.type, value, label=last.label)
                else:
                    fields.append(Field(last.type, value))
                    last = Field(last.type, value, label=last.label)
                index += 1
        target.extend(fields)
    body_start = index
    # A second document on the page begins after a signature and date that more prose follows,
    # or where a report form opens after prose.
    end = _end_of_document(lines, body_start, flags)
    # Where the body ends: after the last prose line that precedes the distribution.
    dist_at = next((i for i in range(body_start, end) if flags.dist[i]), end)
    last_prose = body_start - 1
    for i in range(body_start, dist_at):
        text = lines[i].text.strip()
        if (flags.prose[i] and not flags.transmission[i]) or LIST_MARK.match(text) or _speaker_line(text, conversation, speakers) or PARTICIPANTS.match(text):
            last_prose = i
    i = body_start
    while i <= last_prose:
        i = _read_body_line(lines, i, last_prose, section, conversation, speakers)
    for block in section.body:
        if block.kind != "p" or is_prose(block.span.text):
            break
        if BRACKETS_ONLY.match(block.span.text):
            continue  # '[…]': the editor's mark of an omission, document text
        warnings.append(f"line {block.line}: '{block.span.text[:60]}' is not a header field the converter knows; kept as a paragraph")
    for line in lines[last_prose + 1 : dist_at]:
        text = line.text.strip()
        span = Span(line.text, line.offset).strip()
        if TRAILER.match(text):
            section.trailer.append(Block("trailer", span, line=line.number))
        elif CLOSING_SALUTE.match(text):
            section.closer.append(Block("salute", span, line=line.number))
        elif _is_date_line(text):
            section.closer.append(Block("dateline", span, line=line.number))
        else:
            section.closer.append(Block("signed", span, line=line.number))
    # Distribution, up to a line of prose that opens a further document.
    i = dist_at
    while i < end:
        text = lines[i].text.strip()
        if flags.prose[i] and not flags.list_like[i] and not flags.dist[i] and section.distribution and not COPY_NOTE.search(text):
            break
        _read_distribution_line(lines[i], section)
        i += 1
    _check_copy_counts(section, warnings)
    return section, i


def _check_copy_counts(section: Section, warnings: list[str]) -> None:
    """A page whose counts per recipient exceed its own total contradicts itself: the counts stay
    text (the total is what the page states first), and a warning says so."""
    counted = [item for block in section.distribution if block.kind == "copies" for item in block.items if item.count_span is not None and not item.total]
    totals = [block.count for block in section.distribution if block.kind == "copynote" and block.count is not None]
    totals += [item.count for block in section.distribution if block.kind == "copies" for item in block.items if item.total and item.count is not None]
    listed = sum(item.count or 0 for item in counted)
    if counted and totals and min(totals) < listed:
        line = next((block.line for block in section.distribution if block.kind == "copies"), 0)
        warnings.append(f"line {line}: the copies counted for the recipients ({listed}) exceed the total the page states ({min(totals)}); the counts are kept as text")
        for block in section.distribution:
            if block.kind == "copies":
                block.items = [ListItem(item.span, label=item.label, role=item.role) if item.count_span is not None and not item.total else item for item in block.items]


@lru_cache(maxsize=8192)  # a pure function of the line, asked several times per line
def _is_date_line(text: str) -> bool:
    return bool(parse_date_line(text) or re.search(r",\s*\d{1,2}\s+\w+\s+\d{4}$|\w+\s+\d{1,2},\s*\d{4}$", text) or NUMERIC_DATELINE.match(text))


_ROUTING_NAME = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]*\d{0,2})(?:\s+[A-ZÀ-Ý][\w'’.-]*\d{0,2})?$|^\[[^\]]{1,20}\]$")


def _routing_run(lines: list[Line], start: int) -> int:
    """How many lines from `start` are a run of one or two capitalised words (or a short bracket)."""
    end = start
    while end < len(lines) and end - start < 12 and _ROUTING_NAME.match(lines[end].text.strip()) and not is_salute(lines[end].text.strip()):
        end += 1
    return end - start


def _end_of_document(lines: list[Line], start: int, flags: _Flags) -> int:
    """Index after the first closing (signature lines, then a date) that prose follows, or
    before a report form that opens after prose; len(lines) when neither comes."""
    n = len(lines)
    form_at = flags.form_from[start + 1] if start + 1 <= n else n
    if form_at < n and flags.prose_upto[form_at] - flags.prose_upto[start] > 0:
        # The form's own title lines ("INFORMATION REPORT", "SECRET") go with it.
        back = form_at
        while back - 1 > start and form_at - back < 3 and not flags.prose[back - 1] and not flags.dist[back - 1] and len(_words(lines[back - 1].text)) <= 6:
            back -= 1
        limit = back
    else:
        limit = n
    for i in range(start + 2, min(limit, n - 1)):
        if not flags.date[i]:
            continue
        signature = i - 1
        if flags.prose[signature] or flags.dist[signature] or flags.prose_upto[i - 1] - flags.prose_upto[start] == 0:
            continue
        if flags.dist[i + 1]:
            continue  # the distribution of this document follows
        if flags.cont_from[i + 1]:
            return i + 1
    return limit


def _speaker_line(text: str, conversation: bool, speakers: frozenset[str] = frozenset()) -> bool:
    return conversation and _speaker(text, speakers) is not None


def _read_body_line(lines: list[Line], i: int, last: int, section: Section, conversation: bool, speakers: frozenset[str] = frozenset()) -> int:
    line = lines[i]
    text = line.text
    span = Span(text, line.offset).strip()
    mark = LIST_MARK.match(text.strip())
    if mark:
        block = Block("list", span, type="ordered" if mark["label"][0] not in "-•–" else "bulleted", line=line.number)
        style = _list_style(mark["label"])
        while i <= last:
            current = lines[i]
            m = LIST_MARK.match(current.text.strip())
            if not m or _list_style(m["label"]) != style:
                break
            current_span = Span(current.text, current.offset).strip()
            block.items.append(ListItem(current_span.sub(m.end()), label=current_span.sub(0, len(m["label"]))))
            i += 1
        section.body.append(block)
        return i
    participants = PARTICIPANTS.match(text.strip())
    if participants:
        block = Block("list", span, type="participants", head=span.sub(0, participants.end()), line=line.number)
        rest = span.sub(participants.end()).strip()
        i += 1
        group: tuple[Span, list[ListItem]] | None = None
        pending: list[tuple[Span, bool]] = [(rest, True)] if rest.text else []
        while True:
            for piece, inline in pending:
                side = SIDE.match(piece.text)
                if side:
                    group = (piece.sub(0, side.end()).strip(), [])
                    block.groups.append(group)
                    piece = piece.sub(side.end()).strip()
                    if not piece.text:
                        continue
                role = labelled(piece)
                if role is not None and role[0] in ("interpreter", "recorder"):
                    items = [ListItem(role[2], role=role[1])]
                else:
                    # One person a line ("ZHOU Enlai, Premier"); the line of the label itself is a list.
                    items = [ListItem(p) for p in (_split_items(piece) if (inline and not block.groups) or ";" in piece.text else [piece]) if p.text]
                (group[1] if group is not None else block.items).extend(items)
            pending = []
            if i > last or (rest.text and not block.groups and not _is_role_line(lines[i].text)):
                break
            following = lines[i].text.strip()
            if _is_role_line(following):
                group = None
                block.groups.append((None, []))
                group = block.groups[-1]
            elif _running_text(following) or LIST_MARK.match(following) or _speaker_line(following, conversation, speakers) or (labelled(Span(following, 0)) and not SIDE.match(following)):
                break
            pending = [(Span(lines[i].text, lines[i].offset).strip(), False)]
            i += 1
        section.body.append(block)
        return i
    speaker = _speaker(text.strip(), speakers) if conversation else None
    if speaker:
        section.body.append(Block("sp", span.sub(speaker.end()), speaker=span.sub(0, speaker.end()).strip(), line=line.number))
        return i + 1
    section.body.append(Block("p", span, line=line.number))
    return i + 1


def _is_role_line(text: str) -> bool:
    """'Interpreter: Ri Myong', 'Recorder: ...' under a participants list: persons present too."""
    found = labelled(Span(text.strip(), 0))
    return found is not None and found[0] in ("interpreter", "recorder") and not is_prose(found[2].text)


def _running_text(text: str) -> bool:
    """Prose, as opposed to a participant's line with a long title."""
    words = _words(text)
    return len(words) >= 16 or (len(words) >= 8 and text.rstrip().endswith((".", "!", "?")))


def _list_style(label: str) -> str:
    """'(1)', '1)', '1.', '(a)', 'a)', '-': a change of style starts a new list."""
    return re.sub(r"\d+", "9", re.sub(r"[a-zA-Z]", "a", label)).replace("•", "-").replace("–", "-")


def _split_items(span: Span) -> list[Span]:
    """Recipients separated by commas or semicolons; a count '(2)' also ends an item."""
    pieces: list[Span] = []
    start = 0
    text = span.text
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char in "[(":
            depth += 1
        elif char in "])":
            depth = max(0, depth - 1)
            if char == ")" and COUNT.fullmatch(text[text.rfind("(", 0, index) : index + 1]) and index + 1 < len(text) and text[index + 1 :].strip() and text[index + 1 :].lstrip()[0] not in ",;":
                pieces.append(span.sub(start, index + 1).strip())
                start = index + 1
        elif char in ",;" and depth == 0:
            pieces.append(span.sub(start, index).strip())
            start = index + 1
        index += 1
    pieces.append(span.sub(start).strip())
    return [piece for piece in pieces if piece.text]


def _read_distribution_line(line: Line, section: Section) -> None:
    span = Span(line.text, line.offset).strip()
    text = span.text
    # Several labelled fields on one line: "Distributed: 31 [October] 1:15      Copied: 2 [November] 23:30"
    fields = split_fields(line)
    labelled = [piece for piece in fields if DIST_LABEL.match(piece.text)]
    if len(fields) > 1 and len(labelled) == len(fields) and all(_is_date_field(piece) for piece in fields):
        for piece in fields:
            label = DIST_LABEL.match(piece.text)
            assert label is not None
            section.distribution.append(Block("distdate", piece, type=label["label"].lower(), line=line.number))
        return
    label = DIST_LABEL.match(text)
    if label and _is_date_field(span):
        section.distribution.append(Block("distdate", span, type=label["label"].lower(), line=line.number))
        return
    if label and label["label"].lower() in ("copies", "copy", "distribution", "distribution list", "recipients", "copied"):
        block = Block("copies", span, type="distribution", head=span.sub(0, label.end()), line=line.number)
        block.items.extend(_items(span.sub(label.end()).strip()))
        section.distribution.append(block)
        return
    numbered = NUMBERED_COPY.match(text)
    if numbered:
        # 'copies NºNº 1-2 to Cde. X': a recipient and how many of the numbered copies went there.
        first, last = int(numbered["first"]), int(numbered["last"] or numbered["first"])
        item = ListItem(span, count=last - first + 1 if last >= first else None, count_span=span.sub(0, numbered.end("phrase")))
        if item.count is None:
            item = ListItem(span)
        previous = section.distribution[-1] if section.distribution else None
        if previous is not None and previous.kind == "copies" and previous.head is None:
            previous.items.append(item)
        else:
            section.distribution.append(Block("copies", span, type="distribution", items=[item], line=line.number))
        return
    if COPY_NOTE.match(text) or label:
        m = COPY_NOTE.match(text)
        count = number_value(m["count"]) if m and m.group("count") else None
        section.distribution.append(Block("copynote", span, count=count, line=line.number))
        return
    previous = section.distribution[-1] if section.distribution else None
    if previous is not None and previous.kind == "copies":
        previous.items.extend(_items(span))
        return
    section.distribution.append(Block("copynote", span, line=line.number))


def _is_date_field(span: Span) -> bool:
    label = DIST_LABEL.match(span.text)
    rest = span.text[label.end() :] if label else span.text
    return bool(rest.strip()) and bool(find_dates(rest, "1900-01-01")) and len(_words(rest)) <= 6


def _items(span: Span) -> list[ListItem]:
    items: list[ListItem] = []
    for piece in _split_items(span):
        total = TOTAL.match(piece.text)
        count = COUNT.search(piece.text)
        if total and number_value(total["n"]) is not None:
            items.append(ListItem(piece, count=number_value(total["n"]), total=True))
        elif count and piece.text.rstrip().endswith(")"):
            items.append(ListItem(piece, count=int(count["n"]), count_span=piece.sub(count.start(), count.end())))
        else:
            items.append(ListItem(piece))
    return items
