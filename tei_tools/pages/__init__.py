"""Archive page text -> document model, with no XML: decoding, layouts, header fields, structure, editorial marks."""

from .reader import Line, Page, read_page, read_page_bytes

__all__ = ["Line", "Page", "read_page", "read_page_bytes"]
