"""Header blocks: every field a `seg` with its type, in any order and mix, never a paragraph."""

from __future__ import annotations

from lxml import etree

from tei_tools.pages.reader import Line
from tei_tools.pages.structure import field_type, labelled, read_structure, Span
from tei_tools.xmlio import NSMAP

from .pages_support import convert, text, xp


def segs(root: etree._Element) -> list[tuple[str | None, str]]:
    return [(seg.get("type"), text(seg)) for seg in xp(root, "//tei:opener/tei:seg")]


def labels(root: etree._Element) -> list[str]:
    return [text(label) for label in xp(root, "//tei:opener/tei:seg/tei:label")]


def test_cipher_telegram_times_and_addresses(register) -> None:
    root, warnings = convert("ciphergram", register)
    assert [kind for kind, _ in segs(root)] == ["serial", "sent", "received", "addressee", "sender"]
    assert segs(root)[1][1] == "Dispatched from Havana on 11.02.1962 at 18:40 and received on 11.03.1962 at 09:15"
    assert labels(root) == ["To:", "From:"]
    # Tokens of a field feed the taxonomies: 'URGENT, EYES ONLY' in the address line.
    assert set(xp(root, "//tei:catRef/@target")) >= {"#precedence-urgent", "#classification-eyes-only"}
    assert not [w for w in warnings if "not a header field" in w]


def test_bare_labels_empty_values_and_values_over_lines(register) -> None:
    root, warnings = convert("bare-labels", register)
    assert segs(root) == [
        ("sender", "From: Ministry of Foreign Affairs, Department for Socialist Countries"),
        ("addressee", "To: the Embassies in Warsaw, Budapest, Sofia,"),
        ("addressee", "Bucharest and Belgrade"),
        ("subject", "Subject: The situation in Prague on 21 August"),
        ("references", "Annex:"),
    ]
    assert labels(root) == ["From:", "To:", "Subject:", "Annex:"]
    assert not [w for w in warnings if "not a header field" in w]
    assert text(xp(root, "//tei:body//tei:p")[0]).startswith("The troops of the five countries")


def test_column_aligned_header_handling_and_stamp(register) -> None:
    root, _ = convert("column-header", register)
    assert segs(root)[:5] == [
        ("classification", "TOP SECRET"),
        ("form", "CIPHER TELEGRAM"),
        ("serial", "Copy No. 4"),
        ("serial", "Special No. 2011"),
        ("precedence", "HIGHEST PRIORITY"),
    ]
    assert [kind for kind, _ in segs(root)[5:]] == ["handling", "handling", "stamp"]
    assert xp(root, "//tei:opener/tei:seg[@type='stamp']/tei:stamp")
    assert "#classification-top-secret" in xp(root, "//tei:catRef/@target")


def test_intelligence_report_form(register) -> None:
    root, warnings = convert("intelligence-report", register)
    assert [kind for kind, _ in segs(root)] == ["form", "country", "subject", "date", "acquired", "serial", "date", "appraisal", "pages", "references", "source"]
    assert labels(root)[:3] == ["COUNTRY:", "SUBJECT:", "DATE OF INFO.:"]
    assert xp(root, "//tei:opener/tei:seg[@type='date']/tei:date/@when") == ["1953-06", "1953-07-20"]
    # An empty value is still a field: the label alone.
    assert [text(s) for s in xp(root, "//tei:seg[@type='references']")] == ["REFERENCES:"]
    assert len(xp(root, "//tei:body//tei:p")) == 2 and not warnings


def test_meeting_header_fields_and_participants_by_side(register) -> None:
    root, _ = convert("meeting-header", register)
    assert segs(root) == [("time", "Time: 7 October 1961, 3:00 to 5:30 p.m."), ("place", "Place: Great Hall of the People, Beijing")]
    participants = xp(root, "//tei:div/tei:list[@type='participants']")[0]
    sides = participants.findall("tei:item/tei:list", NSMAP)
    assert [text(side.find("tei:head", NSMAP)) for side in sides] == ["Chinese side:", "Korean side:"]
    assert [text(item) for item in sides[0].findall("tei:item", NSMAP)] == ["LI Xiannian, Vice Premier", "YE Jizhuang, Minister of Foreign Trade"]
    roles = [text(label) for label in participants.findall("tei:item/tei:label", NSMAP)]
    assert roles == ["Interpreter:", "Recorder:"]
    # Fields and lists, never speaker turns; the turns that follow are turns, short ones too.
    assert [text(s) for s in xp(root, "//tei:sp/tei:speaker")] == ["Li Xiannian:", "Ri Ju-yeon:", "Li Xiannian:", "Ri Ju-yeon:"]


def test_unknown_label_is_still_a_field(register) -> None:
    root, warnings = convert("unknown-fields", register)
    assert segs(root) == [
        ("field", "Department: Foreign Relations, Section 4"),
        ("field", "Nature of document: Draft for the Politburo"),
        ("handling", "Approved by: Zhou Enlai, Chen Yi"),
        ("field", "Operational file: 74/J/12"),
    ]
    # Names in fields are tagged.
    approved = xp(root, "//tei:seg[@type='handling']")[0]
    assert [text(p) for p in approved.iterfind("tei:persName", NSMAP)] == ["Zhou Enlai", "Chen Yi"]
    assert not [w for w in warnings if "not a header field" in w]


def test_reference_numbers_of_every_shape(register) -> None:
    root, _ = convert("reference-shapes", register)
    assert segs(root)[:6] == [("serial", v) for v in ("No 76.069", "Nr. 0312/68", "004076/1968", "LS no.0692061-26", "Outgoing No. 345/III", "Ref: PA/12/68")]
    assert set(xp(root, "//tei:catRef/@target")) >= {"#precedence-urgent", "#classification-secret"}


def test_transmission_times_and_who_typed(register) -> None:
    root, _ = convert("transmission-times", register)
    assert [kind for kind, _ in segs(root)] == ["sent", "received", "decoded", "handling", "handling"]
    times = [xp(root, f"//tei:seg[@type='{kind}']/tei:date/@when") for kind in ("sent", "received", "decoded")]
    assert times == [["1962-10-30T14:00:00"], ["1962-10-31T02:10:00"], ["1962-10-31T03:05:00"]]
    assert [text(p) for p in xp(root, "//tei:seg[@type='handling']/tei:label")] == ["Typed by:", "Checked by:"]


def test_letterhead_and_handling_lines(register) -> None:
    root, warnings = convert("letterhead-handling", register)
    assert segs(root) == [
        ("sender", "MINISTRY OF STATE SECURITY"),
        ("sender", "Main Directorate A"),
        ("handling", "Personal. Destroy after reading"),
        ("handling", "Only for the head of department"),
        ("date", "Berlin, 1 December 1981"),
    ]
    assert text(xp(root, "//tei:div/tei:salute")[0]) == "Dear Comrade Colonel,"
    assert not warnings


def test_field_shapes_without_a_page() -> None:
    assert field_type("For the duty officer only") == "handling"
    assert field_type("Received on 10.31.1962 at 12:12") == "received"
    assert field_type("Came into the Deciphering Department on 10.31.1962 at 16:25") == "received"
    assert field_type("We have no 3 divisions there") is None  # a sentence with 'no' is not a serial
    kind, label, value = labelled(Span("Place & Date Acq.: Vienna, May 1955", 10))
    assert (kind, label.text, value.text, value.offset) == ("acquired", "Place & Date Acq.:", "Vienna, May 1955", 29)
    assert labelled(Span("Interpreter:", 0))[0] == "interpreter"


def test_a_header_line_that_is_prose_stays_text() -> None:
    lines = [Line(1, 0, "Subject: Talks"), Line(2, 15, "Note: the ambassador said at length that the talks would have to wait until the spring.")]
    structure = read_structure(lines, None)
    section = structure.sections[0]
    assert [f.type for f in section.opener] == ["subject"]
    assert [b.kind for b in section.body] == ["p"]


def test_short_lines_of_a_cipher_telegram_and_its_routing(register) -> None:
    """'Strictly secret.', 'From Berlin.', a distribution list at the head with a count per recipient."""
    root, warnings = convert("telegram-short-lines", register)
    assert [kind for kind, _ in segs(root)] == ["serial", "classification", "sender", "addressee", "sent", "decoded", "distribution"]
    routing = xp(root, "//tei:seg[@type='distribution']")[0]
    assert [(m.get("quantity"), m.text) for m in routing.iterfind("tei:measure", NSMAP)] == [("2", "2")] * 3
    assert "#classification-strictly-secret" in xp(root, "//tei:catRef/@target")
    # Who typed it closes the telegram; it opens no second document.
    assert len(xp(root, "//tei:div[@type='document']")) == 1
    assert [text(t) for t in xp(root, "//tei:div/tei:trailer")] == ["Typed by Sokolova on 4/12/53 at 14:20 p.m."]
    assert text(xp(root, "//tei:closer/tei:signed")[0]) == "12.IV.53 Ivanov"
    assert not warnings


def test_recipients_one_a_line_under_the_address(register) -> None:
    root, warnings = convert("routing-and-omission", register)
    assert [text(s) for s in xp(root, "//tei:seg[@type='routing']")] == ["Politburo", "Rapacki", "?", "Naszkowski"]
    # '[?]': a word the editor could not read, as a gap.
    assert xp(root, "//tei:seg[@type='routing']/tei:gap[@reason='illegible']/tei:desc/text()") == ["?"]
    assert not [w for w in warnings if "not a header field" in w]
    assert text(xp(root, "//tei:body//tei:p")[0]).startswith("The Foreign Minister asked me")


def test_omission_mark_before_the_heading(register) -> None:
    root, warnings = convert("opening-omission", register)
    div = xp(root, "//tei:div[@type='document']")[0]
    assert [etree.QName(c).localname for c in div][:4] == ["opener", "head", "salute", "list"]
    assert xp(div, "tei:opener/tei:seg[@type='omission']/tei:gap/@reason") == ["omitted"]
    assert text(div.find("tei:salute", NSMAP)) == "Comrade Li Qiang of the Ministry of Foreign Trade Delegation:"
    assert not [w for w in warnings if "not a header field" in w]
    assert text(xp(root, "//tei:abstract")[0]).startswith("Li Qiang is told")
