"""The annotate stage and command on files written in the styles of other archives."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess

import pytest
from lxml import etree
from typer.testing import CliRunner

from tei_tools.annotate.mentions import Mention, find_mentions
from tei_tools.annotate.names import Context
from tei_tools.cli import app
from tei_tools.encode.annotate_file import Options, annotate_bytes
from tei_tools.encode.diff import unified_diff
from tei_tools.xmlio import NSMAP, parse_bytes
from tests.annotate_support import insertions_only, jing_errors
from tests.conftest import ROOT, jing_or_skip

FIXTURES = ROOT / "tests" / "annotate"
FILES = sorted(FIXTURES.glob("*.xml"))
runner = CliRunner()


@pytest.fixture(scope="module")
def annotated(register) -> dict[str, tuple[bytes, bytes]]:
    out = {}
    for path in FILES:
        data = path.read_bytes()
        out[path.name] = (data, annotate_bytes(data, str(path), register).data)
    return out


def _tree(data: bytes) -> etree._ElementTree:
    return parse_bytes(data)


# -- the stage as data -------------------------------------------------------------------
def test_dates_known_within_bounds_or_as_a_stretch_keep_their_attributes(register):
    """A date with bounds or a stretch of time is written with them, in a converted page and
    in an annotated file alike (both take the mention's attributes)."""
    text = "The talks of late December 1962 ran from 14:30-16:05 on 3 May 1965."
    found = {text[m.start : m.end]: m for m in find_mentions(text, register, Context("1965-05-30"))}
    late = found["late December 1962"]
    assert late.value is None and late.not_before.startswith("1962-12-") and late.not_after == "1962-12-31"
    assert [name for name, _ in late.date_attributes] == ["notBefore", "notAfter"]
    data = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
            '<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>'
            f'<text><body><p>{text}</p></body></text></TEI>').encode()
    dates = _tree(annotate_bytes(data, "t.xml", register).data).findall(".//tei:body//tei:date", NSMAP)
    attributes = {d.text: dict(d.attrib) for d in dates}
    assert attributes["late December 1962"] == {"notBefore": late.not_before, "notAfter": "1962-12-31"}
    assert any("from" in a and "to" in a for a in attributes.values())


def test_mentions_are_data_with_offsets_kinds_keys_values(register):
    text = "On 3 May 1965 Zhou Enlai flew to Moscow and came back on the 28th."
    found = find_mentions(text, register, Context("1965-05-30"))
    by_text = {text[m.start : m.end]: m for m in found}
    assert by_text["3 May 1965"] == Mention(3, 13, "date", None, "1965-05-03")
    assert by_text["Zhou Enlai"].kind == "person" and by_text["Zhou Enlai"].key == "zhou-enlai"
    assert by_text["Moscow"].kind == "place" and by_text["Moscow"].element == "placeName"
    assert by_text["the 28th"].value == "1965-05-28" and by_text["the 28th"].evidence == "internal"


def test_mentions_module_knows_no_xml():
    source = (ROOT / "tei_tools" / "annotate" / "mentions.py").read_text(encoding="utf-8")
    imported = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and ("lxml" in name or "xml" in name.split(".")) for name in imported), imported


def test_converter_goes_through_the_stage():
    source = (ROOT / "tei_tools" / "encode" / "tei.py").read_text(encoding="utf-8")
    assert "find_mentions(" in source and "find_names(" not in source and "find_dates(" not in source


# -- the three fixtures: byte for byte, valid, a no-op the second time ------------------
@pytest.mark.parametrize("name", [path.name for path in FILES])
def test_output_is_input_plus_tags(annotated, name):
    original, output = annotated[name]
    assert output != original, "the fixture names people the register knows"
    assert insertions_only(original, output)


@pytest.mark.parametrize("name", [path.name for path in FILES])
def test_second_run_changes_nothing(annotated, register, name):
    _, output = annotated[name]
    again = annotate_bytes(output, name, register)
    assert again.data == output and not again.problems


def test_fixtures_stay_valid_against_tei_all(annotated, tmp_path):
    jing_or_skip()
    inputs = list(FILES)
    outputs = []
    for path in FILES:
        target = tmp_path / path.name
        target.write_bytes(annotated[path.name][1])
        outputs.append(target)
    errors = jing_errors(inputs + outputs)
    assert not any(errors[str(p)] for p in inputs), "the fixtures are written valid"
    assert not any(errors[str(p)] for p in outputs), {p.name: errors[str(p)][:2] for p in outputs if errors[str(p)]}


def test_documentary_edition_leaves_notes_and_other_markup_alone(annotated):
    original, output = annotated["documentary.xml"]
    before, after = _tree(original), _tree(output)
    for tag in ("note", "title", "foreign", "num", "choice", "idno", "measure"):
        assert [etree.tostring(e, with_tail=False) for e in before.iterfind(f"tei:text//tei:{tag}", NSMAP)] == [etree.tostring(e, with_tail=False) for e in after.iterfind(f"tei:text//tei:{tag}", NSMAP)], tag
    heads = after.findall(".//tei:head", NSMAP)
    assert all(head.find("tei:note[@type='source']", NSMAP) is not None for head in heads)
    assert heads[0].find("tei:date", NSMAP).get("when") == "1964-10-30"
    # An existing @ref is kept; a name that lacked one gains it.
    assert after.find(".//tei:persName[@ref='#khr-editor']", NSMAP) is not None
    assert after.find(".//tei:body//tei:persName[.='Leonid Brezhnev']", NSMAP).get("ref") == "#leonid-brezhnev"
    # French text is left alone; every pointer resolves inside the file.
    french = after.find(".//tei:p[@xml:lang='fr']", {**NSMAP, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert len(french) == 0
    ids = set(after.xpath("//@xml:id"))
    assert {ref[1:] for ref in after.xpath("//tei:text//@ref", namespaces=NSMAP)} <= ids


def test_letters_edition_completes_partial_dates_from_correspdesc(annotated):
    original, output = annotated["letters.xml"]
    after = _tree(output)
    dates = {(d.text, d.get("when"), d.get("evidence")) for d in after.iterfind(".//tei:body//tei:date", NSMAP)}
    assert ("the 28th", "1964-10-28", "internal") in dates
    assert ("29 October", "1964-10-29", "internal") in dates
    # The header is not annotated without --header; the existing standOff list takes the new entries.
    assert _tree(original).find(".//tei:correspDesc", NSMAP) is not None
    assert etree.tostring(_tree(original).find(".//tei:teiHeader", NSMAP)) == etree.tostring(after.find(".//tei:teiHeader", NSMAP))
    assert len(after.findall("tei:standOff", NSMAP)) == 1
    assert after.find("tei:standOff/tei:listPerson/tei:person[@xml:id='leonid-brezhnev']", {**NSMAP, "xml": "http://www.w3.org/XML/1998/namespace"}) is not None
    assert after.find(".//tei:rs", NSMAP).get("ref") is None  # another editor's rs stays as it was


def test_references_cdata_comments_and_prefixes_are_kept(annotated):
    original, output = annotated["references.xml"]
    text = output.decode("utf-8")
    assert "<tei:persName ref=\"#zhou-enlai\">Zhou&#x20;Enlai</tei:persName>" in text  # the reference whole inside
    assert "<![CDATA[Zhou Enlai <arrives> Monday]]>" in text  # nothing inside a CDATA section
    assert "<tei:persName ref=\"#nikita-khrushchev\"><![CDATA[Nikita ]]>Khrushchev</tei:persName>" in text
    assert "<!-- a reader's comment: Kosygin was not there -->" in text
    assert "&lt;<tei:placeName ref=\"#beijing\">Beijing</tei:placeName>&gt;" in text
    assert "Brezhnev</tei:persName>\r\nand" in text
    assert "<persName" not in text.replace("<tei:persName", "")  # the file's prefix, never the default namespace
    assert output.startswith(original[: original.index(b"<tei:TEI")])  # declaration, comment, instruction
    assert not output.endswith(b"\n")  # the input has no final line break


def test_a_file_with_crlf_line_ends_gets_crlf_in_what_is_added(register):
    data = (FIXTURES / "letters.xml").read_bytes().replace(b"\n", b"\r\n")
    output = annotate_bytes(data, "letters-crlf.xml", register).data
    assert b"<standOff>" in output and insertions_only(data, output)
    assert output.count(b"\n") == output.count(b"\r\n")  # no bare line feed added
    assert annotate_bytes(output, "letters-crlf.xml", register).data == output


def test_a_latin_1_file_with_a_prefix_outside_ascii_is_patched_in_its_own_encoding(register):
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<tëi:TEI xmlns:tëi="http://www.tei-c.org/ns/1.0"><tëi:text><tëi:body>'
        "<tëi:p>At the café, Zhou Enlai left Moscow on 5 May 1965.</tëi:p>"
        "</tëi:body></tëi:text></tëi:TEI>\n"
    )
    data = text.encode("latin-1")
    output = annotate_bytes(data, "latin.xml", register).data
    assert insertions_only(data, output)
    decoded = output.decode("latin-1")
    # New elements take the prefix as the file writes it, in the file's own encoding.
    assert '<tëi:persName ref="#zhou-enlai">Zhou Enlai</tëi:persName>' in decoded
    assert '<tëi:date when="1965-05-05">5 May 1965</tëi:date>' in decoded
    assert annotate_bytes(output, "latin.xml", register).data == output


def test_header_only_with_the_option(register):
    data = (FIXTURES / "documentary.xml").read_bytes()
    plain = _tree(annotate_bytes(data, "d.xml", register).data)
    with_header = _tree(annotate_bytes(data, "d.xml", register, Options(header=True)).data)
    assert plain.find(".//tei:teiHeader//tei:placeName", NSMAP) is None
    # Titles stay as they are even with --header; the header's prose is annotated.
    assert with_header.find(".//tei:teiHeader//tei:title//tei:date", NSMAP) is None


def test_other_languages_on_request(register):
    data = (FIXTURES / "documentary.xml").read_bytes()
    french = _tree(annotate_bytes(data, "d.xml", register, Options(languages=frozenset({"en", "fr"}))).data)
    p = french.find(".//tei:p[@xml:lang='fr']", {**NSMAP, "xml": "http://www.w3.org/XML/1998/namespace"})
    assert p.find("tei:persName", NSMAP).get("ref") == "#ho-chi-minh"


def test_id_in_use_for_something_else_is_never_pointed_to(register):
    data = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body><div xml:id="moscow"><p>He went to Moscow.</p></div></body></text></TEI>'
    out = annotate_bytes(data, "x.xml", register).data
    assert b"<placeName>Moscow</placeName>" in out and b'ref="#moscow"' not in out


def test_entities_review_queue_covers_annotated_files(annotated, tmp_path):
    from tei_tools.export.entities import collect

    for name, (_, output) in annotated.items():
        (tmp_path / name).write_bytes(output)
    index = collect([str(tmp_path)])
    assert not index.errors
    assert "zhou-enlai" in index.linked and index.linked["zhou-enlai"].name == "Zhou Enlai"
    assert ("org", "Socialist Unity Party") in index.unlinked


# -- the command -----------------------------------------------------------------------
def test_dry_run_diff_applies_with_patch(register, tmp_path, monkeypatch):
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("the patch command is not installed")
    for path in FILES:
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["annotate", "--dry-run", *[p.name for p in FILES]])
    assert result.exit_code == 0, result.output
    diff = result.stdout_bytes
    assert all((tmp_path / p.name).read_bytes() == p.read_bytes() for p in FILES), "--dry-run writes nothing"
    done = subprocess.run([patch, "-p0"], input=diff, cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    for path in FILES:
        assert (tmp_path / path.name).read_bytes() == annotate_bytes(path.read_bytes(), path.name, register).data


def test_unified_diff_marks_a_missing_final_newline():
    diff = unified_diff("f.xml", b"<a>x</a>", b"<a>y</a>")
    assert diff.endswith(b"+<a>y</a>\n\\ No newline at end of file\n")


def test_command_writes_to_a_folder_and_in_place(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(FIXTURES / "letters.xml", source / "letters.xml")
    result = runner.invoke(app, ["annotate", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "written" in result.output
    written = (tmp_path / "out" / "letters.xml").read_bytes()
    assert (source / "letters.xml").read_bytes() == (FIXTURES / "letters.xml").read_bytes()
    again = runner.invoke(app, ["annotate", "--in-place", str(tmp_path / "out" / "letters.xml")])
    assert again.exit_code == 0 and "unchanged" in again.output
    assert (tmp_path / "out" / "letters.xml").read_bytes() == written


def test_exit_codes_and_a_batch_that_goes_on(tmp_path):
    assert runner.invoke(app, ["annotate", str(FIXTURES / "letters.xml")]).exit_code == 2  # no destination
    assert runner.invoke(app, ["annotate", "--dry-run", str(tmp_path / "missing.xml")]).exit_code == 2
    refused = tmp_path / "doctype.xml"
    refused.write_bytes(b'<!DOCTYPE TEI [<!ENTITY eacute "\xc3\xa9">]><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Mos&eacute;ow</p></body></text></TEI>')
    shutil.copy(FIXTURES / "letters.xml", tmp_path / "letters.xml")
    result = runner.invoke(app, ["annotate", "--in-place", str(refused), str(tmp_path / "letters.xml")])
    assert result.exit_code == 2
    assert "ANN001" in result.output and "DOCTYPE" in result.output
    assert refused.read_bytes().startswith(b"<!DOCTYPE")  # untouched
    assert (tmp_path / "letters.xml").read_bytes() != (FIXTURES / "letters.xml").read_bytes()  # the batch went on


_TEXT_ONLY_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start><element name="TEI"><element name="text"><element name="body">
    <oneOrMore><element name="p"><text/></element></oneOrMore>
  </element></element></element></start>
</grammar>"""


def test_grammar_guard_leaves_the_file_untouched(tmp_path):
    schema = tmp_path / "text-only.rng"
    schema.write_text(_TEXT_ONLY_RNG, encoding="utf-8")
    target = tmp_path / "doc.xml"
    original = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Zhou Enlai in Moscow.</p></body></text></TEI>\n'
    target.write_bytes(original)
    result = runner.invoke(app, ["annotate", "--in-place", "--schema", str(schema), str(target)])
    assert result.exit_code == 1
    assert "ANN002" in result.output
    assert target.read_bytes() == original
    # The file's own xml-model is the grammar by default (a local file; nothing is fetched).
    modelled = tmp_path / "modelled.xml"
    modelled.write_bytes(b'<?xml-model href="text-only.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + original)
    again = runner.invoke(app, ["annotate", "--in-place", str(modelled)])
    assert again.exit_code == 1 and "ANN002" in again.output


def test_grammar_guard_keeps_validity_but_asks_none_of_an_invalid_input(tmp_path):
    schema = tmp_path / "text-only.rng"
    schema.write_text(_TEXT_ONLY_RNG, encoding="utf-8")
    # Invalid before (a head the grammar does not allow): annotating cannot break what was broken.
    invalid = tmp_path / "invalid.xml"
    invalid.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><head>Notes</head><p>Zhou Enlai in Moscow.</p></body></text></TEI>\n')
    result = runner.invoke(app, ["annotate", "--in-place", "--schema", str(schema), str(invalid)])
    assert result.exit_code == 0, result.output
    assert b"<persName" in invalid.read_bytes()
    # Valid before and after (no name or date to tag): written as it is, no problem.
    plain = tmp_path / "plain.xml"
    plain.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>nothing to see here</p></body></text></TEI>\n')
    assert runner.invoke(app, ["annotate", "--in-place", "--schema", str(schema), str(plain)]).exit_code == 0


def test_register_out_collects_entries_in_a_shared_file(tmp_path):
    from tei_tools.annotate.register import load_register_file

    out = tmp_path / "out"
    register_file = tmp_path / "register.xml"
    result = runner.invoke(app, ["annotate", str(FIXTURES / "documentary.xml"), "-o", str(out), "--register-out", str(register_file)])
    assert result.exit_code == 0, result.output
    tree = _tree((out / "documentary.xml").read_bytes())
    refs = tree.xpath("//tei:body//tei:persName/@ref", namespaces=NSMAP)
    assert "../register.xml#zhou-enlai" in refs
    assert tree.find("tei:standOff", NSMAP) is None
    keys = set(load_register_file(register_file).xpath("//@xml:id"))
    assert {"zhou-enlai", "moscow", "leonid-brezhnev"} <= keys
    again = runner.invoke(app, ["annotate", "--in-place", str(out / "documentary.xml"), "--register-out", str(register_file)])
    assert again.exit_code == 0 and "unchanged" in again.output
    # The review queue counts pointers into the shared register file as links.
    from tei_tools.export.entities import collect

    index = collect([str(out)])
    assert "zhou-enlai" in index.linked and ("person", "Zhou Enlai") not in index.unlinked


# -- relinking edited editions ---------------------------------------------------------
def test_relink_adds_links_to_edited_editions_only(tmp_path):
    from tests.conftest import SAMPLE

    folder = tmp_path / "encoded"
    assert runner.invoke(app, ["convert", str(SAMPLE), "-o", str(folder)]).exit_code == 0
    edition = folder / "119037.xml"
    written = edition.read_bytes()
    manifest = (folder / ".tei-tools.json").read_bytes()
    first_ref = written.index(b'<persName ref="#', written.index(b"<text>"))
    end = written.index(b">", first_ref)
    edited = written[:first_ref] + b"<persName" + written[end:]  # an editor dropped a link
    edited = edited.replace(b"</TEI>", b"<!-- checked by hand -->\n</TEI>")
    edition.write_bytes(edited)
    # convert keeps the edited file and says what relink would do.
    told = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(folder)])
    assert told.exit_code == 1 and "would gain links: tei-tools annotate --relink" in told.output
    result = runner.invoke(app, ["annotate", "--relink", "--in-place", str(edition)])
    assert result.exit_code == 0, result.output
    relinked = edition.read_bytes()
    assert relinked == edited[:first_ref] + written[first_ref:end] + edited[first_ref + len(b"<persName") :]
    assert (folder / ".tei-tools.json").read_bytes() == manifest  # still an edited file: convert keeps it
    unedited = tmp_path / "other"
    assert runner.invoke(app, ["convert", str(SAMPLE), "-o", str(unedited)]).exit_code == 0
    skipped = runner.invoke(app, ["annotate", "--relink", "--in-place", str(unedited / "119037.xml")])
    assert skipped.exit_code == 0 and "skipped" in skipped.output
    foreign = runner.invoke(app, ["annotate", "--relink", "--dry-run", str(FIXTURES / "letters.xml")])
    assert foreign.exit_code == 0 and foreign.stdout_bytes == b""
    assert json.loads(manifest)["files"]


def test_relink_gives_an_existing_entry_the_ids_the_register_now_has(tmp_path):
    """An entry written under an older register (here: without its Wikidata id) gains the id,
    and nothing else of the file changes (relink works only on files the tool wrote)."""
    from tests.conftest import SAMPLE

    folder = tmp_path / "encoded"
    assert runner.invoke(app, ["convert", str(SAMPLE), "-o", str(folder)]).exit_code == 0
    edition = folder / "119037.xml"
    written = edition.read_bytes()
    line = b'\n        <idno type="wikidata">Q35314</idno>'
    assert line in written
    older = written.replace(line, b"", 1)
    edition.write_bytes(older)
    result = runner.invoke(app, ["annotate", "--relink", "--in-place", str(edition)])
    assert result.exit_code == 0, result.output
    assert "given newer authority ids" in result.output
    assert edition.read_bytes() == written  # the id back where the register puts it, nothing else


def test_taggable_elements_take_names_and_dates_in_tei_all():
    """Every element annotate tags inside admits persName, placeName, orgName, rs and date as
    children in TEI All (read from the reference grammar where present)."""
    from tests.conftest import TEI_ALL_RNG
    from tei_tools.encode.annotate_file import TAGGABLE
    from tei_tools.xmlio import parse_grammar

    if not TEI_ALL_RNG.exists():
        pytest.skip(f"TEI All not found at {TEI_ALL_RNG}")
    rng = "{http://relaxng.org/ns/structure/1.0}"
    grammar = parse_grammar(TEI_ALL_RNG)
    defines: dict[str, list[etree._Element]] = {}
    for define in grammar.iter(rng + "define"):
        defines.setdefault(define.get("name"), []).append(define)

    def children(node: etree._Element, seen: set[str]) -> set[str]:
        found: set[str] = set()
        for child in node:
            if child.tag == rng + "element":
                found.add(child.get("name"))
            elif child.tag == rng + "ref" and child.get("name") not in seen:
                seen.add(child.get("name"))
                for define in defines.get(child.get("name"), []):
                    found |= children(define, seen)
            elif child.tag != rng + "attribute" and isinstance(child.tag, str):
                found |= children(child, seen)
        return found

    for name in sorted(TAGGABLE):
        element = next(e for define in defines[name] for e in define.iter(rng + "element") if e.get("name") == name)
        assert {"persName", "placeName", "orgName", "rs", "date"} <= children(element, set()), name


def test_a_defect_on_one_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    import tei_tools.encode.annotate_batch as batch

    def broken(data, path, register, options=None):
        if path.endswith("bad.xml"):
            raise RuntimeError("boom")
        return annotate_bytes(data, path, register, options)

    monkeypatch.setattr(batch, "annotate_bytes", broken)
    shutil.copy(FIXTURES / "letters.xml", tmp_path / "bad.xml")
    shutil.copy(FIXTURES / "letters.xml", tmp_path / "good.xml")
    result = runner.invoke(app, ["annotate", "--in-place", str(tmp_path / "bad.xml"), str(tmp_path / "good.xml")])
    assert result.exit_code == 2 and "ANN006" in result.output and "boom" in result.output
    assert (tmp_path / "bad.xml").read_bytes() == (FIXTURES / "letters.xml").read_bytes()
    assert (tmp_path / "good.xml").read_bytes() != (FIXTURES / "letters.xml").read_bytes()


def test_nothing_is_tagged_inside_a_word_token(register):
    data = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p><w><add>Moscow</add></w> and Moscow</p></body></text></TEI>'
    out = annotate_bytes(data, "w.xml", register).data
    assert b"<w><add>Moscow</add></w> and <placeName" in out


def test_a_name_read_as_a_person_elsewhere_in_the_file_is_no_place_on_a_cue(register):
    page = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>{}</p><p>The soldiers looked at Alice, and then at Moscow.</p></body></text></TEI>'
    out = annotate_bytes(page.format("Alice said nothing.").encode(), "alice.xml", register).data
    assert out.count(b"<persName>Alice</persName>") == 2 and b"<placeName>Alice" not in out
    assert b'<placeName ref="#moscow">Moscow</placeName>' in out  # a place the register knows stays one
    # alone, the cue decides (no other text says who Alice is)
    alone = annotate_bytes(page.format("Nothing.").encode(), "at.xml", register).data
    assert b"<placeName>Alice</placeName>" in alone


def test_a_person_read_twice_is_that_person_wherever_the_file_names_them(register):
    paragraphs = [
        "Alice said nothing.", "Alice thought so.",  # read as a person twice by the finders
        "It was all the fault of Alice, they said.", "Then Alice smiled.", "It was Alice’s turn.",
        "Nothing more. Alice left.",  # a sentence's start: any word may stand there
        "It was Lena\n  Alice there.", "They saw Alice Logan.",  # part of a name the finders did not read
        "They walked down Alice Street.",  # a street's name
    ]
    page = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></text></TEI>"
    out = annotate_bytes(page.encode(), "spread.xml", register).data.decode()
    for tagged in ("the fault of <persName>Alice</persName>, they", "Then <persName>Alice</persName> smiled", "was <persName>Alice</persName>’s turn"):
        assert tagged in out
    for untagged in ("Nothing more. Alice left.", "Lena\n  Alice there", "saw Alice Logan", "down Alice Street"):
        assert untagged in out
    assert out.count("<persName") == 5 and "ref=" not in out.split("<standOff")[0]  # never a guessed link
    once = annotate_bytes(page.replace("<p>Alice thought so.</p>", "").encode(), "once.xml", register).data.decode()
    assert "fault of Alice," in once  # read once only: no other text is changed


def test_a_word_the_file_writes_in_lower_case_is_not_spread(register):
    page = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Hope said nothing.</p><p>Hope replied at once.</p><p>They met Hope there, full of hope.</p></body></text></TEI>'
    out = annotate_bytes(page.encode(), "hope.xml", register).data.decode()
    assert "<persName>Hope</persName> said" in out and "met Hope there" in out


def test_grammar_named_by_address_is_found_as_the_validator_finds_it(tmp_path, monkeypatch):
    """An xml-model naming TEI All by its web address is checked against the local copy that
    TEI_TOOLS_SCHEMAS holds (here a stricter grammar of that name, so the guard must refuse)."""
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "tei_all.rng").write_text(_TEXT_ONLY_RNG, encoding="utf-8")
    target = tmp_path / "doc.xml"
    original = (b'<?xml-model href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" '
                b'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
                b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Zhou Enlai in Moscow.</p></body></text></TEI>\n')
    target.write_bytes(original)
    monkeypatch.setenv("TEI_TOOLS_SCHEMAS", str(schemas))
    result = runner.invoke(app, ["annotate", "--in-place", str(target)])
    assert result.exit_code == 1 and "ANN002" in result.output
    assert target.read_bytes() == original
    monkeypatch.delenv("TEI_TOOLS_SCHEMAS")
    unmapped = runner.invoke(app, ["annotate", "--dry-run", str(target)])
    assert "ANN004" in unmapped.output and "TEI_TOOLS_SCHEMAS" in unmapped.output  # says how to map it


def test_the_documents_country_reads_a_slashed_date_its_date_leaves_open(register):
    text = "The reply of 3/9/75 was handed over."
    soviet = find_mentions(text, register, Context("1975-10-01", "soviet-union"))
    unknown = find_mentions(text, register, Context("1975-10-01"))
    assert [m.value for m in soviet if m.kind == "date"] == ["1975-09-03"]  # day first, as written there
    assert [m.value for m in unknown if m.kind == "date"] == []  # two readings and nothing to settle them


def test_a_file_naming_no_grammar_is_kept_valid_against_tei_all_where_known(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "tei_all.rng").write_text(_TEXT_ONLY_RNG, encoding="utf-8")  # a stricter stand-in of that name
    target = tmp_path / "doc.xml"
    original = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Zhou Enlai in Moscow.</p></body></text></TEI>\n'
    target.write_bytes(original)
    monkeypatch.setenv("TEI_TOOLS_SCHEMAS", str(schemas))
    result = runner.invoke(app, ["annotate", "--in-place", str(target)])
    assert result.exit_code == 1 and "ANN002" in result.output and target.read_bytes() == original
    monkeypatch.delenv("TEI_TOOLS_SCHEMAS")
    assert runner.invoke(app, ["annotate", "--in-place", str(target)]).exit_code == 0 and target.read_bytes() != original
