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


# --- Mutators that once found crashes and slow paths: byte flips, line shuffles, brackets, long
# words, huge lines, many problems. Applied to the sample page (convert) and its TEI (validate).

from pathlib import Path  # noqa: E402

from tei_tools.validate import FIXED_CODES, Config, validate_bytes  # noqa: E402
from tei_tools.validate.rules import load_all  # noqa: E402

_ROOT = Path(__file__).resolve().parents[1]
_PAGE = (_ROOT / "samples" / "119037.txt").read_bytes()
_TEI = (_ROOT / "encoded" / "119037.xml").read_bytes()
_KNOWN_CODES = set(FIXED_CODES) | set(load_all())


def _flip(data: bytes, position: int, value: int) -> bytes:
    position %= len(data)
    return data[:position] + bytes([value]) + data[position + 1 :]


def _shuffle(data: bytes, first: int, second: int) -> bytes:
    lines = data.split(b"\n")
    first, second = first % len(lines), second % len(lines)
    lines[first], lines[second] = lines[second], lines[first]
    return b"\n".join(lines)


def _insert(data: bytes, position: int, piece: bytes) -> bytes:
    position %= len(data)
    return data[:position] + piece + data[position:]


_PIECES = st.sampled_from([b"[", b"]", b"[[", b"]]", b"[sic; ", b"[illegible]", b"[1]", b"(", b"<", b"&", b"&amp;", b"\xe2\x80\x99", b"\r", b"\x00"])
_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**7), st.integers(0, 255)),
    st.tuples(st.just("shuffle"), st.integers(0, 10**4), st.integers(0, 10**4)),
    st.tuples(st.just("insert"), st.integers(0, 10**7), _PIECES),
    st.tuples(st.just("long-word"), st.integers(0, 10**7), st.integers(1_000, 20_000)),
    st.tuples(st.just("huge-line"), st.integers(0, 10**7), st.integers(10_000, 60_000)),
)


# Pages are smaller than TEI files and each conversion costs more: the same mutators, milder.
_page_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**7), st.integers(0, 255)),
    st.tuples(st.just("shuffle"), st.integers(0, 10**4), st.integers(0, 10**4)),
    st.tuples(st.just("insert"), st.integers(0, 10**7), _PIECES),
    st.tuples(st.just("long-word"), st.integers(0, 10**7), st.integers(500, 3_000)),
    st.tuples(st.just("huge-line"), st.integers(0, 10**7), st.integers(2_000, 8_000)),
)


def _apply(data: bytes, mutations: list) -> bytes:
    for kind, where, what in mutations:
        if kind == "flip":
            data = _flip(data, where, what)
        elif kind == "shuffle":
            data = _shuffle(data, where, what)
        elif kind == "insert":
            data = _insert(data, where, what)
        elif kind == "long-word":
            data = _insert(data, where, b"x" * what)
        else:
            data = _insert(data, where, b"\n" + b"word [a] " * (what // 9) + b"\n")
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_page_mutation, min_size=1, max_size=3))
def test_mutated_pages_give_valid_tei_or_a_clear_error(mutations: list) -> None:
    try:
        data, _ = convert_bytes(_apply(_PAGE, mutations), "page.txt")
    except ConversionError as exc:
        assert str(exc)
        return
    assert not list(load_schema().errors(parse_bytes(data)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_mutation, min_size=1, max_size=4), st.integers(0, 3_000))
def test_mutated_tei_gives_known_problems_at_real_places(mutations: list, dangling: int) -> None:
    data = _apply(_TEI, mutations)
    if dangling:  # many problems at once
        at = data.find(b"<p>")
        if at != -1:
            data = data[: at + 3] + b'<persName ref="#nobody">X</persName>' * dangling + data[at + 3 :]
    problems = validate_bytes(data, "m.xml", Config.build())
    assert len(problems) <= 1_001
    lines = data.count(b"\n") + 1
    for problem in problems:
        assert problem.code in _KNOWN_CODES, problem
        assert 0 <= problem.line <= lines + 1 and problem.message
