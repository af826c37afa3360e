"""Reporters: validation results as text, JSON, JUnit XML, GitHub workflow commands or SARIF 2.1.0."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Callable

from ..problems import Problem, Severity
from .pipeline import FileResult


import re

#: Characters XML 1.0 cannot hold at all, even as references (a file name may contain them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(found: re.Match[str]) -> str:
    return f"\\x{ord(found.group()):02x}" if ord(found.group()) < 0x100 else f"\\u{ord(found.group()):04x}"


def escape(text: str) -> str:
    """XML character data (kept here: xml.sax.saxutils pulls in urllib at start-up); characters
    XML cannot hold are written as visible escapes (\\x01), so the report stays well-formed."""
    return _NOT_XML.sub(_visible, text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;") + '"'


@dataclass
class Summary:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    failed_files: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.errors += result.errors
        self.warnings += result.warnings
        if result.problems:
            self.failed_files += 1

    def line(self) -> str:
        return f"{self.files} file{'s' if self.files != 1 else ''} checked: {self.errors} error{'s' if self.errors != 1 else ''}, {self.warnings} warning{'s' if self.warnings != 1 else ''} in {self.seconds:.2f} s"


class Reporter:
    """Writes results to `out` (standard output) and notes for people to `err`."""

    name = ""
    #: No summary line (--quiet); results are written all the same.
    quiet = False

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        self.out = out
        self.err = err

    def file(self, result: FileResult) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        if not self.quiet:
            self.err.write(summary.line() + "\n")


class TextReporter(Reporter):
    """`path:line:column: severity CODE message`, one problem a line."""

    name = "text"

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        super().__init__(out, err)
        self.color = hasattr(out, "isatty") and out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"

    def _severity(self, severity: Severity) -> str:
        if not self.color:
            return str(severity)
        return f"\033[{'31' if severity is Severity.ERROR else '33'}m{severity}\033[0m"

    def file(self, result: FileResult) -> None:
        for problem in result.problems:
            self.out.write(f"{problem.location()}: {self._severity(problem.severity)} {problem.code} {problem.message}\n")


class JsonReporter(Reporter):
    """One JSON document: every file with its problems, and the summary."""

    name = "json"

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        super().__init__(out, err)
        self.files: list[dict] = []

    def file(self, result: FileResult) -> None:
        self.files.append({"path": result.path, "problems": [_problem_dict(p) for p in result.problems]})

    def finish(self, summary: Summary) -> None:
        import json

        json.dump({"files": self.files, "summary": {"files": summary.files, "errors": summary.errors, "warnings": summary.warnings, "seconds": round(summary.seconds, 3)}}, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
        super().finish(summary)


def _problem_dict(problem: Problem) -> dict:
    return {"line": problem.line, "column": problem.column, "code": problem.code, "severity": str(problem.severity), "message": problem.message, "xpath": problem.xpath}


class JUnitReporter(Reporter):
    """JUnit XML: a test case per file, failed when it has problems (CI dashboards read this)."""

    name = "junit"

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        super().__init__(out, err)
        self.cases: list[str] = []
        self.failures = 0

    def file(self, result: FileResult) -> None:
        if not result.problems:
            self.cases.append(f'  <testcase classname="tei-tools.validate" name={quoteattr(result.path)}/>')
            return
        self.failures += 1
        body = "\n".join(f"{p.location()}: {p.severity} {p.code} {p.message}" for p in result.problems)
        first = result.problems[0]
        self.cases.append(
            f'  <testcase classname="tei-tools.validate" name={quoteattr(result.path)}>\n'
            f'    <failure type={quoteattr(first.code)} message={quoteattr(f"{len(result.problems)} problem(s); first: {first.message}")}>{escape(body)}</failure>\n'
            f"  </testcase>"
        )

    def finish(self, summary: Summary) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuite name="tei-tools validate" tests="{summary.files}" failures="{self.failures}" errors="0" time="{summary.seconds:.3f}">\n')
        for case in self.cases:
            self.out.write(case + "\n")
        self.out.write("</testsuite>\n")
        super().finish(summary)


def _escape_command(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


class GitHubReporter(Reporter):
    """GitHub Actions workflow commands (::error file=...::), shown as annotations on the diff."""

    name = "github"

    def file(self, result: FileResult) -> None:
        for problem in result.problems:
            level = "error" if problem.severity is Severity.ERROR else "warning"
            props = f"file={_escape_command(problem.path, property_value=True)},line={max(problem.line, 1)},col={max(problem.column, 1)},title={_escape_command(problem.code, property_value=True)}"
            self.out.write(f"::{level} {props}::{_escape_command(problem.message)}\n")


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _artifact_uri(path: str) -> str:
    """A path as code scanning wants it: relative to the working directory, with forward slashes."""
    from pathlib import Path
    from urllib.parse import quote

    if path == "-":
        return "stdin"
    relative = os.path.relpath(path) if os.path.isabs(path) else path
    if relative.startswith(".."):
        return Path(path).resolve().as_uri()  # outside the checkout: an absolute file URI
    return quote(relative.replace(os.sep, "/"), safe="/:@-._~")


class SarifReporter(Reporter):
    """SARIF 2.1.0 (one run, the rules met, one result per problem) for code scanning uploads."""

    name = "sarif"

    def __init__(self, out: IO[str], err: IO[str]) -> None:
        super().__init__(out, err)
        self.results: list[dict] = []
        self.rule_index: dict[str, int] = {}

    def _rule(self, code: str) -> int:
        if code not in self.rule_index:
            self.rule_index[code] = len(self.rule_index)
        return self.rule_index[code]

    def file(self, result: FileResult) -> None:
        for problem in result.problems:
            self.results.append({
                "ruleId": problem.code,
                "ruleIndex": self._rule(problem.code),
                "level": "error" if problem.severity is Severity.ERROR else "warning",
                "message": {"text": problem.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _artifact_uri(problem.path)},
                    "region": {"startLine": max(problem.line, 1), "startColumn": max(problem.column, 1)},
                }}],
            })

    def finish(self, summary: Summary) -> None:
        import json

        from .. import __version__
        from .pipeline import FIXED_CODES
        from .rules import load_all

        registry = load_all()
        rules = []
        for code in self.rule_index:  # in index order: dicts keep insertion order
            rule = registry.get(code)
            description = rule.summary() if rule else FIXED_CODES.get(code, code)
            entry: dict = {"id": code, "shortDescription": {"text": description}}
            if rule:
                entry["name"] = rule.name
                entry["fullDescription"] = {"text": " ".join(rule.doc.split("Fails:")[0].split())}
                entry["defaultConfiguration"] = {"level": "error" if rule.severity is Severity.ERROR else "warning"}
            rules.append(entry)
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "tei-tools", "version": __version__, "informationUri": "https://tei-c.org/guidelines/p5/", "rules": rules}},
                "results": self.results,
            }],
        }
        json.dump(log, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")
        super().finish(summary)


REPORTERS: dict[str, Callable[[IO[str], IO[str]], Reporter]] = {
    reporter.name: reporter for reporter in (TextReporter, JsonReporter, JUnitReporter, GitHubReporter, SarifReporter)
}


def default_format() -> str:
    """`github` under GitHub Actions, else `text`."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
