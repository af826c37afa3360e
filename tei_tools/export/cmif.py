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


def export_cmif(paths: Iterable[str], *, editor: str, url: str, date: str | None = None, licence_url: str = CMIF_LICENCE, publisher: str | None = None) -> tuple[etree._Element, list[str]]:
    """A CMIF document with one correspDesc per edition, and the problems met on the way."""
    editions: list[Edition] = []
    problems: list[str] = []
    for path in iter_files(paths):
        try:
            editions.append(read_edition(path))
        except Exception as exc:  # one bad file does not stop the export
            problems.append(f"{path}: {exc}")
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = etree.SubElement(root, tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    title_stmt = etree.SubElement(file_desc, tei("titleStmt"))
    etree.SubElement(title_stmt, tei("title")).text = "Correspondence metadata of the encoded editions"
    etree.SubElement(title_stmt, tei("editor")).text = editor
    publication = etree.SubElement(file_desc, tei("publicationStmt"))
    etree.SubElement(publication, tei("publisher")).text = publisher or "History and Public Policy Program, Wilson Center Digital Archive"
    etree.SubElement(publication, tei("idno"), type="url").text = url
    stamp = date or max((e.uploaded for e in editions if e.uploaded), default=None) or "1970-01-01"
    etree.SubElement(publication, tei("date"), when=stamp)
    availability = etree.SubElement(publication, tei("availability"))
    etree.SubElement(availability, tei("licence"), target=licence_url).text = f"This file is licensed under the terms of {licence_url}"
    source_desc = etree.SubElement(file_desc, tei("sourceDesc"))
    profile = etree.SubElement(header, tei("profileDesc"))
    for edition in editions:
        address = edition.uri or f"urn:tei-tools:{edition.id}"
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
    if not editions:
        problems.append("no editions to export")
    body = etree.SubElement(etree.SubElement(root, tei("text")), tei("body"))
    etree.SubElement(body, tei("p"))
    return root, problems


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
