"""Mentions of the annotation stage as the page converter's inline markup."""

from __future__ import annotations

from ..annotate import names
from ..annotate.dates import DateSpan
from ..annotate.mentions import Mention
from .inline import Markup, date_markup, mention_markup


def markup_of(mention: Mention, date_type: str | None = None) -> Markup:
    """The element a mention becomes in a converted page (same ranks as before the stage existed)."""
    if mention.kind == "date":
        return date_markup(DateSpan(mention.start, mention.end, mention.date_value(), "stage"), date_type)
    tag = mention.element
    return mention_markup(names.Mention(mention.start, mention.end, tag, mention.key, mention.kind if mention.role else None, mention.depth))
