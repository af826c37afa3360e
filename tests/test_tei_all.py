"""What passes the bundled schema also passes TEI All (checked with jing against ../shared)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .conftest import ROOT, TEI_ALL_RNG, TESTS, jing_or_skip


def _jing(files: list[Path], schema: Path) -> str:
    jing = jing_or_skip()
    result = subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, text=True, check=False)
    # Debian's wrapper warns on stderr about optional jars it cannot find; that is not jing's verdict.
    stderr = "".join(line for line in result.stderr.splitlines(keepends=True) if "Unable to locate" not in line)
    return result.stdout + stderr


def test_encoded_and_golden_files_valid_against_tei_all() -> None:
    files = sorted((ROOT / "encoded").glob("*.xml")) + sorted((TESTS / "golden").glob("*.xml"))
    assert len(files) >= 12
    assert _jing(files, TEI_ALL_RNG) == ""


def test_valid_cases_valid_against_tei_all() -> None:
    files = sorted((TESTS / "cases" / "valid").glob("*.xml"))
    assert files
    assert _jing(files, TEI_ALL_RNG) == ""


def test_packaged_register_valid_against_tei_all() -> None:
    assert _jing([ROOT / "tei_tools" / "annotate" / "data" / "register.xml"], TEI_ALL_RNG) == ""


def test_bundled_rng_agrees_with_bundled_xsd() -> None:
    """The RELAX NG form of the customization accepts the same valid files as the XSD."""
    files = sorted((ROOT / "encoded").glob("*.xml")) + sorted((TESTS / "cases" / "valid").glob("*.xml"))
    assert _jing(files, ROOT / "schemas" / "tei-tools.rng") == ""


def test_jing_catches_what_tei_all_forbids(tmp_path: Path) -> None:
    """The cross-check is real: a document TEI All rejects is reported."""
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p><div/></p></body></text></TEI>')
    assert "error" in _jing([bad], TEI_ALL_RNG)
