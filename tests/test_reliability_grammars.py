"""The bundled XSD and RELAX NG grammar accept exactly the same files: mutants of valid files
are checked by both (and by jing where installed) and must get the same verdict."""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.validate import Config, validate_bytes
from tei_tools.xmlio import parse_bytes, parse_grammar

from .conftest import ROOT

SCHEMAS = ROOT / "schemas"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
VALUES = [
    "", " ", "\u00a0", " 5 ", "+1", "01", "1e3", "-1", "1.5", "0", "x y", "#x", "#a #b", "a\tb", "a\u2003b", "x:y",
    "zz", "foot", "high", "en", "1964", "1964-13-01", "1964-02-29", "1900-02-29", "--10-28", "1964-10-31T01:15:00",
    "1964-10-31T25:00:00", "1964-10-31Z", "-0001", "10000", "INF", "NaN", "true", "http://x y",
]
HINTS = ("schemaLocation", "noNamespaceSchemaLocation")


def _mutant(tree: etree._ElementTree, rnd: random.Random) -> etree._ElementTree:
    mutant = copy.deepcopy(tree)
    elements = [e for e in mutant.getroot().iter() if isinstance(e.tag, str)]
    element = rnd.choice(elements)
    names = sorted({e.tag for e in elements})
    attributes = sorted({name for e in elements for name in e.attrib})
    parent = element.getparent()
    operation = rnd.randrange(12)
    if operation == 0 and parent is not None:
        parent.remove(element)
    elif operation == 1 and parent is not None:
        element.addnext(copy.deepcopy(element))
    elif operation == 2:
        element.tag = rnd.choice(names)
    elif operation == 3:
        element.set(rnd.choice(attributes), rnd.choice(VALUES))
    elif operation == 4 and element.attrib:
        del element.attrib[rnd.choice(list(element.attrib))]
    elif operation == 5:
        element.text = (element.text or "") + rnd.choice(["text", " ", "\n  ", "\u00a0", "\u3000"])
    elif operation == 6 and len(element):
        child = rnd.choice(list(element))
        element.remove(child)
        element.insert(0, child)
    elif operation == 7:
        element.set(f"{{{XSI}}}" + rnd.choice([*HINTS, "type", "nil"]), rnd.choice(["a b", "x.xsd", "true", "xs:string"]))
    elif operation == 8:
        element.set("{http://www.w3.org/XML/1998/namespace}" + rnd.choice(["space", "lang", "id"]), rnd.choice([*VALUES, "preserve", "a1", "1a"]))
    elif operation == 9:
        element.set("{http://example.org/ns}x", "1")
    elif operation == 10:
        element.append(etree.Element("{http://example.org/ns}x"))
    elif operation == 11 and len(element) > 1:
        first, second = element[0], element[-1]
        element.replace(first, copy.deepcopy(second))
    return mutant


def _hint_below_root(tree: etree._ElementTree) -> bool:
    root = tree.getroot()
    return any(f"{{{XSI}}}{hint}" in e.attrib for e in root.iterdescendants() if isinstance(e.tag, str) for hint in HINTS)


def _mutants(count: int, seed: int) -> list[bytes]:
    rnd = random.Random(seed)
    bases = [parse_bytes(path.read_bytes()) for path in [ROOT / "encoded" / "119037.xml", *sorted((ROOT / "tests" / "cases" / "valid").glob("*.xml"))]]
    return [etree.tostring(_mutant(rnd.choice(bases), rnd), encoding="UTF-8", xml_declaration=True) for _ in range(count)]


def test_xsd_and_relax_ng_agree_on_mutants() -> None:
    xsd = etree.XMLSchema(parse_grammar(SCHEMAS / "tei-tools.xsd"))
    rng = etree.RelaxNG(parse_grammar(SCHEMAS / "tei-tools.rng"))
    disagree = []
    hinted = 0
    for number, data in enumerate(_mutants(600, seed=20261201)):
        tree = parse_bytes(data)
        if _hint_below_root(tree):
            # XML Schema takes its own hints on any element; the validator reports them instead.
            hinted += 1
            assert "XML007" in {p.code for p in validate_bytes(data, "m.xml", Config.build())}
            continue
        if xsd.validate(tree) != rng.validate(tree):
            disagree.append((number, str(xsd.error_log.last_error or rng.error_log.last_error)))
    assert hinted > 0
    assert disagree == []


def test_jing_agrees_with_libxml2_relax_ng() -> None:
    if shutil.which("jing") is None:
        pytest.skip("jing is not installed (Debian package 'jing'); jing's verdicts not compared")
    from tei_tools.validate.jing import check_copies

    rng = etree.RelaxNG(parse_grammar(SCHEMAS / "tei-tools.rng"))
    mutants = _mutants(150, seed=7)
    verdicts = check_copies(SCHEMAS / "tei-tools.rng", mutants)
    mismatched = [n for n, (data, found) in enumerate(zip(mutants, verdicts)) if rng.validate(parse_bytes(data)) != (not found)]
    assert mismatched == [], [verdicts[n][:1] for n in mismatched]


def _systematic() -> list[bytes]:
    """Every attribute of the smaller valid cases given every test value, and white space in
    every element: the mutations random picking meets too rarely."""
    out = []
    for path in sorted((ROOT / "tests" / "cases" / "valid").glob("*.xml")):
        tree = parse_bytes(path.read_bytes())
        if len(path.read_bytes()) > 5000:
            continue
        elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
        for index, element in enumerate(elements):
            for name in list(element.attrib):
                for value in VALUES:
                    mutant = copy.deepcopy(tree)
                    [e for e in mutant.getroot().iter() if isinstance(e.tag, str)][index].set(name, value)
                    out.append(etree.tostring(mutant))
            for text in (" ", "\n", "\u00a0"):
                mutant = copy.deepcopy(tree)
                target = [e for e in mutant.getroot().iter() if isinstance(e.tag, str)][index]
                if len(target):
                    target[-1].tail = (target[-1].tail or "") + text
                else:
                    target.text = (target.text or "") + text
                out.append(etree.tostring(mutant))
    return out


def test_xsd_and_relax_ng_agree_on_every_value() -> None:
    xsd = etree.XMLSchema(parse_grammar(SCHEMAS / "tei-tools.xsd"))
    rng = etree.RelaxNG(parse_grammar(SCHEMAS / "tei-tools.rng"))
    mutants = _systematic()
    assert len(mutants) > 300
    disagree = []
    for data in mutants:
        tree = parse_bytes(data)
        if xsd.validate(tree) != rng.validate(tree):
            disagree.append(data.decode()[:0] + str(xsd.error_log.last_error or rng.error_log.last_error))
    assert disagree == []
