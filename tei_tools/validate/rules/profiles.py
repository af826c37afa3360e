"""Which rules a file gets: TEI's own meaning (ids, pointers, dates) for every file, the
project's editorial and header rules for its own editions, or as asked."""

from __future__ import annotations

import re
from typing import Iterable

from lxml import etree

from ...xmlio import NSMAP
from . import Rule

#: Rules that hold for any TEI file: they read what TEI itself defines (ids, pointer forms,
#: dates). REF001 is not among them: other projects resolve `#id` against their corpus.
GENERIC_CODES = frozenset({"ID001", "REF004", "DAT001", "DAT002"})
PROFILES = ("auto", "tei-tools", "generic")

_OUR_SCHEMA = re.compile(r'href\s*=\s*(["\'])(?:[^"\']*/)?tei-tools\.(?:rng|xsd)(?:[?#][^"\']*)?\1')
_OUR_APPLICATION = etree.XPath("boolean(/*/tei:teiHeader/tei:encodingDesc/tei:appInfo/tei:application[@ident='tei-tools'])", namespaces=NSMAP)


def is_own_edition(tree: etree._ElementTree) -> bool:
    """Whether a file is one of the project's editions: an xml-model instruction names the
    bundled schema (tei-tools.rng or .xsd), or the header names tei-tools as its application."""
    root = tree.getroot()
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model" and _OUR_SCHEMA.search(node.text or ""):
            return True
    return bool(_OUR_APPLICATION(tree))


def rules_for(tree: etree._ElementTree, rules: Iterable[Rule], profile: str = "auto", asked: frozenset[str] = frozenset()) -> list[Rule]:
    """The rules to run on this file: all of them under `tei-tools`, the generic ones under
    `generic`, and under `auto` all for our own editions and the generic ones for others.
    Rules in `asked` (chosen by code on the command line) always run."""
    rules = list(rules)
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if profile == "tei-tools" or (profile == "auto" and is_own_edition(tree)):
        return rules
    return [rule for rule in rules if rule.code in GENERIC_CODES or rule.code in asked]
