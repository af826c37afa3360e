"""ISO Schematron compiled to one XSLT stylesheet (3.0 for saxonche, 1.0 for lxml) whose output
lists the failed asserts and successful reports, each with the place of its context node."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from .source import SCH_NS, XSL_NS, SchematronError, Source

#: Raised whenever the generated stylesheet changes, so cached copies of older ones are not used.
COMPILER_VERSION = "1"
#: Namespace of the stylesheet's own output and named templates; no schema uses it.
OUT_NS = "urn:x-tei-tools:schematron-findings"
_SCH = f"{{{SCH_NS}}}"
_XSL = f"{{{XSL_NS}}}"
_OUT = f"{{{OUT_NS}}}"


@dataclass(frozen=True)
class Check:
    """What the compiled stylesheet reports by number: one assert or report of the schema."""

    code: str
    role: str
    kind: str  # "assert" or "report"
    pattern: str
    context: str
    test: str
    line: int  # in the schema file, for messages about the schema


@dataclass
class Compiled:
    stylesheet: etree._Element
    checks: list[Check]
    phase: str
    xpath2: bool

    def text(self) -> str:
        return etree.tostring(self.stylesheet, encoding="unicode")


def derived_code(*parts: str) -> str:
    """A code for a check with no id of its own or of its pattern: stable as long as its
    context and test are."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:10]


def active_patterns(source: Source, phase: str | None) -> tuple[str, list[etree._Element], list[etree._Element]]:
    """(phase name, patterns, phase lets) for `phase`: None or '#DEFAULT' is the schema's
    defaultPhase (else every pattern), '#ALL' every pattern."""
    schema = source.root
    patterns = list(schema.iterchildren(f"{_SCH}pattern"))
    name = phase or "#DEFAULT"
    if name == "#DEFAULT":
        name = schema.get("defaultPhase") or "#ALL"
    if name == "#ALL":
        return name, patterns, []
    phases = {p.get("id"): p for p in schema.iterchildren(f"{_SCH}phase")}
    chosen = phases.get(name)
    if chosen is None:
        known = ", ".join(sorted(k for k in phases if k)) or "none"
        raise SchematronError(f"{source.path}: no phase \"{name}\" (phases: {known}; or #ALL, #DEFAULT)")
    wanted = [a.get("pattern") for a in chosen.iterchildren(f"{_SCH}active")]
    by_id = {p.get("id"): p for p in patterns}
    missing = [w for w in wanted if w not in by_id]
    if missing:
        raise SchematronError(f"{source.path}: phase \"{name}\" activates unknown pattern(s) {', '.join(map(str, missing))}")
    return name, [p for p in patterns if p.get("id") in set(wanted)], list(chosen.iterchildren(f"{_SCH}let"))


def compile_schema(source: Source, phase: str | None = None) -> Compiled:
    """The stylesheet for `source` in `phase`, and the checks its findings refer to."""
    version = "3.0" if source.xpath2 else "1.0"
    schema = source.root
    namespaces: dict[str, str] = {"xsl": XSL_NS, "ttf": OUT_NS}
    for ns in schema.iter(f"{_SCH}ns"):
        prefix, uri = ns.get("prefix"), ns.get("uri")
        if not prefix or uri is None:
            raise SchematronError(f"{source.path}:{ns.sourceline}: sch:ns needs @prefix and @uri")
        if prefix in ("xsl", "ttf") and uri != namespaces[prefix]:
            raise SchematronError(f"{source.path}: prefix {prefix!r} is reserved")
        namespaces.setdefault(prefix, uri)
    phase_name, patterns, phase_lets = active_patterns(source, phase)
    sheet = etree.Element(f"{_XSL}stylesheet", nsmap=namespaces)
    sheet.set("version", version)
    sheet.set("exclude-result-prefixes", " ".join(p for p in namespaces if p not in ("xsl", "ttf")) or "#default")
    if source.xpath2:
        sheet.set("expand-text", "no")
    output = etree.SubElement(sheet, f"{_XSL}output", method="xml", indent="no")
    output.set("encoding", "UTF-8")
    # Keys, functions and other XSLT the schema carries (TEI's and others' schemas use xsl:key).
    for foreign in schema:
        if isinstance(foreign.tag, str) and foreign.tag.startswith(_XSL):
            sheet.append(_copy(foreign))
    # Schema, phase and pattern lets are the stylesheet's global variables, so names are unique.
    seen: set[str] = set()
    for let in list(schema.iterchildren(f"{_SCH}let")) + phase_lets + [l for p in patterns for l in p.iterchildren(f"{_SCH}let")]:
        if let.get("name") in seen:
            raise SchematronError(f"{source.path}:{let.sourceline}: let \"{let.get('name')}\" is declared twice at schema, phase or pattern level")
        seen.add(let.get("name") or "")
        _variable(sheet, let, source)
    _location_template(sheet)
    diagnostics = {d.get("id"): d for group in schema.iterchildren(f"{_SCH}diagnostics") for d in group.iterchildren(f"{_SCH}diagnostic")}
    root = etree.SubElement(sheet, f"{_XSL}template", match="/")
    report = etree.SubElement(root, f"{_OUT}findings")
    checks: list[Check] = []
    for number, pattern in enumerate(patterns, 1):
        mode = f"ttf:p{number}"
        rules = [r for r in pattern.iterchildren(f"{_SCH}rule")]
        # Each pattern visits, in document order, the nodes its rules can match; a flat list
        # (`//*`) walks the tree far faster than templates applying themselves to children.
        visit = "|".join(["/"] + ["//" + kind for kind in _descent([r.get("context", "") for r in rules]).split("|")])
        etree.SubElement(report, f"{_XSL}apply-templates", select=visit, mode=mode)
        etree.SubElement(sheet, f"{_XSL}template", match="/|@*|node()", mode=mode, priority="-1000")  # no rule matched: nothing
        for order, rule in enumerate(rules):
            context = rule.get("context")
            if not context:
                raise SchematronError(f"{source.path}:{rule.sourceline}: a rule needs @context")
            # Only the first rule of a pattern that matches a node fires: earlier rules win by priority.
            template = etree.Element(f"{_XSL}template", match=context, mode=mode, priority=str(len(rules) - order), nsmap=_extra_namespaces(rule, namespaces))
            sheet.append(template)
            for child in rule:
                if child.tag == f"{_SCH}let":
                    _variable(template, child, source)
                elif child.tag in (f"{_SCH}assert", f"{_SCH}report"):
                    checks.append(_check(child, rule, pattern, number, source))
                    _test(template, child, rule, len(checks) - 1, diagnostics, source)
    return Compiled(sheet, checks, phase_name, source.xpath2)


_NODE_TESTS = re.compile(r"\b(?:node|text|comment|processing-instruction|attribute|element|document-node)\s*\(\s*[^()]*\)")
_STRING = re.compile(r"\"[^\"]*\"|'[^']*'")


def _without_predicates(context: str) -> str | None:
    """The pattern with its predicates (and strings) taken out; None when brackets do not pair."""
    text, depth, kept = _STRING.sub("''", context), 0, []
    for char in text:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0:
            kept.append(char)
    return "".join(kept) if depth == 0 else None


def _node_kinds(context: str) -> set[str] | None:
    """Which kinds of node ('attribute', 'other': text, comments, PIs) a rule context can match
    besides elements, by the last step of each alternative; None when that cannot be told."""
    bare = _without_predicates(context)
    if bare is None:
        return None
    if "(" in _NODE_TESTS.sub("", bare):
        return None  # a function or a parenthesised pattern: do not guess
    kinds: set[str] = set()
    for alternative in re.split(r"\|(?!\|)|\bunion\b", bare):
        step = re.split(r"/+", alternative.strip())[-1].strip()
        axis = re.match(r"([\w-]+)\s*::\s*", step)
        test = step[axis.end():] if axis else step
        if step.startswith("@") or (axis and axis.group(1) == "attribute") or test.startswith("attribute("):
            kinds.add("attribute")
        elif test.startswith(("node(", "text(", "comment(", "processing-instruction(")):
            kinds.add("other")
        elif step.startswith("document-node(") or step == "":
            continue  # the document node: the walk starts there
    return kinds


def _descent(contexts: list[str]) -> str:
    """What a pattern's walk visits: elements always; attributes, text and other nodes only
    when a rule context can match them (most match elements, however many attributes their
    predicates test: walking every attribute and text node would cost several times more)."""
    kinds: set[str] = set()
    for context in contexts:
        found = _node_kinds(context)
        if found is None:
            return "@*|node()"
        kinds |= found
    selected = (["@*"] if "attribute" in kinds else []) + (["node()"] if "other" in kinds else ["*"])
    return "|".join(selected)


def _copy(element: etree._Element) -> etree._Element:
    from copy import deepcopy

    copied = deepcopy(element)
    copied.tail = None
    return copied


def _extra_namespaces(element: etree._Element, declared: dict[str, str]) -> dict[str, str]:
    """Prefixes in scope where a rule stands and not declared with sch:ns: many schemas rely
    on them (ISO asks for sch:ns; being lenient here costs nothing when there is no clash)."""
    return {p: u for p, u in element.nsmap.items() if p and p not in declared}


def _variable(parent: etree._Element, let: etree._Element, source: Source) -> None:
    name = let.get("name")
    if not name:
        raise SchematronError(f"{source.path}:{let.sourceline}: sch:let needs @name")
    variable = etree.SubElement(parent, f"{_XSL}variable", name=name)
    if let.get("value") is not None:
        variable.set("select", let.get("value"))
    else:  # a let with content (Schematron 2016): the content is the value
        variable.text = let.text
        for child in let:
            variable.append(_copy(child))
            variable[-1].tail = child.tail


def _check(test: etree._Element, rule: etree._Element, pattern: etree._Element, number: int, source: Source) -> Check:
    kind = etree.QName(test).localname
    expression = test.get("test")
    if not expression:
        raise SchematronError(f"{source.path}:{test.sourceline}: sch:{kind} needs @test")
    pattern_id = pattern.get("id") or ""
    code = test.get("id") or pattern_id or derived_code(rule.get("context", ""), kind, expression)
    role = test.get("role") or rule.get("role") or ""
    return Check(code, role.strip().lower(), kind, pattern_id or f"pattern {number}", rule.get("context", ""), expression, test.sourceline or 0)


def _test(template: etree._Element, test: etree._Element, rule: etree._Element, index: int, diagnostics: dict, source: Source) -> None:
    expression = test.get("test")
    condition = f"not({expression})" if test.tag == f"{_SCH}assert" else f"({expression})"
    branch = etree.SubElement(template, f"{_XSL}if", test=condition)
    finding = etree.SubElement(branch, f"{_OUT}f", n=str(index))
    subject = test.get("subject") or rule.get("subject")
    at = etree.SubElement(finding, f"{_XSL}attribute", name="at")
    place = etree.SubElement(at, f"{_XSL}for-each", select=f"({subject})[1]") if subject else at
    etree.SubElement(place, f"{_XSL}call-template", name="ttf:location")
    _message(finding, test, source)
    for key in (test.get("diagnostics") or "").split():
        diagnostic = diagnostics.get(key)
        if diagnostic is None:
            raise SchematronError(f"{source.path}:{test.sourceline}: diagnostics=\"{key}\" names no sch:diagnostic")
        detail = etree.SubElement(finding, f"{_OUT}d", id=key)
        _message(detail, diagnostic, source)


def _message(target: etree._Element, element: etree._Element, source: Source) -> None:
    """The text of an assert, report or diagnostic, with `name` and `value-of` evaluated."""
    _text(target, element.text)
    for child in element:
        if child.tag == f"{_SCH}name":
            etree.SubElement(target, f"{_XSL}value-of", select=f"name({child.get('path') or '.'})")
        elif child.tag == f"{_SCH}value-of":
            if not child.get("select"):
                raise SchematronError(f"{source.path}:{child.sourceline}: sch:value-of needs @select")
            etree.SubElement(target, f"{_XSL}value-of", select=child.get("select"))
        elif isinstance(child.tag, str):  # emph, dir, span, foreign markup: their text
            _message(target, child, source)
        _text(target, child.tail)


def _text(target: etree._Element, text: str | None) -> None:
    if text:
        etree.SubElement(target, f"{_XSL}text").text = text


def _location_template(sheet: etree._Element) -> None:
    """`ttf:location`: the context node as element positions from the root (`/1/4/2`), and
    `/@{uri}name` for an attribute; Python maps it back to the parsed tree's element."""
    template = etree.SubElement(sheet, f"{_XSL}template", name="ttf:location")
    steps = etree.SubElement(template, f"{_XSL}for-each", select="ancestor-or-self::*")
    etree.SubElement(steps, f"{_XSL}value-of", select="concat('/', count(preceding-sibling::*) + 1)")
    # An attribute is the one node that is among its parent's attributes (XPath 1 has no attribute()).
    attribute = etree.SubElement(template, f"{_XSL}if", test="count(. | ../@*) = count(../@*)")
    etree.SubElement(attribute, f"{_XSL}value-of", select="concat('/@{', namespace-uri(), '}', local-name())")
