"""Everyday use: no false green, one plain line for every bad argument, the habits CLI users expect."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app

from .conftest import ROOT, SAMPLE

runner = CliRunner()
EDITION = ROOT / "encoded" / "119037.xml"
ERROR_LINE = re.compile(r"^tei-tools: error: \S.*: \S.*$")


def run(*args: str, env: dict | None = None, input: str | bytes | None = None):
    return runner.invoke(app, list(args), env=env, input=input)


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert ERROR_LINE.match(lines[0]), lines[0]
    assert "Traceback" not in result.output and "(<string>" not in lines[0]
    assert not re.search(r"\bxml[A-Z]\w+", lines[0]), lines[0]  # no libxml2 function names
    return lines[0]


# 1. No false green -------------------------------------------------------------------------------

def test_validate_on_a_folder_without_xml_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no *.xml file" in one_error_line(result)


def test_validate_expands_a_quoted_pattern_and_refuses_one_that_matches_nothing(tmp_path: Path) -> None:
    shutil.copy(EDITION, tmp_path / "a.xml")
    assert run("validate", str(tmp_path / "*.xml")).exit_code == 0
    result = run("validate", str(tmp_path / "*.tei"))
    assert result.exit_code == 2 and "matches no file" in one_error_line(result)


def test_convert_on_a_folder_without_pages_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing to convert")
    result = run("convert", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no *.txt page" in one_error_line(result)
    assert not (tmp_path / "out").exists()


def test_convert_takes_txt_in_capitals(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SAMPLE, pages / "PAGE.TXT")
    result = run("convert", str(pages), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "119037.xml").exists()


def test_min_coverage_without_any_name_fails_the_gate(tmp_path: Path) -> None:
    file = tmp_path / "plain.xml"
    text = EDITION.read_text(encoding="utf-8")
    body = re.sub(r"<text>.*</text>", "<text><body><p>No names here.</p></body></text>", text, flags=re.S)
    file.write_text(body, encoding="utf-8")
    result = run("entities", str(file), "--min-coverage", "90")
    assert result.exit_code == 1
    assert "no name mentions" in result.stderr
    assert "100.0%" not in result.stderr


@pytest.mark.parametrize("option", [["--ignore", "XML001"], ["--ignore", "XML"], ["--select", "REF"], ["--select", "xml002"]])
def test_hiding_a_reading_code_never_makes_a_broken_file_pass(tmp_path: Path, option: list[str]) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>')
    result = run("validate", *option, str(broken))
    assert result.exit_code == 1, result.output
    assert "XML001" not in result.stdout  # hidden as asked ...
    assert "could not be read" in result.stderr  # ... but said, and the run fails


REF_CASES = {
    "no-hash": ('<persName ref="#zhou-enlai">Zhou Enlai</persName>', '<persName ref="zhou-enlai">Zhou Enlai</persName>', "REF006"),
    "missing-register": ('<persName ref="#zhou-enlai">Zhou Enlai</persName>', '<persName ref="register-nowhere.xml#zhou-enlai">Zhou Enlai</persName>', "REF005"),
    "names-disagree": ('<persName ref="#zhou-enlai">Zhou Enlai</persName>', '<persName ref="#zhou-enlai">Deng Xiaoping</persName>', "NAM005"),
}


def _with_body(tmp_path: Path, fragment: str, name: str = "case.xml") -> Path:
    from tei_tools.validate.rules import EXAMPLE_TEMPLATE

    file = tmp_path / name
    file.write_text(EXAMPLE_TEMPLATE.format(fragment=f"<p>{fragment}</p>"), encoding="utf-8")
    return file


@pytest.mark.parametrize("case", sorted(REF_CASES))
def test_pointers_that_lead_nowhere_are_reported(tmp_path: Path, case: str) -> None:
    good, bad, code = REF_CASES[case]
    assert run("validate", "--strict", "--select", code, str(_with_body(tmp_path, good, "good.xml"))).exit_code == 0
    result = run("validate", "--strict", "--select", code, str(_with_body(tmp_path, bad, "bad.xml")))
    assert result.exit_code == 1 and f" {code} " in result.stdout, result.stdout


def test_pointer_into_an_existing_register_file_passes(tmp_path: Path) -> None:
    (tmp_path / "register.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><standOff><listPerson><person xml:id="zhou-enlai"><persName>Zhou Enlai</persName></person></listPerson></standOff></TEI>')
    file = _with_body(tmp_path, '<persName ref="register.xml#zhou-enlai">Zhou Enlai</persName>')
    result = run("validate", "--select", "REF005", str(file))
    assert result.exit_code == 0, result.stdout
    missing_key = _with_body(tmp_path, '<persName ref="register.xml#zhou-enla">Zhou Enlai</persName>', "other.xml")
    result = run("validate", "--select", "REF005", str(missing_key))
    assert result.exit_code == 1 and "zhou-enla" in result.stdout


@pytest.mark.parametrize("value", ['../schemas/" evil="1', "javascript:alert(1)/", "schemas ?>/", "a b/"])
def test_schema_href_is_checked(tmp_path: Path, value: str) -> None:
    result = run("convert", str(SAMPLE), "-o", str(tmp_path / "out"), "--schema-href", value)
    assert result.exit_code == 2
    assert "--schema-href" in one_error_line(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["not a url", "javascript:alert(1)", 'https://example.org/"x'])
def test_cmif_url_is_checked(tmp_path: Path, value: str) -> None:
    out = tmp_path / "cmif.xml"
    result = run("export", "cmif", str(EDITION), "-o", str(out), "--url", value)
    assert result.exit_code == 2
    assert "--url" in one_error_line(result)
    assert not out.exists()


# 2. No traceback on a bad argument ------------------------------------------------------------

def _bad_arguments(tmp: Path) -> dict[str, list[str]]:
    existing_file = tmp / "a-file.txt"
    existing_file.write_text("x")
    folder = tmp / "folder"
    folder.mkdir()
    bad_register = tmp / "register.xml"
    bad_register.write_text("<listPerson")
    no_ns = tmp / "no-namespace.xml"
    no_ns.write_text("<TEI><teiHeader/><text><body><p>x</p></body></text></TEI>")
    out = str(tmp / "out")
    sample, edition = str(SAMPLE), str(EDITION)
    return {
        "cmif-no-output": ["export", "cmif", edition],
        "cmif-output-folder": ["export", "cmif", edition, "-o", str(folder)],
        "cmif-output-dash": ["export", "cmif", edition, "-o", "-"],
        "cmif-no-namespace": ["export", "cmif", str(no_ns), "-o", out + ".xml"],
        "html-output-file": ["export", "html", edition, "-o", str(existing_file)],
        "html-no-namespace": ["export", "html", str(no_ns), "-o", out],
        "json-output-file": ["export", "json", edition, "-o", str(existing_file)],
        "json-no-namespace": ["export", "json", str(no_ns), "-o", out],
        "json-input-dash": ["export", "json", "-", "-o", out],
        "html-output-dash": ["export", "html", edition, "-o", "-"],
        "html-input-missing": ["export", "html", str(tmp / "nowhere"), "-o", out],
        "schema-copy-dash": ["schema", "--copy", "-"],
        "validate-max-size-bad": ["validate", "--max-size", "huge", edition],
        "convert-output-file": ["convert", sample, "-o", str(existing_file)],
        "convert-output-dash": ["convert", sample, "-o", "-"],
        "convert-register-folder": ["convert", sample, "-o", out, "--register", str(folder)],
        "convert-register-malformed": ["convert", sample, "-o", out, "--register", str(bad_register)],
        "convert-register-dash": ["convert", sample, "-o", out, "--register", "-"],
        "render-folder": ["render", str(folder)],
        "render-dash": ["render", "-"],
        "render-no-namespace": ["render", str(no_ns)],
        "render-malformed": ["render", str(bad_register)],
        "entities-no-namespace": ["entities", str(no_ns)],
        "entities-dash": ["entities", "-"],
        "validate-schema-folder": ["validate", "--schema", str(folder), edition],
        "validate-schema-malformed": ["validate", "--schema", str(bad_register), edition],
        "validate-jobs-negative": ["validate", "-j", "-3", edition],
        "validate-unknown-option": ["validate", "--colour", edition],
        "validate-no-path": ["validate"],
        "validate-unknown-code": ["validate", "--select", "NOPE9", edition],
        "rules-unknown-code": ["rules", "NOPE9"],
        "schema-copy-file": ["schema", "--copy", str(existing_file)],
    }


def test_every_bad_argument_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    cases = _bad_arguments(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    failures = []
    for name, args in cases.items():
        result = run(*args, input="")
        try:
            assert result.exit_code == 2, f"exit {result.exit_code}"
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            one_error_line(result)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}\n{result.output}")
    assert not failures, "\n".join(failures)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before  # nothing written


def test_bad_dates_are_one_line_too(tmp_path: Path) -> None:
    result = run("convert", str(SAMPLE), "-o", str(tmp_path / "out"), "--date", "2026-02-30")
    assert result.exit_code == 2 and one_error_line(result).startswith("tei-tools: error: --date: ")
    result = run("convert", str(SAMPLE), "-o", str(tmp_path / "out"), env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2 and one_error_line(result).startswith("tei-tools: error: SOURCE_DATE_EPOCH: ")
    assert not (tmp_path / "out").exists()


def test_a_crash_is_one_line_and_never_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import tei_tools.export.text as text

    def broken(tree):  # type: ignore[no-untyped-def]
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(text, "render", broken)
    result = run("render", str(EDITION))
    assert result.exit_code == 3
    assert one_error_line(result).startswith("tei-tools: error: internal error: RuntimeError: something unforeseen")


def test_per_file_errors_share_the_prefix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("convert", str(bad), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert one_error_line(result).startswith(f"tei-tools: error: {bad}: ")


# 5. CLI habits -------------------------------------------------------------------------------------

def test_short_help_and_choices_in_help() -> None:
    result = run("validate", "-h")
    assert result.exit_code == 0
    assert "[text|json|junit|github|sarif]" in result.stdout
    assert "--quiet" in result.stdout and "--max-size" in result.stdout
    assert result.stdout.count("TEI files, folders (searched for *.xml)") == 1  # the argument's help, once


def test_every_argument_has_a_help_text() -> None:
    import click
    from typer.main import get_command

    def walk(command: click.Command, path: str):
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")
        else:
            for param in command.params:
                yield path, param

    missing = []
    for path, param in walk(get_command(app), "tei-tools"):
        # typer keeps an argument's help text on the parameter and prints it in the help
        if not getattr(param, "help", None):
            missing.append(f"{path} {param.name}")
    assert not missing, missing


def test_quiet_keeps_results_and_drops_the_summary() -> None:
    result = run("validate", "--quiet", str(EDITION))
    assert result.exit_code == 0 and result.stderr == "" and result.stdout == ""


def test_rules_shows_one_rule_and_codes_are_case_insensitive(tmp_path: Path) -> None:
    result = run("rules", "ref001")
    assert result.exit_code == 0
    assert result.stdout.startswith("REF001 pointer-resolves") and "ID001" not in result.stdout
    bad = tmp_path / "bad.xml"
    bad.write_text(EDITION.read_text().replace('ref="#chen-yi"', 'ref="#nobody"'))
    assert run("validate", "--ignore", "ref001", "--ignore", "ref003", str(bad)).exit_code == 0


def test_jobs_range_is_checked() -> None:
    assert run("validate", "-j", "100000", str(EDITION)).exit_code == 2


def test_convert_reads_standard_input(tmp_path: Path) -> None:
    result = run("convert", "-", "-o", str(tmp_path), input=SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert (tmp_path / "119037.xml").read_bytes() == EDITION.read_bytes()


def test_max_size_is_raisable_and_lowerable(tmp_path: Path) -> None:
    result = run("validate", "--max-size", "1000", str(EDITION))
    assert result.exit_code == 1 and "XML003" in result.stdout and "--max-size" in result.stdout
    assert run("validate", "--max-size", "100M", str(EDITION)).exit_code == 0
    assert run("validate", "--max-size", "lots", str(EDITION)).exit_code == 2


def _bad_copy(folder: Path) -> Path:
    bad = folder / "bad.xml"
    bad.write_text(EDITION.read_text().replace('ref="#chen-yi"', 'ref="#nobody"'))
    return bad


def test_config_in_pyproject_found_by_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tei-tools]\nignore = ["REF001", "REF003"]\nformat = "json"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    bad = _bad_copy(deep)
    monkeypatch.chdir(deep)
    result = run("validate", str(bad))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["errors"] == 0
    # the command line wins, option by option
    result = run("validate", "--format", "text", "--ignore", "REF003", str(bad))
    assert result.exit_code == 1 and " REF001 " in result.stdout


def test_config_file_tei_tools_toml_and_its_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = _bad_copy(tmp_path)
    (tmp_path / "tei-tools.toml").write_text('strict = true\nselect = ["REF003"]\n')
    monkeypatch.chdir(tmp_path)
    assert run("validate", str(bad)).exit_code == 1  # REF003 is a warning; strict from the file
    (tmp_path / "tei-tools.toml").write_text('selct = ["REF003"]\n')
    result = run("validate", str(bad))
    assert result.exit_code == 2 and "selct" in one_error_line(result)
    (tmp_path / "tei-tools.toml").write_text('select = [\n')
    result = run("validate", str(bad))
    assert result.exit_code == 2 and "tei-tools.toml" in one_error_line(result)


def test_sarif_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = _bad_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "sarif", str(bad), str(EDITION))
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (only_run,) = log["runs"]
    driver = only_run["tool"]["driver"]
    assert driver["name"] == "tei-tools" and driver["version"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert only_run["results"]
    for item in only_run["results"]:
        assert item["ruleId"] in rule_ids
        assert driver["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        assert item["level"] in ("error", "warning", "note")
        assert item["message"]["text"]
        (location,) = item["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri == "bad.xml" or uri.startswith("file:///"), uri  # relative to the run, else an absolute URI
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1


# 6. Set-up and the library ---------------------------------------------------------------------

def test_schema_path_and_copy(tmp_path: Path) -> None:
    result = run("schema", "--path")
    assert result.exit_code == 0 and Path(result.stdout.strip(), "tei-tools.rng").exists()
    result = run("schema", "--copy", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    assert {p.name for p in (tmp_path / "schemas").iterdir()} >= {"tei-tools.rng", "tei-tools.xsd"}


def test_render_accepts_what_convert_bytes_returns() -> None:
    from tei_tools.convert import convert_bytes
    from tei_tools.render import render

    converted = convert_bytes(SAMPLE.read_bytes(), SAMPLE.name)
    assert render(converted) == render(converted[0]) == run("render", str(EDITION)).stdout
    assert "Copies: [Zhou] Enlai" in render(converted)


def test_readme_library_example_runs_and_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    import io

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## As a library\n.*?```python\n(.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README.md", "exec"), {})
    assert out.getvalue().strip()


def test_readme_pre_commit_snippet_is_usable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"### pre-commit\n.*?```yaml\n(.*?)```", readme, re.S).group(1)
    assert "repo: local" in snippet and "entry: tei-tools validate" in snippet and "example.org" not in snippet
    assert "../shared" in readme and "tei-tools schema --copy" in readme


def test_pyproject_licence_is_an_spdx_string() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
