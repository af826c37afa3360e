"""`convert --report`: per page what was made of it, each warning with its line, and a summary line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import GOLDEN


def test_report_counts_fields_paragraphs_names_and_warnings(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("bare-labels", "staging-copy", "meeting-header"):
        (pages / f"{name}.txt").write_bytes((GOLDEN / f"{name}.txt").read_bytes())
    (pages / "zz-binary.txt").write_bytes(b"\x00\x01not a page")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["convert", str(pages), "-o", str(tmp_path / "out"), "--report", str(report)])
    assert result.exit_code == 2  # one input is not a page
    assert "4 pages: 1 with warnings, 1 not converted" in result.stderr
    document = json.loads(report.read_text(encoding="utf-8"))
    by_name = {Path(page["source"]).stem: page for page in document["pages"]}
    assert list(by_name) == ["bare-labels", "meeting-header", "staging-copy", "zz-binary"]
    assert by_name["bare-labels"]["fields"] == 5 and by_name["bare-labels"]["paragraphs"] == 2
    assert by_name["meeting-header"]["fields"] == 2
    tei = parse_bytes(Path(by_name["meeting-header"]["target"]).read_bytes()).getroot()
    names = tei.xpath("//tei:text//tei:persName | //tei:text//tei:placeName | //tei:text//tei:orgName | //tei:text//tei:rs", namespaces=NSMAP)
    assert by_name["meeting-header"]["names_linked"] == sum(1 for n in names if n.get("ref")) > 0
    assert by_name["meeting-header"]["names_unlinked"] == sum(1 for n in names if not n.get("ref"))
    assert by_name["staging-copy"]["warnings"] == [
        {"line": 1, "message": "text before the date line belongs to another document; kept as a note in the header"}
    ]
    assert by_name["zz-binary"]["status"] == "error" and "binary" in by_name["zz-binary"]["error"]
    summary = document["summary"]
    assert summary["pages"] == 4 and summary["with_warnings"] == 1 and summary["errors"] == 1
    assert summary["fields"] == sum(page.get("fields", 0) for page in document["pages"])


def test_one_page_without_report_keeps_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["convert", str(GOLDEN / "summary.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "pages:" not in result.stderr and not (tmp_path / "report.json").exists()
