"""Property: the finders' shortcuts find what a plain scan of the whole text finds.

The date patterns are tried only where a number, a month's name or "early/mid/late" begins, and
the phrases that name bodies are searched only in the stretches between punctuation that hold a
head word; both must give exactly the matches of `pattern.finditer(text)`. A text with no word
that can be part of a name is answered before the rules are set up, as they would answer it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tei_tools.annotate import dates, names
from tei_tools.annotate.names import Context, find_names
from tei_tools.annotate.register import load_register

REGISTER = load_register()

# Pieces that make the patterns match, nearly match and fail: numbers in every form the date
# reader knows, month names, clock times, words that begin, end or interrupt a body's name.
DATE_PIECES = [
    "1964", "5", "05", "31", "12", "2001", "1415Z", "211958Z", "-", "–", "/", ".", ":", ",", " ", "  ", "\u00a0", "\n",
    "May", "MAY", "Sept.", "Sep", "October", "OCT", "Dec", "January", "Mayday", "early", "Mid", "LATE", "late-",
    "st", "th", "of", "to", "and", "the", "The", "in", "since", "at ", "a.m.", "pm", "p.m.", "hours", "h", "No. ", "$",
    "x", "a1", "_", "٣", "[", "]",
]
ORG_PIECES = [
    "Ministry", "Foreign", "of", "the", "Embassy", "Soviet", "delegation", "Party", "Committee", "Central", "in", "Peking",
    "and", "for", "on", "Communist", "Consulate", "General", "Organizations", "II", "CPSU", "22", " ", "  ", "\u00a0", "\n",
    ",", ".", ";", "(", ")", "’s", "'", "-", "x", "Émile", "ministry", "_", "é", "Army",
]


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_texts(DATE_PIECES))
def test_date_patterns_tried_at_their_starts_match_as_a_scan(text: str) -> None:
    blanked = dates.blank_brackets(text)
    for kind, _needs, begins, pattern in dates._PATTERNS:
        if begins == "any":
            continue
        starts = [m.start() for m in dates._STARTS[begins].finditer(blanked)]
        shortcut = [(m.span(), m.groups()) for m in dates._matches_from(pattern, blanked, starts)]
        assert shortcut == [(m.span(), m.groups()) for m in pattern.finditer(blanked)], (kind, text)


@settings(max_examples=400, deadline=None)
@given(_texts(ORG_PIECES))
def test_body_phrases_searched_in_stretches_match_as_a_scan(text: str) -> None:
    stretches = names._stretches_with_heads(text)
    for pattern in (names._ORG_PHRASE, names._ORG_ADJ_LOWER):
        shortcut = [m.span() for a, b in stretches for m in pattern.finditer(text, a, b)]
        assert shortcut == [m.span() for m in pattern.finditer(text)], text


def test_the_shortcuts_find_real_dates_and_bodies() -> None:
    # The properties above hold for empty results too: here the shortcuts must find something.
    text = "On 5 May 1965 and October 3, 1964, in early 1962, the Foreign Ministry of the USSR (and the Soviet delegation) met."
    assert [span.value.when for span in dates.find_dates(text)] == ["1965-05-05", "1964-10-03", None]
    assert names._org_phrases(text, False) == [(text.index("Foreign"), text.index(" (and")), (text.index("Soviet"), text.index(") met"))]


_LINE_WORDS = [
    "My", "lord", "I", "came", "to", "see", "your", "father's", "funeral", "O", "Enter", "Hamlet", "HAMLET", "The",
    "the", "Premier", "Zhou", "Enlai", "Moscow", "in", "at", "K.", "Gromyko", "said", "Comrade", "Embassy", "of",
    "It", "Present:", "and", ",", ".", "[", "]", "Kim", "Il", "Sung", "Captain", "Dan", "Nobody", "x",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_WORDS), max_size=12).map(" ".join))
def test_texts_without_a_name_word_are_answered_as_the_rules_would(text: str) -> None:
    # A context with a role the text never names turns the early answer off and changes nothing else.
    assert find_names(text, REGISTER, Context()) == find_names(text, REGISTER, Context(roles=(("Qqzzv", "zhou-enlai"),))), text
