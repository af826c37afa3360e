"""The annotation stage as data: the names and dates found in a piece of text, with no XML."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from dataclasses import dataclass, replace

from .dates import DateValue, find_dates
from .names import TAG_OF_KIND, Context, find_names, name_word, names_a_kind
from .register import Register

#: The TEI element each kind of mention becomes (a reference by role is an `rs`, see `Mention.element`).
ELEMENT_OF_KIND = {**TAG_OF_KIND, "date": "date"}
KIND_OF_ELEMENT = {element: kind for kind, element in ELEMENT_OF_KIND.items()}


class _Same:
    """Marks a parameter left to follow the context."""


_SAME = _Same()


@dataclass(frozen=True)
class Mention:
    """One name or date over text[start:end].

    kind: person, place, org or date; key: the register entry it is identified with (None
    when in doubt); value: the ISO 8601 value of a date at a point; not_before/not_after: the
    bounds of a date known only within them ('late December'); from_/to: a stretch of time
    ('14:30-16:05'); evidence: 'internal' when a partial date was completed from the
    document's own date; cert: doubt that remains; role: True for a reference by role ('the
    Premier'); depth: nesting level inside another name.
    """

    start: int
    end: int
    kind: str
    key: str | None = None
    value: str | None = None
    evidence: str | None = None
    cert: str | None = None
    role: bool = False
    depth: int = 0
    not_before: str | None = None
    not_after: str | None = None
    from_: str | None = None
    to: str | None = None

    @property
    def date_attributes(self) -> list[tuple[str, str]]:
        """The TEI attributes of a date mention, in the order they are written."""
        return self.date_value().attributes()

    def date_value(self) -> DateValue:
        """The date as the date reader gave it."""
        return DateValue(self.value, self.evidence, self.cert, self.not_before, self.not_after, self.from_, self.to)

    @property
    def element(self) -> str:
        """Local name of the TEI element for this mention."""
        return "rs" if self.role else ELEMENT_OF_KIND[self.kind]


def find_mentions(
    text: str,
    register: Register,
    context: Context,
    *,
    in_list: bool = False,
    names: bool = True,
    dates: bool = True,
    document_date: str | None | _Same = _SAME,
) -> list[Mention]:
    """Dates, then names (outermost first where they nest), in the order they take precedence
    where two would cross: a caller keeps the first and drops what crosses it.

    Partial dates are completed from `document_date` (by default the context's date; a page
    dated only by a span names its people by the span's start but completes no day from it).
    """
    found: list[Mention] = []
    if dates:
        anchor = context.date if isinstance(document_date, _Same) else document_date
        # The document's country reads a slashed date that its date leaves open (3/9/75).
        for span in find_dates(text, anchor, country=context.country):
            value = span.value
            found.append(Mention(span.start, span.end, "date", None, value.when, value.evidence, value.cert,
                                 not_before=value.not_before, not_after=value.not_after, from_=value.from_, to=value.to))
    if names:
        for name in find_names(text, register, context, in_list=in_list):
            role = name.tag == "rs"
            kind = (name.type or "person") if role else KIND_OF_ELEMENT[name.tag]
            found.append(Mention(name.start, name.end, kind, name.ref, role=role, depth=name.depth))
    return found


def agree_across(texts: list[str], found: list[list[Mention]]) -> list[list[Mention]]:
    """The mentions of one file's texts (`found[i]` those of `texts[i]`) made to agree, as a reader
    of the whole file would: a name read as a person is that person elsewhere in the file too
    ("Alice said" makes "looked at Alice" and "it was Alice's turn" hers).

    A place that is no register place turns into the person. Where no mention stands, the name
    is added as a person when the finders read it as one in two places at least and never as a
    place or body; a single word only where the file never writes it in lower case ("Figure"),
    and not where a sentence starts with it ("Will you ...") or another name's word stands right
    before it ("Lena Houghton"); and never before a word such as 'Street' or 'Plan'. No key is
    ever given: a link is never guessed from another text."""
    persons: Counter[str] = Counter()
    others: set[str] = set()
    for text, mentions in zip(texts, found):
        for mention in mentions:
            surface = text[mention.start : mention.end]
            if mention.kind == "person" and not mention.role and mention.depth == 0:
                persons[surface] += 1
            elif mention.kind == "org" or mention.key is not None or (mention.kind == "place" and mention.depth):
                others.add(surface)  # (a place on a cue alone is weighed against the persons below)
    if not persons:
        return found
    others |= {text[m.start : m.end] for text, mentions in zip(texts, found) for m in mentions if m.kind == "place" and text[m.start : m.end] not in persons}
    # All the texts in one string, apart by a character XML text never holds: each name is then
    # looked for with one str.find per occurrence (a pattern of the names, tried at every
    # character, would cost more than the rest of the stage for a novel).
    joined = "\x00".join(texts)
    offsets = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    additions = _additions(joined, offsets, texts, found, _spreading(joined, persons, others))

    def person_elsewhere(text: str, mention: Mention) -> bool:  # a place on a cue alone, a person elsewhere
        return mention.kind == "place" and mention.key is None and mention.depth == 0 and text[mention.start : mention.end] in persons

    agreed = []
    for number, (text, mentions) in enumerate(zip(texts, found)):
        if any(person_elsewhere(text, m) for m in mentions):
            mentions = [replace(m, kind="person") if person_elsewhere(text, m) else m for m in mentions]
        if number in additions:
            mentions = mentions + additions[number]
        agreed.append(mentions)
    return agreed


_NEXT_WORD = re.compile(r"\s+([^\W\d_][\w’'-]*)")
_SENTENCE_END = ".!?:;\"“‘'(—\n\x00"


def _occurrences(joined: str, word: str) -> Iterator[int]:
    """Where `word` stands as a whole word (a possessive after it allowed)."""
    position = joined.find(word)
    while position >= 0:
        end = position + len(word)
        before = joined[position - 1] if position else " "
        if not (before.isalnum() or before in "_’'-") and not (end < len(joined) and (joined[end].isalnum() or joined[end] in "_-")):
            yield position
        position = joined.find(word, end)


def _ends_with_name_word(text: str, end: int) -> bool:
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "’'-"):
        start -= 1
    return name_word(text[start:end])


def _spreading(joined: str, persons: Counter[str], others: set[str]) -> dict[str, list[str]]:
    """The person names that may be added elsewhere, by their first word, longest first."""
    by_first: dict[str, list[str]] = {}
    for name, count in persons.items():
        if count < 2 or name in others or not name[:1].isupper() or "\n" in name or any(c.isdigit() for c in name):
            continue
        if " " not in name and next(_occurrences(joined, name.lower()), None) is not None:
            continue  # a word the file also writes in lower case is a common noun ("Figure", "figure")
        by_first.setdefault(name.split()[0], []).append(name)
    for names in by_first.values():
        names.sort(key=len, reverse=True)
    return by_first


def _additions(joined: str, offsets: list[int], texts: list[str], found: list[list[Mention]], spread: dict[str, list[str]]) -> dict[int, list[Mention]]:
    """The person mentions to add, by the number of the text they stand in."""
    spans: dict[int, tuple[list[int], list[int]]] = {}
    added: dict[int, list[Mention]] = {}
    for first, names in spread.items():
        for position in _occurrences(joined, first):
            number = bisect_right(offsets, position) - 1
            text, start = texts[number], position - offsets[number]
            for name in names:
                end = start + len(name)
                if not text.startswith(name, start) or (end < len(text) and (text[end].isalnum() or text[end] in "_-")):
                    continue
                if number not in spans:
                    ordered = sorted((m.start, m.end) for m in found[number])
                    spans[number] = ([a for a, _ in ordered], list(accumulate((b for _, b in ordered), max)))
                starts, reach = spans[number]
                before = bisect_left(starts, end)
                if (before and reach[before - 1] > start) or any(m.start < end and start < m.end for m in added.get(number, ())):
                    break  # a mention stands there
                if " " not in name:
                    back = start - 1
                    while back >= 0 and text[back].isspace():
                        back -= 1
                    if back < 0 or text[back] in _SENTENCE_END:
                        break  # a single word at a sentence's start may be any word
                    if text[back].isalpha() and _ends_with_name_word(text, back + 1):
                        break  # part of a longer name the finders did not read ("Lena Houghton")
                following = _NEXT_WORD.match(text, end)
                if following is not None:
                    if " " not in name and name_word(following.group(1)):
                        break  # part of a longer name, the other way round ("George Logan")
                    if following.start(1) == end + 1 and text[end] == " " and names_a_kind(following.group(1)):
                        break  # "the Sholto Street"
                added.setdefault(number, []).append(Mention(start, end, "person"))
                break
    for mentions in added.values():
        mentions.sort(key=lambda m: m.start)
    return added
