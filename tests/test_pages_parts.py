"""Document parts: salutations, closers, datelines, trailers, turns, second documents, copies, brackets."""

from __future__ import annotations

import time

from lxml import etree

from tei_tools.convert import convert_bytes
from tei_tools.pages import read_page
from tei_tools.pages.marks import find_marks
from tei_tools.pages.structure import numeric_date, read_structure
from tei_tools.render import render
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import GOLDEN, SAMPLE
from .pages_support import convert, text, xp


def test_salutation_and_closer_of_a_body_and_a_person(register) -> None:
    root, _ = convert("salute-closer", register)
    assert [text(s) for s in xp(root, "//tei:opener/tei:seg")] == ["To the Central Committee of the Communist Party of China"]
    assert text(xp(root, "//tei:div/tei:salute")[0]) == "Dear Comrades,"
    closer = xp(root, "//tei:closer")[0]
    assert [(etree.QName(c).localname, text(c)) for c in closer] == [
        ("salute", "With communist greetings,"),
        ("signed", "THE CENTRAL COMMITTEE OF THE ROMANIAN WORKERS' PARTY"),
        ("signed", "First Secretary"),
        ("signed", "Nicolae Ceausescu"),
    ]


def test_numeric_dateline_and_telex_trailer(register) -> None:
    root, _ = convert("dateline-telex", register)
    dateline = xp(root, "//tei:closer/tei:dateline")[0]
    assert text(dateline) == "SOFIA, 71. 10. 03"
    assert xp(dateline, "tei:date/@when") == ["1971-10-03"]
    assert [text(t) for t in xp(root, "//tei:div/tei:trailer")] == ["NNNN"]
    assert xp(root, "//tei:closer/tei:salute/text()") == ["With comradely greetings,"]


def test_numeric_dates_read_only_when_clear() -> None:
    assert numeric_date("SOFIA, 71. 10. 03", "1971-10-03")[2] == "1971-10-03"
    assert numeric_date("Berlin, 3.X.1971", None)[2] == "1971-10-03"
    assert numeric_date("Havana, 10.31.1962", None)[2] == "1962-10-31"  # month first: 31 is no month
    assert numeric_date("71. 10. 03", None) is None  # two-digit fields need the document's year
    assert numeric_date("SOFIA, 71. 13. 03", "1971-10-03") is None


def test_speaker_turns_of_every_label_shape(register) -> None:
    root, _ = convert("speaker-shapes", register)
    speakers = [text(s) for s in xp(root, "//tei:sp/tei:speaker")]
    assert speakers == ["East (MÜLLER):", "West (BRANDES):", "Chairman:", "East (MÜLLER):", "Zhou Enlai Chou En-lai:", "Chairman:"]
    # A gloss in the speaker's label identifies him; the short turn 'Agreed.' is a turn.
    assert [text(n) for n in xp(root, "//tei:speaker/tei:note[@type='identification']")] == ["Chou En-lai"]
    assert text(xp(root, "//tei:sp")[2].find("tei:p", NSMAP)) == "Agreed."
    assert not xp(root, "//tei:body//tei:div/tei:p")


def test_cable_followed_by_an_information_report(register) -> None:
    root, _ = convert("cable-and-report", register)
    divs = xp(root, "//tei:div[@type='document']")
    assert [d.get("n") for d in divs] == ["1", "2"]
    assert [s.get("type") for s in divs[0].iterfind("tei:opener/tei:seg", NSMAP)] == ["classification", "addressee", "sender"]
    assert [s.get("type") for s in divs[1].iterfind("tei:opener/tei:seg", NSMAP)] == ["form", "country", "subject", "date"]
    assert text(divs[1].find("tei:p", NSMAP)).startswith("The refugees cross the passes")
    assert not xp(root, "//tei:abstract")  # the report's text is no summary


def test_numbered_copies_are_the_distribution_with_a_measure_each(register) -> None:
    root, _ = convert("copy-numbers", register)
    dist = xp(root, "//tei:div[@type='distribution']")[0]
    assert [(m.get("quantity"), text(m)) for m in dist.iterfind(".//tei:measure[@type='total']", NSMAP)] == [("4", "Four copies")]
    items = dist.findall("tei:list[@type='distribution']/tei:item", NSMAP)
    assert [(i.find("tei:measure", NSMAP).get("quantity"), text(i)) for i in items] == [
        ("2", "copies NºNº 1-2 to Cde. Kovacs"),
        ("1", "copy Nº 3 – to Cde. Szabo"),
        ("1", "Nº 4 to file"),
    ]
    assert text(xp(root, "//tei:closer/tei:signed")[0]) == "K. Varga"


def test_brackets_over_lines_glosses_and_glued_marks(register) -> None:
    root, _ = convert("brackets-glosses", register)
    body = xp(root, "//tei:body")[0]
    stamp = xp(body, ".//tei:stamp")
    assert len(stamp) == 1 and text(stamp[0]).startswith("Received by the General Department,") and text(stamp[0]).endswith("copy No. 2")
    glosses = [text(n) for n in xp(body, ".//tei:note[@type='identification']")]
    assert glosses == ["Tianjin", "Stalin"]
    assert not xp(body, ".//tei:supplied")
    note = xp(body, ".//tei:note[@place='foot']")[0]
    assert note.get("n") == "2" and text(note) == "The Minister of Railways."
    assert (note.getprevious() is not None and (note.getprevious().tail or "").endswith("Minister’s*")) or (note.getparent().text or "").endswith("Minister’s*")
    # Rendering gives the brackets back.
    shown = render(root)
    assert "TIENTSIN [Tianjin]" in shown and "[Stamp: Received by the General Department," in shown


def test_brackets_that_supply_text_stay_supplied() -> None:
    kinds = [(m.kind, m.value) for m in find_marks("the [North Korean] F[oreign] M[inistry] and [Zhou] Enlai and Raúl Roa [García] said")]
    assert kinds == [("supplied", "")] * 5


def test_reader_and_structure_stay_linear() -> None:
    """The sample repeated to about 3.3 MB: reading and splitting it into parts takes seconds, not minutes."""
    source = SAMPLE.read_text(encoding="utf-8")
    head, marker, info = source.partition("Document Information")
    text = head * 370 + marker + info
    assert len(text) > 3_000_000
    started = time.perf_counter()
    page = read_page(text, "big.txt")
    structure = read_structure(page.body, page.title)
    elapsed = time.perf_counter() - started
    assert len(structure.sections) >= 300
    assert elapsed < 20, f"{elapsed:.1f} s for {len(text) / 1e6:.1f} MB"


def test_footnote_number_glued_to_a_word(register) -> None:
    """The staging copy flattens superscripts: 'JELEN1' with a footnote line '[1] ...' below."""
    source = (GOLDEN / "ciphergram.txt").read_text(encoding="utf-8")
    source = source.replace("From: [Ambassador Bolesław] JELEŃ", "From: [Ambassador Bolesław] JELEŃ1").replace(
        "in the coming days.\n", "in the coming days.\n\n[1] Poland's ambassador in Havana.\n"
    )
    data, _ = convert_bytes(source.encode("utf-8"), "glued.txt", register=register)
    root = parse_bytes(data).getroot()
    note = xp(root, "//tei:note[@place='foot']")
    assert len(note) == 1 and note[0].get("n") == "1" and text(note[0]) == "Poland's ambassador in Havana."
    assert etree.QName(note[0].getparent()).localname == "seg"
    assert not any("Poland's ambassador" in text(p) for p in xp(root, "//tei:body//tei:p"))
    # A digit in a word with no footnote line to go with it stays text.
    plain, _ = convert_bytes(source.replace("\n\n[1] Poland's ambassador in Havana.\n", "\n").encode("utf-8"), "plain.txt", register=register)
    assert not xp(parse_bytes(plain).getroot(), "//tei:note[@place='foot']")


def test_translator_without_affiliation_and_summary_without_full_stop(register) -> None:
    source = (GOLDEN / "staging-copy.txt").read_text(encoding="utf-8")
    source = source.replace("Source\nOriginal Archive", "Source\nKorean Red Cross Archive 12-3. Translated by Lee Min (Example University).\nOriginal Archive")
    source = source.replace("fix the date of their next meeting.\n", "fix the date of their next meeting\n")
    data, _ = convert_bytes(source.encode("utf-8"), "staging.txt", register=register)
    root = parse_bytes(data).getroot()
    assert xp(root, "//tei:respStmt/tei:persName/text()") == ["Lee Min"]
    assert text(xp(root, "//tei:abstract")[0]).endswith("fix the date of their next meeting")


def test_counts_that_exceed_the_stated_total_stay_text(register) -> None:
    """'Three copies made', then copies 1-2 twice: the page contradicts itself; the output stays valid."""
    from tei_tools.validate import Config, validate_bytes

    source = (GOLDEN / "copy-numbers.txt").read_text(encoding="utf-8").replace("copy Nº 3 – to Cde. Szabo", "copies NºNº 1-3 – to Cde. Szabo")
    data, encoded = convert_bytes(source.encode("utf-8"), "contradiction.txt", register=register)
    root = parse_bytes(data).getroot()
    assert not xp(root, "//tei:list[@type='distribution']//tei:measure")
    assert [text(i) for i in xp(root, "//tei:list[@type='distribution']/tei:item")][1] == "copies NºNº 1-3 – to Cde. Szabo"
    assert any("exceed the total the page states (4)" in w for w in encoded.warnings)
    assert not [p for p in validate_bytes(data, "c.xml", Config.build()) if str(p.severity) == "error"]
