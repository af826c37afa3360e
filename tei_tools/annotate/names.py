"""Finding persons, places and organisations in text and linking them to the register."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import blank_brackets
from .register import Entry, Register

TAG_OF_KIND = {"person": "persName", "place": "placeName", "org": "orgName"}

# Titles kept outside the name they precede ("Premier <persName>Zhou Enlai</persName>").
TITLES = sorted(
    [
        "Prime Minister", "Vice Premier", "Vice Chairman", "Vice President", "Vice Minister",
        "Vice Foreign Minister", "Deputy Foreign Minister", "Foreign Minister", "First Secretary",
        "General Secretary", "Secretary General", "Chargé d’Affaires", "Charge d’Affaires",
        "Chargé d'Affaires", "Charge d'Affaires", "Premier", "Ambassador", "Ambassadors", "Comrade",
        "Comrades", "Cde.", "Cde", "Chairman", "President", "Minister", "Marshal", "General",
        "Secretary", "Mr.", "Mrs.", "Ms.", "Dr.", "Deputy", "Counsellor", "Counselor", "Consul",
        "Director", "Colonel", "Lieutenant", "Captain", "Admiral", "Prince", "King", "Queen",
        "Emperor", "Madame", "Mme.", "Professor", "Prof.", "Senator", "Governor", "Chancellor",
    ],
    key=len,
    reverse=True,
)
_TITLE_SET = {title.rstrip(".") for title in TITLES}
_TITLE_RE = "|".join(re.escape(title) for title in TITLES)
# Words that end a would-be name: bodies, generic nouns and words capitalised only at a sentence start.
ORG_WORDS = {
    "Office", "Department", "Committee", "Ministry", "Bureau", "Section", "Agency", "Embassy",
    "Assembly", "Council", "Staff", "Secretariat", "Party", "Government", "Affairs", "Army",
    "Division", "Union", "Republic", "Front", "Command", "Presidium", "Politburo", "Congress",
    "Institute", "Academy", "University", "Commission", "Administration", "Directorate",
}
COMMON_CAPITALISED = {
    "The", "A", "An", "And", "Of", "In", "On", "At", "To", "For", "With", "But", "If", "As", "It",
    "He", "She", "We", "They", "I", "You", "This", "That", "These", "Those", "There", "Here",
    "First", "Second", "Third", "Fourth", "Fifth", "Last", "Next", "All", "Some", "No", "Yes",
    "Copies", "Copy", "File", "Total", "Ambassadors", "Comrades", "Note", "Notes", "Top", "Secret",
    "Soviet", "Chinese", "Korean", "American", "British", "French", "German", "Vietnamese",
    "Albanian", "Romanian", "Cuban", "Polish", "Hungarian", "Bulgarian", "Mongolian", "Czech",
    "Party", "Central", "Foreign", "Ministry", "Premier", "Chairman", "President", "General",
    "Mr", "Mrs", "Dr", "Sir", "Dear", "Respected", "Comrade", "Cde", "Embassy", "Government",
    "Participants", "Present", "Subject", "Attachment", "Enclosure", "Distribution",
}
# Bodies the text names by kind alone; tagged as organisations, never linked on that basis.
GENERIC_ORG = re.compile(
    r"(?<![\w])(?:Central Committee|Politburo|Political Bureau|Presidium|Secretariat|Council of Ministers|"
    r"Foreign Ministry|Ministry of (?:Foreign Affairs|Defen[cs]e|Foreign Trade|Public Security|Culture|Education|Finance|the Interior|Internal Affairs)|"
    r"Supreme Soviet|National Assembly|General Staff)(?![^\W\d_])"
)
_SPACE = r"[\s\u00a0]+"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Mention:
    """A name found in a piece of text; offsets are relative to that text."""

    start: int
    end: int
    tag: str
    ref: str | None = None
    type: str | None = None
    depth: int = 0


class _Form:
    """One surface form of register entries. Its patterns are compiled on first use: a
    register has over a thousand forms, and a page meets few of them."""

    __slots__ = ("text", "title", "entries", "_pattern", "_title_before")

    def __init__(self, text: str, title: str | None, entries: tuple[tuple[str, bool], ...]) -> None:
        self.text = text
        self.title = title
        self.entries = entries  # (key, descriptive)
        self._pattern: re.Pattern[str] | None = None
        self._title_before: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = re.compile(_SPACE.join(re.escape(word) for word in self.text.split()) + r"(?![^\W\d_])", re.IGNORECASE)
        return self._pattern

    @property
    def title_before(self) -> re.Pattern[str] | None:
        """The title must end the text before the name."""
        if self.title is not None and self._title_before is None:
            self._title_before = re.compile(re.escape(self.title) + r"[\s\u00a0]+$")
        return self._title_before


class NameIndex:
    """Surface forms of a register, indexed by their first word (case-folded)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        grouped: dict[tuple[str, str | None], list[tuple[str, bool]]] = {}
        for entry in register.entries.values():
            if entry.kind not in TAG_OF_KIND:
                continue
            for name in entry.names:
                form, title = _split_title(name.text) if entry.kind == "person" else (name.text, None)
                if not _WORD.search(form):
                    continue
                grouped.setdefault((form, title), []).append((entry.key, name.descriptive))
        self.by_first: dict[str, list[_Form]] = {}
        for (form, title), entries in grouped.items():
            first = _WORD.search(form)
            assert first is not None
            self.by_first.setdefault(first.group().casefold(), []).append(_Form(form, title, tuple(dict.fromkeys(entries))))
        # Only words whose first letter begins some form are looked up; the regex engine skips
        # the rest (most words of a text) without a Python step each.
        initials = set()
        for forms in self.by_first.values():
            for form in forms:
                first = _WORD.search(form.text)
                assert first is not None
                initials.update({first.group()[0], first.group()[0].upper()})
        self.candidates = re.compile("(?<![^\\W_])[" + "".join(sorted(re.escape(c) for c in initials)) + "][^\\W_]*")
        for forms in self.by_first.values():
            forms.sort(key=lambda f: (-len(f.text), f.text))


def _split_title(name: str) -> tuple[str, str | None]:
    for title in TITLES:
        if name.startswith(title + " ") and len(name) > len(title) + 1:
            return name[len(title) + 1 :], title
    return name, None


_INDEXES: dict[int, NameIndex] = {}


def index_for(register: Register) -> NameIndex:
    key = id(register)
    if key not in _INDEXES:
        _INDEXES.clear()
        _INDEXES[key] = NameIndex(register)
    return _INDEXES[key]


@dataclass(frozen=True)
class Context:
    """What a document tells about itself that names need: its date and its country."""

    date: str | None = None
    country: str | None = None
    roles: tuple[tuple[str, str], ...] = ()


def _case_ok(found: str, form: str) -> bool:
    if found == form or " ".join(found.split()) == form:
        return True
    letters = [c for c in found if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and " ".join(found.split()).upper() == form.upper()


def _resolve(register: Register, form: _Form, context: Context) -> tuple[str | None, str | None]:
    """(tag, key): the kind of name and the entry it links to, or no key when in doubt."""
    candidates: list[Entry] = []
    descriptive_only = True
    for key, descriptive in form.entries:
        entry = register[key]
        if descriptive:
            if entry.country is None or entry.country != context.country:
                continue
        else:
            descriptive_only = False
        candidates.append(entry)
    kinds = {register[key].kind for key, _ in form.entries}
    tag = TAG_OF_KIND[sorted(kinds)[0]] if len(kinds) == 1 else None
    if not candidates:
        return (tag if descriptive_only else None), None
    if len(candidates) > 1:
        dated = [entry for entry in candidates if entry.valid_on(context.date) is not False]
        settled = [entry for entry in dated if entry.valid_on(context.date) is True]
        candidates = settled if len(settled) == 1 else dated
    if len(candidates) == 1:
        return TAG_OF_KIND[candidates[0].kind], candidates[0].key
    return tag, None


def _widen_for_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the bracket of a supplied part: '[Zhou] Enlai', 'Deng [Xiaoping]'."""
    piece = text[start:end]
    if piece.count("]") > piece.count("[") and start > 0 and text[start - 1] == "[":
        start -= 1
    piece = text[start:end]
    if piece.count("[") > piece.count("]") and end < len(text) and text[end] == "]":
        end += 1
    return start, end


def find_names(text: str, register: Register, context: Context, *, in_list: bool = False) -> list[Mention]:
    """Persons, places and organisations in `text`, outermost first where they nest."""
    index = index_for(register)
    blanked = blank_brackets(text)
    raw: list[tuple[int, int, str | None, str | None]] = []
    for word in index.candidates.finditer(blanked):
        forms = index.by_first.get(word.group().casefold())
        if not forms:
            continue
        for form in forms:
            m = form.pattern.match(blanked, word.start())
            if not m or not _case_ok(m.group(), form.text):
                continue
            if form.title_before is not None and not form.title_before.search(blanked, 0, word.start()):
                continue
            tag, key = _resolve(register, form, context)
            if tag is None:
                continue
            raw.append((m.start(), m.end(), tag, key))
            break
    for m in GENERIC_ORG.finditer(blanked):
        raw.append((m.start(), m.end(), "orgName", None))
    raw = _merge_compound_orgs(raw, blanked)
    mentions = _nest(raw)
    mentions.extend(_titled_persons(blanked, mentions))
    mentions.extend(_roles(blanked, mentions, context))
    if in_list:
        mentions = _list_item_names(blanked, mentions)
    widened = []
    for mention in mentions:
        start, end = _widen_for_brackets(text, mention.start, mention.end)
        widened.append(Mention(start, end, mention.tag, mention.ref, mention.type, mention.depth))
    return sorted(widened, key=lambda m: (m.start, -m.end))


def _merge_compound_orgs(raw: list[tuple[int, int, str | None, str | None]], text: str) -> list[tuple[int, int, str | None, str | None]]:
    """'Central Committee International Liaison Department': a body inside its parent's name."""
    orgs = sorted((r for r in raw if r[2] == "orgName"), key=lambda r: (r[0], -r[1]))
    merged = list(raw)
    for first in orgs:
        for second in orgs:
            if second[0] > first[1] and text[first[1] : second[0]].strip() == "" and second[0] - first[1] <= 2:
                if not any(r[0] <= first[0] and r[1] >= second[1] for r in merged):
                    merged.append((first[0], second[1], "orgName", second[3]))
    return merged


def _nest(raw: list[tuple[int, int, str | None, str | None]]) -> list[Mention]:
    """Longest spans win; a shorter span inside a kept organisation name nests in it."""
    ordered = sorted(set(raw), key=lambda r: (-(r[1] - r[0]), r[0], r[3] is None))
    kept: list[Mention] = []
    for start, end, tag, key in ordered:
        assert tag is not None
        containers = [m for m in kept if m.start <= start and end <= m.end]
        crossing = [m for m in kept if start < m.end and m.start < end and not (m.start <= start and end <= m.end) and not (start <= m.start and m.end <= end)]
        if crossing:
            continue
        if containers:
            if any(c.start == start and c.end == end for c in containers):
                continue
            innermost = min(containers, key=lambda c: c.end - c.start)
            # Only a name that links somewhere else is worth nesting ("Soviet Union" in the
            # party's name); a part of the same body's name, or an unlinked one, is noise.
            if innermost.tag != "orgName" or key is None or any(c.ref == key for c in containers):
                continue
            kept.append(Mention(start, end, tag, key, depth=innermost.depth + 1))
        else:
            kept.append(Mention(start, end, tag, key))
    return kept


_TITLED = re.compile(
    rf"(?<![\w])(?:{_TITLE_RE})(?:[\s\u00a0]+)(?P<name>[A-Z][\w’'-]*(?:[\s\u00a0]+[A-Z][\w’'-]*){{0,2}})"
)


def _free(mentions: list[Mention], start: int, end: int) -> bool:
    return all(end <= m.start or start >= m.end for m in mentions)


def _titled_persons(text: str, mentions: list[Mention]) -> list[Mention]:
    """A capitalised name right after a title is a person, linked or not."""
    found: list[Mention] = []
    for m in _TITLED.finditer(text):
        words = m["name"].split()
        kept: list[str] = []
        for word in words:
            bare = re.sub(r"[’']s$", "", word)
            if bare in ORG_WORDS or bare in COMMON_CAPITALISED or bare in _TITLE_SET:
                break
            kept.append(word)
            if bare != word:
                break
        if not kept:
            continue
        start = m.start("name")
        name = " ".join(kept)
        end = start + len(m["name"][: m["name"].find(kept[-1]) + len(kept[-1])])
        end -= len(re.search(r"(?:[’']s)?$", text[start:end]).group())  # type: ignore[union-attr]
        if end > start and _free(mentions + found, start, end) and name:
            found.append(Mention(start, end, "persName"))
    return found


@lru_cache(maxsize=64)
def _role_pattern(title: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])[Tt]he[\s\u00a0]+{re.escape(title)}(?![\w])(?![\s\u00a0]+of\b)")


def _roles(text: str, mentions: list[Mention], context: Context) -> list[Mention]:
    found: list[Mention] = []
    for title, key in context.roles:
        if title not in text:
            continue
        for m in _role_pattern(title).finditer(text):
            if _free(mentions + found, m.start(), m.end()):
                found.append(Mention(m.start(), m.end(), "rs", key, type="person"))
    return found


def _list_item_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """In copy and participant lists: a lone surname is a person, never linked;
    an unknown capitalised name is a person; a body's name is an organisation."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    bare = re.sub(r"\s*\(\d+\)$", "", stripped)
    words = bare.split()
    top = [m for m in mentions if m.depth == 0]
    covered = any(m.start <= lead and m.end >= lead + len(bare) for m in top)
    if len(words) == 1 and re.fullmatch(r"\[?[A-Z][\w’'-]*\]?", bare) and bare.strip("[]") not in COMMON_CAPITALISED | _TITLE_SET | ORG_WORDS:
        if covered and any(m.tag != "persName" for m in top):
            return mentions
        return [Mention(lead, lead + len(bare), "persName")]
    if covered or not words:
        return mentions
    if any(w.strip("[],") in ORG_WORDS for w in words) and words[0][0].isupper() and not top:
        return mentions + [Mention(lead, lead + len(bare), "orgName")]
    if 2 <= len(words) <= 4 and all(re.fullmatch(r"\[?[A-Z][\w’'.-]*\]?", w) for w in words) and not top:
        if not any(w.strip("[]") in COMMON_CAPITALISED | _TITLE_SET for w in words):
            return mentions + [Mention(lead, lead + len(bare), "persName")]
    return mentions


_ROLE_TITLES = ("Premier", "Chairman", "President", "Ambassador", "Prime Minister", "Foreign Minister", "General Secretary", "First Secretary", "Minister", "Secretary General", "Marshal")
_ROLE_TITLE = re.compile("|".join(re.escape(title) for title in _ROLE_TITLES))


def find_roles(texts: list[str], register: Register, context: Context) -> tuple[tuple[str, str], ...]:
    """Titles the document itself ties to one named person: 'Premier Zhou Enlai' makes 'the Premier' him."""
    seen: dict[str, set[str]] = {}
    for text in texts:
        if not _ROLE_TITLE.search(text):
            continue  # most lines name no titled person: skip the full name search
        blanked = blank_brackets(text)
        for mention in find_names(text, register, Context(context.date, context.country)):
            if mention.tag != "persName" or mention.ref is None:
                continue
            before = blanked[: mention.start].rstrip()
            for title in _ROLE_TITLES:
                if before.endswith(title) and not before[: -len(title)].rstrip().endswith(("the", "The", "Soviet", "Chinese")):
                    seen.setdefault(title, set()).add(mention.ref)
    return tuple(sorted((title, next(iter(keys))) for title, keys in seen.items() if len(keys) == 1))

