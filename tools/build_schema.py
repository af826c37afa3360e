"""Generate the bundled schema (schemas/tei-tools.xsd, .rng and REFERENCE.md) from one table.

The customization is a strict subset of TEI P5: every element and attribute here is TEI's own,
and every content model admits only what TEI's admits (tests cross-check valid documents with
TEI All). Run `make schema` after editing the table below.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tei_tools.xmlio import TEI_NS, serialize, write_atomic  # noqa: E402

XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RNG = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# ---------------------------------------------------------------------------------------------
# Attribute types (each no looser than TEI's datatype for that attribute).
TYPES: dict[str, str] = {
    "text": "free text (teidata.text)",
    "token": "one word without spaces (teidata.enumerated)",
    "tokens": "words without spaces, separated by spaces",
    "pointer": "one URI without spaces, typically #id (teidata.pointer)",
    "pointers": "URIs separated by spaces (teidata.pointer list)",
    "temporal": "ISO 8601 date: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss or hh:mm:ss; never the recurring forms",
    "numeric": "a decimal number",
    "count": "a whole number from 0",
    "language": "a BCP 47 language tag",
    "name": "an XML name",
    "version": "a version number such as 1.2.0",
}


@dataclass
class Attr:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()  # a closed list


GLOBAL = [
    Attr("xml:id", "id"), Attr("xml:lang", "language"), Attr("n", "text"), Attr("rend", "tokens"),
    Attr("corresp", "pointers"), Attr("ana", "pointers"), Attr("resp", "pointers"),
    Attr("cert", "token", values=("high", "medium", "low", "unknown")), Attr("source", "pointers"),
]
TYPED = [Attr("type", "token"), Attr("subtype", "token")]
CANONICAL = [Attr("ref", "pointers"), Attr("key", "text")]
DATABLE = [Attr("when", "temporal"), Attr("notBefore", "temporal"), Attr("notAfter", "temporal"), Attr("from", "temporal"), Attr("to", "temporal")]
EVIDENCE = [Attr("evidence", "token", values=("internal", "external", "conjecture"))]


@dataclass
class El:
    name: str
    content: tuple  # ("empty",) | ("text",) | ("mixed", [names]) | ("seq", particle)
    attrs: list[Attr] = field(default_factory=list)
    doc: str = ""


# Particles: ("el", name, min, max) | ("seq", [particles], min, max) | ("choice", [particles], min, max)
def el(name: str, lo: int = 1, hi: int | str = 1) -> tuple:
    return ("el", name, lo, hi)


def seq(*items: tuple, lo: int = 1, hi: int | str = 1) -> tuple:
    return ("seq", list(items), lo, hi)


def choice(*items: tuple, lo: int = 1, hi: int | str = 1) -> tuple:
    return ("choice", list(items), lo, hi)


def any_of(*names: str, lo: int = 0) -> tuple:
    return choice(*(el(n) for n in names), lo=lo, hi="unbounded")


# Phrase-level elements: members of TEI's model.phrase, model.global or model.attributable,
# which every content model below that uses this set also admits in TEI.
NAMES = ["persName", "placeName", "orgName", "name", "rs", "roleName", "forename", "surname", "addName", "country", "settlement", "region", "idno"]
EDITORIAL = ["supplied", "gap", "sic", "corr", "choice", "orig", "reg", "unclear", "add", "del"]
PHRASE = NAMES + ["date", "num", "measure", "hi", "foreign", "term", "title", "ref", "ptr", "seg", "stamp", "note", "pb", "lb", "milestone"] + EDITORIAL
PARA = PHRASE + ["list", "quote", "q", "label", "table"]
LIMITED = ["hi", "date", "ref", "ptr", "title", "term", "foreign"] + NAMES

DIV_TOP = ["head", "opener", "salute", "dateline", "byline", "argument", "epigraph", "docAuthor", "docDate"]
COMMON = ["p", "ab", "list", "sp", "table", "quote", "note", "pb", "lb", "milestone", "gap"]
DIV_BOTTOM = ["closer", "trailer", "signed", "postscript"]

ELEMENTS: list[El] = [
    El("TEI", ("seq", seq(el("teiHeader"), choice(seq(el("text"), el("standOff", 0)), el("standOff")))), doc="A TEI document: header, then text and/or standOff."),
    El("teiHeader", ("seq", seq(el("fileDesc"), any_of("encodingDesc", "profileDesc"), el("revisionDesc", 0)))),
    El("fileDesc", ("seq", seq(el("titleStmt"), el("publicationStmt"), el("notesStmt", 0), el("sourceDesc")))),
    El("titleStmt", ("seq", seq(el("title", 1, "unbounded"), any_of("author", "editor", "respStmt", "funder", "sponsor", "principal")))),
    El("title", ("mixed", PHRASE), TYPED + [Attr("level", "token", values=("a", "m", "j", "s", "u"))] + CANONICAL),
    El("author", ("mixed", LIMITED), CANONICAL + [Attr("role", "tokens")]),
    El("editor", ("mixed", LIMITED), CANONICAL + [Attr("role", "tokens")]),
    El("funder", ("mixed", LIMITED), CANONICAL),
    El("sponsor", ("mixed", LIMITED), CANONICAL),
    El("principal", ("mixed", LIMITED), CANONICAL),
    El("respStmt", ("seq", seq(el("resp", 1, "unbounded"), choice(el("persName"), el("orgName"), el("name"), lo=1, hi="unbounded"), el("note", 0, "unbounded"))), CANONICAL),
    El("resp", ("mixed", LIMITED), CANONICAL),
    El("publicationStmt", ("seq", choice(
        seq(choice(el("publisher"), el("distributor"), el("authority")), any_of("date", "idno", "availability", "pubPlace", "ptr"), lo=1, hi="unbounded"),
        el("p", 1, "unbounded")))),
    El("publisher", ("mixed", LIMITED), CANONICAL),
    El("distributor", ("mixed", LIMITED), CANONICAL),
    El("authority", ("mixed", LIMITED), CANONICAL),
    El("pubPlace", ("mixed", LIMITED), CANONICAL),
    El("availability", ("seq", choice(el("licence"), el("p"), lo=1, hi="unbounded")), [Attr("status", "token", values=("free", "unknown", "restricted"))]),
    El("licence", ("mixed", PHRASE + ["p"]), DATABLE + [Attr("target", "pointers")]),
    El("notesStmt", ("seq", choice(el("note"), lo=1, hi="unbounded"))),
    El("sourceDesc", ("seq", choice(el("p", 1, "unbounded"), choice(el("bibl"), el("msDesc"), el("listPerson"), el("listPlace"), el("listOrg"), lo=1, hi="unbounded")))),
    El("bibl", ("mixed", ["title", "author", "editor", "date", "idno", "publisher", "pubPlace", "textLang", "note", "ref", "ptr", "hi"] + NAMES[:5]), TYPED),
    El("textLang", ("mixed", []), [Attr("mainLang", "language"), Attr("otherLangs", "tokens")]),
    El("msDesc", ("seq", seq(el("msIdentifier"), choice(el("p", 1, "unbounded"), el("msContents", 0))))),
    El("msIdentifier", ("seq", seq(el("settlement", 0), el("institution", 0), el("repository", 0), el("collection", 0, "unbounded"), el("idno", 0, "unbounded")))),
    El("institution", ("text",), CANONICAL),
    El("repository", ("text",), CANONICAL),
    El("collection", ("text",), CANONICAL + TYPED),
    El("msContents", ("seq", choice(el("p", 1, "unbounded"), seq(el("textLang", 0), el("msItem", 0, "unbounded"))))),
    El("msItem", ("seq", seq(el("locus", 0, "unbounded"), choice(el("p", 1, "unbounded"), choice(el("title"), el("author"), el("note"), el("textLang"), lo=1, hi="unbounded"))))),
    El("locus", ("text",), [Attr("from", "token"), Attr("to", "token"), Attr("target", "pointers")]),
    El("encodingDesc", ("seq", choice(el("appInfo"), el("editorialDecl"), el("classDecl"), el("projectDesc"), el("p"), lo=1, hi="unbounded"))),
    El("appInfo", ("seq", el("application", 1, "unbounded"))),
    El("application", ("seq", choice(el("label", 1, "unbounded"), el("p", 1, "unbounded"))), [Attr("ident", "name", True), Attr("version", "version", True)]),
    El("editorialDecl", ("seq", el("p", 1, "unbounded"))),
    El("projectDesc", ("seq", el("p", 1, "unbounded"))),
    El("classDecl", ("seq", el("taxonomy", 1, "unbounded"))),
    El("taxonomy", ("seq", el("category", 1, "unbounded"))),
    El("category", ("seq", seq(el("catDesc", 1, "unbounded"), el("category", 0, "unbounded")))),
    El("catDesc", ("text",)),
    El("profileDesc", ("seq", any_of("abstract", "creation", "langUsage", "textClass", "correspDesc"))),
    El("abstract", ("seq", el("p", 1, "unbounded"))),
    El("creation", ("mixed", ["date", "title"] + NAMES[:5]), DATABLE),
    El("langUsage", ("seq", el("language", 1, "unbounded"))),
    El("language", ("text",), [Attr("ident", "language", True), Attr("usage", "count")]),
    El("textClass", ("seq", any_of("catRef", "keywords"))),
    El("catRef", ("empty",), [Attr("target", "pointers", True), Attr("scheme", "pointer")]),
    El("keywords", ("seq", el("term", 1, "unbounded")), [Attr("scheme", "pointer")]),
    El("correspDesc", ("seq", choice(el("correspAction"), el("note"), lo=1, hi="unbounded")), TYPED),
    El("correspAction", ("seq", choice(choice(el("date"), el("persName"), el("orgName"), el("placeName"), el("name"), el("rs"), el("note"), lo=1, hi="unbounded"), el("p", 1, "unbounded"))),
       [Attr("type", "token", values=("sent", "received", "transmitted", "redirected", "forwarded")), Attr("subtype", "token")]),
    El("revisionDesc", ("seq", el("change", 1, "unbounded")), [Attr("status", "token")]),
    El("change", ("mixed", PHRASE + ["p"]), DATABLE + [Attr("who", "pointers"), Attr("status", "token"), Attr("target", "pointers")]),
    El("standOff", ("seq", choice(el("listPerson"), el("listPlace"), el("listOrg"), el("listEvent"), lo=1, hi="unbounded")), TYPED),
    El("listPerson", ("seq", seq(el("head", 0), choice(el("person"), el("listPerson"), lo=1, hi="unbounded"))), TYPED),
    El("listPlace", ("seq", seq(el("head", 0), choice(el("place"), el("listPlace"), lo=1, hi="unbounded"))), TYPED),
    El("listOrg", ("seq", seq(el("head", 0), choice(el("org"), el("listOrg"), lo=1, hi="unbounded"))), TYPED),
    El("listEvent", ("seq", seq(el("head", 0), choice(el("event"), el("listEvent"), lo=1, hi="unbounded"))), TYPED),
    El("person", ("seq", any_of("persName", "idno", "note")), DATABLE + [Attr("role", "tokens")]),
    El("place", ("seq", seq(any_of("placeName", "country", "settlement", "region"), any_of("idno", "note"))), DATABLE + TYPED),
    El("org", ("seq", seq(any_of("orgName", "country", "placeName", "idno"), any_of("note"))), DATABLE + TYPED + [Attr("role", "tokens")]),
    El("event", ("seq", seq(el("idno", 0, "unbounded"), el("label", 1, "unbounded"), any_of("note", "idno"))), DATABLE + TYPED),
    El("text", ("seq", el("body")), TYPED),
    El("body", ("seq", choice(el("div", 1, "unbounded"), choice(*(el(n) for n in COMMON), lo=1, hi="unbounded")))),
    El("div", ("seq", seq(
        choice(*(el(n) for n in DIV_TOP), lo=0, hi="unbounded"),
        choice(el("div", 1, "unbounded"), choice(*(el(n) for n in COMMON), lo=1, hi="unbounded")),
        choice(*(el(n) for n in DIV_BOTTOM), lo=0, hi="unbounded"))), TYPED,
       doc="A division: header matter (head, opener ...), then paragraphs, lists, speeches or divisions, then closing matter (closer ...)."),
    El("head", ("mixed", PHRASE), TYPED),
    El("opener", ("mixed", PHRASE + ["salute", "signed", "dateline", "byline", "argument", "epigraph"])),
    El("closer", ("mixed", PHRASE + ["salute", "signed", "dateline", "byline"])),
    El("salute", ("mixed", PHRASE)),
    El("signed", ("mixed", PHRASE)),
    El("dateline", ("mixed", PHRASE + ["docDate"])),
    El("byline", ("mixed", PHRASE + ["docAuthor"])),
    El("docAuthor", ("mixed", PHRASE), CANONICAL),
    El("docDate", ("mixed", PHRASE), [Attr("when", "temporal")]),
    El("argument", ("seq", el("p", 1, "unbounded"))),
    El("epigraph", ("seq", choice(el("p"), el("quote"), lo=1, hi="unbounded"))),
    El("trailer", ("mixed", PHRASE), TYPED),
    El("postscript", ("seq", seq(choice(el("opener"), el("head"), lo=0, hi="unbounded"), choice(el("p"), el("ab"), el("list"), el("note"), lo=1, hi="unbounded"), choice(el("closer"), el("signed"), lo=0, hi="unbounded")))),
    El("p", ("mixed", PARA), TYPED),
    El("ab", ("mixed", PARA), TYPED),
    El("seg", ("mixed", PHRASE + ["label"]), TYPED),
    El("list", ("seq", seq(el("head", 0), choice(el("item", 1, "unbounded"), seq(el("label"), el("item"), lo=1, hi="unbounded")))), TYPED),
    El("item", ("mixed", PARA + ["p"])),
    El("label", ("mixed", PHRASE), TYPED),
    El("sp", ("seq", seq(el("speaker", 0), choice(el("p"), el("ab"), el("list"), el("note"), lo=1, hi="unbounded"))), [Attr("who", "pointers")]),
    El("speaker", ("mixed", PHRASE)),
    El("note", ("mixed", PHRASE + ["p", "list"]), TYPED + [Attr("place", "token", values=("foot", "end", "margin", "inline", "top", "bottom", "left", "right")), Attr("target", "pointers")]),
    El("quote", ("mixed", PHRASE + ["p"]), TYPED),
    El("q", ("mixed", PHRASE), TYPED + [Attr("who", "pointers")]),
    El("table", ("seq", seq(el("head", 0), el("row", 1, "unbounded"))), [Attr("rows", "count"), Attr("cols", "count")]),
    El("row", ("seq", el("cell", 1, "unbounded")), [Attr("role", "token")]),
    El("cell", ("mixed", PHRASE), [Attr("role", "token"), Attr("rows", "count"), Attr("cols", "count")]),
    El("persName", ("mixed", PHRASE), TYPED + CANONICAL + DATABLE),
    El("placeName", ("mixed", PHRASE), TYPED + CANONICAL + DATABLE),
    El("orgName", ("mixed", PHRASE), TYPED + CANONICAL + DATABLE),
    El("name", ("mixed", PHRASE), TYPED + CANONICAL),
    El("rs", ("mixed", PHRASE), TYPED + CANONICAL),
    El("roleName", ("mixed", PHRASE), TYPED + CANONICAL),
    El("forename", ("mixed", PHRASE), TYPED + CANONICAL),
    El("surname", ("mixed", PHRASE), TYPED + CANONICAL),
    El("addName", ("mixed", PHRASE), TYPED + CANONICAL),
    El("country", ("mixed", PHRASE), TYPED + CANONICAL),
    El("settlement", ("mixed", PHRASE), TYPED + CANONICAL),
    El("region", ("mixed", PHRASE), TYPED + CANONICAL),
    El("idno", ("text",), [Attr("type", "token")]),
    El("date", ("mixed", PHRASE), TYPED + CANONICAL + DATABLE + EVIDENCE),
    El("num", ("mixed", PHRASE), [Attr("type", "token"), Attr("value", "numeric")]),
    El("measure", ("mixed", PHRASE), [Attr("type", "token"), Attr("unit", "token"), Attr("quantity", "numeric"), Attr("commodity", "text")]),
    El("hi", ("mixed", PHRASE), []),
    El("foreign", ("mixed", PHRASE), []),
    El("term", ("mixed", PHRASE), TYPED + CANONICAL),
    El("ref", ("mixed", PHRASE), TYPED + [Attr("target", "pointers")]),
    El("ptr", ("empty",), TYPED + [Attr("target", "pointers")]),
    El("stamp", ("mixed", PHRASE), TYPED),
    El("pb", ("empty",), [Attr("facs", "pointers"), Attr("ed", "tokens")]),
    El("lb", ("empty",), [Attr("break", "token", values=("yes", "no", "maybe", "unknown"))]),
    El("milestone", ("empty",), [Attr("unit", "token", True), Attr("ed", "tokens")]),
    El("supplied", ("mixed", PHRASE), EVIDENCE + [Attr("reason", "token", values=("omitted-in-original", "illegible", "damage", "lost", "unknown"))]),
    El("gap", ("seq", el("desc", 0, "unbounded")), [Attr("reason", "token", values=("illegible", "redacted", "omitted", "damage", "lost", "cancelled", "irrelevant", "truncated")), Attr("unit", "token"), Attr("quantity", "numeric"), Attr("extent", "text"), Attr("agent", "token")]),
    El("desc", ("text",), TYPED),
    El("sic", ("mixed", PHRASE), []),
    El("corr", ("mixed", PHRASE), EVIDENCE),
    El("orig", ("mixed", PHRASE), []),
    El("reg", ("mixed", PHRASE), TYPED),
    El("choice", ("seq", choice(el("sic"), el("corr"), el("orig"), el("reg"), el("unclear"), el("supplied"), lo=2, hi="unbounded"))),
    El("unclear", ("mixed", PHRASE), [Attr("reason", "tokens")]),
    El("add", ("mixed", PHRASE), [Attr("place", "tokens"), Attr("hand", "pointer")]),
    El("del", ("mixed", PHRASE), [Attr("hand", "pointer")]),
]


def _xsd_type_for(attr: Attr, simple_types: dict[str, etree._Element], schema: etree._Element) -> str:
    if attr.values:
        name = f"closed.{attr.name}." + "-".join(v[:6] for v in attr.values[:3])
        if name not in simple_types:
            simple = etree.Element(f"{{{XS}}}simpleType", name=name)
            if attr.type == "tokens":
                raise ValueError("closed lists are single tokens")
            restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base="xs:token")
            for value in attr.values:
                etree.SubElement(restriction, f"{{{XS}}}enumeration", value=value)
            simple_types[name] = simple
        return name
    return {
        "text": "xs:string", "token": "data.token", "tokens": "data.tokens", "pointer": "data.pointer",
        "pointers": "data.pointers", "temporal": "data.temporal", "numeric": "xs:decimal",
        "count": "xs:nonNegativeInteger", "language": "xs:language", "name": "xs:Name", "version": "data.version",
    }[attr.type]


def _base_simple_types() -> list[etree._Element]:
    parts = []
    def simple(name: str) -> etree._Element:
        element = etree.Element(f"{{{XS}}}simpleType", name=name)
        parts.append(element)
        return element
    token = etree.SubElement(simple("data.token"), f"{{{XS}}}restriction", base="xs:token")
    etree.SubElement(token, f"{{{XS}}}pattern", value=r"[^\p{C}\p{Z}]+")
    # A list of at least one item, as RELAX NG's <list><oneOrMore> says: an xs:list alone takes
    # an empty value (ref=""), which TEI All and the RELAX NG grammar refuse.
    def non_empty_list(name: str, item: str) -> None:
        restriction = etree.SubElement(simple(name), f"{{{XS}}}restriction")
        etree.SubElement(etree.SubElement(restriction, f"{{{XS}}}simpleType"), f"{{{XS}}}list", itemType=item)
        etree.SubElement(restriction, f"{{{XS}}}minLength", value="1")
    non_empty_list("data.tokens", "data.token")
    pointer = etree.SubElement(simple("data.pointer"), f"{{{XS}}}restriction", base="xs:anyURI")
    etree.SubElement(pointer, f"{{{XS}}}pattern", value=r"\S+")
    non_empty_list("data.pointers", "data.pointer")
    space = etree.SubElement(simple("data.space"), f"{{{XS}}}restriction", base="xs:string")
    etree.SubElement(space, f"{{{XS}}}pattern", value=r"\s*")
    etree.SubElement(simple("data.temporal"), f"{{{XS}}}union", memberTypes="xs:date xs:gYear xs:gYearMonth xs:dateTime xs:time")
    version = etree.SubElement(simple("data.version"), f"{{{XS}}}restriction", base="xs:token")
    etree.SubElement(version, f"{{{XS}}}pattern", value=r"[\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}")
    return parts


def _xsd_particle(parent: etree._Element, particle: tuple) -> None:
    kind, body, lo, hi = particle
    attrs = {}
    if lo != 1:
        attrs["minOccurs"] = str(lo)
    if hi != 1:
        attrs["maxOccurs"] = str(hi)
    if kind == "el":
        etree.SubElement(parent, f"{{{XS}}}element", ref=body, **attrs)
        return
    group = etree.SubElement(parent, f"{{{XS}}}{'sequence' if kind == 'seq' else 'choice'}", **attrs)
    for item in body:
        _xsd_particle(group, item)


def build_xsd() -> etree._Element:
    schema = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS, None: TEI_NS}, targetNamespace=TEI_NS, elementFormDefault="qualified")
    etree.SubElement(schema, f"{{{XS}}}annotation").append(etree.Element(f"{{{XS}}}documentation"))
    schema[0][0].text = "tei-tools TEI customization: a strict subset of TEI P5 (generated by tools/build_schema.py; see REFERENCE.md)."
    etree.SubElement(schema, f"{{{XS}}}import", namespace=XML_NS, schemaLocation="xml.xsd")
    simple_types: dict[str, etree._Element] = {}
    for simple in _base_simple_types():
        schema.append(simple)
    declarations = []
    for element in ELEMENTS:
        declaration = etree.Element(f"{{{XS}}}element", name=element.name)
        complex_type = etree.SubElement(declaration, f"{{{XS}}}complexType")
        kind = element.content[0]
        if kind == "mixed":
            complex_type.set("mixed", "true")
            if element.content[1]:
                group = etree.SubElement(complex_type, f"{{{XS}}}choice", minOccurs="0", maxOccurs="unbounded")
                for child in element.content[1]:
                    etree.SubElement(group, f"{{{XS}}}element", ref=child)
        elif kind == "text":
            complex_type.set("mixed", "true")
        elif kind == "seq":
            particle = element.content[1]
            _xsd_particle(complex_type, particle if particle[0] != "el" else seq(particle))
        holder = complex_type
        if kind == "empty":
            # RELAX NG's <empty/> lets white space through, XML Schema's empty content does not:
            # white space only, as simple content, makes the two grammars accept the same files.
            holder = etree.SubElement(etree.SubElement(complex_type, f"{{{XS}}}simpleContent"), f"{{{XS}}}extension", base="data.space")
        seen = set()
        for attr in GLOBAL + element.attrs:
            if attr.name in seen:
                continue
            seen.add(attr.name)
            if attr.name.startswith("xml:"):
                etree.SubElement(holder, f"{{{XS}}}attribute", ref=attr.name)
                continue
            node = etree.SubElement(holder, f"{{{XS}}}attribute", name=attr.name, type=_xsd_type_for(attr, simple_types, schema))
            if attr.required:
                node.set("use", "required")
        declarations.append(declaration)
    for name in sorted(simple_types):
        schema.append(simple_types[name])
    for declaration in declarations:
        schema.append(declaration)
    schema.nsmap  # noqa: B018
    root = etree.fromstring(etree.tostring(schema).replace(b'xmlns:xs="http://www.w3.org/2001/XMLSchema"', b'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xml="http://www.w3.org/XML/1998/namespace"'))
    return root


def _rng_data(parent: etree._Element, attr: Attr) -> None:
    def data(target: etree._Element, datatype: str, pattern: str | None = None) -> None:
        node = etree.SubElement(target, f"{{{RNG}}}data", type=datatype)
        if pattern:
            etree.SubElement(node, f"{{{RNG}}}param", name="pattern").text = pattern
    if attr.values:
        group = etree.SubElement(parent, f"{{{RNG}}}choice")
        for value in attr.values:
            etree.SubElement(group, f"{{{RNG}}}value").text = value
        return
    kind = attr.type
    if kind == "text":
        etree.SubElement(parent, f"{{{RNG}}}text")
    elif kind == "token":
        data(parent, "token", r"[^\p{C}\p{Z}]+")
    elif kind in ("tokens", "pointers"):
        listing = etree.SubElement(etree.SubElement(parent, f"{{{RNG}}}list"), f"{{{RNG}}}oneOrMore")
        data(listing, "token" if kind == "tokens" else "anyURI", r"[^\p{C}\p{Z}]+" if kind == "tokens" else r"\S+")
    elif kind == "pointer":
        # Space around the value allowed, as XML Schema and jing collapse it before the pattern;
        # libxml2's RELAX NG matches the pattern against the value as written.
        data(parent, "anyURI", r"\s*\S+\s*")
    elif kind == "temporal":
        group = etree.SubElement(parent, f"{{{RNG}}}choice")
        for datatype in ("date", "gYear", "gYearMonth", "dateTime", "time"):
            data(group, datatype)
    elif kind == "numeric":
        data(parent, "decimal")
    elif kind == "count":
        data(parent, "nonNegativeInteger")
    elif kind == "language":
        data(parent, "language")
    elif kind == "name":
        data(parent, "Name")
    elif kind == "version":
        data(parent, "token", r"[\d]+[a-z]*[\d]*(\.[\d]+[a-z]*[\d]*){0,3}")
    elif kind == "id":
        data(parent, "ID")


def _rng_particle(parent: etree._Element, particle: tuple) -> None:
    kind, body, lo, hi = particle

    def one(target: etree._Element) -> None:
        if kind == "el":
            etree.SubElement(target, f"{{{RNG}}}ref", name=body)
        else:
            group = etree.SubElement(target, f"{{{RNG}}}{'group' if kind == 'seq' else 'choice'}")
            for item in body:
                _rng_particle(group, item)

    if lo == 0 and hi == 1:
        one(etree.SubElement(parent, f"{{{RNG}}}optional"))
    elif lo == 0:
        one(etree.SubElement(parent, f"{{{RNG}}}zeroOrMore"))
    elif lo == 1 and hi == 1:
        one(parent)
    elif lo == 1:
        one(etree.SubElement(parent, f"{{{RNG}}}oneOrMore"))
    else:
        holder = etree.SubElement(parent, f"{{{RNG}}}group")
        for _ in range(lo):
            one(holder)
        if hi != lo:
            one(etree.SubElement(holder, f"{{{RNG}}}zeroOrMore"))


def build_rng() -> etree._Element:
    grammar = etree.Element(f"{{{RNG}}}grammar", nsmap={None: RNG}, ns=TEI_NS, datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes")
    start = etree.SubElement(grammar, f"{{{RNG}}}start")
    choice_node = etree.SubElement(start, f"{{{RNG}}}choice")
    etree.SubElement(choice_node, f"{{{RNG}}}ref", name="TEI")
    for element in ELEMENTS:
        define = etree.SubElement(grammar, f"{{{RNG}}}define", name=element.name)
        node = etree.SubElement(define, f"{{{RNG}}}element", name=element.name)
        kind = element.content[0]
        if kind == "empty":
            etree.SubElement(node, f"{{{RNG}}}empty")
        elif kind == "text":
            etree.SubElement(node, f"{{{RNG}}}text")
        elif kind == "mixed":
            zero = etree.SubElement(node, f"{{{RNG}}}zeroOrMore")
            group = etree.SubElement(zero, f"{{{RNG}}}choice")
            etree.SubElement(group, f"{{{RNG}}}text")
            for child in element.content[1]:
                etree.SubElement(group, f"{{{RNG}}}ref", name=child)
        else:
            _rng_particle(node, element.content[1])
        seen = set()
        for attr in GLOBAL + element.attrs:
            if attr.name in seen:
                continue
            seen.add(attr.name)
            holder = node if attr.required else etree.SubElement(node, f"{{{RNG}}}optional")
            if attr.name.startswith("xml:"):
                attribute = etree.SubElement(holder, f"{{{RNG}}}attribute", name=attr.name.split(":")[1], ns=XML_NS)
                _rng_data(attribute, Attr(attr.name, "id" if attr.type == "id" else attr.type))
            else:
                attribute = etree.SubElement(holder, f"{{{RNG}}}attribute", name=attr.name, ns="")
                _rng_data(attribute, attr)
        if element.name == "TEI":
            # XML Schema takes its location hints on any element; on the root, RELAX NG does too, so
            # the two grammars agree there (below the root the validator reports them, XML007).
            for hint in ("schemaLocation", "noNamespaceSchemaLocation"):
                optional = etree.SubElement(node, f"{{{RNG}}}optional")
                etree.SubElement(etree.SubElement(optional, f"{{{RNG}}}attribute", name=hint, ns=XSI), f"{{{RNG}}}text")
    return grammar


def build_xml_xsd() -> etree._Element:
    schema = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS}, targetNamespace=XML_NS)
    for name, datatype in (("id", "xs:ID"), ("lang", "xs:language"), ("space", None), ("base", "xs:anyURI")):
        attribute = etree.SubElement(schema, f"{{{XS}}}attribute", name=name)
        if datatype:
            attribute.set("type", datatype)
        else:
            restriction = etree.SubElement(etree.SubElement(attribute, f"{{{XS}}}simpleType"), f"{{{XS}}}restriction", base="xs:NCName")
            for value in ("default", "preserve"):
                etree.SubElement(restriction, f"{{{XS}}}enumeration", value=value)
    return schema


def _describe(particle: tuple) -> str:
    kind, body, lo, hi = particle
    suffix = {(1, 1): "", (0, 1): "?", (0, "unbounded"): "*", (1, "unbounded"): "+"}.get((lo, hi), f"{{{lo},{hi}}}")
    if kind == "el":
        return f"`{body}`{suffix}"
    joiner = ", " if kind == "seq" else " | "
    return "(" + joiner.join(_describe(item) for item in body) + ")" + suffix


def build_reference() -> str:
    lines = [
        "# The tei-tools TEI customization",
        "",
        "Generated by `tools/build_schema.py` (`make schema`); do not edit by hand. The same table gives",
        "`tei-tools.xsd` (what `tei-tools validate` uses) and `tei-tools.rng` (for XML editors).",
        "",
        "Every element and attribute is TEI P5's own, with TEI's meaning; every content model admits",
        "no more than TEI's, so a document valid here is valid against TEI All (the test suite checks",
        "this with jing). Attributes on every element: " + ", ".join(f"`{a.name}`" for a in GLOBAL) + ".",
        "",
        "## Attribute types",
        "",
        "| type | values |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {text} |" for name, text in TYPES.items()]
    lines += ["", "## Elements", "", "| element | content | attributes |", "| --- | --- | --- |"]
    for element in sorted(ELEMENTS, key=lambda e: e.name.lower()):
        kind = element.content[0]
        if kind == "empty":
            content = "empty"
        elif kind == "text":
            content = "text"
        elif kind == "mixed":
            content = "text and " + ", ".join(f"`{c}`" for c in element.content[1]) if element.content[1] else "text"
            if len(element.content[1]) > 12:
                content = "text and phrase-level elements" + (" (and " + ", ".join(f"`{c}`" for c in element.content[1] if c not in PHRASE) + ")" if any(c not in PHRASE for c in element.content[1]) else "")
        else:
            content = _describe(element.content[1])
        attrs = []
        for attr in element.attrs:
            text = f"`{attr.name}`" + (" (required)" if attr.required else "")
            text += ": " + (" \\| ".join(attr.values) if attr.values else attr.type)
            attrs.append(text)
        doc = f" {element.doc}" if element.doc else ""
        lines.append(f"| `{element.name}` | {content}{doc} | {'; '.join(attrs) or '-'} |")
    lines += ["", "Phrase-level elements: " + ", ".join(f"`{p}`" for p in PHRASE) + ".", ""]
    lines += ["## Closed value lists", ""]
    for element in ELEMENTS:
        for attr in element.attrs:
            if attr.values:
                lines.append(f"- `{element.name}/@{attr.name}`: " + ", ".join(f"`{v}`" for v in attr.values))
    lines.append("- `@cert` (every element): `high`, `medium`, `low`, `unknown`")
    return "\n".join(dict.fromkeys(lines).keys() if False else lines) + "\n"


def main() -> None:
    out = ROOT / "schemas"
    write_atomic(out / "tei-tools.xsd", serialize(build_xsd()))
    write_atomic(out / "xml.xsd", serialize(build_xml_xsd()))
    write_atomic(out / "tei-tools.rng", serialize(build_rng()))
    write_atomic(out / "REFERENCE.md", build_reference().encode("utf-8"))
    print(f"wrote schemas/: {len(ELEMENTS)} elements")


if __name__ == "__main__":
    main()
