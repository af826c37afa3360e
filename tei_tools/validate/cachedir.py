"""Where the validator keeps what it compiles once (grammar indexes, Schematron stylesheets), and the digest that keys it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_root() -> Path:
    """TEI_TOOLS_CACHE, else $XDG_CACHE_HOME/tei-tools, else ~/.cache/tei-tools."""
    given = os.environ.get("TEI_TOOLS_CACHE")
    if given:
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")) / "tei-tools"


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hexadecimal."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
