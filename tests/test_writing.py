"""Writing: atomic, hand edits protected, --force keeps a backup, --dry-run writes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.convert import MANIFEST, convert_paths
from tei_tools.xmlio import write_atomic

from .conftest import SAMPLE

runner = CliRunner()


@pytest.fixture
def converted(tmp_path: Path) -> Path:
    out = tmp_path / "encoded"
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0
    return out


def test_second_run_leaves_file_unchanged(converted: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(converted)])
    assert result.exit_code == 0 and "unchanged" in result.stdout
    assert (converted / MANIFEST).exists()


def test_hand_edited_file_is_not_overwritten(converted: Path) -> None:
    target = converted / "119037.xml"
    edited = target.read_text().replace("Notes appended", "Notes appended (checked by the editor)")
    target.write_text(edited)
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(converted)])
    assert result.exit_code == 1
    assert "changed after tei-tools wrote it" in result.stderr
    assert target.read_text() == edited


def test_unknown_file_in_the_way_is_protected(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "119037.xml").write_text("<my-own-work/>")
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    assert (out / "119037.xml").read_text() == "<my-own-work/>"


def test_force_replaces_and_keeps_a_backup(converted: Path) -> None:
    target = converted / "119037.xml"
    original = target.read_bytes()
    target.write_text("hand edit")
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(converted), "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == original
    assert (converted / "119037.xml.bak").read_text() == "hand edit"
    assert "previous kept as" in result.stdout


def test_dry_run_writes_nothing_and_shows_the_change(converted: Path, tmp_path: Path) -> None:
    target = converted / "119037.xml"
    target.write_text(target.read_text().replace("Notes appended", "Notes appended!"))
    before = {p.name: p.read_bytes() for p in converted.iterdir()}
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(converted), "--dry-run"])
    assert result.exit_code == 0
    assert "would write" in result.stdout and "edited by hand" in result.stdout
    assert "-          <seg type=\"handling\">Notes appended!</seg>" in result.stdout
    assert {p.name: p.read_bytes() for p in converted.iterdir()} == before
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, ["convert", str(SAMPLE), "-o", str(fresh), "--dry-run"]).exit_code == 0
    assert not fresh.exists() or not any(fresh.iterdir())


def test_write_is_atomic(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.xml"
    target.write_bytes(b"old")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xml"]  # no temporary file left


def test_every_input_gets_a_result(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SAMPLE, pages / "b.txt")
    (pages / "a.txt").write_bytes(b"\x00\x00")
    (pages / "c.txt").write_text("")
    results = list(convert_paths([pages], tmp_path / "out"))
    assert [(Path(r.source).name, r.status) for r in results] == [("a.txt", "error"), ("b.txt", "written"), ("c.txt", "error")]
