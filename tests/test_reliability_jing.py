"""`validate --jing` behaves as the default check does: rules, formats, codes, --strict and stdin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app

from .conftest import ROOT

INVALID = ROOT / "tests" / "cases" / "invalid"
GOOD = ROOT / "encoded" / "119037.xml"

needs_jing = pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed (Debian package 'jing'); --jing not tested")


def run(*args: str, stdin: bytes | None = None):
    # The cases are fragments of our own editions without an xml-model: the house rules apply.
    return CliRunner().invoke(app, ["validate", "--jing", "--profile", "tei-tools", *args], input=stdin)


@needs_jing
def test_rules_and_grammar_both_run_and_json_is_the_same_shape() -> None:
    result = run("--format", "json", str(INVALID / "schema-unknown-attribute.xml"), str(INVALID / "ref-dangling.xml"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    codes = {Path(entry["path"]).name: {p["code"] for p in entry["problems"]} for entry in report["files"]}
    assert "SCH003" in codes["schema-unknown-attribute.xml"]
    assert "REF001" in codes["ref-dangling.xml"]
    assert report["summary"]["files"] == 2


@needs_jing
def test_select_ignore_and_stdin() -> None:
    bad = (INVALID / "schema-unknown-attribute.xml").read_bytes()
    selected = run("--select", "SCH003", "-", stdin=bad)
    assert selected.exit_code == 1 and selected.stdout.startswith("-:16:")
    assert all(" SCH003 " in line for line in selected.stdout.splitlines())
    assert run("--ignore", "SCH", "-", stdin=bad).exit_code == 0


@needs_jing
def test_strict_and_missing_files(tmp_path: Path) -> None:
    warned = str(INVALID / "register-entry-unused.xml")  # REF003, a warning, and nothing else
    assert run(warned).exit_code == 0
    assert run("--strict", warned).exit_code == 1
    missing = run(str(tmp_path / "missing.xml"), str(GOOD))
    assert missing.exit_code == 2 and "missing.xml" in missing.stderr


@needs_jing
def test_grammar_jing_cannot_take_is_a_usage_error(tmp_path: Path) -> None:
    assert run("--schema", str(ROOT / "schemas" / "tei-tools.xsd"), str(GOOD)).exit_code == 2
    broken = tmp_path / "broken.rng"
    broken.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="nowhere"/></start></grammar>')
    result = run("--schema", str(broken), str(GOOD))
    assert result.exit_code == 2 and "grammar" in result.stderr


def _fake_jing(tmp_path: Path, monkeypatch, script: str) -> None:
    """A `jing` on the PATH that behaves as a failing JVM does."""
    folder = tmp_path / "bin"
    folder.mkdir(parents=True)
    fake = folder / "jing"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")


def test_a_failing_jing_is_never_a_clean_file(tmp_path: Path, monkeypatch) -> None:
    from tei_tools.validate.jing import check_copies

    good = GOOD.read_bytes()
    _fake_jing(tmp_path, monkeypatch, 'echo "Exception in thread main java.lang.OutOfMemoryError" >&2; exit 3')
    results = check_copies(ROOT / "schemas" / "tei-tools.rng", [good, good])
    assert all(found and found[0][2] == "SCH000" and "OutOfMemoryError" in found[0][3] for found in results), results
    _fake_jing(tmp_path / "second", monkeypatch, 'echo "fatal: exception \\"java.lang.StackOverflowError\\" thrown: null"; exit 1')
    results = check_copies(ROOT / "schemas" / "tei-tools.rng", [good])
    assert results[0] and "StackOverflowError" in results[0][0][3]
    result = run(str(GOOD))
    assert result.exit_code == 1 and "SCH000" in result.stdout
