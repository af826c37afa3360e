"""The schemas a file is checked against: the bundled XSD by default, loaded once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from lxml import etree

from ..xmlio import parse_grammar

_NS_NAME = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class SchemaError:
    line: int
    column: int
    code: str
    message: str
    path: str


def bundled_schema_path(kind: str = "xsd") -> Path:
    from .. import schemas  # the grammars ship as files beside this package's modules

    return Path(schemas.__file__).parent / f"tei-tools.{kind}"


_RNG_ROOT = re.compile(rb"<(?:[\w.-]+:)?(?:grammar|element)\b[^>]*\bxmlns(?::[\w.-]+)?=[\"']http://relaxng.org/ns/structure/1.0[\"']")


def is_relaxng(path: Path) -> bool:
    """Whether a grammar file is RELAX NG (XML syntax), read from its first bytes only."""
    with open(path, "rb") as handle:
        head = handle.read(8192)
    return _RNG_ROOT.search(head) is not None


class Schema:
    """An XSD or RELAX NG grammar; `errors(tree)` lists readable errors. RELAX NG grammars are
    cut to each document's elements and cached (see relaxng/), XSD is compiled by libxml2."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.relaxng = None
        if is_relaxng(path):
            from .relaxng import RelaxNGGrammar

            self.kind = "rng"
            self.relaxng = RelaxNGGrammar(path)
            return
        document = parse_grammar(path)
        root = document.getroot()
        if root.tag == "{http://www.w3.org/2001/XMLSchema}schema":
            self.kind = "xsd"
            self.validator: etree._Validator = etree.XMLSchema(document)
        elif root.tag.startswith("{http://relaxng.org/ns/structure/1.0}"):
            from .relaxng import RelaxNGGrammar

            self.kind = "rng"
            self.relaxng = RelaxNGGrammar(path)
        else:
            raise ValueError(f"{path}: not an XML Schema or RELAX NG grammar")

    def errors(self, tree: etree._ElementTree) -> Iterator[SchemaError]:
        if self.relaxng is not None:
            for line, path, code, message in self.relaxng.errors(tree):
                yield SchemaError(line, 0, code, message, path)
            return
        if self.validator.validate(tree):
            return
        for entry in self.validator.error_log:
            code, message = explain(entry.message, tree, entry.path)
            yield SchemaError(entry.line or 1, entry.column or 0, code, message, entry.path or "")


@lru_cache(maxsize=16)
def load_schema(path: str | None = None) -> Schema:
    return Schema(Path(path) if path else bundled_schema_path("xsd"))


def _local(name: str) -> str:
    return _NS_NAME.sub("", name)


def _names(listing: str) -> str:
    names = [f"<{_local(name.strip())}>" for name in listing.split(",") if name.strip()]
    if len(names) > 12:
        names = names[:12] + [f"... ({len(names) - 12} more)"]
    return ", ".join(names)


def _context(tree: etree._ElementTree, path: str | None) -> str:
    if not path:
        return ""
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return ""
    if not found or not isinstance(found[0], etree._Element):
        return ""
    parent = found[0].getparent()
    return f" inside <{etree.QName(parent).localname}>" if parent is not None else ""


#: libxml2 schema messages (as regular expressions), their codes, and what a reader is told.
_MESSAGES: list[tuple[str, str, str]] = [
    (r"Element '(?P<el>[^']+)': This element is not expected\. Expected is(?: one of)? \( (?P<expected>.+) \)\.", "SCH001",
     "<{el}> is not allowed{context} here; expected one of: {expected}"),
    (r"Element '(?P<el>[^']+)': This element is not expected\.", "SCH001", "<{el}> is not allowed{context} here"),
    (r"Element '(?P<el>[^']+)': Missing child element\(s\)\. Expected is(?: one of)? \( (?P<expected>.+) \)\.", "SCH002",
     "<{el}> is incomplete; it needs one of: {expected}"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<attr>[^']+)': The attribute '[^']+' is not allowed\.", "SCH003",
     "@{attr} is not allowed on <{el}>"),
    (r"Element '(?P<el>[^']+)': The attribute '(?P<attr>[^']+)' is required but missing\.", "SCH005",
     "<{el}> needs the attribute @{attr}"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<attr>[^']+)': \[facet 'enumeration'\] The value '(?P<value>[^']*)' is not an element of the set \{(?P<set>[^}]*)\}\.", "SCH004",
     "@{attr}=\"{value}\" on <{el}> is not one of the allowed values: {set}"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<attr>[^']+)': \[facet 'pattern'\] The value '(?P<value>[^']*)' is not accepted by the pattern '[^']*'\.", "SCH004",
     "@{attr}=\"{value}\" on <{el}> is not of the required form (one word, no spaces)"),
    (r"Element '(?P<el>[^']+)', attribute '\{http://www.w3.org/XML/1998/namespace\}id': '(?P<value>[^']*)' is not a valid value of the atomic type 'xs:ID'\.", "SCH004",
     "xml:id=\"{value}\" on <{el}> is not a usable id (a name, not starting with a digit) or is used twice"),
    (r"Element '(?P<el>[^']+)', attribute '(?P<attr>[^']+)': '(?P<value>[^']*)' is not a valid value of the (?:atomic|union|list) type '(?P<type>[^']+)'\.", "SCH004",
     "@{attr}=\"{value}\" on <{el}> is not a valid {type}"),
    (r"Element '(?P<el>[^']+)': Character content other than whitespace is not allowed because the content type is 'element-only'\.", "SCH006",
     "text is not allowed directly in <{el}>; put it in a child element"),
    (r"Element '(?P<el>[^']+)': No matching global declaration available for the validation root\.", "SCH007",
     "<{el}> is not a TEI root element in the TEI namespace (http://www.tei-c.org/ns/1.0)"),
    (r"Element '(?P<el>[^']+)': Character content is not allowed, because the content type is empty\.", "SCH008",
     "<{el}> must be empty"),
    (r"Element '(?P<el>[^']+)': \[facet 'pattern'\] The value '[^']*' is not accepted by the pattern '\\s\*'\.", "SCH008",
     "<{el}> must be empty"),  # empty elements take white space, as in RELAX NG
    (r"Element '(?P<el>[^']+)': Element content is not allowed, because the content type is empty\.", "SCH008",
     "<{el}> must be empty"),
    (r"Element '(?P<el>[^']+)': Element content is not allowed, because the content type is a simple type definition\.", "SCH008",
     "<{el}> may hold only text, not elements"),
]


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str, str]]:
    # Compiled at the first schema error, not at start-up: most runs never meet one.
    return [(re.compile(pattern), code, template) for pattern, code, template in _MESSAGES]


TYPE_WORDS = {
    "data.temporal": "ISO date (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)",
    "xs:decimal": "number", "xs:nonNegativeInteger": "whole number", "data.pointers": "list of URIs",
    "data.pointer": "URI", "xs:language": "language tag (such as en, zh)", "data.token": "single word",
}


def explain(raw: str, tree: etree._ElementTree, path: str | None) -> tuple[str, str]:
    """A libxml2 schema message -> (code, a sentence a person understands)."""
    raw = raw.strip()
    for pattern, code, template in _patterns():
        m = pattern.match(raw)
        if not m:
            continue
        values = {key: _local(value) for key, value in m.groupdict().items() if value is not None}
        if "expected" in values:
            values["expected"] = _names(m["expected"])
        if "type" in values:
            values["type"] = TYPE_WORDS.get(_local(m["type"]), _local(m["type"]))
        values["context"] = _context(tree, path)
        return code, template.format(**values)
    # A message not foreseen still gets a code and loses libxml2's {namespace} noise.
    return "SCH000", _local(raw)


@lru_cache(maxsize=2)
def _xmlschema_for(path: str):  # type: ignore[no-untyped-def]
    # Imported here: xmlschema costs ~0.25 s at start-up and is needed only to explain failures.
    import xmlschema

    return xmlschema.XMLSchema(path)


def explanations(tree: etree._ElementTree, path: Path) -> dict[int, str]:
    """What the pure-Python engine says about a failing document, by line: its reason and, for
    content errors, the elements it expected. Slower than libxml2; used only on failures."""
    try:
        schema = _xmlschema_for(str(path))
    except Exception:  # a grammar xmlschema cannot read (RELAX NG): nothing to add
        return {}
    notes: dict[int, str] = {}
    for error in schema.iter_errors(tree):
        line = getattr(error, "sourceline", None)
        if not line or line in notes:
            continue
        reason = _local(str(error.reason or "")).strip().rstrip(".")
        expected = getattr(error, "expected", None)
        if expected:
            names = ", ".join(sorted({f"<{_local(getattr(e, 'name', str(e)) or '')}>" for e in expected}))
            reason = f"{reason}; expected {names}" if reason else f"expected {names}"
        if reason:
            notes[line] = reason
    return notes


# jing lives behind the hardened parser in .jing; these names stay importable from here.
from .jing import jing_available, jing_errors  # noqa: E402,F401
