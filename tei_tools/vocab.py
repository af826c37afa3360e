"""Closed value lists the converter declares in `classDecl` and the rules check against."""

from __future__ import annotations

import re

DOCUMENT_TYPES = [
    "Cable", "Telegram", "Letter", "Memorandum", "Memorandum of Conversation", "Minutes",
    "Report", "Note", "Diary Entry", "Speech", "Transcript", "Record of Conversation",
    "Directive", "Resolution", "Agreement", "Information", "Summary", "Other",
]
CLASSIFICATIONS = [
    "Top Secret", "Strictly Secret", "Secret", "Strictly Confidential", "Confidential",
    "Restricted", "Eyes Only", "For Official Use Only", "Classified",
]
PRECEDENCES = [
    "Flash", "Most Urgent", "Extremely Urgent", "Extra Urgent", "Very Urgent", "Urgent",
    "Immediate", "Priority", "Routine",
]


def category_id(prefix: str, label: str) -> str:
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def find_term(text: str, terms: list[str]) -> str | None:
    """The first (longest) term of `terms` that `text` contains, in any letter case."""
    for term in sorted(terms, key=len, reverse=True):
        if re.search(rf"(?<![\w]){re.escape(term)}(?![\w])", text, re.IGNORECASE):
            return term
    return None
