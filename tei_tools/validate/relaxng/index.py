"""A RELAX NG grammar (XML syntax) read into a compact index: its defines as nested tuples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ...xmlio import parse_grammar

RNG = "http://relaxng.org/ns/structure/1.0"
_R = f"{{{RNG}}}"

#: A pattern: a tuple whose first item says what it is. ("e", nameclass, content) element,
#: ("a", nameclass, value) attribute, ("g"|"i"|"c", (patterns...)) group, interleave, choice,
#: ("1"|"*"|"?"|"m"|"l", pattern) oneOrMore, zeroOrMore, optional, mixed, list,
#: ("r", name) ref, ("t",) text, ("0",) empty, ("x",) notAllowed,
#: ("d", library, type, params, except-or-None) data, ("v", library, type, ns, text) value.
Pattern = tuple[Any, ...]
#: A name class: ("n", ns, local), ("*", except-or-None), ("ns", ns, except-or-None), ("c", (classes...)).
NameClass = tuple[Any, ...]

TEXT: Pattern = ("t",)
EMPTY: Pattern = ("0",)
NOT_ALLOWED: Pattern = ("x",)


class Unsupported(Exception):
    """A grammar construct the index does not model (include, externalRef, nested grammar);
    such a grammar is compiled whole by libxml2 instead of pruned."""


@dataclass
class Index:
    """The grammar's start pattern and its defines by name (data and value patterns carry
    their datatype library and namespace, so nothing depends on where they stood)."""

    start: Pattern
    defines: dict[str, Pattern]
    #: The files read through <include>, in the order read.
    files: tuple[str, ...] = ()

    def to_data(self) -> tuple[Any, ...]:
        return (self.start, self.defines)

    @classmethod
    def from_data(cls, data: tuple[Any, ...]) -> "Index":
        start, defines = data
        return cls(start, defines)


def _children(node: etree._Element) -> list[etree._Element]:
    return [child for child in node if isinstance(child.tag, str) and child.tag.startswith(_R)]


def _local(node: etree._Element) -> str:
    return node.tag[len(_R):]


class _Reader:
    def __init__(self, base: Path | None = None, files: list[Path] | None = None) -> None:
        self.defines: dict[str, Pattern] = {}
        self.combine: dict[str, str] = {}
        self.base = base
        #: Every file read through <include>, so the cache can tell when one of them changes.
        self.files: list[Path] = files if files is not None else []

    def grammar(self, root: etree._Element) -> Index:
        if root.tag != f"{_R}grammar":
            return Index(self.pattern_of(root, "", ""), self.defines)
        start: list[Pattern] = []
        self._grammar_content(root, start, root.get("ns", ""), root.get("datatypeLibrary", ""))
        if not start:
            raise ValueError("the grammar has no start")
        return Index(start[0] if len(start) == 1 else ("c", tuple(start)), self.defines)

    def _add_define(self, name: str, pattern: Pattern, combine: str | None) -> None:
        if name in self.defines and (combine or self.combine.get(name)):
            how = combine or self.combine[name]
            self.defines[name] = ("c" if how == "choice" else "i", (self.defines[name], pattern))
        else:
            self.defines[name] = pattern
        if combine:
            self.combine[name] = combine

    def _grammar_content(self, node: etree._Element, start: list[Pattern], ns: str, lib: str) -> None:
        for child in _children(node):
            kind = _local(child)
            child_ns = child.get("ns", ns)
            child_lib = child.get("datatypeLibrary", lib)
            if kind == "start":
                start.append(self.group_of(child, child_ns, child_lib))
            elif kind == "define":
                self._add_define(child.get("name", "").strip(), self.group_of(child, child_ns, child_lib), child.get("combine"))
            elif kind == "div":
                self._grammar_content(child, start, child_ns, child_lib)
            elif kind == "include":
                self._include(child, start, child_ns, child_lib)

    def _include(self, node: etree._Element, start: list[Pattern], ns: str, lib: str) -> None:
        """An included grammar's start and defines, less those the <include> overrides."""
        href = node.get("href", "").strip()
        if self.base is None or re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", href):
            raise Unsupported("include")  # an address, or a grammar read from bytes: libxml2 decides
        path = (self.base.parent / href).resolve()
        if path in self.files or len(self.files) > 64:
            raise ValueError(f"include loop or too many includes at {href}")
        self.files.append(path)
        root = parse_grammar(path).getroot()
        if root.tag != f"{_R}grammar":
            raise ValueError(f"{href}: an included file must be a <grammar>")
        overrides: set[str] = set()
        overrides_start = False
        pending = list(_children(node))
        while pending:
            item = pending.pop()
            if _local(item) == "define":
                overrides.add(item.get("name", "").strip())
            elif _local(item) == "start":
                overrides_start = True
            elif _local(item) == "div":
                pending.extend(_children(item))
        inner = _Reader(path, self.files)
        inner_start: list[Pattern] = []
        inner._grammar_content(root, inner_start, root.get("ns", ns), root.get("datatypeLibrary", ""))
        for name, pattern in inner.defines.items():
            if name not in overrides:
                self._add_define(name, pattern, inner.combine.get(name))
        if not overrides_start:
            start.extend(inner_start)
        self._grammar_content(node, start, ns, lib)

    def group_of(self, node: etree._Element, ns: str, lib: str) -> Pattern:
        parts = [self.pattern_of(child, ns, lib) for child in _children(node)]
        if not parts:
            return EMPTY
        return parts[0] if len(parts) == 1 else ("g", tuple(parts))

    def pattern_of(self, node: etree._Element, ns: str, lib: str) -> Pattern:
        kind = _local(node)
        ns = node.get("ns", ns)
        lib = node.get("datatypeLibrary", lib)
        if kind in ("element", "attribute"):
            children = _children(node)
            name = node.get("name")
            if name is not None:
                # An attribute's name takes no default namespace; an element's does.
                # An attribute's name takes only its own ns attribute, never an inherited one.
                nameclass = _qname(name.strip(), node, ns if kind == "element" else node.get("ns", ""))
                rest = children
            else:
                nameclass = self.nameclass_of(children[0], ns)
                rest = children[1:]
            parts = [self.pattern_of(child, ns, lib) for child in rest]
            if not parts:
                content = TEXT if kind == "attribute" else EMPTY
            else:
                content = parts[0] if len(parts) == 1 else ("g", tuple(parts))
            return ("e" if kind == "element" else "a", nameclass, content)
        if kind in ("group", "interleave", "choice"):
            parts = tuple(self.pattern_of(child, ns, lib) for child in _children(node))
            return ({"group": "g", "interleave": "i", "choice": "c"}[kind], parts)
        if kind in ("oneOrMore", "zeroOrMore", "optional", "mixed", "list"):
            inner = self.group_of(node, ns, lib)
            return ({"oneOrMore": "1", "zeroOrMore": "*", "optional": "?", "mixed": "m", "list": "l"}[kind], inner)
        if kind == "ref":
            return ("r", node.get("name", "").strip())
        if kind == "text":
            return TEXT
        if kind == "empty":
            return EMPTY
        if kind == "notAllowed":
            return NOT_ALLOWED
        if kind == "data":
            params = tuple((p.get("name", ""), p.text or "") for p in _children(node) if _local(p) == "param")
            excepted = [p for p in _children(node) if _local(p) == "except"]
            exception = self.choice_of(excepted[0], ns, lib) if excepted else None
            return ("d", lib, node.get("type", "").strip(), params, exception)
        if kind == "value":
            if node.get("type") is None:  # the spec's default: the built-in token type
                return ("v", "", "token", ns, node.text or "")
            return ("v", lib, node.get("type", "").strip(), ns, node.text or "")
        if kind in ("externalRef", "parentRef", "grammar"):
            raise Unsupported(kind)
        raise ValueError(f"unknown RELAX NG element <{kind}>")

    def choice_of(self, node: etree._Element, ns: str, lib: str) -> Pattern:
        parts = tuple(self.pattern_of(child, ns, lib) for child in _children(node))
        return parts[0] if len(parts) == 1 else ("c", parts)

    def nameclass_of(self, node: etree._Element, ns: str) -> NameClass:
        kind = _local(node)
        ns = node.get("ns", ns)
        if kind == "name":
            return _qname((node.text or "").strip(), node, ns)
        excepted = [c for c in _children(node) if _local(c) == "except"]
        exception = None
        if excepted:
            classes = tuple(self.nameclass_of(c, ns) for c in _children(excepted[0]))
            exception = classes[0] if len(classes) == 1 else ("c", classes)
        if kind == "anyName":
            return ("*", exception)
        if kind == "nsName":
            return ("ns", ns, exception)
        if kind == "choice":
            return ("c", tuple(self.nameclass_of(c, ns) for c in _children(node)))
        raise ValueError(f"unknown RELAX NG name class <{kind}>")


def _qname(name: str, node: etree._Element, ns: str) -> NameClass:
    if ":" in name:
        prefix, local = name.split(":", 1)
        if prefix == "xml":  # bound in every document, so never in an nsmap
            return ("n", "http://www.w3.org/XML/1998/namespace", local)
        return ("n", node.nsmap.get(prefix, ""), local)
    return ("n", ns, name)


def read_index(document: etree._ElementTree, path: Path | None = None) -> Index:
    """The index of a parsed RELAX NG grammar (read from `path`, so its includes can be
    followed); raises Unsupported or ValueError."""
    reader = _Reader(Path(path).resolve() if path is not None else None)
    index = reader.grammar(document.getroot())
    index.files = tuple(str(file) for file in reader.files)
    pending = [index.start, *index.defines.values()]
    while pending:
        pattern = pending.pop()
        kind = pattern[0]
        if kind == "r" and pattern[1] not in index.defines:
            raise ValueError(f"reference to an undefined pattern {pattern[1]!r}")
        pending.extend(children(pattern))
    return index


def children(pattern: Pattern) -> tuple[Pattern, ...]:
    """The patterns directly inside one (a reference's define is not inside it)."""
    kind = pattern[0]
    if kind in ("g", "i", "c"):
        return tuple(pattern[1])
    if kind in ("e", "a"):
        return (pattern[2],)
    if kind in ("1", "*", "?", "m", "l"):
        return (pattern[1],)
    if kind == "d" and pattern[4] is not None:
        return (pattern[4],)
    return ()


def matches(nameclass: NameClass, ns: str, local: str) -> bool:
    kind = nameclass[0]
    if kind == "n":
        return nameclass[1] == ns and nameclass[2] == local
    if kind == "*":
        return nameclass[1] is None or not matches(nameclass[1], ns, local)
    if kind == "ns":
        return nameclass[1] == ns and (nameclass[2] is None or not matches(nameclass[2], ns, local))
    return any(matches(part, ns, local) for part in nameclass[1])


def split(clark: str) -> tuple[str, str]:
    if clark.startswith("{"):
        ns, local = clark[1:].split("}", 1)
        return ns, local
    return "", clark
