"""Text with its marks, dates and names -> TEI mixed content, nested where spans nest."""

from __future__ import annotations

import bisect
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
    if text:
        _after(parent, parent[-1] if len(parent) else None, text)


class _Laid:
    """The stretches of the spans placed so far (none crosses another), to ask whether a new
    one crosses any: only those with an end strictly inside it can, so only those are looked at
    (a paragraph of thousands of names is no slower per name)."""

    def __init__(self) -> None:
        self.by_start: list[tuple[int, int]] = []  # (start, end), sorted
        self.by_end: list[tuple[int, int]] = []  # (end, start), sorted

    def crossed(self, start: int, end: int) -> bool:
        # One that begins inside and ends after it...
        i = bisect.bisect_right(self.by_start, (start, _AFTER_ALL))
        while i < len(self.by_start) and self.by_start[i][0] < end:
            if self.by_start[i][1] > end:
                return True
            i += 1
        # ...or one that ends inside and began before it.
        i = bisect.bisect_right(self.by_end, (start, _AFTER_ALL))
        while i < len(self.by_end) and self.by_end[i][0] < end:
            if self.by_end[i][1] < start:
                return True
            i += 1
        return False

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.by_start, (start, end))
        bisect.insort(self.by_end, (end, start))


_AFTER_ALL = float("inf")


def arrange(spans: list[Markup]) -> list[Markup]:
    """Nest spans into a forest; a span that crosses one already placed is dropped.

    Spans are placed in the order given, so callers list the ones that must survive first
    (editorial marks, then dates, then names).
    """
    placed: list[Markup] = []
    laid = _Laid()
    for span in spans:
        if span.start >= span.end and span.inner is not None:
            continue
        if laid.crossed(span.start, span.end):
            continue
        laid.add(span.start, span.end)
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
    # The last child is followed as children are added: lxml counts an element's children
    # one by one, so asking at every piece of text would cost the square of their number.
    last = parent[-1] if len(parent) else None
    for span in spans:
        if span.start < position:
            continue
        _after(parent, last, text[position : span.start])
        element = span.make()
        if span.inner is not None:
            fill(element, text, span.inner[0], span.inner[1], span.children)
        if span.after is not None:
            span.after(element)
        parent.append(element)
        last = element
        position = span.end
    _after(parent, last, text[position:end])


def _after(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    """Text after `last`, the last child of `parent` (or at its start when it has none)."""
    if not text:
        return
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


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
