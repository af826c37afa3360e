"""A RELAX NG grammar (XML syntax) read into a compact index: its defines as nested tuples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

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
    def __init__(self) -> None:
        self.defines: dict[str, Pattern] = {}
        self.combine: dict[str, str] = {}

    def grammar(self, root: etree._Element) -> Index:
        if root.tag != f"{_R}grammar":
            return Index(self.pattern_of(root, "", ""), self.defines)
        start: list[Pattern] = []
        self._grammar_content(root, start, root.get("ns", ""), root.get("datatypeLibrary", ""))
        if not start:
            raise ValueError("the grammar has no start")
        return Index(start[0] if len(start) == 1 else ("c", tuple(start)), self.defines)

    def _grammar_content(self, node: etree._Element, start: list[Pattern], ns: str, lib: str) -> None:
        for child in _children(node):
            kind = _local(child)
            child_ns = child.get("ns", ns)
            child_lib = child.get("datatypeLibrary", lib)
            if kind == "start":
                start.append(self.group_of(child, child_ns, child_lib))
            elif kind == "define":
                name = child.get("name", "")
                pattern = self.group_of(child, child_ns, child_lib)
                combine = child.get("combine")
                if name in self.defines and combine:
                    kind_of = "c" if combine == "choice" else "i"
                    self.defines[name] = (kind_of, (self.defines[name], pattern))
                elif name in self.defines and self.combine.get(name):
                    kind_of = "c" if self.combine[name] == "choice" else "i"
                    self.defines[name] = (kind_of, (pattern, self.defines[name]))
                else:
                    self.defines[name] = pattern
                if combine:
                    self.combine[name] = combine
            elif kind == "div":
                self._grammar_content(child, start, child_ns, child_lib)
            elif kind == "include":
                raise Unsupported("include")

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


def read_index(document: etree._ElementTree) -> Index:
    """The index of a parsed RELAX NG grammar; raises Unsupported or ValueError."""
    index = _Reader().grammar(document.getroot())
    pending = [index.start, *index.defines.values()]
    while pending:
        pattern = pending.pop()
        kind = pattern[0]
        if kind == "r" and pattern[1] not in index.defines:
            raise ValueError(f"reference to an undefined pattern {pattern[1]!r}")
        if kind in ("g", "i", "c"):
            pending.extend(pattern[1])
        elif kind in ("e", "a"):
            pending.append(pattern[2])
        elif kind in ("1", "*", "?", "m", "l"):
            pending.append(pattern[1])
        elif kind == "d" and pattern[4] is not None:
            pending.append(pattern[4])
    return index


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
