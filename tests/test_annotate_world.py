"""Annotate over real TEI files of other projects (../shared/corpora/tei-world, read where present, never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools.encode.annotate_file import annotate_bytes
from tests.annotate_support import insertions_only, jing_errors
from tests.conftest import SHARED, jing_or_skip

WORLD = SHARED / "corpora" / "tei-world"


def _manifest_valid() -> set[str]:
    """The files the corpus' own record lists as valid against TEI All (jing, TEI All 4.12.0)."""
    valid = set()
    for line in (WORLD / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 6 and cells[6] == "valid":
            valid.add(cells[1])
    return valid


def _files() -> list[Path]:
    return sorted(WORLD.glob("*/*.xml")) if WORLD.is_dir() else []


@pytest.fixture(scope="module")
def world(register) -> dict[Path, tuple[bytes, object]]:
    files = _files()
    if not files:
        pytest.skip(f"no corpus at {WORLD}; the real-file checks are skipped")
    return {path: (path.read_bytes(), annotate_bytes(path.read_bytes(), str(path), register)) for path in files}


def test_every_file_is_its_input_plus_tags(world):
    changed = 0
    for path, (original, result) in world.items():
        assert not [p for p in result.problems if p.code in ("ANN002", "ANN005")], (path.name, result.problems)
        assert insertions_only(original, result.data), path.name
        changed += result.changed
    assert changed >= 5, "the corpus has English prose with names the register knows"


def test_a_second_run_changes_nothing(world, register):
    for path, (_, result) in world.items():
        if result.changed:
            assert annotate_bytes(result.data, str(path), register).data == result.data, path.name


def test_valid_files_stay_valid_against_tei_all(world, tmp_path):
    jing_or_skip()
    valid = _manifest_valid()
    changed = [(path, result) for path, (_, result) in world.items() if result.changed and f"{path.parent.name}/{path.name}" in valid]
    assert len(changed) >= 3, "some annotated inputs are valid, so the check means something"
    outputs = []
    for number, (path, result) in enumerate(changed):
        target = tmp_path / f"{number}-{path.name}"
        target.write_bytes(result.data)
        outputs.append(target)
    errors = jing_errors(outputs)
    broken = {target.name: errors[str(target)][:2] for target in outputs if errors[str(target)]}
    assert not broken
