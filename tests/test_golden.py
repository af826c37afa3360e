"""Golden files: each page fixture converts to exactly its committed TEI (`--update-golden` rewrites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools.convert import convert_bytes

from .conftest import ROOT, SAMPLE, page_fixtures


@pytest.mark.parametrize("page", page_fixtures(), ids=lambda p: p.stem)
def test_fixture_matches_golden(page: Path, register, update_golden: bool) -> None:
    data, _ = convert_bytes(page.read_bytes(), page.name, register=register)
    golden = page.with_suffix(".xml")
    if update_golden:
        golden.write_bytes(data)
    assert golden.exists(), f"{golden} missing: run `make golden`"
    assert data == golden.read_bytes(), f"{page.name} no longer converts to {golden.name}; review the diff, then `make golden`"


def test_committed_edition_is_current(register) -> None:
    """encoded/119037.xml is byte for byte what `tei-tools convert` writes for the sample."""
    data, encoded = convert_bytes(SAMPLE.read_bytes(), SAMPLE.name, register=register)
    assert encoded.name == "119037"
    assert (ROOT / "encoded" / "119037.xml").read_bytes() == data


def test_same_input_same_bytes(register) -> None:
    first, _ = convert_bytes(SAMPLE.read_bytes(), SAMPLE.name, register=register)
    second, _ = convert_bytes(SAMPLE.read_bytes(), "other-name.txt", register=register)
    assert first == second
