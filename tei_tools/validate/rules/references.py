"""Pointers and identifiers: every local pointer resolves, every xml:id is unique."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from lxml import etree

from ...problems import Severity
from ...xmlio import NSMAP, XML_ID, tei
from . import Document, Finding, rule

_TAXONOMY, _CATEGORY = tei("taxonomy"), tei("category")
_ENTRY_TAGS = frozenset(tei(kind) for kind in ("person", "place", "org", "event"))
_ALL_IDS = etree.XPath("//@xml:id", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})


@rule("REF001", "pointer-resolves")
def pointer_resolves(doc: Document) -> Iterator[Finding]:
    """A local pointer (#id) in @ref, @target, @corresp, @scheme, @ana, @who, @resp, @source
    or @hand names an xml:id in the same file.

    Our editions are self-contained, so a dangling pointer links a name to nothing: the entry
    was not carried along, or the key is misspelt. (Other projects resolve such pointers
    against files of their corpus, which is why this is a house rule.) Only bare `#id` pointers
    are checked: pointer schemes (`#xpath(...)`, `#range(...)`), full URLs, prefixed pointers
    (REF004) and pointers under an `xml:base` point elsewhere.

    Fails:
        <p><persName ref="#zhou-enlia">Zhou Enlai</persName></p>
    Passes:
        <p><persName ref="#zhou-enlai">Zhou Enlai</persName> <ptr target="#xpath(//p[1])"/></p>
    """
    if not any(not doc.has_id(key) for key in doc.pointed() if is_bare_key(key)):
        return  # every key pointed to is there: no need to go value by value
    for value in doc.pointer_values:
        for token in pointer_tokens(value):
            if token[0] != "#" or not is_bare_key(token[1:]) or doc.has_id(token[1:]):
                continue
            element = value.getparent()
            if not _under_base(element):  # under xml:base, # is relative to another document
                yield Finding(element, f"@{value.attrname}=\"{token}\" points to no xml:id in this file", value.attrname)


#: Pointer schemes of TEI (16.2.4) and of the XPointer framework.
POINTER_SCHEMES = frozenset({"xpath", "left", "right", "string-index", "range", "string-range", "match", "xpointer", "element", "xmlns"})


@rule("REF004", "pointer-form")
def pointer_form(doc: Document) -> Iterator[Finding]:
    """A pointer scheme is one TEI or XPointer defines, with its brackets closed; a pointer
    with a prefix the file defines in listPrefixDef matches one of its prefixDef patterns,
    and when that makes it a local pointer (#id), the id exists.

    Any TEI file: the file itself says how these pointers resolve. Full URLs, bare `#id`s and
    prefixes the file does not define are left alone.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc>
        <encodingDesc><listPrefixDef><prefixDef ident="psn" matchPattern="([a-z]+)" replacementPattern="#$1"/></listPrefixDef></encodingDesc></teiHeader>
        <text><body><p><persName ref="psn:zhou">Zhou</persName></p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc>
        <encodingDesc><listPrefixDef><prefixDef ident="psn" matchPattern="([a-z]+)" replacementPattern="#$1"/></listPrefixDef></encodingDesc></teiHeader>
        <text><body><p><persName ref="psn:zhou">Zhou</persName> <ptr target="#string-range(a,0,3)"/><anchor xml:id="a"/><anchor xml:id="b"/></p></body></text>
        <standOff><listPerson><person xml:id="zhou"><persName>Zhou</persName></person></listPerson></standOff></TEI>
    """
    prefixes = prefix_definitions(doc)
    for value in doc.pointer_values:
        if "(" not in value and (not prefixes or ":" not in value):
            continue  # the common case: bare ids and URLs
        for token in pointer_tokens(value):
            problem = _pointer_problem(token, prefixes, doc)
            if problem:
                yield Finding(value.getparent(), f"@{value.attrname}=\"{token}\": {problem}", value.attrname)


def _pointer_problem(token: str, prefixes: dict[str, list[tuple[re.Pattern[str], str]]], doc: Document) -> str | None:
    if token.startswith("#"):
        scheme = _SCHEME.match(token[1:])
        if scheme is None:
            return None
        name = scheme.group(0)[:-1]
        if name not in POINTER_SCHEMES:
            return f"'{name}()' is not a TEI or XPointer pointer scheme"
        if token.count("(") != token.count(")") or not token.endswith(")"):
            return "the pointer scheme's brackets are not closed"
        return None
    prefixed = _PREFIXED.fullmatch(token)
    if prefixed is None or prefixed.group(1) not in prefixes:
        return None
    expanded = expand_prefix(prefixed.group(1), prefixed.group(2), prefixes)
    if expanded is None:
        return f"no prefixDef for '{prefixed.group(1)}' matches '{prefixed.group(2)}'"
    if expanded.startswith("#") and is_bare_key(expanded[1:]) and not doc.has_id(expanded[1:]):
        return f"stands for {expanded}, which names no xml:id in this file"
    return None


#: An XML name as xml:id takes it (close enough: what is not one cannot be an id anyway).
_BARE_KEY = re.compile(r"[^\s#()/:]+(?::[^\s#()/]+)*")
_SCHEME = re.compile(r"[A-Za-z][\w.-]*\(")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*):(.*)", re.S)
_PREFIX_DEFS = etree.XPath("//tei:listPrefixDef/tei:prefixDef[@ident][@matchPattern][@replacementPattern]", namespaces=NSMAP)
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def is_bare_key(key: str) -> bool:
    """Whether `#key` is a plain id pointer, not a pointer scheme such as `xpath(//p)`."""
    return bool(key) and not _SCHEME.match(key) and _BARE_KEY.fullmatch(key) is not None


def pointer_tokens(value: str) -> list[str]:
    """The pointers of an attribute value: split at white space, except inside the brackets of
    a pointer scheme (`#xpath(//p[@n = '1'])` is one pointer)."""
    if "(" not in value:
        return value.split()
    tokens, current, depth = [], [], 0
    for char in value:
        if char.isspace() and depth == 0:
            if current:
                tokens.append("".join(current))
                current = []
            continue
        depth += (char in "([") - (char in ")]")
        depth = max(depth, 0)
        current.append(char)
    if current:
        tokens.append("".join(current))
    return tokens


def prefix_definitions(doc: Document) -> dict[str, list[tuple[re.Pattern[str], str]]]:
    """The file's prefixDef rules by prefix: (matchPattern, replacementPattern)."""
    found: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for definition in _PREFIX_DEFS(doc.root):
        try:
            pattern = re.compile(definition.get("matchPattern"))
        except re.error:
            continue  # an XML Schema regex Python cannot read: the prefix is left unchecked
        found.setdefault(definition.get("ident"), []).append((pattern, definition.get("replacementPattern")))
    return found


def expand_prefix(prefix: str, rest: str, prefixes: dict[str, list[tuple[re.Pattern[str], str]]]) -> str | None:
    """The pointer `prefix:rest` stands for, by the first prefixDef whose pattern matches, or None."""
    for pattern, replacement in prefixes.get(prefix, []):
        matched = pattern.fullmatch(rest)
        if matched is None:
            continue
        groups = (matched.group(0),) + matched.groups()
        return re.sub(r"\$(\d)", lambda m: (groups[int(m.group(1))] or "") if int(m.group(1)) < len(groups) else "", replacement)
    return None


def _under_base(element: etree._Element) -> bool:
    return element.get(_XML_BASE) is not None or any(a.get(_XML_BASE) is not None for a in element.iterancestors())


@rule("ID001", "unique-xml-id")
def unique_ids(doc: Document) -> Iterator[Finding]:
    """Every xml:id occurs once.

    Two elements with one id make every pointer to it ambiguous.

    Fails:
        <p xml:id="p1">One.</p><p xml:id="p1">Two.</p>
    Passes:
        <p xml:id="p1">One.</p><p xml:id="p2">Two.</p>
    """
    for element in doc.duplicate_ids():
        first = doc.element_with_id(element.get(XML_ID))
        assert first is not None
        yield Finding(element, f"xml:id \"{element.get(XML_ID)}\" is already used on line {first.sourceline}", "xml:id")


@rule("REF002", "category-declared")
def category_declared(doc: Document) -> Iterator[Finding]:
    """catRef points at categories of the taxonomy its @scheme names, declared in classDecl.

    A classification that points outside its taxonomy cannot be read by anyone else.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <encodingDesc><classDecl><taxonomy xml:id="precedence"><category xml:id="precedence-urgent"><catDesc>Urgent</catDesc></category></taxonomy>
        <taxonomy xml:id="classification"><category xml:id="classification-secret"><catDesc>Secret</catDesc></category></taxonomy></classDecl></encodingDesc>
        <profileDesc><textClass><catRef scheme="#precedence" target="#classification-secret"/></textClass></profileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <encodingDesc><classDecl><taxonomy xml:id="precedence"><category xml:id="precedence-urgent"><catDesc>Urgent</catDesc></category></taxonomy></classDecl></encodingDesc>
        <profileDesc><textClass><catRef scheme="#precedence" target="#precedence-urgent"/></textClass></profileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    for cat_ref in doc.tagged("catRef"):
        scheme = (cat_ref.get("scheme") or "").lstrip("#")
        taxonomy = doc.element_with_id(scheme) if scheme else None
        if scheme and (taxonomy is None or taxonomy.tag != _TAXONOMY):
            yield Finding(cat_ref, f"@scheme=\"#{scheme}\" is not a taxonomy declared in classDecl", "scheme")
            continue
        for token in (cat_ref.get("target") or "").split():
            target = doc.element_with_id(token.lstrip("#"))
            if target is None:
                continue  # REF001 reports it
            if target.tag != _CATEGORY:
                yield Finding(cat_ref, f"@target=\"{token}\" is not a category", "target")
            elif taxonomy is not None and taxonomy not in target.iterancestors():
                yield Finding(cat_ref, f"category {token} is not in the taxonomy #{scheme}", "target")


@rule("REF003", "register-entry-used", Severity.WARNING)
def register_entry_used(doc: Document) -> Iterator[Finding]:
    """Every register entry in standOff is pointed to from the file.

    An entry nobody points to is dead weight in an exchanged file, or the trace of a pointer
    that was lost.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>Nobody.</p></body></text>
        <standOff><listPerson><person xml:id="chen-yi"><persName>Chen Yi</persName></person></listPerson></standOff></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p><persName ref="#chen-yi">Chen Yi</persName></p></body></text>
        <standOff><listPerson><person xml:id="chen-yi"><persName>Chen Yi</persName></person></listPerson></standOff></TEI>
    """
    stand_off = doc.child(doc.root, "standOff")
    if stand_off is None or doc.child(doc.root, "text") is None:
        return  # a register file on its own lists entries for others to point to
    pointed = doc.pointed()
    # Going by the file's ids, not its entries: most ids are pointed to, and only the few
    # that are not need their element looked at.
    for key in doc.ids():
        if not key or key in pointed:
            continue
        entry = doc.element_with_id(key)
        if entry is not None and entry.tag in _ENTRY_TAGS and any(ancestor is stand_off for ancestor in entry.iterancestors()):
            yield Finding(entry, f"register entry \"{key}\" is not pointed to from this file", "xml:id")


_NOT_A_KEY = re.compile(r"[#:/.?]")


def _bare_key(token: str) -> bool:
    """A token with no '#', scheme, path or file extension: a local key that lost its '#'."""
    return token[0] != "#" and _NOT_A_KEY.search(token) is None


@rule("REF006", "local-pointer-has-hash")
def local_pointer_has_hash(doc: Document) -> Iterator[Finding]:
    """A @ref to an entry in the same file starts with '#'.

    Without the '#', `zhou-enlai` is a relative address: a file of that name beside this one,
    which nobody means. Processors then link the name to nothing, and REF001 cannot see it.

    Fails:
        <p><persName ref="zhou-enlai">Zhou Enlai</persName></p>
    Passes:
        <p><persName ref="#zhou-enlai">Zhou Enlai</persName></p>
    """
    for value in doc.pointer_values:
        if value.attrname != "ref":
            continue  # @ana and @corresp hold bare tokens in many projects' real files
        for token in value.split():
            if _bare_key(token):
                known = " (an xml:id of this file)" if doc.has_id(token) else ""
                yield Finding(value.getparent(), f"@{value.attrname}=\"{token}\" has no '#': a pointer into this file is written \"#{token}\"{known}", value.attrname)


def _ids_of(path: str) -> frozenset[str] | None:
    """The xml:ids of another local file, or None when it cannot be read (cached by change time)."""
    import os

    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _ids_cached(os.path.realpath(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)  # a register file is pointed into from many files of a run
def _ids_cached(path: str, _mtime: int, _size: int) -> frozenset[str] | None:
    from ...xmlio import parse_file

    try:
        tree = parse_file(path)
    except Exception:  # malformed or refused: the pointer leads to nothing usable
        return None
    return frozenset(_ALL_IDS(tree))


@rule("REF005", "register-file-pointer-resolves")
def register_file_pointer_resolves(doc: Document) -> Iterator[Finding]:
    """A pointer into another local file (register.xml#key) names a file that exists, beside
    this one, and an xml:id in it.

    A shared register kept in its own file is fine; a misspelt or moved file breaks every link
    into it at once.

    Fails:
        <p><persName ref="no-such-register.xml#zhou-enlai">Zhou Enlai</persName></p>
    Passes:
        <p><persName ref="#zhou-enlai">Zhou Enlai</persName></p>
    """
    import os

    base = os.path.dirname(doc.tree.docinfo.URL or "")
    for value in doc.pointer_values:
        if value[:1] == "#" and " " not in value:
            continue  # the common case, a single local pointer
        for token in value.split():
            position = token.find("#")
            if position <= 0 or ":" in token[:position]:
                continue  # local (#key), or an absolute address with a scheme
            file, key = token[:position], token[position + 1:]
            from urllib.parse import unquote

            target = os.path.join(base, unquote(file))
            ids = _ids_of(target)
            if ids is None:
                reason = "does not exist" if not os.path.exists(target) else "cannot be read as XML"
                yield Finding(value.getparent(), f"@{value.attrname}=\"{token}\" points into {target}, which {reason}", value.attrname)
            elif key and key not in ids:
                yield Finding(value.getparent(), f"@{value.attrname}=\"{token}\": {target} has no xml:id \"{key}\"", value.attrname)
