"""Each variation real pages show, on a fixture written for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools.convert import convert_bytes
from tei_tools.pages import read_page
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import GOLDEN
from .pages_support import convert, text, xp


def test_no_chrome_single_line_breaks(register) -> None:
    root, warnings = convert("no-chrome-single-breaks", register)
    assert xp(root, "//tei:creation/tei:date/@when") == ["1962-03-03"]
    assert xp(root, "//tei:publicationStmt/tei:idno[@type='WCDA']/text()") == ["200101"]
    assert [text(s) for s in xp(root, "//tei:opener/tei:seg")] == ["Embassy of the People's Republic of China in Hanoi", "Confidential"]
    assert len(xp(root, "//tei:body//tei:p")) == 4
    assert xp(root, "//tei:closer/tei:dateline/tei:date/@when") == ["1962-03-02"]
    assert not warnings


def test_legacy_layout_with_citation(register) -> None:
    root, _ = convert("legacy-layout", register)
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Memorandum of Conversation with the Romanian Ambassador"
    assert xp(root, "//tei:publicationStmt/tei:idno[@type='WCDA']/text()") == ["300202"]
    assert text(xp(root, "//tei:msIdentifier/tei:repository")[0]).startswith("AVPRF")
    assert xp(root, "//tei:msIdentifier/tei:idno/text()") == ["f. 0125, op. 70, d. 14"]
    assert xp(root, "//tei:locus/@from") == ["3"] and xp(root, "//tei:locus/@to") == ["6"]
    assert xp(root, "//tei:creation/tei:date/@when") == ["1980-11"]
    assert xp(root, "//tei:textLang/@mainLang") == ["ru"]
    assert "Madrid" in text(xp(root, "//tei:abstract")[0])
    assert "Citation" not in text(xp(root, "//tei:text")[0])
    assert xp(root, "//tei:respStmt/tei:persName/text()") == ["Paul Reed"]


def test_missing_labels_and_empty_facets(register) -> None:
    root, warnings = convert("missing-labels", register)
    body = text(xp(root, "//tei:text")[0])
    for facet in ("Associated Places", "Author(s)", "Related Documents", "Original Archive"):
        assert facet not in body
    assert text(xp(root, "//tei:bibl[@type='source']")[0]).startswith("PRC FMA 110-01234-02")
    assert text(xp(root, "//tei:licence")[0]).startswith("The History and Public Policy Program")
    assert not xp(root, "//tei:publicationStmt/tei:date")  # empty upload date: nothing invented
    assert xp(root, "//tei:idno[@type='WCDA']/text()") == ["400303"]
    assert xp(root, "//tei:opener/tei:seg[@type='classification']/text()") == ["Top Secret"]


def test_summary_goes_to_abstract(register) -> None:
    root, _ = convert("summary", register)
    summary = "The Ministry of Culture reports on the tour of a Chinese orchestra in Poland and a proposed return visit."
    assert text(xp(root, "//tei:profileDesc/tei:abstract")[0]) == summary
    assert summary not in text(xp(root, "//tei:text")[0])
    assert xp(root, "//tei:funder/text()") == ["Example Foundation"]


def test_document_last_paragraph_is_not_a_summary(register) -> None:
    root, _ = convert("year-only", register)
    assert not xp(root, "//tei:abstract")
    assert "No agreement was reached" in text(xp(root, "//tei:text")[0])


def test_year_only_and_no_funder(register) -> None:
    root, _ = convert("year-only", register)
    assert xp(root, "//tei:creation/tei:date/@when") == ["1984"]
    assert xp(root, "//tei:correspAction[@type='sent']/tei:date/@when") == ["1984"]
    assert not xp(root, "//tei:funder")


def test_labelled_header_block(register) -> None:
    root, _ = convert("labelled-header", register)
    segs = [(s.get("type"), text(s)) for s in xp(root, "//tei:opener/tei:seg")]
    assert segs == [
        ("sender", "From: Embassy in Pyongyang"),
        ("addressee", "To: Ministry of Foreign Affairs"),
        ("addressee", "Sent to: Ji Pengfei"),
        ("handling", "Approved by: Ambassador Hao Deqing"),
        ("cc", "Copied to: Second Asian Affairs Department"),
        ("precedence", "Level: Urgent"),
        ("serial", "Dispatch No. 118"),
        ("serial", "Number: 22"),
        ("serial", "Serial number: 1966-0457"),
        ("handling", "Drafted: 13 May 1966"),
        ("subject", "Subject: Meeting with the Foreign Minister"),
        ("classification", "Secret"),
    ]
    assert xp(root, "//tei:catRef[@scheme='#precedence']/@target") == ["#precedence-urgent"]
    assert not xp(root, "//tei:seg[@type='serial']//tei:date")  # 1966-0457 is a number, not a year


def test_copy_notes_in_other_words(register) -> None:
    root, _ = convert("copy-notes", register)
    div = xp(root, "//tei:div[@type='distribution']")[0]
    totals = [(m.get("quantity"), text(m)) for m in div.iterfind(".//tei:measure[@type='total']", NSMAP)]
    assert totals == [("3", "Three copies"), ("3", "Three copies")]
    # Numbered copies: one recipient an item, the copies it got as a measure.
    numbered = xp(div, "tei:list[@type='distribution'][not(tei:head)]")[0]
    assert [(m.get("quantity"), text(m)) for m in numbered.iterfind("tei:item/tei:measure[@unit='copy']", NSMAP)] == [("2", "copies NºNº 1-2"), ("1", "copy Nº 3")]
    assert [text(p) for p in numbered.iterfind("tei:item/tei:persName", NSMAP)] == ["Novak", "Horvath"]
    recipients = xp(div, "tei:list[@type='distribution'][tei:head]")[0]
    assert text(recipients.find("tei:head", NSMAP)) == "Recipients:"
    assert [text(p) for p in recipients.iterfind("tei:item/tei:persName", NSMAP)] == ["Laszlo Kiss", "Janos Farkas"]


def test_lists_footnotes(register) -> None:
    root, _ = convert("lists-and-footnotes", register)
    lists = xp(root, "//tei:body//tei:list")
    assert [[text(label) for label in lst.iterfind("tei:label", NSMAP)] for lst in lists] == [
        ["(1)", "(2)"], ["1)", "2)"], ["1.", "2."], ["(a)", "(b)"], ["-", "-"],
    ]
    assert [lst.get("type") for lst in lists] == ["ordered"] * 4 + ["bulleted"]
    note = xp(root, "//tei:note[@place='foot']")[0]
    assert note.get("n") == "1" and text(note) == "Kim Jong Il."
    assert (note.getprevious() is None and note.getparent().text.endswith("KJI’s*"))
    assert "[1] Kim Jong Il." not in text(xp(root, "//tei:body")[0]).replace(text(note), "")


def test_conversation_and_participants(register) -> None:
    root, _ = convert("conversation", register)
    speakers = [text(s) for s in xp(root, "//tei:sp/tei:speaker")]
    assert speakers == ["North (KIM):", "Soviet (SUDARIKOV):", "North (KIM):", "Soviet (SUDARIKOV):"]
    participants = xp(root, "//tei:list[@type='participants']")[0]
    names = [(text(n), n.get("ref")) for n in participants.iterfind(".//tei:persName", NSMAP)]
    assert ("Kim Il Sung", "#kim-il-sung") in names
    assert ("Sudarikov", None) in names  # a name in a participant list, tagged, not linked


def test_two_documents_and_cut_off_page(register) -> None:
    root, warnings = convert("two-documents-cut-off", register)
    divs = xp(root, "//tei:body/tei:div[@type='document']")
    assert [d.get("n") for d in divs] == ["1", "2"]
    assert text(divs[1].find("tei:head", NSMAP)) == "List of Exhibits"
    assert divs[0].find("tei:closer", NSMAP) is not None
    assert text(divs[1].findall("tei:p", NSMAP)[-1]).endswith("asked whether the")
    assert any("mid-sentence" in warning for warning in warnings)


def test_editorial_marks(register) -> None:
    root, _ = convert("editorial-marks", register)
    body = xp(root, "//tei:body")[0]
    # 'Filippov [Stalin]': the bracket identifies the name before it; nothing was omitted.
    assert xp(body, ".//tei:note[@type='identification']/tei:persName[@ref='#joseph-stalin']/text()") == ["Stalin"]
    assert sorted(xp(body, ".//tei:gap/@reason")) == ["illegible", "omitted", "redacted"]
    assert xp(body, ".//tei:sic[not(parent::tei:choice)]/text()") == ["recieved"]
    assert xp(body, ".//tei:choice/tei:sic/text()") == ["informd"] and xp(body, ".//tei:choice/tei:corr/text()") == ["informed"]
    assert xp(body, ".//tei:stamp/text()") == ["Archive of the President, copy 1"]
    assert xp(body, ".//tei:note[@type='translator']/text()") == ["TN: the last line is handwritten in the original."]


def test_unknown_header_line_kept_as_paragraph_with_warning(register) -> None:
    page = (
        "May 1, 1960\n\nA Cable\n\nTop Secret\n\nwith thanks\n\nThe first paragraph of the cable says a good deal about nothing at all.\n\n"
        "Document Information\n\nSource\n\nArchive 1-2, 3.\n\nRecord ID\n\n42\n"
    )
    data, encoded = convert_bytes(page.encode(), "x.txt", register=register)
    root = parse_bytes(data).getroot()
    assert "with thanks" in [text(p) for p in xp(root, "//tei:body//tei:p")]
    assert any("with thanks" in w for w in encoded.warnings)


def test_page_reader_keeps_every_body_line() -> None:
    page = read_page((GOLDEN / "conversation.txt").read_text(encoding="utf-8"), "conversation.txt")
    assert page.record_id == "110909"
    assert page.body[0].text.startswith("Record of Conversation")
    assert page.body[-1].text.startswith("Soviet (SUDARIKOV): That question")


@pytest.mark.parametrize("name", [p.stem for p in sorted(GOLDEN.glob("*.txt"))])
def test_every_fixture_validates_clean(name: str, register) -> None:
    from tei_tools.validate import Config, validate_bytes

    page = GOLDEN / f"{name}.txt"
    data, _ = convert_bytes(page.read_bytes(), page.name, register=register)
    errors = [p for p in validate_bytes(data, name, Config.build()) if str(p.severity) == "error"]
    assert not errors, [str(p) for p in errors]


def test_outputs_point_to_bundled_schema(register) -> None:
    data, _ = convert_bytes((GOLDEN / "summary.txt").read_bytes(), "summary.txt", register=register)
    head = data.decode().split("<TEI")[0]
    assert 'href="../schemas/tei-tools.rng"' in head and 'href="../schemas/tei-tools.xsd"' in head


def test_register_link_needs_no_guess(register) -> None:
    """Ambiguous names stay unlinked: 'Germany' in 1964 may be either German state."""
    root = parse_bytes(convert_bytes((Path(__file__).parents[1] / "samples" / "119037.txt").read_bytes(), "s.txt", register=register)[0]).getroot()
    germany = [p for p in xp(root, "//tei:text//tei:placeName") if text(p) == "Germany"]
    assert germany and all(p.get("ref") is None for p in germany)


def test_page_dated_by_a_span_and_a_place_date_header(register) -> None:
    page = (
        "1960-1962\n\nNotes on Trade with Albania\n\nMoscow, 12 March 1962\n\nSecret\n\n"
        "The trade with Albania grew in each of the three years, and the ministry expects it to grow again.\n\n"
        "Document Information\n\nSource\n\nAVPRF, f. 1, op. 2, d. 3, ll. 4-5.\n\nRecord ID\n\n77\n"
    )
    data, encoded = convert_bytes(page.encode(), "span.txt", register=register)
    root = parse_bytes(data).getroot()
    assert text(xp(root, "//tei:titleStmt/tei:title")[0]) == "Notes on Trade with Albania"
    created = xp(root, "//tei:creation/tei:date")[0]
    assert (created.get("notBefore"), created.get("notAfter"), created.get("when")) == ("1960", "1962", None)
    assert xp(root, "//tei:correspAction[@type='sent']/tei:date/@notAfter") == ["1962"]
    assert [(s.get("type"), text(s)) for s in xp(root, "//tei:opener/tei:seg")] == [("date", "Moscow, 12 March 1962"), ("classification", "Secret")]
    assert not encoded.warnings


def test_counted_recipients_without_a_known_name(register) -> None:
    page = (
        "May 1, 1960\n\nA Cable\n\nThe first paragraph of the cable says a good deal about nothing at all.\n\n"
        "Copies: Ambassadors (3), Comrade Ivanov (2), file copies, 9 copies in total\n\nDocument Information\n\nRecord ID\n\n42\n"
    )
    data, _ = convert_bytes(page.encode(), "copies.txt", register=register)
    root = parse_bytes(data).getroot()
    items = xp(root, "//tei:list[@type='distribution']/tei:item")
    assert [text(item) for item in items] == ["Ambassadors (3)", "Comrade Ivanov (2)", "file copies"]
    assert [m.get("quantity") for m in xp(root, "//tei:item/tei:measure")] == ["3", "2"]
    assert xp(root, "//tei:item/tei:persName/text()") == ["Ivanov"]
