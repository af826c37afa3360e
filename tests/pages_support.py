"""What the page-reading tests share: a golden fixture converted and parsed, XPath, plain text."""

from __future__ import annotations

from lxml import etree

from tei_tools.convert import convert_bytes
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import GOLDEN


def convert(name: str, register) -> tuple[etree._Element, list[str]]:
    """The TEI root of golden fixture NAME converted, and the converter's warnings."""
    page = GOLDEN / f"{name}.txt"
    data, encoded = convert_bytes(page.read_bytes(), page.name, register=register)
    return parse_bytes(data).getroot(), encoded.warnings


def xp(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NSMAP)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())
