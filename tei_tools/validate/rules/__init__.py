"""Rules a grammar cannot state: a registry of codes, and the document view rules work on.

A rule is a function `(doc) -> Iterator[Finding]` registered with `@rule(code, name, severity)`.
Its docstring says what it checks and why, then holds a failing and a passing example under
`Fails:` and `Passes:`; the tests run both. An example is either a whole `<TEI>` document or a
fragment that is placed inside `<body><div>...</div></body>` of a complete minimal document.

Most files break no rule, and the rules are written for that: a rule may first ask a `screen`
(one XPath test that is true only when nothing can be wrong) and stop there; the tests check on
damaged copies of every edition that screens never change what the rules find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from lxml import etree

from ...problems import Severity
from ...xmlio import NSMAP, TEI_NS, XML_ID


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

#: The TEI elements rules inspect by name; `Document.tagged` gathers them in one pass.
#: Names (persName ...) are not among them: they are many, and rules reach them otherwise.
RULE_ELEMENTS = ("date", "supplied", "gap", "choice", "measure", "idno", "rs", "catRef", "div")
_NAME_OF_TAG = {f"{{{TEI_NS}}}{name}": name for name in RULE_ELEMENTS}
# Matching the local name alone spares lxml a namespace comparison at every node (an eighth
# of the walk, counted); the rare non-TEI elements of those names are dropped after.
_ANY_NAMESPACE = tuple(f"{{*}}{name}" for name in RULE_ELEMENTS)

#: White space as XML (and XPath's normalize-space) defines it. Rules that have a screen
#: strip only these, so the screen and the rule agree on what counts as text.
XML_SPACE = " \t\r\n"


def with_text(path: str) -> str:
    """XPath: the elements on `path` that hold text other than XML_SPACE."""
    return f"{path}[normalize-space()]"


def screen(expression: str) -> etree.XPath:
    """A compiled XPath test that is true when a file certainly passes a rule.

    Rules use one to leave a clean file early: libxml2 answers without making a Python
    object for each element, which is most of what a rule's own look costs.
    """
    return etree.XPath(f"boolean({expression})", namespaces=NSMAP)


# Compiled once: libxml2 finds the attributes faster than a Python walk of the elements.
_ATTRIBUTES = etree.XPath("//@*")
_POINTER_NAMES = frozenset(POINTER_ATTRIBUTES)
_DATE_NAMES = frozenset(DATE_ATTRIBUTES)


class Document:
    """A parsed TEI file with the indexes most rules need, built once.

    Most files break no rule, so the indexes are built for that case: attribute values stay
    lxml's string results, which know their element, and an element is fetched (`getparent`)
    only when a rule has something to report. Lists of elements by tag are gathered on demand.
    """

    def __init__(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self.root = tree.getroot()
        ids: dict[str, str] = {}
        duplicates = []
        pointer_values = []
        date_values = []
        # One pass over all attributes sorts out the three kinds rules need.
        for value in _ATTRIBUTES(self.root):
            name = value.attrname
            if name in _POINTER_NAMES:
                pointer_values.append(value)
            elif name in _DATE_NAMES:
                date_values.append(value)
            elif name == XML_ID:
                if value in ids:
                    duplicates.append(value)
                else:
                    ids[value] = value
        self._ids = ids
        self._duplicates = duplicates
        # lxml string results: each has `.attrname` and `.getparent()`.
        self.pointer_values = pointer_values  # values of POINTER_ATTRIBUTES
        self.date_values = date_values  # values of DATE_ATTRIBUTES
        self._pointed: set[str] | None = None
        self._tagged: dict[str, list[etree._Element]] | None = None

    def has_id(self, key: str) -> bool:
        return key in self._ids

    def ids(self) -> Iterator[str]:
        """Every xml:id, first occurrences only, in document order."""
        return iter(self._ids)

    def element_with_id(self, key: str) -> etree._Element | None:
        """The (first) element whose xml:id is key."""
        value = self._ids.get(key)
        return value.getparent() if value is not None else None  # type: ignore[attr-defined]

    def duplicate_ids(self) -> list[etree._Element]:
        """Elements whose xml:id an earlier element already has."""
        return [value.getparent() for value in self._duplicates]  # type: ignore[attr-defined]

    def pointed(self) -> set[str]:
        """The keys local pointers (#key) name, anywhere in the file."""
        if self._pointed is None:
            self._pointed = {token[1:] for value in self.pointer_values for token in value.split() if token[0] == "#"}
        return self._pointed

    def tagged(self, name: str) -> list[etree._Element]:
        """TEI elements of one of the RULE_ELEMENTS names, in document order.

        The first call gathers them all in one walk: one walk for several names costs less
        than a walk per name, and the elements are few.
        """
        if self._tagged is None:
            self._tagged = {tag: [] for tag in RULE_ELEMENTS}
            for element in self.root.iter(*_ANY_NAMESPACE):
                found = _NAME_OF_TAG.get(element.tag)
                if found is not None:
                    self._tagged[found].append(element)
        return self._tagged[name]

    def child(self, parent: etree._Element | None, name: str) -> etree._Element | None:
        """The first TEI child of that name, or None (also when parent is None)."""
        if parent is None:
            return None
        return next(parent.iterchildren(f"{{{TEI_NS}}}{name}"), None)


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
