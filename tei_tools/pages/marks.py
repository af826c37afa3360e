"""Editorial brackets in page text: supplied letters, gaps, [sic], stamps, notes, footnote marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKET = re.compile(r"\[(?P<inner>[^\[\]\n]{1,2000})\]")
GAP_REASONS = [
    (re.compile(r"^(?:illegible|illeg\.?|unreadable|indecipherable)(?:\s+\w+){0,3}$", re.I), "illegible"),
    (re.compile(r"^(?:redacted|excised|deleted|classified|blacked out|sanitized|sanitised)(?:\s+\w+){0,3}$", re.I), "redacted"),
    (re.compile(r"^(?:\.\s*){2,}$|^…$|^(?:text |passage |page |line )?(?:omitted|missing|cut|not translated)(?:\s+\w+){0,3}$", re.I), "omitted"),
]
_SIC = re.compile(r"^sic!?$", re.I)
_SIC_CORR = re.compile(r"^sic[;:,]\s*(?P<corr>.+)$", re.I)
_STAMP = re.compile(r"^(?:Stamp|Seal|Handwritten|Handwriting|Signature)\s*:\s*(?P<text>.*)$", re.I)
_NOTE = re.compile(
    r"^(?P<label>TN|T\.N\.|Translator['’]s [Nn]ote|Tr\. note|Ed(?:itor)?['’]?s? [Nn]ote|Editorial [Nn]ote|Note|NB|Ed\.)\s*:\s*(?=\S)",
)
_FOOTNOTE_MARK = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Mark:
    """One editorial bracket.

    `start`/`end` cover the whole construct in the text; `inner` is the part of the text that
    becomes the element's content (None for an empty element such as `gap`).
    kind: supplied, gap, sic, choice, stamp, note, footnote
    """

    start: int
    end: int
    kind: str
    inner: tuple[int, int] | None
    value: str = ""  # gap reason, note type, corr text, footnote number
    extra: str = ""  # gap description, note label


def find_marks(text: str, footnotes: frozenset[str] = frozenset()) -> list[Mark]:
    marks: list[Mark] = []
    for m in _BRACKET.finditer(text):
        inner = m["inner"]
        stripped = inner.strip()
        start, end = m.span()
        inner_span = (m.start("inner"), m.end("inner"))
        if _FOOTNOTE_MARK.match(stripped):
            if stripped in footnotes:
                marks.append(Mark(start, end, "footnote", None, value=stripped))
            continue
        if _SIC.match(stripped) or _SIC_CORR.match(stripped):
            word = re.search(r"(\S+)\s*$", text[:start])
            if word is None or (marks and marks[-1].end > word.start()):
                continue
            corr = _SIC_CORR.match(stripped)
            word_start, word_end = word.span(1)
            if corr:
                marks.append(Mark(word_start, end, "choice", (word_start, word_end), value=corr["corr"].strip(), extra=text[word_end:start]))
            else:
                marks.append(Mark(word_start, end, "sic", (word_start, word_end), extra=text[word_end:start]))
            continue
        reason = next((reason for pattern, reason in GAP_REASONS if pattern.match(stripped)), None)
        if reason:
            marks.append(Mark(start, end, "gap", None, value=reason, extra=inner))
            continue
        stamp = _STAMP.match(stripped)
        if stamp:
            lead = inner_span[0] + (len(inner) - len(inner.lstrip())) + stamp.start("text")
            marks.append(Mark(start, end, "stamp", (lead, inner_span[1]), extra=inner[: lead - inner_span[0]]))
            continue
        note = _NOTE.match(stripped)
        if note:
            label = note["label"]
            kind = "translator" if label.upper().startswith(("TN", "T.N", "TRANSLATOR", "TR.")) else "editorial"
            marks.append(Mark(start, end, "note", inner_span, value=kind))
            continue
        marks.append(Mark(start, end, "supplied", inner_span))
    return marks
