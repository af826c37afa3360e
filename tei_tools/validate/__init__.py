"""File -> problems: parse, grammar, rules, report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .files import iter_files

if TYPE_CHECKING:
    from .pipeline import FIXED_CODES, Config, FileResult, validate_bytes, validate_file, validate_paths, validate_tree

__all__ = ["FIXED_CODES", "Config", "FileResult", "iter_files", "validate_bytes", "validate_file", "validate_paths", "validate_tree"]


def __getattr__(name: str) -> Any:
    # The pipeline (grammars, Schematron, rules) loads on first use: commands that only walk
    # files, such as annotate, start without it.
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
