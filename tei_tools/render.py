"""The plain-text rendering at its public address (`from tei_tools.render import render`)."""

from .export.text import render

__all__ = ["render"]
