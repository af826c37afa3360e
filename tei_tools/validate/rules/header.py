"""The header says what the document is, where it comes from, and how it is identified."""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from ...problems import Severity
from ...xmlio import NSMAP, tei
from . import XML_SPACE, Document, Finding, rule, screen, with_text


def _text(element) -> bool:  # type: ignore[no-untyped-def]
    """Whether an element holds any text; stops at the first piece found."""
    return element is not None and any(piece.strip(XML_SPACE) for piece in element.itertext())


_IDNO, _AVAILABILITY = tei("idno"), tei("availability")
# Each path is written once: the rules compile it, and their screens ask the same question.
#: The file's own header: a TEI document's, or a corpus's (the header of the whole teiCorpus).
HEADER_PATH = "/*[self::tei:TEI or self::tei:teiCorpus]/tei:teiHeader"
_TITLES_PATH = f"{HEADER_PATH}/tei:fileDesc/tei:titleStmt/tei:title"
_SOURCE_PATH = f"{HEADER_PATH}/tei:fileDesc/tei:sourceDesc"
_PUBLICATION_PATH = f"{HEADER_PATH}/tei:fileDesc/tei:publicationStmt"
_CREATED_PATH = f"{HEADER_PATH}/tei:profileDesc/tei:creation/tei:date[@when]"
_SENT_PATH = f"{HEADER_PATH}/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date[@when]"
_TITLES, _SOURCE, _PUBLICATION, _CREATED, _SENT = (
    etree.XPath(path, namespaces=NSMAP) for path in (_TITLES_PATH, _SOURCE_PATH, _PUBLICATION_PATH, _CREATED_PATH, _SENT_PATH)
)

# Screens: each is true when the rule below it certainly finds nothing.
_FIRST_PUBLICATION = f"({_PUBLICATION_PATH})[1]"
_HAS_TITLE = screen(with_text(_TITLES_PATH))
_HAS_SOURCE = screen(with_text(f"({_SOURCE_PATH})[1]"))
_HAS_IDENTIFIER = screen(with_text(f"{_FIRST_PUBLICATION}/tei:idno"))
_HAS_LICENCE = screen(f"not({_FIRST_PUBLICATION}) or " + with_text(f"{_FIRST_PUBLICATION}/tei:availability"))
_CREATION_DATE = f"({_CREATED_PATH})[1]"
_SENT_DATE = f"({_SENT_PATH})[1]"
# Equal dates first: in a clean file that settles it, and the other two tests are not run.
_DATES_AGREE = screen(f"string({_CREATION_DATE}/@when) = string({_SENT_DATE}/@when) or not({_CREATION_DATE}) or not({_SENT_DATE})")


@rule("HDR001", "header-title")
def header_title(doc: Document) -> Iterator[Finding]:
    """The titleStmt has a title with text.

    Catalogues, indexes and the reading view list documents by this title.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title> </title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Cable</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    if _HAS_TITLE(doc.tree):
        return
    titles = _TITLES(doc.root)
    if not any(_text(title) for title in titles):
        yield Finding(titles[0] if titles else doc.root, "the header has no title with text")


@rule("HDR002", "header-source")
def header_source(doc: Document) -> Iterator[Finding]:
    """The sourceDesc cites a source: a bibl, an msDesc, or a paragraph with text.

    An edition that does not say what it transcribes cannot be checked against the original.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>PRC FMA 109-02678-04, 33-38</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    if _HAS_SOURCE(doc.tree):
        return
    sources = _SOURCE(doc.root)
    source = sources[0] if sources else None
    if source is None or not _text(source):
        yield Finding(source if source is not None else doc.root, "the sourceDesc cites no source")


@rule("HDR003", "header-identifier")
def header_identifier(doc: Document) -> Iterator[Finding]:
    """The publicationStmt gives the document an identifier (idno with text).

    Exchange formats (CMIF) and indexes need a stable identifier for every document.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">119037</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    if _HAS_IDENTIFIER(doc.tree):
        return
    publications = _PUBLICATION(doc.root)
    publication = publications[0] if publications else None
    idnos = [child for child in publication if child.tag == _IDNO] if publication is not None else []
    if not any(_text(idno) for idno in idnos):
        yield Finding(publication if publication is not None else doc.root, "the publicationStmt has no idno identifying the document")


@rule("HDR004", "header-licence", Severity.WARNING)
def header_licence(doc: Document) -> Iterator[Finding]:
    """The publicationStmt states the terms of reuse (availability with a licence or text).

    A partner archive needs to know whether it may publish what it receives.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno><availability><licence>Reuse welcome.</licence></availability></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    if _HAS_LICENCE(doc.tree):
        return
    publications = _PUBLICATION(doc.root)
    if not publications:
        return
    publication = publications[0]
    availability = [child for child in publication if child.tag == _AVAILABILITY]
    if not any(_text(item) for item in availability):
        yield Finding(publication, "no availability statement: say how the document may be reused")


@rule("HDR005", "creation-matches-sent", Severity.WARNING)
def creation_matches_sent(doc: Document) -> Iterator[Finding]:
    """The document date in creation agrees with the date of the sent correspAction.

    Two different dates for one document send readers and exchange partners different ways.

    Fails:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <profileDesc><creation><date when="1964-10-30">30 October 1964</date></creation>
        <correspDesc><correspAction type="sent"><date when="1964-10-31"/></correspAction></correspDesc></profileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    Passes:
        <TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
        <publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>
        <profileDesc><creation><date when="1964-10-30">30 October 1964</date></creation>
        <correspDesc><correspAction type="sent"><date when="1964-10-30"/></correspAction></correspDesc></profileDesc></teiHeader>
        <text><body><p>x</p></body></text></TEI>
    """
    if _DATES_AGREE(doc.tree):
        return
    created, sent = _CREATED(doc.root), _SENT(doc.root)
    if not created or not sent:
        return
    created, sent = created[0], sent[0]
    if created.get("when") != sent.get("when"):
        yield Finding(sent, f"sent date {sent.get('when')} differs from the creation date {created.get('when')}", "when")
