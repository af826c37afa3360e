"""Archive page text -> a plain page model: metadata fields and the document's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..annotate.dates import parse_date_line, parse_date_range
from ..problems import ConversionError
from .decode import decode_page

#: Site chrome that carries nothing of the document.
CHROME = {"skip to content", "search in", "digital archive international history declassified", "digital archive", "menu", "home", "print", "share", "download",
          "digital archive digitalarchive.wilsoncenter.org international history declassified"}
#: Chrome of the older site: search box, citation and sharing widgets, the document viewer's tabs.
LEGACY_CHROME = {
    "add search filter cancel search filter", "citation share download", "citation", "get citation", "share document",
    "view document in", "english html", "english pdf", "original scan", "english translation", "original language pdf",
}
LEGACY_MARKERS = {"search in", "digital archive international history declassified", "citation share download", "get citation", "add search filter cancel search filter", "share document", "view document in"}
_BULLET = re.compile(r"^[\s\u00a0]*[•·▪◦*-][\s\u00a0]+")

#: Labels of the `Document Information` block (current site) and of the older layout.
INFO_LABELS = {
    "source": "source",
    "rights": "rights",
    "original uploaded date": "uploaded",
    "uploaded date": "uploaded",
    "type": "type",
    "language": "language",
    "original language": "original_language",
    "record id": "record_id",
    "donors": "donors",
    "donor": "donors",
    "funders": "donors",
    "citation": "citation",
    "summary": "summary",
    "credits": "credits",
    "contents": "contents",
    "original archive": "archive",
    "author(s)": "authors",
    "authors": "authors",
    "author": "authors",
    "associated places": "places",
    "associated topics": "topics",
    "subjects discussed": "subjects",
    "associated people & organizations": "people",
    "associated people and organizations": "people",
    "related documents": "related",
    "translated by": "translator",
    "date": "date",
    "title": "title",
}
#: Fields the older layout gives as labelled blocks before the text (title and date are its
#: own lines; a translator is read from the citation).
LEGACY_BLOCK_FIELDS = frozenset(INFO_LABELS.values()) - {"translator", "date", "title"}
_FUNDER = re.compile(r"^This document was made possible with (?:generous )?support from (?P<funder>.+?)\.?$", re.I)
_TRANSLATOR = re.compile(r"\b[Tt]ranslated (?:\w+ ){0,4}?by (?P<name>(?:\b[A-Z]\.\s|[^.])+)")
_RECORD_URL = re.compile(r"https?://digitalarchive\.wilsoncenter\.org/document/(?:[\w-]+/)?(?P<id>[0-9]+)")
_LABEL_LINE = re.compile(r"^(?P<label>[A-Z][A-Za-z()& ]{1,40}?):\s*(?P<value>.*)$")
_BLANK = re.compile(r"^[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]*$")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the document text and where it stands in the source."""

    number: int
    offset: int
    text: str


@dataclass
class Page:
    """What a page says, before any TEI is made."""

    name: str
    layout: str = "current"
    date: str | None = None
    date_text: str | None = None
    date_range: tuple[str, str] | None = None  # a page dated by a span: (notBefore, notAfter)
    title: str | None = None
    funders: list[str] = field(default_factory=list)
    summary: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    unlabelled: list[str] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""
    related: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)  # (date, title, summary)
    preceding: list[str] = field(default_factory=list)  # text before the date line that belongs to another document
    roles: dict[int, str] = field(default_factory=dict)  # line number -> chrome, header or document

    @property
    def record_id(self) -> str | None:
        value = self.fields.get("record_id", "").strip()
        if re.fullmatch(r"[0-9]+", value):  # ASCII only: \d takes any script's digits
            return value
        for key in ("citation", "source"):
            found = _RECORD_URL.search(self.fields.get(key, ""))
            if found:
                return found["id"]
        return None

    @property
    def translator(self) -> str | None:
        if self.fields.get("translator"):
            return self.fields["translator"].strip().rstrip(".")
        for key in ("source", "citation", "credits"):
            found = _TRANSLATOR.search(self.fields.get(key, ""))
            if found:
                # 'Margaret K. Gnoinska (Troy University)': the person, not the affiliation.
                return re.sub(r"\s*\([^)]*\)\s*$", "", found["name"].strip()) or found["name"].strip()
        return None


def _is_blank(text: str) -> bool:
    return bool(_BLANK.match(text))


@lru_cache(maxsize=8192)  # asked of every line several times
def _label_of(text: str) -> tuple[str, str] | None:
    """(field key, value on the same line) when `text` is an information label."""
    stripped = text.strip().strip("\u00a0").strip()
    key = INFO_LABELS.get(stripped.rstrip(":").strip().lower())
    if key:
        return key, ""
    m = _LABEL_LINE.match(stripped)
    if m and m["label"].strip().lower() in INFO_LABELS:
        return INFO_LABELS[m["label"].strip().lower()], m["value"].strip()
    return None


def _looks_like_page(text: str) -> bool:
    head = text[:4000]
    if re.search(r"^\s*(Document Information|Citation:?|Record ID|Skip to content|Search in)\s*$", text, re.M):
        return True
    lines = [line for line in head.split("\n") if not _is_blank(line)][:6]
    return any(parse_date_line(line) or parse_date_range(line) for line in lines)


def read_page_bytes(data: bytes, name: str) -> Page:
    """Decode and read a page; raises ConversionError for input that is not an archive page."""
    if not data.strip():
        raise ConversionError("empty input: no page text")
    decoded = decode_page(data)
    page = read_page(decoded.text, name)
    page.warnings[:0] = decoded.warnings
    return page


def read_page(text: str, name: str) -> Page:
    """Read the text of an archive page (already decoded, LF line endings)."""
    probe = text.lstrip("\ufeff \t\n\u00a0")
    if not probe:
        raise ConversionError("empty input: no page text")
    if re.match(r"<\?xml|<TEI\b|<tei:TEI\b", probe):
        raise ConversionError("this is an XML file, not the text of an archive page (convert takes page text; validate takes TEI)")
    if re.match(r"<!DOCTYPE\s+html|<html\b|<head\b|<body\b", probe, re.I):
        raise ConversionError("this is an HTML file; save the archive page as plain text first")
    if not _looks_like_page(text):
        raise ConversionError("not an archive page: no date line, no 'Document Information' or 'Citation' block")

    page = Page(name=name, text=text)
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, offset, raw))
        offset += len(raw) + 1
    content = [line for line in lines if not _is_blank(line.text)]
    if any(_plain(line.text) in LEGACY_MARKERS for line in content[:12]):
        page.layout = "legacy"
    elif len(content) > 4 and len(lines) < len(content) * 1.3:
        page.layout = "staging"  # the staging copy: single line breaks, facet labels left without values
    main_zone = content
    legacy_body: list[Line] | None = None
    if page.layout == "legacy":
        legacy_body = _read_legacy(page, content)
    kept = []
    for line in content if legacy_body is None else legacy_body:
        if _plain(line.text) in CHROME:
            page.roles[line.number] = "chrome"
        else:
            kept.append(line)
    main_zone = kept

    info_at = next((i for i, line in enumerate(main_zone) if _plain(line.text) == "document information"), None)
    main, info = (main_zone, []) if info_at is None else (main_zone[:info_at], main_zone[info_at + 1 :])
    if info_at is not None:
        page.roles[main_zone[info_at].number] = "chrome"
    for line in info:
        page.roles[line.number] = "header"

    main, before_tail = _take_tail(page, main)
    if legacy_body is None:
        main = _read_top(page, main)
    if page.layout == "legacy" or info_at is None:
        main = _read_inline_fields(page, main)
    if before_tail is not None:
        tail_at = next((i + 1 for i, line in enumerate(main) if line is before_tail), None)
    else:
        tail_at = len(main) if info_at is not None else None
    main = _split_summary(page, main, tail_at=tail_at, strict=before_tail is None)
    _read_info(page, info)
    page.body = main
    for line in main:
        page.roles[line.number] = "document"
    for line in content:
        page.roles.setdefault(line.number, "header")
    value = page.fields.get("record_id", "").strip()
    if value and not re.fullmatch(r"\d+", value):
        page.warnings.append(f"Record ID '{value[:40]}' is not a number; the file is identified by a digest of its text")
    if not page.body:
        page.warnings.append("the page has no document text")
    return page


@lru_cache(maxsize=8192)  # asked of every line several times
def _plain(text: str) -> str:
    """A line as the site's chrome and labels are compared: no bullet, no colon, lower case."""
    return _BULLET.sub("", text).strip().strip("\u00a0").strip().rstrip(":").strip().lower()


_DATE_AND_TITLE = re.compile(r"^(?P<date>(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4})\s+(?P<title>[A-Z\"“'].{3,})$")
_QUOTED_CITATION = re.compile(r'^["“](?P<body>.+)$')


def _is_citation(text: str) -> bool:
    stripped = _BULLET.sub("", text).strip()
    return bool(_QUOTED_CITATION.match(stripped)) and ("Digital Archive" in stripped or bool(_RECORD_URL.search(stripped)))


def _title_of_citation(citation: str) -> str | None:
    """'"Report, Embassy of Hungary ...," February 26, 1955, History and ...' -> the quoted title."""
    stripped = citation.strip()
    if not stripped or stripped[0] not in "\"“":
        return None
    archive = stripped.find("Digital Archive")
    window = stripped[: archive if archive > 0 else len(stripped)]
    ends = [m.start() for m in re.finditer(r',?["”](?=,?\s)', window)]
    ends = [end for end in ends if end > 1]
    if not ends:
        return None
    # The title ends at the closing quote that the date follows; inner quotes stay in the title.
    for end in ends:
        after = window[end:].lstrip(',"” ')
        if re.match(r"(?:\w+\.? \d{1,2},? )?\d{4}|\w+,? \d{4}|[Uu]ndated|n\.d\.|c\. \d{4}|History and Public Policy", after) or end == ends[-1]:
            return stripped[1:end].strip().rstrip(",").strip() or None
    return None


def _read_legacy(page: Page, content: list[Line]) -> list[Line] | None:
    """The older site: search chrome, date, the title in capitals, citation widgets, summary,
    the quoted citation string, sharing and viewer tabs, then the document text.

    The parts before the text come in any order; the citation string gives the title, the
    archive reference and the translator. Returns the lines from the document text on, or
    None when the page has neither a citation string nor the viewer's tabs (then the labelled
    blocks of the printed layout are read instead).
    """
    head_zone = content[:40]
    markers = [i for i, line in enumerate(head_zone) if _plain(line.text) in ("english html", "view document in", "english pdf", "original scan", "share document")]
    citation_at = next((i for i, line in enumerate(head_zone) if _is_citation(line.text)), None)
    if citation_at is None and not markers:
        return None
    zone_end = max(markers + [citation_at if citation_at is not None else -1]) + 1
    # A record address right after the zone (the shared link) belongs to it.
    while zone_end < len(content) and _RECORD_URL.fullmatch(_BULLET.sub("", content[zone_end].text).strip()) or zone_end < len(content) and _plain(content[zone_end].text) in LEGACY_CHROME:
        zone_end += 1
    summary: list[str] = []
    title_line: str | None = None
    for line in content[:zone_end]:
        plain = _plain(line.text)
        stripped = _BULLET.sub("", line.text).strip()
        if plain in CHROME or plain in LEGACY_CHROME:
            page.roles[line.number] = "chrome"
            continue
        page.roles[line.number] = "header"
        url = _RECORD_URL.fullmatch(stripped)
        if url:
            page.fields.setdefault("record_url", stripped)
            continue
        if _is_citation(line.text):
            page.fields["citation"] = stripped
            continue
        if page.date is None and page.date_range is None and title_line is None and not summary:
            date = parse_date_line(stripped)
            span = None if date else parse_date_range(stripped)
            if date or span:
                page.date, page.date_range, page.date_text = date, span, stripped
                continue
        funder = _FUNDER.match(stripped)
        if funder:
            page.funders.append(funder["funder"].strip())
            continue
        if title_line is None and not summary and not stripped.endswith(".") and len(stripped.split()) <= 40:
            title_line = stripped
            continue
        summary.append(stripped)
    citation = page.fields.get("citation", "")
    page.title = _title_of_citation(citation) or title_line
    if citation and page.date is None and page.date_range is None:
        # No date line: the citation gives the date after the quoted title.
        found = re.search(r'["”],?\s*(?P<date>[^"”]{3,40}?),\s*History and Public Policy', citation)
        if found:
            text = found["date"].strip()
            date = parse_date_line(text)
            page.date, page.date_range = date, None if date else parse_date_range(text)
            if page.date or page.date_range:
                page.date_text = text
    if summary:
        page.summary = " ".join(summary)
    if citation and "source" not in page.fields:
        page.fields["source"] = _archive_part_of_citation(citation)
    if "record_url" in page.fields and not _RECORD_URL.search(citation):
        found = _RECORD_URL.search(page.fields["record_url"])
        if found:
            page.fields.setdefault("record_id", found["id"])
    page.fields.pop("record_url", None)
    return content[zone_end:]


def _take_tail(page: Page, main: list[Line]) -> tuple[list[Line], Line | None]:
    """Facet labels and `Related Documents` after the document text go to the header.

    Returns the remaining lines and the last line before the tail (None when the page has
    no such tail), where the archive's summary stands.
    """
    tail_at: int | None = None
    kept: list[Line] = []
    seen_prose = False
    related = False
    entry: list[str] = []
    for index, line in enumerate(main):
        label = _label_of(line.text)
        plain = _plain(line.text)
        if plain == "related documents" and (seen_prose or tail_at is not None):
            related = True
            tail_at = len(kept) if tail_at is None else tail_at
            page.roles[line.number] = "chrome"
            continue
        if related:
            if label and label[0] in FACETS:
                related = False
            else:
                page.roles[line.number] = "header"
                text = line.text.strip()
                if (parse_date_line(text) or parse_date_range(text)) and entry:
                    page.related.append(_related_entry(entry))
                    entry = []
                entry.append(text)
                continue
        if label and label[0] in FACETS and seen_prose:
            tail_at = len(kept) if tail_at is None else tail_at
            page.roles[line.number] = "chrome"
            if label[1]:
                page.fields[label[0]] = label[1]
            continue
        if tail_at is not None and not related:
            # A facet's value (a name, a place) under its label.
            previous = _label_of(main[index - 1].text) if index else None
            if previous and previous[0] in FACETS and not previous[1] and len(line.text.split()) <= 8 and not line.text.rstrip().endswith("."):
                page.fields[previous[0]] = (page.fields.get(previous[0], "") + "; " + line.text.strip()).strip("; ")
                page.roles[line.number] = "header"
                continue
        if _is_sentence(line.text):
            seen_prose = True
        kept.append(line)
    if entry:
        page.related.append(_related_entry(entry))
    before = kept[tail_at - 1] if tail_at else None
    return _drop_empty_facets(page, kept), before


def _related_entry(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """(date, title, summary) of one `Related Documents` entry."""
    date = lines[0] if parse_date_line(lines[0]) or parse_date_range(lines[0]) else None
    rest = lines[1:] if date else lines
    title = rest[0] if rest else None
    summary = " ".join(rest[1:]) or None
    return date, title, summary


def _drop_empty_facets(page: Page, main: list[Line]) -> list[Line]:
    """Facet labels of the site ("Associated Places", "Author(s):") with no value are chrome."""
    kept: list[Line] = []
    for index, line in enumerate(main):
        label = _label_of(line.text)
        if label and label[0] in FACETS and not label[1]:
            following = main[index + 1].text.strip() if index + 1 < len(main) else ""
            following_label = _label_of(following) if following else None
            if not following or following_label or len(following.split()) > 6 or _looks_like_field(following):
                page.roles[line.number] = "chrome"
                continue
        kept.append(line)
    return kept


def _looks_like_field(text: str) -> bool:
    from .structure import field_type

    return field_type(text) is not None or bool(parse_date_line(text))


def _read_top(page: Page, main: list[Line]) -> list[Line]:
    """Date line, title and funder at the top of the page.

    On the staging copy, text of another document (a related record's summary) can stand
    before the date line: it is kept in the header as a note, never taken for the title.
    """
    index = 0
    date_at = next((i for i, line in enumerate(main[:4]) if parse_date_line(line.text) or parse_date_range(line.text)), None)
    if date_at and all(_is_sentence(line.text) or len(line.text.split()) > 12 for line in main[:date_at]):
        for line in main[:date_at]:
            page.preceding.append(line.text.strip())
            page.roles[line.number] = "header"
            page.warnings.append(f"line {line.number}: text before the date line belongs to another document; kept as a note in the header")
        index = date_at
    if index < len(main):
        date = parse_date_line(main[index].text)
        span = None if date else parse_date_range(main[index].text)
        joined = None if date or span else _DATE_AND_TITLE.match(main[index].text.strip())
        if joined and parse_date_line(joined["date"]):
            # The printed layout puts the date and the title on one line.
            page.date, page.date_text, page.title = parse_date_line(joined["date"]), joined["date"], joined["title"].strip()
            page.roles[main[index].number] = "header"
            index += 1
        elif date or span:
            page.date, page.date_range, page.date_text = date, span, main[index].text.strip()
            page.roles[main[index].number] = "header"
            index += 1
    if page.title is not None:
        pass
    elif index < len(main) and _label_of(main[index].text) is None and not _FUNDER.match(main[index].text.strip()):
        page.title = main[index].text.strip()
        page.roles[main[index].number] = "header"
        index += 1
    rest: list[Line] = []
    for line in main[index:]:
        funder = _FUNDER.match(line.text.strip())
        if funder:
            page.funders.append(funder["funder"].strip())
            page.roles[line.number] = "header"
        else:
            rest.append(line)
    return rest


def _read_inline_fields(page: Page, main: list[Line]) -> list[Line]:
    """The older layout: labelled blocks (Citation, Summary, Original Language...) before the text.

    A label owns the lines after it up to the next label; the first line that is neither a
    label nor owned by one starts the document text.
    """
    rest: list[Line] = []
    current: str | None = None
    in_document = False
    for line in main:
        label = None if in_document else _label_of(line.text)
        if label and label[0] in LEGACY_BLOCK_FIELDS:
            current = label[0]
            if label[1]:
                page.fields[current] = label[1]
                current = current if current in ("citation",) and not label[1].rstrip().endswith(("/", ".")) else None
            continue
        if current and not in_document:
            page.fields[current] = (page.fields.get(current, "") + " " + line.text.strip()).strip()
            current = None
            continue
        in_document = True
        rest.append(line)
    citation = page.fields.get("citation")
    if citation and not page.title:
        page.title = _title_of_citation(citation)
    if citation and "source" not in page.fields:
        page.fields["source"] = _archive_part_of_citation(citation)
    return rest


def _archive_part_of_citation(citation: str) -> str:
    """'"Title," date, History and Public Policy Program Digital Archive, ARCHIVE REF. Translated by X. URL'
    -> 'ARCHIVE REF. Translated by X.'"""
    text = _RECORD_URL.sub("", citation).strip()
    marker = re.search(r"Digital Archive,\s*", text)
    if marker:
        text = text[marker.end() :]
    return text.strip().rstrip(",").strip()


_FIRST_PERSON = re.compile(r"\b(I|we|We|our|Our|us|my|My|me)\b")
_REPORTING_VERB = re.compile(
    r"\b(?:reports?|discuss(?:es)?|describes?|summari[sz]es|recounts|outlines|details|conveys|explains|informs|relays|"
    r"transmits|provides|contains|records|requests|proposes|instructs|assesses|analy[sz]es|lists|expresses|notes|"
    r"announces|criticizes|criticises|praises|warns|urges|asks|tells|meets|meet|talk|talks|discuss|confirms|claims|suggests|"
    r"argues|compares|offers|emphasi[sz]es|complains|agree[sd]?|instructed|briefs|reviews|examines|evaluates|characteri[sz]es|"
    r"comments|responds|replies|recommends|requested|reported|discussed|described|expressed|informed|relays|welcomes|thanks|"
    r"stresses|insists|hopes|believes|doubts|predicts|speculates|considers|focuses|covers|includes|highlights|mentions|raises|"
    r"explained|stated|noted|presented|proposed|wrote|writes|sends|sent|receives|received)\b"
)
FACETS = {"authors", "places", "topics", "subjects", "people", "related", "archive"}


def _split_summary(page: Page, main: list[Line], *, tail_at: int | None, strict: bool = False) -> list[Line]:
    """The archive's summary just before the facet labels or `Document Information` goes to the header.

    It is one to four sentences in the archive's voice ("The Embassy reports on ...", "Tito
    tells ..."), or a sentence after the document's own ending (a signature or a date line);
    never the document's only prose, and never a sentence that speaks in the first person
    outside quotation marks.
    """
    if tail_at is None or tail_at < 2 or tail_at > len(main) or page.summary or "summary" in page.fields:
        return main
    last = main[tail_at - 1]
    text = last.text.strip()
    words = text.split()
    outside_quotes = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
    sentences = _SENTENCE_END.findall(text) or ([""] if not strict else [])
    previous = main[tail_at - 2].text.strip()
    after_ending = len(previous.split()) <= 8 and not previous.endswith((".", "!", "?")) and ":" not in previous
    if strict:
        # Without the facet labels to mark its place, only a sentence whose subject and
        # reporting verb open it ("Tito tells ...", "The Embassy reports ...") is the summary.
        opening = _SUBJECT_VERB.match(text)
        archive_voice = bool(opening and _REPORTING_VERB.fullmatch(opening["verb"]) or _ARCHIVE_OPENING.match(text))
    else:
        archive_voice = bool(_REPORTING_VERB.search(outside_quotes) or _ARCHIVE_OPENING.match(text))
    # Before the facet labels the archive's summary may lack its full stop.
    ended = text.endswith((".", '"', "”", ")", "’")) or (not strict and archive_voice and len(words) >= 8)
    if (
        6 <= len(words) <= 150
        and ended
        and 1 <= len(sentences) <= 4
        and not _FIRST_PERSON.search(outside_quotes)
        and not re.match(r"^\[\d+\]", text)
        and (archive_voice or after_ending)
        and any(_is_sentence(line.text) for line in main[: tail_at - 1])  # never the document's only prose
    ):
        page.summary = text
        page.roles[last.number] = "header"
        return main[: tail_at - 1] + main[tail_at:]
    return main


# A full stop that ends a sentence: not the one after an initial ("N.S. Khrushchev", "U. Alexis
# Johnson") or a short title ("Mr.", "No.").
_SENTENCE_END = re.compile(r"(?<![\s.(][A-Za-z])(?<!^[A-Za-z])(?<!Mr|Dr|No|St|Co|Jr|Sr)(?<!Mrs|Gen|Col|Cde)[.!?][\"”’)]?(?:\s|$)")
_SUBJECT_VERB = re.compile(
    r"^(?:(?:The|A|An)\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|of|the|and|for|in|on|to|de|von|van|ad interim|d['’]affaires))*?\s+(?:also\s+)?(?P<verb>[a-z]+)\b"
)
_ARCHIVE_OPENING = re.compile(
    r"^(?:(?:A|An|The|This)\s+)?(?:(?:brief|short|lengthy|detailed|draft|partial|Soviet|Chinese|Polish|Hungarian|Romanian|Bulgarian|Czechoslovak|East German|North Korean|Vietnamese|Cuban|US|American|Japanese)\s+)*"
    r"(?:report|record|summary|transcript|minutes|memo|memorandum|letter|telegram|cable|note|notes|list|excerpt|document|conversation|discussion|speech|analysis|assessment|overview|account|series)\b",
    re.I,
)


def _is_sentence(text: str) -> bool:
    stripped = text.strip()
    return len(stripped.split()) >= 6 and stripped.endswith((".", "!", "?", "”", '"'))


def _read_info(page: Page, info: list[Line]) -> None:
    """Fields of the `Document Information` block; unlabelled values are recognised by shape."""
    current: str | None = None
    rights: list[str] = []
    for line in info:
        label = _label_of(line.text)
        if label:
            current = label[0]
            if label[1]:
                page.fields[current] = label[1]
            continue
        value = line.text.strip()
        if current is None:
            current = _guess_field(value, page)
            if current is None:
                page.unlabelled.append(value)
                page.warnings.append(f"line {line.number}: unlabelled information '{value[:60]}' kept as a note in the header")
                continue
        if current == "rights":  # a statement of several paragraphs: gathered, joined once at the end
            rights.append(value)
            page.fields.setdefault("rights", "")
            continue
        page.fields[current] = (page.fields.get(current, "") + " " + value).strip()
        current = None
    if rights:
        page.fields["rights"] = "\n".join(part for part in [page.fields["rights"], *rights] if part).strip()


def _guess_field(value: str, page: Page) -> str | None:
    if value.startswith(("The History and Public Policy Program welcomes", "To enquire about this document")):
        return "rights"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value) and "uploaded" not in page.fields:
        return "uploaded"
    if re.fullmatch(r"\d{3,7}", value) and "record_id" not in page.fields:
        return "record_id"
    if "source" not in page.fields and (_TRANSLATOR.search(value) or re.search(r"\b[A-Z]{2,}\b.*\d", value)):
        return "source"
    return None
