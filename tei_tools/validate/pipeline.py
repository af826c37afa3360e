"""Validation: file -> hardened parse -> schema -> rules -> problems, over many files."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from ..problems import Problem, Severity
from .rules import Document, Rule, select_rules
from .files import LinkNotFollowed, iter_files
from .grammar import Schema, SchemaError, bundled_schema_path, explanations, load_schema
from .jing import BATCH, check_copies, safe_copy
from ..xmlio import MAX_FILE_BYTES, TEI_NS, UnsafeXML, parse_bytes, read_regular

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
}


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
    max_problems: int = MAX_PROBLEMS
    #: The grammar is checked by jing (RELAX NG), on copies of what the hardened parser passed.
    jing: bool = False

    @classmethod
    def build(cls, *, schema_path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None, explain: bool = False, max_problems: int = MAX_PROBLEMS, jing: bool = False) -> "Config":
        """Raises ValueError for an unknown code or a grammar jing cannot take."""
        if jing and schema_path is not None and not str(schema_path).endswith(".rng"):
            raise ValueError("--jing takes a RELAX NG schema (.rng)")
        select, ignore = list(select or []), list(ignore or [])
        fixed_select = [c for c in select if _fixed(c)]
        fixed_ignore = [c for c in ignore if _fixed(c)]
        rule_select = [c for c in select if not _fixed(c)]
        rule_ignore = [c for c in ignore if not _fixed(c)]
        rules = select_rules(rule_select or None, rule_ignore) if (rule_select or not select) else []
        ignored = {code for code in FIXED_CODES if any(code.startswith(prefix) for prefix in fixed_ignore)}
        if select and fixed_select:
            ignored |= {code for code in FIXED_CODES if not any(code.startswith(prefix) for prefix in fixed_select)}
        elif select:
            ignored |= {code for code in FIXED_CODES if code.startswith("SCH")}
        use_schema = not all(code in ignored for code in FIXED_CODES if code.startswith("SCH"))
        return cls(schema_path=schema_path, use_schema=use_schema, rules=rules, ignored=frozenset(ignored), explain=explain, max_problems=max_problems, jing=jing)

    def schema(self) -> Schema | None:
        """The libxml2 grammar, compiled once; None when the grammar is off or jing checks it."""
        return load_schema(self.schema_path) if self.use_schema and not self.jing else None

    def jing_grammar(self) -> Path:
        return Path(self.schema_path) if self.schema_path else bundled_schema_path("rng")


def _fixed(code: str) -> bool:
    if code in FIXED_CODES or code in ("IO", "XML", "SCH", "LIM"):
        return True
    return False


@dataclass
class FileResult:
    path: str
    problems: list[Problem]
    unreadable: bool = False

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


@dataclass(order=True)
class _Pending:
    """A problem found but not yet located: only the ones reported get a column and a path."""

    line: int
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

    def add_jing(self, found: list[tuple[int, int, str, str]]) -> None:
        for line, column, code, message in found:
            if code not in self.config.ignored:
                self.problems.append(Problem(self.path, line, column, code, Severity.ERROR, message))

    def result(self) -> list[Problem]:
        """In line order, at most `max_problems`, and one problem counting the rest."""
        problems = sorted(self.problems, key=lambda p: (p.line, p.column, p.code))
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
        tree = parse_bytes(data)
    except UnsafeXML as exc:
        add(exc.line, 1, exc.code, Severity.ERROR, str(exc))
        return checked
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        add(line or 1, column or 1, "XML001", Severity.ERROR, _syntax_message(exc))
        return checked
    root = tree.getroot()
    locator = _Locator(data, tree)
    pending: list[_Pending] = []
    limit = config.max_problems if config.max_problems > 0 else None
    unseen = 0  # schema errors past the limit, counted but never explained

    def found(line: int, code: str, severity: Severity, message: str, element: etree._Element | None = None, attribute: str | None = None, column: int = 1, xpath: str = "") -> None:
        if code not in config.ignored:
            pending.append(_Pending(line, code, len(pending), severity, message, element, attribute, column, xpath))

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
    for rule in config.rules:
        for finding in rule.check(document):
            element = finding.element if finding.element is not None else root
            line = element.sourceline or 1
            if finding.attribute:
                explained.add((line, finding.attribute))
            found(line, rule.code, rule.severity, finding.message, element, finding.attribute)
    schema = config.schema()
    if schema is not None:
        errors = schema.errors(tree)
        taken = 0
        notes: dict[int, str] | None = None
        for error in errors:
            if limit is not None and taken >= limit:
                # Explaining each of 100,000 errors costs more than the check itself: count the rest
                # in libxml2's log (one entry per error), unexplained.
                unseen = max(1, len(schema.validator.error_log) - taken)
                break
            taken += 1
            if config.explain:
                if notes is None:
                    notes = explanations(tree, schema.path)
                if error.line in notes:
                    error = SchemaError(error.line, error.column, error.code, f"{error.message} (xmlschema: {notes.pop(error.line)})", error.path)
            if error.line in duplicate_lines and "xml:id" in error.message:
                continue  # ID001 says it better
            attribute = re.match(r"@([\w:.-]+)[= ]", error.message)
            if error.code == "SCH004" and attribute and (error.line, attribute.group(1)) in explained:
                continue  # a rule has already said what is wrong with this value, in more words
            element = locator.element_at(error.path)
            if element is not None:
                found(element.sourceline or error.line, error.code, Severity.ERROR, error.message, element, attribute.group(1) if attribute else None)
            else:
                found(error.line, error.code, Severity.ERROR, error.message, column=error.column or 1, xpath=error.path)
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
    if config.jing and config.use_schema:
        checked.copy = safe_copy(data, tree)
    return checked


def validate_tree(tree: etree._ElementTree, path: str = "<tree>", config: Config | None = None) -> list[Problem]:
    """Validate an lxml tree already in memory (serialised, so lines are those of the bytes)."""
    return validate_bytes(etree.tostring(tree, encoding="utf-8", xml_declaration=True), path, config)


def validate_file(path: str, config: Config) -> FileResult:
    checked = _check_file(path, config)
    if isinstance(checked, FileResult):
        return checked
    if checked.copy is not None:
        checked.add_jing(check_copies(config.jing_grammar(), [checked.copy])[0])
    return FileResult(path, checked.result())


def _check_file(path: str, config: Config) -> FileResult | _Checked:
    """The file read and checked, or the result that says why it could not be read."""
    if isinstance(path, LinkNotFollowed):
        return FileResult(path, [Problem(path, 0, 0, "IO002", Severity.WARNING, "a link out of the folder; not followed (--follow-links follows it)")])
    try:
        data = sys.stdin.buffer.read() if path == "-" else read_regular(path, MAX_FILE_BYTES)
    except UnsafeXML as exc:
        return FileResult(path, [Problem(path, 1, 1, exc.code, Severity.ERROR, str(exc))])
    except OSError as exc:
        return FileResult(path, [Problem(path, 0, 0, "IO001", Severity.ERROR, f"cannot read: {exc.strerror or exc}")], unreadable=True)
    return _check(data, path, config)


def _validate_with_jing(files: list[str], config: Config) -> Iterator[FileResult]:
    """Batches of files: each read and checked here, then one jing run over their copies."""
    for start in range(0, len(files), BATCH):
        batch = [_check_file(path, config) for path in files[start : start + BATCH]]
        waiting = [checked for checked in batch if isinstance(checked, _Checked) and checked.copy is not None]
        for checked, found in zip(waiting, check_copies(config.jing_grammar(), [c.copy for c in waiting if c.copy is not None])):
            checked.add_jing(found)
            checked.copy = None
        for checked in batch:
            yield checked if isinstance(checked, FileResult) else FileResult(checked.path, checked.result())


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
    files = list(iter_files(paths, follow_links=follow_links))
    if config.jing:
        yield from _validate_with_jing(files, config)
        return
    if jobs <= 1 or len(files) < 2 or "-" in files:
        for path in files:
            yield validate_file(path, config)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(processes=jobs, initializer=_init_worker, initargs=(config,)) as pool:
        # Chunks small enough that the last ones keep every worker busy to the end.
        yield from pool.imap(_work, files, chunksize=max(1, min(64, len(files) // (jobs * 16))))
