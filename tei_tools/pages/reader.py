"""Archive page text -> a plain page model: metadata fields and the document's lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..annotate.dates import parse_date_line, parse_date_range
from ..problems import ConversionError
from .decode import decode_page

#: Site chrome that carries nothing of the document.
CHROME = {"skip to content", "search in", "digital archive international history declassified", "digital archive", "menu", "home", "print", "share", "download"}

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
                return found["name"].strip()
        return None


def _is_blank(text: str) -> bool:
    return bool(_BLANK.match(text))


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
    if re.search(r"^\s*(Document Information|Citation|Record ID|Skip to content|Search in)\s*$", text, re.M):
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
    if content and content[0].text.strip().lower() in ("search in",) or any(
        line.text.strip().lower() == "digital archive international history declassified" for line in content[:4]
    ):
        page.layout = "legacy"
    content = [line for line in content if line.text.strip().lower() not in CHROME]

    info_at = next((i for i, line in enumerate(content) if line.text.strip().lower() == "document information"), None)
    main, info = (content, []) if info_at is None else (content[:info_at], content[info_at + 1 :])

    main = _drop_empty_facets(main)
    main = _read_top(page, main)
    if page.layout == "legacy" or info_at is None:
        main = _read_inline_fields(page, main)
    main = _split_summary(page, main, has_info=info_at is not None)
    _read_info(page, info)
    page.body = main
    if not page.body:
        page.warnings.append("the page has no document text")
    return page


def _drop_empty_facets(main: list[Line]) -> list[Line]:
    """Facet labels of the site ("Associated Places", "Author(s):") with no value are chrome."""
    kept: list[Line] = []
    for index, line in enumerate(main):
        label = _label_of(line.text)
        if label and label[0] in FACETS and not label[1]:
            following = main[index + 1].text.strip() if index + 1 < len(main) else ""
            following_label = _label_of(following) if following else None
            if not following or following_label or len(following.split()) > 6 or _looks_like_field(following):
                continue
        kept.append(line)
    return kept


def _looks_like_field(text: str) -> bool:
    from .structure import field_type

    return field_type(text) is not None or bool(parse_date_line(text))


def _read_top(page: Page, main: list[Line]) -> list[Line]:
    """Date line, title and funder at the top of the page."""
    index = 0
    if index < len(main):
        date = parse_date_line(main[index].text)
        span = None if date else parse_date_range(main[index].text)
        if date or span:
            page.date, page.date_range, page.date_text = date, span, main[index].text.strip()
            index += 1
    if index < len(main) and _label_of(main[index].text) is None and not _FUNDER.match(main[index].text.strip()):
        page.title = main[index].text.strip()
        index += 1
    rest: list[Line] = []
    for line in main[index:]:
        funder = _FUNDER.match(line.text.strip())
        if funder:
            page.funders.append(funder["funder"].strip())
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
        quoted = re.match(r'^\s*["“](?P<title>.+?),?["”]', citation)
        if quoted:
            page.title = quoted["title"].rstrip(",")
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
    r"announces|criticizes|criticises|praises|warns|urges|asks|tells|meets|meet|talk|talks|discuss)\b"
)
FACETS = {"authors", "places", "topics", "subjects", "people", "related", "archive"}


def _split_summary(page: Page, main: list[Line], *, has_info: bool) -> list[Line]:
    """The archive's one-sentence summary just before `Document Information` goes to the header.

    Only a lone third-person sentence set off by a blank line qualifies, so a document's
    own short last paragraph is not taken for it.
    """
    if not has_info or len(main) < 2 or "summary" in page.fields:
        return main
    last = main[-1]
    text = last.text.strip()
    words = text.split()
    before = page.text.split("\n")[last.number - 2] if last.number >= 2 else ""
    sentences = re.findall(r"[.!?](?:\s|$)", text)
    previous = main[-2].text.strip()
    # The archive's summary speaks of the document ("X reports on ..."), or follows the
    # document's own ending (a signature or date line), never its running prose.
    after_ending = len(previous.split()) <= 8 and not previous.endswith((".", "!", "?"))
    if (
        8 <= len(words) <= 80
        and text.endswith(".")
        and len(sentences) == 1
        and not _FIRST_PERSON.search(text)
        and not re.search(r"[\[\]:]", text)
        and _is_blank(before)
        and (_REPORTING_VERB.search(text) or after_ending)
        and any(_is_sentence(line.text) for line in main[:-1])  # never the document's only prose
    ):
        page.summary = text
        return main[:-1]
    return main


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
