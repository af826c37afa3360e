"""A Schematron schema read into one self-contained `sch:schema` tree: includes resolved, the
rules embedded in a RELAX NG grammar gathered, abstract patterns and rules expanded."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ...xmlio import parse_grammar
from ..cachedir import file_digest

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_SCH = f"{{{SCH_NS}}}"

#: Nested includes deeper than this are taken for a loop.
MAX_INCLUDE_DEPTH = 16

#: Query bindings whose expressions are XPath 2 or later (run through saxonche); anything else
#: that names XPath 1 (or none at all) runs through lxml.
XPATH2_BINDINGS = frozenset({"xslt2", "xslt3", "xpath2", "xpath3", "xpath31", "xquery", "xquery3", "xquery31"})
XPATH1_BINDINGS = frozenset({"", "xslt", "xslt1", "xpath", "xpath1", "exslt", "stx"})


class SchematronError(ValueError):
    """A schema that cannot be used: unreadable, malformed, or breaking Schematron's own rules."""


@dataclass
class Source:
    """The schema as one tree, where it came from, and a digest of every file it was read from."""

    root: etree._Element
    path: Path
    query_binding: str
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of its bytes

    @property
    def xpath2(self) -> bool:
        return self.query_binding in XPATH2_BINDINGS


def _parse(path: Path) -> etree._Element:
    if re.match(r"^[a-z][a-z0-9+.-]*://", str(path), re.I):
        raise SchematronError(f"{path}: only local files are read, never the network")
    try:
        return parse_grammar(path).getroot()
    except OSError as exc:
        raise SchematronError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except etree.XMLSyntaxError as exc:
        raise SchematronError(f"{path}: not well-formed: {exc}") from None


def load(path: str | Path, *, query_binding: str | None = None) -> Source:
    """Read a Schematron schema from a `.sch` file or the rules embedded in a RELAX NG grammar.

    `query_binding` overrides the schema's own. Rules embedded in a grammar carry none; ODD
    processors (TEI, DraCor) write XPath 2 there, so xslt2 is assumed for them.
    """
    path = Path(path)
    root = _parse(path)
    files = {str(path): file_digest(path)}
    if root.tag.startswith(f"{{{RNG_NS}}}"):
        schema = _embedded(root)
        binding = query_binding or schema.get("queryBinding") or "xslt2"
    elif root.tag == f"{_SCH}schema":
        schema = root
        binding = query_binding or root.get("queryBinding") or ""
    else:
        raise SchematronError(f"{path}: neither an ISO Schematron schema nor a RELAX NG grammar")
    _resolve_includes(schema, path, files, 0)
    binding = binding.strip().lower()
    if binding not in XPATH2_BINDINGS | XPATH1_BINDINGS:
        raise SchematronError(f"{path}: query binding {binding!r} is not supported (xslt, xslt2, xslt3 or xpath*)")
    _expand_abstract_patterns(schema, path)
    _expand_abstract_rules(schema, path)
    return Source(schema, path, binding, files)


def _embedded(grammar: etree._Element) -> etree._Element:
    """The Schematron of a RELAX NG grammar as a schema: its `sch:ns`, `sch:let`, `sch:phase`,
    `sch:diagnostics` and patterns; a rule outside any pattern becomes a pattern of its own,
    so that it is not shadowed by the rules of other elements' definitions."""
    schema = etree.Element(f"{_SCH}schema", nsmap={"sch": SCH_NS})
    embedded = [element for element in grammar.iter(f"{_SCH}*") if not any(a.tag.startswith(_SCH) for a in element.iterancestors())]
    for order in ("ns", "let", "phase", "pattern", "rule", "diagnostics"):
        for element in embedded:
            if element.tag != f"{_SCH}{order}":
                continue
            copied = _copy_with_scope(element)
            if order == "rule":
                pattern = etree.SubElement(schema, f"{_SCH}pattern")
                pattern.append(copied)
            else:
                schema.append(copied)
    return schema


def _copy_with_scope(element: etree._Element) -> etree._Element:
    """A copy that keeps the namespace declarations in scope where it stood (its XPath uses them)."""
    copied = etree.Element(element.tag, attrib=dict(element.attrib), nsmap=element.nsmap)
    copied.text = element.text
    for child in element:
        copied.append(_deepcopy(child))
    return copied


def _deepcopy(element: etree._Element) -> etree._Element:
    copied = deepcopy(element)
    copied.tail = element.tail
    return copied


def _resolve_includes(schema: etree._Element, base: Path, files: dict[str, str], depth: int) -> None:
    """Replace every `sch:include` (and `sch:extends/@href`) by the element it names."""
    if depth > MAX_INCLUDE_DEPTH:
        raise SchematronError(f"{base}: includes nested more than {MAX_INCLUDE_DEPTH} deep (a loop?)")
    for include in list(schema.iter(f"{_SCH}include", f"{_SCH}extends")):
        href = include.get("href")
        if not href:
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) and not re.match(r"^file:", href, re.I):
            raise SchematronError(f"{base}: include {href}: only local files are read, never the network")
        target_path, _, fragment = href.partition("#")
        target_path = re.sub(r"^file://", "", target_path)
        target = (base.parent / target_path).resolve() if target_path else base
        root = _parse(target)
        files[str(target)] = file_digest(target)
        if fragment:
            found = [e for e in root.iter() if e.get("id") == fragment or e.get("{http://www.w3.org/XML/1998/namespace}id") == fragment]
            if not found:
                raise SchematronError(f"{base}: {href} names no element with that id")
            root = found[0]
        copied = _copy_with_scope(root)
        _resolve_includes(copied, target, files, depth + 1)
        if include.tag == f"{_SCH}extends":
            # An external abstract rule: its lets, asserts and reports stand in for the extends.
            parent = include.getparent()
            position = parent.index(include)
            parent.remove(include)
            for offset, child in enumerate(c for c in copied if c.tag in (f"{_SCH}let", f"{_SCH}assert", f"{_SCH}report")):
                parent.insert(position + offset, child)
            continue
        copied.tail = include.tail
        include.getparent().replace(include, copied)


def _substitute(text: str, params: dict[str, str]) -> str:
    """`$name` replaced by its value; longer names first, so `$a` never eats `$ab`."""
    if not params:
        return text
    names = sorted(params, key=len, reverse=True)
    pattern = re.compile(r"\$(" + "|".join(re.escape(n) for n in names) + r")(?![\w.-])")
    return pattern.sub(lambda m: params[m.group(1)], text)


def _expand_abstract_patterns(schema: etree._Element, path: Path) -> None:
    abstract = {p.get("id"): p for p in schema.iterchildren(f"{_SCH}pattern") if p.get("abstract") == "true"}
    for pattern in list(schema.iterchildren(f"{_SCH}pattern")):
        if pattern.get("abstract") == "true":
            schema.remove(pattern)
            continue
        name = pattern.get("is-a")
        if name is None:
            continue
        template = abstract.get(name)
        if template is None:
            raise SchematronError(f"{path}: pattern is-a=\"{name}\" names no abstract pattern")
        params = {p.get("name", ""): p.get("value", "") for p in pattern.iterchildren(f"{_SCH}param")}
        instance = _deepcopy(template)
        for attribute in ("abstract", "id"):
            instance.attrib.pop(attribute, None)
        if pattern.get("id"):
            instance.set("id", pattern.get("id"))
        for element in instance.iter():
            for key in ("context", "test", "select", "path", "value", "subject"):
                if element.get(key) is not None:
                    element.set(key, _substitute(element.get(key), params))
        instance.tail = pattern.tail
        schema.replace(pattern, instance)
    for pattern in schema.iterchildren(f"{_SCH}pattern"):
        if pattern.get("is-a") is not None:
            raise SchematronError(f"{path}: pattern is-a=\"{pattern.get('is-a')}\" could not be expanded")


def _expand_abstract_rules(schema: etree._Element, path: Path) -> None:
    for pattern in schema.iterchildren(f"{_SCH}pattern"):
        abstract = {r.get("id"): r for r in pattern.iterchildren(f"{_SCH}rule") if r.get("abstract") == "true"}
        # Abstract rules may also stand in the schema's own `rules` element (Schematron 2016).
        for rules in schema.iterchildren(f"{_SCH}rules"):
            abstract.update({r.get("id"): r for r in rules.iterchildren(f"{_SCH}rule")})
        for rule in list(pattern.iterchildren(f"{_SCH}rule")):
            if rule.get("abstract") == "true":
                pattern.remove(rule)
                continue
            _extend(rule, abstract, path, 0)


def _extend(rule: etree._Element, abstract: dict[str | None, etree._Element], path: Path, depth: int) -> None:
    if depth > MAX_INCLUDE_DEPTH:
        raise SchematronError(f"{path}: abstract rules extend each other in a loop")
    for extends in list(rule.iterchildren(f"{_SCH}extends")):
        name = extends.get("rule")
        base = abstract.get(name)
        if base is None:
            raise SchematronError(f"{path}: extends rule=\"{name}\" names no abstract rule of the pattern")
        body = _deepcopy(base)
        _extend(body, abstract, path, depth + 1)
        position = rule.index(extends)
        rule.remove(extends)
        for offset, child in enumerate(c for c in body if c.tag in (f"{_SCH}let", f"{_SCH}assert", f"{_SCH}report")):
            rule.insert(position + offset, child)
