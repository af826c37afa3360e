"""Validation: file -> hardened parse -> schema -> rules -> problems, over many files."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from lxml import etree

from ..problems import Problem, Severity
from .rules import Document, Rule, select_rules
from .files import iter_files
from .grammar import Schema, SchemaError, explanations, load_schema
from .relaxng.messages import CODES as RNG_CODES
from .xmlmodel import Catalog, grammars_for
from ..xmlio import MAX_FILE_BYTES, TEI_NS, UnsafeXML, parse_bytes, resolve_xincludes

XSI = "http://www.w3.org/2001/XMLSchema-instance"

#: Codes of problems that come from reading and the schema, not from rules.
FIXED_CODES = {
    "IO001": "the file cannot be read",
    "XML001": "not well-formed XML",
    "XML002": "DOCTYPE or entity refused (no DTDs, no entity expansion)",
    "XML003": "file larger than the size limit",
    "XML004": "XInclude refused",
    "XML005": "elements nested deeper than the limit",
    "XML006": "schema-location hint present (never followed)",
    "SCH000": "schema error not otherwise classified",
    "SCH001": "element not allowed here",
    "SCH002": "element incomplete: a required child is missing",
    "SCH003": "attribute not allowed on this element",
    "SCH004": "attribute value of the wrong type or not in the closed list",
    "SCH005": "required attribute missing",
    "SCH006": "text where only elements are allowed",
    "SCH007": "root element is not TEI in the TEI namespace",
    "SCH008": "content in an element that must be empty or text only",
    **RNG_CODES,
}
_GRAMMAR_PREFIXES = ("SCH", "RNG")


@dataclass
class Config:
    """What to check: the schema (None: bundled XSD, or off), the rules, and codes to drop."""

    schema_path: str | None = None
    use_schema: bool = True
    rules: list[Rule] = field(default_factory=list)
    ignored: frozenset[str] = frozenset()
    explain: bool = False
    #: Resolve XIncludes of files inside these folders (None: an include is refused, XML004).
    xinclude: bool = False
    xinclude_roots: tuple[str, ...] = ()
    #: OASIS catalogs mapping the addresses xml-model names to local files.
    catalogs: tuple[str, ...] = ()

    @classmethod
    def build(cls, *, schema_path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None, explain: bool = False) -> "Config":
        """Raises ValueError for an unknown code."""
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
            ignored |= {code for code in FIXED_CODES if code.startswith(_GRAMMAR_PREFIXES)}
        use_schema = not all(code in ignored for code in FIXED_CODES if code.startswith(_GRAMMAR_PREFIXES))
        return cls(schema_path=schema_path, use_schema=use_schema, rules=rules, ignored=frozenset(ignored), explain=explain)

    def schema(self) -> Schema | None:
        """The grammar given, or the bundled one ("auto": each file of another project is
        checked against the grammars its own xml-model names, see `grammars_of`)."""
        if not self.use_schema:
            return None
        return load_schema(None if self.schema_path in (None, "auto") else self.schema_path)

    def grammars_of(self, tree: etree._ElementTree, path: str) -> tuple[list[Schema], list[tuple[int, str, str]]]:
        """The grammars one file is checked against, and (line, code, message) for those it
        names that cannot be used."""
        own = self.schema()
        if own is None or self.schema_path not in (None, "auto"):
            return ([own] if own is not None else []), []
        named = grammars_for(tree, path, _catalog(self.catalogs))
        if named is None or not (named.grammars or named.missing):
            return [own], []
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
    if code in FIXED_CODES or code in ("IO", "XML", "SCH", "RNG"):
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
    """Line, column and XPath of elements, computed only for elements that have a problem."""

    def __init__(self, data: bytes, tree: etree._ElementTree) -> None:
        self.data = data
        self.tree = tree
        self._line_starts: list[int] | None = None

    def line_text(self, line: int) -> str:
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
        return self.data[start:end].decode("utf-8", "replace")

    def column(self, element: etree._Element, attribute: str | None = None) -> int:
        line = element.sourceline or 0
        text = self.line_text(line)
        if not text:
            return 1
        local = etree.QName(element).localname
        # Which of the same-named elements on this line it is: count those before it.
        occurrence = 0
        for other in self.tree.getroot().iter(element.tag):
            if other is element:
                break
            if other.sourceline == line:
                occurrence += 1
        starts = [m.start() for m in re.finditer(rf"<(?:[\w.-]+:)?{re.escape(local)}(?=[\s/>])", text)]
        if occurrence >= len(starts):
            return 1
        start = starts[occurrence]
        if attribute:
            found = re.compile(rf"\s{re.escape(attribute)}\s*=").search(text, start)
            if found:
                return found.start() + 2
        return start + 1

    @staticmethod
    def xpath(element: etree._Element) -> str:
        steps = []
        node: etree._Element | None = element
        while node is not None:
            qname = etree.QName(node)
            prefix = "tei:" if qname.namespace == TEI_NS else ""
            parent = node.getparent()
            if parent is None:
                steps.append(f"/{prefix}{qname.localname}")
            else:
                position = 1 + sum(1 for sibling in node.itersiblings(preceding=True) if sibling.tag == node.tag)
                steps.append(f"/{prefix}{qname.localname}[{position}]")
            node = parent
        return "".join(reversed(steps))


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or exc)).strip()
    message = re.sub(r"^xml\w+: ", "", message)  # libxml2's internal function names say nothing to a reader
    return message[0].lower() + message[1:] if message else "not well-formed"


def validate_bytes(data: bytes, path: str, config: Config | None = None) -> list[Problem]:
    """Every problem of one file's bytes, in line order; never raises for bad input."""
    config = config or Config.build()
    problems: list[Problem] = []

    def add(line: int, column: int, code: str, severity: Severity, message: str, xpath: str = "") -> None:
        if code not in config.ignored:
            problems.append(Problem(path, line, column, code, severity, message, xpath))

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        add(1, 1, "XML001", Severity.ERROR, "binary data, not an XML file")
        return problems
    try:
        tree = parse_bytes(data, allow_xinclude=config.xinclude and path != "-")
        if config.xinclude and path != "-":
            resolve_xincludes(tree, path, list(config.xinclude_roots) or [os.path.dirname(os.path.abspath(path))])
    except UnsafeXML as exc:
        add(exc.line, 1, exc.code, Severity.ERROR, str(exc))
        return problems
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        add(line or 1, column or 1, "XML001", Severity.ERROR, _syntax_message(exc))
        return problems
    root = tree.getroot()
    locator = _Locator(data, tree)
    for attribute in (f"{{{XSI}}}schemaLocation", f"{{{XSI}}}noNamespaceSchemaLocation"):
        if root.get(attribute) is not None:
            add(root.sourceline or 1, locator.column(root), "XML006", Severity.WARNING, f"xsi:{attribute.split('}')[1]} is ignored: files are checked against the chosen schema only")

    document = Document(tree)
    duplicate_lines = {element.sourceline for element in document.duplicate_ids()}
    explained: set[tuple[int, str]] = set()
    for rule in config.rules:
        for finding in rule.check(document):
            element = finding.element if finding.element is not None else root
            line = element.sourceline or 1
            if finding.attribute:
                explained.add((line, finding.attribute))
            add(line, locator.column(element, finding.attribute), rule.code, rule.severity, finding.message, locator.xpath(element))
    schemas, unusable = config.grammars_of(tree, path)
    for line, code, message in unusable:
        add(line, 1, code, Severity.ERROR, message)
    for schema in schemas:
        try:
            errors = list(schema.errors(tree))
        except (etree.LxmlError, ValueError) as exc:  # a grammar that fails to compile for this file
            add(1, 1, "RNG010", Severity.ERROR, f"the grammar {schema.path} cannot be used: {exc}")
            continue
        notes = explanations(tree, schema.path) if errors and config.explain else {}
        for error in errors:
            if error.line in notes:
                error = SchemaError(error.line, error.column, error.code, f"{error.message} (xmlschema: {notes.pop(error.line)})", error.path)
            if error.line in duplicate_lines and "xml:id" in error.message:
                continue  # ID001 says it better
            attribute = re.match(r"@([\w:.-]+)(?:=| is not allowed)" if error.code.startswith("RNG") else r"@([\w:]+)=", error.message)
            if error.code == "SCH004" and attribute and (error.line, attribute.group(1)) in explained:
                continue  # a rule has already said what is wrong with this value, in more words
            element = _element_at(tree, error.path)
            if element is not None:
                column = locator.column(element, attribute.group(1) if attribute else None)
                add(element.sourceline or error.line, column, error.code, Severity.ERROR, error.message, locator.xpath(element))
            else:
                add(error.line, error.column or 1, error.code, Severity.ERROR, error.message, error.path)
    problems.sort(key=lambda p: (p.line, p.column, p.code))
    return problems


def _element_at(tree: etree._ElementTree, path: str) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def validate_tree(tree: etree._ElementTree, path: str = "<tree>", config: Config | None = None) -> list[Problem]:
    """Validate an lxml tree already in memory (serialised, so lines are those of the bytes)."""
    return validate_bytes(etree.tostring(tree, encoding="utf-8", xml_declaration=True), path, config)


def validate_file(path: str, config: Config) -> FileResult:
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb", buffering=0) as handle:  # unbuffered: the file is read in one call
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_FILE_BYTES:
                    return FileResult(path, [Problem(path, 1, 1, "XML003", Severity.ERROR, f"file is {size} bytes, larger than the limit of {MAX_FILE_BYTES}")])
                data = handle.readall()
    except OSError as exc:
        return FileResult(path, [Problem(path, 0, 0, "IO001", Severity.ERROR, f"cannot read: {exc.strerror or exc}")], unreadable=True)
    return FileResult(path, validate_bytes(data, path, config))


_WORKER_CONFIG: Config | None = None


def _init_worker(config: Config) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _work(path: str) -> FileResult:
    assert _WORKER_CONFIG is not None
    return validate_file(path, _WORKER_CONFIG)


def validate_paths(paths: Iterable[str], config: Config | None = None, *, jobs: int = 1) -> Iterator[FileResult]:
    """Results in input order. With jobs > 1 the schema is compiled first, then workers fork
    (a compiled libxml2 schema is not safe to share between threads)."""
    config = config or Config.build()
    config.schema()  # compile before forking, so every worker inherits it
    paths = list(paths)
    if config.xinclude and not config.xinclude_roots:
        # The folders being checked: those given, and the folder of each file given.
        config.xinclude_roots = tuple(sorted({os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths if p != "-"}))
    files = list(iter_files(paths))
    if jobs <= 1 or len(files) < 2 or "-" in files:
        for path in files:
            yield validate_file(path, config)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(processes=jobs, initializer=_init_worker, initargs=(config,)) as pool:
        # Chunks small enough that the last ones keep every worker busy to the end.
        yield from pool.imap(_work, files, chunksize=max(1, min(64, len(files) // (jobs * 16))))
