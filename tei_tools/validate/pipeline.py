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
from .rules.profiles import rules_for
from .files import iter_files
from .grammar import Schema, SchemaError, explanations, load_schema
from .. import xmlio
from .relaxng.messages import CODES as RNG_CODES
from .xmlmodel import Catalog, grammars_for
from ..xmlio import TEI_NS, UnsafeXML, parse_bytes, resolve_xincludes

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

    @classmethod
    def build(cls, *, schema_path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None, explain: bool = False, profile: str = "auto", schematron: list[str] | None = None, phase: str | None = None) -> "Config":
        """Raises ValueError for an unknown code or profile."""
        from .rules.profiles import PROFILES

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
        return cls(schema_path=schema_path, use_schema=use_schema, rules=rules, ignored=frozenset(ignored), explain=explain, profile=profile, asked=asked, schematron=tuple(schematron or ()), phase=phase, schematron_select=schematron_select, schematron_ignore=sct_ignore)

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


#: Codes that say a file could not be read at all: hiding them hides the reason, not the failure.
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
        from .words import plain

        add(line or 1, column or 1, "XML001", Severity.ERROR, plain(_syntax_message(exc), data))
        return problems
    root = tree.getroot()
    if path != "-" and not path.startswith("<"):
        tree.docinfo.URL = path  # rules that follow pointers into other files resolve them from here
    schemas, unusable = config.grammars_of(tree, path)
    # The bundled grammar (the file names no grammar of its own), or none at all.
    bundled = config.schema_path in (None, "auto") and (not config.use_schema or schemas == [config.schema()])
    if bundled and (etree.QName(root).namespace != TEI_NS or (config.use_schema and etree.QName(root).localname != "TEI")):
        # One cause, one problem: without the TEI namespace (or, for the bundled grammar, whose
        # only start is <TEI>, without a TEI root) every rule would report its own consequence.
        # A grammar of the file's own judges its root itself (RNG007).
        add(root.sourceline or 1, 1, "SCH007", Severity.ERROR, _not_tei(root))
        return problems
    locator = _Locator(data, tree)
    for attribute in (f"{{{XSI}}}schemaLocation", f"{{{XSI}}}noNamespaceSchemaLocation"):
        if root.get(attribute) is not None:
            add(root.sourceline or 1, locator.column(root), "XML006", Severity.WARNING, f"xsi:{attribute.split('}')[1]} is ignored: files are checked against the chosen schema only")

    document = Document(tree)
    duplicate_lines = {element.sourceline for element in document.duplicate_ids()}
    explained: set[tuple[int, str]] = set()
    for rule in rules_for(tree, config.rules, config.profile, config.asked):
        for finding in rule.check(document):
            element = finding.element if finding.element is not None else root
            line = element.sourceline or 1
            if finding.attribute:
                explained.add((line, finding.attribute))
            add(line, locator.column(element, finding.attribute), rule.code, rule.severity, finding.message, locator.xpath(element))
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
                message = error.message
                if bundled and error.code in ("SCH001", "SCH002", "SCH003", "SCH006"):
                    from .guide import improve  # the bundled grammar's own account of what fits here

                    unknown = re.match(r"@([\w:]+) is not allowed", message)
                    message = improve(error.code, message, element, unknown.group(1) if unknown else None)
                add(element.sourceline or error.line, column, error.code, Severity.ERROR, message, locator.xpath(element))
            else:
                add(error.line, error.column or 1, error.code, Severity.ERROR, error.message, error.path)
        if errors and bundled:
            from .guide import unknown_attributes

            reported = {(p.line, p.message.split(" ", 1)[0]) for p in problems if p.code == "SCH003"}
            for element, name, message in unknown_attributes(tree):
                if (element.sourceline or 1, f"@{name}") not in reported:
                    add(element.sourceline or 1, locator.column(element, name), "SCH003", Severity.ERROR, message, locator.xpath(element))
    for schematron in config.schematrons():
        for problem in schematron.problems(tree, path, locator.column):
            if config.wants_schematron(problem.code):
                problems.append(problem)
    # Causes before effects: on a line, what the reader and the grammar say comes before the
    # rules and the Schematron, whose findings often follow from it.
    problems.sort(key=lambda p: (p.line, not p.code.startswith(("XML", "SCH")), p.column, p.code))
    return problems


def _not_tei(root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.localname == "TEI" and not qname.namespace:
        return '<TEI> has no namespace: write <TEI xmlns="http://www.tei-c.org/ns/1.0"> (nothing else in the file was checked)'
    if qname.namespace == TEI_NS:
        return f"<{qname.localname}> cannot be the root: a TEI document starts with <TEI>, which holds a teiHeader (nothing else in the file was checked)"
    where = f" in namespace {qname.namespace}" if qname.namespace else ""
    return f'<{qname.localname}>{where} is not a TEI document: the root must be <TEI xmlns="http://www.tei-c.org/ns/1.0"> (nothing else in the file was checked)'


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
                limit = xmlio.MAX_FILE_BYTES  # read at each call: `--max-size` sets it
                if size > limit:
                    return FileResult(path, [Problem(path, 1, 1, "XML003", Severity.ERROR, f"file is {size} bytes, larger than the limit of {limit} (raise it with --max-size)")])
                data = handle.readall()
    except OSError as exc:
        return FileResult(path, [Problem(path, 0, 0, "IO001", Severity.ERROR, f"cannot read: {exc.strerror or exc}")], unreadable=True)
    result = FileResult(path, validate_bytes(data, path, config))
    if config.ignored & READING_CODES:
        # Rare (a reading code was hidden): read the file once more with nothing hidden.
        bare = validate_bytes(data, path, Config(use_schema=False))
        result.hidden = next((p for p in bare if p.code in READING_CODES), None)
    return result


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
    config.schematrons()  # generated once; each worker compiles its own Saxon or lxml copy
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
