"""Validation: file -> hardened parse -> grammar -> Schematron -> rules -> problems, over many files."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from ..problems import Problem, Severity
from .rules import Document, Rule, select_rules
from .rules.profiles import rules_for
from .files import LinkNotFollowed, iter_files
from .grammar import Schema, SchemaError, bundled_schema_path, explanations, load_schema
from .jing import BATCH, check_copies, safe_copy
from .. import xmlio
from .relaxng.messages import CODES as RNG_CODES
from .xmlmodel import Catalog, grammars_for, tei_all_from_schemas
from ..xmlio import TEI_NS, UnsafeXML, parse_bytes, read_regular, resolve_xincludes

XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Elements below the root with an xsi:* attribute (XML Schema accepts them anywhere, TEI nowhere).
_XSI_OFF_ROOT = etree.XPath("/*//*[@*[namespace-uri() = $ns]]")

#: Codes of problems that come from reading and the schema, not from rules.
FIXED_CODES = {
    "IO001": "the file cannot be read (missing, not a regular file, a link loop...)",
    "IO002": "a link out of the folder, not followed (--follow-links)",
    "XML001": "not well-formed XML",
    "XML002": "DOCTYPE or entity refused (no DTDs, no entity expansion)",
    "XML003": "file larger than the size limit",
    "XML004": "XInclude refused",
    "XML005": "elements nested deeper than the limit",
    "XML006": "schema-location hint present (never followed)",
    "XML007": "xsi:* attribute below the root (or xsi:type, xsi:nil on it)",
    "SCH000": "schema error not otherwise classified",
    "SCH001": "element not allowed here",
    "SCH002": "element incomplete: a required child is missing",
    "SCH003": "attribute not allowed on this element",
    "SCH004": "attribute value of the wrong type or not in the closed list",
    "SCH005": "required attribute missing",
    "SCH006": "text where only elements are allowed",
    "SCH007": "root element is not TEI in the TEI namespace",
    "SCH008": "content in an element that must be empty or text only",
    "LIM001": "more problems in the file than are reported (--max-problems)",
    **RNG_CODES,
}
_GRAMMAR_PREFIXES = ("SCH", "RNG")

#: Problems reported per file unless the caller chooses otherwise; one more says how many were left out.
MAX_PROBLEMS = 1000


@dataclass
class Config:
    """What to check: the schema (None: bundled XSD, or off), the rules, and codes to drop."""

    schema_path: str | None = None
    use_schema: bool = True
    rules: list[Rule] = field(default_factory=list)
    ignored: frozenset[str] = frozenset()
    explain: bool = False
    #: Rules by file (see rules/profiles.py): auto, tei-tools or generic; `asked` always run.
    profile: str = "auto"
    asked: frozenset[str] = frozenset()
    #: Schematron schemas (.sch, or a RELAX NG grammar with embedded rules) run after the grammar.
    schematron: tuple[str, ...] = ()
    phase: str | None = None
    schematron_select: tuple[str, ...] | None = None  # None: every Schematron code
    schematron_ignore: tuple[str, ...] = ()
    #: Resolve XIncludes of files inside these folders (None: an include is refused, XML004).
    xinclude: bool = False
    xinclude_roots: tuple[str, ...] = ()
    #: OASIS catalogs mapping the addresses xml-model names to local files.
    catalogs: tuple[str, ...] = ()
    max_problems: int = MAX_PROBLEMS
    #: The grammar is checked by jing (RELAX NG), on copies of what the hardened parser passed.
    jing: bool = False

    @classmethod
    def build(cls, *, schema_path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None, explain: bool = False, profile: str = "auto", schematron: list[str] | None = None, phase: str | None = None, max_problems: int = MAX_PROBLEMS, jing: bool = False) -> "Config":
        """Raises ValueError for an unknown code or profile, or a grammar jing cannot take."""
        from .rules.profiles import PROFILES

        if jing and schema_path not in (None, "auto") and not str(schema_path).endswith(".rng"):
            raise ValueError("--jing takes a RELAX NG schema (.rng)")

        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        select, ignore = list(select or []), list(ignore or [])
        # Schematron codes (SCT:...) come from the schemas themselves: taken as prefixes, unchecked.
        sct_select = tuple(c for c in select if c.startswith("SCT"))
        sct_ignore = tuple(c for c in ignore if c.startswith("SCT"))
        only_sct = bool(select) and len(sct_select) == len(select)
        select = [c for c in select if not c.startswith("SCT")]
        ignore = [c for c in ignore if not c.startswith("SCT")]
        fixed_select = [c for c in select if _fixed(c)]
        fixed_ignore = [c for c in ignore if _fixed(c)]
        rule_select = [c for c in select if not _fixed(c)]
        rule_ignore = [c for c in ignore if not _fixed(c)]
        rules = select_rules(rule_select or None, rule_ignore) if (rule_select or not select) and not only_sct else []
        asked = frozenset(rule.code for rule in rules) if rule_select else frozenset()
        ignored = {code for code in FIXED_CODES if any(code.startswith(prefix) for prefix in fixed_ignore)}
        if select and fixed_select:
            ignored |= {code for code in FIXED_CODES if not any(code.startswith(prefix) for prefix in fixed_select)}
        elif select or only_sct:
            # Only the selected codes are shown; a file that cannot be read still fails the
            # run (FileResult.hidden), so hiding XML001 never turns a broken file green.
            ignored |= set(FIXED_CODES)
        use_schema = not all(code in ignored for code in FIXED_CODES if code.startswith(_GRAMMAR_PREFIXES))
        schematron_select = sct_select if sct_select else (() if select else None)
        return cls(schema_path=schema_path, use_schema=use_schema, rules=rules, ignored=frozenset(ignored), explain=explain, profile=profile, asked=asked, schematron=tuple(schematron or ()), phase=phase, schematron_select=schematron_select, schematron_ignore=sct_ignore, max_problems=max_problems, jing=jing)

    def wants_schematron(self, code: str) -> bool:
        if self.schematron_select is not None and not any(code.startswith(prefix) for prefix in self.schematron_select):
            return False
        return not any(code.startswith(prefix) for prefix in self.schematron_ignore)

    def schematrons(self) -> list:
        """The Schematron schemas compiled (to XSLT; the engine compiles in each process on first use).
        Raises SchematronError for a schema that cannot be used."""
        if not self.schematron:
            return []
        from .schematron import compiled

        schemas = [compiled(path, phase=self.phase) for path in self.schematron]
        for schema in schemas:
            schema.prepare()  # compile errors now, before any file; a forked worker compiles anew
        return schemas

    def schema(self) -> Schema | None:
        """The grammar given, or the bundled one ("auto": each file of another project is
        checked against the grammars its own xml-model names, see `grammars_of`)."""
        if not self.use_schema or self.jing:  # with --jing, jing checks the grammar
            return None
        return load_schema(None if self.schema_path in (None, "auto") else self.schema_path)

    def jing_grammar(self) -> Path:
        return Path(self.schema_path) if self.schema_path not in (None, "auto") else bundled_schema_path("rng")

    def grammars_of(self, tree: etree._ElementTree, path: str) -> tuple[list[Schema], list[tuple[int, str, str]]]:
        """The grammars one file is checked against, and (line, code, message) for those it
        names that cannot be used."""
        own = self.schema()
        if own is None or self.schema_path not in (None, "auto"):
            return ([own] if own is not None else []), []
        named = grammars_for(tree, path, _catalog(self.catalogs))
        if named is None or not (named.grammars or named.missing):
            fallback = tei_all_from_schemas(tree)
            return [load_schema(str(fallback)) if fallback is not None else own], []
        schemas: list[Schema] = []
        problems = [(model.line, "RNG008", why) for model, why in named.missing]
        for model, grammar in named.grammars:
            try:
                schemas.append(load_schema(str(grammar)))
            except Exception as exc:  # a file that is no grammar, or one libxml2 cannot compile
                problems.append((model.line, "RNG010", f"the grammar {model.href} ({grammar}) cannot be used: {exc}"))
        return schemas, problems




@lru_cache(maxsize=4)
def _catalog(paths: tuple[str, ...]) -> Catalog:
    return Catalog(paths)



def _fixed(code: str) -> bool:
    if code in FIXED_CODES or code in ("IO", "XML", "SCH", "RNG", "LIM"):
        return True
    return False



READING_CODES = frozenset({"IO001", "XML001", "XML002", "XML003", "XML004", "XML005"})


@dataclass
class FileResult:
    path: str
    problems: list[Problem]
    unreadable: bool = False
    #: The reading failure --select/--ignore kept out of `problems`, if any.
    hidden: Problem | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)



class _Locator:
    """Line, column and XPath of elements, each index built once, at the first problem that needs it,
    so that a file's problems cost time linear in the file and their number (never a walk each)."""

    _ATTRIBUTE = re.compile(r"""\s+([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")

    def __init__(self, data: bytes, tree: etree._ElementTree) -> None:
        self.data = data
        self.tree = tree
        self._line_starts: list[int] | None = None
        self._lines: dict[int, str] = {}
        self._occurrence: dict[etree._Element, int] | None = None
        self._tag_starts: dict[tuple[int, str], list[int]] = {}
        self._attributes: dict[tuple[int, int], dict[str, int]] = {}
        self._children: dict[etree._Element, list[etree._Element]] = {}
        self._positions: dict[etree._Element, int] = {}
        self._paths: dict[etree._Element, str] = {}

    def line_text(self, line: int) -> str:
        if line in self._lines:
            return self._lines[line]
        if self._line_starts is None:
            starts = [0]
            position = self.data.find(b"\n")
            while position != -1:
                starts.append(position + 1)
                position = self.data.find(b"\n", position + 1)
            self._line_starts = starts
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.data)
        text = self._lines[line] = self.data[start:end].decode("utf-8", "replace")
        return text

    def _occurrence_of(self, element: etree._Element) -> int:
        """How many elements of the same name start on the same line before this one."""
        if self._occurrence is None:
            seen: dict[tuple[int | None, str], int] = {}
            occurrence: dict[etree._Element, int] = {}
            for other in self.tree.getroot().iter():
                if isinstance(other.tag, str):
                    key = (other.sourceline, other.tag)
                    occurrence[other] = seen.get(key, 0)
                    seen[key] = occurrence[other] + 1
            self._occurrence = occurrence
        return self._occurrence.get(element, 0)

    def column(self, element: etree._Element, attribute: str | None = None) -> int:
        line = element.sourceline or 0
        text = self.line_text(line)
        if not text:
            return 1
        local = etree.QName(element).localname
        starts = self._tag_starts.get((line, local))
        if starts is None:
            tag = re.compile(rf"<(?:[\w.-]+:)?{re.escape(local)}(?=[\s/>])")
            starts = self._tag_starts[(line, local)] = [m.start() for m in tag.finditer(text)]
        occurrence = self._occurrence_of(element)
        if occurrence >= len(starts):
            return 1
        start = starts[occurrence]
        if attribute:
            columns = self._attributes.get((line, start))
            if columns is None:
                columns = self._attributes[(line, start)] = self._attribute_columns(text, start + 1 + len(local))
            # A name written with its prefix (xml:id) or, for a namespaced attribute, any prefix.
            found = columns.get(attribute) or columns.get(attribute.rsplit(":", 1)[-1])
            if found:
                return found
        return start + 1

    def _attribute_columns(self, text: str, position: int) -> dict[str, int]:
        """Column of each attribute of the start tag whose name ends at `position`, in one scan."""
        columns: dict[str, int] = {}
        while True:
            found = self._ATTRIBUTE.match(text, position)
            if not found:
                return columns
            name = found.group(1)
            columns.setdefault(name, found.start(1) + 1)
            columns.setdefault(name.rsplit(":", 1)[-1], found.start(1) + 1)
            position = found.end()

    def _element_children(self, parent: etree._Element) -> list[etree._Element]:
        children = self._children.get(parent)
        if children is None:
            children = self._children[parent] = [child for child in parent if isinstance(child.tag, str)]
        return children

    def _position(self, element: etree._Element, parent: etree._Element) -> int:
        if element not in self._positions:
            counts: dict[str, int] = {}
            for child in self._element_children(parent):
                counts[child.tag] = counts.get(child.tag, 0) + 1
                self._positions[child] = counts[child.tag]
        return self._positions[element]

    def xpath(self, element: etree._Element) -> str:
        """The element's path with positions (/tei:TEI/tei:text[1]/...), ancestors' paths reused."""
        known = self._paths.get(element)
        if known is not None:
            return known
        qname = etree.QName(element)
        step = ("tei:" if qname.namespace == TEI_NS else "") + qname.localname
        parent = element.getparent()
        if parent is None:
            path = f"/{step}"
        else:
            path = f"{self.xpath(parent)}/{step}[{self._position(element, parent)}]"
        self._paths[element] = path
        return path

    _STEP = re.compile(r"\*(?:\[(\d+)\])?")

    def element_at(self, path: str) -> etree._Element | None:
        """The element a libxml2 error path (/*/*[2]/*) names, found by indexing, not by XPath."""
        if not path.startswith("/"):
            return None
        steps = path[1:].split("/")
        element: etree._Element = self.tree.getroot()
        first = self._STEP.fullmatch(steps[0])
        if first is None or (first.group(1) not in (None, "1")):
            return None
        for step in steps[1:]:
            found = self._STEP.fullmatch(step)
            if found is None:
                return None
            children = self._element_children(element)
            index = int(found.group(1) or 1) - 1
            if not 0 <= index < len(children):
                return None
            element = children[index]
        return element


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc)).strip()
    message = re.sub(r"^xml\w+: ", "", message)  # libxml2's internal function names say nothing to a reader
    return message[0].lower() + message[1:] if message else "not well-formed"


_CAUSES = ("XML", "SCH", "RNG", "IO")


@dataclass(order=True)
class _Pending:
    """A problem found but not yet located: only the ones reported get a column and a path."""

    line: int
    effect: int  # 0 for what reading and the grammar say, 1 for what follows from it (rules)
    code: str
    index: int
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    element: etree._Element | None = field(compare=False, default=None)
    attribute: str | None = field(compare=False, default=None)
    column: int = field(compare=False, default=1)
    xpath: str = field(compare=False, default="")


@dataclass
class _Checked:
    """One file's problems so far, what was left out, and the copy jing may read (if asked for)."""

    path: str
    config: Config
    problems: list[Problem] = field(default_factory=list)
    hidden: int = 0
    hidden_error: bool = False
    copy: bytes | None = None
    #: The reading failure --select/--ignore keeps out of `problems`, if any.
    reading: Problem | None = None

    def add_jing(self, found: list[tuple[int, int, str, str]]) -> None:
        for line, column, code, message in found:
            if code not in self.config.ignored:
                self.problems.append(Problem(self.path, line, column, code, Severity.ERROR, message))

    def result(self) -> list[Problem]:
        """In line order, at most `max_problems`, and one problem counting the rest."""
        # Causes before effects: on a line, what the reader and the grammar say comes before the
        # rules and the Schematron, whose findings often follow from it.
        problems = sorted(self.problems, key=lambda p: (p.line, not p.code.startswith(_CAUSES), p.column, p.code))
        limit = self.config.max_problems
        hidden, hidden_error = self.hidden, self.hidden_error
        if limit > 0 and len(problems) > limit:
            hidden += len(problems) - limit
            hidden_error = hidden_error or any(p.severity is Severity.ERROR for p in problems[limit:])
            problems = problems[:limit]
        if hidden:
            severity = Severity.ERROR if hidden_error else Severity.WARNING
            last = problems[-1].line if problems else 1
            problems.append(Problem(self.path, last, 1, "LIM001", severity, f"{hidden} more problems in this file not shown (at most {limit} are reported; --max-problems 0 shows all)"))
        return problems


def validate_bytes(data: bytes, path: str, config: Config | None = None) -> list[Problem]:
    """Every problem of one file's bytes, in line order (at most `config.max_problems` of them and
    one that counts the rest); never raises for bad input."""
    config = config or Config.build()
    checked = _check(data, path, config)
    if checked.copy is not None:
        checked.add_jing(check_copies(config.jing_grammar(), [checked.copy])[0])
    return checked.result()


def _check(data: bytes, path: str, config: Config) -> _Checked:
    """Reading, rules and the libxml2 grammar; with --jing, the copy jing is to check."""
    checked = _Checked(path, config)
    problems = checked.problems

    def add(line: int, column: int, code: str, severity: Severity, message: str, xpath: str = "") -> None:
        if code not in config.ignored:
            problems.append(Problem(path, line, column, code, severity, message, xpath))

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        add(1, 1, "XML001", Severity.ERROR, "binary data, not an XML file")
        return checked
    try:
        tree = parse_bytes(data, allow_xinclude=config.xinclude and path != "-")
        if config.xinclude and path != "-":
            resolve_xincludes(tree, path, list(config.xinclude_roots) or [os.path.dirname(os.path.abspath(path))])
    except UnsafeXML as exc:
        add(exc.line, 1, exc.code, Severity.ERROR, str(exc))
        return checked
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        from .words import plain

        add(line or 1, column or 1, "XML001", Severity.ERROR, plain(_syntax_message(exc), data))
        return checked
    root = tree.getroot()
    if path != "-" and not path.startswith("<"):
        tree.docinfo.URL = path  # rules that follow pointers into other files resolve them from here
    schemas, unusable = config.grammars_of(tree, path)
    # The bundled grammar (the file names no grammar of its own), or none at all.
    bundled = config.schema_path in (None, "auto") and (not config.use_schema or config.jing or schemas == [config.schema()])
    if bundled and (etree.QName(root).namespace != TEI_NS or (config.use_schema and etree.QName(root).localname != "TEI")):
        # One cause, one problem: without the TEI namespace (or, for the bundled grammar, whose
        # only start is <TEI>, without a TEI root) every rule would report its own consequence.
        # A grammar of the file's own judges its root itself (RNG007).
        add(root.sourceline or 1, 1, "SCH007", Severity.ERROR, _not_tei(root))
        return checked
    locator = _Locator(data, tree)
    pending: list[_Pending] = []
    limit = config.max_problems if config.max_problems > 0 else None
    unseen = 0  # schema errors past the limit, counted but never explained

    def found(line: int, code: str, severity: Severity, message: str, element: etree._Element | None = None, attribute: str | None = None, column: int = 1, xpath: str = "") -> None:
        if code not in config.ignored:
            pending.append(_Pending(line, 0 if code.startswith(_CAUSES) else 1, code, len(pending), severity, message, element, attribute, column, xpath))

    for attribute in (f"{{{XSI}}}schemaLocation", f"{{{XSI}}}noNamespaceSchemaLocation"):
        if root.get(attribute) is not None:
            local = attribute.split("}")[1]
            found(root.sourceline or 1, "XML006", Severity.WARNING, f"xsi:{local} is ignored: files are checked against the chosen schema only", root, local)

    for element in _XSI_OFF_ROOT(root, ns=XSI):
        for name in element.attrib:
            if name.startswith(f"{{{XSI}}}"):
                local = name.split("}")[1]
                found(element.sourceline or 1, "XML007", Severity.ERROR, f"xsi:{local} on <{etree.QName(element).localname}>: XML Schema instance attributes belong on the root element only (TEI does not allow them elsewhere)", element, local)
    for name in root.attrib:
        if name.startswith(f"{{{XSI}}}") and name.split("}")[1] not in ("schemaLocation", "noNamespaceSchemaLocation"):
            local = name.split("}")[1]
            found(root.sourceline or 1, "XML007", Severity.ERROR, f"xsi:{local} on the root element changes how XML Schema reads the file; TEI does not allow it", root, local)

    document = Document(tree)
    duplicate_lines = {element.sourceline for element in document.duplicate_ids()}
    explained: set[tuple[int, str]] = set()
    for rule in rules_for(tree, config.rules, config.profile, config.asked):
        for finding in rule.check(document):
            element = finding.element if finding.element is not None else root
            line = element.sourceline or 1
            if finding.attribute:
                explained.add((line, finding.attribute))
            found(line, rule.code, rule.severity, finding.message, element, finding.attribute)
    for line, code, message in unusable:
        found(line, code, Severity.ERROR, message, root)
    for schema in schemas:
        try:
            errors = schema.errors(tree)
            first = next(errors, None)
        except (etree.LxmlError, ValueError) as exc:  # a grammar that fails to compile for this file
            found(1, "RNG010", Severity.ERROR, f"the grammar {schema.path} cannot be used: {exc}", root)
            continue
        taken = 0
        notes: dict[int, str] | None = None
        for error in _chain(first, errors):
            if limit is not None and taken >= limit:
                # Explaining each of 100,000 errors costs more than the check itself: count the rest
                # (for XSD in libxml2's log, one entry per error), unexplained.
                log = getattr(getattr(schema, "validator", None), "error_log", None) if schema.relaxng is None else None
                unseen += max(1, (len(log) - taken) if log is not None else 1 + sum(1 for _ in errors))
                break
            taken += 1
            if config.explain:
                if notes is None:
                    notes = explanations(tree, schema.path)
                if error.line in notes:
                    error = SchemaError(error.line, error.column, error.code, f"{error.message} (xmlschema: {notes.pop(error.line)})", error.path)
            if error.line in duplicate_lines and "xml:id" in error.message:
                continue  # ID001 says it better
            attribute = re.match(r"@([\w:.-]+)(?:=| is not allowed)" if error.code.startswith("RNG") else r"@([\w:.-]+)[= ]", error.message)
            if error.code == "SCH004" and attribute and (error.line, attribute.group(1)) in explained:
                continue  # a rule has already said what is wrong with this value, in more words
            element = locator.element_at(error.path)
            if element is not None:
                message = error.message
                if bundled and error.code in ("SCH001", "SCH002", "SCH003", "SCH006"):
                    from .guide import improve  # the bundled grammar's own account of what fits here

                    unknown = re.match(r"@([\w:]+) is not allowed", message)
                    message = improve(error.code, message, element, unknown.group(1) if unknown else None)
                found(element.sourceline or error.line, error.code, Severity.ERROR, message, element, attribute.group(1) if attribute else None)
            else:
                found(error.line, error.code, Severity.ERROR, error.message, column=error.column or 1, xpath=error.path)
        if taken and bundled and not unseen:  # past the cap the rest is counted, not found again
            from .guide import unknown_attributes

            reported = {(p.line, p.message.split(" ", 1)[0]) for p in pending if p.code == "SCH003"}
            for element, name, message in unknown_attributes(tree):
                if (element.sourceline or 1, f"@{name}") not in reported:
                    found(element.sourceline or 1, "SCH003", Severity.ERROR, message, element, name)
    pending.sort()
    shown = pending if limit is None else pending[:limit]
    for item in shown:
        if item.element is not None:
            add(item.line, locator.column(item.element, item.attribute), item.code, item.severity, item.message, locator.xpath(item.element))
        else:
            add(item.line, item.column, item.code, item.severity, item.message, item.xpath)
    rest = pending[len(shown):]
    checked.hidden = len(rest) + unseen
    checked.hidden_error = bool(unseen) or any(p.severity is Severity.ERROR for p in rest)
    for schematron in config.schematrons():
        for problem in schematron.problems(tree, path, locator.column):
            if config.wants_schematron(problem.code):
                problems.append(problem)
    if config.jing and config.use_schema:
        checked.copy = safe_copy(data, tree)
    return checked


def _chain(first: SchemaError | None, rest: Iterator[SchemaError]) -> Iterator[SchemaError]:
    if first is not None:
        yield first
        yield from rest




def _not_tei(root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.localname == "TEI" and not qname.namespace:
        return '<TEI> has no namespace: write <TEI xmlns="http://www.tei-c.org/ns/1.0"> (nothing else in the file was checked)'
    if qname.namespace == TEI_NS:
        return f"<{qname.localname}> cannot be the root: a TEI document starts with <TEI>, which holds a teiHeader (nothing else in the file was checked)"
    where = f" in namespace {qname.namespace}" if qname.namespace else ""
    return f'<{qname.localname}>{where} is not a TEI document: the root must be <TEI xmlns="http://www.tei-c.org/ns/1.0"> (nothing else in the file was checked)'




def validate_tree(tree: etree._ElementTree, path: str = "<tree>", config: Config | None = None) -> list[Problem]:
    """Validate an lxml tree already in memory (serialised, so lines are those of the bytes)."""
    return validate_bytes(etree.tostring(tree, encoding="utf-8", xml_declaration=True), path, config)


def validate_file(path: str, config: Config) -> FileResult:
    checked = _check_file(path, config)
    if isinstance(checked, FileResult):
        return checked
    if checked.copy is not None:
        checked.add_jing(check_copies(config.jing_grammar(), [checked.copy])[0])
    return FileResult(path, checked.result(), hidden=checked.reading)


def _check_file(path: str, config: Config) -> FileResult | _Checked:
    """The file read and checked, or the result that says why it could not be read."""
    if isinstance(path, LinkNotFollowed):
        return FileResult(path, [Problem(path, 0, 0, "IO002", Severity.WARNING, "a link out of the folder; not followed (--follow-links follows it)")])
    try:
        data = sys.stdin.buffer.read() if path == "-" else read_regular(path, xmlio.MAX_FILE_BYTES)  # `--max-size` sets it
    except UnsafeXML as exc:
        hint = " (raise it with --max-size)" if exc.code == "XML003" else ""
        hidden = Problem(path, 1, 1, exc.code, Severity.ERROR, str(exc) + hint)
        return FileResult(path, [] if exc.code in config.ignored else [hidden], hidden=hidden if exc.code in config.ignored else None)
    except OSError as exc:
        return FileResult(path, [Problem(path, 0, 0, "IO001", Severity.ERROR, f"cannot read: {exc.strerror or exc}")], unreadable=True)
    checked = _check(data, path, config)
    if config.ignored & READING_CODES:
        # Rare (a reading code was hidden): read the file once more with nothing hidden.
        bare = _check(data, path, Config(use_schema=False)).problems
        checked.reading = next((p for p in bare if p.code in READING_CODES), None)
    return checked


def _validate_with_jing(files: list[str], config: Config) -> Iterator[FileResult]:
    """Batches of files: each read and checked here, then one jing run over their copies."""
    for start in range(0, len(files), BATCH):
        batch = [_check_file(path, config) for path in files[start : start + BATCH]]
        waiting = [checked for checked in batch if isinstance(checked, _Checked) and checked.copy is not None]
        for checked, found in zip(waiting, check_copies(config.jing_grammar(), [c.copy for c in waiting if c.copy is not None])):
            checked.add_jing(found)
            checked.copy = None
        for checked in batch:
            yield checked if isinstance(checked, FileResult) else FileResult(checked.path, checked.result(), hidden=checked.reading)


_WORKER_CONFIG: Config | None = None


def _init_worker(config: Config) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _work(path: str) -> FileResult:
    assert _WORKER_CONFIG is not None
    return validate_file(path, _WORKER_CONFIG)


def validate_paths(paths: Iterable[str], config: Config | None = None, *, jobs: int = 1, follow_links: bool = False) -> Iterator[FileResult]:
    """Results in input order. With jobs > 1 the schema is compiled first, then workers fork
    (a compiled libxml2 schema is not safe to share between threads)."""
    config = config or Config.build()
    config.schema()  # compile before forking, so every worker inherits it
    paths = list(paths)
    if config.xinclude and not config.xinclude_roots:
        # The folders being checked: those given, and the folder of each file given.
        config.xinclude_roots = tuple(sorted({os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths if p != "-"}))
    config.schematrons()  # generated once; each worker compiles its own Saxon or lxml copy
    files = list(iter_files(paths, follow_links=follow_links))
    if config.jing:
        yield from _validate_with_jing(files, config)
        return
    if jobs <= 1 or len(files) < 2 or "-" in files:
        for path in files:
            yield validate_file(path, config)
        return
    from ..pool import in_order

    # Chunks small enough that the last ones keep every worker busy to the end.
    yield from in_order(_work, files, jobs=jobs, initializer=_init_worker, initargs=(config,), chunksize=max(1, min(64, len(files) // (jobs * 16))))
