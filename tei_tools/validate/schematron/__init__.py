"""Other projects' ISO Schematron: compiled to XSLT by our own compiler, run through saxonche
(XPath 2/3) or lxml (XPath 1), findings turned into problems with line, column and code.

`schematron_problems(tree, path, schema_file)` is the one entry point; `schema_file` is a
Schematron schema or a RELAX NG grammar whose embedded `sch:` rules are run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from lxml import etree

from ...problems import Problem
from .engine import CODE_PREFIX, RUN_ERROR, CompiledSchematron, compiled, severity_of
from .source import SchematronError, load

__all__ = ["CODE_PREFIX", "RUN_ERROR", "CompiledSchematron", "SchematronError", "compiled", "embedded_schematron_problems", "has_schematron", "load", "schematron_problems", "severity_of"]


def schematron_problems(tree: etree._ElementTree, path: str, schema_file: str | Path, *, phase: str | None = None, query_binding: str | None = None, locate_column: Callable[[etree._Element, str | None], int] | None = None) -> list[Problem]:
    """The problems `schema_file`'s Schematron (in `phase`) finds in `tree`, in document order.

    Raises SchematronError when the schema itself cannot be used; a failure on this one file
    is an SCT000 problem instead.
    """
    return compiled(schema_file, phase=phase, query_binding=query_binding).problems(tree, path, locate_column)


def embedded_schematron_problems(tree: etree._ElementTree, path: str, grammar_file: str | Path, **options: object) -> list[Problem]:
    """The problems of the Schematron embedded in a RELAX NG grammar (none when it has none)."""
    if not has_schematron(grammar_file):
        return []
    return schematron_problems(tree, path, grammar_file, **options)  # type: ignore[arg-type]


def has_schematron(schema_file: str | Path) -> bool:
    """Whether a file is a Schematron schema or a grammar with at least one embedded rule."""
    data = Path(schema_file).read_bytes()
    return b"http://purl.oclc.org/dsdl/schematron" in data
