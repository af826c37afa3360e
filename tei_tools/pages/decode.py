"""Decoding page text: encodings, line endings and characters XML cannot hold."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..problems import ConversionError

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_page(data: bytes) -> DecodedText:
    """Bytes of a page -> text with LF line endings and only XML characters.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read; anything else is an error
    that names the first byte that does not decode.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, payload = "utf-8-sig", data
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, payload = "utf-16", data
    else:
        encoding, payload = "utf-8", data
        if b"\x00" in data:
            raise ConversionError(f"binary data, not page text: NUL byte at offset {data.index(0)}", offset=data.index(0))
    try:
        text = payload.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ConversionError(
            f"not valid {encoding.upper().replace('-SIG', '')} text: byte 0x{payload[exc.start]:02x} at offset {exc.start}",
            offset=exc.start,
        ) from None
    warnings: list[str] = []
    if "\x00" in text:
        raise ConversionError(f"binary data, not page text: NUL character at offset {text.index(chr(0))}", offset=text.index("\x00"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _NOT_XML_CHAR.findall(text)
    if bad:
        first = _NOT_XML_CHAR.search(text)
        assert first is not None
        line = text.count("\n", 0, first.start()) + 1
        warnings.append(
            f"{len(bad)} character(s) not allowed in XML replaced by U+FFFD (first U+{ord(bad[0]):04X} on line {line})"
        )
        text = _NOT_XML_CHAR.sub("\ufffd", text)
    return DecodedText(text=text, encoding=encoding.replace("-sig", ""), warnings=warnings)
