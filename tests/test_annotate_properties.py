"""Property: annotating generated TEI (references, CDATA, comments, nested markup) only ever inserts tags."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tei_tools.annotate.register import load_register
from tei_tools.encode.annotate_file import annotate_bytes
from tei_tools.xmlio import parse_bytes
from tests.annotate_support import insertions_only

REGISTER = load_register()
WORDS = ["Zhou Enlai", "Moscow", "Nikita Khrushchev", "3 May 1965", "the", "met", "in", "Kosygin", "Premier", "Beijing", "Mao", "Zedong", "1964", "October"]
# Pieces of text as they may stand in a file: words, white space, references, CDATA, comments, instructions.
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([" ", "  ", "\n", "\t", "\r\n", ", ", ". "]),
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&#x2014;", "&#160;", "&#x20;", "&#233;", "&#10;"]),
    st.sampled_from(WORDS + ["x <y> z", "]]"]).map(lambda text: f"<![CDATA[{text.replace(']]', '] ]')}]]>"),
    st.sampled_from(["<!-- c -->", "<!--Moscow-->", "<?pi data?>", "<lb/>", "<pb n='2' />", "<lb\n/>"]),
    st.text(alphabet="abcXYZ é—", min_size=1, max_size=5).map(lambda t: t.replace("&", "")),
)


def _content(depth: int) -> st.SearchStrategy[str]:
    inline = st.lists(PIECES, max_size=12).map("".join)
    if depth == 0:
        return inline
    child = st.tuples(
        st.sampled_from(["hi", "persName", "note", "foreign", "date", "seg", "title"]),
        st.sampled_from(["", " rend='x'", ' n="1"', " xml:lang='fr'", " rend='a>b'", ' n = "x/y"', "\n  type='t'\n"]),
        _content(depth - 1),
    ).map(lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>" if t[2] else f"<{t[0]}{t[1]}/>")
    return st.lists(st.one_of(inline, child), max_size=5).map("".join)


DOCUMENTS = st.tuples(
    st.sampled_from(["", "<?xml version='1.0' encoding='UTF-8'?>\n", '<?xml version="1.0"?>\n<!-- top -->\n']),
    st.sampled_from([("", 'xmlns="http://www.tei-c.org/ns/1.0"'), ("tei:", "xmlns:tei='http://www.tei-c.org/ns/1.0'")]),
    st.lists(_content(2), min_size=1, max_size=3),
    st.sampled_from(["", "\n", "\r\n"]),
)


def _document(parts: tuple[str, tuple[str, str], list[str], str]) -> bytes:
    head, (prefix, declaration), paragraphs, end = parts
    def tei(text: str) -> str:  # the generated element names take the document's prefix
        for name in ("hi", "persName", "note", "foreign", "date", "seg", "title", "lb", "pb"):
            text = text.replace(f"<{name}", f"<{prefix}{name}").replace(f"</{name}>", f"</{prefix}{name}>")
        return text
    body = "".join(f"<{prefix}p>{tei(p)}</{prefix}p>\n" for p in paragraphs)
    return (f"{head}<{prefix}TEI {declaration}><{prefix}text><{prefix}body>{body}</{prefix}body></{prefix}text></{prefix}TEI>{end}").encode("utf-8")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_annotate_only_inserts_tags(parts):
    data = _document(parts)
    parse_bytes(data)  # the generator writes well-formed XML
    result = annotate_bytes(data, "generated.xml", REGISTER)
    assert not [p for p in result.problems if p.code != "ANN004"], result.problems
    assert insertions_only(data, result.data)
    assert annotate_bytes(result.data, "generated.xml", REGISTER).data == result.data
