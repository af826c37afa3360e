"""Validation messages an editor can act on, for the bundled schema."""

from __future__ import annotations

from tei_tools.validate import Config, validate_bytes
from tei_tools.validate.rules import EXAMPLE_TEMPLATE
from tei_tools.xmlio import parse_grammar

from .conftest import ROOT

RNG = ROOT / "schemas" / "tei-tools.rng"
R = {"r": "http://relaxng.org/ns/structure/1.0"}


def problems(fragment: str | bytes, *, whole: bool = False) -> list:
    data = fragment if isinstance(fragment, bytes) else (fragment if whole else EXAMPLE_TEMPLATE.format(fragment=fragment)).encode("utf-8")
    return validate_bytes(data, "case.xml", Config.build(profile="tei-tools"))  # fragments of our editions: the house rules apply


def children_in_grammar(element: str) -> set[str]:
    """The element names a define may hold, read with one XPath (not the tool's own reader)."""
    grammar = parse_grammar(RNG)
    refs = grammar.xpath("//r:define[@name=$name]/r:element//r:ref[not(ancestor::r:attribute)]/@name", namespaces=R, name=element)
    return set(refs)


def test_element_out_of_place_lists_everything_its_parent_allows() -> None:
    (problem,) = [p for p in problems("<opener><salute>Dear <p>friend</p></salute></opener><p>x</p>") if p.code == "SCH001"]
    allowed = children_in_grammar("salute")
    assert len(allowed) > 12  # more than libxml2's own list ever shows
    for name in allowed:
        assert f"<{name}>" in problem.message, name
    assert "text" in problem.message and "<salute> allows" in problem.message


def test_content_model_of_the_parent_is_given() -> None:
    (problem,) = [p for p in problems("<list>loose text<item>one</item></list>") if p.code == "SCH006"]
    assert "(head?, (item+ | (label, item)+))" in problem.message
    order = problems('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
                     '<publicationStmt><publisher>P</publisher><idno type="WCDA">1</idno></publicationStmt><sourceDesc><bibl>S</bibl></sourceDesc></fileDesc>'
                     '</teiHeader><teiHeader/><text><body><p>x</p></body></text></TEI>', whole=True)
    (misplaced,) = [p for p in order if p.code == "SCH001"]
    assert "after <teiHeader> in <TEI> comes <text>, <standOff>;" in misplaced.message
    assert "(teiHeader, ((text, standOff?) | standOff))" in misplaced.message
    (late,) = [p for p in problems("<list><item>a</item><head>late</head></list>") if p.code == "SCH001"]
    assert "after <item> in <list> comes <item>, the end of <list>;" in late.message


def test_did_you_mean_for_elements_and_attributes_and_causes_first() -> None:
    found = problems('<p><persname>Zhou Enlai</persname> left on <date whne="1964-10-30">30 October</date>.</p>')
    messages = {p.code: p.message for p in found}
    assert "did you mean <persName>?" in messages["SCH001"]
    assert "did you mean @when?" in messages["SCH003"]
    codes = [p.code for p in found]
    assert codes.index("SCH003") < codes.index("DAT003")  # the misspelt attribute before the date rule it sets off


def test_one_cause_one_problem() -> None:
    no_namespace = problems(b"<TEI><teiHeader/><text><body><p>x</p></body></text></TEI>")
    assert [p.code for p in no_namespace] == ["SCH007"] and 'xmlns="http://www.tei-c.org/ns/1.0"' in no_namespace[0].message
    html = problems(b"<html><body><p>x</p></body></html>")
    assert [p.code for p in html] == ["SCH007"] and "not a TEI document" in html[0].message
    fragment = problems(b'<div xmlns="http://www.tei-c.org/ns/1.0"><p>x</p></div>')
    assert [p.code for p in fragment] == ["SCH007"] and "starts with <TEI>" in fragment[0].message


def test_bare_ampersand_and_bad_bytes_in_plain_words() -> None:
    (amp,) = problems("<p>Tom & Jerry</p>")
    assert amp.code == "XML001" and "&amp;" in amp.message and "no name" not in amp.message
    (entity,) = problems("<p>a&nbsp;b</p>")
    assert "&#160;" in entity.message
    latin1 = EXAMPLE_TEMPLATE.format(fragment="<p>café</p>").encode("latin-1")
    (bad,) = problems(latin1)
    assert bad.code == "XML001" and "not UTF-8" in bad.message and "0xE9" in bad.message


def test_other_grammars_keep_their_own_messages() -> None:
    """The account above is the bundled grammar's; another schema is not described with it."""
    config = Config.build(schema_path=str(ROOT / "schemas" / "tei-tools.xsd"))
    data = EXAMPLE_TEMPLATE.format(fragment="<opener><salute>Dear <p>friend</p></salute></opener><p>x</p>").encode()
    (problem,) = [p for p in validate_bytes(data, "case.xml", config) if p.code == "SCH001"]
    assert "<salute> allows" not in problem.message
