"""Nothing is lost: every word of a page is in the rendered text, in order, or in the TEI header."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.convert import convert_bytes
from tei_tools.render import render
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import SAMPLE, page_fixtures

# Words of the site itself, not of the document or its record: they may go.
CHROME = ("skip to content document information source rights original uploaded date type language record id donors search in digital archive international history declassified citation summary contents author s associated places topics subjects discussed related documents original archive this document was made possible with generous support from "
          "add search filter cancel get share download view in english html pdf people organizations".split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def check_lossless(page: Path, register) -> None:
    source = page.read_text(encoding="utf-8-sig")
    data, _ = convert_bytes(page.read_bytes(), page.name, register=register)
    tree = parse_bytes(data)
    rendered = words(render(tree))
    # Header fields may repeat on a page (the funder in two places): a dropped word needs to be
    # in the header once; the document text itself is held to exact order above and below.
    header = {word.lower() for word in words(" ".join(tree.getroot().find("tei:teiHeader", NSMAP).itertext()))}
    source_words = words(source)
    matcher = difflib.SequenceMatcher(a=source_words, b=rendered, autojunk=False)
    added: list[str] = []
    dropped: list[str] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            dropped.extend(source_words[a1:a2])
        if op in ("replace", "insert"):
            added.extend(rendered[b1:b2])
    # Rendering adds nothing the page did not say (bracket words such as 'sic' come from the page).
    assert not added, f"words in the rendering that are not in the page, in order: {added[:20]}"
    missing = {word.lower() for word in dropped} - header - set(CHROME)
    assert not missing, f"words of the page neither in the text (in order) nor in the header: {sorted(missing)[:20]}"


def test_sample_is_lossless(register) -> None:
    check_lossless(SAMPLE, register)


@pytest.mark.parametrize("page", page_fixtures(), ids=lambda p: p.stem)
def test_fixture_is_lossless(page: Path, register) -> None:
    check_lossless(page, register)


def test_sample_document_text_in_order(sample_tree) -> None:
    """The sample's whole document text, from the first header line to the copy times, renders in order."""
    source = SAMPLE.read_text(encoding="utf-8")
    start = source.index("Foreign Ministry Top Secret Telegram")
    end = source.index("Document Information")
    assert words(render(sample_tree)) == words(source[start:end])


def test_render_marks_back_in_brackets(register) -> None:
    page = Path(__file__).parent / "golden" / "editorial-marks.txt"
    data, _ = convert_bytes(page.read_bytes(), page.name, register=register)
    text = render(etree.ElementTree(parse_bytes(data).getroot()))
    for expected in ("Filippov [Stalin]", "recieved [sic]", "[illegible]", "[redacted]", "[...]", "informd [sic; informed]", "[Stamp: Archive of the President, copy 1]", "[TN: the last line is handwritten in the original.]"):
        assert expected in text
