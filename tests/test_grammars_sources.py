"""Which grammar a file is checked against (xml-model, catalogs, TEI_TOOLS_SCHEMAS, --schema),
and XInclude resolved only inside the folders being checked."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.validate import Config, validate_file, validate_paths
from tei_tools.validate.xmlmodel import Catalog, find_grammar, grammars_for, read_models
from tei_tools.xmlio import parse_bytes

from .conftest import ROOT

RNG = "http://relaxng.org/ns/structure/1.0"
GRAMMAR = f"""<grammar xmlns="{RNG}" ns="urn:x-proj"><start><element name="book"><oneOrMore><ref name="ch"/></oneOrMore></element></start>
<define name="ch"><element name="ch"><optional><attribute name="n"/></optional><optional><attribute name="base" ns="http://www.w3.org/XML/1998/namespace"/></optional><text/></element></define></grammar>"""
#: The same without xml:base: an included element then fails, for jing as for us.
STRICT = GRAMMAR.replace('<optional><attribute name="base" ns="http://www.w3.org/XML/1998/namespace"/></optional>', "")
XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x-proj" elementFormDefault="qualified">
<xs:element name="book"><xs:complexType><xs:sequence><xs:element name="ch" maxOccurs="unbounded" type="xs:string"/></xs:sequence></xs:complexType></xs:element></xs:schema>"""


def _doc(href: str, body: str = "<ch>one</ch>", ns: str = RNG) -> str:
    return f'<?xml version="1.0"?>\n<?xml-model href="{href}" type="application/xml" schematypens="{ns}"?>\n<?xml-model href="{href}" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n<book xmlns="urn:x-proj">{body}</book>\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("TEI_TOOLS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("TEI_TOOLS_SCHEMAS", raising=False)
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "proj.rng").write_text(GRAMMAR)
    (tmp_path / "schema" / "proj.xsd").write_text(XSD)
    (tmp_path / "texts").mkdir()
    return tmp_path


def _codes(path: Path, **options: object) -> list[str]:
    config = Config.build(select=["RNG", "SCH", "XML"])
    for key, value in options.items():
        setattr(config, key, value)
    return [p.code for p in validate_file(str(path), config).problems]


def test_xml_model_pseudo_attributes_are_read() -> None:
    tree = parse_bytes(_doc("../schema/proj.rng").encode())
    models = read_models(tree)
    assert [(m.href, m.kind, m.line) for m in models] == [("../schema/proj.rng", "rng", 2), ("../schema/proj.rng", "schematron", 3)]


def test_auto_checks_a_file_against_the_grammar_it_names(project: Path) -> None:
    good = project / "texts" / "good.xml"
    good.write_text(_doc("../schema/proj.rng"))
    bad = project / "texts" / "bad.xml"
    bad.write_text(_doc("../schema/proj.rng", '<ch n="1" m="2">one</ch><para/>'))
    assert _codes(good) == []
    assert _codes(bad) == ["RNG003", "RNG001"]
    xsd = project / "texts" / "xsd.xml"
    xsd.write_text(_doc("../schema/proj.xsd", "<para/>", "http://www.w3.org/2001/XMLSchema"))
    assert _codes(xsd) == ["SCH001"]
    # The Schematron it names is found too, for the Schematron layer.
    named = grammars_for(parse_bytes(good.read_bytes()), str(good), Catalog())
    assert named is not None and [p.name for _, p in named.schematron] == ["proj.rng"]


def test_a_grammar_not_found_is_a_problem_naming_the_address(project: Path) -> None:
    remote = project / "texts" / "remote.xml"
    remote.write_text(_doc("http://example.org/schemas/proj.rng"))
    config = Config.build(select=["RNG"])
    problems = validate_file(str(remote), config).problems
    assert [p.code for p in problems] == ["RNG008"]
    assert "http://example.org/schemas/proj.rng" in problems[0].message and "--catalog" in problems[0].message
    assert "TEI_TOOLS_SCHEMAS" in problems[0].message


def test_catalog_uri_rewrite_and_system_entries(project: Path) -> None:
    catalog = project / "catalog.xml"
    catalog.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE catalog PUBLIC "-//OASIS//DTD XML Catalogs V1.1//EN" "http://www.oasis-open.org/committees/entity/release/1.1/catalog.dtd">\n'
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="http://example.org/exact.rng" uri="schema/proj.rng"/>'
        '<rewriteURI uriStartString="http://example.org/schemas/" rewritePrefix="schema/"/>'
        '<system systemId="http://example.org/sys.rng" uri="schema/proj.rng"/></catalog>')
    loaded = Catalog([str(catalog)])
    for href in ("http://example.org/exact.rng", "http://example.org/schemas/proj.rng", "http://example.org/sys.rng"):
        found, why = find_grammar(href, str(project / "texts" / "x.xml"), loaded, None)
        assert found == (project / "schema" / "proj.rng").resolve(), why
    remote = project / "texts" / "remote.xml"
    remote.write_text(_doc("http://example.org/schemas/proj.rng", "<para/>"))
    assert _codes(remote, catalogs=(str(catalog),)) == ["RNG001"]


def test_schema_folder_matches_by_file_name(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remote = project / "texts" / "remote.xml"
    remote.write_text(_doc("https://example.org/release/proj.rng"))
    monkeypatch.setenv("TEI_TOOLS_SCHEMAS", str(project / "schema"))
    assert _codes(remote) == []


def test_our_files_and_files_naming_nothing_get_the_bundled_schema(project: Path) -> None:
    encoded = ROOT / "encoded" / "119037.xml"
    assert _codes(encoded) == []
    plain = project / "texts" / "plain.xml"
    plain.write_text('<book xmlns="urn:x-proj"><ch>one</ch></book>')
    # Not TEI in the TEI namespace: the bundled schema refuses it, so no false green.
    assert _codes(plain) == ["SCH007"]


def test_a_file_naming_no_grammar_gets_tei_all_from_the_schema_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another project's file with no xml-model: TEI All where TEI_TOOLS_SCHEMAS holds it (here a
    stand-in of that name that takes a header-less TEI), else the stricter bundled subset."""
    folder = project / "tei"
    folder.mkdir()
    (folder / "tei_all.rng").write_text(f'<grammar xmlns="{RNG}" ns="http://www.tei-c.org/ns/1.0"><start><element name="TEI"><element name="text"><text/></element></element></start></grammar>')
    doc = project / "texts" / "bare.xml"
    doc.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>one</text></TEI>\n')
    assert _codes(doc) != []  # the bundled subset wants a teiHeader
    monkeypatch.setenv("TEI_TOOLS_SCHEMAS", str(folder))
    assert _codes(doc) == []
    ours = ROOT / "encoded" / "119037.xml"
    assert _codes(ours) == []  # our own editions keep the bundled grammar (the stand-in would refuse them)


def test_explicit_schema_overrides_xml_model(project: Path) -> None:
    doc = project / "texts" / "doc.xml"
    doc.write_text(_doc("http://example.org/nowhere.rng"))
    config = Config.build(schema_path=str(project / "schema" / "proj.rng"), select=["RNG"])
    assert validate_file(str(doc), config).problems == []


def test_cli_schema_auto_catalog_and_exit_codes(project: Path) -> None:
    runner = CliRunner()
    doc = project / "texts" / "doc.xml"
    doc.write_text(_doc("http://example.org/schemas/proj.rng"))
    assert runner.invoke(app, ["validate", "--select", "RNG", str(doc)]).exit_code == 1
    catalog = project / "catalog.xml"
    catalog.write_text('<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><rewriteURI uriStartString="http://example.org/schemas/" rewritePrefix="schema/"/></catalog>')
    result = runner.invoke(app, ["validate", "--schema", "auto", "--catalog", str(catalog), "--select", "RNG", str(doc)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", "--catalog", str(project / "none.xml"), str(doc)]).exit_code == 2
    (project / "broken.xml").write_text("<catalog")
    assert runner.invoke(app, ["validate", "--catalog", str(project / "broken.xml"), str(doc)]).exit_code == 2


# XInclude

def _include_project(project: Path) -> Path:
    texts = project / "texts"
    (texts / "parts").mkdir()
    (texts / "parts" / "ch1.xml").write_text('<ch xmlns="urn:x-proj" n="1">one</ch>')
    (texts / "parts" / "ch2.xml").write_text('<ch xmlns="urn:x-proj" n="2" bad="x">two</ch>')
    main = texts / "main.xml"
    main.write_text(f'<book xmlns="urn:x-proj" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="parts/ch1.xml"/></book>')
    return main


def test_xinclude_refused_without_the_option(project: Path) -> None:
    main = _include_project(project)
    assert _codes(main) == ["XML004"]


def test_xinclude_resolved_inside_the_folders_checked(project: Path) -> None:
    main = _include_project(project)
    config = Config.build(schema_path=str(project / "schema" / "proj.rng"), select=["RNG", "XML"])
    config.xinclude = True
    assert [r.problems for r in validate_paths([str(project / "texts")], config)][0] == []
    main.write_text(main.read_text().replace("ch1.xml", "ch2.xml"))
    assert [p.code for p in validate_file(str(main), config).problems] == ["RNG003"]


@pytest.mark.parametrize("href, words", [
    ("http://example.org/ch.xml", "never fetched"),
    ("../../outside.xml", "outside the folders"),
    ("main.xml", "includes itself"),
    ("parts/none.xml", "no such file"),
])
def test_xinclude_refusals(project: Path, href: str, words: str) -> None:
    main = _include_project(project)
    (project / "outside.xml").write_text('<ch xmlns="urn:x-proj">x</ch>')
    main.write_text(main.read_text().replace("parts/ch1.xml", href))
    config = Config.build(schema_path=str(project / "schema" / "proj.rng"), select=["RNG", "XML"])
    config.xinclude = True
    config.xinclude_roots = (str(project / "texts"),)
    problems = validate_file(str(main), config).problems
    assert [p.code for p in problems] == ["XML004"] and words in problems[0].message


def test_xinclude_of_a_file_with_a_doctype_is_refused(project: Path) -> None:
    main = _include_project(project)
    (project / "texts" / "parts" / "ch1.xml").write_text('<!DOCTYPE ch [<!ENTITY e "x">]><ch xmlns="urn:x-proj">&e;</ch>')
    config = Config.build(schema_path=str(project / "schema" / "proj.rng"), select=["RNG", "XML"])
    config.xinclude = True
    config.xinclude_roots = (str(project / "texts"),)
    problems = validate_file(str(main), config).problems
    assert [p.code for p in problems] == ["XML004"] and "DOCTYPE" in problems[0].message


def test_xinclude_verdicts_agree_with_jing(project: Path) -> None:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed; XInclude comparison with jing skipped")
    main = _include_project(project)
    second = project / "texts" / "second.xml"
    second.write_text(main.read_text().replace("ch1.xml", "ch2.xml"))
    grammar = project / "schema" / "proj.rng"
    result = subprocess.run([jing, str(grammar), str(main), str(second)], capture_output=True, text=True, check=False)
    # jing names the included file where the error is: ch2.xml, which only second.xml includes.
    jing_invalid = {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if ": error:" in line}
    config = Config.build(schema_path=str(grammar), select=["RNG", "XML"])
    config.xinclude = True
    ours = {Path(r.path).name for r in validate_paths([str(main), str(second)], config) if r.errors}
    assert jing_invalid == {"ch2.xml"} and ours == {"second.xml"}
    strict = project / "schema" / "strict.rng"
    strict.write_text(STRICT)
    result = subprocess.run([jing, str(strict), str(main)], capture_output=True, text=True, check=False)
    assert 'attribute "xml:base"' in result.stdout
    config = Config.build(schema_path=str(strict), select=["RNG", "XML"])
    config.xinclude = True
    problems = [p for r in validate_paths([str(main)], config) for p in r.problems]
    assert [p.code for p in problems] == ["RNG003"] and "@xml:base" in problems[0].message


def test_the_tei_all_address_maps_to_a_local_copy(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from .conftest import TEI_ALL_RNG

    if not TEI_ALL_RNG.is_file():
        pytest.skip(f"TEI All not found at {TEI_ALL_RNG}")
    head = '<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'
    doc = project / "texts" / "tei.xml"
    doc.write_text(f'<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" type="application/xml" schematypens="{RNG}"?>\n'
                   f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{head}<text><body><p><date whne="1961">x</date></p></body></text></TEI>')
    problems = validate_file(str(doc), Config.build(select=["RNG"])).problems
    assert [p.code for p in problems] == ["RNG008"] and "tei_all.rng" in problems[0].message
    monkeypatch.setenv("TEI_TOOLS_SCHEMAS", str(TEI_ALL_RNG.parent))
    problems = validate_file(str(doc), Config.build(select=["RNG"])).problems
    assert [(p.line, p.code) for p in problems] == [(2, "RNG003")] and "did you mean @when?" in problems[0].message


def test_a_grammar_that_cannot_be_used(project: Path) -> None:
    broken = project / "schema" / "broken.rng"
    broken.write_text(f'<grammar xmlns="{RNG}"><start><ref name="nowhere"/></start></grammar>')
    doc = project / "texts" / "doc.xml"
    doc.write_text(_doc("../schema/broken.rng"))
    problems = validate_file(str(doc), Config.build(select=["RNG"])).problems
    assert [p.code for p in problems] == ["RNG010"] and "nowhere" in problems[0].message
    result = CliRunner().invoke(app, ["validate", "--schema", str(broken), str(doc)])
    assert result.exit_code == 2 and "cannot be used as a schema" in result.output and "nowhere" in result.output
