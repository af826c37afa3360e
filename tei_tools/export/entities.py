"""Entities across editions: counts and authority ids, and the unlinked names editors should review."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from lxml import etree

from ..validate.files import iter_files
from ..xmlio import NSMAP, TEI_NS, XML_ID, parse_file

KIND = {"persName": "person", "placeName": "place", "orgName": "org", "rs": "person"}


@dataclass
class Entity:
    kind: str
    key: str | None
    name: str
    count: int = 0
    files: set[str] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)


@dataclass
class EntityIndex:
    linked: dict[str, Entity] = field(default_factory=dict)
    unlinked: dict[tuple[str, str], Entity] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    files: int = 0  # files read

    @property
    def mentions(self) -> int:
        return sum(e.count for e in self.linked.values()) + sum(e.count for e in self.unlinked.values())

    @property
    def coverage(self) -> float | None:
        """Percent of name mentions that are linked to a register entry; None when there are none
        (nothing linked out of nothing is no evidence of a good edition)."""
        total = self.mentions
        return None if total == 0 else 100.0 * sum(e.count for e in self.linked.values()) / total


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def collect(paths: Iterable[str]) -> EntityIndex:
    index = EntityIndex()
    for path in iter_files(paths):
        try:
            root = parse_file(path).getroot()
        except OSError as exc:  # one bad file never stops the index
            index.errors.append(f"{path}: cannot be read: {exc.strerror or exc}")
            continue
        except Exception as exc:
            index.errors.append(f"{path}: cannot be read as XML: {getattr(exc, 'msg', None) or exc}")
            continue
        if etree.QName(root).namespace != TEI_NS:
            index.errors.append(f'{path}: <{etree.QName(root).localname}> is not in the TEI namespace; write <TEI xmlns="{TEI_NS}">')
            continue
        index.files += 1
        entries = {element.get(XML_ID): element for element in root.iterfind("tei:standOff//*[@xml:id]", {**NSMAP, "xml": "http://www.w3.org/XML/1998/namespace"})}
        text = root.find("tei:text", NSMAP)
        if text is None:
            continue
        for element in text.iter(*(f"{{{TEI_NS}}}{tag}" for tag in KIND)):
            tag = etree.QName(element).localname
            if tag == "rs" and element.get("type") not in (None, "person", "place", "org"):
                continue
            kind = element.get("type") if tag == "rs" and element.get("type") else KIND[tag]
            ref = (element.get("ref") or "").split()
            # "#key" into the file's own standOff, or "register.xml#key" into a shared register file.
            key = ref[0].split("#", 1)[1] or None if ref and "#" in ref[0] else None
            if key:
                entity = index.linked.get(key)
                if entity is None:
                    entry = entries.get(key)
                    preferred = entry.find("tei:*[@type='preferred']", NSMAP) if entry is not None else None
                    name = _text(preferred) if preferred is not None else (_text(entry[0]) if entry is not None and len(entry) else _text(element))
                    ids = {idno.get("type"): (idno.text or "").strip() for idno in entry.iterfind("tei:idno", NSMAP)} if entry is not None else {}
                    entity = index.linked[key] = Entity(kind, key, name, ids=ids)
            else:
                surface = _text(element)
                entity = index.unlinked.setdefault((kind, surface), Entity(kind, None, surface))
            entity.count += 1
            entity.files.add(str(path))
    return index


def rows(index: EntityIndex) -> list[dict]:
    """One row per entity, linked ones first (by kind, then count), then the review queue."""
    linked = sorted(index.linked.values(), key=lambda e: (e.kind, -e.count, e.key or ""))
    unlinked = sorted(index.unlinked.values(), key=lambda e: (e.kind, -e.count, e.name))
    out = []
    for entity in linked + unlinked:
        out.append({
            "status": "linked" if entity.key else "review",
            "kind": entity.kind,
            "key": entity.key or "",
            "name": entity.name,
            "count": entity.count,
            "files": len(entity.files),
            "wikidata": entity.ids.get("wikidata", ""),
            "geonames": entity.ids.get("geonames", ""),
            "viaf": entity.ids.get("viaf", ""),
        })
    return out


__all__ = ["collect", "rows", "EntityIndex", "Path"]
