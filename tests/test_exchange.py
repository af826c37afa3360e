"""Exchange: CMIF's own constraints, the JSON form, and the HTML reading edition in a browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import ROOT, SHARED, TESTS

runner = CliRunner()
EDITIONS = [str(ROOT / "encoded"), str(TESTS / "golden")]
CMIF_RNG = SHARED / "reference" / "cmif" / "cmi-customization.rng"


@pytest.fixture(scope="module")
def cmif(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cmif") / "cmif.xml"
    result = runner.invoke(app, ["export", "cmif", *EDITIONS, "-o", str(out), "--url", "https://example.org/cmif.xml", "--base-url", "https://example.org/editions/"])  # some editions have no Record ID, so no address of their own
    assert result.exit_code == 0, result.output
    return out


def test_cmif_constraints(cmif: Path) -> None:
    root = parse_bytes(cmif.read_bytes()).getroot()
    header = root.find("tei:teiHeader", NSMAP)
    assert header.findtext("tei:fileDesc/tei:titleStmt/tei:editor", namespaces=NSMAP)
    assert header.findtext("tei:fileDesc/tei:publicationStmt/tei:publisher", namespaces=NSMAP)
    assert header.findtext("tei:fileDesc/tei:publicationStmt/tei:idno[@type='url']", namespaces=NSMAP) == "https://example.org/cmif.xml"
    assert header.find("tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence", NSMAP).get("target").startswith("http")
    bibl_ids = {b.get("{http://www.w3.org/XML/1998/namespace}id") for b in header.iterfind(".//tei:sourceDesc/tei:bibl", NSMAP)}
    descs = header.findall(".//tei:correspDesc", NSMAP)
    # One correspDesc per edition exported: the encoded sample and every golden file.
    assert len(descs) == len(list((ROOT / "encoded").glob("*.xml"))) + len(list((TESTS / "golden").glob("*.xml")))
    for desc in descs:
        assert desc.get("source")[1:] in bibl_ids
        assert desc.find("tei:correspAction[@type='sent']", NSMAP) is not None
        assert desc.find("tei:correspAction[@type='received']", NSMAP) is not None
        # The archive's address; an edition whose page had no Record ID is named by its digest.
        assert desc.get("ref").startswith(("https://digitalarchive.wilsoncenter.org/document/", "https://example.org/editions/"))  # the archive address, else --base-url + the record
    for date in root.iter("{http://www.tei-c.org/ns/1.0}date"):
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", date.get("when") or ""), date.get("when")
    for name in root.iterfind(".//tei:correspAction/*[@ref]", NSMAP):
        assert re.match(r"http://www\.(wikidata\.org/entity/Q\d+|geonames\.org/\d+)$|https://viaf\.org/viaf/\d+$", name.get("ref")), name.get("ref")


def test_cmif_sample_content(cmif: Path) -> None:
    root = parse_bytes(cmif.read_bytes()).getroot()
    desc = root.find(".//tei:correspDesc[@ref='https://digitalarchive.wilsoncenter.org/document/119037']", NSMAP)
    sent = desc.find("tei:correspAction[@type='sent']", NSMAP)
    assert [n.text for n in sent.iterfind("tei:orgName", NSMAP)] == ["International Liaison Department of the CCP Central Committee", "Ministry of Foreign Affairs of the People's Republic of China"]
    assert sent.find("tei:date", NSMAP).get("when") == "1964-10-30"
    received = desc.find("tei:correspAction[@type='received']", NSMAP)
    assert received.findtext("tei:persName", namespaces=NSMAP) == "Pan Zili"
    assert received.find("tei:persName", NSMAP).get("ref") is None  # no verified id: text only
    places = {p.text: p.get("ref") for p in received.iterfind("tei:placeName", NSMAP)}
    assert places["Romania"] == "http://www.geonames.org/798549"
    assert places["Soviet Union"] == "http://www.wikidata.org/entity/Q15180"


def test_cmif_valid_against_the_released_grammar(cmif: Path) -> None:
    if shutil.which("jing") is None or not CMIF_RNG.exists():
        pytest.skip("jing or ../shared/reference/cmif not available; CMIF grammar check skipped")
    result = subprocess.run(["jing", str(CMIF_RNG), str(cmif)], capture_output=True, text=True, check=False)
    assert result.stdout == "", result.stdout


def test_json_form(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "json", *EDITIONS, "-o", str(tmp_path)])
    assert result.exit_code == 0
    data = json.loads((tmp_path / "119037.json").read_text())
    assert data["format"] == "tei-tools edition 1" and data["id"] == "119037" and data["date"] == "1964-10-30"
    assert data["source"] == {"citation": "PRC FMA 109-02678-04, 33-38. Translated by Stephen Mercado.", "repository": "PRC FMA (Foreign Ministry Archive of the People's Republic of China)", "file": "109-02678-04", "pages": "33-38"}
    assert [p["key"] for p in data["correspondence"]["sent"]] == ["ccp-ild", "prc-mfa"]
    khrushchev = next(e for e in data["entities"] if e["key"] == "nikita-khrushchev")
    assert khrushchev["count"] == 9 and khrushchev["uri"] == "http://www.wikidata.org/entity/Q35314"
    assert data["distribution"]["total"] == 30
    assert data["distribution"]["dates"] == {"distributed": "1964-10-31T01:15:00", "copied": "1964-11-02T23:30:00"}
    assert {"text": "the 28th", "when": "1964-10-28", "evidence": "internal"} in data["dates"]
    lines = runner.invoke(app, ["export", "json", str(ROOT / "encoded")]).stdout.splitlines()
    assert json.loads(lines[0])["id"] == "119037"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = runner.invoke(app, ["export", "html", *EDITIONS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_internal_link_resolves(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    # A page per edition, the index and the three indexes of names.
    editions = len(list((ROOT / "encoded").glob("*.xml"))) + len(list((TESTS / "golden").glob("*.xml")))
    assert len(pages) == editions + 4
    ids = {page: {e.get("id") for e in lxml_html.parse(str(page)).iter() if isinstance(e.tag, str) and e.get("id")} for page in pages}
    checked = 0
    for page in pages:
        tree = lxml_html.parse(str(page))
        assert not tree.getroot().findall(".//script")
        for element in tree.iter("a", "link"):
            href = element.get("href")
            if href.startswith(("http://", "https://")):
                continue
            target, _, anchor = href.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page.name}: {href}"
            if anchor:
                assert anchor in ids[path], f"{page.name}: {href}"
            checked += 1
    assert checked > 300


def test_reading_view_shows_what_an_editor_expects(site: Path) -> None:
    page = (site / "documents" / "119037.html").read_text()
    assert '<span class="supplied" title="supplied by the editor">[Zhou]</span>' in page
    assert '<time datetime="1964-10-29"' in page
    assert 'href="../persons.html#nikita-khrushchev"' in page
    assert "Distribution" in page and "30 copies in total" in page
    marks = (site / "documents" / "131111.html").read_text()
    assert 'class="gap"' in marks and 'class="sic"' in marks and 'class="stamp"' in marks
    persons = (site / "persons.html").read_text()
    assert 'href="http://www.wikidata.org/entity/Q35314"' in persons and "(not linked to the register)" in persons


def test_pages_load_in_chromium_without_errors(site: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'); browser check skipped")
    for page in [site / "index.html", site / "persons.html", site / "places.html", site / "organisations.html", *sorted((site / "documents").glob("*.html"))]:
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        assert "</html>" in result.stdout and "<nav>" in result.stdout
        console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "ERR_FILE_NOT_FOUND" in line]
        assert console == [], console
