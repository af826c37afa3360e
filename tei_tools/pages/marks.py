"""Editorial brackets in page text: supplied letters, gaps, [sic], stamps, notes, footnote marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKET = re.compile(r"\[(?P<inner>[^\[\]]{1,2000})\]")  # a newline only where a bracket spans lines
GAP_REASONS = [
    (re.compile(r"^(?:illegible|illeg\.?|unreadable|indecipherable)(?:\s+\w+){0,3}$|^\?$", re.I), "illegible"),  # '[?]': the editor could not read it
    (re.compile(r"^(?:redacted|excised|deleted|classified|blacked out|sanitized|sanitised)(?:\s+\w+){0,3}$", re.I), "redacted"),
    (re.compile(r"^(?:\.\s*){2,}$|^…$|^(?:text |passage |page |line )?(?:omitted|missing|cut|not translated)(?:\s+\w+){0,3}$", re.I), "omitted"),
]
_SIC = re.compile(r"^sic!?$", re.I)
_SIC_CORR = re.compile(r"^sic[;:,]\s*(?P<corr>.+)$", re.I)
_STAMP = re.compile(r"^(?:Stamp|Seal|Handwritten|Handwriting|Signature)\s*:\s*(?P<text>.*)$", re.I | re.S)
_NOTE = re.compile(
    r"^(?P<label>TN|T\.N\.|Translator['’]s [Nn]ote|Tr\. note|Ed(?:itor)?['’]?s? [Nn]ote|Editorial [Nn]ote|Note|NB|Ed\.)\s*:\s*(?=\S)",
)
_FOOTNOTE_MARK = re.compile(r"^\d{1,3}$")
# A bracket right after a name that names the same person or place another way: 'Filippov
# [Stalin]', 'TIENTSIN [Tianjin]', 'Ri Won-beom [Ri Won Bom]'. Only when no further name part
# follows, so '[Zhou] Enlai' stays supplied text.
_NAME_BEFORE = re.compile(r"(?:^|[\s(])(?P<name>[A-ZÀ-Ý][\w'’.-]*(?:[\s-][A-ZÀ-Ý][\w'’.-]*){0,3})\s$")
_GLOSS = re.compile(r"^[A-ZÀ-Ý][\w'’.-]*(?:[\s-][A-ZÀ-Ý][\w'’.-]*){0,3}$")
_TITLES = frozenset("Comrade Cde Cde. Mr Mr. Mrs Ms Dr Dr. General Marshal Ambassador Minister Premier Chairman President Secretary Director Deputy Colonel Captain The A An".split())


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
                # Glued to a word or a star ("the Minister’s*[2]"), the mark is still found; the
                # star stays text, as the page has it.
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
        if _is_gloss(text, start, end, stripped):
            marks.append(Mark(start, end, "note", inner_span, value="identification"))
            continue
        marks.append(Mark(start, end, "supplied", inner_span))
    return marks


def _is_gloss(text: str, start: int, end: int, inner: str) -> bool:
    """True for a bracket that identifies the name just before it, rather than supplying text."""
    if not _GLOSS.match(inner):
        return False
    before = _NAME_BEFORE.search(text[max(0, start - 60) : start])
    if before is None or before["name"].split()[-1] in _TITLES:
        return False
    name_words = [word for word in before["name"].split() if word not in _TITLES]
    if len(inner.split()) == 1 and len(name_words) >= 2 and not before["name"].isupper():
        return False  # 'Raúl Roa [García]': a surname completed, not a second name
    after = text[end : end + 40]
    # '[Zhou] Enlai': a name part follows, so the bracket completes the name.
    return not re.match(r"\s*[A-ZÀ-Ý][a-zà-ÿ]", after) or bool(re.match(r"\s*(?:The|A|An|In|On|At|He|She|It|They|We|I)\b", after))
