"""Other projects' Schematron on their own files: TEI All's constraints on the tei-world files,
DraCor's on the Shakespeare plays (read from ../shared when present, never copied)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tei_tools.problems import Severity
from tei_tools.validate.schematron import schematron_problems
from tei_tools.xmlio import NSMAP, parse_file

from .conftest import SHARED

TEI_ALL = SHARED / "reference" / "tei" / "p5-4.12.0"
WORLD = SHARED / "corpora" / "tei-world"
DRACOR = SHARED / "corpora" / "schemas"


def need(*paths: Path) -> None:
    for path in paths:
        if not path.exists():
            pytest.skip(f"{path} not found: reference data in ../shared is absent")


def jing_valid() -> list[Path]:
    need(WORLD / "MANIFEST.md")
    rows = re.findall(r"^\| (\S+\.xml) \|[^\n]*\| (valid|invalid) \|", (WORLD / "MANIFEST.md").read_text(encoding="utf-8"), re.M)
    return [WORLD / name for name, verdict in rows if verdict == "valid"]


def test_tei_all_constraints_agree_between_the_isosch_and_the_grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules extracted into tei_all.isosch and those embedded in tei_all.rng find the same."""
    need(TEI_ALL / "tei_all.isosch", TEI_ALL / "tei_all.rng")
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path))
    small = [path for path in jing_valid() if path.stat().st_size < 100_000]  # the plays follow below
    assert len(small) >= 8
    for path in small:
        tree = parse_file(path)
        extracted = [(p.line, p.severity, p.message) for p in schematron_problems(tree, str(path), TEI_ALL / "tei_all.isosch")]
        embedded = [(p.line, p.severity, p.message) for p in schematron_problems(tree, str(path), TEI_ALL / "tei_all.rng")]
        assert extracted == embedded, path.name


def test_tei_all_constraints_catch_what_real_files_are_changed_to_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need(TEI_ALL / "tei_all.isosch")
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path))
    path = WORLD / "milestones" / "chapters__1750-1775.xml"
    need(path)
    tree = parse_file(path)
    assert schematron_problems(tree, "m.xml", TEI_ALL / "tei_all.isosch") == []  # as published
    paragraph = tree.find(".//tei:body//tei:p", NSMAP)
    paragraph.set("generatedBy", "human")  # allowed by the grammar only inside a <post>
    heading = tree.find(".//tei:body//tei:head", NSMAP)
    heading.set("when", "1760")
    heading.set("to", "1761")  # @when with another dating attribute
    found = {(p.line, p.severity, p.message.split(".")[0]) for p in schematron_problems(tree, "m.xml", TEI_ALL / "tei_all.isosch")}
    assert found == {
        (paragraph.sourceline, Severity.ERROR, "The @generatedBy attribute is for use within a <post> element"),
        (heading.sourceline, Severity.WARNING, "The @when attribute cannot be used with any other att"),
    }


def test_dracor_schematron_on_the_shakespeare_plays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need(DRACOR / "dracor_1.6.0.sch", DRACOR / "dracor_1.6.0.rng")
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path))
    plays = sorted((WORLD / "shakedracor").glob("*.xml"))
    assert len(plays) == 3
    for play in plays[1:]:  # Macbeth and The Tempest: Hamlet alone costs a second more
        tree = parse_file(play)
        problems = schematron_problems(tree, play.name, DRACOR / "dracor_1.6.0.sch")
        root_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")
        # DraCor reports the play's id as an API feature (role="information": not an error).
        feature = [p for p in problems if p.message == f"Supported API feature: play_id [value: {root_id}]"]
        assert [(p.line, p.severity, p.code) for p in feature] == [(tree.getroot().sourceline, Severity.WARNING, "SCT:schematron-constraint-play_id-78")]
        assert any(p.severity is Severity.ERROR and "originalSource" in p.message for p in problems)
    # The rules embedded in DraCor's grammar are the same rules: the same findings, place by place.
    embedded = schematron_problems(tree, play.name, DRACOR / "dracor_1.6.0.rng")
    assert sorted((p.line, p.severity, p.message) for p in embedded) == sorted((p.line, p.severity, p.message) for p in problems)
    assert len(problems) > 20
