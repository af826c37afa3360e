"""Reporters: each format is what its consumers parse."""

from __future__ import annotations

import io
import json
import re

from lxml import etree

from tei_tools.problems import Problem, Severity
from tei_tools.validate.report import REPORTERS, Summary
from tei_tools.validate import FileResult

RESULTS = [
    FileResult("a.xml", []),
    FileResult("dir/b, c.xml", [
        Problem("dir/b, c.xml", 3, 7, "REF001", Severity.ERROR, '@ref="#x" points to no xml:id in this file'),
        Problem("dir/b, c.xml", 9, 1, "HDR004", Severity.WARNING, "no availability statement: say 100% how\nit may be reused"),
    ]),
]


def report(name: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    reporter = REPORTERS[name](out, err)
    summary = Summary()
    for result in RESULTS:
        reporter.file(result)
        summary.add(result)
    reporter.finish(summary)
    return out.getvalue(), err.getvalue()


def test_text() -> None:
    out, err = report("text")
    assert out.splitlines()[0] == 'dir/b, c.xml:3:7: error REF001 @ref="#x" points to no xml:id in this file'
    assert "2 files checked: 1 error, 1 warning" in err


def test_json() -> None:
    out, _ = report("json")
    data = json.loads(out)
    assert data["summary"] == {"files": 2, "errors": 1, "warnings": 1, "seconds": 0.0}
    assert data["files"][1]["problems"][0] == {"line": 3, "column": 7, "code": "REF001", "severity": "error", "message": '@ref="#x" points to no xml:id in this file', "xpath": ""}


def test_junit() -> None:
    out, _ = report("junit")
    suite = etree.fromstring(out.encode())
    assert suite.tag == "testsuite" and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == ["a.xml", "dir/b, c.xml"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure.get("type") == "REF001" and "HDR004" in failure.text


def test_github_workflow_commands() -> None:
    out, _ = report("github")
    lines = out.splitlines()
    assert len(lines) == 2
    command = re.compile(r"^::(error|warning) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^:]+)::(?P<msg>.*)$")
    first, second = command.match(lines[0]), command.match(lines[1])
    assert first and second
    assert first["file"] == "dir/b%2C c.xml" and first["line"] == "3" and first["col"] == "7" and first["title"] == "REF001"
    assert "%0A" in second["msg"] and "100%25" in second["msg"]


def test_text_respects_no_color(monkeypatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = Tty()
    REPORTERS["text"](out, io.StringIO()).file(RESULTS[1])
    assert "\033[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    out = Tty()
    REPORTERS["text"](out, io.StringIO()).file(RESULTS[1])
    assert "\033[" not in out.getvalue()
