"""Editorial markup: every intervention says why."""

from __future__ import annotations

from typing import Iterator

from lxml import etree

from ...problems import Severity
from ...xmlio import tei
from . import XML_SPACE, Document, Finding, rule

_NAMES = ("persName", "placeName", "orgName", "rs")
_NAME_TAGS = frozenset(tei(name) for name in _NAMES)
_NAMES_ANY_NAMESPACE = tuple(f"{{*}}{name}" for name in _NAMES)  # by local name, as RULE_ELEMENTS are walked



@rule("EDT001", "supplied-reason")
def supplied_reason(doc: Document) -> Iterator[Finding]:
    """supplied has a @reason.

    Supplied text is the editor's, not the source's; the reason tells a reader how far to trust it.

    Fails:
        <p><persName><supplied>Zhou</supplied> Enlai</persName></p>
    Passes:
        <p><persName><supplied reason="omitted-in-original">Zhou</supplied> Enlai</persName></p>
    """
    for supplied in doc.tagged("supplied"):
        if not (supplied.get("reason") or "").strip():
            yield Finding(supplied, "<supplied> has no @reason")


@rule("EDT002", "gap-reason", Severity.WARNING)
def gap_reason(doc: Document) -> Iterator[Finding]:
    """gap has a @reason (illegible, redacted, omitted ...).

    A gap that does not say why leaves the reader guessing whether text was lost or withheld.

    Fails:
        <p>The <gap/> was agreed.</p>
    Passes:
        <p>The <gap reason="illegible"/> was agreed.</p>
    """
    for gap in doc.tagged("gap"):
        if not (gap.get("reason") or "").strip():
            yield Finding(gap, "<gap> has no @reason")


_PARTNERS = {"sic": "corr", "orig": "reg"}


@rule("EDT003", "choice-pairs")
def choice_pairs(doc: Document) -> Iterator[Finding]:
    """A choice of two does not pair alternatives of different kinds: sic goes with corr, orig
    with reg.

    A sic beside a reg is not a reading anyone can render. Every other choice TEI allows passes:
    abbr/expan, sic/corr, orig/reg, unclear/unclear, seg/seg, and choices of three or more.

    Fails:
        <p><choice><sic>Moscw</sic><reg>Moscow</reg></choice></p>
    Passes:
        <p><choice><sic>Moscw</sic><corr>Moscow</corr></choice> <choice><orig>Peking</orig><reg>Beijing</reg><reg type="pinyin">Běijīng</reg></choice></p>
    """
    mismatched = ({"sic", "reg"}, {"orig", "corr"})
    for choice in doc.tagged("choice"):
        kinds = [etree.QName(child).localname for child in choice if isinstance(child.tag, str)]
        if len(kinds) == 2 and set(kinds) in mismatched:
            lone = next(kind for kind in kinds if kind in _PARTNERS)
            yield Finding(choice, f"<choice> has <{lone}> without <{_PARTNERS[lone]}>")


@rule("EDT004", "no-empty-name", Severity.WARNING)
def no_empty_name(doc: Document) -> Iterator[Finding]:
    """A name in the text (persName, placeName, orgName, rs) has text.

    An empty name element is usually what is left of an edit that went wrong.

    Fails:
        <p>Sent to <persName ref="#x"/>.</p>
    Passes:
        <p>Sent to <persName>Ji Pengfei</persName>.</p>
    """
    text = doc.child(doc.root, "text")
    if text is None:
        return
    for element in text.iter(*_NAMES_ANY_NAMESPACE):
        if (element.text or "").strip(XML_SPACE):
            continue  # the common case, decided without walking the element
        if element.tag in _NAME_TAGS and not "".join(element.itertext()).strip(XML_SPACE):
            yield Finding(element, f"<{etree.QName(element).localname}> has no text")
