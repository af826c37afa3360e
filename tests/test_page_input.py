"""Page text as it arrives: encodings, line endings, odd spaces, characters XML cannot hold."""

from __future__ import annotations

import codecs

import pytest

from tei_tools.convert import convert_bytes
from tei_tools.problems import ConversionError
from tei_tools.validate import Config, validate_bytes
from tei_tools.xmlio import parse_bytes

from .conftest import SAMPLE

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def body_of(data: bytes) -> bytes:
    return data.split(b"<text>")[1]


@pytest.fixture(scope="module")
def reference(register) -> bytes:
    return convert_bytes(SAMPLE_TEXT.encode("utf-8"), "s.txt", register=register)[0]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM, the machine's byte order
        lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r").encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16-be-bom", "crlf", "cr"],
)
def test_same_edition_whatever_the_encoding(encode, register, reference: bytes) -> None:
    data, _ = convert_bytes(encode(SAMPLE_TEXT), "s.txt", register=register)
    assert data == reference


def test_odd_spaces_are_white_space(register) -> None:
    text = SAMPLE_TEXT.replace("Liu, ", "Liu,\u2002\u202f").replace("Sent to Ji", "Sent\u00a0to\u3000Ji")
    data, _ = convert_bytes(text.encode(), "s.txt", register=register)
    root = parse_bytes(data).getroot()
    from tei_tools.xmlio import NSMAP

    assert len(root.findall(".//tei:list[@type='distribution']/tei:item", NSMAP)) == 22
    assert root.find(".//tei:seg[@type='addressee']/tei:persName[@ref='#ji-pengfei']", NSMAP) is not None
    assert not [p for p in validate_bytes(data, "s", Config.build()) if str(p.severity) == "error"]


def test_characters_xml_cannot_hold_are_reported_and_replaced(register) -> None:
    text = SAMPLE_TEXT.replace("Following is a summary", "Following\x01 is\x0b a summary\ufffe")
    data, encoded = convert_bytes(text.encode(), "s.txt", register=register)
    parse_bytes(data)  # well-formed
    assert b"\x01" not in data and b"\x0b" not in data
    assert b"Following\xef\xbf\xbd is\xef\xbf\xbd a summary\xef\xbf\xbd" in data
    assert any("not allowed in XML" in w and "U+0001" in w for w in encoded.warnings)


def test_undecodable_bytes_name_the_offset(register) -> None:
    data = SAMPLE_TEXT.encode("utf-8")
    broken = data[:100] + b"\xc3\x28" + data[100:]
    with pytest.raises(ConversionError, match="offset 100"):
        convert_bytes(broken, "s.txt", register=register)


def test_latin1_is_not_guessed(register) -> None:
    with pytest.raises(ConversionError, match="not valid UTF-8 text: byte 0xe9"):
        convert_bytes("October 30, 1964\n\nCaf\u00e9 talks\n".encode("latin-1"), "s.txt", register=register)


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"   \n\n \t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"<html><body>x</body></html>", "HTML"),
    (b'<?xml version="1.0"?><TEI/>', "XML file"),
    (b"Just a sentence.", "not an archive page"),
])
def test_not_a_page(data: bytes, message: str, register) -> None:
    with pytest.raises(ConversionError, match=message):
        convert_bytes(data, "x.txt", register=register)
