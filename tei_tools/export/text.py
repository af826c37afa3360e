"""A TEI edition -> the plain text of its document, editorial marks back in their brackets.

Rendering is the converter's inverse on the document text: `supplied` becomes [...], `gap`
its bracket words, `sic` X [sic], notes [TN: ...]; footnotes follow the text as [n] ...
"""

from __future__ import annotations

from lxml import etree

from ..xmlio import NSMAP, TEI_NS

BLOCKS = {"p", "head", "salute", "signed", "dateline", "seg", "ab", "speaker", "trailer", "byline", "docAuthor", "docDate", "label", "item"}


def local_name(element: etree._Element) -> str:
    """Local name of an element; empty for comments and processing instructions."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


_local = local_name


def gap_words(gap: etree._Element) -> str:
    """The words a gap stood for in the source ('illegible', '...'), else its reason."""
    desc = gap.find("tei:desc", NSMAP)
    return desc.text if desc is not None and desc.text else gap.get("reason", "...")


class TextWalker:
    """Walks TEI mixed content. Subclasses say how an element reads with an `on_<name>` method;
    elements without one read as their content. `sic` inside `choice` is the choice's business."""

    def text(self, value: str) -> str:
        return value

    def inline(self, element: etree._Element) -> str:
        parts = [self.text(element.text or "")]
        for child in element:
            parts.append(self.node(child))
            parts.append(self.text(child.tail or ""))
        return "".join(parts)

    def node(self, element: etree._Element) -> str:
        name = local_name(element)
        if not name:
            return ""
        if name == "sic" and local_name(element.getparent()) == "choice":
            return self.inline(element)
        handler = getattr(self, f"on_{name}", None)
        return handler(element) if handler is not None else self.inline(element)

    @staticmethod
    def sic_and_corr(choice: etree._Element) -> tuple[etree._Element | None, etree._Element | None]:
        return choice.find("tei:sic", NSMAP), choice.find("tei:corr", NSMAP)

    def first_alternative(self, choice: etree._Element) -> str:
        first = next((child for child in choice if local_name(child)), None)
        return self.inline(first) if first is not None else ""


class _Renderer(TextWalker):
    def __init__(self) -> None:
        self.footnotes: list[str] = []

    def on_supplied(self, element: etree._Element) -> str:
        return f"[{self.inline(element)}]"

    def on_gap(self, element: etree._Element) -> str:
        return f"[{gap_words(element)}]"

    def on_sic(self, element: etree._Element) -> str:
        return f"{self.inline(element)} [sic]"

    def on_choice(self, element: etree._Element) -> str:
        sic, corr = self.sic_and_corr(element)
        if sic is not None and corr is not None:
            return f"{self.inline(sic)} [sic; {self.inline(corr)}]"
        return self.first_alternative(element)

    def on_stamp(self, element: etree._Element) -> str:
        return f"[Stamp: {self.inline(element)}]"

    def on_note(self, element: etree._Element) -> str:
        if element.get("place") == "foot":
            number = element.get("n", "")
            self.footnotes.append(f"[{number}] {self.inline(element)}")
            return f"[{number}]"
        return f"[{self.inline(element)}]"

    def on_lb(self, element: etree._Element) -> str:
        return "\n"

    def on_pb(self, element: etree._Element) -> str:
        return ""

    def blocks(self, element: etree._Element) -> list[str]:
        """Block-level children as separate paragraphs of text."""
        out: list[str] = []
        for child in element:
            name = _local(child)
            if not name:
                continue
            if name == "list":
                out.extend(self.list(child))
            elif name == "sp":
                speaker = child.find("tei:speaker", NSMAP)
                text = " ".join(self.inline(p) for p in child if _local(p) in ("p", "ab"))
                out.append(((self.inline(speaker) + " ") if speaker is not None else "") + text)
            elif name in BLOCKS:
                out.append(self.inline(child))
            elif name in ("measure",):
                out.append(self.inline(child))
            else:
                out.extend(self.blocks(child))
        return out

    def list(self, element: etree._Element) -> list[str]:
        head = element.find("tei:head", NSMAP)
        items = [child for child in element if _local(child) in ("item", "label")]
        if element.get("type") in ("distribution", "participants"):
            joined = ", ".join(self.inline(item) for item in items if _local(item) == "item")
            return [((self.inline(head) + " ") if head is not None else "") + joined]
        lines = [self.inline(head)] if head is not None else []
        pending = ""
        for child in items:
            if _local(child) == "label":
                pending = self.inline(child) + " "
            else:
                lines.append(pending + self.inline(child))
                pending = ""
        return lines


def render(tree: etree._ElementTree | etree._Element | bytes | tuple) -> str:
    """The document text of a TEI edition, one block a paragraph, footnotes at the end.

    Takes a tree or element, TEI bytes, or what `convert_bytes` returns (bytes, encoded).
    """
    if isinstance(tree, tuple):
        tree = tree[0]
    if isinstance(tree, (bytes, bytearray)):
        from ..xmlio import parse_bytes

        tree = parse_bytes(bytes(tree))
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    body = root.find("tei:text/tei:body", NSMAP)
    if body is None:
        return ""
    renderer = _Renderer()
    blocks = [block.strip() for block in renderer.blocks(body)]
    blocks.extend(renderer.footnotes)
    return "\n\n".join(block for block in blocks if block) + "\n"


__all__ = ["render", "TEI_NS"]
