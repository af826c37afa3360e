"""Editions -> a CMIF file (the Correspondence Metadata Interchange Format of correspSearch)."""

from __future__ import annotations

import re
import uuid
from typing import Iterable

from lxml import etree

from ..validate.files import iter_files
from ..xmlio import TEI_NS, XML_ID, tei
from .edition import Edition, Party, read_edition

CMIF_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
NAMESPACE = uuid.UUID("6f1c9f0e-4d47-4c59-9a43-2a1f3d0b7e11")  # stable bibl ids: uuid5 of the address


_CMIF_DATE = re.compile(r"^\d{4}(-\d\d(-\d\d)?)?")


def cmif_date(value: str | None) -> str | None:
    """An ISO value cut to CMIF's precision (YYYY, YYYY-MM or YYYY-MM-DD)."""
    m = _CMIF_DATE.match(value or "")
    return m.group(0) if m else None


_EDITOR = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)>\s*$")
_WEB = re.compile(r"^https?://[^\s/?#<>\"]+[^\s<>\"]*$", re.I)


def parse_editor(value: str) -> tuple[str, str | None]:
    """'Name <mail@example.org>' -> (name, email); a name alone -> (name, None).

    Raises ValueError for text that looks like an address but is not one.
    """
    m = _EDITOR.match(value)
    if m:
        return m["name"], m["email"]
    if "<" in value or ">" in value or not value.strip():
        raise ValueError(f"{value!r}: give the editor as 'Name <mail@example.org>' or a name alone")
    return value.strip(), None


def web_address(value: str | None) -> bool:
    """An absolute http(s) address: the only kind of link written into an exchange file."""
    return bool(value and _WEB.match(value))


def edition_address(edition: Edition, base_url: str | None) -> str | None:
    """Where an edition is published: its own URI, else base-url + its record id."""
    if edition.uri and web_address(edition.uri):
        return edition.uri
    if base_url and edition.record:
        from urllib.parse import quote

        return base_url.rstrip("/") + "/" + quote(edition.record, safe="")
    return None


def export_cmif(paths: Iterable[str], *, editor: str, url: str, date: str | None = None, licence_url: str = CMIF_LICENCE, publisher: str | None = None, base_url: str | None = None) -> tuple[etree._Element, list[str]]:
    """A CMIF document with one correspDesc per edition, and the problems met on the way.

    Each problem is `PATH: what is wrong, and what to do`; a document with problems must not
    be published (a harvester would take it as complete).
    """
    editions: list[Edition] = []
    problems: list[str] = []
    for path in iter_files(paths):
        try:
            editions.append(read_edition(path))
        except Exception as exc:  # one bad file does not stop the export
            problems.append(f"{path}: {_reason(exc)}")
    name, email = parse_editor(editor)
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = "Correspondence metadata of the encoded editions"
    editor_element = etree.SubElement(title_stmt, tei("editor"))
    editor_element.text = name
    if email:
        editor_element.text = name + " "
        etree.SubElement(editor_element, tei("email")).text = email
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("publisher")).text = publisher or "History and Public Policy Program, Wilson Center Digital Archive"
    etree.SubElement(publication, tei("idno"), type="url").text = url
    stamp = date or max((e.uploaded for e in editions if cmif_date(e.uploaded)), default=None)
    if stamp is None and editions:
        problems.append(f"{url}: no publication date: no edition has an upload date; give --date or set SOURCE_DATE_EPOCH")
    etree.SubElement(publication, tei("date"), when=cmif_date(stamp) or "")
    availability = etree.SubElement(publication, tei("availability"))
    etree.SubElement(availability, tei("licence"), target=licence_url).text = f"This file is licensed under the terms of {licence_url}"
    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    profile = etree.SubElement(header, tei("profileDesc"))
    seen: dict[str, str] = {}
    for edition in editions:
        address = edition_address(edition, base_url)
        if address is None:
            problems.append(f"{edition.path}: no published address (idno type=\"URI\") and no record id to build one; give --base-url, the address editions are published under")
            continue
        if address in seen:
            problems.append(f"{edition.path}: published at {address}, as is {seen[address]}; one address, one edition")
            continue
        seen[address] = edition.path
        if not edition.title:
            problems.append(f"{edition.path}: the edition has no title (titleStmt/title); CMIF lists each letter by its title")
            continue
        bibl_id = "uuid-" + str(uuid.uuid5(NAMESPACE, address))  # an xml:id must not start with a digit
        bibl = etree.SubElement(source_desc, tei("bibl"), type="online")
        bibl.set(XML_ID, bibl_id)
        bibl.text = edition.title + ". "
        etree.SubElement(bibl, tei("ref"), target=address).text = address
        corresp = etree.SubElement(profile, tei("correspDesc"), ref=address, source=f"#{bibl_id}")
        _cmif_action(corresp, "sent", edition.sent, cmif_date(edition.date))
        received = edition.received or [Party("person", "Unknown")]
        _cmif_action(corresp, "received", received, None)
        if edition.copies:
            _cmif_action(corresp, "received", edition.copies, None, subtype="cc")
    if not editions and not problems:
        problems.append(f"{url}: no editions to export")
    body = etree.SubElement(etree.SubElement(root, tei("text")), tei("body"))
    etree.SubElement(body, tei("p"))
    if not problems:
        problems.extend(f"{url}: {problem}" for problem in check_cmif(root))
    return root, problems


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot be read: {exc.strerror.lower()}"
    return str(getattr(exc, "msg", None) or exc)


_CMIF_PATTERNS = {
    "date": re.compile(r"^\d{4}(-\d\d(-\d\d)?)?$"),
}


def check_cmif(root: etree._Element) -> list[str]:
    """What correspSearch requires of a CMIF file, checked before it is written (a structural
    check of the CMIF 1.1 grammar's core: header parts, one bibl per correspDesc, actions, dates,
    web addresses only). Returns the failures, empty when the file may be published."""
    failures: list[str] = []
    ns = {"t": TEI_NS}
    header = root.find("t:teiHeader", ns)
    if root.tag != tei("TEI") or header is None:
        return ["the root must be TEI with a teiHeader"]
    for path in ("t:fileDesc/t:titleStmt/t:title", "t:fileDesc/t:titleStmt/t:editor", "t:fileDesc/t:publicationStmt/t:publisher", "t:fileDesc/t:publicationStmt/t:idno[@type='url']", "t:fileDesc/t:publicationStmt/t:date[@when]", "t:fileDesc/t:publicationStmt/t:availability/t:licence[@target]", "t:fileDesc/t:sourceDesc/t:bibl"):
        if header.find(path, ns) is None:
            failures.append(f"the header lacks {path.replace('t:', '')}")
    email = header.find("t:fileDesc/t:titleStmt/t:editor/t:email", ns)
    if email is not None and "@" not in (email.text or ""):
        failures.append("the editor's email is not an address")
    for element, attribute in ((header.find("t:fileDesc/t:publicationStmt/t:idno[@type='url']", ns), None), (header.find(".//t:licence", ns), "target")):
        value = (element.get(attribute) if attribute else element.text) if element is not None else None
        if value is not None and not web_address(value):
            failures.append(f"{value!r} is not an http(s) address")
    bibl_ids = set()
    for bibl in header.iterfind("t:fileDesc/t:sourceDesc/t:bibl", ns):
        if not (bibl.get(XML_ID) or "").strip() or not "".join(bibl.itertext()).strip():
            failures.append("a bibl without xml:id or text")
        bibl_ids.add(bibl.get(XML_ID))
        for ref in bibl.iterfind("t:ref", ns):
            if not web_address(ref.get("target")):
                failures.append(f"bibl link {ref.get('target')!r} is not an http(s) address")
    descs = header.findall("t:profileDesc/t:correspDesc", ns)
    for desc in descs:
        if (desc.get("source") or "")[1:] not in bibl_ids:
            failures.append(f"correspDesc {desc.get('ref')} points to no bibl")
        if not web_address(desc.get("ref")):
            failures.append(f"correspDesc address {desc.get('ref')!r} is not an http(s) address")
        actions = desc.findall("t:correspAction", ns)
        if not any(a.get("type") == "sent" for a in actions) or not any(a.get("type") == "received" for a in actions):
            failures.append(f"correspDesc {desc.get('ref')} needs a sent and a received action")
        for action in actions:
            if not any(child.tag in (tei("persName"), tei("orgName"), tei("placeName"), tei("date")) for child in action):
                failures.append(f"correspDesc {desc.get('ref')}: a correspAction says nothing (no name, place or date)")
            for child in action:
                ref = child.get("ref")
                if ref is not None and not web_address(ref):
                    failures.append(f"{ref!r} is not an authority address")
    for date in root.iter(tei("date")):
        if not _CMIF_PATTERNS["date"].match(date.get("when") or ""):
            failures.append(f"date {date.get('when')!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return failures


def _cmif_action(corresp: etree._Element, kind: str, parties: list[Party], date: str | None, *, subtype: str | None = None) -> None:
    action = etree.SubElement(corresp, tei("correspAction"), type=kind)
    if subtype:
        action.set("subtype", subtype)
    tag = {"person": "persName", "place": "placeName", "org": "orgName"}
    for party in sorted(parties, key=lambda p: p.kind == "place"):  # names first, then places
        element = etree.SubElement(action, tei(tag[party.kind]))
        element.text = party.name
        uri = party.authority_uri()
        if uri:
            element.set("ref", uri)  # authority URIs only, never the file's local keys
    if date:
        etree.SubElement(action, tei("date"), when=date)
    if len(action) == 0:
        etree.SubElement(action, tei("persName")).text = "Unknown"
