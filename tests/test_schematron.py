"""ISO Schematron semantics, run through both engines (saxonche for xslt2, lxml for xslt): each
case is a small schema of our own and a document it must (and must not) complain about."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools.problems import Severity
from tei_tools.validate.schematron import SchematronError, compiled, schematron_problems
from tei_tools.validate.schematron.engine import severity_of
from tei_tools.xmlio import parse_bytes

SCH = "http://purl.oclc.org/dsdl/schematron"
BINDINGS = ["xslt2", "xslt"]

DOC = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0">
<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc></teiHeader>
<text><body>
<p n="1">one</p>
<p n="2" rend="x">two <hi>bold</hi></p>
<div type="chapter"><p n="3">three</p></div>
</body></text></TEI>
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path / "cache"))


def schema(tmp_path: Path, body: str, binding: str, name: str = "s.sch", extra: str = "") -> Path:
    path = tmp_path / name
    path.write_text(f'<schema xmlns="{SCH}" queryBinding="{binding}" {extra}><ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>{body}</schema>', encoding="utf-8")
    return path


def run(path: Path, document: bytes = DOC, **options: object) -> list:
    return schematron_problems(parse_bytes(document), "doc.xml", path, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("binding", BINDINGS)
def test_assert_and_report_with_line_code_and_severity(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern id="paras">
        <rule context="t:p">
          <assert id="p-numbered" test="@n" role="warning">unnumbered</assert>
          <assert id="p-not-two" test="not(@n = '2')" role="fatal">two</assert>
          <report test="@rend" role="info">p <value-of select="@n"/> has rend</report>
          <assert test="string-length(.) &gt; 3">short</assert>
        </rule>
      </pattern>""", binding)
    problems = run(path)
    # Only 'one' is short; every p has @n. A check's own id is its code, else its pattern's id.
    found = sorted((p.line, p.code, p.severity, p.message) for p in problems)
    assert found == [(4, "SCT:paras", Severity.ERROR, "short"), (5, "SCT:p-not-two", Severity.ERROR, "two"), (5, "SCT:paras", Severity.WARNING, "p 2 has rend")]
    assert all(p.path == "doc.xml" and p.xpath.startswith("/Q{http://www.tei-c.org/ns/1.0}TEI") for p in problems)


@pytest.mark.parametrize("binding", BINDINGS)
def test_first_matching_rule_per_pattern_only(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern id="first">
        <rule context="t:div/t:p"><report test="true()">in div</report></rule>
        <rule context="t:p"><report test="true()">any p</report></rule>
      </pattern>
      <pattern id="second"><rule context="t:p"><report test="@n = '3'">again</report></rule></pattern>""", binding)
    messages = sorted((p.line, p.message) for p in run(path))
    assert messages == [(4, "any p"), (5, "any p"), (6, "again"), (6, "in div")]


@pytest.mark.parametrize("binding", BINDINGS)
def test_let_at_schema_pattern_and_rule_level(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <let name="limit" value="2"/>
      <pattern id="lets">
        <let name="kind" value="'chapter'"/>
        <rule context="t:p">
          <let name="number" value="number(@n)"/>
          <report test="$number &gt; $limit">p <value-of select="$number"/> is past <value-of select="$limit"/></report>
        </rule>
        <rule context="t:div"><assert test="@type != $kind">div is a <value-of select="$kind"/></assert></rule>
      </pattern>""", binding)
    assert sorted((p.line, p.message) for p in run(path)) == [(6, "div is a chapter"), (6, "p 3 is past 2")]


@pytest.mark.parametrize("binding", BINDINGS)
def test_name_and_value_of_and_attribute_context(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern><rule context="@rend"><report test="true()"><name/> on <name path=".."/> is <value-of select="."/></report></rule></pattern>""", binding)
    problems = run(path)
    assert [(p.line, p.message) for p in problems] == [(5, "rend on p is x")]
    assert problems[0].xpath.endswith("/@rend")
    assert problems[0].code.startswith("SCT:") and len(problems[0].code) == 14  # derived: stable, no id given


@pytest.mark.parametrize("binding", BINDINGS)
def test_phases(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <phase id="numbers"><active pattern="n"/></phase>
      <phase id="both"><active pattern="n"/><active pattern="h"/></phase>
      <pattern id="n"><rule context="t:p"><report test="@n = '1'">first</report></rule></pattern>
      <pattern id="h"><rule context="t:hi"><report test="true()">hi</report></rule></pattern>""", binding, extra='defaultPhase="numbers"')
    assert [p.message for p in run(path)] == ["first"]
    assert [p.message for p in run(path, phase="#DEFAULT")] == ["first"]
    assert sorted(p.message for p in run(path, phase="#ALL")) == ["first", "hi"]
    assert sorted(p.message for p in run(path, phase="both")) == ["first", "hi"]
    with pytest.raises(SchematronError, match="no phase"):
        run(path, phase="nope")


@pytest.mark.parametrize("binding", BINDINGS)
def test_abstract_patterns_with_params(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern abstract="true" id="needs">
        <rule context="$element"><assert test="$attribute">needs <value-of select="'$attribute'"/></assert></rule>
      </pattern>
      <pattern is-a="needs" id="div-type"><param name="element" value="t:div"/><param name="attribute" value="@xml:id"/></pattern>
      <pattern is-a="needs" id="hi-rend"><param name="element" value="t:hi"/><param name="attribute" value="@rend"/></pattern>""", binding)
    assert sorted((p.line, p.code, p.message) for p in run(path)) == [(5, "SCT:hi-rend", "needs @rend"), (6, "SCT:div-type", "needs @xml:id")]


@pytest.mark.parametrize("binding", BINDINGS)
def test_abstract_rules_and_extends(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern id="ext">
        <rule abstract="true" id="numbered"><assert test="@n">unnumbered <name/></assert></rule>
        <rule context="t:p"><extends rule="numbered"/><report test="@n = '2'">two</report></rule>
        <rule context="t:hi | t:div"><extends rule="numbered"/></rule>
      </pattern>""", binding)
    assert sorted((p.line, p.message) for p in run(path)) == [(5, "two"), (5, "unnumbered hi"), (6, "unnumbered div")]


@pytest.mark.parametrize("binding", BINDINGS)
def test_include(tmp_path: Path, binding: str) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "pattern.sch").write_text(f'<pattern xmlns="{SCH}" id="inc"><include href="rule.sch"/></pattern>', encoding="utf-8")
    (tmp_path / "parts" / "rule.sch").write_text(f'<rule xmlns="{SCH}" context="*[local-name() = \'hi\']"><report test="true()">included</report></rule>', encoding="utf-8")
    path = schema(tmp_path, '<include href="parts/pattern.sch"/>', binding)
    assert [(p.line, p.code, p.message) for p in run(path)] == [(5, "SCT:inc", "included")]
    # The cache knows the included files: a change there is seen by the next compilation.
    (tmp_path / "parts" / "rule.sch").write_text(f'<rule xmlns="{SCH}" context="*[local-name() = \'hi\']"><report test="true()">changed</report></rule>', encoding="utf-8")
    from tei_tools.validate.schematron.engine import CompiledSchematron

    fresh = CompiledSchematron(path)
    assert not fresh.stats.cached
    assert [p.message for p in fresh.problems(parse_bytes(DOC), "doc.xml")] == ["changed"]


@pytest.mark.parametrize("binding", BINDINGS)
def test_namespaces_come_from_ns(tmp_path: Path, binding: str) -> None:
    path = tmp_path / "ns.sch"
    path.write_text(f'<schema xmlns="{SCH}" queryBinding="{binding}"><ns prefix="x" uri="http://www.tei-c.org/ns/1.0"/>'
                    '<pattern><rule context="x:hi"><report test="parent::x:p">hi in p</report></rule>'
                    '<rule context="hi"><report test="true()">no-namespace hi</report></rule></pattern></schema>', encoding="utf-8")
    assert [p.message for p in run(path)] == ["hi in p"]


@pytest.mark.parametrize("binding", BINDINGS)
def test_diagnostics(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern><rule context="t:p"><assert test="@rend" diagnostics="why how">no rend</assert></rule></pattern>
      <diagnostics><diagnostic id="why">p <value-of select="@n"/></diagnostic><diagnostic id="how">add one</diagnostic></diagnostics>""", binding)
    assert [p.message for p in run(path)] == ["no rend (p 1; add one)", "no rend (p 3; add one)"]


def test_xpath2_only_through_saxon(tmp_path: Path) -> None:
    body = '<pattern id="x2"><rule context="t:p"><report test="@n = (\'1\', \'3\') and matches(., \'^t\')">sequence and regex</report></rule></pattern>'
    assert [p.line for p in run(schema(tmp_path, body, "xslt2"))] == [6]
    with pytest.raises(SchematronError, match="XPath 1"):
        run(schema(tmp_path, body, "xslt", name="one.sch"))


def test_schema_errors_are_reported_not_crashes(tmp_path: Path) -> None:
    with pytest.raises(SchematronError, match="no abstract pattern"):
        run(schema(tmp_path, '<pattern is-a="missing"/>', "xslt2"))
    with pytest.raises(SchematronError, match="does not compile"):
        run(schema(tmp_path, '<pattern><rule context="t:p["><assert test="1">x</assert></rule></pattern>', "xslt2", name="bad.sch"))
    twice = '<let name="a" value="1"/><pattern><let name="a" value="2"/><rule context="t:p"><assert test="$a">x</assert></rule></pattern>'
    with pytest.raises(SchematronError, match="declared twice"):
        run(schema(tmp_path, twice, "xslt2", name="twice.sch"))
    remote = schema(tmp_path, '<include href="http://example.org/x.sch"/>', "xslt2", name="remote.sch")
    with pytest.raises(SchematronError, match="never the network"):
        run(remote)


def test_run_error_on_one_file_is_a_problem(tmp_path: Path) -> None:
    path = schema(tmp_path, '<pattern><rule context="t:p"><assert test="xs:integer(@n) lt 3">big</assert></rule></pattern>', "xslt2",
                  extra='xmlns:xs="http://www.w3.org/2001/XMLSchema"')
    path.write_text(path.read_text().replace('<ns prefix="t"', '<ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/><ns prefix="t"'))
    bad = DOC.replace(b'n="2"', b'n="two"')
    problems = run(path, bad)
    assert [p.code for p in problems] == ["SCT000"]


def test_roles_map_to_severities() -> None:
    assert severity_of("error") is severity_of("fatal") is severity_of("") is Severity.ERROR
    assert severity_of("warning") is severity_of("warn") is severity_of("nonfatal") is Severity.WARNING
    assert severity_of("info") is severity_of("information") is Severity.WARNING


def test_compiled_once_and_cached_on_disk(tmp_path: Path) -> None:
    from tei_tools.validate.schematron.engine import CompiledSchematron, cache_folder

    path = schema(tmp_path, '<pattern id="c"><rule context="t:hi"><report test="true()">hi</report></rule></pattern>', "xslt2")
    cold = CompiledSchematron(path)
    warm = CompiledSchematron(path)
    assert not cold.stats.cached and warm.stats.cached
    assert warm.stylesheet_text() == cold.stylesheet_text()
    entries = list(cache_folder().glob("*.json"))
    assert len(entries) == 1 and not list(cache_folder().glob(".*.tmp"))
    assert compiled(path) is compiled(path)
    # A different phase or a changed schema is another entry.
    path.write_text(path.read_text().replace(">hi<", ">hello<"))
    assert not CompiledSchematron(path).stats.cached
    assert [p.message for p in CompiledSchematron(path).problems(parse_bytes(DOC), "d")] == ["hello"]


def test_command_line(tmp_path: Path) -> None:
    """--schematron and --phase on `validate`: findings with the file's line and column, exit codes."""
    from typer.testing import CliRunner

    from tei_tools.cli import app

    document = tmp_path / "doc.xml"
    document.write_bytes(DOC)
    path = schema(tmp_path, """
      <phase id="rend"><active pattern="r"/></phase>
      <pattern id="r"><rule context="t:p[@rend]"><report test="true()" role="warning">rend</report></rule></pattern>
      <pattern id="h"><rule context="t:hi"><assert test="@rend">hi needs rend</assert></rule></pattern>""", "xslt2")
    runner = CliRunner()
    base = ["validate", "--select", "SCT", "--schematron", str(path), str(document)]
    result = runner.invoke(app, base)
    assert result.exit_code == 1
    assert f"{document}:5:1: warning SCT:r rend" in result.stdout
    assert f"{document}:5:23: error SCT:h hi needs rend" in result.stdout  # the column of <hi>
    only_rend = runner.invoke(app, base + ["--phase", "rend"])
    assert only_rend.exit_code == 0 and "SCT:h" not in only_rend.stdout and "SCT:r" in only_rend.stdout
    assert runner.invoke(app, base + ["--ignore", "SCT:h"]).exit_code == 0
    assert runner.invoke(app, base + ["--phase", "nope"]).exit_code == 2
    assert runner.invoke(app, ["validate", "--schematron", str(tmp_path / "missing.sch"), str(document)]).exit_code == 2
    broken = tmp_path / "broken.sch"
    broken.write_text("<schema")
    assert runner.invoke(app, ["validate", "--schematron", str(broken), str(document)]).exit_code == 2


@pytest.mark.parametrize("binding", BINDINGS)
def test_text_and_document_contexts(tmp_path: Path, binding: str) -> None:
    path = schema(tmp_path, """
      <pattern><rule context="t:hi/text()"><report test="true()">text <value-of select="."/></report></rule></pattern>
      <pattern><rule context="/"><assert test="t:TEI/t:standOff">no standOff</assert></rule></pattern>""", binding)
    assert sorted((p.line, p.message) for p in run(path)) == [(1, "no standOff"), (5, "text bold")]


def test_embedded_rules_of_a_grammar(tmp_path: Path) -> None:
    """The grammar layer hands over a RELAX NG grammar: its sch: rules run, and one without any gives nothing."""
    from tei_tools.validate.grammar import bundled_schema_path
    from tei_tools.validate.schematron import embedded_schematron_problems

    grammar = tmp_path / "g.rng"
    grammar.write_text(f"""<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:sch="{SCH}" ns="http://www.tei-c.org/ns/1.0">
      <sch:ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>
      <start><element name="TEI"><sch:rule context="t:hi"><sch:report test="true()">hi</sch:report></sch:rule>
      <sch:rule context="t:p"><sch:report test="@rend">rend</sch:report></sch:rule><text/></element></start></grammar>""", encoding="utf-8")
    tree = parse_bytes(DOC)
    # Two rules outside any pattern: each its own pattern, so neither shadows the other.
    assert sorted((p.line, p.message) for p in embedded_schematron_problems(tree, "d", grammar)) == [(5, "hi"), (5, "rend")]
    assert embedded_schematron_problems(tree, "d", bundled_schema_path("rng")) == []


def test_workers_find_what_one_process_finds(tmp_path: Path) -> None:
    """Workers fork after the schema is compiled; each compiles its own engine."""
    from tei_tools.validate import Config, validate_paths

    path = schema(tmp_path, '<pattern id="w"><rule context="t:p"><report test="true()" role="warning">p</report></rule></pattern>', "xslt2")
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(6):
        (folder / f"d{number}.xml").write_bytes(DOC.replace(b'n="1"', f'n="{number}"'.encode()))
    config = Config.build(select=["SCT"], schematron=[str(path)])
    one = [str(p) for result in validate_paths([str(folder)], config) for p in result.problems]
    two = [str(p) for result in validate_paths([str(folder)], config, jobs=2) for p in result.problems]
    assert one == two and len(one) == 18


@pytest.mark.parametrize("binding", BINDINGS)
def test_subject_markup_in_messages_external_extends_and_xsl_keys(tmp_path: Path, binding: str) -> None:
    (tmp_path / "base.sch").write_text(f'<rule xmlns="{SCH}" abstract="true" id="typed"><assert test="@type">untyped <emph>{{<name/>}}</emph></assert></rule>', encoding="utf-8")
    path = schema(tmp_path, """
      <xsl:key xmlns:xsl="http://www.w3.org/1999/XSL/Transform" name="by-n" match="t:p" use="@n"/>
      <pattern id="keyed"><rule context="t:hi"><report test="key('by-n', '2')" subject="..">hi in p <value-of select="key('by-n', '2')/@n"/></report></rule></pattern>
      <pattern id="ext"><rule context="t:body"><extends href="base.sch"/></rule></pattern>""", binding)
    problems = {p.message: p for p in run(path)}
    assert set(problems) == {"hi in p 2", "untyped {body}"}
    assert problems["hi in p 2"].line == 5 and problems["hi in p 2"].xpath.endswith("}p[2]")  # the subject, not the hi
    assert problems["untyped {body}"].code == "SCT:ext"
