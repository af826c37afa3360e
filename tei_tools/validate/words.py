"""Plain words for what libxml2 says about XML it cannot read: what is wrong and how to fix it."""

from __future__ import annotations

import re

#: libxml2's message (after its function name and position are cut), and what an editor is told.
_PLAIN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:xmlParseEntityRef: )?no name$", re.I), "a bare '&': write &amp; for an ampersand"),
    (re.compile(r"^entityRef: expecting ';'$", re.I), "an '&' that starts no entity: write &amp; for an ampersand (entities end with ';')"),
    (re.compile(r"^entity '(?P<name>[^']+)' not defined$", re.I),
     "&{name}; is not an XML entity (XML knows only &amp; &lt; &gt; &quot; &apos;): write &amp;{name}; for the text, or the character itself or its number (&#160; for &nbsp;)"),
    (re.compile(r"^startTag: invalid element name$", re.I), "a '<' that starts no element: write &lt; for a less-than sign"),
    (re.compile(r"^invalid xmlChar value (?P<value>\d+)$", re.I), "character number {value} is not allowed in XML; remove it"),
    (re.compile(r"^opening and ending tag mismatch: (?P<open>\S+) line (?P<line>\d+) and (?P<close>\S+)$", re.I),
     "</{close}> closes <{open}> (opened on line {line}): close the elements in the order they were opened"),
    (re.compile(r"^extra content at the end of the document$", re.I), "content after the root element has ended: a file has one root element"),
    (re.compile(r"^premature end of data in tag (?P<tag>\S+) line (?P<line>\d+)$", re.I), "the file ends before <{tag}> (line {line}) is closed: is it cut off?"),
]


def _bad_bytes(data: bytes) -> str:
    """Where the bytes stop being UTF-8, shown as hexadecimal, with a guess at what they are."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = " ".join(f"0x{byte:02X}" for byte in data[exc.start:exc.start + 4])
        line = data.count(b"\n", 0, exc.start) + 1
        return (f"bytes that are not UTF-8 (line {line}: {shown}; Latin-1 or Windows-1252 text?): save the file as UTF-8, "
                "or name its encoding in the XML declaration, <?xml version=\"1.0\" encoding=\"windows-1252\"?>")
    return "bytes that are not valid in the file's declared encoding: save it as UTF-8, or correct the encoding in the XML declaration"


def plain(message: str, data: bytes = b"") -> str:
    """An XML001 message in plain words; messages not foreseen are returned as they are."""
    if re.match(r"^(?:invalid bytes in character encoding|input is not proper utf-8)", message, re.I):
        return _bad_bytes(data)
    for pattern, template in _PLAIN:
        m = pattern.match(message)
        if m:
            return template.format(**m.groupdict())
    return message
