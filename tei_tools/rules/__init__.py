"""Rules a grammar cannot state: a registry of codes, and the document view rules work on.

A rule is a function `(doc) -> Iterator[Finding]` registered with `@rule(code, name, severity)`.
Its docstring says what it checks and why, then holds a failing and a passing example under
`Fails:` and `Passes:`; the tests run both. An example is either a whole `<TEI>` document or a
fragment that is placed inside `<body><div>...</div></body>` of a complete minimal document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from lxml import etree

from ..problems import Severity
from ..xmlio import TEI_NS, XML_ID


@dataclass(frozen=True)
class Finding:
    element: etree._Element | None
    message: str
    attribute: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Callable[["Document"], Iterator[Finding]]

    @property
    def doc(self) -> str:
        return self.check.__doc__ or ""

    def examples(self) -> tuple[str, str]:
        """(failing, passing) example texts from the docstring."""
        text = self.doc
        fails = re.search(r"Fails:\n(.*?)\n\s*Passes:", text, re.S)
        passes = re.search(r"Passes:\n(.*)$", text, re.S)
        if not fails or not passes:
            raise ValueError(f"rule {self.code} lacks Fails:/Passes: examples")
        return _dedent(fails.group(1)), _dedent(passes.group(1))

    def summary(self) -> str:
        return self.doc.strip().split("\n")[0]


def _dedent(block: str) -> str:
    lines = [line for line in block.strip("\n").split("\n")]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines).strip()


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity = Severity.ERROR) -> Callable:
    def register(function: Callable[["Document"], Iterator[Finding]]) -> Callable:
        if code in RULES:
            raise ValueError(f"rule code {code} registered twice")
        RULES[code] = Rule(code, name, severity, function)
        return function
    return register


POINTER_ATTRIBUTES = ("ref", "target", "corresp", "scheme", "ana", "who", "resp", "source", "hand")
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")

#: The TEI elements rules inspect; `Document.tagged` gathers them in one pass.
RULE_ELEMENTS = ("date", "supplied", "gap", "choice", "measure", "idno", "rs", "catRef", "persName", "placeName", "orgName", "div")
_RULE_TAGS = tuple(f"{{{TEI_NS}}}{name}" for name in RULE_ELEMENTS)
_NS_LENGTH = len(TEI_NS) + 2

# Compiled once: libxml2 finds the few attributes rules look at faster than a Python walk.
_ATTRIBUTES = etree.XPath("//@*")
_POINTER_NAMES = frozenset(POINTER_ATTRIBUTES)
_DATE_NAMES = frozenset(DATE_ATTRIBUTES)


class Document:
    """A parsed TEI file with the indexes most rules need, built once."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.root = tree.getroot()
        self.ids: dict[str, etree._Element] = {}
        self.duplicate_ids: list[etree._Element] = []
        # One pass over all attributes sorts out the three kinds rules need.
        pointer_values = []
        date_values = []
        for value in _ATTRIBUTES(self.root):
            name = value.attrname
            if name in _POINTER_NAMES:
                pointer_values.append(value)
            elif name in _DATE_NAMES:
                date_values.append(value)
            elif name == XML_ID:
                if value in self.ids:
                    self.duplicate_ids.append(value.getparent())
                else:
                    self.ids[str(value)] = value.getparent()
        self._pointer_values = pointer_values
        self._date_values = date_values
        self._pointers: list[tuple[etree._Element, str, str]] | None = None
        self._dates: list[tuple[etree._Element, str, str]] | None = None
        self._tagged: dict[str, list[etree._Element]] | None = None

    def tagged(self, name: str) -> list[etree._Element]:
        """TEI elements of one of the names rules look at (RULE_ELEMENTS), in document order.

        One pass over the tree collects them all, instead of a scan per rule.
        """
        if self._tagged is None:
            self._tagged = {tag: [] for tag in RULE_ELEMENTS}
            for element in self.root.iter(*_RULE_TAGS):
                self._tagged[element.tag[_NS_LENGTH:]].append(element)
        return self._tagged[name]

    def pointers(self) -> list[tuple[etree._Element, str, str]]:
        """(element, attribute, token) for every local pointer (#id) in the pointing attributes."""
        if self._pointers is None:
            self._pointers = [
                (value.getparent(), value.attrname, token)
                for value in self._pointer_values
                for token in str(value).split()
                if token.startswith("#")
            ]
        return self._pointers

    def date_attributes(self) -> list[tuple[etree._Element, str, str]]:
        """(element, attribute, value) for every @when, @notBefore, @notAfter, @from, @to."""
        if self._dates is None:
            self._dates = [(value.getparent(), value.attrname, str(value)) for value in self._date_values]
        return self._dates

    def elements(self) -> Iterator[etree._Element]:
        for element in self.root.iter():
            if isinstance(element.tag, str):
                yield element


def load_all() -> dict[str, Rule]:
    """Import every rule module (they register themselves) and return the registry."""
    from . import dates, distribution, editorial, header, names, references  # noqa: F401

    return RULES


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """Rules chosen by code or code prefix; an unknown code is a ValueError."""
    registry = load_all()
    def matching(pattern: str) -> list[str]:
        found = [code for code in registry if code == pattern or (pattern.isalpha() and code.startswith(pattern))]
        if not found:
            raise ValueError(f"unknown rule code '{pattern}' (see `tei-tools rules`)")
        return found
    chosen = list(registry) if not select else [code for pattern in select for code in matching(pattern)]
    dropped = {code for pattern in ignore or [] for code in matching(pattern)}
    return [registry[code] for code in dict.fromkeys(chosen) if code not in dropped]


#: A complete, valid document around a rule example fragment, with a few register entries
#: for fragments to point at.
EXAMPLE_TEMPLATE = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Example</title></titleStmt>
<publicationStmt><publisher>Example</publisher><idno type="WCDA">1</idno><availability><licence>Free.</licence></availability></publicationStmt>
<sourceDesc><bibl>Example source</bibl></sourceDesc></fileDesc></teiHeader>
<text><body><div>{fragment}</div></body></text>
<standOff><listPerson><person xml:id="zhou-enlai"><persName>Zhou Enlai</persName></person><person xml:id="x"><persName>X</persName></person></listPerson>
<listPlace><place xml:id="romania"><placeName>Romania</placeName></place></listPlace></standOff></TEI>"""


def example_document(example: str) -> str:
    """A rule example as a whole document."""
    return example if example.lstrip().startswith("<TEI") else EXAMPLE_TEMPLATE.format(fragment=example)
