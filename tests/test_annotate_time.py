"""Tagging names and dates stays linear in the size of a file and of a single paragraph, in the
annotator and in the converter, and the log-time ways of placing tags decide as the plain
pairwise rules."""

from __future__ import annotations

import time
from typing import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from tei_tools.annotate.mentions import Mention
from tei_tools.annotate.register import load_register
from tei_tools.convert import convert_bytes
from tei_tools.encode.annotate_file import _Placed, annotate_bytes

from .conftest import ROOT

REGISTER = load_register()
_HEAD = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
    "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>"
)
_SENTENCE = "Premier Zhou Enlai met Kosygin and the Soviet delegation in Moscow on {day} May 1964, at 4 p.m."


def _fastest(run: Callable[[], object]) -> float:
    """The fastest of three runs: other work on the machine only ever slows a run down."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def _seconds(data: bytes) -> float:
    results = []
    best = _fastest(lambda: results.append(annotate_bytes(data, "many.xml", REGISTER)))
    assert results[-1].changed and not results[-1].problems, results[-1].problems
    return best


def _one_paragraph(sentences: int) -> bytes:
    text = " ".join(_SENTENCE.format(day=number % 28 + 1) for number in range(sentences))
    return (_HEAD + f"<p>{text}</p></body></text></TEI>").encode("utf-8")


def _paragraphs(count: int) -> bytes:
    body = "".join(f'<p xml:id="p{number}">{_SENTENCE.format(day=number % 28 + 1)}</p>' for number in range(count))
    return (_HEAD + body + "</body></text></TEI>").encode("utf-8")


def test_names_in_one_long_paragraph_cost_linear_time() -> None:
    """Thousands of names in one paragraph: each tagged name compared with every other takes minutes."""
    small, large = _seconds(_one_paragraph(250)), _seconds(_one_paragraph(1000))
    assert large < 9 * small, (small, large)  # linear: about 4; one name against every other: 16


def _page_with_a_long_turn(sentences: int) -> bytes:
    lines = (ROOT / "tests" / "golden" / "meeting-header.txt").read_text(encoding="utf-8").split("\n")
    turn = next(number for number, line in enumerate(lines) if len(line) > 150)
    lines[turn] += " " + " ".join(_SENTENCE.format(day=number % 28 + 1) for number in range(sentences))
    return "\n".join(lines).encode("utf-8")


def test_the_converter_tags_one_long_paragraph_in_linear_time() -> None:
    """lxml counts an element's children one by one: asking for the last at every name is quadratic."""

    small, large = (_fastest(lambda: convert_bytes(data, "long.txt", register=REGISTER)) for data in (_page_with_a_long_turn(250), _page_with_a_long_turn(1000)))
    assert large < 9 * small, (small, large)


def test_many_paragraphs_cost_linear_time() -> None:
    small, large = _seconds(_paragraphs(250)), _seconds(_paragraphs(1000))
    assert large < 9 * small, (small, large)


def test_what_may_stand_inside_a_tagged_name() -> None:
    placed = _Placed()
    embassy = Mention(0, 40, "org")  # "Embassy of the Soviet Union in Washington"
    assert placed.take(embassy)
    assert placed.take(Mention(15, 27, "place", depth=1))  # "Soviet Union", nested by the finder
    assert not placed.take(Mention(15, 27, "place", depth=1))  # the same stretch twice
    assert not placed.take(Mention(20, 30, "place", depth=1))  # crosses the nested name
    assert not placed.take(Mention(31, 41, "place", depth=1))  # crosses the outer one
    assert not placed.take(Mention(31, 40, "place"))  # inside, but the finder did not nest it
    assert not placed.take(Mention(0, 40, "org", depth=1))  # the outer stretch itself
    assert placed.take(Mention(45, 50, "person"))  # apart from everything
    assert not placed.take(Mention(46, 48, "place", depth=1))  # inside a person's name: never
    assert not placed.take(Mention(44, 46, "date"))


def _pairwise(mention, kept) -> bool:  # type: ignore[no-untyped-def]
    """The rule, stated plainly: against every tagged mention it overlaps, the new one must lie
    strictly inside an organisation's name (not a role) and be nested there by the finder."""
    for other in kept:
        if mention.end <= other.start or other.end <= mention.start:
            continue
        inside = other.start <= mention.start and mention.end <= other.end and (other.start, other.end) != (mention.start, mention.end)
        if not (inside and mention.depth > 0 and other.kind == "org" and not other.role):
            return False
    return True


_MENTIONS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from(["org", "place", "person", "date"]), st.booleans(), st.sampled_from([0, 0, 1, 2])),
    max_size=14,
)


@settings(max_examples=300, deadline=None)
@given(_MENTIONS)
def test_placement_in_log_time_decides_as_the_pairwise_rule(items) -> None:  # type: ignore[no-untyped-def]
    placed, kept = _Placed(), []
    for start, length, kind, role, depth in items:
        mention = Mention(start, start + length, kind, role=role and kind == "org", depth=depth)
        expected = _pairwise(mention, kept)
        if expected:
            kept.append(mention)
        assert placed.take(mention) == expected, (mention, kept)


def _crosses(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two stretches cross: they overlap and neither holds the other."""
    return a[0] < b[1] and b[0] < a[1] and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 25), st.integers(0, 10)), max_size=16))
def test_the_converters_nesting_drops_exactly_the_spans_that_cross(items) -> None:  # type: ignore[no-untyped-def]
    from tei_tools.encode.inline import _Laid

    laid, placed = _Laid(), []
    for start, length in items:
        stretch = (start, start + length)
        expected = any(_crosses(stretch, other) for other in placed)
        assert laid.crossed(*stretch) == expected, (stretch, placed)
        if not expected:
            placed.append(stretch)
            laid.add(*stretch)
