"""Text with its marks, dates and names -> TEI mixed content, nested where spans nest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from ..annotate.dates import DateSpan
from ..pages.marks import Mark
from ..annotate.names import Mention
from ..xmlio import tei


@dataclass
class Markup:
    """An element over [start, end) of a text; its content is built from `inner` (or nothing)."""

    start: int
    end: int
    rank: int  # where two spans cover the same text, the lower rank is outside
    make: Callable[[], etree._Element]
    inner: tuple[int, int] | None = None
    after: Callable[[etree._Element], None] | None = None
    children: list["Markup"] = field(default_factory=list)


def append_text(parent: etree._Element, text: str) -> None:
    """Add text at the end of an element's content: its text, or the tail of its last child."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _crosses(a: Markup, b: Markup) -> bool:
    return a.start < b.end and b.start < a.end and not (a.start <= b.start and b.end <= a.end) and not (b.start <= a.start and a.end <= b.end)


def arrange(spans: list[Markup]) -> list[Markup]:
    """Nest spans into a forest; a span that crosses one already placed is dropped.

    Spans are placed in the order given, so callers list the ones that must survive first
    (editorial marks, then dates, then names).
    """
    placed: list[Markup] = []
    for span in spans:
        if span.start >= span.end and span.inner is not None:
            continue
        if any(_crosses(span, other) for other in placed):
            continue
        placed.append(span)
    placed.sort(key=lambda s: (s.start, -(s.end - s.start), s.rank))
    roots: list[Markup] = []
    stack: list[Markup] = []
    for span in placed:
        while stack and not (stack[-1].start <= span.start and span.end <= stack[-1].end):
            stack.pop()
        if stack:
            parent = stack[-1]
            if parent.inner is None or not (parent.inner[0] <= span.start and span.end <= parent.inner[1]):
                continue  # inside an element with no such content (a gap), or in its bracket
            parent.children.append(span)
        else:
            roots.append(span)
        stack.append(span)
    return roots


def fill(parent: etree._Element, text: str, start: int, end: int, spans: list[Markup]) -> None:
    """Append text[start:end] to `parent`, with each span in `spans` as an element."""
    position = start
    for span in spans:
        if span.start < position:
            continue
        append_text(parent, text[position : span.start])
        element = span.make()
        if span.inner is not None:
            fill(element, text, span.inner[0], span.inner[1], span.children)
        if span.after is not None:
            span.after(element)
        parent.append(element)
        position = span.end
    append_text(parent, text[position:end])


def mark_markup(mark: Mark, footnote_builder: Callable[[str], etree._Element] | None) -> Markup:
    kind = mark.kind
    if kind == "supplied":
        return Markup(mark.start, mark.end, 5, lambda: etree.Element(tei("supplied"), reason="omitted-in-original"), mark.inner)
    if kind == "gap":
        def make_gap() -> etree._Element:
            element = etree.Element(tei("gap"), reason=mark.value)
            etree.SubElement(element, tei("desc")).text = mark.extra
            return element
        return Markup(mark.start, mark.end, 5, make_gap, None)
    if kind == "sic":
        return Markup(mark.start, mark.end, 5, lambda: etree.Element(tei("sic")), mark.inner)
    if kind == "choice":
        def make_choice_after(element: etree._Element) -> None:
            sic = etree.Element(tei("sic"))
            sic.text, element.text = element.text, None
            for child in list(element):
                sic.append(child)
            element.append(sic)
            etree.SubElement(element, tei("corr")).text = mark.value
        return Markup(mark.start, mark.end, 5, lambda: etree.Element(tei("choice")), mark.inner, after=make_choice_after)
    if kind == "stamp":
        return Markup(mark.start, mark.end, 5, lambda: etree.Element(tei("stamp")), mark.inner)
    if kind == "note":
        return Markup(mark.start, mark.end, 5, lambda: etree.Element(tei("note"), type=mark.value), mark.inner)
    if kind == "footnote":
        assert footnote_builder is not None
        return Markup(mark.start, mark.end, 5, lambda: footnote_builder(mark.value), None)
    raise ValueError(kind)


def date_markup(span: DateSpan, date_type: str | None = None) -> Markup:
    def make() -> etree._Element:
        element = etree.Element(tei("date"))
        if date_type:
            element.set("type", date_type)
        for attribute, value in span.value.attributes():
            element.set(attribute, value)
        return element
    return Markup(span.start, span.end, 3, make, (span.start, span.end))


def mention_markup(mention: Mention) -> Markup:
    def make() -> etree._Element:
        element = etree.Element(tei(mention.tag))
        if mention.type:
            element.set("type", mention.type)
        if mention.ref:
            element.set("ref", f"#{mention.ref}")
        return element
    return Markup(mention.start, mention.end, 1 + mention.depth, make, (mention.start, mention.end))
