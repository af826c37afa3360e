"""The authority register: TEI lists of persons, places, organisations and events, keyed by xml:id."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from ..problems import ConversionError
from ..xmlio import XML_ID, parse_bytes, tei

KINDS = {"person": "persName", "place": "placeName", "org": "orgName", "event": "label"}
LIST_OF = {"person": "listPerson", "place": "listPlace", "org": "listOrg", "event": "listEvent"}


@dataclass(frozen=True)
class Name:
    text: str
    descriptive: bool = False


@dataclass
class Entry:
    key: str
    kind: str
    preferred: str
    names: list[Name]
    ids: dict[str, str]
    start: str | None = None
    end: str | None = None
    country: str | None = None
    element: etree._Element | None = field(default=None, repr=False)

    def valid_on(self, iso: str | None) -> bool | None:
        """True/False when the entry's period and the date settle it, None when unknown."""
        if not iso or (self.start is None and self.end is None):
            return None
        day = iso[:10]
        if self.start and day < self.start[: len(day)]:
            return False
        if self.end and day > self.end[: len(day)]:
            return False
        return True


class Register:
    """Entries by key, in the order they were read; later files may add but not redefine keys."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]

    def merge_tree(self, root: etree._Element, origin: str) -> None:
        # Children by their full tag rather than by path: the packaged register alone has
        # some 2,000 entries, read at every start.
        idno_tag, country_tag = tei("idno"), tei("country")
        for kind, name_tag in KINDS.items():
            name_full = tei(name_tag)
            for element in root.iter(tei(kind)):
                key = element.get(XML_ID)
                if key is None:
                    continue
                if key in self.entries:
                    raise ConversionError(f"{origin}: duplicate register key '{key}' (line {element.sourceline})")
                names = [
                    Name(" ".join(child.text.split()), child.get("subtype") == "descriptive")
                    for child in element.iterchildren(name_full)
                    if child.text and not child.text.isspace()
                ]
                if not names:
                    raise ConversionError(f"{origin}: register entry '{key}' has no <{name_tag}> (line {element.sourceline})")
                ids = {idno.get("type"): (idno.text or "").strip() for idno in element.iterchildren(idno_tag) if idno.get("type")}
                country = next(element.iterchildren(country_tag), None)
                self.entries[key] = Entry(
                    key=key,
                    kind=kind,
                    preferred=names[0].text,
                    names=names,
                    ids=ids,
                    start=element.get("from") or element.get("notBefore"),
                    end=element.get("to") or element.get("notAfter"),
                    country=(country.get("ref") or "").lstrip("#") or None if country is not None else None,
                    element=element,
                )

    def element_for(self, key: str) -> etree._Element:
        """A copy of the TEI element of an entry, for a document's standOff."""
        entry = self.entries[key]
        assert entry.element is not None
        return copy.deepcopy(entry.element)


def load_register_file(path: str | Path) -> etree._Element:
    try:
        root = parse_bytes(Path(path).read_bytes()).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ConversionError(f"{path}: not a readable register file: {exc}") from None
    except Exception as exc:  # UnsafeXML and kin: the message says what
        raise ConversionError(f"{path}: refused: {exc}") from None
    if root.tag not in (tei("TEI"), tei("standOff"), tei("listPerson"), tei("listPlace"), tei("listOrg")):
        raise ConversionError(f"{path}: a register must be TEI (TEI, standOff or listPerson/listPlace/listOrg), not <{etree.QName(root).localname}>")
    return root


@lru_cache(maxsize=1)
def _packaged_root() -> etree._Element:
    data = resources.files("tei_tools.annotate").joinpath("data/register.xml").read_bytes()
    return parse_bytes(data).getroot()


def load_register(extra: tuple[str, ...] = ()) -> Register:
    """The packaged register merged with editors' register files, in the order given."""
    register = Register()
    register.merge_tree(_packaged_root(), "packaged register")
    for path in extra:
        register.merge_tree(load_register_file(path), str(path))
    return register
