"""The three layouts of archive pages, whatever the order of their parts, and where the summary goes."""

from __future__ import annotations

from lxml import etree

from tei_tools.convert import convert_bytes
from tei_tools.encode.tei import text_digest
from tei_tools.pages import read_page
from tei_tools.render import render
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import GOLDEN
from .pages_support import convert, text, xp


def body_text(root: etree._Element) -> str:
    return " ".join(render(root).split())


def test_older_site_reads_the_citation_string(register) -> None:
    root, _ = convert("legacy-site", register)
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Report, Embassy of Hungary in North Korea to the Hungarian Foreign Ministry"
    assert xp(root, "//tei:creation/tei:date/@when") == ["1957-03-14"]
    assert xp(root, "//tei:publicationStmt/tei:idno[@type='WCDA']/text()") == ["900101"]
    assert xp(root, "//tei:respStmt/tei:persName/text()") == ["Ilona Vass"]
    assert text(xp(root, "//tei:bibl[@type='source']")[0]).startswith("MOL, XIX-J-1-j Korea, 7. doboz")
    assert text(xp(root, "//tei:abstract")[0]).startswith("The Hungarian chargé d'affaires reports")
    shown = body_text(root)
    for chrome in ("Search in", "get citation", "share document", "English HTML", "CITATION SHARE DOWNLOAD", "VIEW DOCUMENT IN", "REPORT, EMBASSY"):
        assert chrome not in shown
    assert shown.startswith("Our requests to visit the machine works")
    assert "reports on the difficulties" not in shown


def test_older_site_parts_in_another_order(register) -> None:
    """Summary after the citation string, the record only in the shared link, quotes in the title."""
    root, _ = convert("legacy-reordered", register)
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Captain Dan Marin, No. 41/0012/1982, 'Memo [on a Meeting with \"TULIP\"]'"
    assert xp(root, "//tei:publicationStmt/tei:idno[@type='WCDA']/text()") == ["900102"]
    abstract = text(xp(root, "//tei:abstract")[0])
    assert abstract.startswith("The source describes the mood") and abstract.endswith("keep contact with foreign visitors.")
    assert "The source describes" not in body_text(root)
    assert xp(root, "//tei:respStmt/tei:persName/text()") == ["Radu Ionescu"]


def test_a_page_without_record_id_gets_the_digest_of_its_text(register) -> None:
    page = GOLDEN / "legacy-no-record.txt"
    data, encoded = convert_bytes(page.read_bytes(), page.name, register=register)
    root = parse_bytes(data).getroot()
    digest = text_digest(page.read_text(encoding="utf-8"))
    assert xp(root, "//tei:publicationStmt/tei:idno[@type='digest']/text()") == [digest]
    assert digest.startswith("sha256:") and len(digest) == 7 + 64
    # The same text under another name, or with other line endings, has the same identifier.
    other, _ = convert_bytes(page.read_bytes().replace(b"\n", b"\r\n"), "renamed.txt", register=register)
    assert xp(parse_bytes(other).getroot(), "//tei:idno[@type='digest']/text()") == [digest]
    assert any("no Record ID" in warning for warning in encoded.warnings)
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Letter from the Polish Embassy in Hanoi on the Harvest"


def test_empty_record_id_on_the_current_site(register) -> None:
    root, warnings = convert("empty-record-id", register)
    assert len(xp(root, "//tei:publicationStmt/tei:idno[@type='digest']")) == 1
    assert not xp(root, "//tei:publicationStmt/tei:idno[@type='WCDA']")
    assert any("no Record ID" in warning for warning in warnings)


def test_a_record_id_that_is_no_number_is_not_used(register) -> None:
    source = (GOLDEN / "empty-record-id.txt").read_text(encoding="utf-8").replace("Record ID\n", "Record ID\n\nabc-12\n")
    data, encoded = convert_bytes(source.encode("utf-8"), "odd.txt", register=register)
    root = parse_bytes(data).getroot()
    assert not xp(root, "//tei:idno[@type='WCDA']") and xp(root, "//tei:idno[@type='digest']")
    assert any("'abc-12' is not a number" in warning for warning in encoded.warnings)


def test_staging_copy(register) -> None:
    """Single line breaks, another document's text before the date line, facets without values."""
    root, warnings = convert("staging-copy", register)
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Meeting between the Delegates of North and South Korea on Family Visits"
    assert xp(root, "//tei:creation/tei:date/@when") == ["1972-05-18"]
    assert text(xp(root, "//tei:abstract")[0]) == "The delegates discuss the lists of separated families and fix the date of their next meeting."
    assert [text(n) for n in xp(root, "//tei:notesStmt/tei:note[@type='other-document']")] == [
        "The delegates of both sides agree to meet again in the spring and to exchange the lists of the families concerned."
    ]
    assert any(w.startswith("line 1: text before the date line") for w in warnings)
    shown = body_text(root)
    for absent in ("Author(s)", "Associated Places", "Subjects Discussed", "Related Documents", "agree to meet again", "Preliminary Meeting"):
        assert absent not in shown
    assert [text(s) for s in xp(root, "//tei:sp/tei:speaker")] == ["North:", "South:", "North:", "South:"]


def test_related_documents_go_to_the_notes(register) -> None:
    root, _ = convert("related-documents", register)
    related = xp(root, "//tei:notesStmt/tei:note[@type='related-document']")
    assert [(n.findtext("tei:date", namespaces=NSMAP), n.get("type")) for n in related][0] == ("August 21, 1955", "related-document")
    assert xp(related[0], "tei:date/@when") == ["1955-08-21"]
    assert [text(n.find("tei:title", NSMAP)) for n in related] == [
        "Cable from the Chinese Foreign Ministry, 'America's Probing of Us'",
        "Cable from Wang Bingnan, 'Opinions on the Postponement'",
    ]
    assert text(related[0]).endswith("test China's bottom line on the release.")
    closer = xp(root, "//tei:closer")[0]
    assert "Probing" not in text(closer) and text(closer) == "Foreign Ministry August 24, 1955"
    assert text(xp(root, "//tei:abstract")[0]).startswith("The Foreign Ministry instructs Wang")


def test_summary_of_two_sentences_before_the_facets(register) -> None:
    root, _ = convert("current-summary", register)
    abstract = text(xp(root, "//tei:abstract")[0])
    assert abstract.startswith("Tito tells the Soviet ambassador") and abstract.endswith("passage on Hungary.")
    assert "Tito tells" not in body_text(root)
    assert len(xp(root, "//tei:body//tei:p")) == 3


def test_a_last_paragraph_is_no_summary(register) -> None:
    """Third person but the document's own: no facet labels mark the place, no reporting verb opens it."""
    root, _ = convert("unknown-fields", register)
    assert not xp(root, "//tei:abstract")
    assert "The delegation wishes to discuss" in body_text(root)


def test_every_content_line_is_accounted_for() -> None:
    """Each non-blank line is chrome, header, or document text; none is left out."""
    for path in sorted(GOLDEN.glob("*.txt")):
        source = path.read_text(encoding="utf-8-sig")
        page = read_page(source, path.name)
        numbers = {number for number, line in enumerate(source.split("\n"), start=1) if line.strip(" \t\u00a0")}
        assert numbers <= set(page.roles), (path.name, sorted(numbers - set(page.roles))[:5])
        assert {line.number for line in page.body} == {n for n, role in page.roles.items() if role == "document"}
        assert set(page.roles.values()) <= {"chrome", "header", "document"}


def test_older_site_without_a_date_line_takes_the_citation_date(register) -> None:
    source = (GOLDEN / "legacy-site.txt").read_text(encoding="utf-8").replace("March 14, 1957\n", "", 1)
    data, _ = convert_bytes(source.encode("utf-8"), "undated.txt", register=register)
    root = parse_bytes(data).getroot()
    assert xp(root, "//tei:creation/tei:date/@when") == ["1957-03-14"]
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Report, Embassy of Hungary in North Korea to the Hungarian Foreign Ministry"


def test_initials_do_not_end_the_summary_sentences(register) -> None:
    source = (GOLDEN / "current-summary.txt").read_text(encoding="utf-8").replace(
        "Tito tells the Soviet ambassador that he agrees with most of the Central Committee's letter. He asks for an explanation of the passage on Hungary.",
        "Tito tells N. S. Khrushchev's envoy V. A. Zorin and Mr. K. P. S. Menon that he agrees with the letter. He asks about Hungary.",
    )
    data, _ = convert_bytes(source.encode("utf-8"), "initials.txt", register=register)
    root = parse_bytes(data).getroot()
    assert text(xp(root, "//tei:abstract")[0]).startswith("Tito tells N. S. Khrushchev's envoy")
