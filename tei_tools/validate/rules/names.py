"""Names and the register: linked where it matters, pointing at the right kind of entry."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from lxml import etree

from ...problems import Severity
from ...xmlio import NSMAP, TEI_NS
from . import Document, Finding, rule

_UNLINKED_IN_CORRESP = etree.XPath(
    "/*[self::tei:TEI or self::tei:teiCorpus]/tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction/*[not(@ref)][self::tei:persName or self::tei:placeName or self::tei:orgName or self::tei:name or self::tei:rs]",
    namespaces=NSMAP,
)
KIND_OF_NAME = {"persName": "person", "placeName": "place", "orgName": "org"}
_KIND_BY_TAG = {f"{{{TEI_NS}}}{tag}": kind for tag, kind in KIND_OF_NAME.items()}
_ENTRY_BY_TAG = {f"{{{TEI_NS}}}{kind}": kind for kind in ("person", "place", "org", "event")}
ID_PATTERNS = {"wikidata": re.compile(r"Q[1-9]\d*"), "geonames": re.compile(r"[1-9]\d*"), "viaf": re.compile(r"[1-9]\d*")}


@rule("NAM001", "corresp-names-linked")
def corresp_names_linked(doc: Document) -> Iterator[Finding]:
    """Every person, place and organisation named in correspDesc has a @ref.

    correspDesc is what other archives harvest (CMIF): an unlinked name there cannot be matched
    to anyone. Leave a name out of correspDesc rather than list it unlinked.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <profileDesc><correspDesc><correspAction type="sent"><persName>Liu</persName></correspAction></correspDesc></profileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <profileDesc><correspDesc><correspAction type="sent"><persName ref="#liu">Liu</persName></correspAction></correspDesc></profileDesc></teiHeader>
        <text><body><p>x</p></body></text>
        <standOff><listPerson><person xml:id="liu"><persName>Liu</persName></person></listPerson></standOff></TEI>
    """
    for name in _UNLINKED_IN_CORRESP(doc.root):
        yield Finding(name, f"<{etree.QName(name).localname}>{''.join(name.itertext()).strip()}</...> in correspDesc has no @ref")


@rule("NAM002", "ref-kind-matches")
def ref_kind_matches(doc: Document) -> Iterator[Finding]:
    """A persName points to a person, a placeName to a place, an orgName to an org.

    A name that points at the wrong kind of entry is a wrong link, which is worse than none.

    Fails:
        <p><persName ref="#romania">Romania</persName></p>
    Passes:
        <p><placeName ref="#romania">Romania</placeName></p>
    """
    kind_of_target: dict[str, str | None] = {}  # names point to few entries, many times over
    for value in doc.pointer_values:
        if value.attrname != "ref":
            continue
        name = value.getparent()
        kind = _KIND_BY_TAG.get(name.tag)
        if kind is None:
            continue
        for token in value.split():
            if token[0] != "#":
                continue
            key = token[1:]
            if key not in kind_of_target:
                target = doc.element_with_id(key)
                kind_of_target[key] = _ENTRY_BY_TAG.get(target.tag) if target is not None else None
            target_kind = kind_of_target[key]
            if target_kind is not None and target_kind != kind:
                yield Finding(name, f"<{etree.QName(name).localname}> points to {token}, which is a <{target_kind}>, not a <{kind}>", "ref")


@rule("NAM003", "authority-id-form")
def authority_id_form(doc: Document) -> Iterator[Finding]:
    """Authority identifiers have their source's form: Wikidata Q and digits, GeoNames and VIAF digits.

    A malformed identifier never resolves; one with a stray prefix or space is a common slip.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p><placeName ref="#cuba">Cuba</placeName></p></body></text>
        <standOff><listPlace><place xml:id="cuba"><placeName>Cuba</placeName><idno type="wikidata">wd:241</idno></place></listPlace></standOff></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p><placeName ref="#cuba">Cuba</placeName></p></body></text>
        <standOff><listPlace><place xml:id="cuba"><placeName>Cuba</placeName><idno type="wikidata">Q241</idno></place></listPlace></standOff></TEI>
    """
    for idno in doc.tagged("idno"):
        pattern = ID_PATTERNS.get(idno.get("type") or "")
        if pattern is not None and not pattern.fullmatch(idno.text or ""):
            yield Finding(idno, f"\"{idno.text}\" is not a {idno.get('type')} identifier")


@rule("NAM004", "role-reference-typed")
def role_reference_typed(doc: Document) -> Iterator[Finding]:
    """An rs with @ref says what it refers to with @type (person, place, org).

    `the Premier` points to a person; without @type a reader cannot tell the index it belongs to.

    Fails:
        <p><rs ref="#zhou-enlai">the Premier</rs></p>
    Passes:
        <p><rs type="person" ref="#zhou-enlai">the Premier</rs></p>
    """
    for rs in doc.tagged("rs"):
        if rs.get("ref") and not rs.get("type"):
            yield Finding(rs, "<rs> with @ref has no @type (person, place, org)")


_WORD = re.compile(r"\w\w+|\d")


def _words(text: str) -> set[str]:
    """Lower-case words of a name, accents dropped: 'Zhou Enlai' and 'ZHOU Enlái' share both."""
    if not text.isascii():
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return set(_WORD.findall(text.lower()))


_PERS_NAME = f"{{{TEI_NS}}}persName"


def _text(element: etree._Element) -> str:
    return (element.text or "") if len(element) == 0 else "".join(element.itertext())


@lru_cache(maxsize=4096)  # the same register entries come back in file after file
def _entry_words(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_words(name) for name in names))


@rule("NAM005", "name-matches-entry", Severity.WARNING)
def name_matches_entry(doc: Document) -> Iterator[Finding]:
    """A persName shares at least one word with a name of the person entry its @ref points to.

    `<persName ref="#zhou-enlai">Deng Xiaoping</persName>` links the wrong person, a slip that
    looks right in every index. A surname alone, a title with the name, or another spelling
    listed in the entry all match; a spelling the entry lacks is worth adding to it.

    Fails:
        <p><persName ref="#zhou-enlai">Deng Xiaoping</persName></p>
    Passes:
        <p><persName ref="#zhou-enlai">Premier Zhou</persName></p>
    """
    names_of: dict[str, frozenset[str] | None] = {}
    matches: dict[tuple[str, str], bool] = {}  # a name is mentioned many times, the same way
    for value in doc.pointer_values:
        if value.attrname != "ref":
            continue
        mention = value.getparent()
        if mention.tag != _PERS_NAME:
            continue
        tokens = value.split()
        if len(tokens) != 1 or tokens[0][0] != "#":
            continue  # several referents, or an outside address: nothing to compare here
        key = tokens[0][1:]
        if key not in names_of:
            entry = doc.element_with_id(key)
            if entry is None or entry.tag != f"{{{TEI_NS}}}person":
                names_of[key] = None
            else:
                names_of[key] = _entry_words(tuple(_text(n) for n in entry.iterchildren(_PERS_NAME)))
        known = names_of[key]
        if not known:
            continue
        raw = _text(mention)
        pair = (key, raw or "")
        if pair not in matches:
            words = _words(pair[1])
            matches[pair] = not words or bool(words & known)
        if not matches[pair]:
            text = " ".join(pair[1].split())
            yield Finding(mention, f"\"{text}\" shares no word with the names of #{key}: a wrong link, or a spelling to add to the entry", "ref")
