"""The annotation stage as data: the names and dates found in a piece of text, with no XML."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .dates import DateValue, find_dates
from .names import TAG_OF_KIND, Context, find_names
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
    """The mentions of one file's texts (`found[i]` those of `texts[i]`) made to agree: a name
    read as a person in one text and as a place on a cue alone in another ("said Alice", "looked
    at Alice") is the person in both. Only a place without a register key changes, and it gets
    no key: a link is never guessed from another text."""
    persons = {text[m.start : m.end] for text, mentions in zip(texts, found) for m in mentions if m.kind == "person" and not m.role}
    if not persons:
        return found

    def doubtful(text: str, mention: Mention) -> bool:
        return mention.kind == "place" and mention.key is None and mention.depth == 0 and text[mention.start : mention.end] in persons

    agreed = []
    for text, mentions in zip(texts, found):
        if any(doubtful(text, mention) for mention in mentions):
            mentions = [replace(mention, kind="person") if doubtful(text, mention) else mention for mention in mentions]
        agreed.append(mentions)
    return agreed
