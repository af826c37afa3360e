"""Each rule's documented examples: the failing one gives its code, the passing one does not."""

from __future__ import annotations

import pytest

from tei_tools.validate.rules import RULES, example_document, load_all, select_rules
from tei_tools.validate import Config, validate_bytes

load_all()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_examples(code: str) -> None:
    rule = RULES[code]
    failing, passing = rule.examples()
    config = Config.build(select=[code])
    assert code in {p.code for p in validate_bytes(example_document(failing).encode(), "fails.xml", config)}
    assert code not in {p.code for p in validate_bytes(example_document(passing).encode(), "passes.xml", config)}
    assert rule.summary() and rule.name


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_examples_are_otherwise_schema_valid(code: str) -> None:
    """Examples show one fault each: apart from it, they pass the bundled schema (or, for the
    rules every TEI file gets, TEI All: their examples use TEI beyond the bundled subset)."""
    failing, passing = RULES[code].examples()
    from tei_tools.validate.rules.profiles import GENERIC_CODES

    if code in GENERIC_CODES and "<TEI" in passing:
        import subprocess
        import tempfile

        from .conftest import TEI_ALL_RNG, jing_or_skip

        jing = jing_or_skip()
        with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8") as handle:
            handle.write(example_document(passing))
            handle.flush()
            run = subprocess.run([jing, str(TEI_ALL_RNG), handle.name], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout
        return
    schema_only = Config.build(select=["SCH"])
    assert [str(p) for p in validate_bytes(example_document(passing).encode(), "passes.xml", schema_only)] == []


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rule code"):
        select_rules(["XYZ123"])
    with pytest.raises(ValueError):
        Config.build(ignore=["NOPE1"])


def test_codes_are_stable_and_unique() -> None:
    import re

    assert all(re.fullmatch(r"[A-Z]{2,3}\d{3}", code) for code in RULES)
    assert len({rule.name for rule in RULES.values()}) == len(RULES)


def _header_variants() -> list[bytes]:
    """Editions and cases, and copies of them with their headers damaged in the ways the
    header rules look for (blank, space-only, missing, disagreeing), some in combination."""
    import random

    from lxml import etree

    from tei_tools.xmlio import NSMAP, UnsafeXML, parse_bytes, tei

    from .conftest import GOLDEN, ROOT, TESTS

    sources = [ROOT / "encoded" / "119037.xml", *sorted(GOLDEN.glob("*.xml")), *sorted((TESTS / "cases").rglob("*.xml"))]
    blanks = ["", " ", "\n\t ", "\u00a0", "\u2003x", "<hi/>", "<hi> </hi>", "<hi>x</hi>"]
    paths = [
        "//tei:titleStmt/tei:title", "//tei:sourceDesc", "//tei:sourceDesc/*", "//tei:publicationStmt/tei:idno",
        "//tei:publicationStmt/tei:availability", "//tei:availability//tei:p", "//tei:creation/tei:date",
        "//tei:correspAction[@type='sent']/tei:date", "//tei:publicationStmt",
    ]
    rng = random.Random(19641030)
    variants = [source.read_bytes() for source in sources]
    for data in list(variants):
        try:
            parse_bytes(data)
        except (etree.XMLSyntaxError, UnsafeXML):
            continue  # the cases that are not well-formed or refused are compared as they are
        for _ in range(12):
            tree = parse_bytes(data)
            for _ in range(rng.randint(1, 3)):
                found = tree.xpath(rng.choice(paths), namespaces=NSMAP)
                if not found:
                    continue
                element = rng.choice(found)
                action = rng.randrange(4)
                if action == 0 and element.getparent() is not None:
                    element.getparent().remove(element)
                elif action == 1:
                    for child in list(element):
                        element.remove(child)
                    blank = rng.choice(blanks)
                    element.text = None
                    if blank.startswith("<"):
                        element.append(etree.fromstring(blank.replace("<hi", f'<hi xmlns="{NSMAP["tei"]}"', 1)))
                    else:
                        element.text = blank
                elif action == 2 and element.tag == tei("date"):
                    element.set("when", rng.choice(["1964-10-30", "1964-10-31", "1964"]))
                elif action == 3:
                    element.addprevious(etree.fromstring(etree.tostring(element)))  # a second one before it
            variants.append(etree.tostring(tree, encoding="utf-8", xml_declaration=True))
    return variants


def test_screens_never_change_what_rules_find(monkeypatch: pytest.MonkeyPatch) -> None:
    """A screen lets a rule leave a clean file early; it must never hide a finding. Every
    variant gives the same problems with the screens as with the full checks alone."""
    from tei_tools.validate.rules import header

    config = Config.build(select=["HDR", "REF", "ID", "NAM", "DAT", "EDT"])
    variants = _header_variants()
    screened = [[str(p) for p in validate_bytes(data, "v.xml", config)] for data in variants]
    for name in ("_HAS_TITLE", "_HAS_SOURCE", "_HAS_IDENTIFIER", "_HAS_LICENCE", "_DATES_AGREE"):
        monkeypatch.setattr(header, name, lambda tree: False)
    unscreened = [[str(p) for p in validate_bytes(data, "v.xml", config)] for data in variants]
    assert screened == unscreened
    found = {problem.split()[2] for problems in screened for problem in problems}
    assert {"HDR001", "HDR002", "HDR003", "HDR004", "HDR005"} <= found  # the variants do reach every header rule


def test_rules_that_walk_by_local_name_keep_to_tei_elements() -> None:
    """The tag walks match local names in any namespace for speed; elements of another
    namespace that share a name with a TEI one are not the rules' business."""
    foreign = '<p><x:persName xmlns:x="urn:example"/> and <x:date xmlns:x="urn:example">then</x:date></p>'
    codes = {p.code for p in validate_bytes(example_document(foreign).encode(), "f.xml", Config.build(select=["EDT004", "DAT003"]))}
    assert codes == set()
    tei_twin = '<p><persName/> and <date>then</date></p>'
    codes = {p.code for p in validate_bytes(example_document(tei_twin).encode(), "t.xml", Config.build(select=["EDT004", "DAT003"]))}
    assert codes == {"EDT004", "DAT003"}
