"""A read page -> a TEI P5 document: header, text with its structure and names, standOff register."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from .. import __version__
from ..annotate.dates import parse_date_line
from ..annotate.mentions import find_mentions
from .inline import Markup, append_text, arrange, fill, mark_markup
from .stage import markup_of
from ..pages.marks import Mark, find_marks
from ..annotate.names import Context, find_roles
from ..isodate import check_iso
from ..pages.reader import Page
from ..annotate.provenance import provenance
from ..annotate.register import LIST_OF, Register
from ..pages.structure import Block, Field, ListItem, Section, Span, Structure, numeric_date, read_structure
from ..annotate.vocab import CLASSIFICATIONS, PRECEDENCES, category_id, find_term
from ..xmlio import NSMAP, TEI_NS, XML_ID, XML_LANG, tei

RECORD_URL = "https://digitalarchive.wilsoncenter.org/document/{}"
PUBLISHER = "History and Public Policy Program, Wilson Center Digital Archive"
ARCHIVE_NAMES = {
    "PRC FMA": "Foreign Ministry Archive of the People's Republic of China",
    "AVPRF": "Archive of Foreign Policy of the Russian Federation",
    "RGANI": "Russian State Archive of Contemporary History",
    "RGASPI": "Russian State Archive of Socio-Political History",
    "GARF": "State Archive of the Russian Federation",
    "SAPMO-BArch": "Foundation Archives of Parties and Mass Organizations of the GDR in the Federal Archives",
    "NARA": "National Archives and Records Administration",
}
EDITORIAL_DECL = (
    "Encoded from the plain text of an archive page. Every word of the document text is kept in order. "
    "Editorial brackets are markup: supplied letters as supplied, [illegible], [redacted] and [...] as gap, "
    "[sic] as sic (with choice and corr when a correction is given), stamps as stamp, bracketed notes as note. "
    "Persons, places and organisations point to the register entries in standOff; a name is linked only when "
    "the register identifies it without doubt, and an identifier is given only when verified. Dates carry ISO "
    "8601 values at the precision of the text; partial dates completed from the document's own date are marked "
    "evidence='internal'."
)


@dataclass
class Options:
    """Choices that change the output; the same options and input always give the same bytes."""

    change_date: str | None = None
    schema_href: str = "../schemas/"


@dataclass
class Encoded:
    root: etree._Element
    warnings: list[str] = field(default_factory=list)
    name: str = ""


class _Builder:
    def __init__(self, page: Page, register: Register, structure: Structure) -> None:
        self.page = page
        self.register = register
        self.structure = structure
        self.date = page.date
        country = provenance(page.fields.get("source"), page.fields.get("citation"), page.fields.get("archive"))
        texts = [line.text for line in page.body]
        # A span still says roughly when: its start settles which state a name meant.
        when = page.date or (page.date_range[0] if page.date_range else None)
        base = Context(when, country)
        self.context = Context(when, country, find_roles(texts, register, base))
        self.footnote_texts = structure.footnotes

    # -- inline ------------------------------------------------------------------------
    def inline(self, parent: etree._Element, span: Span, *, in_list: bool = False, date_type: str | None = None, names: bool = True, copies: bool = False) -> etree._Element:
        text = span.text
        markups: list[Markup] = [mark_markup(m, self.footnote) for m in find_marks(text, frozenset(self.footnote_texts))]
        if copies:
            # "Stalin - 2, Molotov-1": how many copies each recipient got.
            for m in _RECIPIENT_COUNT.finditer(text):
                quantity = m["n"]
                markups.append(Markup(m.start("n"), m.end("n"), 2, lambda quantity=quantity: etree.Element(tei("measure"), unit="copy", quantity=quantity), (m.start("n"), m.end("n"))))
        for number, at in self.structure.glued.items():
            if span.offset <= at < span.offset + len(text) and text[at - span.offset : at - span.offset + len(number)] == number:
                start = at - span.offset
                markups.append(mark_markup(Mark(start, start + len(number), "footnote", None, value=number), self.footnote))
        markups += [markup_of(m, date_type) for m in find_mentions(text, self.register, self.context, in_list=in_list, names=names, document_date=self.date)]
        fill(parent, text, 0, len(text), arrange(markups))
        return parent

    def footnote(self, number: str) -> etree._Element:
        note = etree.Element(tei("note"), place="foot", n=number)
        self.inline(note, self.footnote_texts[number])
        return note

    # -- text --------------------------------------------------------------------------
    def body(self) -> etree._Element:
        body = etree.Element(tei("body"))
        many = len(self.structure.sections) > 1
        for number, section in enumerate(self.structure.sections, start=1):
            div = etree.SubElement(body, tei("div"), type="document")
            if many:
                div.set("n", str(number))
            self.section(div, section)
            if len(div) == 0:
                body.remove(div)
            if section.distribution:
                dist = etree.SubElement(body, tei("div"), type="distribution")
                if many:
                    dist.set("n", str(number))
                self.distribution(dist, section.distribution)
        if len(body) == 0:
            div = etree.SubElement(body, tei("div"), type="document")
            etree.SubElement(div, tei("p"))
        return body

    def fields(self, parent: etree._Element, fields: list[Field]) -> None:
        for item in fields:
            seg = etree.SubElement(parent, tei("seg"))
            if item.type:
                seg.set("type", item.type)
            if item.label is not None:
                # The label as the page gives it; the value follows, its names and dates tagged.
                label = etree.SubElement(seg, tei("label"))
                label.text = item.label.text
                if item.span.text:
                    label.tail = " "
            self.inline(seg, item.span, date_type=None, copies=item.type == "distribution")

    def section(self, div: etree._Element, section: Section) -> None:
        if section.opener:
            self.fields(etree.SubElement(div, tei("opener")), section.opener)
        if section.head is not None:
            self.inline(etree.SubElement(div, tei("head")), section.head)
        if section.opener_after_head:
            opener = etree.SubElement(div, tei("opener"))
            self.fields(opener, section.opener_after_head)
            if section.salute is not None:
                self.inline(etree.SubElement(opener, tei("salute")), section.salute)
        elif section.salute is not None:
            self.inline(etree.SubElement(div, tei("salute")), section.salute)
        for block in section.body:
            self.block(div, block)
        has_content = any(child.tag in (tei("p"), tei("list"), tei("sp")) for child in div)
        if section.closer and not has_content:
            # A closer needs something before it; without a body its lines stay paragraphs.
            for block in section.closer:
                self.inline(etree.SubElement(div, tei("p")), block.span)
        elif section.closer:
            closer = etree.SubElement(div, tei("closer"))
            for block in section.closer:
                if block.kind == "dateline":
                    self.dateline(etree.SubElement(closer, tei("dateline")), block.span)
                elif block.kind == "salute":
                    self.inline(etree.SubElement(closer, tei("salute")), block.span)
                else:
                    self.inline(etree.SubElement(closer, tei("signed")), block.span)
        elif not has_content and len(div):
            etree.SubElement(div, tei("p"))
        for block in section.trailer:
            if has_content:
                self.inline(etree.SubElement(div, tei("trailer")), block.span)
            else:
                self.inline(etree.SubElement(div, tei("p")), block.span)

    def dateline(self, element: etree._Element, span: Span) -> None:
        """A dateline; a numeric date the date finder leaves ('SOFIA, 71. 10. 03') is read here."""
        dated = find_mentions(span.text, self.register, self.context, names=False, document_date=self.date)
        numeric = None if dated else numeric_date(span.text, self.date)
        if numeric is None:
            self.inline(element, span)
            return
        start, end, when = numeric
        def make() -> etree._Element:
            return etree.Element(tei("date"), when=when)
        markups = [mark_markup(m, self.footnote) for m in find_marks(span.text, frozenset(self.footnote_texts))]
        markups.append(Markup(start, end, 3, make, (start, end)))
        markups += [markup_of(m) for m in find_mentions(span.text, self.register, self.context, dates=False)]
        fill(element, span.text, 0, len(span.text), arrange(markups))

    def block(self, div: etree._Element, block: Block) -> None:
        if block.kind == "p":
            self.inline(etree.SubElement(div, tei("p")), block.span)
        elif block.kind == "sp":
            sp = etree.SubElement(div, tei("sp"))
            assert block.speaker is not None
            self.inline(etree.SubElement(sp, tei("speaker")), block.speaker)
            self.inline(etree.SubElement(sp, tei("p")), block.span)
        elif block.kind == "list":
            self.list(div, block)

    def list(self, parent: etree._Element, block: Block) -> None:
        element = etree.SubElement(parent, tei("list"), type=block.type or "simple")
        if block.head is not None:
            self.inline(etree.SubElement(element, tei("head")), block.head)
        labelled = any(item.label is not None for item in block.items)
        for item in block.items:
            if labelled:
                label = etree.SubElement(element, tei("label"))
                label.text = item.label.text if item.label is not None else ""
            self.item(etree.SubElement(element, tei("item")), item, in_list=block.type in ("participants", "distribution"))
        for side, members in block.groups:
            if side is None:  # interpreter, recorder: present, on no side
                for member in members:
                    self.item(etree.SubElement(element, tei("item")), member, in_list=True)
                continue
            # One group a side of the meeting, as a list inside the participants list.
            group = etree.SubElement(etree.SubElement(element, tei("item")), tei("list"), type="participants")
            self.inline(etree.SubElement(group, tei("head")), side)
            for member in members:
                self.item(etree.SubElement(group, tei("item")), member, in_list=True)
            if not members:
                etree.SubElement(group, tei("item"))
            for child in group:  # inside an item, the serialiser does not indent: keep the words apart
                child.tail = " "
        if not block.items and not block.groups:
            etree.SubElement(element, tei("item"))

    def item(self, element: etree._Element, item: ListItem, *, in_list: bool) -> None:
        if item.role is not None:
            label = etree.SubElement(element, tei("label"))
            label.text = item.role.text
            label.tail = " "
        if item.count_span is not None:
            # The count where the page puts it: after the recipient ("General Office (2)") or
            # before ("copies NºNº 1-2 to Cde. X").
            start = item.count_span.offset - item.span.offset
            before, after = item.span.sub(0, start).strip(), item.span.sub(start + len(item.count_span.text)).strip()
            if before.text:
                self.inline(element, before, in_list=in_list)
                append_text(element, " ")
            measure = etree.SubElement(element, tei("measure"), unit="copy", quantity=str(item.count))
            measure.text = item.count_span.text
            if after.text:
                measure.tail = " "
                self.inline(element, after, in_list=in_list)
        else:
            self.inline(element, item.span, in_list=in_list)

    def distribution(self, div: etree._Element, blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind == "copies":
                recipients = [item for item in block.items if not item.total]
                totals = [item for item in block.items if item.total]
                self.list(div, Block("list", block.span, type="distribution", items=recipients, head=block.head))
                for total in totals:
                    p = etree.SubElement(div, tei("p"))
                    measure = etree.SubElement(p, tei("measure"), type="total", unit="copy", quantity=str(total.count))
                    measure.text = total.span.text
            elif block.kind == "distdate":
                self.inline(etree.SubElement(div, tei("p")), block.span, date_type=block.type)
            else:
                p = etree.SubElement(div, tei("p"))
                self.inline(p, block.span)
                if block.count is not None:
                    self._measure_copy_note(p, block.count)

    def _measure_copy_note(self, p: etree._Element, count: int) -> None:
        """'Two copies printed.': the count phrase becomes a measure of the copies made."""
        text = p.text or ""
        m = re.match(r"^(\S+\s+cop(?:y|ies))", text, re.I)
        if not m:
            return
        measure = etree.Element(tei("measure"), type="total", unit="copy", quantity=str(count))
        measure.text = m.group(1)
        measure.tail = text[m.end() :]
        p.text = None
        p.insert(0, measure)


def _first_refs(elements: list[etree._Element], tags: tuple[str, ...]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for element in elements:
        for child in element.iter(*[tei(tag) for tag in tags]):
            ref = child.get("ref")
            if ref and ref.startswith("#"):
                found.append((etree.QName(child).localname, ref[1:], "".join(child.itertext())))
    seen: set[str] = set()
    unique = []
    for tag, key, text in found:
        if key not in seen:
            seen.add(key)
            unique.append((tag, key, text))
    return unique


def _parse_source(source: str) -> dict[str, str]:
    """'PRC FMA 109-02678-04, 33-38. Translated by X.' -> archive, file and pages."""
    citation = re.split(r"\.\s+(?:Translated|Translation|Obtained|Contributed|Originally|Published)\b", source)[0].strip().rstrip(".")
    parts: dict[str, str] = {"citation": citation}
    tokens = citation.split()
    archive: list[str] = []
    for token in tokens:
        if re.search(r"\d", token) or re.fullmatch(r"(?:f|op|d|ll?|pp?|fond|delo|opis|Box|Folder|vol|t)\.?,?", token, re.I):
            break
        archive.append(token)
    if not archive or len(archive) == len(tokens):
        return parts
    parts["archive"] = " ".join(archive).rstrip(",")
    rest = citation[len(" ".join(archive)) :].strip().lstrip(",").strip()
    pages = re.search(r",\s*(?P<pages>(?:(?:pp?|ll?)\.\s*)?\d+(?:\s*[-–]\s*\d+)?)$", rest)
    if pages:
        parts["pages"] = pages["pages"]
        rest = rest[: pages.start()].strip()
    if rest:
        parts["file"] = rest
    return parts


def encode(page: Page, register: Register, options: Options | None = None) -> Encoded:
    """The TEI document for a read page."""
    options = options or Options()
    structure = read_structure(page.body, page.title)
    builder = _Builder(page, register, structure)
    warnings = list(page.warnings) + list(structure.warnings)

    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, tei("teiHeader"))
    text = etree.SubElement(root, tei("text"))
    body = builder.body()
    text.append(body)
    _check_text(page, structure, warnings)

    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = page.title or page.name
    for author in _split_list(page.fields.get("authors", "")):
        etree.SubElement(title_stmt, tei("author")).text = author
    funders = list(dict.fromkeys(page.funders + _split_list(page.fields.get("donors", ""))))
    for funder in funders:
        etree.SubElement(title_stmt, tei("funder")).text = funder
    translator = page.translator
    if translator:
        resp_stmt = etree.SubElement(title_stmt, tei("respStmt"))
        etree.SubElement(resp_stmt, tei("resp")).text = "translation"
        builder.inline(etree.SubElement(resp_stmt, tei("persName")), Span(translator, 0))
        person = resp_stmt[-1]
        if len(person) == 1 and person[0].tag == tei("persName") and (person[0].text or "") == translator:
            ref = person[0].get("ref")
            person.remove(person[0])
            person.text = translator
            if ref:
                person.set("ref", ref)

    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    publisher = etree.SubElement(publication, tei("publisher"))
    if "wilson-center-hpp" in register:
        org = etree.SubElement(publisher, tei("orgName"), ref="#wilson-center-hpp")
        org.text = "History and Public Policy Program"
        org.tail = ", Wilson Center Digital Archive"
    else:
        publisher.text = PUBLISHER
    uploaded = page.fields.get("uploaded", "").strip()
    uploaded_iso = parse_date_line(uploaded)
    if uploaded_iso and (not uploaded_iso.isascii() or check_iso(uploaded_iso)):
        uploaded_iso = None  # never written as a date unless it is one
    if uploaded_iso:
        etree.SubElement(publication, tei("date"), type="uploaded", when=uploaded_iso).text = uploaded
    elif uploaded:
        warnings.append(f"upload date '{uploaded}' is not a date; kept as text")
        etree.SubElement(publication, tei("date"), type="uploaded").text = uploaded
    record = page.record_id
    if record:
        etree.SubElement(publication, tei("idno"), type="WCDA").text = record
        etree.SubElement(publication, tei("idno"), type="URI").text = RECORD_URL.format(record)
    else:
        # No usable Record ID: the digest of the page text identifies the file, the same
        # whatever the input file is called and however often it is converted.
        etree.SubElement(publication, tei("idno"), type="digest").text = text_digest(page.text)
        warnings.append("the page has no Record ID; identified by the digest of its text")
    rights = page.fields.get("rights", "").strip()
    if rights:
        licence = etree.SubElement(etree.SubElement(publication, tei("availability")), tei("licence"))
        for paragraph in rights.split("\n"):
            if paragraph.strip():
                etree.SubElement(licence, tei("p")).text = paragraph.strip()

    notes = []
    for key, note_type in (("places", "associated-places"), ("topics", "associated-topics"), ("subjects", "subjects-discussed"), ("people", "associated-people"), ("related", "related-documents"), ("credits", "credits"), ("contents", "contents")):
        if page.fields.get(key, "").strip():
            notes.append((note_type, page.fields[key].strip()))
    notes.extend(("unlabelled", value) for value in page.unlabelled)
    notes.extend(("other-document", value) for value in page.preceding)
    if notes or page.related:
        notes_stmt = etree.SubElement(file_desc, tei("notesStmt"))
        for note_type, value in notes:
            etree.SubElement(notes_stmt, tei("note"), type=note_type).text = value
        for date_text, title_text, summary_text in page.related:
            # A record the archive lists as related: its date, title and summary, never the closer.
            note = etree.SubElement(notes_stmt, tei("note"), type="related-document")
            if date_text:
                when = parse_date_line(date_text)
                date = etree.SubElement(note, tei("date"), when=when) if when else etree.SubElement(note, tei("date"))
                date.text = date_text
                date.tail = " "
            if title_text:
                title = etree.SubElement(note, tei("title"))
                title.text = title_text
            if summary_text:
                append_text(note, " " + summary_text)

    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    source = page.fields.get("source", "").strip()
    citation = page.fields.get("citation", "").strip()
    if citation:
        etree.SubElement(source_desc, tei("bibl"), type="citation").text = citation
    if source:
        etree.SubElement(source_desc, tei("bibl"), type="source").text = source
        parts = _parse_source(source)
        archive = parts.get("archive") or page.fields.get("archive", "").strip()
        if archive:
            ms_desc = etree.SubElement(source_desc, tei("msDesc"))
            identifier = etree.SubElement(ms_desc, tei("msIdentifier"))
            full = ARCHIVE_NAMES.get(archive)
            etree.SubElement(identifier, tei("repository")).text = f"{archive} ({full})" if full else archive
            if parts.get("file"):
                etree.SubElement(identifier, tei("idno"), type="file").text = parts["file"]
            if parts.get("pages"):
                item = etree.SubElement(etree.SubElement(ms_desc, tei("msContents")), tei("msItem"))
                locus = etree.SubElement(item, tei("locus"))
                numbers = re.findall(r"\d+", parts["pages"])
                if numbers:
                    locus.set("from", numbers[0])
                    locus.set("to", numbers[-1])
                locus.text = parts["pages"]
                etree.SubElement(item, tei("title")).text = page.title or page.name
    original = (page.fields.get("original_language") or page.fields.get("language") or "").strip()
    if original and original.lower() != "english":
        # The language of the original is a fact about the source, so it sits with it.
        ms_contents = source_desc.find("tei:msDesc/tei:msContents", NSMAP)
        if ms_contents is None and source_desc.find("tei:msDesc", NSMAP) is not None:
            ms_contents = etree.SubElement(source_desc.find("tei:msDesc", NSMAP), tei("msContents"))
        holder = ms_contents if ms_contents is not None else etree.SubElement(source_desc, tei("bibl"), type="original")
        text_lang = etree.Element(tei("textLang"), mainLang=_language_code(original))
        text_lang.text = original
        holder.insert(0, text_lang)
    if len(source_desc) == 0:
        etree.SubElement(source_desc, tei("p")).text = "Transcribed from the archive page; the page gives no source citation."
        warnings.append("no source citation on the page")

    categories = _categories(page, body)  # declared in encodingDesc, pointed to from profileDesc
    _encoding_desc(header, categories)
    _profile_desc(header, page, body, register, categories)
    revision = etree.SubElement(header, tei("revisionDesc"))
    change = etree.SubElement(revision, tei("change"))
    if options.change_date:
        change.set("when", options.change_date)
    change.text = f"Converted from the archive page text by tei-tools {__version__}."

    _stand_off(root, register)
    return Encoded(root=root, warnings=warnings, name=record or page.name)


_RECIPIENT_COUNT = re.compile(r"[^\W\d_][\w.’']*\s*[-–]\s*(?P<n>\d{1,3})(?=\s*[,;.]|\s*$)")
_NAME_TAGS = tuple(tei(tag) for tag in ("persName", "placeName", "orgName", "rs"))


def page_counts(root: etree._Element) -> dict[str, int]:
    """What the converter made of a page: header fields, paragraphs, names linked and not."""
    text = root.find(tei("text"))
    names = list(text.iter(*_NAME_TAGS)) if text is not None else []
    return {
        "fields": len(root.findall(".//tei:opener/tei:seg", NSMAP)),
        "untyped_fields": len(root.findall(".//tei:opener/tei:seg[@type='field']", NSMAP)),
        "paragraphs": len(text.findall(".//tei:body//tei:p", NSMAP)) if text is not None else 0,
        "names_linked": sum(1 for name in names if name.get("ref")),
        "names_unlinked": sum(1 for name in names if not name.get("ref")),
    }


def text_digest(text: str) -> str:
    """'sha256:' and the hex digest of the page text, trailing spaces and blank lines aside."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").split("\n")]
    normal = "\n".join(line for line in lines if line)
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _date_attributes(page: Page) -> dict[str, str]:
    """@when for a page dated to a day, month or year; @notBefore/@notAfter for a span."""
    if page.date:
        return {"when": page.date}
    assert page.date_range is not None
    return {"notBefore": page.date_range[0], "notAfter": page.date_range[1]}


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]|,\s+(?=[A-Z])", value) if part.strip()]


def _check_text(page: Page, structure: Structure, warnings: list[str]) -> None:
    last = structure.sections[-1]
    if last.body and not last.closer and not last.distribution:
        tail = last.body[-1].span.text.rstrip()
        if tail and tail[-1].isalnum():
            warnings.append(f"line {last.body[-1].line}: the text ends mid-sentence; the page may be cut off")


def _encoding_desc(header: etree._Element, used: dict[str, list[str]]) -> None:
    encoding = etree.SubElement(header, tei("encodingDesc"))
    app_info = etree.SubElement(encoding, tei("appInfo"))
    application = etree.SubElement(app_info, tei("application"), ident="tei-tools", version=__version__)
    etree.SubElement(application, tei("label")).text = "tei-tools"
    editorial = etree.SubElement(encoding, tei("editorialDecl"))
    etree.SubElement(editorial, tei("p")).text = EDITORIAL_DECL
    # Each taxonomy declares the categories this document uses, from the closed lists in vocab.
    if any(used.values()):
        class_decl = etree.SubElement(encoding, tei("classDecl"))
        for taxonomy_id, labels in used.items():
            if not labels:
                continue
            taxonomy = etree.SubElement(class_decl, tei("taxonomy"))
            taxonomy.set(XML_ID, taxonomy_id)
            for label in labels:
                category = etree.SubElement(taxonomy, tei("category"))
                category.set(XML_ID, category_id(TAXONOMY_PREFIX[taxonomy_id], label))
                etree.SubElement(category, tei("catDesc")).text = label


TAXONOMY_PREFIX = {"document-type": "type", "classification": "classification", "precedence": "precedence"}


def _categories(page: Page, body: etree._Element) -> dict[str, list[str]]:
    page_type = page.fields.get("type", "").strip()
    header_text = " ".join("".join(seg.itertext()) for seg in body.iter(tei("seg"), tei("salute")))
    precedence_text = " ".join("".join(seg.itertext()) for seg in body.iterfind(".//tei:seg[@type='precedence']", NSMAP))
    # A precedence given as a token of another field ("To: X, URGENT, EYES ONLY") counts too.
    precedence_text += " " + " ".join(
        token for seg in body.iterfind(".//tei:opener/tei:seg", NSMAP) for token in re.split(r"[,;]", "".join(seg.itertext())) if find_term(token, PRECEDENCES) and len(token.split()) <= 3
    )
    classification = find_term(header_text, CLASSIFICATIONS)
    precedence = find_term(precedence_text, PRECEDENCES)
    return {
        "document-type": [page_type] if page_type else [],
        "classification": [classification] if classification else [],
        "precedence": [precedence] if precedence else [],
    }


def _profile_desc(header: etree._Element, page: Page, body: etree._Element, register: Register, categories: dict[str, list[str]]) -> None:
    profile = etree.SubElement(header, tei("profileDesc"))
    if page.summary or page.fields.get("summary"):
        abstract = etree.SubElement(profile, tei("abstract"))
        etree.SubElement(abstract, tei("p")).text = page.summary or page.fields["summary"].strip()
    if page.date or page.date_range:
        creation = etree.SubElement(profile, tei("creation"))
        etree.SubElement(creation, tei("date"), _date_attributes(page)).text = page.date_text or page.date
    lang_usage = etree.SubElement(profile, tei("langUsage"))
    etree.SubElement(lang_usage, tei("language"), ident="en").text = "English"

    text_class = etree.SubElement(profile, tei("textClass"))
    for taxonomy_id, labels in categories.items():
        for label in labels:
            target = "#" + category_id(TAXONOMY_PREFIX[taxonomy_id], label)
            etree.SubElement(text_class, tei("catRef"), scheme=f"#{taxonomy_id}", target=target)
    if len(text_class) == 0:
        profile.remove(text_class)

    _corresp_desc(profile, page, body, register)


def _corresp_desc(profile: etree._Element, page: Page, body: etree._Element, register: Register) -> None:
    """Who sent, who received, who got copies: linked names only, by their register names."""
    closers = body.findall(".//tei:div[@type='document']/tei:closer", NSMAP)
    senders = _first_refs([c for closer in closers for c in closer.iterfind("tei:signed", NSMAP)], ("persName", "orgName"))
    senders += [s for s in _first_refs(body.findall(".//tei:seg[@type='sender']", NSMAP), ("persName", "orgName")) if s not in senders]
    salutes = body.findall(".//tei:salute", NSMAP)
    addressed = _first_refs(salutes, ("persName", "orgName", "rs"))
    address_segs = body.findall(".//tei:seg[@type='addressee']", NSMAP)
    routed = _first_refs(address_segs, ("persName", "orgName"))
    places = _first_refs(address_segs, ("placeName",))
    if not addressed:
        addressed, routed = routed, []
    copies = _first_refs(body.findall(".//tei:seg[@type='cc']", NSMAP) + body.findall(".//tei:list[@type='distribution']/tei:item", NSMAP), ("persName", "orgName"))
    if not (senders or addressed or copies or page.date or page.date_range):
        return
    def named(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        # The header names each party as the register does ("Pan Zili", not the text's "Pan").
        return [(tag, key, register[key].preferred if key in register else text) for tag, key, text in found]

    senders, addressed, routed, copies = named(senders), named(addressed), named(routed), named(copies)
    corresp = etree.SubElement(profile, tei("correspDesc"))
    sent = etree.SubElement(corresp, tei("correspAction"), type="sent")
    for tag, key, text in senders:
        etree.SubElement(sent, tei(tag if tag != "rs" else "persName"), ref=f"#{key}").text = text
    if page.date or page.date_range:
        etree.SubElement(sent, tei("date"), _date_attributes(page))
    if len(sent) == 0:
        etree.SubElement(sent, tei("p")).text = "Sender not stated."
    for subtype, names, with_places in ((None, addressed, True), ("routed", routed, False), ("cc", copies, False)):
        if not names and not (with_places and places):
            continue
        action = etree.SubElement(corresp, tei("correspAction"), type="received")
        if subtype:
            action.set("subtype", subtype)
        for tag, key, text in names:
            etree.SubElement(action, tei(tag if tag != "rs" else "persName"), ref=f"#{key}").text = text
        if with_places:
            for tag, key, text in named(places):
                etree.SubElement(action, tei("placeName"), ref=f"#{key}").text = text


_LANGUAGE_CODES = {"chinese": "zh", "russian": "ru", "german": "de", "french": "fr", "korean": "ko", "vietnamese": "vi", "polish": "pl", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "czech": "cs", "albanian": "sq", "mongolian": "mn", "spanish": "es", "japanese": "ja", "english": "en", "italian": "it", "serbo-croatian": "sh", "persian": "fa", "arabic": "ar", "hindi": "hi"}


def _language_code(name: str) -> str:
    return _LANGUAGE_CODES.get(name.strip().lower().split()[0].rstrip(","), "und")


def _stand_off(root: etree._Element, register: Register) -> None:
    keys: list[str] = []
    for element in root.iter():
        ref = element.get("ref") if isinstance(element.tag, str) else None
        if ref and ref.startswith("#") and ref[1:] in register and ref[1:] not in keys:
            keys.append(ref[1:])
    # Entries point on to their country: take those along, so every pointer resolves.
    index = 0
    while index < len(keys):
        country = register[keys[index]].country
        if country and country in register and country not in keys:
            keys.append(country)
        index += 1
    if not keys:
        return
    stand_off = etree.SubElement(root, tei("standOff"))
    lists: dict[str, etree._Element] = {}
    for kind in ("person", "place", "org", "event"):
        entries = sorted(key for key in keys if register[key].kind == kind)
        if entries:
            lists[kind] = etree.SubElement(stand_off, tei(LIST_OF[kind]))
            for key in entries:
                lists[kind].append(register.element_for(key))
