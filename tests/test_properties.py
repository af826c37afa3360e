"""Property tests: any text gives a TEI file valid against the bundled schema, or a clear error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei_tools.convert import convert_bytes
from tei_tools.pages import read_page
from tei_tools.problems import ConversionError
from tei_tools.render import render
from tei_tools.validate.grammar import load_schema
from tei_tools.xmlio import parse_bytes

PIECES = [
    "Skip to content", "October 30, 1964", "November 1980", "1984", "Cable from the Embassy, 'On Talks'",
    "This document was made possible with support from Example Foundation", "Top Secret", "Level   Most Urgent",
    "Sent to: Ji Pengfei", "Special No. 12", "Ambassador Pan: (Top Secret)", "Comrade Minister!", "Dear Comrade,",
    "The Premier said that [Zhou] Enlai met Khrushchev on the 28th in Moscow.", "(1) First point.", "2) Second.",
    "- a bullet", "(a) lettered", "North (KIM): We agree with the proposal made yesterday in full.",
    "Participants: Kim Il Sung, Liu, Zhang", "Copies: [Deng] Xiaoping, Liu, General Office (2), 30 copies in total",
    "Distributed: 31 [October] 1:15      Copied: 2 [November] 23:30", "Two copies printed. Nº 2 to file.",
    "copies NºNº 1-2 to Cde. X", "Copies: Ambassadors (3), Comrade Ivanov (2), (4), file copies, 9 copies in total", "Recipients:", "text [illegible] more [redacted] and [...] then [sic] and [sic; x]",
    "[Stamp: received] [TN: a note]", "KJI’s*[1] view", "[1] Kim Jong Il.", "Ministry of Foreign Affairs",
    "30 October 1964", "Document Information", "Source", "PRC FMA 109-02678-04, 33-38. Translated by A B.",
    "Rights", "Reuse welcome.", "Original Uploaded Date", "2013-11-25", "Type", "Cable", "Record ID", "119037",
    "Citation:", '"A title," 1964, History and Public Policy Program Digital Archive, AVPRF, f. 1. https://digitalarchive.wilsoncenter.org/document/5',
    "Search in", "Digital Archive International History Declassified", "Associated Places", "Author(s):", "", " ", "\u00a0",
]
line = st.one_of(st.sampled_from(PIECES), st.text(max_size=60), st.text(alphabet="[]()<>&;:,.-’ \u00a0\tAbc19", max_size=30))
pages = st.lists(line, max_size=30).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_any_text_gives_valid_tei_or_a_clear_error(text: str) -> None:
    try:
        data, _ = convert_bytes(text.encode("utf-8", "surrogatepass"), "page.txt")
    except ConversionError as exc:
        assert str(exc)
        return
    tree = parse_bytes(data)
    schema = load_schema()
    errors = list(schema.errors(tree))
    assert not errors, [e.message for e in errors]
    render(tree)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_page_reader_never_crashes(text: str) -> None:
    try:
        page = read_page(text.replace("\r", "\n"), "page.txt")
    except ConversionError:
        return
    source_lines = text.replace("\r", "\n").split("\n")
    for body_line in page.body:
        assert source_lines[body_line.number - 1] == body_line.text


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_tei_or_a_clear_error(data: bytes) -> None:
    try:
        convert_bytes(data, "page.txt")
    except ConversionError as exc:
        assert str(exc)
