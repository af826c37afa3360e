"""Nothing invalid passes and nothing unsafe is passed on: empty pointers, stray xsi:*, reports, ids."""

from __future__ import annotations

import io

from lxml import etree

from tei_tools.convert import convert_bytes
from tei_tools.problems import Problem, Severity
from tei_tools.validate import Config, validate_bytes
from tei_tools.validate.pipeline import FileResult
from tei_tools.validate.report import REPORTERS, Summary

from .conftest import ROOT, SAMPLE

GOOD = (ROOT / "encoded" / "119037.xml").read_bytes()
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def _codes(data: bytes) -> set[str]:
    return {p.code for p in validate_bytes(data, "x.xml", Config.build()) if p.severity is Severity.ERROR}


def test_empty_pointer_is_an_error() -> None:
    assert not _codes(GOOD)
    bad = GOOD.replace(b'<persName ref="#', b'<persName ref="" n="#', 1)
    assert bad != GOOD and _codes(bad)


def test_xsi_attributes_off_the_root_are_errors() -> None:
    root = GOOD.replace(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"', b'<TEI xmlns="http://www.tei-c.org/ns/1.0" ' + XSI.encode(), 1)
    assert not _codes(root)
    for attribute in (b'xsi:schemaLocation="a b"', b'xsi:type="xs:string"', b'xsi:nil="true"', b'xsi:noNamespaceSchemaLocation="x.xsd"'):
        stray = root.replace(b"<body>", b"<body " + attribute + b">", 1)
        assert "XML007" in _codes(stray), attribute


def test_junit_stays_well_formed_with_control_characters() -> None:
    path = "odd\x01name\x1b[31m.xml"
    problem = Problem(path, 1, 1, "XML001", Severity.ERROR, "bad \x0b value \ud800 and \x7f")
    out = io.StringIO()
    reporter = REPORTERS["junit"](out, io.StringIO())
    reporter.file(FileResult(path, [problem]))
    reporter.finish(Summary(files=1, errors=1))
    tree = etree.fromstring(out.getvalue().encode("utf-8", "surrogatepass"), etree.XMLParser(resolve_entities=False, no_network=True))
    case = tree.find("testcase")
    assert case is not None and "odd" in case.get("name") and "\\x01" in case.get("name")


def test_record_id_must_be_ascii_digits() -> None:
    page = SAMPLE.read_text(encoding="utf-8").replace("\n119037\n", "\n\u0661\u0661\u0669\u0660\u0663\u0667\n")
    xml, encoded = convert_bytes(page.encode("utf-8"), "page.txt")
    assert encoded.name == "page.txt" or encoded.name.isascii()
    assert "\u0661" not in xml.decode("utf-8").split("<text", 1)[0].split("idno", 1)[-1] or b'type="WCDA"' not in xml
