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


_TERM_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def find_term(text: str, terms: list[str]) -> str | None:
    """The longest term of `terms` that `text` contains, in any letter case."""
    key = tuple(terms)
    pattern = _TERM_PATTERNS.get(key)
    if pattern is None:
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        pattern = _TERM_PATTERNS[key] = re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)
    found = [m.group(0).lower() for m in pattern.finditer(text)]
    if not found:
        return None
    return max((term for term in terms if term.lower() in found), key=len)
