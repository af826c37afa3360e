"""What the bundled grammar allows where, read from its RELAX NG form, to tell an editor what to write instead."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ..xmlio import TEI_NS, parse_grammar

RNG = "http://relaxng.org/ns/structure/1.0"


@dataclass(frozen=True)
class ElementModel:
    """One element of the grammar: the children and attributes it allows, and its content model."""

    name: str
    children: tuple[str, ...]  # in the grammar's order
    text: bool  # character data allowed
    attributes: tuple[str, ...]
    model: str  # the content model, written compactly: (a, (b | c)*)
    pattern: tuple = ("eps",)  # the same model as a tree of element names, for `next_allowed`


def _rng(tag: str) -> str:
    return f"{{{RNG}}}{tag}"


_QUANTIFIERS = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}


class _Reader:
    """Walks one element's pattern, leaving attributes aside."""

    def __init__(self, defines: dict[str, etree._Element]) -> None:
        self.defines = defines

    def element_of(self, define: etree._Element) -> etree._Element | None:
        return next(define.iterchildren(_rng("element")), None)

    def content(self, pattern: etree._Element, children: list[str], flags: dict[str, bool], attributes: list[str]) -> str:
        """The compact form of `pattern` (empty when it holds attributes only)."""
        tag = etree.QName(pattern).localname if isinstance(pattern.tag, str) else ""
        if not tag or etree.QName(pattern).namespace != RNG:
            return ""
        if tag == "attribute":
            name = pattern.get("name")
            if name:
                prefix = "xml:" if pattern.get("ns") == "http://www.w3.org/XML/1998/namespace" else ""
                attributes.append(prefix + name)
            return ""
        if tag == "ref":
            name = pattern.get("name", "")
            define = self.defines.get(name)
            element = self.element_of(define) if define is not None else None
            if element is not None:
                local = element.get("name", name)
                children.append(local)
                return local
            # a named pattern that is not an element: read through it
            return self.sequence(define, children, flags, attributes, ", ") if define is not None else name
        if tag == "text":
            flags["text"] = True
            return "text"
        if tag in ("data", "value", "list"):
            flags["text"] = True
            return "text"
        if tag == "empty":
            return ""
        if tag == "mixed":
            flags["text"] = True
            inner = self.sequence(pattern, children, flags, attributes, " | ")
            return f"(text | {inner.strip('()')})*" if inner else "text"
        if tag in _QUANTIFIERS:
            inner = self.sequence(pattern, children, flags, attributes, ", ")
            return f"{inner}{_QUANTIFIERS[tag]}" if inner else ""
        if tag in ("group", "choice", "interleave"):
            joiner = {"group": ", ", "choice": " | ", "interleave": " & "}[tag]
            return self.sequence(pattern, children, flags, attributes, joiner)
        if tag == "element":  # an element defined in place
            name = pattern.get("name", "?")
            children.append(name)
            return name
        return ""

    def sequence(self, parent: etree._Element, children: list[str], flags: dict[str, bool], attributes: list[str], joiner: str) -> str:
        parts = [self.content(child, children, flags, attributes) for child in parent if isinstance(child.tag, str) and etree.QName(child).namespace == RNG]
        parts = [part for part in parts if part]
        if len(parts) <= 1:
            return parts[0] if parts else ""
        return "(" + joiner.join(parts) + ")"


# Content models as trees of element names: ("name", n), ("seq", parts), ("alt", parts),
# ("opt", p), ("star", p), ("plus", p), ("eps",); None is a model nothing can satisfy. Text is
# left out: where text may stand is a flag of the element. Interleave is read as a free mix.
_EPS: tuple = ("eps",)


def _tree(reader: "_Reader", pattern: etree._Element) -> tuple | None:
    if not isinstance(pattern.tag, str) or etree.QName(pattern).namespace != RNG:
        return _EPS
    tag = etree.QName(pattern).localname
    if tag in ("attribute", "text", "data", "value", "list", "empty"):
        return _EPS
    if tag == "ref":
        define = reader.defines.get(pattern.get("name", ""))
        element = reader.element_of(define) if define is not None else None
        if element is not None:
            return ("name", element.get("name", ""))
        return _seq([_tree(reader, child) for child in define]) if define is not None else _EPS
    if tag == "element":
        return ("name", pattern.get("name", ""))
    parts = [_tree(reader, child) for child in pattern]
    if tag in ("group",):
        return _seq(parts)
    if tag == "choice":
        return _alt(parts)
    if tag in ("interleave", "mixed"):
        inner = _alt(parts) if tag == "interleave" else _seq(parts)
        return ("star", inner) if tag == "interleave" else inner
    if tag in _QUANTIFIERS:
        inner = _seq(parts)
        return {"optional": ("opt", inner), "zeroOrMore": ("star", inner), "oneOrMore": ("plus", inner)}[tag]
    return _EPS


def _seq(parts: list) -> tuple | None:
    if any(part is None for part in parts):
        return None
    parts = [part for part in parts if part != _EPS]
    return _EPS if not parts else parts[0] if len(parts) == 1 else ("seq", tuple(parts))


def _alt(parts: list) -> tuple | None:
    kept = list(dict.fromkeys(part for part in parts if part is not None))
    return None if not kept else kept[0] if len(kept) == 1 else ("alt", tuple(kept))


def _nullable(p: tuple | None) -> bool:
    if p is None:
        return False
    kind = p[0]
    if kind in ("eps", "opt", "star"):
        return True
    if kind == "name":
        return False
    if kind == "seq":
        return all(_nullable(part) for part in p[1])
    if kind == "alt":
        return any(_nullable(part) for part in p[1])
    return _nullable(p[1])  # plus


def _first(p: tuple | None) -> set[str]:
    if p is None or p[0] == "eps":
        return set()
    kind = p[0]
    if kind == "name":
        return {p[1]}
    if kind == "seq":
        out: set[str] = set()
        for part in p[1]:
            out |= _first(part)
            if not _nullable(part):
                break
        return out
    if kind == "alt":
        return set().union(*(_first(part) for part in p[1]))
    return _first(p[1])


def _derive(p: tuple | None, name: str) -> tuple | None:
    """What remains of model p once an element `name` has been read (Brzozowski's derivative)."""
    if p is None or p[0] == "eps":
        return None
    kind = p[0]
    if kind == "name":
        return _EPS if p[1] == name else None
    if kind == "alt":
        return _alt([_derive(part, name) for part in p[1]])
    if kind == "seq":
        head, rest = p[1][0], _seq(list(p[1][1:]))
        taken = _seq([_derive(head, name), rest])
        return _alt([taken, _derive(rest, name)]) if _nullable(head) else taken
    if kind == "opt":
        return _derive(p[1], name)
    return _seq([_derive(p[1], name), ("star", p[1])])  # star, plus


def next_allowed(model: ElementModel, before: list[str]) -> tuple[list[str], bool] | None:
    """The elements that may come after the children `before` (in the grammar's order), and
    whether the parent may end there; None when `before` itself does not fit the model."""
    state: tuple | None = model.pattern
    for name in before:
        state = _derive(state, name)
        if state is None:
            return None
    allowed = _first(state)
    return [name for name in model.children if name in allowed], _nullable(state)


@lru_cache(maxsize=2)
def models(path: str | None = None) -> dict[str, ElementModel]:
    """Every element of a flattened RELAX NG grammar (the bundled one by default), by local name."""
    from .grammar import bundled_schema_path

    grammar = parse_grammar(path or bundled_schema_path("rng")).getroot()
    defines = {define.get("name"): define for define in grammar.iter(_rng("define"))}
    reader = _Reader(defines)
    out: dict[str, ElementModel] = {}
    for define in defines.values():
        element = reader.element_of(define)
        if element is None or not element.get("name"):
            continue
        children: list[str] = []
        attributes: list[str] = []
        flags = {"text": False}
        model = reader.sequence(element, children, flags, attributes, ", ")
        name = element.get("name")
        pattern = _seq([_tree(reader, child) for child in element]) or _EPS
        out[name] = ElementModel(name, tuple(dict.fromkeys(children)), flags["text"], tuple(dict.fromkeys(attributes)), model or "empty", pattern)
    return out


def _names(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"<{name}>" for name in names)


def describe(model: ElementModel) -> str:
    """The content model in words when it is a free mix, else written out."""
    free = {f"({' | '.join(['text', *model.children])})*", f"({' | '.join(model.children)})*", f"({' | '.join(['text', *model.children])})+"}
    if model.model in free or (len(model.children) == 1 and model.model in (f"{model.children[0]}*", f"(text | {model.children[0]})*")):
        return "in any number and order"
    return f"its content model is {model.model}"


def allowed_inside(parent: ElementModel) -> str:
    """'text and <a>, <b>' or '<a>, <b>' or 'nothing (it must be empty)'."""
    if not parent.children:
        return "text only" if parent.text else "nothing (it must be empty)"
    return ("text and " if parent.text else "") + _names(parent.children)


def did_you_mean(word: str, candidates: tuple[str, ...] | list[str], cutoff: float = 0.75) -> str | None:
    """The candidate closest to word: same letters in another case first, then spelling."""
    lowered = {candidate.lower(): candidate for candidate in candidates}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff) or difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    if not close:
        return None
    return lowered.get(close[0], close[0])


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def improve(code: str, message: str, element: etree._Element | None, attribute: str | None = None) -> str:
    """A grammar message for the bundled schema made into one an editor can act on: for an
    element out of place, everything its parent allows and the parent's content model; for an
    unknown element or attribute, the name the grammar knows that is closest."""
    if element is None:
        return message
    index = models()
    name = _local(element)
    parent = element.getparent()
    if code == "SCH001" and parent is not None and _local(parent) in index:
        model = index[_local(parent)]
        hint = ""
        if name not in index or etree.QName(element).namespace != TEI_NS:
            # What fits here first (a slip in a name the parent takes), then any element.
            guess = did_you_mean(name, model.children) or did_you_mean(name, tuple(index), cutoff=0.8)
            hint = f"<{name}> is not an element of the schema" + (f"; did you mean <{guess}>?" if guess else "") + " "
        before = [_local(sibling) for sibling in element.itersiblings(preceding=True) if isinstance(sibling.tag, str)][::-1]
        here = next_allowed(model, before) if describe(model) != "in any number and order" else None
        if here is not None:
            names, may_end = here
            after = f"after <{before[-1]}>" if before else "first"
            options = [f"<{n}>" for n in names] + ([f"the end of <{model.name}>"] if may_end else [])
            what = ", ".join(options) if options else "nothing more"
            return (f"{hint}<{name}> is not allowed here: {after} in <{model.name}> comes {what}; "
                    f"<{model.name}> has the content model {model.model}")
        if name in model.children and not hint:
            return (f"<{name}> is allowed inside <{model.name}>, but not at this place or this many times: "
                    f"<{model.name}> has the content model {model.model}")
        return f"{hint}<{name}> is not allowed inside <{model.name}>: <{model.name}> allows {allowed_inside(model)}, {describe(model)}"
    if code == "SCH003" and attribute and name in index:
        known = index[name].attributes
        guess = did_you_mean(attribute, known)
        suggestion = f"; did you mean @{guess}?" if guess else ""
        listed = ", ".join(f"@{a}" for a in known) if known else "no attributes"
        return f"@{attribute} is not allowed on <{name}>{suggestion} <{name}> takes {listed}" if guess else f"@{attribute} is not allowed on <{name}>; <{name}> takes {listed}"
    if code == "SCH006" and name in index:
        model = index[name]
        return f"text is not allowed directly in <{name}>: it holds only {_names(model.children)}, {describe(model)}; put the text in one of them"
    if code == "SCH002" and name in index:
        return f"{message}; <{name}> has the content model {index[name].model}"
    return message


__all__ = ["ElementModel", "models", "improve", "did_you_mean", "allowed_inside"]


_XML_NS = "http://www.w3.org/XML/1998/namespace"


def unknown_attributes(tree: etree._ElementTree) -> list[tuple[etree._Element, str, str]]:
    """Every attribute the bundled grammar does not know on its element, with a did-you-mean.

    libxml2 stops checking an element's content at its first error, so a misspelt attribute
    below a misplaced element goes unreported, and a rule reports its effect (a date without
    @when) instead of its cause. Run only on files that already have grammar errors.
    """
    index = models()
    found = []
    for element in tree.getroot().iter(f"{{{TEI_NS}}}*"):
        model = index.get(_local(element))
        if model is None:
            continue
        for attribute in element.attrib:
            qname = etree.QName(attribute)
            if qname.namespace not in (None, _XML_NS):
                continue  # other vocabularies' attributes (xsi:...) have their own code
            name = f"xml:{qname.localname}" if qname.namespace == _XML_NS else qname.localname
            if name not in model.attributes:
                found.append((element, name, improve("SCH003", "", element, name)))
    return found
