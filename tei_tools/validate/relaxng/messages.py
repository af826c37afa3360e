"""libxml2's RELAX NG errors in words: a code, what is allowed there (from the grammar's index),
the parent's content model, and a did-you-mean for near misses."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from collections import Counter
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from lxml import etree

from .index import Index, NameClass, Pattern, matches
from .prune import UNSATISFIABLE_NS

if TYPE_CHECKING:
    from . import RawError, RelaxNGGrammar

#: The codes this module gives, for FIXED_CODES.
CODES = {
    "RNG000": "RELAX NG error not otherwise classified",
    "RNG001": "element not allowed here (RELAX NG)",
    "RNG002": "required content missing (RELAX NG)",
    "RNG003": "attribute not allowed on this element (RELAX NG)",
    "RNG004": "attribute value not allowed (RELAX NG)",
    "RNG005": "required attribute missing (RELAX NG)",
    "RNG006": "text where the grammar allows none (RELAX NG)",
    "RNG007": "root element not allowed by the grammar",
    "RNG008": "the grammar named by xml-model is not available locally",
    "RNG010": "the grammar named by xml-model cannot be used (not RELAX NG or XSD, or does not compile)",
}

_LIST = 12
_MESSAGES = [
    (re.compile(r"Did not expect element (?P<got>\S+) there"), "wrong"),
    (re.compile(r"Expecting element (?P<want>\S*), got (?P<got>\S+)"), "wrong"),
    (re.compile(r"Extra element (?P<got>\S+) in interleave"), "wrong"),
    (re.compile(r"Element (?P<el>\S+) has extra content: (?P<got>\S+)"), "extra"),
    (re.compile(r"Expecting an element (?P<want>\S*), got nothing"), "missing"),
    (re.compile(r"Expecting an element,? got text"), "text"),
    (re.compile(r"Invalid attribute (?P<attr>\S+) for element (?P<el>\S+)"), "attribute"),
    (re.compile(r"Element (?P<el>\S+) failed to validate attributes"), "attributes"),
    (re.compile(r"(?:Type (?P<type>\S+) doesn't allow value '(?P<value>[^']*)'|Error validating datatype (?P<type2>\S+)|Error validating value ?(?P<value2>.*))"), "value"),
    (re.compile(r"Element (?P<el>\S+) failed to validate content"), "content"),
    (re.compile(r"Invalid sequence in interleave"), "content"),
    (re.compile(r"root element (?P<got>\S+) not allowed"), "root"),
    (re.compile(r"Expecting a namespace for element (?P<got>\S+)|Element (?P<got2>\S+) has wrong namespace: expecting (?P<ns>\S+)"), "namespace"),
]


def _tag(name: str) -> str:
    return f"<{name}>"


def _short(names: list[str], wrap: str = "<>") -> str:
    shown = [f"{wrap[0]}{name}{wrap[1:]}" for name in names[:_LIST]]
    if len(names) > _LIST:
        shown.append(f"... ({len(names) - _LIST} more)")
    return ", ".join(shown)


def _qname_in_words(ns: str, local: str, context_ns: str) -> str:
    return local if ns == context_ns or not ns else f"{{{ns}}}{local}"


#: The key under which Explainer.attributes notes an attribute wildcard (anyName, nsName).
ANY_ATTRIBUTE = ("*", "*")


class Explainer:
    """What the index says about an element: the names allowed in it and its attributes."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._elements: dict[tuple[str, str], list[Pattern]] | None = None
        self._wildcards: list[NameClass] = []
        self._attribute_sets: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
        self._defined: dict[tuple[str, str], tuple[bool, bool]] = {}
        self._child_classes: dict[tuple[str, str], tuple[frozenset[tuple[str, str]], tuple[NameClass, ...]]] = {}
        self._attributes: dict[tuple[str, str], dict[tuple[str, str], tuple[bool, list[Pattern]]]] = {}

    def patterns_of(self, ns: str, local: str) -> list[Pattern]:
        if self._elements is None:
            found: dict[tuple[str, str], list[Pattern]] = {}
            pending: list[Pattern] = [self.index.start, *self.index.defines.values()]
            while pending:
                pattern = pending.pop()
                kind = pattern[0]
                if kind == "e":
                    if pattern[1][0] == "n":
                        found.setdefault((pattern[1][1], pattern[1][2]), []).append(pattern)
                    elif pattern[1] not in self._wildcards:
                        self._wildcards.append(pattern[1])
                    pending.append(pattern[2])
                elif kind in ("g", "i", "c"):
                    pending.extend(pattern[1])
                elif kind in ("1", "*", "?", "m", "l"):
                    pending.append(pattern[1])
            self._elements = found
        return self._elements.get((ns, local), [])

    def defined_anywhere(self, ns: str, local: str) -> tuple[bool, bool]:
        """Whether some element pattern is named (ns, local), and whether a wildcard matches it."""
        known = self._defined.get((ns, local))
        if known is None:
            named = bool(self.patterns_of(ns, local))
            known = self._defined[(ns, local)] = (named, any(matches(nameclass, ns, local) for nameclass in self._wildcards))
        return known

    def child_classes(self, ns: str, local: str) -> tuple[frozenset[tuple[str, str]], tuple[NameClass, ...]]:
        """The child element names any pattern of the element allows, and its wildcards."""
        known = self._child_classes.get((ns, local))
        if known is None:
            names: set[tuple[str, str]] = set()
            wildcards: list[NameClass] = []

            def visit(pattern: Pattern, optional: bool) -> None:
                if pattern[0] != "e":
                    return
                if pattern[1][0] == "n":
                    names.add((pattern[1][1], pattern[1][2]))
                elif pattern[1] not in wildcards:
                    wildcards.append(pattern[1])

            for element in self.patterns_of(ns, local):
                self._walk(element[2], visit)
            known = self._child_classes[(ns, local)] = (frozenset(names), tuple(wildcards))
        return known

    def attribute_set(self, ns: str, local: str) -> frozenset[tuple[str, str]]:
        if (ns, local) not in self._attribute_sets:
            self._attribute_sets[(ns, local)] = frozenset(self.attributes(ns, local))
        return self._attribute_sets[(ns, local)]

    def _walk(self, pattern: Pattern, visit: Callable[[Pattern, bool], None], optional: bool = False, seen: frozenset[str] = frozenset()) -> None:
        kind = pattern[0]
        if kind in ("e", "a"):
            visit(pattern, optional)
        elif kind == "r":
            name = pattern[1]
            if name not in seen and name in self.index.defines:
                self._walk(self.index.defines[name], visit, optional, seen | {name})
        elif kind in ("g", "i"):
            for part in pattern[1]:
                self._walk(part, visit, optional, seen)
        elif kind == "c":
            alone = len(pattern[1]) > 1
            for part in pattern[1]:
                self._walk(part, visit, optional or alone, seen)
        elif kind in ("*", "?"):
            self._walk(pattern[1], visit, True, seen)
        elif kind in ("1", "m"):
            self._walk(pattern[1], visit, optional, seen)

    def children(self, ns: str, local: str) -> tuple[list[tuple[str, str]], bool]:
        """Element names allowed in the element (any context), and whether any element is."""
        names: set[tuple[str, str]] = set()
        wildcard = False

        def visit(pattern: Pattern, optional: bool) -> None:
            nonlocal wildcard
            if pattern[0] != "e":
                return
            if pattern[1][0] == "n":
                names.add((pattern[1][1], pattern[1][2]))
            else:
                wildcard = True

        for element in self.patterns_of(ns, local):
            self._walk(element[2], visit)
        return sorted(names, key=lambda n: (n[1].lower(), n[0])), wildcard

    def attributes(self, ns: str, local: str) -> dict[tuple[str, str], tuple[bool, list[Pattern]]]:
        """Attribute names allowed on the element: (required, value patterns)."""
        if (ns, local) in self._attributes:
            return self._attributes[(ns, local)]
        found: dict[tuple[str, str], tuple[bool, list[Pattern]]] = self._attributes.setdefault((ns, local), {})

        def visit(pattern: Pattern, optional: bool) -> None:
            if pattern[0] != "a":
                return
            if pattern[1][0] != "n":
                found[ANY_ATTRIBUTE] = (False, [])
                return
            key = (pattern[1][1], pattern[1][2])
            required, values = found.get(key, (True, []))
            found[key] = (required and not optional, [*values, pattern[2]])

        for element in self.patterns_of(ns, local):
            self._walk(element[2], visit)
        return found

    def values(self, pattern: Pattern, seen: frozenset[str] = frozenset()) -> list[str] | None:
        """The closed list of values a value pattern allows, or None when it is open."""
        kind = pattern[0]
        if kind == "v":
            return [pattern[4]]
        if kind == "r" and pattern[1] in self.index.defines and pattern[1] not in seen:
            return self.values(self.index.defines[pattern[1]], seen | {pattern[1]})
        if kind == "c":
            collected: list[str] = []
            for part in pattern[1]:
                part_values = self.values(part, seen)
                if part_values is None:
                    return None
                collected.extend(part_values)
            return collected
        return None

    def model(self, ns: str, local: str, limit: int = 160) -> str:
        """The element's content model, written compactly (refs by their define's name)."""
        patterns = self.patterns_of(ns, local)
        if not patterns:
            return ""
        text = self._words(patterns[0][2], ns)
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def _words(self, pattern: Pattern, ns: str) -> str:
        kind = pattern[0]
        if kind == "e":
            nameclass = pattern[1]
            return _tag(_qname_in_words(nameclass[1], nameclass[2], ns)) if nameclass[0] == "n" else "any element"
        if kind == "a":
            return ""
        if kind == "r":
            target = self.index.defines.get(pattern[1])
            if target is not None and target[0] == "e" and target[1][0] == "n":
                return _tag(_qname_in_words(target[1][1], target[1][2], ns))
            if target is not None and target[0] in ("a", "0") or (target is not None and self._only_attributes(target)):
                return ""
            return pattern[1]
        if kind in ("g", "i", "c"):
            parts = [self._words(part, ns) for part in pattern[1]]
            parts = [part for part in parts if part]
            joiner = {"g": ", ", "i": " & ", "c": " | "}[kind]
            if not parts:
                return ""
            return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"
        if kind in ("1", "*", "?"):
            inner = self._words(pattern[1], ns)
            return inner + {"1": "+", "*": "*", "?": "?"}[kind] if inner else ""
        if kind == "m":
            inner = self._words(pattern[1], ns)
            return f"(text | {inner})*" if inner else "text"
        if kind == "t":
            return "text"
        if kind == "0":
            return ""
        if kind == "d":
            return pattern[2]
        if kind == "v":
            return f'"{pattern[4]}"'
        return ""

    def _only_attributes(self, pattern: Pattern, depth: int = 0) -> bool:
        kind = pattern[0]
        if kind in ("a", "0"):
            return True
        if depth > 8:
            return False
        if kind in ("g", "i", "c"):
            return all(self._only_attributes(part, depth + 1) for part in pattern[1])
        if kind in ("?", "*", "1"):
            return self._only_attributes(pattern[1], depth + 1)
        if kind == "r" and pattern[1] in self.index.defines:
            return self._only_attributes(self.index.defines[pattern[1]], depth + 1)
        return False


def _suggest(word: str, candidates: list[str]) -> str:
    # A file wrong in one way is wrong in it hundreds of times: each near miss is worked out once.
    return _suggestion(word, tuple(candidates))


@lru_cache(maxsize=4096)
def _suggestion(word: str, candidates: tuple[str, ...]) -> str:
    if word in candidates:
        return ""
    lowered = {candidate.lower(): candidate for candidate in candidates}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return close[0] if close else ""


def _element_at(tree: etree._ElementTree, path: str) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except (etree.XPathError, TypeError):
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _split(element: etree._Element) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


_CASCADE_KINDS = ("RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_INTERSEQ")


def _place(error: "RawError", tree: etree._ElementTree, explainer: Explainer | None) -> tuple[etree._Element | None, etree._Element | None]:
    """The element an error is about, and the element whose content or attributes failed."""
    element = _element_at(tree, error.path)
    kind = error.kind
    if kind == "RELAXNG_ERR_ELEMNAME" and element is not None:
        # libxml2 points at the parent here; the element named after "got" is the culprit.
        got = error.message.rsplit("got ", 1)[-1].strip()
        for child in element:
            if isinstance(child.tag, str) and etree.QName(child).localname == got:
                return child, element
        return element, element.getparent() if element.getparent() is not None else element
    if kind == "RELAXNG_ERR_EXTRACONTENT" and element is not None and error.message.endswith(": text"):
        return element, element  # text inside the element the path names
    if kind in ("RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_ELEMEXTRANS", "RELAXNG_ERR_INTEREXTRA") and element is not None:
        parent = element.getparent()
        return element, parent if parent is not None else element
    if kind == "RELAXNG_ERR_CONTENTVALID" and element is not None:
        # The element named in the message is the one that failed; the path may be its child.
        m = re.match(r"Element (\S+) failed", error.message)
        parent = element.getparent()
        if m and etree.QName(element).localname != m.group(1) and parent is not None and etree.QName(parent).localname == m.group(1):
            return parent, parent
    if element is None and kind == "RELAXNG_ERR_ATTRVALID" and explainer is not None:
        # No path given: the first element of that name whose attributes the index rejects.
        m = re.match(r"Element (\S+) failed", error.message)
        if m:
            candidates = [el for el in tree.getroot().iter() if isinstance(el.tag, str) and etree.QName(el).localname == m.group(1)]
            for candidate in candidates:
                if _attribute_problem(candidate, explainer) is not None:
                    return candidate, candidate
            if candidates:
                return candidates[0], candidates[0]
    return element, element


def _ancestors_of(elements: "Iterable[etree._Element]") -> set[etree._Element]:
    """Every strict ancestor of the elements, each walked once (linear in the tree)."""
    found: set[etree._Element] = set()
    for element in elements:
        node = element.getparent()
        while node is not None and node not in found:
            found.add(node)
            node = node.getparent()
    return found


def _xml_name(ns: str, local: str) -> str:
    return f"xml:{local}" if ns == "http://www.w3.org/XML/1998/namespace" else (f"{{{ns}}}{local}" if ns else local)


def static_errors(tree: etree._ElementTree, explainer: Explainer) -> list[tuple[etree._Element, str, str, str]]:
    """Errors the grammar's index proves without libxml2: an element no pattern of the grammar
    names, a child no pattern of its parent allows, an attribute no pattern of its element allows. Each makes the document invalid, so
    they change no verdict; libxml2 stops at the first error of a subtree, these do not."""
    found: list[tuple[etree._Element, str, str, str]] = []
    refused: set[etree._Element] = set()
    for element in tree.getroot().iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        if parent is not None and parent in refused:
            refused.add(element)  # inside a refused element: jing does not look further either
            continue
        ns, local = _split(element)
        named, wildcard = explainer.defined_anywhere(ns, local)
        if not named and not wildcard:
            known = sorted({l for (_, l) in (explainer._elements or {})})
            guess = _suggest(local, known)
            found.append((element, "", "RNG001", f"<{local}> is not allowed anywhere in this grammar" + (f" (did you mean <{guess}>?)" if guess else "")))
            refused.add(element)
            continue
        if parent is not None:
            parent_ns, parent_local = _split(parent)
            parent_named, parent_wildcard = explainer.defined_anywhere(parent_ns, parent_local)
            if parent_named and not parent_wildcard:
                names, wildcards = explainer.child_classes(parent_ns, parent_local)
                if (ns, local) not in names and not any(matches(nameclass, ns, local) for nameclass in wildcards):
                    words = sorted(_qname_in_words(n, l, parent_ns) for n, l in names)
                    guess = _suggest(local, [l for _, l in names])
                    message = f"<{local}> is not allowed inside <{parent_local}>" + (f" (did you mean <{guess}>?)" if guess else "")
                    message += f"; allowed in <{parent_local}>: {_short(words)}" if words else f"; <{parent_local}> allows no child elements"
                    found.append((element, "", "RNG001", message))
                    refused.add(element)
                    continue
        if wildcard:
            continue
        allowed = explainer.attribute_set(ns, local)
        if ANY_ATTRIBUTE in allowed:
            continue
        for attribute in element.attrib:
            key = tuple(attribute[1:].split("}", 1)) if attribute.startswith("{") else ("", attribute)
            if key not in allowed:
                shown = _xml_name(*key)
                names = sorted(_xml_name(*name) for name in allowed)
                guess = _suggest(shown, names)
                message = f"@{shown} is not allowed on <{local}>" + (f" (did you mean @{guess}?)" if guess else "")
                message += f"; allowed: {_short(names, '@')}" if names else f"; <{local}> takes no attributes"
                found.append((element, shown, "RNG003", message))
    return found


def explain_all(raw: list["RawError"], tree: etree._ElementTree, grammar: "RelaxNGGrammar") -> Iterator[tuple[int, str, str, str]]:
    explainer = grammar.explainer()
    root_refused = any(error.kind == "RELAXNG_ERR_ROOT" for error in raw)
    if explainer is not None and not root_refused:
        from .prune import root_elements

        root_ns, root_local = _split(tree.getroot())
        root_refused = not any(matches(pattern[1], root_ns, root_local) for pattern in root_elements(explainer.index))
    if root_refused:
        yield tree.getroot().sourceline or 1, "/*", *_root(None, raw[0], tree.getroot(), tree, explainer)
        return
    # A root the grammar refuses is the one thing to say: everything under it follows from it.
    proven = static_errors(tree, explainer) if explainer is not None and not root_refused else []
    for element, _, code, message in proven:
        yield element.sourceline or 1, tree.getpath(element), code, message
    flagged = {id(element) for element, *_ in proven}
    attribute_flagged = {id(element) for element, attribute, *_ in proven if attribute}
    placed = [(error, *_place(error, tree, explainer)) for error in raw]
    if proven:
        # What libxml2 says around a proven error is its consequence: left out.
        above_proven = _ancestors_of(element for element, *_ in proven)
        placed = [
            (error, element, context) for error, element, context in placed
            if not (element is not None and (
                element in above_proven or (context is not None and context in above_proven)
                or (id(element) in flagged and error.kind != "RELAXNG_ERR_ATTRVALID")
                or (id(element) in attribute_flagged and error.kind == "RELAXNG_ERR_ATTRVALID")
            ))
        ]
    above_contexts = _ancestors_of(context for _, _, context in placed if context is not None)
    specific = {context for error, _, context in placed if context is not None and error.kind not in _CASCADE_KINDS}
    paths = Counter(error.path for error in raw)
    said: set[tuple[int, str, str]] = set()
    for error, element, context in placed:
        if context is not None:
            # After an error libxml2 also fails every enclosing element; those are consequences.
            if context in above_contexts:
                continue
            if error.kind in _CASCADE_KINDS and context in specific:
                continue
        if error.kind == "RELAXNG_ERR_NOELEM" and element is not None and paths[error.path] > 1 and error.message.startswith(f"Expecting an element {etree.QName(element).localname},"):
            continue  # "expected <hi>" about the <hi> whose own error is reported
        code, message = _explain(error, element, context, tree, explainer)
        line = element.sourceline if element is not None and element.sourceline else error.line
        key = (line, code, tree.getpath(element) if element is not None else message)
        if key in said:
            continue
        said.add(key)
        yield line, (tree.getpath(element) if element is not None else error.path), code, message


def _explain(error: "RawError", element: etree._Element | None, context: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    for pattern, kind in _MESSAGES:
        m = pattern.match(error.message.strip())
        if m:
            if kind == "wrong":
                return _wrong(m, error, element, tree, explainer, context)
            if kind == "extra":
                return _extra(m, error, element, tree, explainer, context)
            return _HANDLERS[kind](m, error, element, tree, explainer)
    return "RNG000", error.message.strip()


def _allowed_in(parent: etree._Element | None, explainer: Explainer | None) -> tuple[str, list[str]]:
    if parent is None or explainer is None:
        return "", []
    ns, local = _split(parent)
    names, wildcard = explainer.children(ns, local)
    words = [_qname_in_words(n, l, ns) for n, l in names]
    parts = []
    if words or wildcard:
        parts.append(f"allowed in <{local}>: {_short(words)}" + (" and elements of other namespaces" if wildcard else ""))
    else:
        parts.append(f"<{local}> allows no child elements")
    model = explainer.model(ns, local)
    if model:
        parts.append(f"content of <{local}>: {model}")
    return "; ".join(parts), [l for _, l in names]


def _wrong(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None, parent: etree._Element | None = None) -> tuple[str, str]:
    got = m["got"]
    if parent is element:
        parent = None
    if element is not None and element.getparent() is None:
        return _root(m, error, element, tree, explainer)
    where = f" inside <{etree.QName(parent).localname}>" if parent is not None else ""
    allowed, names = _allowed_in(parent, explainer)
    local = etree.QName(element).localname if element is not None else got
    guess = _suggest(local, names)
    message = f"<{local}> is not allowed{where} here"
    if guess:
        message += f" (did you mean <{guess}>?)"
    want = m.groupdict().get("want")
    if want and not want.startswith(UNSATISFIABLE_NS) and want != "required-content":
        message += f"; expected <{want}>"
    return "RNG001", message + (f"; {allowed}" if allowed else "")


def _extra(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None, parent: etree._Element | None = None) -> tuple[str, str]:
    name = m["el"]
    got = m["got"]
    allowed, names = _allowed_in(element if got == "text" else parent, explainer)
    if got == "text":
        return "RNG006", f"text is not allowed directly in <{name}>" + (f"; {allowed}" if allowed else "")
    guess = _suggest(got, names)
    message = f"<{got}> is not allowed inside <{name}> here" + (f" (did you mean <{guess}>?)" if guess else "")
    return "RNG001", message + (f"; {allowed}" if allowed else "")


def _with_model(message: str, name: str, element: etree._Element | None, explainer: Explainer | None) -> str:
    """The message, and the element's content model in words where the grammar's index has it."""
    model = explainer.model(*_split(element)) if element is not None and explainer is not None else None
    return f"{message}; content of <{name}>: {model}" if model else message


def _missing(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    want = m["want"]
    name = etree.QName(element).localname if element is not None else "element"
    message = f"<{name}> is incomplete: required content is missing"
    if want and want != "required-content":
        message = f"<{name}> is incomplete: <{want}> is required"
    return "RNG002", _with_model(message, name, element, explainer)


def _attribute_names(element: etree._Element, explainer: Explainer | None) -> list[str]:
    if explainer is None:
        return []
    ns, local = _split(element)
    names = []
    for (attr_ns, attr_local) in explainer.attributes(ns, local):
        if attr_ns == "http://www.w3.org/XML/1998/namespace":
            names.append(f"xml:{attr_local}")
        else:
            names.append(_qname_in_words(attr_ns, attr_local, ""))
    return sorted(names)


def _text(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    name = etree.QName(element).localname if element is not None else "this element"
    allowed, _ = _allowed_in(element, explainer)
    return "RNG006", f"text is not allowed directly in <{name}>" + (f"; {allowed}" if allowed else "")


def _attribute(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    attr = re.sub(r"^\{http://www.w3.org/XML/1998/namespace\}", "xml:", m["attr"])
    name = m["el"]
    allowed = _attribute_names(element, explainer) if element is not None else []
    if attr in allowed and element is not None and explainer is not None:
        # libxml2 says "invalid attribute" for a known attribute with a bad value too.
        found = _attribute_problem(element, explainer)
        if found is not None:
            return found
        return "RNG004", f"the value of @{attr} on <{name}> is not of the type the grammar requires"
    guess = _suggest(attr, allowed)
    message = f"@{attr} is not allowed on <{name}>" + (f" (did you mean @{guess}?)" if guess else "")
    if allowed:
        message += f"; allowed: {_short(allowed, '@')}"
    elif element is not None and explainer is not None:
        message += f"; <{name}> takes no attributes"
    return "RNG003", message


def _attributes(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    name = m["el"]
    if element is not None and explainer is not None:
        found = _attribute_problem(element, explainer)
        if found is not None:
            return found
    return "RNG004", f"an attribute of <{name}> is missing or has a value of a type the grammar does not allow"


def _attribute_problem(element: etree._Element, explainer: Explainer) -> tuple[str, str] | None:
    """A missing required attribute, or a value outside its closed list or regular expression."""
    name = etree.QName(element).localname
    ns, local = _split(element)
    known = explainer.attributes(ns, local)
    missing = sorted(attr_local for (attr_ns, attr_local), (required, _) in known.items()
                     if required and element.get(f"{{{attr_ns}}}{attr_local}" if attr_ns else attr_local) is None)
    if missing:
        return "RNG005", f"<{name}> needs the attribute{'s' if len(missing) > 1 else ''} " + ", ".join(f"@{a}" for a in missing)
    for attribute, value in element.attrib.items():
        attr_ns, attr_local = (attribute[1:].split("}", 1) if attribute.startswith("{") else ("", attribute))
        entry = known.get((attr_ns, attr_local))
        if entry is None:
            continue
        shown = f"xml:{attr_local}" if attr_ns == "http://www.w3.org/XML/1998/namespace" else attr_local
        closed: list[str] = []
        open_list = False
        for pattern in entry[1]:
            values = explainer.values(pattern)
            if values is None:
                open_list = True
            else:
                closed.extend(values)
        if closed and not open_list and value.strip() not in closed:
            guess = _suggest(value, closed)
            return "RNG004", f'@{shown}="{value}" on <{name}> is not one of the allowed values: {_short(closed, chr(34) * 2)}' + (f' (did you mean "{guess}"?)' if guess else "")
        for pattern in entry[1]:
            problem = _data_problem(pattern, value, explainer)
            if problem:
                return "RNG004", f'@{shown}="{value}" on <{name}> is not {problem}'
    return None


def _data_problem(pattern: Pattern, value: str, explainer: Explainer, depth: int = 0) -> str:
    """Why a value fails a data pattern with a regular-expression facet (the usual TEI case)."""
    kind = pattern[0]
    if kind == "r" and depth < 8 and pattern[1] in explainer.index.defines:
        return _data_problem(explainer.index.defines[pattern[1]], value, explainer, depth + 1)
    if kind == "l" and depth < 8:
        return ""
    if kind != "d":
        return ""
    for param, expression in pattern[3]:
        if param == "pattern":
            try:
                if re.fullmatch(expression, value) is None:
                    return f'a valid {pattern[2]}: it must match the regular expression "{expression}"'
            except re.error:
                return ""
    return ""


def _value(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    where = f" in <{etree.QName(element).localname}>" if element is not None else ""
    kind = m["type"] or m["type2"]
    value = m["value"] if m["value"] is not None else (m["value2"] or "")
    if kind:
        return "RNG004", f'the value "{value}"{where} is not a valid {kind}' if value else f"a value{where} is not a valid {kind}"
    return "RNG004", f'the value "{value.strip()}"{where} is not allowed' if value.strip() else f"a value{where} is not allowed"


def _content(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    name = etree.QName(element).localname if element is not None else (m.groupdict().get("el") or "element")
    message = f"the content of <{name}> does not fit the grammar"
    return "RNG002", _with_model(message, name, element, explainer)


def _root(m: "re.Match[str] | None", error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    root = tree.getroot()
    ns, local = _split(root)
    message = f"<{local}>" + (f" (namespace {ns})" if ns else " (no namespace)") + " is not allowed as the root element"
    if explainer is not None:
        from .prune import root_elements

        roots = sorted({f"<{p[1][2]}>" + (f" in {p[1][1]}" if p[1][1] != ns else "") for p in root_elements(explainer.index) if p[1][0] == "n"})
        if roots:
            message += f"; the grammar allows {', '.join(roots[:_LIST])}"
    return "RNG007", message


def _namespace(m: re.Match[str], error: "RawError", element: etree._Element | None, tree: etree._ElementTree, explainer: Explainer | None) -> tuple[str, str]:
    got = m["got"] or m["got2"]
    if element is not None and element.getparent() is None:
        return _root(m, error, element, tree, explainer)
    expected = f"; expected namespace {m['ns']}" if m["ns"] else ""
    return "RNG001", f"<{got}> is not in the namespace the grammar expects here{expected}"


_Handler = Callable[[re.Match[str], "RawError", "etree._Element | None", etree._ElementTree, "Explainer | None"], tuple[str, str]]
_HANDLERS: dict[str, _Handler] = {
    "missing": _missing, "attribute": _attribute, "attributes": _attributes,
    "value": _value, "content": _content, "text": _text, "root": _root, "namespace": _namespace,
}
