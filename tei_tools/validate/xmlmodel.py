"""The grammars a file names in its xml-model instructions, found on this machine only: beside
the file, through an OASIS XML catalog, or by file name in the folder TEI_TOOLS_SCHEMAS names."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from lxml import etree

from ..xmlio import parse_catalog

RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SCHEMATRON_NS = ("http://purl.oclc.org/dsdl/schematron", "http://www.ascc.net/xml/schematron")
CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
#: Where TEI All is published; a file of another project that names no grammar is not mapped here.
TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
#: File names of the bundled grammar: a file whose xml-model names one is one of ours.
OUR_GRAMMARS = ("tei-tools.rng", "tei-tools.xsd")

_PSEUDO = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_OUR_APPLICATION = etree.XPath("/*/*[local-name()='teiHeader']/*[local-name()='encodingDesc']/*[local-name()='appInfo']/*[local-name()='application'][@ident=$ident]")


@dataclass(frozen=True)
class ModelRef:
    """One xml-model instruction: what it names and what kind of grammar it says it is."""

    href: str
    kind: str  # "rng", "rnc", "xsd", "schematron", or "other"
    line: int
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass
class Resolved:
    """The grammars of one file: found locally (kind, path) or not (ref, what to do)."""

    grammars: list[tuple[ModelRef, Path]] = field(default_factory=list)
    missing: list[tuple[ModelRef, str]] = field(default_factory=list)
    #: Schematron named by xml-model, found locally: for the Schematron layer to pick up.
    schematron: list[tuple[ModelRef, Path]] = field(default_factory=list)


def _kind(attributes: dict[str, str]) -> str:
    namespace = attributes.get("schematypens", "").strip()
    href = attributes.get("href", "").strip().lower()
    kind = attributes.get("type", "").strip().lower()
    if namespace == RELAXNG_NS:
        return "rnc" if href.endswith(".rnc") or kind == "application/relax-ng-compact-syntax" else "rng"
    if namespace == XSD_NS:
        return "xsd"
    if namespace in SCHEMATRON_NS:
        return "schematron"
    if not namespace:
        if kind == "application/relax-ng-compact-syntax" or href.endswith(".rnc"):
            return "rnc"
        if href.endswith(".rng"):
            return "rng"
        if href.endswith(".xsd"):
            return "xsd"
        if href.endswith((".sch", ".isosch")):
            return "schematron"
    return "other"


def read_models(tree: etree._ElementTree) -> list[ModelRef]:
    """The xml-model instructions before the root element, in document order."""
    found: list[ModelRef] = []
    for node in reversed(list(tree.getroot().itersiblings(preceding=True))):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            attributes = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _PSEUDO.finditer(node.text or "")}
            if attributes.get("href"):
                found.append(ModelRef(attributes["href"].strip(), _kind(attributes), node.sourceline or 1, tuple(sorted(attributes.items()))))
    return found


def is_ours(tree: etree._ElementTree, models: list[ModelRef]) -> bool:
    """Made by this package: xml-model names the bundled grammar, or the header says so."""
    if any(model.href.rsplit("/", 1)[-1] in OUR_GRAMMARS for model in models):
        return True
    return bool(_OUR_APPLICATION(tree, ident="tei-tools"))


def tei_all_from_schemas(tree: etree._ElementTree) -> Path | None:
    """TEI All from the folder TEI_TOOLS_SCHEMAS names, for a file of another project that names
    no grammar (where it is not there, the bundled subset judges it: stricter, never laxer)."""
    folder = os.environ.get("TEI_TOOLS_SCHEMAS")
    models = read_models(tree)
    if not folder or models or is_ours(tree, models):
        return None
    return _tei_all_in(folder)


@lru_cache(maxsize=4)
def _tei_all_in(folder: str) -> Path | None:
    """tei_all.rng in the folder, looked for once per run, not once per file."""
    candidate = Path(folder) / "tei_all.rng"
    return candidate if candidate.is_file() else None


class Catalog:
    """An OASIS XML catalog (uri, rewriteURI, system, rewriteSystem, nextCatalog), read locally."""

    def __init__(self, paths: list[str] | tuple[str, ...] = ()) -> None:
        self.exact: dict[str, str] = {}
        self.rewrites: list[tuple[str, str]] = []
        for path in paths:
            self._read(Path(path).resolve(), set())
        self.rewrites.sort(key=lambda item: -len(item[0]))

    def _read(self, path: Path, seen: set[Path]) -> None:
        if path in seen:
            return
        seen.add(path)
        root = parse_catalog(path).getroot()
        self._entries(root, path.as_uri(), path, seen)

    def _entries(self, node: etree._Element, base: str, path: Path, seen: set[Path]) -> None:
        for entry in node:
            if not isinstance(entry.tag, str) or not entry.tag.startswith(f"{{{CATALOG_NS}}}"):
                continue
            local = entry.tag.split("}", 1)[1]
            here = urljoin(base, entry.get("{http://www.w3.org/XML/1998/namespace}base", ""))
            if local in ("uri", "system"):
                key = entry.get("name") if local == "uri" else entry.get("systemId")
                if key and entry.get("uri"):
                    self.exact.setdefault(key, urljoin(here, entry.get("uri", "")))
            elif local in ("rewriteURI", "rewriteSystem"):
                start = entry.get("uriStartString") if local == "rewriteURI" else entry.get("systemIdStartString")
                if start and entry.get("rewritePrefix") is not None:
                    self.rewrites.append((start, urljoin(here, entry.get("rewritePrefix", ""))))
            elif local == "group":
                self._entries(entry, here, path, seen)
            elif local == "nextCatalog" and entry.get("catalog"):
                target = urlparse(urljoin(here, entry.get("catalog", "")))
                if target.scheme == "file":
                    self._read(Path(unquote(target.path)), seen)

    def resolve(self, address: str) -> str | None:
        if address in self.exact:
            return self.exact[address]
        for start, prefix in self.rewrites:
            if address.startswith(start):
                return prefix + address[len(start):]
        return None


def _local_path(address: str) -> Path | None:
    parsed = urlparse(address)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if not parsed.scheme or (len(parsed.scheme) == 1 and os.name == "nt"):
        return Path(address)
    return None


def find_grammar(href: str, document: str, catalog: Catalog, schemas: str | None) -> tuple[Path | None, str]:
    """The local file for an xml-model href, or None and a sentence saying how to map it."""
    remote = bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", href)) and not href.startswith("file:")
    absolute = href if remote or href.startswith("file:") else (Path(document).resolve().parent / href).as_uri() if document != "-" else href
    mapped = catalog.resolve(href) or catalog.resolve(absolute)
    if mapped is not None:
        local = _local_path(mapped)
        if local is not None and local.is_file():
            return local, ""
        if local is None:
            return None, f"the catalog maps {href} to {mapped}, which is not a local file (nothing is downloaded)"
    if not remote:
        local = _local_path(absolute)
        if local is not None and local.is_file():
            return local, ""
    name = urlparse(href).path.rsplit("/", 1)[-1]
    if schemas and name:
        candidate = Path(schemas) / name
        if candidate.is_file():
            return candidate, ""
    where = "is not available locally and is never downloaded" if remote else "does not exist"
    return None, (f"the grammar {href} named by xml-model {where}; map it with --catalog FILE "
                  f"(an OASIS catalog with a uri or rewriteURI entry) or put {name or 'it'} in the folder named by TEI_TOOLS_SCHEMAS")


def grammars_for(tree: etree._ElementTree, document: str, catalog: Catalog, schemas: str | None = None) -> Resolved | None:
    """The grammars a file of another project names (None: the file is ours or names none)."""
    models = read_models(tree)
    if not models or is_ours(tree, models):
        return None
    schemas = schemas if schemas is not None else os.environ.get("TEI_TOOLS_SCHEMAS")
    resolved = Resolved()
    for model in models:
        if model.kind == "other":
            continue
        path, why = find_grammar(model.href, document, catalog, schemas)
        if model.kind == "rnc":
            resolved.missing.append((model, f"the grammar {model.href} is RELAX NG compact syntax, which is not read; name the XML-syntax grammar (.rng) with --schema"))
        elif path is None:
            if model.kind != "schematron":
                resolved.missing.append((model, why))
        elif model.kind == "schematron":
            resolved.schematron.append((model, path))
        else:
            resolved.grammars.append((model, path))
    if not resolved.grammars and not resolved.missing and not resolved.schematron:
        return None
    return resolved
