"""Persons by shape and context: titles in every form, initials, capitals, fields, lists,
signatures, glosses, transliteration shapes; and what is never a person, and no wrong link."""

from __future__ import annotations

import pytest

from tei_tools.annotate import shapes
from tei_tools.annotate.names import Context, find_names

SOVIET_1970 = Context("1970-03-10", "soviet-union")
US_1968 = Context("1968-05-02", "united-states")


def persons(text: str, register, context: Context = SOVIET_1970, *, in_list: bool = False) -> list[tuple[str, str | None]]:
    return [(text[m.start:m.end], m.ref) for m in find_names(text, register, context, in_list=in_list) if m.tag == "persName"]


@pytest.mark.parametrize("text,name", [
    ("Cde. Kirilenko arrived.", "Kirilenko"),
    ("the answer of Com. Pelshe was short", "Pelshe"),
    ("Comrade Tolkunov raised the question.", "Tolkunov"),
    ("Ambassador Abrasimov said nothing.", "Abrasimov"),
    ("Premier Nosek received them.", "Nosek"),
    ("Vice-Chairman Choe Hyon left.", "Choe Hyon"),
    ("Mr. Harlow telephoned.", "Harlow"),
    ("Marshal Grechko inspected the units.", "Grechko"),
    ("Lieutenant General Basov was present.", "Basov"),
    ("PRESIDENT TRAN VAN HUONG SAID NOTHING.", "TRAN VAN HUONG"),
    ("AMBASSADOR BERGER CALLED.", "BERGER"),
    ("interpreter Zhu Ruizhen translated.", "Zhu Ruizhen"),
])
def test_titles_in_every_form_and_case(text: str, name: str, register) -> None:
    assert (name, None) in persons(text, register)


def test_plural_titles_list_every_name(register) -> None:
    found = persons("Cdes. Rusakov, Zamyatin and Ilyichev took part.", register)
    assert found == [("Rusakov", None), ("Zamyatin", None), ("Ilyichev", None)]


@pytest.mark.parametrize("text,name", [
    ("a letter signed by K. Mazurov", "K. Mazurov"),
    ("the note of V.V. Kuznetsov was read", "V.V. Kuznetsov"),
    ("as Yu. A. Shchelokov reported", "Yu. A. Shchelokov"),
    ("with Walter J. Stoessel present", "Walter J. Stoessel"),
])
def test_initials_with_a_surname(text: str, name: str, register) -> None:
    assert (name, None) in persons(text, register)


def test_initials_of_a_known_person_are_part_of_the_name(register) -> None:
    assert persons("a talk with A.A. Gromyko on Berlin", register) == [("A.A. Gromyko", "andrei-gromyko")]


@pytest.mark.parametrize("text,name", [
    ("the deputy minister LI Qiang arrived", "LI Qiang"),
    ("received by Comrade Horst SINDERMANN", "Horst SINDERMANN"),
    ("The head of the section is CHOE Song-il.", "CHOE Song-il"),
])
def test_surname_in_capitals(text: str, name: str, register) -> None:
    assert (name, None) in persons(text, register)


@pytest.mark.parametrize("words,tradition", [
    (["Huang", "Zhen"], "chinese"), (["Chang", "Wen-chin"], "chinese"), (["Ch'iao", "Kuan-hua"], "chinese"),
    (["Ho", "Dam"], "chinese"), (["Pak", "Song-chol"], "korean"), (["Kim", "Yong-ju"], "korean"),
    (["Nguyen", "Duy", "Trinh"], "vietnamese"), (["Sato", "Eisaku"], "japanese"),
    (["Soviet", "Union"], None), (["Great", "Hall"], None), (["Red", "Cross"], None), (["Foreign", "Office"], None),
])
def test_transliteration_shapes(words: list[str], tradition: str | None) -> None:
    assert shapes.east_asian_name(words) == tradition


@pytest.mark.parametrize("word,russian", [
    ("Podgorny", True), ("Ponomarev", True), ("Shelepin", True), ("Kovalenko", True),
    ("Report", False), ("Moscow", False), ("Tsedenbal", False),
])
def test_russian_surname_shape(word: str, russian: bool) -> None:
    assert shapes.russian_surname(word) is russian


def test_names_by_shape_without_a_title(register) -> None:
    found = persons("The talks with Huang Zhen and Pak Song-chol lasted long; Podgorny said little.", register)
    assert found == [("Huang Zhen", None), ("Pak Song-chol", None), ("Podgorny", None)]


def test_a_gloss_belongs_to_the_name(register) -> None:
    text = "Vice Minister Ri Jong-ok [Li Jong Ok] and the consul."
    assert persons(text, register) == [("Ri Jong-ok [Li Jong Ok]", None)]


def test_fields_and_signatures(register) -> None:
    assert persons("Present: Gerhard Kegel, Werner Lamberz; Ernst Scholz.", register) == [
        ("Gerhard Kegel", None), ("Werner Lamberz", None), ("Ernst Scholz", None)]
    assert persons("V. SEMYONOV", register) == [("V. SEMYONOV", None)]
    assert persons("4. PORTER", register, US_1968) == [("PORTER", None)]


def test_a_name_listed_with_a_person_is_a_person(register) -> None:
    assert persons("Comrade Hermann Matern, Paul Verner and Kurt Hager.", register) == [
        ("Hermann Matern", None), ("Paul Verner", None), ("Kurt Hager", None)]


@pytest.mark.parametrize("text", [
    "The Vice-Chairman spoke first.",
    "The Deputies voted.",
    "Comrades, the plenum is open.",
    "A. The first point.",
    "TELEGRAM",
    "MEMORANDUM OF CONVERSATION",
    "The Ambassador said that the Minister agreed.",
    "Damansky Island was shelled.",
    "in Bonn informed the mission",
])
def test_roles_words_and_initials_are_never_persons(text: str, register) -> None:
    assert persons(text, register) == []


def test_unknown_persons_are_not_linked(register) -> None:
    assert all(ref is None for _, ref in persons("Cde. Kirilenko and Huang Zhen met.", register))


# --- no wrong link -----------------------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("Raúl Castro spoke for the army.", "Raúl Castro"),
    ("Robert Kennedy raised the question in the Senate.", "Robert Kennedy"),
    ("Pan Mingxing of the Chinese embassy", "Pan Mingxing"),
    ("Ambassador Qiao Xiaoguang called.", "Qiao Xiaoguang"),
    ("R. Kennedy", "R. Kennedy"),
])
def test_a_namesake_is_not_linked(text: str, name: str, register) -> None:
    assert persons(text, register, US_1968) == [(name, None)]


def test_the_given_name_of_the_entry_keeps_the_link(register) -> None:
    assert persons("Comrade Fidel Castro and Nicolae Ceauşescu", register) == [
        ("Fidel Castro", "fidel-castro"), ("Nicolae Ceauşescu", "nicolae-ceausescu")]


def test_a_place_inside_a_persons_name_is_no_place(register) -> None:
    found = [(m.tag, "Comrade Sofia Ivanova arrived."[m.start:m.end]) for m in find_names("Comrade Sofia Ivanova arrived.", register, SOVIET_1970)]
    assert found == [("persName", "Sofia Ivanova")]
    found = [(m.tag, m.ref) for m in find_names("Comrade Zhao Ziyang and Hu Yaobang", register, Context("1985-01-01", "china-prc"))]
    assert ("placeName", "ziyang") not in found and found.count(("persName", None)) == 2


def test_credits_apposition_and_what_only_reports(register) -> None:
    assert persons("Translated by Gary Goldberg.", register) == [("Gary Goldberg", None)]
    assert persons("He met the American Ambassador, Llewellyn Thompson, at noon.", register) == [("Llewellyn Thompson", None)]
    assert persons("Nobody said anything. Pravda reported the speech. Radio Peking reported it.", register) == []


@pytest.mark.parametrize("line", ["NNNN", "EXCERPT", "DECLASSIFIED", "UNQUOTE", "REFTEL"])
def test_telegram_words_on_a_line_are_no_signature(line: str, register) -> None:
    assert persons(line, register, US_1968) == []
