"""Namespaces, the one hardened XML parser, and deterministic serialisation."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"tei": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"

#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Elements nested deeper than this are refused (TEI editions rarely pass 40; libxml2's own
#: limit, 256, would otherwise answer first with a less helpful message).
MAX_DEPTH = 150


def tei(tag: str) -> str:
    """Clark name of a TEI element: tei('p') -> '{http://www.tei-c.org/ns/1.0}p'."""
    return f"{{{TEI_NS}}}{tag}"


def _new_parser() -> etree.XMLParser:
    # Every option that could reach outside the file or multiply its size is off:
    # no entity substitution, no DTD loading or validation, no network, no huge trees.
    # Comments and PIs are kept so hand-edited files survive a round trip.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


class _RefuseAll(etree.Resolver):
    """Answers every request for an outside resource with nothing, so none is ever read."""

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        return self.resolve_string("", context)


def _hardened_parser() -> etree.XMLParser:
    parser = _new_parser()
    parser.resolvers.add(_RefuseAll())
    return parser


_PARSER = _hardened_parser()
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _prolog_declares_doctype(data: bytes) -> bool:
    """A DOCTYPE can only stand before the root element; look there, in the document's encoding."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    root = _ROOT_START.search(head)
    return bool(_DOCTYPE.search(head[: root.start()] if root else head))


class UnsafeXML(Exception):
    """A document that uses a feature the tools refuse (DTD, entity, XInclude...)."""

    def __init__(self, code: str, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.line = line


def parse_bytes(data: bytes, *, base_url: str | None = None, allow_xinclude: bool = False) -> etree._ElementTree:
    """Parse XML bytes with the hardened parser; refuse DTDs, entities and XInclude.

    Raises `etree.XMLSyntaxError` for malformed XML and `UnsafeXML` for documents
    that are well-formed but use a refused feature.
    """
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeXML("XML003", f"file is {len(data)} bytes, larger than the limit of {MAX_FILE_BYTES}")
    # libxml2 opens a local external DTD or parameter entity even with DTD loading off,
    # so a DOCTYPE is refused before the parser ever sees the document.
    if _prolog_declares_doctype(data):
        raise UnsafeXML("XML002", "the document declares a DOCTYPE; DTDs and entities are refused", 1)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _PARSER, base_url=base_url))
    except etree.XMLSyntaxError as exc:
        refused = _refusal(exc)
        if refused is None:
            raise
        raise refused from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise UnsafeXML("XML002", "the document declares a DOCTYPE; DTDs and entities are refused", 1)
    # No entity reference can remain: without a DOCTYPE (refused above) an undeclared entity is
    # a well-formedness error, and the five predefined ones are plain characters.
    root = tree.getroot()
    # The 2003 draft namespace too: some XInclude processors still accept it.
    for element in () if allow_xinclude else root.iter("{http://www.w3.org/2001/XInclude}*", "{http://www.w3.org/2003/XInclude}*"):
        raise UnsafeXML("XML004", "XInclude is refused; include the content in the file itself", element.sourceline or 1)
    too_deep = _too_deep(root)
    if too_deep is not None:
        raise UnsafeXML("XML005", f"elements are nested more than {MAX_DEPTH} deep", too_deep.sourceline or 1)
    return tree


def _refusal(exc: etree.XMLSyntaxError) -> UnsafeXML | None:
    """libxml2's own refusals (entity amplification, network loads, depth) as clear problems."""
    message = str(exc.msg or exc)
    line = exc.lineno or 1
    if "amplification" in message or "entity loop" in message.lower():
        return UnsafeXML("XML002", "entity expansion refused: the document multiplies entities (a 'billion laughs' or blow-up attack)", line)
    if "network entity" in message or "failed to load" in message or "External parsed entities" in message:
        return UnsafeXML("XML002", "external DTD or entity refused: nothing outside the file is loaded", line)
    if "xcessive depth" in message:
        return UnsafeXML("XML005", f"elements are nested more than {MAX_DEPTH} deep", line)
    return None


XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
#: How deep includes may nest, and how many bytes all the files of one document may add up to.
MAX_XINCLUDE_DEPTH = 10
MAX_XINCLUDE_BYTES = MAX_FILE_BYTES
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve_xincludes(tree: etree._ElementTree, document: str | os.PathLike[str], roots: list[str]) -> None:
    """Replace each xi:include by the file it names, as an XInclude processor would, but only
    for files inside `roots` (the folders being checked): never a URL, never a file outside
    them, each file read by the hardened parser, depth- and size-limited. Raises UnsafeXML
    (XML004) for an include it will not or cannot resolve."""
    allowed = [Path(root).resolve() for root in roots]
    budget = [MAX_XINCLUDE_BYTES]
    _resolve_in(tree.getroot(), Path(document).resolve(), allowed, [Path(document).resolve()], budget)


def _refuse(element: etree._Element, message: str) -> UnsafeXML:
    return UnsafeXML("XML004", message, element.sourceline or 1)


def _resolve_in(root: etree._Element, document: Path, allowed: list[Path], stack: list[Path], budget: list[int]) -> None:
    for include in list(root.iter(f"{{{XINCLUDE_NS}}}include")):
        href = (include.get("href") or "").strip()
        if include.get("xpointer") is not None:
            raise _refuse(include, "XInclude with xpointer is not supported; include a whole file")
        if not href:
            raise _refuse(include, "XInclude without href is not supported")
        if _SCHEME.match(href):
            raise _refuse(include, f"XInclude of {href!r} refused: addresses are never fetched, only files beside the document")
        target = (document.parent / href).resolve()
        if not any(target == root_dir or root_dir in target.parents for root_dir in allowed):
            raise _refuse(include, f"XInclude of {href!r} refused: it is outside the folders being checked")
        if target in stack:
            raise _refuse(include, f"XInclude of {href!r} refused: it includes itself")
        if len(stack) > MAX_XINCLUDE_DEPTH:
            raise _refuse(include, f"XInclude nested more than {MAX_XINCLUDE_DEPTH} deep")
        try:
            data = target.read_bytes() if target.stat().st_size <= budget[0] else None
        except OSError:
            fallback = include.find(f"{{{XINCLUDE_NS}}}fallback")
            if fallback is None:
                raise _refuse(include, f"XInclude of {href!r}: no such file") from None
            _replace(include, [fallback.text or ""] + list(fallback))
            continue
        if data is None:
            raise _refuse(include, f"XInclude of {href!r} refused: the included files pass the size limit of {MAX_XINCLUDE_BYTES} bytes")
        budget[0] -= len(data)
        if include.get("parse", "xml") == "text":
            _replace(include, [data.decode(include.get("encoding") or "utf-8", "replace")])
            continue
        try:
            included = parse_bytes(data, allow_xinclude=True).getroot()
        except etree.XMLSyntaxError as exc:
            raise _refuse(include, f"XInclude of {href!r}: not well-formed ({exc.msg})") from None
        except UnsafeXML as exc:
            raise _refuse(include, f"XInclude of {href!r}: {exc}") from None
        _resolve_in(included, target, allowed, [*stack, target], budget)
        # Base URI fixup (XInclude 1.0, 4.5.5), as Xerces does for jing: the included element
        # says where it came from, so a grammar without xml:base there rejects it the same way.
        if included.get(f"{{{XML_NS}}}base") is None:
            included.set(f"{{{XML_NS}}}base", href)
        _replace(include, [included])
        if _too_deep(root.getroottree().getroot()) is not None:
            raise _refuse(include, f"elements are nested more than {MAX_DEPTH} deep once included")


def _replace(include: etree._Element, content: list) -> None:  # type: ignore[type-arg]
    """Put text and elements where the include stood, keeping the text around it."""
    parent = include.getparent()
    if parent is None:
        raise _refuse(include, "XInclude as the root element is not supported")
    tail = include.tail or ""
    position = parent.index(include)
    previous = include.getprevious()

    def add_text(text: str) -> None:
        if not text:
            return
        if previous is None:
            parent.text = (parent.text or "") + text
        else:
            previous.tail = (previous.tail or "") + text

    parent.remove(include)
    for item in content:
        if isinstance(item, str):
            add_text(item)
        else:
            if isinstance(item.tag, str) and item.getparent() is not None and item.getparent().tag == f"{{{XINCLUDE_NS}}}fallback":
                item_tail = item.tail
            else:
                item_tail = None
            parent.insert(position, item)
            item.tail = item_tail
            position += 1
            previous = item
    add_text(tail)


_GRAMMAR_PARSER = _new_parser()


def parse_grammar(path: str | os.PathLike[str]) -> etree._ElementTree:
    """A schema file chosen by the user or bundled: it may import files beside it (xml.xsd),
    which the document parser never allows; the network stays closed."""
    path = Path(path)
    return etree.ElementTree(etree.fromstring(path.read_bytes(), _GRAMMAR_PARSER, base_url=str(path)))


_EXTERNAL_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[\w:.-]+(?:\s+(?:PUBLIC\s+(?:\"[^\"]*\"|'[^']*')\s+|SYSTEM\s+)(?:\"[^\"]*\"|'[^']*'))?\s*>")


def parse_catalog(path: str | os.PathLike[str]) -> etree._ElementTree:
    """An XML catalog with the hardened parser. Catalogs often name the OASIS DTD; a DOCTYPE
    without an internal subset only points at it, so it is cut away unread. Anything more
    (an internal subset, entities) is refused like in any document."""
    data = Path(path).read_bytes()
    return parse_bytes(_EXTERNAL_DOCTYPE.sub(b"", data, count=1))


def parse_grammar_bytes(data: bytes) -> etree._ElementTree:
    """A grammar this package wrote itself (a pruned RELAX NG), from bytes; nothing outside is read."""
    return etree.ElementTree(etree.fromstring(data, _PARSER))


def parse_file(path: str | os.PathLike[str]) -> etree._ElementTree:
    """Read and parse one file with the hardened parser (see `parse_bytes`)."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeXML("XML003", f"file is {size} bytes, larger than the limit of {MAX_FILE_BYTES}")
    return parse_bytes(path.read_bytes(), base_url=None)


# One step per level: libxml2 walks down level by level and stops where the tree ends.
_TOO_DEEP = etree.XPath("(/*" + "/*" * MAX_DEPTH + ")[1]")


def _too_deep(root: etree._Element) -> etree._Element | None:
    """The first element nested deeper than MAX_DEPTH, or None."""
    found = _TOO_DEEP(root)
    return found[0] if found else None


#: Elements whose content is text with markup: never re-indented, since white space
#: inside them is part of the text (a newline before <supplied> would change a name).
MIXED_CONTENT = frozenset(
    tei(name)
    for name in (
        "p", "head", "seg", "salute", "signed", "item", "label", "persName", "placeName",
        "orgName", "rs", "date", "supplied", "sic", "corr", "gap", "stamp", "measure",
        "title", "funder", "resp", "name", "idno", "licence", "bibl", "ab", "dateline",
        "speaker", "hi", "q", "quote", "foreign", "term", "roleName", "forename", "surname",
        "num", "unclear", "add", "del", "orig", "reg", "ref", "catDesc", "language",
        "publisher", "authority", "repository", "collection", "settlement", "country",
        "locus", "extent", "edition", "author", "editor", "note", "cell", "desc",
        "application", "change", "docDate", "byline", "addName",
    )
)


def indent(element: etree._Element, level: int = 0, space: str = "  ") -> None:
    """Indent element-only content; leave mixed content exactly as it is."""
    if element.tag in MIXED_CONTENT or not len(element):
        return
    children = list(element)
    if (element.text or "").strip() or any((child.tail or "").strip() for child in children):
        return
    inner = "\n" + space * (level + 1)
    element.text = inner
    for child in children:
        child.tail = inner
        indent(child, level + 1, space)
    children[-1].tail = "\n" + space * level


def serialize(root: etree._Element, *, processing_instructions: list[str] | None = None) -> bytes:
    """Pretty-printed UTF-8 bytes with an XML declaration; identical input gives identical bytes."""
    indent(root)
    body = etree.tostring(root, encoding="unicode")
    head = ['<?xml version="1.0" encoding="UTF-8"?>']
    head.extend(processing_instructions or [])
    return ("\n".join(head) + "\n" + body + "\n").encode("utf-8")


class NotRegularFile(OSError):
    """A device, FIFO, socket or folder where a file was expected: refused without reading."""


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Opened without blocking (a FIFO with no writer would hang) and checked before any read:
    `/dev/zero` would otherwise be read until memory runs out. Raises NotRegularFile, or
    UnsafeXML (XML003) for a file over the limit, or OSError.
    """
    _refuse_unless_regular(os.stat(path).st_mode, path)  # a socket cannot even be opened
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)  # what was opened, should the name have changed since
        _refuse_unless_regular(info.st_mode, path)
        if info.st_size > limit:
            raise UnsafeXML("XML003", f"file is {info.st_size} bytes, larger than the limit of {limit}")
        chunks = []
        remaining = limit + 1  # one byte more shows a file that grew past the limit while read
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise UnsafeXML("XML003", f"file is larger than the limit of {limit} bytes")
        return data
    finally:
        os.close(fd)


def _refuse_unless_regular(mode: int, path: str | os.PathLike[str]) -> None:
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
        raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind}); not read", os.fspath(path))


def _file_mode() -> int:
    """What a newly created file gets under the process's umask (0644 under 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


#: The names `write_atomic` gives its temporary files; one left behind belongs to a killed run.
TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    Readers see the old file or the new one, never a part. There is no fsync per file: it cost
    more than the conversion itself, and a crash loses at most files the next run rewrites.
    The file gets the user's umask (mkstemp's own 0600 would keep it from everyone else).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _file_mode())
            view = memoryview(data)
            while view:  # os.write, not a buffered write: a full disk is seen here, at once
                written = os.write(handle.fileno(), view)
                view = view[written:]
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
