"""The bytes of a TEI file mapped to its elements and text, and tags inserted into those bytes alone."""

# Markup is read with expat, whose events carry the byte offset where each starts; the text
# between two pieces of markup is read from the bytes. A piece of text whose bytes are exactly its
# characters can take a tag between any two of them; a reference (`&amp;`, `&#x2014;`), a CDATA
# section or a line end read as one line feed (`\r\n`) is a piece a tag may only stand beside.

from __future__ import annotations

import bisect
import codecs
import re
import xml.parsers.expat as expat
from dataclasses import dataclass, field
from functools import lru_cache

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


@dataclass(slots=True)
class Piece:
    """Characters of one text node and the bytes [start, end) they come from (never changed once
    made; not frozen, as a file makes thousands)."""

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


def scan(data: bytes, text_in: frozenset[str] | None = None) -> Scan:
    """Elements and text runs of `data` (which the hardened parser has already accepted).

    With `text_in`, text is kept only inside elements of those local names (and everything in
    them): the white space between structural elements is then not read at all."""
    return _Scanner(data, text_in).run()


#: Kinds of an element's content items.
RUN, CHILD, OTHER = range(3)

# Markup is reported by expat; the character data between two pieces of markup is read here,
# from the bytes, so a reference or a line end is known for what it is (expat would report its
# replacement, one event per line and reference).
_START_TAG = re.compile(rb"<([^\s/>]+)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*/?>")
_SPECIAL = re.compile(rb"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));|\r\n?")
_PREDEFINED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}
_CDATA_OPEN = len(b"<![CDATA[")


@lru_cache(maxsize=4096)
def _split_name(name: str) -> tuple[str | None, str]:
    uri, _, local = name.rpartition(" ")
    return uri or None, local


@lru_cache(maxsize=4096)
def _prefix(written: bytes, encoding: str) -> str | None:
    prefix, colon, _ = written.partition(b":")
    return prefix.decode(encoding) if colon else None


class _Scanner:
    """One pass of expat over the bytes, building elements and runs as the markup goes by."""

    def __init__(self, data: bytes, text_in: frozenset[str] | None = None) -> None:
        self.data = data
        self.text_in = text_in
        self.recording: list[bool] = []  # per open element: is its text kept
        self.encoding = "utf-8"
        self.elements: list[Element] = []
        self.runs: list[Run] = []
        self.ids: dict[str, int] = {}
        self.stack: list[int] = []
        self.naming: list[int] = []  # open name elements, whose text decides their link
        self.run_: Run | None = None
        self.last_end = 0  # where the markup seen last ends
        self.cdata_start = -1
        # Names come as "uri local" (attributes too, so they need no rewriting); the prefix an
        # element is written with is read from its tag.
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartCdataSectionHandler = self.cdata_open
        parser.EndCdataSectionHandler = self.cdata_close
        parser.CommentHandler = self.comment
        parser.ProcessingInstructionHandler = self.instruction
        parser.XmlDeclHandler = self.declaration
        self.parser = parser

    def run(self) -> Scan:
        if self.data.startswith((b"\xff\xfe", b"\xfe\xff")) or self.data[:2] in (b"<\x00", b"\x00<"):
            raise ScanError("UTF-16 files are not annotated; save the file as UTF-8")
        try:
            self.parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            raise ScanError(f"expat: {exc}") from None
        except UnicodeDecodeError as exc:
            raise ScanError(f"bytes that are not {self.encoding}: {exc}") from None
        return Scan(self.data, self.encoding, self.elements, self.runs, self.ids)

    # -- character data ------------------------------------------------------------------
    def _piece(self, piece: Piece) -> None:
        if not self.stack:
            return
        if self.run_ is None:
            parent = self.stack[-1]
            self.run_ = Run(parent, [])
            self.elements[parent].content.append((RUN, len(self.runs)))
            self.runs.append(self.run_)
        self.run_.pieces.append(piece)
        for open_element in self.naming:
            self.elements[open_element].text.append(piece.text)

    def _text(self, end: int) -> None:
        """The character data from the end of the last markup to `end`."""
        start, data = self.last_end, self.data
        if start >= end or not self.stack or not self.recording[-1]:
            return
        raw = data[start:end]
        encoding = self.encoding
        if b"&" not in raw and b"\r" not in raw:
            self._piece(Piece(raw.decode(encoding), start, end, True))
            return
        position = 0
        for match in _SPECIAL.finditer(raw):
            if match.start() > position:
                self._piece(Piece(raw[position : match.start()].decode(encoding), start + position, start + match.start(), True))
            hexadecimal, decimal, name = match.groups()
            if hexadecimal is not None:
                character = chr(int(hexadecimal, 16))
            elif decimal is not None:
                character = chr(int(decimal))
            elif name is not None:
                character = _PREDEFINED[name]
            else:
                character = "\n"  # XML reads every line end as one line feed
            self._piece(Piece(character, start + match.start(), start + match.end(), False))
            position = match.end()
        if position < len(raw):
            self._piece(Piece(raw[position:].decode(encoding), start + position, end, True))

    def _markup(self, index: int, end: int) -> None:
        """Markup over [index, end): text before it is read; a run of text ends at it."""
        self._text(index)
        self.run_ = None
        self.last_end = end

    # -- handlers --------------------------------------------------------------------------
    def declaration(self, version: str, encoding: str | None, standalone: int) -> None:
        if encoding:
            name = codecs.lookup(encoding).name
            if name not in _SUPPORTED and not name.startswith(("iso8859", "cp125")):
                raise ScanError(f"encoding {encoding!r} is not supported for annotation; save the file as UTF-8")
            self.encoding = name
        index = self.parser.CurrentByteIndex
        self._markup(index, self.data.index(b"?>", index) + 2)

    def instruction(self, target: str, data: str) -> None:
        index = self.parser.CurrentByteIndex
        self._markup(index, self.data.index(b"?>", index) + 2)
        if self.stack:
            self.elements[self.stack[-1]].content.append((OTHER, -1))

    def comment(self, text: str) -> None:
        index = self.parser.CurrentByteIndex
        self._markup(index, self.data.index(b"-->", index + 4) + 3)
        if self.stack:
            self.elements[self.stack[-1]].content.append((OTHER, -1))

    def cdata_open(self) -> None:
        index = self.parser.CurrentByteIndex
        self._text(index)  # a CDATA section belongs to the run it stands in
        self.cdata_start = index
        self.last_end = index + _CDATA_OPEN

    def cdata_close(self) -> None:
        index = self.parser.CurrentByteIndex
        if self.stack and self.recording[-1]:
            raw = self.data[self.cdata_start + _CDATA_OPEN : index]
            text = raw.decode(self.encoding).replace("\r\n", "\n").replace("\r", "\n")
            self._piece(Piece(text, self.cdata_start, index + 3, False))
        self.last_end = index + 3

    def start(self, name: str, attributes: dict[str, str]) -> None:
        index = self.parser.CurrentByteIndex
        match = _START_TAG.match(self.data, index)
        if match is None:
            raise ScanError(f"cannot read the start tag at byte {index}")
        tag_end = match.end()
        elements = self.elements
        self._markup(index, tag_end)
        uri, local = _split_name(name)
        prefix = _prefix(match.group(1), self.encoding)
        parent = self.stack[-1] if self.stack else None
        keyed = attributes  # "uri local" or "local" -> value, a dict of its own per element
        lang = keyed.get(_XML_LANG, elements[parent].lang if parent is not None else None)
        element = Element(uri, local, prefix, parent, index, tag_end, attributes=keyed, lang=lang)
        element.empty = self.data[tag_end - 2 : tag_end] == b"/>"
        number = len(elements)
        if _XML_ID in keyed:
            self.ids.setdefault(keyed[_XML_ID], number)
        if local in NAME_ELEMENTS and uri == TEI_NS:
            self.naming.append(number)
        if parent is not None:
            elements[parent].content.append((CHILD, number))
        self.stack.append(number)
        self.recording.append(self.text_in is None or local in self.text_in or (bool(self.recording) and self.recording[-1]))
        elements.append(element)

    def end(self, name: str) -> None:
        index = self.parser.CurrentByteIndex
        closing = self.stack[-1]
        element = self.elements[closing]
        if element.empty:
            end = element.tag_end
        else:
            end = self.data.index(b">", index) + 1
        self._markup(index if not element.empty else end, end)
        self.stack.pop()
        self.recording.pop()
        if self.naming and self.naming[-1] == closing:
            self.naming.pop()
        element.end_index = len(self.elements)
        element.end_tag = index if not element.empty else end
        element.end = end


@dataclass(frozen=True, order=True)
class Insertion:
    """Bytes to put at an offset; at one offset, lower `order` goes first."""

    offset: int
    order: tuple[int, ...]
    data: bytes


def _place(insertion: Insertion) -> tuple[int, tuple[int, ...], bytes]:
    # The order Insertion's own comparison gives, as plain tuples (compared in C).
    return insertion.offset, insertion.order, insertion.data


def apply(data: bytes, insertions: list[Insertion]) -> bytes:
    """`data` with every insertion in place; nothing else changes."""
    if not insertions:
        return data
    out: list[bytes] = []
    position = 0
    for insertion in sorted(insertions, key=_place):
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
