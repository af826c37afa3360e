"""tei-tools: archive page text to TEI P5 editions, and a validator for TEI files.

The public API: `convert_bytes`, `convert_paths`, `validate_paths`, `render`. They are imported
on first use, so `tei-tools validate` does not pay for the converter and back.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "convert_bytes": "encode.batch",
    "convert_paths": "encode.batch",
    "validate_paths": "validate",
    "validate_tree": "validate",
    "render": "export.text",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(name)
