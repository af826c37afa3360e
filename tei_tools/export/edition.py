"""An edition read back from its TEI (metadata, correspondents, entities), and its documented JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from lxml import etree

from ..xmlio import NSMAP, XML_ID, parse_file, tei

AUTHORITY_URI = {
    "wikidata": "http://www.wikidata.org/entity/{}",
    "viaf": "https://viaf.org/viaf/{}",
    "geonames": "http://www.geonames.org/{}",
}


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


@dataclass
class Party:
    kind: str  # person, place, org
    name: str
    key: str | None = None
    ids: dict[str, str] = field(default_factory=dict)

    def authority_uri(self) -> str | None:
        order = ("geonames", "wikidata") if self.kind == "place" else ("wikidata", "viaf")
        for id_type in order:
            if self.ids.get(id_type):
                return AUTHORITY_URI[id_type].format(self.ids[id_type])
        return None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "key": self.key, "ids": dict(sorted(self.ids.items())), "uri": self.authority_uri()}


@dataclass
class Edition:
    """What an exchange needs of one TEI edition."""

    path: str
    id: str
    uri: str | None
    title: str
    date: str | None
    uploaded: str | None
    document_type: str | None
    classification: str | None
    precedence: str | None
    source: dict
    translators: list[str]
    funders: list[str]
    licence: str
    abstract: str
    sent: list[Party]
    received: list[Party]
    copies: list[Party]
    entities: list[dict]
    dates: list[dict]
    distribution: dict
    record: str | None = None  # the record id, when the file has one


KIND_OF = {"persName": "person", "placeName": "place", "orgName": "org", "rs": "person"}


def _party(element: etree._Element, entries: dict[str, etree._Element]) -> Party:
    kind = KIND_OF.get(etree.QName(element).localname, "person")
    key = (element.get("ref") or "").lstrip("#").split()[0] if element.get("ref") else None
    entry = entries.get(key or "")
    name = _text(element)
    ids: dict[str, str] = {}
    if entry is not None:
        preferred = entry.find("tei:*[@type='preferred']", NSMAP)
        name = _text(preferred) if preferred is not None else name
        ids = {idno.get("type"): _text(idno) for idno in entry.iterfind("tei:idno", NSMAP) if idno.get("type") in AUTHORITY_URI}
    return Party(kind, name, key, ids)


_CAT_REF = etree.XPath("//tei:textClass/tei:catRef[@scheme=$scheme]/@target", namespaces=NSMAP)
_CATEGORY = etree.XPath("//tei:category[@xml:id=$key]/tei:catDesc", namespaces={**NSMAP, "xml": "http://www.w3.org/XML/1998/namespace"})


def _category(root: etree._Element, scheme: str) -> str | None:
    """The label of the category the edition's catRef in taxonomy `scheme` points to."""
    targets = _CAT_REF(root, scheme=f"#{scheme}")
    if not targets:
        return None
    descriptions = _CATEGORY(root, key=targets[0].lstrip("#"))
    return _text(descriptions[0]) if descriptions else None


def read_edition(path: str) -> Edition:
    root = parse_file(path).getroot()
    header = root.find("tei:teiHeader", NSMAP)
    if root.tag != tei("TEI") or header is None:
        qname = etree.QName(root)
        if qname.localname == "TEI" and qname.namespace is None:
            raise ValueError('not a TEI edition: <TEI> has no namespace; write <TEI xmlns="http://www.tei-c.org/ns/1.0">')
        raise ValueError(f"not a TEI edition (the root is <{qname.localname}>, and a teiHeader is needed); give TEI files")
    entries = {e.get(XML_ID): e for e in root.iterfind("tei:standOff//*", NSMAP) if isinstance(e.tag, str) and e.get(XML_ID)}
    first = lambda xpath: header.find(xpath, NSMAP)  # noqa: E731
    record = _text(first(".//tei:publicationStmt/tei:idno[@type='WCDA']")) or _text(first(".//tei:publicationStmt/tei:idno"))
    corresp = first(".//tei:correspDesc")
    sent: list[Party] = []
    received: list[Party] = []
    copies: list[Party] = []
    if corresp is not None:
        for action in corresp.iterfind("tei:correspAction", NSMAP):
            parties = [_party(child, entries) for child in action if isinstance(child.tag, str) and etree.QName(child).localname in KIND_OF]
            if action.get("type") == "sent":
                sent.extend(parties)
            elif action.get("type") == "received" and action.get("subtype") == "cc":
                copies.extend(parties)
            elif action.get("type") == "received" and not action.get("subtype"):
                received.extend(parties)
    created = first(".//tei:profileDesc/tei:creation/tei:date")
    text = root.find("tei:text", NSMAP)
    counts: dict[tuple, int] = {}
    parties: dict[tuple, Party] = {}
    dates = []
    if text is not None:
        for element in text.iter(*(tei(t) for t in KIND_OF)):
            party = _party(element, entries)
            key = (party.kind, party.key or party.name)
            counts[key] = counts.get(key, 0) + 1
            parties.setdefault(key, party)
        for date in text.iter(tei("date")):
            dates.append({k: v for k, v in {"text": _text(date), "when": date.get("when"), "notBefore": date.get("notBefore"), "notAfter": date.get("notAfter"), "type": date.get("type"), "evidence": date.get("evidence")}.items() if v})
    distribution: dict = {"recipients": [], "total": None, "dates": {}}
    for div in root.iterfind(".//tei:div[@type='distribution']", NSMAP):
        for item in div.iterfind("tei:list[@type='distribution']/tei:item", NSMAP):
            names = [c for c in item if isinstance(c.tag, str) and etree.QName(c).localname in KIND_OF]
            measure = item.find("tei:measure[@unit='copy']", NSMAP)
            recipient = _party(names[0], entries).as_dict() if names else {"kind": None, "name": _text(item), "key": None, "ids": {}, "uri": None}
            if names:
                recipient["name"] = _text(names[0])
            recipient["copies"] = int(float(measure.get("quantity"))) if measure is not None and measure.get("quantity") else None
            distribution["recipients"].append(recipient)
        total = div.find(".//tei:measure[@type='total']", NSMAP)
        if total is not None and total.get("quantity"):
            distribution["total"] = int(float(total.get("quantity")))
        for date in div.iterfind(".//tei:date[@type]", NSMAP):
            distribution["dates"][date.get("type")] = date.get("when")
    return Edition(
        path=path,
        id=record or PurePath(path).stem,  # never a local path: exports name pages and links by it
        uri=_text(first(".//tei:publicationStmt/tei:idno[@type='URI']")) or None,
        title=_text(first(".//tei:titleStmt/tei:title")),
        date=created.get("when") if created is not None else None,
        uploaded=(first(".//tei:publicationStmt/tei:date[@type='uploaded']").get("when") if first(".//tei:publicationStmt/tei:date[@type='uploaded']") is not None else None),
        document_type=_category(root, "document-type"),
        classification=_category(root, "classification"),
        precedence=_category(root, "precedence"),
        source={
            "citation": _text(first(".//tei:sourceDesc/tei:bibl[@type='source']")) or _text(first(".//tei:sourceDesc/tei:bibl")) or None,
            "repository": _text(first(".//tei:msIdentifier/tei:repository")) or None,
            "file": _text(first(".//tei:msIdentifier/tei:idno")) or None,
            "pages": _text(first(".//tei:msItem/tei:locus")) or None,
        },
        translators=[_text(p) for p in header.iterfind(".//tei:titleStmt/tei:respStmt[tei:resp='translation']/tei:persName", NSMAP)],
        funders=[_text(f) for f in header.iterfind(".//tei:titleStmt/tei:funder", NSMAP)],
        licence="\n\n".join(_text(part) for part in header.iterfind(".//tei:availability/tei:licence/tei:p", NSMAP)) or _text(first(".//tei:availability")),
        abstract=_text(first(".//tei:profileDesc/tei:abstract")),
        sent=sent,
        received=received,
        copies=copies,
        entities=[{**parties[key].as_dict(), "count": count} for key, count in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], str(kv[0][1])))],
        dates=dates,
        distribution=distribution,
        record=record or None,
    )


def edition_json(edition: Edition) -> dict:
    """The JSON form of an edition (documented in docs/JSON.md)."""
    return {
        "format": "tei-tools edition 1",
        "id": edition.id,
        "uri": edition.uri,
        "title": edition.title,
        "date": edition.date,
        "uploaded": edition.uploaded,
        "type": edition.document_type,
        "classification": edition.classification,
        "precedence": edition.precedence,
        "source": edition.source,
        "translators": edition.translators,
        "funders": edition.funders,
        "licence": edition.licence,
        "abstract": edition.abstract or None,
        "correspondence": {
            "sent": [p.as_dict() for p in edition.sent],
            "received": [p.as_dict() for p in edition.received],
            "copies": [p.as_dict() for p in edition.copies],
        },
        "entities": edition.entities,
        "dates": edition.dates,
        "distribution": edition.distribution,
    }
