"""A grammar cut down to one document's elements, simplified, and written back as RELAX NG XML.

Every element the document does not use becomes notAllowed; what that makes impossible is
simplified away to a fixpoint, so no reference to notAllowed is left (libxml2 would otherwise
fall back to a slower checker and word its errors differently). The same simplification removes
the two shapes libxml2 mishandles: a group ending in <empty/> and a one-child group.
"""

from __future__ import annotations

from typing import Iterable

from .index import EMPTY, NOT_ALLOWED, TEXT, Index, NameClass, Pattern, RNG, children, matches, split

#: The content given to an element the document uses but whose content needs elements the
#: document never has: an element no document can hold, so the verdict stays "invalid" and
#: libxml2 says the element is incomplete.
UNSATISFIABLE_NS = "urn:x-tei-tools:unsatisfiable"
UNSATISFIABLE: Pattern = ("e", ("n", UNSATISFIABLE_NS, "required-content"), EMPTY)

Names = frozenset[tuple[str, str]]


def element_names(clark_names: Iterable[str]) -> Names:
    return frozenset(split(name) for name in clark_names)


def _any_match(nameclass: NameClass, names: Names) -> bool:
    if nameclass[0] == "n":
        return (nameclass[1], nameclass[2]) in names
    return any(matches(nameclass, ns, local) for ns, local in names)


class _Simplifier:
    def __init__(self, index: Index, names: Names | None) -> None:
        self.index = index
        self.names = names
        self.impossible: set[str] = set()
        self.used_placeholder = False

    def simplify(self, pattern: Pattern) -> Pattern:
        kind = pattern[0]
        if kind == "r":
            if pattern[1] in self.impossible:
                return NOT_ALLOWED
            if pattern[1] not in self.index.defines:
                raise ValueError(f"reference to an undefined pattern {pattern[1]!r}")
            return pattern
        if kind == "e":
            if self.names is not None and not _any_match(pattern[1], self.names):
                return NOT_ALLOWED
            content = self.simplify(pattern[2])
            if content == NOT_ALLOWED:
                self.used_placeholder = True
                content = UNSATISFIABLE
            return ("e", pattern[1], content)
        if kind == "a":
            value = self.simplify(pattern[2])
            return NOT_ALLOWED if value == NOT_ALLOWED else ("a", pattern[1], value)
        if kind in ("g", "i"):
            parts: list[Pattern] = []
            for part in pattern[1]:
                simple = self.simplify(part)
                if simple == NOT_ALLOWED:
                    return NOT_ALLOWED
                if simple == EMPTY:
                    continue  # also the guard for libxml2's trailing-<empty/> bug
                if simple[0] == kind:
                    parts.extend(simple[1])
                else:
                    parts.append(simple)
            if not parts:
                return EMPTY
            # A one-child group is unwrapped: libxml2 never finishes compiling one around a
            # recursive oneOrMore.
            return parts[0] if len(parts) == 1 else (kind, tuple(parts))
        if kind == "c":
            options: list[Pattern] = []
            for part in pattern[1]:
                simple = self.simplify(part)
                if simple == NOT_ALLOWED:
                    continue
                for option in (simple[1] if simple[0] == "c" else (simple,)):
                    if option not in options:
                        options.append(option)
            if not options:
                return NOT_ALLOWED
            if len(options) == 1:
                return options[0]
            if EMPTY in options:  # written as optional: the shape every RELAX NG engine knows best
                rest = [option for option in options if option != EMPTY]
                return ("?", rest[0] if len(rest) == 1 else ("c", tuple(rest)))
            return ("c", tuple(options))
        if kind in ("1", "*", "?"):
            inner = self.simplify(pattern[1])
            if inner == NOT_ALLOWED:
                return NOT_ALLOWED if kind == "1" else EMPTY
            if inner == EMPTY:
                return EMPTY
            if kind == "?" and inner[0] in ("?", "*"):
                return inner
            if kind == "*" and inner[0] in ("1", "*", "?"):
                return ("*", inner[1])
            return (kind, inner)
        if kind == "m":
            inner = self.simplify(pattern[1])
            if inner == NOT_ALLOWED:
                return NOT_ALLOWED
            return TEXT if inner in (EMPTY, TEXT) else ("m", inner)
        if kind == "l":
            inner = self.simplify(pattern[1])
            return NOT_ALLOWED if inner == NOT_ALLOWED else ("l", inner)
        if kind == "d":
            if pattern[4] is None:
                return pattern
            exception = self.simplify(pattern[4])
            return (*pattern[:4], None if exception == NOT_ALLOWED else exception)
        return pattern  # text, empty, notAllowed, value


def root_elements(index: Index) -> list[Pattern]:
    """The element patterns a document may start with (refs followed, elements not entered)."""
    found: list[Pattern] = []
    seen: set[str] = set()
    pending = [index.start]
    while pending:
        pattern = pending.pop()
        kind = pattern[0]
        if kind == "e":
            found.append(pattern)
        elif kind == "r":
            if pattern[1] not in seen and pattern[1] in index.defines:
                seen.add(pattern[1])
                pending.append(index.defines[pattern[1]])
        elif kind in ("g", "i", "c"):
            pending.extend(reversed(pattern[1]))
        elif kind in ("1", "*", "?", "m"):
            pending.append(pattern[1])
    return found


_USERS: dict[int, tuple[Index, dict[str, list[str]]]] = {}


def _users(index: Index) -> dict[str, list[str]]:
    """For each define, the defines whose patterns refer to it (computed once per index)."""
    known = _USERS.get(id(index))
    if known is not None and known[0] is index:
        return known[1]
    users: dict[str, set[str]] = {}
    for name, pattern in index.defines.items():
        pending = [pattern]
        while pending:
            item = pending.pop()
            kind = item[0]
            if kind == "r":
                users.setdefault(item[1], set()).add(name)
            pending.extend(children(item))
    result = {name: sorted(found) for name, found in users.items()}
    _USERS[id(index)] = (index, result)
    return result


def prune(index: Index, names: Names | None) -> tuple[Pattern, dict[str, Pattern]]:
    """The start and the defines still needed for a document using `names` (None: all)."""
    simplifier = _Simplifier(index, names)
    simplified = {name: simplifier.simplify(pattern) for name, pattern in index.defines.items()}
    # Only the defines that refer to one found impossible can change: a worklist, not rounds.
    users = _users(index)
    pending = [name for name, pattern in simplified.items() if pattern == NOT_ALLOWED]
    simplifier.impossible.update(pending)
    while pending:
        for user in users.get(pending.pop(), ()):
            if user in simplifier.impossible:
                continue
            simplified[user] = simplifier.simplify(index.defines[user])
            if simplified[user] == NOT_ALLOWED:
                simplifier.impossible.add(user)
                pending.append(user)
    start = simplifier.simplify(index.start)
    if start == NOT_ALLOWED:
        # No root the grammar allows is in the document: keep the roots, so libxml2 says so.
        roots = [("e", pattern[1], UNSATISFIABLE) for pattern in root_elements(index)]
        if not roots:  # a grammar that allows no document at all
            start = UNSATISFIABLE
        else:
            start = roots[0] if len(roots) == 1 else ("c", tuple(roots))
    kept: dict[str, Pattern] = {}
    pending = [start]
    while pending:
        pattern = pending.pop()
        kind = pattern[0]
        if kind == "r":
            if pattern[1] not in kept:
                kept[pattern[1]] = simplified[pattern[1]]
                pending.append(kept[pattern[1]])
        pending.extend(children(pattern))
    return start, dict(sorted(kept.items()))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _nameclass_xml(nameclass: NameClass, out: list[str]) -> None:
    kind = nameclass[0]
    if kind == "n":
        out.append(f'<name ns="{_escape(nameclass[1])}">{_escape(nameclass[2])}</name>')
    elif kind == "c":
        out.append("<choice>")
        for part in nameclass[1]:
            _nameclass_xml(part, out)
        out.append("</choice>")
    else:
        tag = "anyName" if kind == "*" else "nsName"
        ns = "" if kind == "*" else f' ns="{_escape(nameclass[1])}"'
        exception = nameclass[1] if kind == "*" else nameclass[2]
        if exception is None:
            out.append(f"<{tag}{ns}/>")
        else:
            out.append(f"<{tag}{ns}><except>")
            _nameclass_xml(exception, out)
            out.append(f"</except></{tag}>")


_TAGS = {"g": "group", "i": "interleave", "c": "choice", "1": "oneOrMore", "*": "zeroOrMore", "?": "optional", "m": "mixed", "l": "list"}


def _pattern_xml(pattern: Pattern, out: list[str]) -> None:
    kind = pattern[0]
    if kind in ("e", "a"):
        tag = "element" if kind == "e" else "attribute"
        nameclass = pattern[1]
        if nameclass[0] == "n":
            out.append(f'<{tag} name="{_escape(nameclass[2])}" ns="{_escape(nameclass[1])}">')
        else:
            out.append(f"<{tag}>")
            _nameclass_xml(nameclass, out)
        _pattern_xml(pattern[2], out)
        out.append(f"</{tag}>")
    elif kind in ("g", "i", "c"):
        out.append(f"<{_TAGS[kind]}>")
        for part in pattern[1]:
            _pattern_xml(part, out)
        out.append(f"</{_TAGS[kind]}>")
    elif kind in _TAGS:
        out.append(f"<{_TAGS[kind]}>")
        _pattern_xml(pattern[1], out)
        out.append(f"</{_TAGS[kind]}>")
    elif kind == "r":
        out.append(f'<ref name="{_escape(pattern[1])}"/>')
    elif kind == "t":
        out.append("<text/>")
    elif kind == "0":
        out.append("<empty/>")
    elif kind == "x":
        out.append("<notAllowed/>")
    elif kind == "d":
        _, library, name, params, exception = pattern
        out.append(f'<data type="{_escape(name)}" datatypeLibrary="{_escape(library)}">')
        for param, value in params:
            out.append(f'<param name="{_escape(param)}">{_escape(value)}</param>')
        if exception is not None:
            out.append("<except>")
            _pattern_xml(exception, out)
            out.append("</except>")
        out.append("</data>")
    elif kind == "v":
        _, library, name, ns, text = pattern
        out.append(f'<value type="{_escape(name)}" datatypeLibrary="{_escape(library)}" ns="{_escape(ns)}">{_escape(text)}</value>')
    else:
        raise ValueError(f"unknown pattern {kind!r}")


def to_rng(start: Pattern, defines: dict[str, Pattern]) -> bytes:
    """RELAX NG XML for a start and its defines (deterministic: defines in name order)."""
    out = [f'<grammar xmlns="{RNG}"><start>']
    _pattern_xml(start, out)
    out.append("</start>")
    for name, pattern in defines.items():
        out.append(f'<define name="{_escape(name)}">')
        _pattern_xml(pattern, out)
        out.append("</define>")
    out.append("</grammar>")
    return "".join(out).encode("utf-8")
