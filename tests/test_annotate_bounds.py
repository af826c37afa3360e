"""Time stays linear in the input: long words and long paragraphs finish within generous budgets."""

from __future__ import annotations

import time

import pytest

from tei_tools.annotate.dates import find_dates, parse_date_line, parse_date_range
from tei_tools.annotate.names import Context, find_names

CONTEXT = Context("1964-10-30", "china-prc")
SENTENCE = (
    "On the 4th at 6:00pm Comrade Kim Il, Cde. Wang Youping and A. A. Gromyko met Ambassador Pan Zili "
    "of the Embassy of the USSR in Beijing; the 24th Congress of the CPSU will open in late December, "
    "031415Z SEP 75, 3/9/75, 14:30-16:05. "
)


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize("word", ["a" * 100_000, "A" * 100_000, "1" * 100_000, "Aa-" * 33_000, "[A] " * 25_000])
def test_a_long_word(word: str, register) -> None:
    assert timed(find_dates, word, "1964-10-30") < 5
    assert timed(find_names, word, register, CONTEXT) < 5
    assert timed(parse_date_line, word) < 1 and timed(parse_date_range, word) < 1


def test_a_long_paragraph(register) -> None:
    paragraph = SENTENCE * (150_000 // len(SENTENCE))
    assert timed(find_dates, paragraph, "1964-10-30") < 15
    assert timed(find_names, paragraph, register, CONTEXT) < 15


def test_a_long_paragraph_of_bodies(register) -> None:
    paragraph = "The Embassy of the USSR in Beijing, the Ministry of Foreign Affairs of the GDR and the Soviet delegation. " * 1400
    assert timed(find_names, paragraph, register, CONTEXT) < 15
