"""The command: every exit code, the line per file, the formats and options."""

from __future__ import annotations

import re
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app

from .conftest import ROOT, SAMPLE

runner = CliRunner()


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "119037.txt")
    shutil.copy(ROOT / "tests" / "golden" / "summary.txt", folder / "summary.txt")
    return folder


def test_convert_writes_one_file_per_page_named_by_record_id(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("convert", str(pages), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.xml")) == ["119037.xml", "500404.xml"]
    assert "119037.txt -> " in result.stdout and "wrote" in result.stdout
    assert (out / "119037.xml").read_bytes() == (ROOT / "encoded" / "119037.xml").read_bytes()


def test_convert_names_file_after_input_without_record_id(tmp_path: Path) -> None:
    page = tmp_path / "untitled-page.txt"
    page.write_text("March 1964\n\nA Note\n\nThe note has a sentence or two in it, and nothing more than that.\n")
    result = run("convert", str(page), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "untitled-page.xml").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary\xff", b"<!DOCTYPE html><html><body>x</body></html>", b'<?xml version="1.0"?><TEI xmlns="http://www.tei-c.org/ns/1.0"/>', b"just a line of prose that is not a page at all"],
    ids=["empty", "binary", "html", "tei", "prose"],
)
def test_convert_refuses_what_is_not_a_page(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    out = tmp_path / "out"
    result = run("convert", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "error" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(out.glob("*.xml")) if out.exists() else True


def test_batch_goes_on_after_a_bad_file(pages: Path, tmp_path: Path) -> None:
    (pages / "aaa-broken.txt").write_bytes(b"\xff\xfe\xfa not utf")
    out = tmp_path / "out"
    result = run("convert", str(pages), "-o", str(out))
    assert result.exit_code == 2
    assert "aaa-broken.txt" in result.stderr
    assert sorted(p.name for p in out.glob("*.xml")) == ["119037.xml", "500404.xml"]


def test_convert_missing_input_is_usage_error(tmp_path: Path) -> None:
    result = run("convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path))
    assert result.exit_code == 2


def test_change_date_from_option_and_source_date_epoch(tmp_path: Path) -> None:
    run("convert", str(SAMPLE), "-o", str(tmp_path / "a"), "--date", "2026-01-02")
    assert '<change when="2026-01-02">' in (tmp_path / "a" / "119037.xml").read_text()
    run("convert", str(SAMPLE), "-o", str(tmp_path / "b"), env={"SOURCE_DATE_EPOCH": "86400"})
    assert '<change when="1970-01-02">' in (tmp_path / "b" / "119037.xml").read_text()
    assert run("convert", str(SAMPLE), "-o", str(tmp_path / "c"), "--date", "2026-02-30").exit_code == 2


def test_validate_clean_is_zero() -> None:
    result = run("validate", str(ROOT / "encoded"))
    assert result.exit_code == 0, result.output
    assert "1 file checked: 0 errors" in result.stderr


def test_validate_problems_is_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text((ROOT / "encoded" / "119037.xml").read_text().replace('ref="#chen-yi"', 'ref="#chen-yii"'))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    line = result.stdout.strip().splitlines()[0]
    assert line.startswith(f"{bad}:") and ": error REF001 " in line


def test_validate_unreadable_and_usage_errors_are_two(tmp_path: Path) -> None:
    assert run("validate", str(tmp_path / "missing.xml")).exit_code == 2
    assert run("validate", "--select", "NOPE999", str(ROOT / "encoded")).exit_code == 2
    assert run("validate", "--format", "yaml", str(ROOT / "encoded")).exit_code == 2
    assert run("validate", "--schema", str(tmp_path / "none.xsd"), str(ROOT / "encoded")).exit_code == 2


def test_folders_are_searched_in_path_order_without_following_links(tmp_path: Path) -> None:
    from tei_tools.validate import iter_files

    for name in ("b.xml", "a/z.xml", "a-c/y.xml", "a/deeper/x.xml", "notes.txt", "folder.xml/inside.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<TEI/>")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # would never end if followed
    found = [Path(path).relative_to(tmp_path).as_posix() for path in iter_files([str(tmp_path)])]
    assert found == ["a/deeper/x.xml", "a/z.xml", "a-c/y.xml", "b.xml", "folder.xml/inside.xml"]
    assert found == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*.xml")) if p.is_file() and "loop" not in p.parts]


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    file = tmp_path / "w.xml"
    file.write_text((ROOT / "encoded" / "119037.xml").read_text().replace("<availability>", "<!-- --><availability>").replace(
        '<funder>Henry Luce Foundation</funder>', '<funder>Henry Luce Foundation</funder>'))
    text = file.read_text()
    start, end = text.index("<availability>"), text.index("</availability>") + len("</availability>")
    file.write_text(text[:start] + text[end:])
    assert run("validate", str(file)).exit_code == 0
    assert run("validate", "--strict", str(file)).exit_code == 1


def test_validate_stdin() -> None:
    data = (ROOT / "encoded" / "119037.xml").read_text()
    result = runner.invoke(app, ["validate", "-"], input=data.replace('when="1964-10-30"', 'when="1964-10-32"', 1))
    assert result.exit_code == 1
    assert result.stdout.startswith("-:")


def test_select_and_ignore(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text((ROOT / "encoded" / "119037.xml").read_text().replace('ref="#chen-yi"', 'ref="#nobody"'))
    assert run("validate", "--ignore", "REF001", "--ignore", "REF003", str(bad)).exit_code == 0
    only = run("validate", "--select", "REF", str(bad))
    assert only.exit_code == 1 and all(" REF00" in line for line in only.stdout.splitlines())
    assert run("validate", "--select", "DAT", str(bad)).exit_code == 0


def test_json_format_parses() -> None:
    result = run("validate", "--format", "json", "--profile", "tei-tools", str(ROOT / "tests" / "cases" / "invalid"))
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["summary"]["errors"] > 0 and data["files"][0]["problems"][0]["code"]


def test_github_format_chosen_under_actions() -> None:
    result = run("validate", str(ROOT / "tests" / "cases" / "invalid"), env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert all(line.startswith(("::error file=", "::warning file=")) for line in result.stdout.splitlines())


def test_parallel_gives_the_same_report() -> None:
    folder = str(ROOT / "tests" / "cases")
    one = run("validate", "--format", "json", folder)
    two = run("validate", "--format", "json", "-j", "2", folder)
    assert json.loads(one.stdout)["files"] == json.loads(two.stdout)["files"]


def test_render_and_rules() -> None:
    result = run("render", str(ROOT / "encoded" / "119037.xml"))
    assert result.exit_code == 0
    assert "Copies: [Zhou] Enlai, [Deng] Xiaoping" in result.stdout
    rules = run("rules")
    assert rules.exit_code == 0 and "REF001 pointer-resolves" in rules.stdout and "Fails:" in rules.stdout


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("tei-tools ")
    assert run().exit_code in (0, 2)


def test_explain_adds_the_xmlschema_account() -> None:
    case = str(ROOT / "tests" / "cases" / "invalid" / "schema-empty-list.xml")
    plain = run("validate", case)
    explained = run("validate", "--explain", case)
    assert plain.exit_code == explained.exit_code == 1
    assert "xmlschema:" not in plain.stdout and "(xmlschema: " in explained.stdout


def test_plain_run_does_not_import_xmlschema() -> None:
    """xmlschema is loaded only to explain failures, so a one-file run starts fast."""
    import subprocess
    import sys

    code = "import sys; from tei_tools.cli import app\ntry:\n    app(['validate', sys.argv[1]])\nexcept SystemExit:\n    pass\nprint('xmlschema' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "encoded" / "119037.xml")], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


def test_other_schema_relax_ng_through_lxml() -> None:
    bad = str(ROOT / "tests" / "cases" / "invalid" / "schema-unknown-attribute.xml")
    rng = str(ROOT / "schemas" / "tei-tools.rng")
    assert run("validate", "--schema", rng, str(ROOT / "encoded")).exit_code == 0
    result = run("validate", "--schema", rng, "--select", "RNG", bad)
    assert result.exit_code == 1 and ":16:" in result.stdout


def test_jing_when_asked() -> None:
    if shutil.which("jing") is None:
        pytest.skip("jing is not installed; --jing not tested")
    bad = str(ROOT / "tests" / "cases" / "invalid" / "schema-unknown-attribute.xml")
    result = run("validate", "--jing", bad)
    assert result.exit_code == 1
    assert re.search(r"schema-unknown-attribute\.xml:16:\d+: error SCH003 attribute \"colour\" not allowed", result.stdout)
    assert run("validate", "--jing", str(ROOT / "encoded")).exit_code == 0
