"""Compiled Schematron run over parsed files: saxonche for XPath 2/3 schemas, lxml for XPath 1,
with the compiled stylesheet cached on disk by the schema's sha256."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from lxml import etree

from ...problems import Problem, Severity
from ...xmlio import parse_bytes, write_atomic
from .compiler import COMPILER_VERSION, OUT_NS, Check, compile_schema
from ..cachedir import cache_root, file_digest
from .source import SchematronError, Source, load

#: Prefix of every Schematron code, so `--select SCT` / `--ignore SCT` take them all.
CODE_PREFIX = "SCT"
#: A Schematron that could not run on a file (a dynamic XPath error, say).
RUN_ERROR = "SCT000"

_ERROR_ROLES = frozenset({"", "error", "fatal", "critical", "severe", "err"})
_WARNING_ROLES = frozenset({"warning", "warn", "nonfatal", "non-fatal", "caution"})
_INFO_ROLES = frozenset({"info", "information", "informative", "note", "hint", "tip"})


def severity_of(role: str) -> Severity:
    """An assert's or report's @role as a severity: error/fatal -> error, warning/warn -> warning,
    info/information -> warning (findings to read, never to fail a run unless --strict);
    an unknown role counts as an error, as a check with no role does."""
    if role in _WARNING_ROLES or role in _INFO_ROLES:
        return Severity.WARNING
    return Severity.ERROR


def code_of(check: Check) -> str:
    return f"{CODE_PREFIX}:{check.code}"


def cache_folder() -> Path:
    """The stylesheets' folder in the cache (see cachedir.cache_root)."""
    return cache_root() / "schematron"


@dataclass
class Stats:
    """Where the compiled stylesheet came from and what it cost (for the benchmark and --verbose)."""

    cached: bool = False
    generate_seconds: float = 0.0
    engine_seconds: float = 0.0


class CompiledSchematron:
    """One schema in one phase, ready to run: `findings(tree)` and `problems(tree, path)`."""

    def __init__(self, path: str | Path, *, phase: str | None = None, query_binding: str | None = None, cache: bool = True) -> None:
        self.path = Path(path)
        self.stats = Stats()
        started = time.perf_counter()
        text, checks, xpath2, self.phase = self._stylesheet(phase, query_binding, cache)
        self.stats.generate_seconds = time.perf_counter() - started
        self.checks = checks
        self.xpath2 = xpath2
        self._text = text
        self._runner: Callable[[etree._ElementTree], etree._Element] | None = None
        self._pid = -1

    # -- compiling and the cache -------------------------------------------------------------

    def _key(self, phase: str | None, query_binding: str | None) -> str:
        parts = [COMPILER_VERSION, _compiler_digest(), file_digest(self.path), phase or "#DEFAULT", query_binding or ""]
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    def _stylesheet(self, phase: str | None, query_binding: str | None, cache: bool) -> tuple[str, list[Check], bool, str]:
        try:
            key = self._key(phase, query_binding)
        except OSError as exc:
            raise SchematronError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        entry = cache_folder() / f"{key}.json"
        if cache:
            loaded = _read_cache(entry)
            if loaded is not None:
                self.stats.cached = True
                return loaded
        source: Source = load(self.path, query_binding=query_binding)
        compiled = compile_schema(source, phase)
        text = compiled.text()
        if cache:
            record = {"stylesheet": text, "checks": [asdict(c) for c in compiled.checks], "xpath2": compiled.xpath2, "phase": compiled.phase, "files": source.files}
            try:
                write_atomic(entry, json.dumps(record, ensure_ascii=False).encode("utf-8"))
            except OSError:
                pass  # a read-only cache folder only costs the next run the compilation
        return text, compiled.checks, compiled.xpath2, compiled.phase

    def stylesheet_text(self) -> str:
        return self._text

    def _compile_engine(self) -> Callable[[etree._ElementTree], etree._Element]:
        started = time.perf_counter()
        runner = _saxon_runner(self._text, self.path) if self.xpath2 else _lxml_runner(self._text, self.path)
        self.stats.engine_seconds = time.perf_counter() - started
        return runner

    def prepare(self) -> None:
        """Compile the stylesheet in the engine now (in this process); raises SchematronError."""
        if self._runner is None or self._pid != os.getpid():
            # A forked worker compiles its own: an engine made before fork is not to be shared.
            self._runner = self._compile_engine()
            self._pid = os.getpid()

    # -- running ------------------------------------------------------------------------------

    def findings(self, tree: etree._ElementTree) -> list[tuple[Check, etree._Element, str | None, str]]:
        """(check, element, attribute or None, message) for every failed assert and successful report."""
        self.prepare()
        assert self._runner is not None
        result = self._runner(tree)
        root = tree.getroot()
        found = []
        children: dict[etree._Element, list[etree._Element]] = {}  # many findings share their ancestors
        for finding in result.iter(f"{{{OUT_NS}}}f"):
            check = self.checks[int(finding.get("n", "0"))]
            element, attribute = locate(root, finding.get("at", ""), children)
            message = _message(finding)
            details = [_message(d) for d in finding.iter(f"{{{OUT_NS}}}d")]
            if details:
                message = f"{message} ({'; '.join(d for d in details if d)})"
            found.append((check, element, attribute, message))
        return found

    def problems(self, tree: etree._ElementTree, path: str, locate_column: Callable[[etree._Element, str | None], int] | None = None) -> list[Problem]:
        """The findings as problems; a schema that fails on this file gives one SCT000 problem."""
        self.prepare()  # a schema that does not compile is the caller's error, not this file's
        try:
            findings = self.findings(tree)
        except SchematronError as exc:
            return [Problem(path, 1, 1, RUN_ERROR, Severity.ERROR, str(exc))]
        problems = []
        for check, element, attribute, message in findings:
            column = locate_column(element, attribute) if locate_column else 0
            problems.append(Problem(path, element.sourceline or 1, column, code_of(check), severity_of(check.role), message or f"{check.kind} {check.test!r} ({check.pattern})", _xpath(element, attribute)))
        return problems


_DIGEST: list[str] = []


def _compiler_digest() -> str:
    """The compiler's own source is part of the key: a changed compiler never reads an old entry."""
    if not _DIGEST:
        folder = Path(__file__).parent
        _DIGEST.append(hashlib.sha256(b"".join((folder / name).read_bytes() for name in ("source.py", "compiler.py"))).hexdigest())
    return _DIGEST[0]


def _read_cache(entry: Path) -> tuple[str, list[Check], bool, str] | None:
    try:
        record = json.loads(entry.read_bytes())
        for name, digest in record["files"].items():
            if file_digest(Path(name)) != digest:
                return None  # an included file changed since
        return record["stylesheet"], [Check(**c) for c in record["checks"]], bool(record["xpath2"]), record["phase"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _message(element: etree._Element) -> str:
    text = element.text or ""
    # Only the finding's own text, not its diagnostics; white space as Schematron writers wrap it.
    return " ".join(text.split())


_STEP = re.compile(r"/(\d+)")


def locate(root: etree._Element, at: str, children: dict[etree._Element, list[etree._Element]] | None = None) -> tuple[etree._Element, str | None]:
    """The element (and attribute name) that `ttf:location`'s `/1/4/2/@{uri}name` names;
    `children` keeps each element's child elements for the next finding."""
    known = children if children is not None else {}
    path, _, attribute = at.partition("/@")
    element = root
    for index, step in enumerate(_STEP.findall(path)):
        if index == 0:
            continue  # the root element itself
        if element not in known:
            known[element] = [child for child in element if isinstance(child.tag, str)]
        below = known[element]
        position = int(step) - 1
        if not 0 <= position < len(below):
            break
        element = below[position]
    name = None
    if attribute:
        uri, _, local = attribute[1:].partition("}")
        name = local if not uri else ("xml:" + local if uri == "http://www.w3.org/XML/1998/namespace" else f"{{{uri}}}{local}")
    return element, name


def _xpath(element: etree._Element, attribute: str | None) -> str:
    steps = []
    node: etree._Element | None = element
    while node is not None:
        parent = node.getparent()
        qname = etree.QName(node)
        if parent is None:
            steps.append(f"/Q{{{qname.namespace or ''}}}{qname.localname}")
        else:
            position = 1 + sum(1 for s in node.itersiblings(preceding=True) if s.tag == node.tag)
            steps.append(f"/Q{{{qname.namespace or ''}}}{qname.localname}[{position}]")
        node = parent
    path = "".join(reversed(steps))
    return f"{path}/@{attribute}" if attribute else path


# -- the two engines ------------------------------------------------------------------------------

_SAXON: dict[int, object] = {}


def _saxon_processor():  # type: ignore[no-untyped-def]
    pid = os.getpid()
    if pid not in _SAXON:
        try:
            from saxonche import PySaxonProcessor
        except ImportError:  # pragma: no cover - saxonche is a dependency
            raise SchematronError("XPath 2/3 Schematron needs saxonche (pip install saxonche)") from None
        _SAXON.clear()
        _SAXON[pid] = PySaxonProcessor(license=False)
    return _SAXON[pid]


def _saxon_runner(text: str, path: Path) -> Callable[[etree._ElementTree], etree._Element]:
    from saxonche import PySaxonApiError

    processor = _saxon_processor()
    xslt = processor.new_xslt30_processor()
    try:
        executable = xslt.compile_stylesheet(stylesheet_text=text)
    except PySaxonApiError as exc:
        raise SchematronError(f"{path}: the Schematron does not compile: {_first_line(exc)}") from None
    if executable is None:
        raise SchematronError(f"{path}: the Schematron does not compile")

    def run(tree: etree._ElementTree) -> etree._Element:
        # The file was read by the hardened parser (no DTD, no entities, no XInclude); Saxon gets
        # its serialisation, so it never opens anything itself.
        try:
            node = processor.parse_xml(xml_text=etree.tostring(tree, encoding="unicode"))
            executable.set_global_context_item(xdm_item=node)
            output = executable.transform_to_string(xdm_node=node)
        except PySaxonApiError as exc:
            raise SchematronError(f"Schematron {path.name} failed on this file: {_first_line(exc)}") from None
        return parse_bytes((output or "<none/>").encode("utf-8")).getroot()

    return run


def _lxml_runner(text: str, path: Path) -> Callable[[etree._ElementTree], etree._Element]:
    try:
        transform = etree.XSLT(parse_bytes(text.encode("utf-8")), access_control=etree.XSLTAccessControl.DENY_ALL)
    except (etree.XSLTParseError, etree.XMLSyntaxError) as exc:
        raise SchematronError(f"{path}: the Schematron does not compile as XPath 1 (a queryBinding=\"xslt2\" schema?): {_first_line(exc)}") from None

    def run(tree: etree._ElementTree) -> etree._Element:
        try:
            return transform(tree).getroot()
        except etree.XSLTApplyError as exc:
            raise SchematronError(f"Schematron {path.name} failed on this file: {_first_line(exc)}") from None

    return run


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or ["unknown error"])[0][:300]


_LOADED: dict[tuple[str, str | None, str | None], CompiledSchematron] = {}


def compiled(path: str | Path, *, phase: str | None = None, query_binding: str | None = None) -> CompiledSchematron:
    """The schema compiled once per process (and cached on disk across processes)."""
    key = (str(Path(path).resolve()), phase, query_binding)
    if key not in _LOADED:
        _LOADED[key] = CompiledSchematron(path, phase=phase, query_binding=query_binding)
    return _LOADED[key]
