"""One TEI file annotated: names and dates tagged into its bytes and linked, the output checked."""

# The file's bytes are kept; tags, missing `@ref` attributes and register entries are inserted
# into them (see `patch`). The output is checked before it is handed back: well-formed, the same
# text, and valid against the file's grammar when the input was; otherwise the input is returned
# untouched with a problem.

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..annotate.mentions import Mention, agree_across, find_mentions
from ..annotate.names import _ROLE_TITLES, Context, find_roles
from ..annotate.register import LIST_OF, Register
from ..annotate.spans import Spans
from ..annotate.workers import find_all
from ..problems import Problem, Severity
from ..xmlio import NSMAP, TEI_NS, UnsafeXML, parse_bytes
from .patch import CHILD, RUN, Element, Insertion, Scan, ScanError, apply, escape_attribute, quote_of, scan

#: TEI elements whose content model takes persName, placeName, orgName, rs and date as children
#: (macro.paraContent, macro.phraseSeq, macro.specialPara and kin in TEI P5 4.12); a new tag is
#: only ever put directly inside one of these.
TAGGABLE = frozenset({
    "ab", "add", "byline", "caption", "cell", "cl", "closer", "dateline", "emph", "figDesc", "head",
    "hi", "item", "l", "label", "opener", "p", "phr", "q", "quote", "s", "said", "salute", "seg",
    "signed", "speaker", "stage", "supplied", "trailer", "u", "unclear",
})
#: Another editor's apparatus, forms of the text and exact tokens: nothing inside them changes.
FROZEN = frozenset({
    "note", "foreign", "choice", "orig", "reg", "abbr", "expan", "sic", "corr", "num", "measure",
    "measureGrp", "title", "idno", "code", "egXML", "eg", "ref", "ptr", "term", "gloss", "mentioned",
    "email", "address", "formula", "app", "lem", "rdg", "bibl", "biblStruct", "listBibl", "del",
    "surplus", "standOff", "facsimile", "sourceDoc", "fw", "metamark", "listPerson", "listPlace",
    "listOrg", "particDesc", "settingDesc", "correspDesc",
    "w", "pc", "c", "m", "syll",  # tokens: a tag inside a word would split it
})
#: Names and dates already tagged: no new tag inside, though a name nested in them may gain a link.
NAMED = frozenset({
    "persName", "placeName", "orgName", "name", "rs", "geogName", "settlement", "country", "region",
    "bloc", "district", "forename", "surname", "roleName", "addName", "genName", "nameLink",
    "date", "time", "origDate", "docDate", "objectName", "eventName", "origPlace", "pubPlace",
})
KIND_OF_NAME = {"persName": "person", "placeName": "place", "orgName": "org"}
#: Attributes by which a name already points somewhere: such a name is left as it is.
POINTERS = ("ref", "key", "sameAs", "corresp")
ENGLISH = frozenset({"en", "eng"})

_DOCUMENT_DATES = [
    etree.XPath("//tei:correspAction[@type='sent']/tei:date/@when", namespaces=NSMAP),
    etree.XPath("//tei:profileDesc/tei:creation/tei:date/@when", namespaces=NSMAP),
]
# The phrases a role stands in ("the Premier"), as names.find_roles knows the titles.
_ROLE_USE = re.compile(r"\b[Tt]he[\s\u00a0]+(?:" + "|".join(re.escape(title) for title in _ROLE_TITLES) + r")\b")
_TEXTS = etree.XPath("//tei:text | //tei:teiHeader", namespaces=NSMAP)

#: Problem codes of the annotate command.
CODES = {
    "ANN001": "the file cannot be read or is refused by the hardened parser; left untouched",
    "ANN002": "the annotated file would not be valid against a grammar the input was valid against; left untouched",
    "ANN003": "the file's encoding cannot be annotated byte for byte; left untouched",
    "ANN004": "the grammar named by the file's xml-model could not be used; only well-formedness checked",
    "ANN005": "the annotated file failed its own check (well-formedness or text); left untouched",
    "ANN006": "annotating the file failed (a defect of tei-tools, with its message); left untouched",
}


@dataclass(frozen=True)
class Options:
    """What an annotation run does; the same options and input always give the same bytes."""

    header: bool = False  # also the teiHeader's prose
    languages: frozenset[str] | None = ENGLISH  # xml:lang values (primary subtag) annotated; None: all
    tag: bool = True  # tag new names and dates; False: only add links names lack (relink)
    register_href: str | None = None  # pointers go to this shared register file, not to a standOff
    schema: Path | None = None  # the grammar to keep valid (default: the file's xml-model, if local)
    jobs: int = 1  # processes that may read a large file's text (see annotate.workers); never changes the bytes


@dataclass
class Annotated:
    """What annotating one file gave: the bytes to write and what changed."""

    path: str
    original: bytes
    data: bytes
    problems: list[Problem] = field(default_factory=list)
    tagged: Counter[str] = field(default_factory=Counter)
    linked: int = 0
    entries: list[str] = field(default_factory=list)  # register keys added to the file's standOff
    updated: list[str] = field(default_factory=list)  # existing entries given the register's newer ids (relink)
    pointed: list[str] = field(default_factory=list)  # every register key the new links point to
    grammar: str | None = None
    insertions: list[Insertion] = field(default_factory=list)  # what made `data` from `original`

    @property
    def changed(self) -> bool:
        return self.data != self.original

    def summary(self) -> str:
        parts = [f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in sorted(self.tagged.items())]
        if self.linked:
            parts.append(f"{self.linked} link{'s' if self.linked != 1 else ''} added to existing names")
        if self.entries:
            parts.append(f"{len(self.entries)} register entr{'ies' if len(self.entries) != 1 else 'y'}")
        if self.updated:
            parts.append(f"{len(self.updated)} entr{'ies' if len(self.updated) != 1 else 'y'} given newer authority ids")
        return ", ".join(parts) or "nothing to add"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _problem(path: str, code: str, message: str, line: int = 0, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(path, line, 0, code, severity, message)


def grammar_problems(data: bytes, schema_path: str | os.PathLike[str], path: str = "", tree: etree._ElementTree | None = None) -> list[Problem]:
    """Errors of `data` (parsed already as `tree`, if given) against an XSD or RELAX NG grammar
    (XSD compiled once; RELAX NG cut to the document's elements and cached by the grammar layer,
    so TEI All costs milliseconds)."""
    from ..validate.grammar import load_schema

    if tree is None:
        try:
            tree = parse_bytes(data)
        except (etree.XMLSyntaxError, UnsafeXML) as exc:
            return [_problem(path, "ANN005", f"not well-formed: {exc}")]
    schema = load_schema(str(schema_path))
    problems = [_problem(path, error.code, error.message, error.line) for error in schema.errors(tree)]
    # libxml2's XSD check can fail with an empty log; the RELAX NG layer reports that case itself (RNG007).
    if not problems and schema.kind == "xsd" and not schema.validator.validate(tree):
        problems.append(_problem(path, "SCH000", "not valid against the grammar"))
    return problems


def _named_grammars(tree: etree._ElementTree, path: str) -> tuple[list[Path], list[Problem]]:
    """The grammars the file names in its xml-model instructions, found as the validator finds
    them (beside the file, TEI_TOOLS_SCHEMAS; nothing is fetched); our own editions name the
    bundled grammar; a file naming none gets TEI All where TEI_TOOLS_SCHEMAS holds it."""
    from ..validate.xmlmodel import Catalog, grammars_for, is_ours, read_models, tei_all_from_schemas

    models = read_models(tree)
    if not models:
        tei_all = tei_all_from_schemas(tree)  # TEI All where the schema folder holds it
        return ([tei_all] if tei_all is not None else []), []
    if is_ours(tree, models):
        from ..validate.grammar import bundled_schema_path  # the grammar layer loads only when needed

        return [bundled_schema_path("rng")], []
    resolved = grammars_for(tree, path or "-", Catalog(()))
    if resolved is None:
        return [], []
    warnings = [_problem(path, "ANN004", f"{why}; the file is annotated without that grammar's check", severity=Severity.WARNING) for _model, why in resolved.missing]
    return [grammar for _model, grammar in resolved.grammars], warnings


def _language_ok(lang: str | None, languages: frozenset[str] | None) -> bool:
    # xml:lang="" says the language is not known: read as untagged text.
    return languages is None or not lang or lang.split("-")[0].casefold() in languages


class _Placed:
    """The mentions of one text given tags so far, to decide whether another may have one: it
    may not cross or share a tagged stretch, except a name the finder nests in an organisation's
    name, which stands inside it (and inside any other organisation's name nested there).

    In log time per mention: a paragraph of thousands of names is no slower per name."""

    def __init__(self) -> None:
        self.outer = Spans()  # the stretches of the outermost tagged mentions
        self.at: dict[tuple[int, int], Mention] = {}  # outermost mention by its stretch
        self.inner: dict[tuple[int, int], list[Mention]] = {}  # mentions nested in each

    def take(self, mention: Mention) -> bool:
        """Whether the mention may have a tag; if so, it is counted as tagged."""
        start, end = mention.start, mention.end
        if self.outer.free(start, end):
            self.outer.add(start, end)
            self.at[(start, end)] = mention
            return True
        if mention.depth == 0:
            return False
        stretch = self.outer.covering(start, end)
        if stretch is None:
            return False  # across a tagged stretch
        nested = self.inner.setdefault(stretch, [])
        for other in [self.at[stretch], *nested]:
            if end <= other.start or other.end <= start:
                continue
            holds = other.start <= start and end <= other.end and (other.start, other.end) != (start, end)
            if not (holds and other.kind == "org" and not other.role):
                return False
        nested.append(mention)
        return True


class _Planner:
    """Decides, for one scanned file, which tags, attributes and entries go where."""

    def __init__(self, scanned: Scan, register: Register, options: Options, context: Context) -> None:
        self.scan = scanned
        self.register = register
        self.options = options
        self.context = context
        self.insertions: list[Insertion] = []
        self.tagged: Counter[str] = Counter()
        self.linked = 0
        self.used: dict[int, list[str]] = {}  # TEI element -> keys pointed to from inside it
        self._flat_cache: dict[int, tuple[str, dict[int, int], dict[int, int]]] = {}
        self._names_cache: dict[int, list[Mention]] = {}
        self.taggable, self.linkable, self.tei_of = self._classify()

    def _classify(self) -> tuple[list[bool], list[bool], list[int | None]]:
        """Per element: may new tags go inside; may it, a name, gain a link; its TEI element."""
        elements = self.scan.elements
        count = len(elements)
        in_scope, frozen, named = [False] * count, [False] * count, [False] * count
        taggable: list[bool] = [False] * count
        linkable: list[bool] = [False] * count
        tei_of: list[int | None] = [None] * count
        for index, element in enumerate(elements):
            parent = element.parent
            tei = element.is_tei
            local = element.local
            if parent is None:
                scope, freeze, name, owner = False, not tei, False, None
            else:
                scope, freeze, name, owner = in_scope[parent], frozen[parent], named[parent], tei_of[parent]
            if tei and local == "TEI":
                owner = index
            if tei and (local == "text" or (local == "teiHeader" and self.options.header)):
                scope = True
            language = _language_ok(element.lang, self.options.languages)
            linkable[index] = scope and not freeze and language and tei and local in KIND_OF_NAME
            freeze = freeze or not tei or local in FROZEN or (local == "teiHeader" and not self.options.header)
            name = name or local in NAMED
            taggable[index] = scope and not freeze and not name and local in TAGGABLE and language
            in_scope[index], frozen[index], named[index], tei_of[index] = scope, freeze, name, owner
        return taggable, linkable, tei_of

    # -- keys --------------------------------------------------------------------------
    def usable(self, key: str | None, kind: str) -> bool:
        """A key may be pointed to unless the file uses it as the xml:id of something else."""
        if key is None or key not in self.register:
            return False
        if self.options.register_href is not None:
            return True
        holder = self.scan.ids.get(key)
        return holder is None or self.scan.elements[holder].local == kind

    def pointer(self, key: str) -> str:
        href = self.options.register_href
        return f"{href}#{key}" if href is not None else f"#{key}"

    def _use(self, element_index: int, key: str) -> None:
        owner = self.tei_of[element_index]
        if owner is not None:
            self.used.setdefault(owner, []).append(key)

    # -- new tags ----------------------------------------------------------------------
    def flat_text(self, index: int) -> tuple[str, dict[int, int]]:
        """The text an element's own runs are read in, and where each of its runs starts in it.

        Names and dates already tagged are read through (tagging does not change what the
        finders see, so a second run finds what the first did); any other element, comment or
        instruction stands as one space: no mention spans it, nor does its text run on."""
        text, runs, _ = self._flat(index)
        return text, runs

    def _flat(self, index: int) -> tuple[str, dict[int, int], dict[int, int]]:
        cached = self._flat_cache.get(index)
        if cached is not None:
            return cached
        parts: list[str] = []
        starts: dict[int, int] = {}
        children: dict[int, int] = {}
        position = 0
        elements, runs = self.scan.elements, self.scan.runs
        for kind, ref in elements[index].content:
            if kind == RUN:
                piece = runs[ref].text
                starts[ref] = position
            elif kind == CHILD and elements[ref].is_tei and elements[ref].local in NAMED:
                piece = self._all_text(ref)
                children[ref] = position
            else:
                piece = " "
            parts.append(piece)
            position += len(piece)
        found = ("".join(parts), starts, children)
        self._flat_cache[index] = found
        return found

    def _all_text(self, index: int) -> str:
        elements, runs = self.scan.elements, self.scan.runs
        return "".join(runs[ref].text if kind == RUN else self._all_text(ref) if kind == CHILD else "" for kind, ref in elements[index].content)

    def taggable_texts(self) -> list[tuple[int, str, dict[int, int]]]:
        found = []
        for index, element in enumerate(self.scan.elements):
            if self.taggable[index] and any(kind == RUN for kind, _ in element.content):
                text, starts = self.flat_text(index)
                if text.strip():
                    found.append((index, text, starts))
        return found

    def tag_runs(self, texts: list[tuple[int, str, dict[int, int]]]) -> None:
        encoding = self.scan.encoding
        runs = self.scan.runs
        # The finders are pure, and a file repeats its short texts (speakers, signatures,
        # places of writing): each text is read once per file.
        distinct = list(dict.fromkeys(text for _, text, _ in texts))
        found_in = dict(zip(distinct, agree_across(distinct, find_all(distinct, self.register, self.context, jobs=self.options.jobs))))
        for index, text, starts in texts:
            parent = self.scan.elements[index]
            bounds = sorted((start, start + len(runs[ref].text), ref) for ref, start in starts.items())
            kept: list[tuple[Mention, int, int]] = []
            placed = _Placed()
            found = found_in[text]
            if parent.local != "item":  # the names an existing name is identified among (see _identify)
                self._names_cache[index] = [mention for mention in found if mention.kind != "date"]
            for mention in found:
                position = bisect.bisect_right(bounds, (mention.start, float("inf"), 0)) - 1
                if position < 0:
                    continue
                run_start, run_end, ref = bounds[position]
                if mention.end > run_end:
                    continue  # across an element, a comment or an instruction
                run = runs[ref]
                start, end = run.byte_offset(mention.start - run_start, encoding), run.byte_offset(mention.end - run_start, encoding)
                if start is None or end is None or start >= end:
                    continue  # a boundary inside a reference or a CDATA section
                if not placed.take(mention):
                    continue
                kept.append((mention, start, end))
            for mention, start, end in kept:
                self._insert_tag(parent, index, mention, start, end)

    def _insert_tag(self, parent: Element, parent_index: int, mention: Mention, start: int, end: int) -> None:
        name = parent.qualified(mention.element)
        attributes: list[tuple[str, str]] = []
        if mention.kind == "date":
            attributes.extend(mention.date_attributes)
        else:
            if mention.role:
                attributes.append(("type", mention.kind))
            if self.usable(mention.key, mention.kind):
                assert mention.key is not None
                attributes.append(("ref", self.pointer(mention.key)))
                self._use(parent_index, mention.key)
        opening = "<" + name + "".join(f' {key}="{escape_attribute(value, chr(34))}"' for key, value in attributes) + ">"
        # At one offset: end tags before start tags; the inner end first, the outer start first.
        self.insertions.append(Insertion(start, (1, -(mention.end - mention.start)), self.scan.encode(opening)))
        self.insertions.append(Insertion(end, (0, mention.end - mention.start), self.scan.encode(f"</{name}>")))
        self.tagged["date" if mention.kind == "date" else mention.kind] += 1

    # -- links for names that lack them ------------------------------------------------
    def link_names(self) -> None:
        for index, element in enumerate(self.scan.elements):
            if not self.linkable[index] or element.empty or any(a in element.attributes for a in POINTERS):
                continue
            kind = KIND_OF_NAME[element.local]
            key = self._identify(index, kind)
            if key is None or not self.usable(key, kind):
                continue
            quote = quote_of(self.scan.data, element)
            attribute = f" ref={quote}{escape_attribute(self.pointer(key), quote)}{quote}"
            close = element.tag_end - 1  # the '>' of the start tag
            self.insertions.append(Insertion(close, (2,), self.scan.encode(attribute)))
            self.linked += 1
            self._use(index, key)

    def _identify(self, index: int, kind: str) -> str | None:
        """The key of the one register entry a name's text identifies where it stands: the finder
        reads the whole of its parent's text, as when tagging, and must find exactly this name."""
        parent = self.scan.elements[index].parent
        if parent is None:
            return None
        text, _, children = self._flat(parent)
        if index not in children:
            return None
        own = "".join(self.scan.elements[index].text)
        stripped = own.strip()
        if not stripped:
            return None
        start = children[index] + len(own) - len(own.lstrip())
        end = start + len(stripped)
        mentions = self._names_cache.get(parent)
        if mentions is None:
            # In a list a lone surname is never linked (as in the converter's lists).
            in_list = self.scan.elements[parent].local == "item"
            mentions = self._names_cache[parent] = find_mentions(text, self.register, self.context, dates=False, in_list=in_list)
        for mention in mentions:
            if mention.start == start and mention.end == end:
                return mention.key if mention.kind == kind and not mention.role else None
        return None

    # -- register entries --------------------------------------------------------------
    def entries(self) -> list[str]:
        """Insert into each TEI element the register entries it now points to and lacks."""
        if self.options.register_href is not None:
            return []
        added: list[str] = []
        for owner, keys in sorted(self.used.items()):
            # An xml:id is unique in the whole file: in a teiCorpus the first TEI to point to an
            # entry holds it, and the others point to that one.
            missing = [key for key in self._with_countries([key for key in dict.fromkeys(keys) if key not in self.scan.ids]) if key not in added]
            if missing:
                self._insert_entries(owner, missing)
                added.extend(missing)
        return added

    def refresh_entries(self) -> list[str]:
        """Relink: an entry the file already holds gains the authority ids (idno) the register
        now has and it lacks; nothing it holds is changed or removed, so an editor's own edits
        of the entry stay. Only for files the tool wrote, whose entries came from the register."""
        elements = self.scan.elements
        updated: list[str] = []
        for key, index in sorted(self.scan.ids.items()):
            entry = self.register[key] if key in self.register else None
            element = elements[index]
            if entry is None or not element.is_tei or element.local != entry.kind or element.empty:
                continue
            have = {elements[child].attributes.get("type") for kind, child in element.content
                    if kind == CHILD and elements[child].is_tei and elements[child].local == "idno"}
            missing = [(id_type, value) for id_type, value in sorted(entry.ids.items()) if id_type not in have]
            if not missing:
                continue
            name = element.qualified("idno")
            fragments = [f'<{name} type="{escape_attribute(id_type, chr(34))}">{_escape_text(value)}</{name}>' for id_type, value in missing]
            owner = next((i for i in self._ancestors(index) if elements[i].local == "TEI"), index)
            self._insert_block(element.end_tag, fragments, self._indent_unit(owner), self._depth(index) + 1, (3, 0))
            updated.append(key)
        return updated

    def _ancestors(self, index: int) -> list[int]:
        found, parent = [], self.scan.elements[index].parent
        while parent is not None:
            found.append(parent)
            parent = self.scan.elements[parent].parent
        return found

    def _with_countries(self, keys: list[str]) -> list[str]:
        """Entries point on to their country: take those along, so every pointer resolves."""
        keys = list(keys)
        index = 0
        while index < len(keys):
            country = self.register[keys[index]].country
            if country and country in self.register and country not in keys and country not in self.scan.ids:
                keys.append(country)
            index += 1
        return keys

    def _insert_entries(self, owner: int, keys: list[str]) -> None:
        elements = self.scan.elements
        tei_element = elements[owner]
        prefix = tei_element.prefix
        unit, depth = self._indent_unit(owner), self._depth(owner)
        stand_off = self._child(owner, "standOff")
        by_kind: dict[str, list[str]] = {}
        for key in sorted(keys):
            by_kind.setdefault(self.register[key].kind, []).append(key)
        new_lists: list[etree._Element] = []
        for rank, kind in enumerate(("person", "place", "org", "event")):
            if kind not in by_kind:
                continue
            existing = self._child(stand_off, LIST_OF[kind]) if stand_off is not None else None
            if existing is not None:  # entries go at the end of the file's own list
                fragments = [self._fragment(self.register.element_for(key), prefix, unit, depth + 3) for key in by_kind[kind]]
                self._insert_block(elements[existing].end_tag, fragments, unit, depth + 3, (3, rank))
                continue
            container = etree.Element(_tei_name(LIST_OF[kind]), nsmap={prefix: TEI_NS})
            for key in by_kind[kind]:
                _copy_into(container, self.register.element_for(key))
            if stand_off is not None:
                self._insert_block(elements[stand_off].end_tag, [self._fragment(container, prefix, unit, depth + 2)], unit, depth + 2, (3, rank))
            else:
                new_lists.append(container)
        if new_lists:  # a standOff of its own after the TEI element's resources, before any TEI inside it
            wrapper = etree.Element(_tei_name("standOff"), nsmap={prefix: TEI_NS})
            wrapper.extend(new_lists)
            fragment = self._fragment(wrapper, prefix, unit, depth + 1)
            inner = self._child(owner, "TEI", first=True)
            if inner is None:
                self._insert_block(tei_element.end_tag, [fragment], unit, depth + 1, (3, 9))
            else:
                text = fragment + "\n" + unit * (depth + 1) if unit is not None else fragment
                self.insertions.append(Insertion(elements[inner].start, (3, 9), self._encode_block(text)))

    def _child(self, parent: int, local: str, *, first: bool = False) -> int | None:
        """The last (or first) TEI child of `parent` with this name that can take content (not `<x/>`)."""
        found = None
        for kind, index in self.scan.elements[parent].content:
            element = self.scan.elements[index] if kind == CHILD else None
            if element is not None and element.is_tei and element.local == local and not element.empty:
                found = index
                if first:
                    break
        return found

    def _insert_block(self, offset: int, fragments: list[str], unit: str | None, level: int, order: tuple[int, int]) -> None:
        if unit is not None:
            text = "".join(unit + fragment + "\n" + unit * (level - 1) for fragment in fragments)
        else:
            text = "".join(fragments)
        self.insertions.append(Insertion(offset, order, self._encode_block(text)))

    def _encode_block(self, text: str) -> bytes:
        """Lines of an added block end as the file's lines do (its first line end says how)."""
        data = self.scan.data
        first = data.find(b"\n")
        if first > 0 and data[first - 1 : first] == b"\r":
            text = text.replace("\n", "\r\n")
        return self.scan.encode(text)

    def _fragment(self, element: etree._Element, prefix: str | None, unit: str | None, level: int) -> str:
        if element.nsmap.get(prefix) != TEI_NS or element.prefix != prefix:
            rebuilt = etree.Element(_tei_name(etree.QName(element).localname), nsmap={prefix: TEI_NS})
            rebuilt.text = element.text
            for name, value in element.attrib.items():
                rebuilt.set(name, value)
            for child in element:
                _copy_into(rebuilt, child)
            element = rebuilt
        element.tail = None
        if unit is not None:
            etree.indent(element, space=unit, level=level)
        else:  # a file without line breaks between its elements gets none in what is added
            for node in element.iter():
                if node.text is not None and not node.text.strip():
                    node.text = None
                if node is not element and node.tail is not None and not node.tail.strip():
                    node.tail = None
        text = etree.tostring(element, encoding="unicode")
        declaration = f' xmlns:{prefix}="{TEI_NS}"' if prefix else f' xmlns="{TEI_NS}"'
        return text.replace(declaration, "", 1)

    def _indent_unit(self, owner: int) -> str | None:
        """The file's own indentation step, read from the white space before the TEI element's
        first child; None when the file puts no line break there (nothing added gets one)."""
        elements = self.scan.elements
        tei_element = elements[owner]
        child = next((i for i in range(owner + 1, len(elements)) if elements[i].parent == owner), None)
        if child is None:
            return None
        between = self.scan.data[tei_element.tag_end : elements[child].start]
        try:
            white = between.decode(self.scan.encoding)
        except UnicodeDecodeError:
            return None
        if "\n" not in white or white.strip():
            return None
        indent = white.rsplit("\n", 1)[1]
        depth = self._depth(owner) + 1
        return indent[: len(indent) // depth] if len(indent) % depth == 0 else indent

    def _depth(self, index: int) -> int:
        return len(self._ancestors(index))


def _tei_name(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


def _copy_into(parent: etree._Element, element: etree._Element) -> None:
    """A copy of a register element under `parent`, taking the parent's namespace prefix."""
    if not isinstance(element.tag, str):
        return
    child = etree.SubElement(parent, f"{{{TEI_NS}}}{etree.QName(element).localname}" if etree.QName(element).namespace == TEI_NS else element.tag)
    for name, value in element.attrib.items():
        child.set(name, value)
    child.text, child.tail = element.text, element.tail
    for grandchild in element:
        _copy_into(child, grandchild)


def _document_context(tree: etree._ElementTree, texts: list[str], register: Register) -> Context:
    """The document's date (completing partial dates) and the roles it ties to one person."""
    date = None
    for path in _DOCUMENT_DATES:
        found = path(tree)
        if found:
            date = str(found[0])
            break
    base = Context(date, None)
    # Roles only ever tag "the Premier" and kin: a file that never says so needs no search for them.
    if not any(_ROLE_USE.search(text) for text in texts):
        return base
    return Context(date, None, find_roles(texts, register, base))


def _text_of(tree: etree._ElementTree) -> list[str]:
    return ["".join(element.itertext()) for element in _TEXTS(tree)]


def annotate_bytes(data: bytes, path: str, register: Register, options: Options | None = None) -> Annotated:
    """Names and dates of one TEI file tagged and linked; the input untouched with a problem where that is not safe."""
    options = options or Options()
    result = Annotated(path, data, data)
    try:
        tree = parse_bytes(data)
    except UnsafeXML as exc:
        result.problems.append(_problem(path, "ANN001", f"{exc} ({exc.code})", exc.line))
        return result
    except etree.XMLSyntaxError as exc:
        result.problems.append(_problem(path, "ANN001", f"not well-formed: {exc.msg}", exc.lineno or 0))
        return result
    try:
        scanned = scan(data, TAGGABLE | NAMED)
    except ScanError as exc:
        result.problems.append(_problem(path, "ANN003", str(exc)))
        return result
    planner = _Planner(scanned, register, options, Context())
    texts = planner.taggable_texts() if options.tag else []
    planner.context = _document_context(tree, [text for _, text, _ in texts], register)
    if options.tag:
        planner.tag_runs(texts)
    planner.link_names()
    entries = planner.entries()
    updated = planner.refresh_entries() if not options.tag else []  # relink: the file's entries came from the register
    if not planner.insertions:
        return result
    output = apply(data, planner.insertions)
    # The output's own check: well-formed, the same text in text and header.
    try:
        after = parse_bytes(output)
    except (etree.XMLSyntaxError, UnsafeXML) as exc:
        result.problems.append(_problem(path, "ANN005", f"annotation would break the file ({exc}); left untouched"))
        return result
    if _text_of(after) != _text_of(tree):
        result.problems.append(_problem(path, "ANN005", "annotation would change the text; left untouched"))
        return result
    grammars, warnings = ([options.schema], []) if options.schema is not None else _named_grammars(tree, path)
    result.problems.extend(warnings)
    for grammar in grammars:
        result.grammar = str(grammar)
        # The output first: when it is valid, whatever the input was, there is nothing to ask of
        # the input (one validation instead of two for a large file).
        try:
            after_errors = grammar_problems(output, grammar, path, after)
        except Exception as exc:  # a grammar libxml2 cannot compile: say so, check well-formedness only
            result.problems.append(_problem(path, "ANN004", f"grammar {grammar} could not be used: {exc}", severity=Severity.WARNING))
            result.grammar = None
            continue
        if after_errors and not grammar_problems(data, grammar, path, tree):
            first = after_errors[0]
            result.problems.append(_problem(path, "ANN002", f"not valid against {grammar} after annotation (line {first.line}: {first.message}); left untouched", first.line))
            return result
    result.data = output
    result.insertions = planner.insertions
    result.tagged = planner.tagged
    result.linked = planner.linked
    result.entries = entries
    result.updated = updated
    result.pointed = sorted({key for keys in planner.used.values() for key in keys})
    return result
