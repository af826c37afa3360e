"""File -> problems: parse, grammar, rules, report."""

from .files import iter_files
from .pipeline import FIXED_CODES, Config, FileResult, validate_bytes, validate_file, validate_paths, validate_tree

__all__ = ["FIXED_CODES", "Config", "FileResult", "iter_files", "validate_bytes", "validate_file", "validate_paths", "validate_tree"]
