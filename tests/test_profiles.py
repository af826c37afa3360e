"""House rules only where they belong: other projects' legal TEI gets TEI's own rules, read the
way TEI means them; our editions get the house rules too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tei_tools.validate import Config, validate_bytes
from tei_tools.validate.pipeline import FIXED_CODES
from tei_tools.validate.rules import load_all
from tei_tools.validate.rules.profiles import GENERIC_CODES, is_own_edition, rules_for
from tei_tools.xmlio import parse_bytes

from .conftest import ROOT, SHARED

WORLD = SHARED / "corpora" / "tei-world"


def rule_findings(data: bytes, name: str, config: Config) -> list[str]:
    return [str(p) for p in validate_bytes(data, name, config) if p.code not in FIXED_CODES]


def world_files() -> list[tuple[Path, str]]:
    manifest = WORLD / "MANIFEST.md"
    if not manifest.exists():
        pytest.skip(f"{manifest} not found: the tei-world corpus in ../shared is absent")
    rows = re.findall(r"^\| (\S+\.xml) \|[^\n]*\| (valid|invalid) \|", manifest.read_text(encoding="utf-8"), re.M)
    assert len(rows) == 31
    return [(WORLD / name, verdict) for name, verdict in rows]


def test_no_rule_findings_on_other_projects_valid_tei() -> None:
    """A default run over every tei-world file: nothing but grammar findings on those jing passes."""
    config = Config.build()
    house = Config.build(profile="tei-tools")
    valid = [path for path, verdict in world_files() if verdict == "valid"]
    assert len(valid) >= 15
    for path in valid:
        data = path.read_bytes()
        assert rule_findings(data, path.name, config) == [], path.name
    # Not because the rules are asleep: asked for, the house rules have plenty to say about them.
    assert sum(len(rule_findings(path.read_bytes(), path.name, house)) for path in valid) > 100


def test_our_editions_get_the_house_rules() -> None:
    edition = parse_bytes((ROOT / "encoded" / "119037.xml").read_bytes())
    assert is_own_edition(edition)
    rules = list(load_all().values())
    assert rules_for(edition, rules) == rules
    assert {r.code for r in rules_for(edition, rules, "generic")} == GENERIC_CODES
    generic = parse_bytes(b'<?xml-model href="https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"?><TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    assert not is_own_edition(generic)
    assert {r.code for r in rules_for(generic, rules)} == GENERIC_CODES
    assert len(rules_for(generic, rules, "tei-tools")) == len(rules)
    assert {r.code for r in rules_for(generic, rules, asked=frozenset({"HDR001"}))} == GENERIC_CODES | {"HDR001"}


@pytest.mark.parametrize("signal", [
    '<?xml-model href="../schemas/tei-tools.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>',
    "<?xml-model href='tei-tools.xsd'?>",
])
def test_own_edition_by_its_schema(signal: str) -> None:
    assert is_own_edition(parse_bytes(f'{signal}<TEI xmlns="http://www.tei-c.org/ns/1.0"/>'.encode()))


def test_own_edition_by_its_application() -> None:
    header = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><encodingDesc><appInfo>'
              '<application ident="{}" version="1"><label>x</label></application></appInfo></encodingDesc></teiHeader></TEI>')
    assert is_own_edition(parse_bytes(header.format("tei-tools").encode()))
    assert not is_own_edition(parse_bytes(header.format("oxygen").encode()))


def test_unknown_profile_is_an_error() -> None:
    with pytest.raises(ValueError, match="profile"):
        Config.build(profile="strictest")


# Legal TEI the generic rules must read as TEI means it (our own writing, after the Guidelines' examples).
LEGAL = """<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader><fileDesc><titleStmt><title>Legal TEI</title></titleStmt><publicationStmt><p>Unpublished.</p></publicationStmt>
<sourceDesc><bibl>A letter <citedRange unit="page" from="12" to="14"/>, <biblScope unit="folio" from="3r" to="4v"/></bibl>
<msDesc><msIdentifier><idno>MS 1</idno></msIdentifier><msContents><msItem><locus from="12r" to="13v">ff. 12r-13v</locus></msItem></msContents></msDesc></sourceDesc></fileDesc>
<encodingDesc><listPrefixDef><prefixDef ident="psn" matchPattern="([a-z]+)" replacementPattern="#$1"/>
<prefixDef ident="wd" matchPattern="(Q\\d+)" replacementPattern="https://www.wikidata.org/entity/$1"/></listPrefixDef></encodingDesc></teiHeader>
<text><body>
<p xml:id="p1">Caesar <date when="-0044-03-15">died</date> <date notBefore="-0100" notAfter="-0044">in that century</date>
<date from="-0049" to="-0044">ruled</date> <date when="--03-15">every Ides</date> <date when="1964-10-29T10:00:00+01:00">then</date>
<date>undated</date>.</p>
<p><choice><orig>colour</orig><reg>color</reg></choice> <choice><abbr>Dr</abbr><expan>Doctor</expan></choice>
<choice><sic>teh</sic><corr>the</corr></choice> <choice><unclear>cat</unclear><unclear>cot</unclear></choice>
<choice><orig>Peking</orig><reg>Beijing</reg><reg type="pinyin">Beijing</reg></choice> <gap/> <persName ref="psn:caesar"/>
<persName ref="wd:Q1048">Caesar</persName> <ref target="#xpath(//p[1])">that</ref> <ref target="#range(p1,p2)">those</ref>
<ref target="#string-range(p1,0,6)">Caesar</ref> <ref target="https://example.org/texts/gallic.xml#b1">Gaul</ref>
<ref target="#cross-file">elsewhere</ref> <span from="#p1" to="#p2">a span</span></p>
<p xml:id="p2" xml:base="other.xml"><ref target="#there">there</ref></p>
</body></text>
<standOff><listPerson><person xml:id="caesar"><persName>Caesar</persName></person></listPerson></standOff>
</TEI>"""

CORPUS = """<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A corpus</title></titleStmt>
<publicationStmt><p>Unpublished.</p></publicationStmt><sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader>
<TEI><teiHeader><fileDesc><titleStmt><title>One</title></titleStmt><publicationStmt><p>Unpublished.</p></publicationStmt>
<sourceDesc><p>Born digital.</p></sourceDesc></fileDesc></teiHeader><text><body><p><date when="1850">1850</date></p></body></text></TEI>
</teiCorpus>"""


@pytest.mark.parametrize("document", [LEGAL, CORPUS], ids=["constructs", "teiCorpus"])
def test_generic_rules_read_all_of_tei(document: str) -> None:
    data = document.encode()
    assert rule_findings(data, "legal.xml", Config.build()) == []
    assert rule_findings(data, "legal.xml", Config.build(profile="generic")) == []


def test_house_rules_read_those_constructs_too() -> None:
    """Pointers, dates and choices that are not faults stay unreported under the house profile;
    what it does report is the house's own demand (a value on every date, a reason on every gap,
    a self-contained file, no recurring dates)."""
    codes = {p.split(" ")[2] for p in rule_findings(LEGAL.encode(), "legal.xml", Config.build(profile="tei-tools"))}
    assert "EDT003" not in codes and "DAT001" not in codes and "DAT002" not in codes and "REF004" not in codes
    ref001 = rule_findings(LEGAL.encode(), "legal.xml", Config.build(select=["REF001"]))
    assert len(ref001) == 1 and '"#cross-file"' in ref001[0]  # schemes, URLs, prefixes and xml:base left alone
    assert {"DAT003", "DAT004", "EDT002"} <= codes


def test_generic_rules_still_find_real_faults() -> None:
    broken = (LEGAL.replace('when="-0044-03-15"', 'when="-0044-02-30"').replace('notAfter="-0044"', 'notAfter="-0200"')
              .replace('ref="psn:caesar"', 'ref="psn:brutus"').replace('xml:id="p2"', 'xml:id="p1"').replace("#string-range(", "#strange("))
    codes = sorted(p.split(" ")[2] for p in rule_findings(broken.encode(), "broken.xml", Config.build()))
    assert codes == ["DAT001", "DAT002", "ID001", "REF004", "REF004"]


def test_house_header_rules_read_a_corpus_header() -> None:
    house = Config.build(select=["HDR001", "HDR002"])
    assert rule_findings(CORPUS.encode(), "corpus.xml", house) == []
    untitled = CORPUS.replace("<title>A corpus</title>", "<title> </title>", 1)
    assert [p.split(" ")[2] for p in rule_findings(untitled.encode(), "corpus.xml", house)] == ["HDR001"]


def test_rules_listing_says_where_each_rule_runs() -> None:
    from typer.testing import CliRunner

    from tei_tools.cli import app

    listing = CliRunner().invoke(app, ["rules"]).stdout
    scopes = dict(re.findall(r"^([A-Z]+\d{3}) [\w-]+ \((?:error|warning); ([\w -]+)\)$", listing, re.M))
    assert {code for code, scope in scopes.items() if scope == "every TEI file"} == GENERIC_CODES
    assert set(scopes) == set(load_all())
