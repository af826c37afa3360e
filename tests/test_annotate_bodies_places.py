"""Organisations as diplomatic documents name them, linked only when the register identifies the
body; the Koreas, Germanies, Vietnams and Chinas resolved by text, date and origin."""

from __future__ import annotations

import pytest

from tei_tools.annotate.names import Context, find_names


def names(text: str, register, context: Context) -> list[tuple[str, str, str | None]]:
    return [(m.tag, text[m.start:m.end], m.ref) for m in find_names(text, register, context) if m.depth == 0]


POLAND_1965 = Context("1965-02-11", "poland")
CHINA_1965 = Context("1965-02-11", "china-prc")


@pytest.mark.parametrize("text,body", [
    ("a note from the Division of Eastern European Affairs", "Division of Eastern European Affairs"),
    ("the Embassy of Bulgaria in Hanoi reported", "Embassy of Bulgaria in Hanoi"),
    ("the Consulate General in Shenyang", "Consulate General in Shenyang"),
    ("the Polish Foreign Ministry replied", "Polish Foreign Ministry"),
    ("the Committee for State Security of the USSR", "Committee for State Security of the USSR"),
    ("the Secretariat of the Central Committee of the Hungarian Socialist Workers' Party", "Secretariat of the Central Committee of the Hungarian Socialist Workers' Party"),
    ("the Mongolian delegation arrived", "Mongolian delegation"),
    ("a statement of the Council of Ministers of the GDR", "Council of Ministers of the GDR"),
])
def test_bodies_named_as_documents_name_them(text: str, body: str, register) -> None:
    assert ("orgName", body, None) in names(text, register, POLAND_1965)


def test_a_body_of_one_country_is_not_another_countrys() -> None:
    from tei_tools.annotate.register import load_register

    register = load_register()
    assert names("the Ministry of Foreign Affairs received him", register, POLAND_1965) == [("orgName", "Ministry of Foreign Affairs", None)]
    assert names("the Ministry of Foreign Affairs received him", register, CHINA_1965) == [("orgName", "Ministry of Foreign Affairs", "prc-mfa")]


def test_the_register_links_a_body_it_identifies(register) -> None:
    assert ("orgName", "TASS", "tass") in names("a TASS statement", register, POLAND_1965)
    assert ("orgName", "Central Committee of the CPSU", "cpsu-central-committee") in names("the Central Committee of the CPSU decided", register, POLAND_1965)


def test_the_foreign_ministry_in_a_city_is_no_mission(register) -> None:
    found = names("we protested to the Foreign Ministry in Peking", register, Context("1959-09-26", "india"))
    assert ("orgName", "Foreign Ministry", None) in found and ("placeName", "Peking", "beijing") in found


def test_an_ordinal_congress_is_an_event(register) -> None:
    assert [n for n in names("at the 22nd Congress of the CPSU", register, POLAND_1965) if n[1].startswith("22nd")] == []


# --- the divided countries ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["South Korea", "south Korea", "Korea (South)", "the ROK", "the Republic of Korea"])
def test_the_republic_of_korea_in_every_form(text: str, register) -> None:
    found = names(f"talks with {text} began", register, Context("1972-07-04", "north-korea"))
    assert [ref for tag, _, ref in found if tag == "placeName"] == ["south-korea"]


def test_korea_by_the_documents_origin(register) -> None:
    assert names("students from Korea", register, Context("1964-10-30", "china-prc")) == [("placeName", "Korea", "north-korea")]
    assert names("students from Korea", register, Context("1964-10-30", "south-korea")) == [("placeName", "Korea", "south-korea")]
    assert names("students from Korea", register, Context("1964-10-30", "united-states")) == [("placeName", "Korea", None)]
    assert names("students from Korea", register, Context("1964-10-30")) == [("placeName", "Korea", None)]


def test_the_germanies(register) -> None:
    assert names("the FRG and the GDR", register, Context("1970-03-19", "east-germany")) == [
        ("placeName", "FRG", "west-germany"), ("placeName", "GDR", "east-germany")]
    assert names("the Federal Republic of Germany", register, Context("1961-08-24")) == [("placeName", "Federal Republic of Germany", "west-germany")]
    assert names("the Federal Republic of Germany", register, Context("1995-01-01")) == [("placeName", "Federal Republic of Germany", "germany")]
    assert names("two states in Germany", register, Context("1970-03-19", "east-germany")) == [("placeName", "Germany", None)]


def test_the_vietnams(register) -> None:
    assert names("South Vietnam and the RVN", register, Context("1965-04-10", "china-prc")) == [
        ("placeName", "South Vietnam", "vietnam-rvn"), ("placeName", "RVN", "vietnam-rvn")]
    assert names("aid to Vietnam", register, Context("1965-04-10", "china-prc")) == [("placeName", "Vietnam", "vietnam-drv")]
    assert names("withdraw from Vietnam", register, Context("1971-07-09", "united-states")) == [("placeName", "Vietnam", None)]
    assert names("trade with Vietnam", register, Context("1985-01-01", "united-states")) == [("placeName", "Vietnam", "vietnam")]


def test_the_chinas(register) -> None:
    found = names("the Republic of China and the PRC", register, Context("1957-11-25", "united-states"))
    assert found == [("placeName", "Republic of China", "taiwan"), ("placeName", "PRC", "china-prc")]


def test_place_names_in_capitals(register) -> None:
    assert names("FROM NOVOSIBIRSK TO PYONGYANG", register, Context("1970-01-01")) == [
        ("placeName", "NOVOSIBIRSK", "novosibirsk"), ("placeName", "PYONGYANG", "pyongyang")]


def test_an_unknown_name_after_in_at_near_is_a_place(register) -> None:
    context = Context("1953-07-29", "china-prc")
    assert names("The agreement was signed at Panmunjom and later near Kumsong.", register, context) == [
        ("placeName", "Panmunjom", None), ("placeName", "Kumsong", None)]
    assert names("He spoke in English, in Nos. 5 and in Comrade Kim's name.", register, context) == [("persName", "Kim", None)]
    assert names("SIGNED IN ACCORDANCE WITH THE AGREEMENT", register, context) == []
