"""Finding persons, places and organisations in text and linking them to the register."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from . import shapes
from .dates import blank_brackets
from .divided import resolve_divided
from .register import Entry, Register
from .spans import Spans

TAG_OF_KIND = {"person": "persName", "place": "placeName", "org": "orgName"}

# Titles kept outside the name they precede ("Premier <persName>Zhou Enlai</persName>"), in the
# forms and cases documents write them; several may follow each other ("Comrade Army General").
TITLES = sorted(
    [
        "Prime Minister", "Vice Premier", "Vice Chairman", "Vice-Chairman", "Vice President", "Vice-President",
        "Vice Minister", "Vice-Minister", "Vice Foreign Minister", "Deputy Foreign Minister", "Foreign Minister",
        "Deputy Minister", "Deputy Prime Minister", "First Deputy", "Deputy Chairman", "Deputy Premier",
        "First Secretary", "Second Secretary", "Third Secretary", "General Secretary", "Secretary General",
        "Assistant Secretary", "Under Secretary", "Secretary of State", "Chief Cabinet Secretary", "Cabinet Secretary",
        "Chargé d’Affaires", "Charge d’Affaires", "Chargé d'Affaires", "Charge d'Affaires", "chargé d'affaires",
        "charge d'affaires", "Premier", "Ambassador", "Ambassadors", "Comrade", "Comrades", "Cde.", "Cdes.", "Cde",
        "Com.", "Tov.", "Tovarishch", "Chairman", "President", "Minister", "Marshal", "General", "Army General",
        "Lieutenant General", "Major General", "Colonel General", "Senior Lieutenant", "First Lieutenant",
        "Lieutenant Colonel", "Secretary", "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Deputy", "Counsellor", "Counselor",
        "Consul", "Consul General", "Director", "Director-General", "Director General", "Colonel", "Lieutenant",
        "Captain", "Admiral", "Commander", "Major", "Sergeant", "Prince", "Princess", "King", "Queen", "Emperor",
        "Madame", "Mme.", "Professor", "Prof.", "Senator", "Governor", "Chancellor", "Federal Chancellor",
        "Generalissimo", "Attaché", "Attache", "Premier Minister", "Academician", "Comrade General",
        "interpreter", "translator", "Interpreter", "Sir", "Herr", "Frau", "Genosse", "Pan", "Pani",
    ],
    key=len,
    reverse=True,
)
# Titles that also are names ("Pan" is a surname, "Lord" a name): they make a title only before
# a name that the register does not hold under them.
_AMBIGUOUS_TITLES = {"Pan", "Pani", "Lord", "Sir", "Miss", "Major", "King", "Queen"}
_PLURAL_TITLES = {"Comrades", "Cdes.", "Ambassadors", "Messrs.", "Messrs"}
_TITLE_SET = {title.rstrip(".").casefold() for title in TITLES} | {"cdes", "vice", "deputies", "deputy", "comrades", "ambassadors"}
_TITLE_RE = "|".join(re.escape(title) for title in TITLES)
# Words that end a would-be name: bodies, generic nouns and words capitalised only at a sentence start.
ORG_WORDS = {
    "Crisis", "Affair",  # events: 'IMF Crisis', 'XYZ Affair' name no person
    "Office", "Department", "Committee", "Ministry", "Bureau", "Section", "Agency", "Embassy",
    "Assembly", "Council", "Staff", "Secretariat", "Party", "Government", "Affairs", "Army",
    "Division", "Union", "Republic", "Front", "Command", "Presidium", "Politburo", "Congress",
    "Institute", "Academy", "University", "Commission", "Administration", "Directorate",
    "Consulate", "Legation", "Mission", "Delegation", "Forces", "Volunteers", "Senate", "Parliament",
    "League", "Federation", "Association", "Service", "Bank", "Court", "Guard", "Guards", "Navy",
    "Prize", "Street", "Square", "Station", "Hall", "Palace", "Hotel", "Airport", "Bridge", "River",
    "Island", "Islands", "Mountains", "Sea", "Ocean", "Bay", "Canal", "Province", "Region", "District",
    "City", "Plenum", "Conference", "Treaty", "Agreement", "Declaration", "Plan", "Doctrine",
    "Organization", "Organizations", "Organisation", "Organisations", "Radio", "Television", "Newspaper",
    "Treaties", "Agreements", "Accord", "Accords",  # 'the INF Treaties', 'the Geneva Accords'
    # a newspaper's or journal's name: 'People’s Daily', 'the Pennsylvania Gazette'
    "Daily", "Gazette", "Tribune", "Chronicle", "Journal", "Courier", "Magazine", "Review", "Bulletin",
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
    "Japanese", "Indian", "Yugoslav", "Czechoslovak", "Western", "Eastern", "Northern", "Southern",
    "North", "South", "East", "West", "Today", "Yesterday", "Tomorrow", "After", "Before", "During",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "His", "Her", "Our",
    "Their", "Its", "My", "Your", "Who", "What", "When", "Where", "Why", "How", "Which", "Please",
    "Comment", "Reference", "Ref", "From", "Members", "Member", "Head", "Time", "Place", "Location",
    "Date", "Telegram", "Cable", "Report", "Memorandum", "Information", "Minutes", "Letter", "Record",
    "Conversation", "Confidential", "Urgent", "Ciphered", "Draft", "Attendees", "Interpreters",
    "Responsible", "Deputies", "Side", "Page", "Pages", "Annex", "Appendix", "Summary", "Agenda",
    "Translation", "Original", "Source", "Signed", "Sent", "Received", "Also", "Then", "Thus", "However",
    "Meanwhile", "Moreover", "Furthermore", "According", "Regarding", "Concerning", "Re", "Very",
    "Immediate", "Priority", "Routine", "Flash", "Niact", "Secstate", "Amembassy", "Washdc", "Fm", "Info",
    "Special", "Strictly", "Intelligence", "Notice", "Session", "Meeting", "Talks", "Visit", "Question",
    "Socialist", "Communist", "People's", "Democratic", "National", "International", "State", "Federal",
    "Red", "Cross", "Both", "Each", "Every", "Many", "Most", "Other", "Such", "Only", "Even", "Not",
    "Yours", "Sincerely", "Faithfully", "Respectfully", "Greetings", "Sirs", "Madam", "Hello",
    "Vice", "Deputy", "Secretary", "Minister", "Director", "Ambassador", "Counsellor", "Counselor",
    "Prime", "Chief", "Senior", "Junior", "Assistant", "Acting", "Former", "Late", "New", "Old",
    "Great", "Grand", "Supreme", "Permanent", "Standing", "Provisional", "Joint", "Military",
    "Nationalist", "Revolutionary", "Workers", "Workers'", "Labor", "Labour", "Liberation", "Peace",
    "Asian", "European", "African", "Arab", "Latin", "Pacific", "Atlantic", "Far", "Middle", "Near",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    # pronouns and the period's newspapers, which say and report things too
    "Nobody", "Everyone", "Everybody", "Someone", "Somebody", "Anyone", "Anybody", "None", "Neither", "Either",
    "Few", "Several", "Others", "Another", "One", "Two", "Three", "Pravda", "Izvestia", "Izvestiya", "Trud",
    "Scinteia", "Népszabadság", "Borba", "Politika", "Hongqi", "Kommunist", "Times", "Herald", "Post",
    # a byline, a picture credit, a play's stage directions, and pronouns with their verbs
    "By", "Photo", "Photograph", "Courtesy", "Enter", "Re-enter", "Exit", "Exeunt", "Manet", "Manent", "Aside",
    "I’ve", "I've", "I’m", "I'm", "I’ll", "I'll", "I’d", "I'd", "You’re", "You're", "You’ve", "You've",
    "You’ll", "You'll", "We’re", "We're", "We’ve", "We've", "They’re", "They're", "They’ve", "They've",
    # verbs and words of older English that open a line of verse ("’Tis said", "Well said, old mole")
    "Is", "Are", "Was", "Were", "Be", "Been", "Has", "Had", "Have", "Hath", "Doth", "Did", "Does", "Shall",
    # (not "O", "Oh", "So", "Ye", "Than" or "Can": names in Korean, Chinese, Burmese or Turkish)
    "Should", "Would", "Could", "Must", "Tis", "’Tis", "'Tis", "Twas", "’Twas", "'Twas", "Well", "Now",
    "Ay", "Nay", "Yea", "Yet", "Nor", "Or", "Thou", "Thee", "Thy", "Thine", "Let", "Pray", "Alas", "Indeed",
    "God", "Heaven", "Heavens", "Together", "Congressman", "Congresswoman", "Advisor", "Adviser",
    "Viceroy", "Vice-Roy", "Vice-roy",
}
# The groups and sounds a stage direction brings on ("Enter King, Queen, and Lords", "Enter
# Trumpets and Kettle Drums"): no one's name, nor part of one.
_GROUPS = {
    "Lords", "Ladies", "Attendants", "Soldiers", "Officers", "Servants", "Sailors", "Mariners", "Musicians",
    "Players", "Murderers", "Messengers", "Gentlemen", "Citizens", "Senators", "Courtiers", "Witches",
    "Spirits", "Trumpets", "Drums", "Colours", "Colors", "Torches", "Flourish", "Alarum", "Alarums", "Chorus",
}
COMMON_CAPITALISED |= _GROUPS
# Newspapers named in two words that are names elsewhere ("Captain Dan Marin", "Deutschland"):
# the whole title is blanked before the rules read a text, as brackets are, so that neither
# word of it starts or ends a name there. A title begins with a capital; the look-behind comes
# after it, so that the regex engine leaps from capital to capital (a pattern that opens with
# a look-behind is tried at every character, eight times slower).
_NEWSPAPERS = re.compile(
    r"[NRJT](?<![\w’'-].)(?i:han[\s\u00a0]+dan|enmin[\s\u00a0]+ribao|en-?min[\s\u00a0]+jih-?pao|odong[\s\u00a0]+sinmun|"
    r"eues[\s\u00a0]+deutschland|rybuna[\s\u00a0]+ludu|ud[eé][\s\u00a0]+pr[aá]vo)(?![\w’'-])"
)
_HEADINGS = {word.upper() for word in COMMON_CAPITALISED} | {
    "TELEGRAM", "CABLE", "REPORT", "MEMORANDUM", "INFORMATION", "NOTE", "MINUTES", "LETTER", "RECORD",
    "CONFIDENTIAL", "SECRET", "URGENT", "CIPHERED", "DRAFT", "SUBJECT", "COMMENT", "REF", "END", "TEXT",
    "IMMEDIATE", "PRIORITY", "ROUTINE", "NIACT", "SECSTATE", "WASHDC", "AMEMBASSY", "INFO", "FM", "TO",
    "LIMDIS", "EXDIS", "NODIS", "STADIS", "UNCLASSIFIED", "CLASSIFIED", "CONVERSATION", "PARTICIPANTS",
    "STRICTLY", "TOP", "ATTACHMENT", "ENCLOSURE", "PROTOCOL", "TRANSCRIPT", "RESOLUTION", "DIRECTIVE",
    "DECREE", "ORDER", "SUMMARY", "STATEMENT", "DECLARATION", "COMMUNIQUE", "AGREEMENT", "TREATY",
    "EXCERPT", "EXCERPTS", "CONTINUED", "DECLASSIFIED", "SANITIZED", "QUOTE", "UNQUOTE", "NNNN", "ENDS",
    "FORWARD", "STOP", "PART", "SECTION", "ADDENDUM", "POSTSCRIPT", "REFERENCES", "SUBJ", "REFTEL", "GDS",
    "XGDS", "SENSITIVE", "PERSONAL", "EYES", "ONLY", "HANDLE", "CHANNEL", "DISTRIBUTION", "COPIES", "CLEAR",
    "CIPHER", "CODE", "DECODE", "DECODED", "EXTRACT", "ANNEX", "TRANSLATION", "ORIGINAL", "INCOMING",
    "OUTGOING", "RECEIVED", "SENT", "DRAFTED", "APPROVED", "CLEARED", "ACTION", "CONTROL", "RELEASED",
    # the parts of a printed book, headings in capitals
    "PREFACE", "CONTENTS", "INDEX", "INTRODUCTION", "CONCLUSION", "FINIS", "ERRATA", "DEDICATION",
    "PROLOGUE", "EPILOGUE", "GLOSSARY", "BIBLIOGRAPHY", "FOREWORD", "AFTERWORD", "ADVERTISEMENT",
    "ACKNOWLEDGEMENTS", "ACKNOWLEDGMENTS", "DEFINITIONS", "AXIOMS", "PROPOSITIONS", "POSTULATES",
    "POSTULATA", "ARGUMENT", "CHAPTER", "BOOK", "VOLUME", "CANTO", "ACT", "SCENE", "APPENDIX", "NOTES",
}
# Bodies the text names by kind alone; tagged as organisations, never linked on that basis.
GENERIC_ORG = re.compile(
    r"(?<![\w])(?:Central Committee|Politburo|Political Bureau|Presidium|Secretariat|Council of Ministers|"
    r"Foreign Ministry|Ministry of (?:Foreign Affairs|Defen[cs]e|Foreign Trade|Public Security|Culture|Education|Finance|the Interior|Internal Affairs)|"
    r"Supreme Soviet|National Assembly|General Staff)(?![^\W\d_])"
)
# The words GENERIC_ORG begins with, flat: a quick look whether a text can hold one at all.
_GENERIC_ORG_WORDS = re.compile(r"Central Committee|Politburo|Political Bureau|Presidium|Secretariat|Council of Ministers|Foreign Ministry|Ministry of |Supreme Soviet|National Assembly|General Staff")
_SPACE = r"[\s\u00a0]+"
_GAP = re.compile(_SPACE)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A token: a word with its inner hyphens and apostrophes, and a period that makes it an
# initial or an abbreviation ("Yu.", "Cde.").
_TOKEN = re.compile(r"[^\W_](?:[\w’'-]*[\w])?\.?")
_INITIAL = re.compile(r"(?:[A-Z][a-z]?\.|[A-Z]\.[A-Z]\.)")
_NOT_INITIAL = {"St.", "Mt.", "Ft.", "Dr.", "Mr.", "No.", "Nr.", "Jr.", "Sr.", "Co.", "Op.", "Vol.", "Ch.", "Gh."}


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
    """One surface form of register entries, matched word by word in any case: a register has
    over a thousand forms, and a regular expression for each would cost more to compile than
    the matching it saves."""

    __slots__ = ("text", "title", "entries", "_words", "_title_before")

    def __init__(self, text: str, title: str | None, entries: tuple[tuple[str, bool], ...]) -> None:
        self.text = text
        self.title = title
        self.entries = entries  # (key, descriptive)
        self._words = tuple((word, word.lower(), word.upper()) for word in text.split())
        self._title_before: re.Pattern[str] | None = None

    def end_at(self, text: str, start: int) -> int | None:
        """Where the form ends when it stands at `start` (its words in any case, apart by any
        spaces, no letter after it), or None."""
        position = start
        for number, (word, lower, upper) in enumerate(self._words):
            if number:
                gap = _GAP.match(text, position)
                if gap is None:
                    return None
                position = gap.end()
            end = position + len(word)
            piece = text[position:end]
            if piece != word and piece.lower() != lower and piece.upper() != upper:
                return None
            position = end
        if _LETTER.match(text, position):
            return None
        return position

    @property
    def title_before(self) -> re.Pattern[str] | None:
        """The title must end the text before the name."""
        if self.title is not None and self._title_before is None:
            self._title_before = re.compile(re.escape(self.title) + r"[\s\u00a0]+$", re.IGNORECASE)
        return self._title_before


class NameIndex:
    """Surface forms of a register, indexed by their first word (case-folded)."""

    def __init__(self, register: Register) -> None:
        self.register = register
        grouped: dict[tuple[str, str | None], list[tuple[str, bool]]] = {}
        self.tokens: dict[str, frozenset[str]] = {}
        for entry in register.entries.values():
            if entry.kind not in TAG_OF_KIND:
                continue
            for name in entry.names:
                form, title = _split_title(name.text) if entry.kind == "person" else (name.text, None)
                if not _WORD.search(form):
                    continue
                grouped.setdefault((form, title), []).append((entry.key, name.descriptive))
            if entry.kind == "person":
                self.tokens[entry.key] = frozenset(shapes.fold(word) for name in entry.names for word in _WORD.findall(name.text))
        self.by_first: dict[str, list[_Form]] = {}
        # What a form means in a document's context (see _resolve), once per form and context.
        self._meanings: dict[Context, dict[_Form, tuple[str | None, str | None]]] = {}
        for (form, title), entries in grouped.items():
            first = _WORD.search(form)
            assert first is not None
            self.by_first.setdefault(first.group().casefold(), []).append(_Form(form, title, tuple(dict.fromkeys(entries))))
        # Only words whose first letter begins some form are looked up; the regex engine skips
        # the rest (most words of a text) without a Python step each. A form matches in its own
        # case or in capitals (see _case_ok), so a word in small letters is a candidate only as
        # the whole first word of a form that begins in small letters ("south").
        initials: set[str] = set()
        lower_firsts: set[str] = set()
        for forms in self.by_first.values():
            for form in forms:
                first = _WORD.search(form.text)
                assert first is not None
                word = first.group()
                initials.add(word[0].upper())
                if not word[0].isupper():
                    if word[0].upper() == word[0]:
                        initials.add(word[0])  # a letter without case (Chinese, Arabic)
                    else:
                        lower_firsts.add(word)
        alternatives = ["[" + "".join(sorted(re.escape(c) for c in initials)) + "][^\\W_]*"]
        alternatives += [re.escape(word) + "(?![^\\W_])" for word in sorted(lower_firsts, key=lambda w: (-len(w), w))]
        self.candidates = re.compile("(?<![^\\W_])(?:" + "|".join(alternatives) + ")")
        for forms in self.by_first.values():
            forms.sort(key=lambda f: (-len(f.text), f.text))


    def meanings(self, context: Context) -> dict[_Form, tuple[str | None, str | None]]:
        """(tag, key) of the forms met so far in documents of this context."""
        found = self._meanings.get(context)
        if found is None:
            if len(self._meanings) >= 256:
                self._meanings.clear()  # a long batch of differently dated documents
            found = self._meanings[context] = {}
        return found


def _split_title(name: str) -> tuple[str, str | None]:
    for title in _TITLES_BY_FIRST.get(name.split(" ", 1)[0], ()):
        if name.startswith(title + " ") and len(name) > len(title) + 1:
            return name[len(title) + 1 :], title
    return name, None


def _titles_by_first() -> dict[str, list[str]]:
    """The titles by their first word, in the order of TITLES: a register of 2,000 names is split
    at every start, and only the titles a name could begin with need trying."""
    grouped: dict[str, list[str]] = {}
    for title in TITLES:
        grouped.setdefault(title.split(" ", 1)[0], []).append(title)
    return grouped


_TITLES_BY_FIRST = _titles_by_first()


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
    divided = resolve_divided(form.text, context.date, context.country)
    if divided is not None:
        return "placeName", divided or None
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
    # An entry whose period the document's date falls outside is not what the name meant then
    # ("the Republic of China" of 1945 is not the state on Taiwan): tagged, never linked to it.
    in_period = [entry for entry in candidates if entry.valid_on(context.date) is not False]
    if not in_period:
        return tag, None
    candidates = in_period
    if len(candidates) > 1:
        dated = candidates
        settled = [entry for entry in dated if entry.valid_on(context.date) is True]
        # A state of the period (with an end) is what its name meant then: the FRG of 1961
        # is West Germany, not today's Germany.
        bounded = [entry for entry in settled if entry.start and entry.end]
        candidates = settled if len(settled) == 1 else bounded if len(bounded) == 1 else dated
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


_Spans = Spans


# -- tokens ---------------------------------------------------------------------------------

class _Tok:
    """A word of the text: its offsets, itself, and itself without a full stop."""

    # A plain class: a text of 100,000 characters has some 20,000 words, and a frozen
    # dataclass's __init__ costs 40 % more, which pays for taking the full stop off once here
    # rather than at every look.
    __slots__ = ("start", "end", "text", "bare")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.bare = text.rstrip(".")


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _joined(text: str, a: _Tok, b: _Tok) -> bool:
    """Two tokens in one name: only spaces between them, or the bracket of a supplied word
    ('[Zhou] Enlai', 'Deng [Xiaoping]'); a bracket of several words is a gloss, not a part."""
    if not 0 < b.start - a.end <= 3:
        return False  # asked of most pairs of neighbouring words: answered before any slicing
    between = _SOURCE.get(id(text), text)[a.end : b.start]
    bare = between.strip()
    if bare == "":
        return True
    if bare == "]":
        return True
    if bare == "[":
        source = _SOURCE.get(id(text), text)
        return source[b.end : b.end + 1] == "]"
    return False


# The text with its brackets, for the blanked copy the finders work on (keyed by the copy's id
# for the length of one call).
_SOURCE: dict[int, str] = {}


def _is_initial(tok: _Tok) -> bool:
    return _initial_text(tok.text)


@lru_cache(maxsize=65536)
def _initial_text(text: str) -> bool:
    return bool(_INITIAL.fullmatch(text)) and text not in _NOT_INITIAL


def _possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s", "'S", "’S")) else word


def _name_word(tok: _Tok, capitals: bool) -> bool:
    """A word that can be part of a person's name: capitalised, not a function word, title,
    body, heading or sentence word."""
    return _name_word_text(tok.text, capitals)


@lru_cache(maxsize=65536)
def _name_word_text(text: str, capitals: bool) -> bool:
    word = _possessive(text.rstrip("."))
    if not word or not word[0].isupper() or not word[0].isalpha():
        return False
    if word in COMMON_CAPITALISED or word in ORG_WORDS or word.casefold() in _TITLE_SET:
        return False
    if word.upper() == word and len(word) > 1:
        return word not in _HEADINGS and not (not capitals and len(word) <= 4 and not any(c in "AEIOUY" for c in word))
    return not text.endswith(".") or len(word) > 2  # "Yu." is an initial, not a name word


# -- persons by shape and context ------------------------------------------------------------

_SPEECH = re.compile(
    r"[\s\u00a0]+(?:said|says|told|stated|replied|added|noted|asked|answered|declared|stressed|emphasized|"
    r"emphasised|believes|believed|thinks|thought|proposed|suggested|spoke|informed|reported|explained|agreed|"
    r"expressed|remarked|announced|pointed|insisted|objected|promised|wants|wanted|demanded)\b"
)
_SPEECH_CAPS = re.compile(_SPEECH.pattern, re.IGNORECASE)
_APPOSITION = re.compile(
    r",[\s\u00a0]+(?:the[\s\u00a0]+)?(?:member|head|director|chairman|minister|secretary|ambassador|deputy|first|vice|"
    r"general|chief|interpreter|counsellor|counselor|president|premier|commander|leader|editor|correspondent|"
    r"Director|Chairman|Minister|Secretary|Ambassador|Deputy|First|Vice|General|Chief|Counsellor|Counselor|"
    r"President|Premier|Commander|Head|Member)\b"
)
_FIELD = re.compile(
    r"(?:^|[\s\u00a0])(?:Present|Participants|Participating|Attendees|Attending|Members|Interpreters?|Responsible|"
    r"Deputies|Signed|Recorded by|Drafted by|Cleared by|Approved by|Copies to|Also present|Chinese side|Soviet side|"
    r"Japanese side|Korean side|American side|Vietnamese side|German side|Polish side|Our side|Their side|"
    r"PARTICIPANTS|PRESENT|Delegation|[A-Z][a-z]+ side)[\s\u00a0]*:"
    r"|(?:Translated|Contributed|Obtained|Recorded|Prepared|Compiled|Drafted|Edited|Introduced) by(?=[\s\u00a0])"
    # a play's stage directions: "Enter Hamlet.", "Exeunt Rosencrantz, Guildenstern"
    r"|(?<![\w’'-])(?:Enter|Re-enter|Exit|Exeunt|Manet|Manent)(?=[\s\u00a0])"
)
_PLACE_BEFORE = {"in", "to", "from", "at", "near", "over", "via", "of", "the", "into", "across", "toward", "towards", "outside", "inside", "around", "between", "through"}


_STRONG_RUSSIAN = re.compile(r"(?:ov|ev|enko|sky|skiy)$")  # endings that make a surname alone


_ROMAN = re.compile(r"[IVXLC]+")
# Words a number follows as a heading's or a series' ("Chapter VII", "Part II."), not a name's.
_SECTION_WORDS = frozenset({
    "Chapter", "Article", "Section", "Part", "Book", "Volume", "Vol", "Act", "Scene", "Canto", "Title",
    "Annex", "Appendix", "Protocol", "Phase", "Stage", "Class", "Type", "Model", "Mark", "Plate",
    "Figure", "Table", "Psalm", "No", "Vatican", "Apollo",
})
# Countries and bodies written in initials, which a capitalised word after them does not make a person.
_LETTER_ABBREVIATIONS = frozenset({
    "U.S.", "U.S.A.", "U.K.", "U.N.", "U.S.S.R.", "E.U.", "D.C.", "P.R.C.", "G.D.R.", "F.R.G.", "D.P.R.K.",
    "R.O.K.", "D.R.V.",
})
# "South Carolina", "New Kirovsk": a word after these is a place's name, whatever its shape.
_COMPASS = frozenset({"north", "south", "east", "west", "new", "upper", "lower"})


def _surname_in_capitals(word: str, words: list[str]) -> bool:
    """'MIELKE' in 'Erich MIELKE', 'YU' in 'YU Lei': not an abbreviation ('U.S.'), a word without
    a vowel ('XYZ'), nor a Roman numeral, unless it is a ruler's number after a single name
    ('George III', 'Charles IV of Spain'; not 'World War II', 'Chapter VII')."""
    if not (word.isupper() and len(word) >= 2) or "." in word or not any(c in "AEIOUY" for c in word):
        return False
    if _ROMAN.fullmatch(word):
        return len(words) == 2 and words[0].title() not in _SECTION_WORDS
    return True


def _person_runs(text: str, toks: list[_Tok], capitals: bool) -> list[tuple[int, int, str]]:
    """Persons found by the shape of the name or the words around it: (first token, last
    token + 1, why)."""
    found: list[tuple[int, int, str]] = []
    n = len(toks)
    resume = 0  # the first word a rule may start at: those before are taken
    # Every rule below starts at a capital: the others are skipped in one pass.
    for i in [i for i, tok in enumerate(toks) if tok.text[0].isupper()]:
        if i < resume:
            continue
        tok = toks[i]
        # initials and a surname: "K. Chernenko", "A.A. Gromyko", "Yu. V. Andropov", "John H. Holdridge"
        j = i
        while j < n and _is_initial(toks[j]) and (j == i or _joined(text, toks[j - 1], toks[j]) or text[toks[j - 1].end : toks[j].start] == ""):
            j += 1
        if j > i and "".join(text[toks[i].start : toks[j - 1].end].split()) in _LETTER_ABBREVIATIONS:
            resume = j  # "U.S. Constitution": a country in initials, no person's
            continue
        numbered = j > i and i > 0 and toks[i - 1].bare.title() in _SECTION_WORDS  # "CHAPTER I. Down the Rabbit-Hole"
        if j > i and j < n and j - i <= 3 and not numbered and (_joined(text, toks[j - 1], toks[j]) or text[toks[j - 1].end : toks[j].start] == "") and _name_word(toks[j], capitals) and not (toks[j].text.endswith(".") and len(toks[j].text) <= 3) and not _geo_after(text, toks, j):
            start = i
            if i > 0 and _joined(text, toks[i - 1], toks[i]) and _name_word(toks[i - 1], capitals) and toks[i - 1].text[1:].islower() and not toks[i - 1].text.endswith("."):
                start = i - 1  # a given name before the initial
            found.append((start, j + 1, "initials"))
            resume = j + 1
            continue
        if _name_word(tok, capitals):
            run = [i]
            k = i + 1
            while k < n and len(run) < 4 and _joined(text, toks[k - 1], toks[k]) and _name_word(toks[k], capitals) and not toks[k - 1].text.endswith("."):
                run.append(k)
                k += 1
            words = [_possessive(toks[r].bare) for r in run]
            if _geo_after(text, toks, run[-1]):
                resume = k
                continue  # "Damansky Island", "Kirov Works": a place or a body
            shaped = 0  # the token after the name found by its shape
            for length in (3, 2):
                if len(words) >= length:
                    for offset in range(0, len(words) - length + 1):
                        if shapes.east_asian_name(words[offset : offset + length]):
                            shaped = run[offset] + length
                            if not _geo_after(text, toks, shaped - 1):  # "the Ho Chi Minh Trail"
                                found.append((run[offset], shaped, "shape"))
                            break
                if shaped:
                    break
            if shaped:
                resume = shaped
                continue
            if len(words) == 1 and (shapes.russian_surname(words[0]) or shapes.south_slavic_surname(words[0])):
                before = text[max(0, tok.start - 12) : tok.start].split()
                previous = before[-1].casefold() if before else ""
                strong = bool(_STRONG_RUSSIAN.search(shapes.fold(words[0])))
                if previous not in _PLACE_BEFORE and previous not in _COMPASS and (strong or not _sentence_start(text, tok)):
                    found.append((i, i + 1, "shape"))
                    continue
            # a given name and a surname of a strong Russian shape: "Igor Ivanov", "Nikolai Fedorenko"
            if len(words) == 2 and not capitals and words[0][1:].islower() and shapes.russian_surname(words[1]) and _STRONG_RUSSIAN.search(shapes.fold(words[1])):
                found.append((i, i + 2, "shape"))
                resume = i + 2
                continue
            # mixed capitals: "Erich MIELKE", "YU Lei" (not in a text all in capitals)
            if not capitals and len(words) >= 2 and any(_surname_in_capitals(w, words) for w in words) and any(not w.isupper() for w in words):
                found.append((run[0], run[-1] + 1, "capitals"))
                resume = run[-1] + 1
                continue
            # context: a name before a verb of speech or a role in apposition
            speech = _SPEECH_CAPS if capitals else _SPEECH
            for cut, r in enumerate(run):
                if speech.match(text, toks[r].end):
                    run = run[: cut + 1]  # "THIEU SAID": the verb ends the name
                    break
            end = toks[run[-1]].end
            if speech.match(text, end) or (not capitals and _APPOSITION.match(text, end)):
                before = text[max(0, tok.start - 12) : tok.start].split()
                if not (before and before[-1].casefold() in _PLACE_BEFORE):  # "in Bonn informed": a place
                    found.append((run[0], run[-1] + 1, "context"))
                    resume = run[-1] + 1
                    continue
            resume = k if k > i + 1 else i + 1
    return found


_TRAILER = re.compile(r"(?:[’'][sS])?\.?$")  # a possessive or a full stop after a name


def _geo_after(text: str, toks: list[_Tok], last: int) -> bool:
    """The word after a run names a kind of place or body: 'Damansky Island', 'Lenin Prize'."""
    return last + 1 < len(toks) and _joined(text, toks[last], toks[last + 1]) and _kind_word(toks[last + 1].bare)


@lru_cache(maxsize=65536)
def _kind_word(word: str) -> bool:
    """'Island', 'works', 'Prize's': a word that names a kind of place or body."""
    word = _possessive(word).title()
    return word in ORG_WORDS or word in _EPONYMS


def name_word(word: str) -> bool:
    """The word can be part of a person's name ('Lena', 'Houghton'; not 'Then', 'Minister')."""
    return _name_word_text(word, False)


def names_a_kind(word: str) -> bool:
    """'Island', 'Street', 'Plan', 'Ministry': after a name, a word that makes the two the name of
    a place, a body or a thing, not of a person."""
    return _kind_word(word)


def _sentence_start(text: str, tok: _Tok) -> bool:
    before = text[max(0, tok.start - 3) : tok.start].rstrip()
    return not before or before[-1] in ".!?:;\"“(\n"


_TITLED = re.compile(rf"(?:{_TITLE_RE})(?:[\s\u00a0]+(?:{_TITLE_RE}))*(?![\w])", re.IGNORECASE)
# First words of titles: the title pattern is tried only where one of them stands.
# After a title, a space, or a comma in apposition ("the American Ambassador, Llewellyn Thompson").
_TITLE_GAP = re.compile(r",?[\s\u00a0]+")
_TITLE_FIRST = frozenset(re.split(r"[\s\u00a0]+", title)[0].casefold() for title in TITLES)


@lru_cache(maxsize=65536)
def _opens_title(word: str) -> bool:
    """The word can be a title's first ('Comrade', 'Amb.'): asked of every word, once per spelling."""
    return word.casefold() in _TITLE_FIRST or word.rstrip(".").casefold() in _TITLE_FIRST


def _titled_runs(text: str, toks: list[_Tok], starts: dict[int, int], capitals: bool) -> list[tuple[int, int, str]]:
    """A name right after a title, or after a plural title a list of names ('Cdes. A, B and C')."""
    found: list[tuple[int, int, str]] = []
    matches = []
    for tok in toks:
        if _opens_title(tok.text):
            if matches and matches[-1].end() > tok.start:
                continue  # inside the title just found ("Comrade Army General")
            m = _TITLED.match(text, tok.start)
            if m:
                matches.append(m)
    for m in matches:
        title = m.group()
        if title[0].islower() and title.casefold() not in ("interpreter", "translator", "chargé d'affaires", "charge d'affaires"):
            continue  # "the minister": a word, not a title before a name
        if not capitals and title.isupper() and len(title) > 3:
            continue  # "MINISTER" in a mixed text is a heading, not a title
        last_title = title.split()[-1]
        plural = last_title in _PLURAL_TITLES or last_title.casefold() in ("comrades", "cdes.", "ambassadors")
        gap = _TITLE_GAP.match(text, m.end())
        if not gap:
            continue
        i = starts.get(gap.end())
        while True:
            if i is None:
                break
            j = i
            while j < len(toks) and _is_initial(toks[j]) and j - i < 3:
                j += 1
            k = j
            last_word = -1
            while k < len(toks) and k - i < 5 and (_name_word(toks[k], capitals) or (_is_initial(toks[k]) and k > j)) and (k == i or _joined(text, toks[k - 1], toks[k]) or text[toks[k - 1].end : toks[k].start] == "") and not (k > j and toks[k - 1].text.endswith(".") and not _is_initial(toks[k - 1])) and not (k > i and _possessive(toks[k - 1].bare) != toks[k - 1].bare):
                # (a possessive ends the name: "President George Washington’s Cabinet")
                if capitals and k > j and not shapes.east_asian_name([_possessive(toks[x].bare) for x in range(j, k + 1)]):
                    break  # in capitals, one word unless the words spell one name
                if not _is_initial(toks[k]):
                    last_word = k
                k += 1
            if last_word < 0:
                break
            k = last_word + 1
            if not _geo_after(text, toks, last_word):
                found.append((i, k, "title"))
            if not plural or k >= len(toks):
                break
            sep = text[toks[k - 1].end : toks[k].start]
            if _LIST_SEPARATOR.fullmatch(sep):
                i = k
                continue
            break
    return found


def _field_runs(text: str, toks: list[_Tok], starts: dict[int, int], capitals: bool) -> list[tuple[int, int, str]]:
    """Names listed after a field label ('Present:', 'Japanese side:'), one an item."""
    found: list[tuple[int, int, str]] = []
    if ":" not in text and " by" not in text and "nter" not in text and "Ex" not in text and "Man" not in text:
        return found  # every field label ends in a colon or in "by", or is a stage direction (Enter, Re-enter, Exit, Exeunt, Manet)
    for m in _FIELD.finditer(text):
        for item_start, item_end in _field_items(text, m.end()):
            i = starts.get(item_start)
            if i is None:
                continue
            k = i
            while k < len(toks) and k - i < 4 and toks[k].end <= item_end and (_name_word(toks[k], capitals) or _is_initial(toks[k])) and (k == i or _joined(text, toks[k - 1], toks[k]) or text[toks[k - 1].end : toks[k].start] == ""):
                k += 1
            if k < len(toks) and toks[k].bare in _GROUPS and _joined(text, toks[k - 1], toks[k]):
                continue  # "Kettle Drums"
            if k > i and not all(_is_initial(toks[x]) for x in range(i, k)):
                found.append((i, k, "field"))
    return found


_FIELD_SEPARATOR = re.compile(r"[,;]|[\s\u00a0]+(?:and|&)(?=[\s\u00a0])")
_LEADING = re.compile(r"[\s\u00a0]*(?:(?:and|&)[\s\u00a0]+)?")


def _field_items(text: str, position: int) -> list[tuple[int, int]]:
    """Where the items of a field's list start and end: one a name, between commas and
    semicolons and either side of "and" ("Enter Horatio and Marcellus.", "Present: Zhou Enlai
    and Chen Yi"), leading spaces left out; the list read no further than 2,000 characters."""
    limit = min(len(text), position + 2000)
    items = []
    while position < limit:
        separator = _FIELD_SEPARATOR.search(text, position, limit)
        end = separator.start() if separator else limit
        start = _LEADING.match(text, position, end).end()  # type: ignore[union-attr]
        if start < end:
            items.append((start, end))
        position = separator.end() if separator else limit
    return items


_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|,?\s+and|,?\s+и)\s+")
_NUMBERING = re.compile(r"\d{1,2}\.")
_NOT_NAME_CHAR = re.compile(r"[^\w\s.’'\-\[\]]")


def _signature(text: str, toks: list[_Tok]) -> tuple[int, int] | None:
    """A text that is only a name ('SNEIDER', 'M. ZIMYANIN', 'Ferenc Szabó'): a signature."""
    first = 0
    if toks and (_NUMBERING.fullmatch(toks[0].text) or toks[0].text in ("By", "BY")):
        first = 1  # a numbered paragraph: "3. MARTIN"; a byline: "By Lewis Carroll"
    if first and not 1 <= len(toks) - first <= 4:
        return None
    if len(toks) > first and toks[first].bare.title() in _SECTION_WORDS:
        return None  # a heading: "CHAPTER XII. Alice's Evidence"
    found = _signature_tokens(text, toks[first:]) if len(toks) > first else None
    return (found[0] + first, found[1] + first) if found else None


def _signature_tokens(text: str, toks: list[_Tok]) -> tuple[int, int] | None:
    """The tokens, the last of `text`, are a name and nothing else (their offsets are in `text`)."""
    piece = text[toks[0].start :] if toks else ""
    if not 1 <= len(toks) <= 4 or len(piece.strip()) > 60:
        return None
    capitals = piece.upper() == piece
    if any(not (_name_word(tok, capitals) or _is_initial(tok)) for tok in toks) or all(_is_initial(tok) for tok in toks):
        return None
    if len(toks) == 1 and (not toks[0].text.isupper() or len(toks[0].text) < 4 or not any(c in "AEIOUY" for c in toks[0].text)):
        return None  # a signature in capitals alone is a word with vowels, not "NNNN"
    for a, b in zip(toks, toks[1:]):
        if not (_joined(text, a, b) or text[a.end : b.start] == ""):
            return None
    if _NOT_NAME_CHAR.search(piece):
        return None
    return 0, len(toks)


# -- organisations -----------------------------------------------------------------------------

_ORG_HEAD = (
    r"(?:Ministry|Ministries|Department|Committee|Commission|Council|Party|Agency|Embassy|Consulate(?:[\s\u00a0]+General)?|"
    r"Legation|Mission|Bureau|Office|Division|Section|Directorate|Administration|Secretariat|Presidium|Politburo|"
    r"Assembly|Senate|Parliament|Government|Command|Army|Forces|Front|Volunteers|Delegation|Institute|Academy|"
    r"University|Foundation|League|Federation|Association|Organi[sz]ations?|Service|Staff|Bank|Court|Cominform|Comintern|Congress)"
)
_ORG_LOWER_HEAD = r"(?:delegation|embassy|government|legation|consulate|mission|party|ministry)"
_CAP = r"(?:[A-ZÀ-ÖØ-ÞĀ-ŽČŠŽ][^\W\d_]*(?:[’'\-][^\W\d_]+)*[’']?|[IVX]+)"
_MOD = rf"(?:{_CAP}(?:[\s\u00a0]+and)?[\s\u00a0]+){{0,5}}"
_TAIL = rf"(?:[\s\u00a0]+(?:of|for|on)[\s\u00a0]+(?:the[\s\u00a0]+)?{_CAP}(?:[\s\u00a0]+(?:and[\s\u00a0]+)?{_CAP}){{0,6}})"
_IN_PLACE = rf"(?:[\s\u00a0]+in[\s\u00a0]+(?:the[\s\u00a0]+)?{_CAP}(?:[\s\u00a0]+{_CAP}|[\s\u00a0]+of[\s\u00a0]+(?:the[\s\u00a0]+)?{_CAP}){{0,5}})"
_ORG_PHRASE = re.compile(
    rf"(?<![\w’'-])(?P<org>{_MOD}{_ORG_HEAD}(?:[\s\u00a0]+(?:[IVX]+|[A-Z]{{2,}}|\d+))?{_TAIL}{{0,3}}(?P<in>{_IN_PLACE})?)(?![\w’'-])"
)
_ORG_ADJ_LOWER = re.compile(rf"(?<![\w’'-])(?P<org>(?:[A-Z][a-z]+[\s\u00a0]+){{1,2}}{_ORG_LOWER_HEAD})(?![\w’'-])")
_MISSIONS = ("Embassy", "Consulate", "Legation", "Mission", "Representation")
_ORG_STOP_WORDS = {"The", "A", "An", "This", "That", "Our", "Their", "His", "Her", "Its", "In", "On", "At", "To", "From", "With", "By", "For", "And", "Of", "As", "If", "When", "After", "Before", "Today", "Both", "Each", "All", "Some", "Telegram", "Cable", "Report", "Note", "Memorandum", "Information", "Minutes", "Letter", "Record", "Urgent", "Secret", "Confidential", "Comrade", "Comrades", "Mr", "Yesterday", "Tomorrow", "Subject", "Re", "Dear", "Head", "Members", "Member", "Chairman", "Minister", "Director", "Secretary", "Ambassador", "Deputy", "Vice", "Premier", "President", "General"}


# One flat alternation of words: the regex engine then leaps to the letters they begin with
# instead of trying every alternative at every character (three times faster).
_ANY_HEAD = re.compile(_ORG_HEAD[3:-1] + "|" + _ORG_LOWER_HEAD[3:-1])
_ORG_HEAD_WORD = re.compile(_ORG_HEAD)
_SPACES = re.compile(r"\s*")
_KIND_ALONE = re.compile(r"(?:Congress|Army|Front|Forces|Party|Government|Office|Service|Staff|Court|Bank|Division|Section|Mission|Department|Committee|Commission|Council|Bureau|Ministry|Assembly|Delegation|Embassy)")
_RANK_AFTER = re.compile(r"[\s\u00a0]+(?:General|Colonel|Lieutenant|Major|Captain|Commander|Marshal|Admiral|Sergeant)\b")
_ORDINAL_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?[\s\u00a0]+$")
_ORG_LOWER_HEAD_WORD = re.compile(_ORG_LOWER_HEAD)


# No body's name holds a character other than letters, digits, spaces, apostrophes and hyphens,
# and the patterns' edges accept any such character beside them: the phrases are searched only
# in the stretches between two of them that hold a head word, with the same matches as in the
# whole text at a fraction of the cost.
_ORG_BREAK = re.compile(r"[^\w\s’'\-]")


def _stretches_with_heads(text: str) -> list[tuple[int, int]]:
    stretches: list[tuple[int, int]] = []
    breaks: list[int] | None = None
    for head in _ANY_HEAD.finditer(text):
        if stretches and head.start() < stretches[-1][1]:
            continue
        if breaks is None:
            breaks = [m.start() for m in _ORG_BREAK.finditer(text)]
        i = bisect.bisect_left(breaks, head.start())
        stretches.append((breaks[i - 1] + 1 if i else 0, breaks[i] if i < len(breaks) else len(text)))
    return stretches


def _org_phrases(text: str, capitals: bool) -> list[tuple[int, int]]:
    """Bodies named the way documents name them: 'Division of Northeast Asian Affairs',
    'Embassy of the USSR in Washington', 'Hungarian Foreign Ministry', 'Soviet delegation'."""
    if capitals:
        return []
    stretches = _stretches_with_heads(text)
    found: list[tuple[int, int]] = []
    for pattern in (_ORG_PHRASE, _ORG_ADJ_LOWER):
        for m in (m for a, b in stretches for m in pattern.finditer(text, a, b)):
            start, end = m.span("org")
            words = text[start:end].split()
            # Drop leading words that begin a sentence or are titles, not part of the name.
            while words and not _ORG_HEAD_WORD.fullmatch(words[0]) and (words[0] in _ORG_STOP_WORDS or words[0].rstrip(".,") in COMMON_CAPITALISED and words[0] not in ("Soviet", "Chinese", "Korean", "American", "British", "French", "German", "Vietnamese", "Albanian", "Romanian", "Cuban", "Polish", "Hungarian", "Bulgarian", "Mongolian", "Czech", "Japanese", "Indian", "Yugoslav", "Czechoslovak", "Central", "Foreign", "Permanent", "Grand", "Supreme", "Joint", "Military", "Socialist", "Communist", "People's", "Democratic", "National", "International", "State", "Federal", "Revolutionary", "Workers'", "Labor", "Liberation", "Standing", "Provisional", "Asian", "European", "Far", "Middle", "Near", "Red", "Great", "Nationalist", "Western", "Eastern", "Northern", "Southern", "North", "South", "East", "West", "First", "Second", "Third", "Fourth", "Fifth", "Special", "Party", "Government")):
                start = text.index(words[0], start) + len(words[0])
                start = _SPACES.match(text, start).end()  # type: ignore[union-attr]
                words = words[1:]
            if not words:
                continue
            piece = text[start:end]
            if m.group("in") if "in" in m.re.groupindex else None:
                head_words = piece.split()
                if not any(w.startswith(_MISSIONS) or w == "Embassy" for w in head_words[: len(head_words) - len(m.group("in").split())]):
                    end = m.start("in")  # "the Foreign Ministry in Peking": the place is no part of the name
            piece = text[start:end]
            if _ORG_LOWER_HEAD_WORD.fullmatch(piece) or len(piece.split()) < 1:
                continue
            if _KIND_ALONE.fullmatch(piece):
                continue  # a body named by its kind alone, unless the register knows it
            if _RANK_AFTER.match(text, end):
                continue  # "Army General": a rank
            before = text[max(0, start - 12) : start]
            if _ORDINAL_BEFORE.search(before):
                continue  # "the 22nd Congress": an event
            found.append((start, end))
    return found


# -- the finder ----------------------------------------------------------------------------------

_PLACE_CUE = re.compile(r"(?<![\w])(?:in|at|near|over|outside|via|into)[\s\u00a0]+(?=[A-ZÀ-ÖØ-ÞĀ-Ž])")
_NOT_PLACE = {"God", "Heaven", "Hell", "Paradise", "Home", "English", "Russian", "Spanish", "Italian", "Latin", "Arabic", "Marxism", "Marxism-Leninism", "Socialism", "Communism", "Imperialism", "Revisionism", "Parliament", "Principle", "Fact", "General", "Particular", "Short", "Brief", "Conclusion", "Addition", "Reply", "Response", "Return", "View", "Order", "Case", "Spite", "Accordance", "Connection", "Honour", "Honor", "Memory", "Support", "Favour", "Favor", "Charge", "Touch", "Time", "Turn", "Front", "Part", "Line", "Place", "Person", "Writing", "Detail", "Practice", "Theory", "Principle", "Effect", "No", "Nos", "Art", "Vol", "Doc", "Fig", "Ref", "Item", "Point", "Paragraph", "Section", "Chapter", "Annex", "Appendix"}


# Place names that are also words or persons' names, which the register leaves out (the stoplist
# of tools/build_register.py): a word after "in" is not taken for one of them.
_WORD_PLACES = frozenset((
    'Aba', 'Austin', 'Bannu', 'Barcelona', 'Batam', 'Bath', 'Batman', 'Charlotte', 'Columbus',
    'Concord', 'Cordoba', 'Córdoba', 'Douglas', 'Ecatepec', 'Florence', 'Georgia', 'Guadalupe',
    'Hamilton', 'Hope', 'Houston', 'Independence', 'Indianapolis', 'Jackson', 'Jersey', 'Jos',
    'Kingston', 'Kota', 'Leon', 'León', 'Lincoln', 'Louisville', 'Male', 'Maracay', 'Mecca',
    'Medan', 'Medina', 'Memphis', 'Mobile', 'Monterrey', 'Nashville', 'Nice', 'Normal', 'Of',
    'Orange', 'Palmira', 'Pasadena', 'Pest', 'Phoenix', 'Providence', 'Reading', 'Reunion', 'Sale',
    'Salvador', 'Santiago', 'Split', 'Stanley', 'Sucre', 'Surat', 'Surprise', 'Teni', 'Trujillo',
    'Valencia', 'Victoria'
))
_SENTENCE_AFTER = re.compile(r"[\s\u00a0]+[A-Z\"“(]|[\s\u00a0]*$")  # a full stop, not an abbreviation's


def _ends_sentence(tok: _Tok) -> bool:
    """A full stop that is not an abbreviation's or an initial's: 'in England. Is it ...'."""
    return tok.text.endswith(".") and tok.text not in _NOT_INITIAL and not _is_initial(tok)


def _places_by_cue(text: str, toks: list[_Tok], starts: dict[int, int], capitals: bool) -> list[tuple[int, int]]:
    """An unknown name right after 'in', 'at', 'near', 'over' is a place ('signed at Panmunjom')."""
    found: list[tuple[int, int]] = []
    if capitals:
        return found  # "IN ACCORDANCE", "AT ONCE": in capitals every word looks like a name
    for m in _PLACE_CUE.finditer(text):
        i = starts.get(m.end())
        if i is None:
            continue
        k = i
        while k < len(toks) and k - i < 3 and _name_word(toks[k], capitals) and (k == i or (_joined(text, toks[k - 1], toks[k]) and not _ends_sentence(toks[k - 1]))) and _possessive(toks[k].bare) not in _NOT_PLACE and not (toks[k].text.endswith(".") and not _SENTENCE_AFTER.match(text, toks[k].end)):
            k += 1
        if k == i or (k < len(toks) and _joined(text, toks[k - 1], toks[k]) and (_is_initial(toks[k]) or toks[k].bare in ORG_WORDS or _possessive(toks[k].bare) in _NOT_PLACE)):
            continue  # "in Comrade ...", "at Hall Street", "in Adoring God": not a place name alone
        words = [_possessive(toks[x].bare) for x in range(i, k)]
        if len(words) == 1 and words[0] in _WORD_PLACES:
            continue
        if len(words) >= 2 and shapes.east_asian_name(words):
            continue  # "in Kim Chaek" could be either: leave it
        end = toks[k - 1].end
        end -= len(_TRAILER.search(text, toks[i].start, end).group())  # type: ignore[union-attr]
        found.append((toks[i].start, end))
    return found


# A person's name before one of these names a thing after them, not them ("the Molotov Plan",
# "the Brezhnev Doctrine", "Lenin Prize", "Ho Chi Minh Trail", "the Curzon Line"); a possessive
# ("Molotov's plan") is the person's still.
_EPONYMS = ("Plan", "Doctrine", "Prize", "Street", "Square", "Avenue", "Boulevard", "Prospekt", "Trail",
            "Line", "Station", "Hall", "Palace", "Hotel", "Airport", "Bridge", "Canal", "City", "Park",
            "Stadium", "Mausoleum", "Museum", "Memorial", "Library", "Institute", "Academy", "University",
            "School", "Works", "Hills", "Peak", "Medal", "Foundation", "Crisis", "Affair")
_EPONYM_WORDS = re.compile(r"\b(?:" + "|".join(_EPONYMS) + r")\b")
_EPONYM_AFTER = re.compile(r"[ \u00a0](?:" + "|".join(_EPONYMS) + r")(?![\w’'-])")


def find_names(text: str, register: Register, context: Context, *, in_list: bool = False, linked_only: bool = False) -> list[Mention]:
    """Persons, places and organisations in `text`, outermost first where they nest.

    `linked_only` skips the names found by shape and context, for callers that want only what
    the register identifies (and is cheaper)."""
    if text == text.lower():
        return []  # every name has a capital letter
    index = index_for(register)
    blanked = blank_brackets(text)
    if _NEWSPAPERS.search(blanked):
        blanked = _NEWSPAPERS.sub(lambda m: " " * len(m.group()), blanked)
    capitals = blanked.upper() == blanked and any(c.isalpha() for c in blanked)
    raw: list[tuple[int, int, str | None, str | None]] = []
    meanings = index.meanings(context)
    for word in index.candidates.finditer(blanked):
        forms = index.by_first.get(word.group().casefold())
        if not forms:
            continue
        for form in forms:
            end = form.end_at(blanked, word.start())
            if end is None or not _case_ok(blanked[word.start() : end], form.text):
                continue
            if form.title_before is not None and not form.title_before.search(blanked, max(0, word.start() - len(form.title) - 3), word.start()):
                continue
            meant = meanings.get(form)
            if meant is None:
                meant = meanings[form] = _resolve(register, form, context)
            tag, key = meant
            if tag is None:
                continue
            raw.append((word.start(), end, tag, key))
            break
    for m in (GENERIC_ORG.finditer(blanked) if _GENERIC_ORG_WORDS.search(blanked) else ()):
        raw.append((m.start(), m.end(), "orgName", None))
    orgs_known = {(s, e): k for s, e, t, k in raw if t == "orgName"}
    for start, end in ([] if linked_only else _org_phrases(blanked, capitals)):
        raw.append((start, end, "orgName", orgs_known.get((start, end))))
    raw = _merge_compound_orgs(raw, blanked)
    if raw and _EPONYM_WORDS.search(blanked):
        raw = [r for r in raw if r[2] != "persName" or not _EPONYM_AFTER.match(blanked, r[1])]

    toks = _tokens(blanked)
    if not raw and not in_list and not context.roles and not any(_name_word(tok, capitals) for tok in toks if tok.text[0].isupper()):
        # Every rule below needs a word that can be part of a name ("My lord, I came"): half the
        # lines of a play have none, and are answered here without setting the rules up.
        return []
    starts = {tok.start: i for i, tok in enumerate(toks)}
    _SOURCE[id(blanked)] = text
    try:
        persons = _persons(blanked, toks, starts, capitals, raw, index, in_list, linked_only)
    finally:
        del _SOURCE[id(blanked)]
    if not linked_only:
        taken = _Spans()
        for s, e, _t, _k in sorted(raw, key=lambda r: (r[0], -r[1])):
            if taken.free(s, e):
                taken.add(s, e)
        for s, e, _k, _w in persons:
            if taken.free(s, e):
                taken.add(s, e)
        for s, e in _places_by_cue(blanked, toks, starts, capitals):
            if taken.free(s, e):
                raw.append((s, e, "placeName", None))
    mentions = _nest(raw, persons)
    mentions.extend(_roles(blanked, mentions, context))
    if in_list:
        mentions = _list_item_names(blanked, mentions)
    if "[" in text or "]" in text:  # a supplied part's bracket, which belongs to the name
        widened = []
        for mention in mentions:
            start, end = _widen_for_brackets(text, mention.start, mention.end)
            widened.append(Mention(start, end, mention.tag, mention.ref, mention.type, mention.depth))
        mentions = widened
    return sorted(mentions, key=lambda m: (m.start, -m.end))


def _persons(text: str, toks: list[_Tok], starts: dict[int, int], capitals: bool, raw, index: NameIndex, in_list: bool, linked_only: bool = False) -> list[tuple[int, int, str | None, str]]:
    """(start, end, key, why) of persons: register names checked against the words around
    them, then names by title, shape, field, context and signature."""
    register_persons = [r for r in raw if r[2] == "persName"]
    result: list[tuple[int, int, str | None, str]] = []
    ends = {tok.end: i for i, tok in enumerate(toks)} if register_persons else {}
    for start, end, _tag, key in register_persons:
        first, last = starts.get(start), ends.get(end)
        if first is None or last is None or key is None:
            result.append((start, end, key, "register"))
            continue
        names = index.tokens.get(key, frozenset())
        new_first, new_last, blocked = first, last, False
        # Words before: initials and given names must be the entry's own ("Raúl Castro" is not Fidel).
        k = first - 1
        while k >= 0 and first - k <= 3 and (_SOURCE.get(id(text), text)[toks[k].end : toks[k + 1].start].strip() == ""):
            tok = toks[k]
            if _is_initial(tok):
                letters = [c.lower() for c in tok.text if c.isalpha() and c.isupper()]
                if not all(any(name.startswith(letter) for name in names) for letter in letters):
                    blocked = True
                new_first = k
            elif _name_word(tok, capitals) and not (tok.text[:1].isupper() and _sentence_start(text, tok) and tok.text in COMMON_CAPITALISED):
                if shapes.fold(_possessive(tok.bare)) not in names:
                    blocked = True
                new_first = k
            else:
                break
            k -= 1
        # A word after a surname that reads as a given name ("Pan Mingxing", "Qiao Xiaoguang").
        if last == first and last + 1 < len(toks) and _SOURCE.get(id(text), text)[toks[last].end : toks[last + 1].start] in (" ", "\u00a0"):
            after = toks[last + 1]
            word = _possessive(after.bare)
            if _name_word(after, capitals) and shapes.fold(word) not in names and (shapes.chinese_given(word) or shapes.korean_given(word)) and shapes.fold(toks[last].bare) in shapes.CHINESE_SURNAMES | shapes.KOREAN_SURNAMES:
                blocked = True
                new_last = last + 1
        result.append((toks[new_first].start, toks[new_last].end if new_last != last else end, None if blocked else key, "register"))
    if linked_only:
        return result
    taken = _Spans()
    for start, end, _key, _why in sorted(result, key=lambda r: r[0]):
        if taken.free(start, end):
            taken.add(start, end)
    found: list[tuple[int, int, str]] = []
    found += _titled_runs(text, toks, starts, capitals)
    found += _field_runs(text, toks, starts, capitals)
    found += _person_runs(text, toks, capitals)
    signature = _signature(text, toks)
    if signature:
        found.append((signature[0], signature[1], "signature"))
    org_spans = _Spans()
    for s, e, t, _k in sorted((r for r in raw if r[2] == "orgName"), key=lambda r: (r[0], -r[1])):
        if org_spans.free(s, e):
            org_spans.add(s, e)
    named_spans = {(s, e) for s, e, t, _k in raw if t in ("placeName", "orgName")}
    named = _Spans()
    for s, e in sorted(named_spans, key=lambda span: (span[0], -span[1])):
        if named.free(s, e):
            named.add(s, e)
    order = {"title": 0, "initials": 1, "field": 2, "shape": 3, "capitals": 4, "context": 5, "signature": 6}
    for first, last, why in sorted(found, key=lambda f: (order[f[2]], toks[f[0]].start)):
        start, end = toks[first].start, toks[last - 1].end
        end -= len(_TRAILER.search(text, start, end).group())  # type: ignore[union-attr]
        if toks[last - 1].text.endswith(".") and _is_initial(toks[last - 1]):
            continue
        if end <= start or not taken.free(start, end):
            continue
        if not org_spans.free(start, end) and why not in ("title", "initials"):
            continue  # part of a body's name
        # A run that is all one register place or body is that, not a person; on weak evidence
        # a run holding one is no person either ("Radio Peking reported").
        if (start, end) in named_spans and why not in ("title",):
            continue
        if why in ("context", "capitals", "field", "signature") and not named.free(start, end):
            continue
        taken.add(start, end)
        result.append((start, end, None, why))
    result = _coordinated(text, toks, starts, capitals, result, taken, org_spans, raw)
    person_starts = sorted(start for start, _e, key, _w in result if key is not None)
    glossed = []
    for start, end, key, why in result:
        extended = _gloss(text, end)
        i = bisect.bisect_right(person_starts, end)
        if extended > end and i < len(person_starts) and person_starts[i] < extended:
            extended = end  # "Filippov [Stalin]": the bracket names someone the register knows
        glossed.append((start, extended, key, why))
    return glossed


_GLOSS = re.compile(r"[\s\u00a0]*\[(?:[A-Z][\w’'.-]*[\s\u00a0]*){1,4}\]")


def _gloss(text: str, end: int) -> int:
    """'Ri Jong-ok [Li Jong Ok]': another spelling in brackets belongs to the name."""
    source = _SOURCE.get(id(text), text)
    m = _GLOSS.match(source, end)
    return m.end() if m and "[" in m.group() else end


_COORDINATION = re.compile(r"[\s\u00a0]*(?:,|;|,?[\s\u00a0]+and|,?[\s\u00a0]+or)[\s\u00a0]+$")


def _coordinated(text: str, toks: list[_Tok], starts: dict[int, int], capitals: bool, result, taken: _Spans, org_spans: _Spans, raw) -> list:
    """A name of two or three words listed with a person ('Raúl Castro, Osvaldo Dorticós and
    ...') is a person too."""
    if capitals or not result:
        return result
    person_ends = {end for _s, end, _k, _w in result}
    person_starts = {start for start, _e, _k, _w in result}
    places = {(s, e) for s, e, t, _k in raw if t in ("placeName", "orgName")}
    added = True
    rounds = 0
    while added and rounds < 4:
        added, rounds = False, rounds + 1
        i = 0
        while i < len(toks):
            if not _name_word(toks[i], capitals) or (toks[i].text in COMMON_CAPITALISED):
                i += 1
                continue
            k = i + 1
            while k < len(toks) and k - i < 3 and _joined(text, toks[k - 1], toks[k]) and not _ends_sentence(toks[k - 1]) and _name_word(toks[k], capitals):
                k += 1  # within one sentence: "Benjamin Franklin. Earlier, Franklin had written"
            start, end = toks[i].start, toks[k - 1].end
            end -= len(_TRAILER.search(text, start, end).group())  # type: ignore[union-attr]
            if k - i >= 2 and taken.free(start, end) and org_spans.free(start, end) and (start, end) not in places and not _geo_after(text, toks, k - 1):
                before = text[max(0, start - 8) : start]
                after = text[end : end + 8]
                left = any(e in person_ends and _COORDINATION.fullmatch(text[e:start]) for e in range(max(0, start - 7), start))
                right = any(s in person_starts and _COORDINATION.fullmatch(text[end:s]) for s in range(end + 1, end + 8))
                if (left or right) and before is not None and after is not None:
                    taken.add(start, end)
                    result.append((start, end, None, "list"))
                    person_ends.add(end)
                    person_starts.add(start)
                    added = True
            i = k
    return result


def _merge_compound_orgs(raw: list[tuple[int, int, str | None, str | None]], text: str) -> list[tuple[int, int, str | None, str | None]]:
    """'Central Committee International Liaison Department': a body inside its parent's name."""
    orgs = sorted((r for r in raw if r[2] == "orgName"), key=lambda r: (r[0], -r[1]))
    by_start: dict[int, list[tuple[int, int, str | None, str | None]]] = {}
    for org in orgs:
        by_start.setdefault(org[0], []).append(org)
    merged = list(raw)
    for first in orgs:
        for gap in (1, 2):
            for second in by_start.get(first[1] + gap, ()):
                if text[first[1] : second[0]].strip() == "":
                    merged.append((first[0], second[1], "orgName", second[3]))
    return merged


def _nest(raw: list[tuple[int, int, str | None, str | None]], persons: list[tuple[int, int, str | None, str]]) -> list[Mention]:
    """Persons first, then longest spans; a shorter span inside a kept organisation name
    nests in it; a place or body inside a person's name is no place or body."""
    kept: list[Mention] = []
    top = _Spans()
    tops: dict[tuple[int, int], Mention] = {}
    children: dict[tuple[int, int], list[Mention]] = {}
    for start, end, key, _why in sorted(persons, key=lambda p: (-(p[1] - p[0]), p[0])):
        if top.free(start, end):
            mention = Mention(start, end, "persName", key)
            top.add(start, end)
            tops[(start, end)] = mention
            kept.append(mention)
    ordered = sorted(set(raw), key=lambda r: (-(r[1] - r[0]), r[0], r[3] is None))
    for start, end, tag, key in ordered:
        assert tag is not None
        if tag == "persName":
            continue  # persons were settled above
        container = top.covering(start, end)
        if container is None:
            if top.free(start, end):
                mention = Mention(start, end, tag, key)
                top.add(start, end)
                tops[(start, end)] = mention
                kept.append(mention)
            continue
        outer = tops[container]
        if container == (start, end) or outer.tag != "orgName" or key is None or outer.ref == key:
            continue
        siblings = children.setdefault(container, [])
        if any(not (end <= s.start or start >= s.end) for s in siblings):
            continue
        mention = Mention(start, end, tag, key, depth=outer.depth + 1)
        siblings.append(mention)
        kept.append(mention)
    return kept


@lru_cache(maxsize=64)
def _role_pattern(title: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])[Tt]he[\s\u00a0]+{re.escape(title)}(?![\w])(?![\s\u00a0]+of\b)")


def _roles(text: str, mentions: list[Mention], context: Context) -> list[Mention]:
    found: list[Mention] = []
    if not context.roles:
        return found
    taken = _Spans()
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.depth == 0 and taken.free(mention.start, mention.end):
            taken.add(mention.start, mention.end)
    for title, key in context.roles:
        if title not in text:
            continue
        for m in _role_pattern(title).finditer(text):
            if taken.free(m.start(), m.end()):
                taken.add(m.start(), m.end())
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
    if any(w.strip("[],.").upper() in _HEADINGS for w in words):
        return mentions
    if len(words) == 1 and re.fullmatch(r"\[?[A-Z][\w’'-]*\]?", bare) and bare.strip("[]") not in COMMON_CAPITALISED | ORG_WORDS and bare.strip("[]").casefold() not in _TITLE_SET:
        if covered and any(m.tag != "persName" for m in top):
            return mentions
        return [Mention(lead, lead + len(bare), "persName")]
    if covered or not words:
        return mentions
    if any(w.strip("[],") in ORG_WORDS for w in words) and words[0][0].isupper() and not top:
        return mentions + [Mention(lead, lead + len(bare), "orgName")]
    if 2 <= len(words) <= 4 and all(re.fullmatch(r"\[?[A-Z][\w’'.-]*\]?", w) for w in words) and not top:
        if not any(w.strip("[]") in COMMON_CAPITALISED or w.strip("[]").rstrip(".").casefold() in _TITLE_SET for w in words):
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
        for mention in find_names(text, register, Context(context.date, context.country), linked_only=True):
            if mention.tag != "persName" or mention.ref is None:
                continue
            before = blanked[: mention.start].rstrip()
            for title in _ROLE_TITLES:
                if before.endswith(title) and not before[: -len(title)].rstrip().endswith(("the", "The", "Soviet", "Chinese")):
                    seen.setdefault(title, set()).add(mention.ref)
    return tuple(sorted((title, next(iter(keys))) for title, keys in seen.items() if len(keys) == 1))
