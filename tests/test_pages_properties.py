"""Generated pages of every layout and header mix: what convert writes always passes `tei-tools validate`."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei_tools.convert import convert_bytes
from tei_tools.render import render
from tei_tools.validate import Config, validate_bytes
from tei_tools.xmlio import parse_bytes

WORDS = st.sampled_from("the embassy minister talks delegation trade border report comrade agreed situation question proposal army party".split())
NAME = st.sampled_from(["Zhou Enlai", "Kim Il Sung", "Ji Pengfei", "A. Novak", "Filippov [Stalin]", "TIENTSIN [Tianjin]", "[Ambassador] JELEN"])
VALUE = st.one_of(
    st.just(""),
    NAME,
    st.sampled_from(["No. 416", "004076/1955", "10.31.1962 at 14:20", "12 May 1966", "URGENT, EYES ONLY", "B-2", "Top Secret"]),
    st.lists(WORDS, min_size=1, max_size=5).map(" ".join),
)
LABEL = st.sampled_from(["From", "To", "Subject", "No.", "Level", "Country", "Date of Info.", "Place & Date Acq.", "Appraisal", "Time", "Place", "Interpreter", "Approved by", "Operational file", "Received", "Nature of document"])
FIELD = st.one_of(
    st.tuples(LABEL, VALUE).map(lambda t: f"{t[0]}: {t[1]}".rstrip()),
    st.tuples(LABEL, VALUE).map(lambda t: f"{t[0]}:\n{t[1]}" if t[1] else f"{t[0]}:"),
    st.sampled_from(["TOP SECRET          CIPHER TELEGRAM", "Destroy after use", "Ciphergram No. 16052", "[Stamp: received\n12 March]", "MINISTRY OF FOREIGN AFFAIRS", "Copy No. 2"]),
)
SENTENCE = st.lists(st.one_of(WORDS, NAME), min_size=9, max_size=25).map(lambda ws: " ".join(ws).capitalize() + ".")
ENDING = st.lists(st.sampled_from(["Embassy in Pyongyang", "(signed) P. Mladenov", "SOFIA, 71. 10. 03", "14 May 1966", "NNNN", "Three copies made", "copies NºNº 1-2 to Cde. Novak", "With comradely greetings,"]), max_size=4)
SUMMARY = st.one_of(st.just(None), SENTENCE.map(lambda s: "The Embassy reports that " + s[0].lower() + s[1:]))
RECORD = st.sampled_from(["123456", "", "n/a"])
LAYOUT = st.sampled_from(["current", "staging", "legacy"])


def build(layout: str, fields: list[str], paragraphs: list[str], ending: list[str], summary: str | None, record: str) -> str:
    title = "Telegram from the Embassy on the Talks"
    document = fields + paragraphs + ending
    if layout == "legacy":
        head = ["Search in", "Digital Archive International History Declassified", "May 14, 1966", title.upper(), "  • Citation", "get citation"]
        head += [summary] if summary else []
        head += [f'"{title}," May 14, 1966, History and Public Policy Program Digital Archive, AVPRF, f. 1, op. 2, d. 3, l. 4. Translated by Ann Lee.']
        head += ["  • share document", "VIEW DOCUMENT IN", "English HTML"]
        return "\n".join(head + document) + "\n"
    info = ["Document Information", "Source", "PRC FMA 106-01480-05, 21-22. Translated by Grace Park.", "Rights", "Reuse welcome.", "Type", "Telegram", "Record ID"] + ([record] if record else [])
    facets = ["Author(s):", "Associated Places", "Subjects Discussed"]
    lines = ["Skip to content", "May 14, 1966", title] + document + ([summary] if summary else []) + facets + info
    return ("\n" if layout == "staging" else "\n\n").join(lines) + "\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LAYOUT, st.lists(FIELD, max_size=6), st.lists(SENTENCE, min_size=1, max_size=3), ENDING, SUMMARY, RECORD)
def test_generated_pages_validate(register, layout, fields, paragraphs, ending, summary, record) -> None:
    source = build(layout, fields, paragraphs, ending, summary, record)
    data, encoded = convert_bytes(source.encode("utf-8"), "generated.txt", register=register)
    errors = [str(p) for p in validate_bytes(data, "generated.xml", Config.build()) if str(p.severity) == "error"]
    assert not errors, (errors, source)
    tree = parse_bytes(data)
    shown = render(tree)
    # The summary is never document text; the document's own first paragraph always is.
    if summary:
        assert summary[:40] not in shown, source
    assert paragraphs[0].split()[1] in shown
