"""The bytes of a TEI file mapped to its elements and text, and tags inserted into those bytes alone.

The file is read with expat, whose events carry the byte offset where each starts; the bytes
between two events belong to the first. A piece of text whose bytes decode to exactly its
characters can take a tag between any two characters; a reference (`&amp;`, `&#x2014;`), a CDATA
section or a normalised line end (`\\r\\n`) is a piece that a tag may only stand before or after.
"""

from __future__ import annotations

import bisect
import codecs
import xml.parsers.expat as expat
from dataclasses import dataclass, field

from ..xmlio import TEI_NS, XML_NS

#: Elements whose text is collected while scanning: a name may gain the link it lacks.
NAME_ELEMENTS = frozenset({"persName", "placeName", "orgName"})
_XML_ID = f"{XML_NS} id"
_XML_LANG = f"{XML_NS} lang"


class ScanError(Exception):
    """Bytes that expat cannot read as the document they claim to be."""


@dataclass(slots=True)
class Element:
    """One element as it stands in the bytes: its name as written and where its tags are."""

    uri: str | None
    local: str
    prefix: str | None
    parent: int | None
    start: int  # the '<' of the start tag
    tag_end: int = -1  # just after the start tag's '>'
    end_tag: int = -1  # the '<' of the end tag; == tag_end for an empty element
    end: int = -1  # just after the element
    end_index: int = -1  # index of the first element after this one's descendants
    attributes: dict[str, str] = field(default_factory=dict)  # "uri local" or "local" -> value
    lang: str | None = None  # xml:lang in force (inherited)
    empty: bool = False
    text: list[str] = field(default_factory=list)  # character data inside (name elements only)
    content: list[tuple[int, int]] = field(default_factory=list)  # (RUN, run) (CHILD, element) (OTHER, -1), in order

    @property
    def is_tei(self) -> bool:
        return self.uri == TEI_NS

    def qualified(self, local: str) -> str:
        """A sibling name written the way this element's own name is (same prefix or none)."""
        return f"{self.prefix}:{local}" if self.prefix else local


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters of one text node and the bytes [start, end) they come from."""

    text: str
    start: int
    end: int
    split: bool  # a tag may stand between any two of its characters


@dataclass(slots=True)
class Run:
    """Text between two neighbouring tags (or comments, instructions) inside one element."""

    parent: int
    pieces: list[Piece]
    _starts: list[int] = field(default_factory=list)
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(piece.text for piece in self.pieces)
        return self._text

    def byte_offset(self, char: int, encoding: str) -> int | None:
        """Byte offset of a boundary before text[char], or None where no tag may stand."""
        if not self._starts:
            position = 0
            for piece in self.pieces:
                self._starts.append(position)
                position += len(piece.text)
            self._starts.append(position)
        if char == self._starts[-1]:
            return self.pieces[-1].end
        index = bisect.bisect_right(self._starts, char) - 1
        if index < 0 or index >= len(self.pieces):
            return None
        piece, inside = self.pieces[index], char - self._starts[index]
        if inside == 0:
            return piece.start
        if not piece.split:
            return None
        if piece.end - piece.start == len(piece.text):  # one byte per character
            return piece.start + inside
        return piece.start + len(piece.text[:inside].encode(encoding))


@dataclass
class Scan:
    """The elements and text runs of a document, with their byte offsets."""

    data: bytes
    encoding: str
    elements: list[Element]
    runs: list[Run]
    ids: dict[str, int]  # xml:id -> element index

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding, "xmlcharrefreplace")


_SUPPORTED = {"utf-8", "ascii", "latin-1", "iso8859-1"}


def _encoding(data: bytes, declared: str | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:2] in (b"<\x00", b"\x00<"):
        raise ScanError("UTF-16 files are not annotated; save the file as UTF-8")
    name = codecs.lookup(declared or "utf-8").name
    if name not in _SUPPORTED and not name.startswith(("iso8859", "cp125")):
        raise ScanError(f"encoding {declared!r} is not supported for annotation; save the file as UTF-8")
    return name


def scan(data: bytes) -> Scan:
    """Elements and text runs of `data` (which the hardened parser has already accepted)."""
    events: list[tuple[int, int, object]] = []  # (kind, byte index, payload)
    declared: list[str | None] = [None]
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    append = events.append

    def start(name: str, attributes: dict[str, str]) -> None:
        append((_START, parser.CurrentByteIndex, (name, attributes)))

    def end(name: str) -> None:
        append((_END, parser.CurrentByteIndex, None))

    def characters(text: str) -> None:
        append((_TEXT, parser.CurrentByteIndex, text))

    def other(*_: object) -> None:
        append((_OTHER, parser.CurrentByteIndex, None))

    def cdata_start() -> None:
        append((_CDATA_START, parser.CurrentByteIndex, None))

    def cdata_end() -> None:
        append((_CDATA_END, parser.CurrentByteIndex, None))

    def xml_declaration(version: str, encoding: str | None, standalone: int) -> None:
        declared[0] = encoding
        append((_OTHER, parser.CurrentByteIndex, None))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartCdataSectionHandler = cdata_start
    parser.EndCdataSectionHandler = cdata_end
    parser.CommentHandler = other
    parser.ProcessingInstructionHandler = other
    parser.XmlDeclHandler = xml_declaration
    parser.DefaultHandler = other
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ScanError(f"expat: {exc}") from None
    return _build(data, _encoding(data, declared[0]), events)


_START, _END, _TEXT, _OTHER, _CDATA_START, _CDATA_END = range(6)
#: Kinds of an element's content items.
RUN, CHILD, OTHER = range(3)


def _split_name(name: str) -> tuple[str | None, str, str | None]:
    parts = name.split(" ")
    if len(parts) == 1:
        return None, parts[0], None
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def _build(data: bytes, encoding: str, events: list[tuple[int, int, object]]) -> Scan:
    elements: list[Element] = []
    runs: list[Run] = []
    ids: dict[str, int] = {}
    stack: list[int] = []
    naming: list[int] = []  # open name elements, whose text decides their link
    run: Run | None = None
    cdata: tuple[int, list[str]] | None = None
    last = len(events) - 1
    names: dict[str, tuple[str | None, str, str | None]] = {}
    for position, (kind, index, payload) in enumerate(events):
        following = events[position + 1][1] if position < last else len(data)
        if kind == _TEXT:
            assert isinstance(payload, str)
            for open_element in naming:
                elements[open_element].text.append(payload)
            if cdata is not None:
                cdata[1].append(payload)
                continue
            raw = data[index:following]
            split = not raw.startswith(b"&") and raw.decode(encoding, "replace") == payload
            if run is None and stack:
                run = Run(stack[-1], [])
                elements[stack[-1]].content.append((RUN, len(runs)))
                runs.append(run)
            if run is not None:
                run.pieces.append(Piece(payload, index, following, split))
            continue
        if kind == _CDATA_START:
            cdata = (index, [])
            continue
        if kind == _CDATA_END:
            assert cdata is not None
            if stack:
                if run is None:
                    run = Run(stack[-1], [])
                    elements[stack[-1]].content.append((RUN, len(runs)))
                    runs.append(run)
                run.pieces.append(Piece("".join(cdata[1]), cdata[0], following, False))
            cdata = None
            continue
        run = None
        if kind == _OTHER and stack:
            elements[stack[-1]].content.append((OTHER, -1))
        if kind == _START:
            name, attributes = payload  # type: ignore[misc]
            split_name = names.get(name)
            if split_name is None:
                split_name = names[name] = _split_name(name)
            uri, local, prefix = split_name
            parent = stack[-1] if stack else None
            keyed = {(key.rsplit(" ", 1)[0] if key.count(" ") == 2 else key): value for key, value in attributes.items()} if attributes else {}
            lang = keyed.get(_XML_LANG, elements[parent].lang if parent is not None else None)
            element = Element(uri, local, prefix, parent, index, following, attributes=keyed, lang=lang)
            element.empty = data[following - 2 : following] == b"/>"
            if _XML_ID in keyed:
                ids.setdefault(keyed[_XML_ID], len(elements))
            if local in NAME_ELEMENTS and uri == TEI_NS:
                naming.append(len(elements))
            if parent is not None:
                elements[parent].content.append((CHILD, len(elements)))
            stack.append(len(elements))
            elements.append(element)
        elif kind == _END:
            closing = stack.pop()
            if naming and naming[-1] == closing:
                naming.pop()
            element = elements[closing]
            element.end_index = len(elements)
            element.end_tag = index
            element.end = following if element.empty else data.index(b">", index) + 1
    return Scan(data, encoding, elements, runs, ids)


@dataclass(frozen=True, order=True)
class Insertion:
    """Bytes to put at an offset; at one offset, lower `order` goes first."""

    offset: int
    order: tuple[int, ...]
    data: bytes


def apply(data: bytes, insertions: list[Insertion]) -> bytes:
    """`data` with every insertion in place; nothing else changes."""
    if not insertions:
        return data
    out: list[bytes] = []
    position = 0
    for insertion in sorted(insertions):
        out.append(data[position : insertion.offset])
        out.append(insertion.data)
        position = insertion.offset
    out.append(data[position:])
    return b"".join(out)


def quote_of(data: bytes, element: Element) -> str:
    """The quote this start tag uses for its last attribute, for an attribute added after it."""
    tag = data[element.start : element.tag_end].rstrip(b"/> \t\r\n")
    return "'" if tag.endswith(b"'") else '"'


def escape_attribute(value: str, quote: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    return value.replace(quote, "&quot;" if quote == '"' else "&apos;")
