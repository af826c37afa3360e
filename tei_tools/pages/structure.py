"""The document's lines -> its parts: opener fields, head, salute, paragraphs, closer, distribution."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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


@dataclass
class ListItem:
    span: Span
    label: Span | None = None
    count: int | None = None
    count_span: Span | None = None
    total: bool = False


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


@dataclass
class Section:
    """One document of a page (a page can hold two: a letter and its attachment)."""

    opener: list[Field] = field(default_factory=list)
    head: Span | None = None
    opener_after_head: list[Field] = field(default_factory=list)
    salute: Span | None = None
    body: list[Block] = field(default_factory=list)
    closer: list[Block] = field(default_factory=list)
    distribution: list[Block] = field(default_factory=list)


@dataclass
class Structure:
    sections: list[Section]
    footnotes: dict[str, Span]
    warnings: list[str]


CLASSIFICATION = re.compile(
    r"\b(?:Top Secret|TOP SECRET|Strictly Secret|Strictly Confidential|Secret|SECRET|Confidential|CONFIDENTIAL|Restricted|Eyes Only|For Official Use Only|Classified)\b"
)
PRECEDENCE = re.compile(r"^(?:Level|Precedence|Urgency|Priority)\b|\b(?:Most Urgent|Extra Urgent|Very Urgent|Extremely Urgent|Urgent|URGENT|Immediate|IMMEDIATE|Flash|FLASH|Routine|ROUTINE)\b")
SERIAL = re.compile(r"^(?:(?:Special|Dispatch|Serial|Telegram|Cable|Outgoing|Incoming|Document|Registration|Copy|Ref\.?)\s+)?(?:No\.|Nos?\b|Number|number|Nº|N°|#)\s*:?|^Serial number\b", re.I)
ADDRESSEE = re.compile(r"^(?:Sent to|To|Addressee|Addressed to|For)\b\s*:?", re.I)
SENDER = re.compile(r"^(?:From|Sender)\b\s*:", re.I)
SUBJECT = re.compile(r"^(?:Subject|Re|Regarding|Concerning)\s*:", re.I)
CC = re.compile(r"\balso copied\b|^(?:Copied to|Copy to|Copies to|cc)\b\s*:?", re.I)
HANDLING = re.compile(
    r"\b(?:reviewed|Approved by|Drafted|Notes? appended|Typed|Checked|Cleared|Signed by|Coded|Decoded|Deciphered|Received|Dispatched|Registered|Handed|Prepared by|Place of dispatch|Sent:)\b",
    re.I,
)
INSTITUTION = re.compile(r"\b(?:Embassy|Legation|Consulate|Ministry|Committee|Department|Office|Bureau|Mission|Delegation|Headquarters|Secretariat|Presidium|Council)\b")
BARE_LABEL = re.compile(r"^(?:Level|Precedence|Urgency|Priority|Classification|Number|No\.)$", re.I)
FIELD_SEPARATOR = re.compile(r"[ \t]*\u00a0[ \t\u00a0]*|[ \t]{3,}|\t+")
LIST_MARK = re.compile(r"^(?P<label>\(\d{1,2}\)|\d{1,2}\)|\d{1,2}\.(?!\d)|\([a-zA-Z]\)|[a-z]\)|[-•–](?=\s))\s+(?=\S)")
SPEAKER = re.compile(r"^(?P<speaker>[A-Z][^:\n]{0,45}?):\s+(?=\S)")
PARTICIPANTS = re.compile(r"^(?:Participants|Participating|Present|Those present|Attended|In attendance|Attendees)\s*:", re.I)
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


def is_prose(text: str) -> bool:
    words = _words(text)
    stripped = text.rstrip()
    return len(words) >= 9 or (len(words) >= 3 and stripped.endswith((".", "!", "?", "”", '"', ".)")))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(_words(text.lower()))


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


def field_type(text: str) -> str | None:
    if CC.search(text):
        return "cc"
    if SENDER.match(text):
        return "sender"
    if SUBJECT.match(text):
        return "subject"
    if ADDRESSEE.match(text):
        return "addressee"
    if SERIAL.match(text):
        return "serial"
    if PRECEDENCE.search(text):
        return "precedence"
    if HANDLING.search(text):
        return "handling"
    if CLASSIFICATION.search(text):
        return "classification"
    if parse_date_line(text) or _PLACE_DATE.match(text):
        return "date"
    return None


# "Moscow, 12 March 1965", "Beijing, October 30, 1964": a place and a full date.
_PLACE_DATE = re.compile(r"^[A-Z][\w.'’ -]{1,40},\s*(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4})\.?$")


def is_salute(text: str) -> bool:
    stripped = text.strip()
    m = re.match(r"^(?P<who>(?:Dear\s+)?[A-Z][\w.’'\- ]{0,50}?)\s*[:!,]\s*(?:\([^)]{1,40}\))?\s*$", stripped)
    if not m:
        return False
    who = m["who"].strip()
    return len(who.split()) <= 6 and who.lower() not in SALUTE_LABELS and not DIST_LABEL.match(stripped)


def is_distribution_start(text: str) -> bool:
    return bool(DIST_LABEL.match(text) or COPY_NOTE.match(text))


def read_structure(lines: list[Line], title: str | None) -> Structure:
    warnings: list[str] = []
    marks = {m["n"] for line in lines for m in FOOTNOTE_MARK.finditer(line.text) if not FOOTNOTE_LINE.match(line.text)}
    footnotes: dict[str, Span] = {}
    document_lines: list[Line] = []
    for line in lines:
        m = FOOTNOTE_LINE.match(line.text.strip())
        if m and m["n"] in marks and m["n"] not in footnotes:
            lead = len(line.text) - len(line.text.lstrip())
            footnotes[m["n"]] = Span(line.text, line.offset).sub(lead + m.end()).strip()
        else:
            document_lines.append(line)
    conversation = sum(1 for line in document_lines if _speaker(line.text)) >= 2
    sections: list[Section] = []
    rest = document_lines
    while rest:
        section, rest = _read_section(rest, title, conversation, warnings, first=not sections)
        sections.append(section)
        title = None
    return Structure(sections=sections or [Section()], footnotes=footnotes, warnings=warnings)


def _speaker(text: str) -> re.Match[str] | None:
    m = SPEAKER.match(text.strip())
    if not m:
        return None
    speaker = m["speaker"]
    words = speaker.replace("(", " ").replace(")", " ").split()
    if not words or not all(word[0].isupper() or word[0].isdigit() or word in ("of", "de", "van", "von") for word in words):
        return None
    if words[0] in ("We", "I", "It", "This", "That", "There", "They", "He", "She", "Our", "The", "In", "On", "As", "First", "Second", "Third", "Note", "NB"):
        return None
    if len(speaker.split()) > 5 or speaker.split()[0].lower() in SALUTE_LABELS or DIST_LABEL.match(text.strip()) or PARTICIPANTS.match(text.strip()):
        return None
    if SERIAL.match(speaker) or SUBJECT.match(text.strip()) or ADDRESSEE.match(text.strip()) or SENDER.match(text.strip()):
        return None
    if field_type(text.strip()) in ("precedence", "handling", "serial", "cc", "classification"):
        return None
    # A turn in a conversation says something; "Level: Urgent" is a header field.
    if len(_words(text.strip()[m.end():])) < 4:
        return None
    return m


def _read_section(lines: list[Line], title: str | None, conversation: bool, warnings: list[str], *, first: bool = True) -> tuple[Section, list[Line]]:
    section = Section()
    index = 0
    if not first and lines and len(_words(lines[0].text)) <= 8 and not is_prose(lines[0].text.strip()) and not is_distribution_start(lines[0].text.strip()) and lines[0].text.strip()[:1].isupper():
        # A document that follows another on the page opens with its own title ("List of Exhibits").
        section.head = Span(lines[0].text, lines[0].offset).strip()
        index = 1
    # Header block: fields, the inner title, copy notes and the salutation.
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        target = section.opener if section.head is None else section.opener_after_head
        if is_salute(text) and not _speaker_line(text, conversation):
            section.salute = Span(line.text, line.offset).strip()
            index += 1
            break
        if section.head is None and is_head(text, title):
            section.head = Span(line.text, line.offset).strip()
            index += 1
            continue
        fields = split_fields(line)
        typed = [(field_type(piece.text), piece) for piece in fields]
        if not any(kind for kind, _ in typed) and not section.opener and len(_words(text)) <= 12 and not text.endswith((".", "!", "?")) and INSTITUTION.search(text) and index + 1 < len(lines):
            # The issuing body's name above the header fields of a letter or telegram.
            typed = [("sender", Span(line.text, line.offset).strip())]
        if any(kind for kind, _ in typed) and (not is_prose(text) or len(fields) > 1 or typed[0][0] in ("cc", "subject", "sender", "addressee", "serial")):
            if _speaker_line(text, conversation) or is_distribution_start(text):
                break
            target.extend(Field(kind, piece) for kind, piece in typed)
            index += 1
            continue
        break
    body_start = index
    # A second document on the page begins after a signature and date that more prose follows.
    end = _end_of_document(lines, body_start)
    lines, following = lines[:end], lines[end:]
    # Where the body ends: after the last prose line that precedes the distribution.
    dist_at = next((i for i in range(body_start, len(lines)) if is_distribution_start(lines[i].text.strip())), len(lines))
    last_prose = body_start - 1
    for i in range(body_start, dist_at):
        text = lines[i].text.strip()
        if is_prose(text) or LIST_MARK.match(text) or _speaker_line(text, conversation) or PARTICIPANTS.match(text):
            last_prose = i
    i = body_start
    while i <= last_prose:
        i = _read_body_line(lines, i, last_prose, section, conversation)
    for block in section.body:
        if block.kind != "p" or is_prose(block.span.text):
            break
        warnings.append(f"line {block.line}: '{block.span.text[:60]}' is not a header field the converter knows; kept as a paragraph")
    for line in lines[last_prose + 1 : dist_at]:
        text = line.text.strip()
        span = Span(line.text, line.offset).strip()
        if _is_date_line(text):
            section.closer.append(Block("dateline", span, line=line.number))
        else:
            section.closer.append(Block("signed", span, line=line.number))
    # Distribution, up to a line of prose that opens a further document.
    i = dist_at
    while i < len(lines):
        text = lines[i].text.strip()
        if is_prose(text) and not is_list_like(text) and not is_distribution_start(text) and section.distribution and not COPY_NOTE.search(text):
            break
        _read_distribution_line(lines[i], section)
        i += 1
    return section, lines[i:] + following


def _is_date_line(text: str) -> bool:
    return bool(parse_date_line(text) or re.search(r",\s*\d{1,2}\s+\w+\s+\d{4}$|\w+\s+\d{1,2},\s*\d{4}$", text))


def _end_of_document(lines: list[Line], start: int) -> int:
    """Index after the first closing (signature lines, then a date) that prose follows, or len(lines)."""
    for i in range(start + 2, len(lines) - 1):
        text = lines[i].text.strip()
        if not _is_date_line(text):
            continue
        signature = lines[i - 1].text.strip()
        if is_prose(signature) or is_distribution_start(signature) or not any(is_prose(lines[j].text.strip()) for j in range(start, i - 1)):
            continue
        after = [line.text.strip() for line in lines[i + 1 :]]
        if any(is_distribution_start(t) for t in after[:1]):
            continue  # the distribution of this document follows
        if any(is_prose(t) and not is_list_like(t) and not is_distribution_start(t) for t in after):
            return i + 1
    return len(lines)


def _speaker_line(text: str, conversation: bool) -> bool:
    return conversation and _speaker(text) is not None


def _read_body_line(lines: list[Line], i: int, last: int, section: Section, conversation: bool) -> int:
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
        block.items.extend(ListItem(piece) for piece in _split_items(rest) if piece.text)
        i += 1
        while not rest.text and i <= last and not is_prose(lines[i].text.strip()) and not LIST_MARK.match(lines[i].text.strip()):
            block.items.append(ListItem(Span(lines[i].text, lines[i].offset).strip()))
            i += 1
        section.body.append(block)
        return i
    speaker = _speaker(text.strip()) if conversation else None
    if speaker:
        section.body.append(Block("sp", span.sub(speaker.end()), speaker=span.sub(0, speaker.end()).strip(), line=line.number))
        return i + 1
    section.body.append(Block("p", span, line=line.number))
    return i + 1


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
