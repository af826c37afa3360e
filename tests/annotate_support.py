"""Checks shared by the annotate tests: an output is its input plus inserted annotation, nothing else."""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import TEI_ALL_RNG

# What annotate may insert, written out independently of the code that inserts it: a start tag
# of a name or date with the attributes annotate writes, its end tag, a ref attribute added to a
# start tag, a register block (standOff, a list, or entries) with the white space around it.
_PREFIX = rb"(?:[^\s<>/:=\"']+:)?"  # as the file writes it, in any encoding
_NAME = _PREFIX + rb"(?:persName|placeName|orgName|rs|date)"
_INSERTED = [
    re.compile(rb"<" + _NAME + rb"(?: (?:ref|when|notBefore|notAfter|from|to|evidence|cert|type)=\"[^\"<>]*\")*>"),
    re.compile(rb"</" + _NAME + rb">"),
    re.compile(rb" ref=([\"'])[^\"'<>]*\1"),
    re.compile(rb"[ \t]*<(" + _PREFIX + rb"(?:standOff|listPerson|listPlace|listOrg|listEvent|person|place|org|event))[ >].*?</\1>(?:\r?\n)?[ \t]*", re.DOTALL),
]


def insertions_only(original: bytes, annotated: bytes) -> bool:
    """True when removing some inserted-annotation pieces from `annotated` gives `original` byte for byte."""
    candidates: dict[int, set[int]] = {}
    for pattern in _INSERTED:
        start = 0
        while True:
            match = pattern.search(annotated, start)
            if match is None:
                break
            candidates.setdefault(match.start(), set()).add(match.end())
            start = match.start() + 1
    starts = sorted(candidates)
    visited: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in visited:
            continue
        visited.add((i, j))
        # Compare plainly up to the next place where a piece might have been inserted.
        k = bisect.bisect_left(starts, j)
        nxt = starts[k] if k < len(starts) else len(annotated)
        run = nxt - j
        if original[i : i + run] != annotated[j:nxt]:
            continue
        i, j = i + run, nxt
        if j == len(annotated):
            if i == len(original):
                return True
            continue
        if i < len(original) and original[i] == annotated[j]:
            stack.append((i + 1, j + 1))
        for end in candidates.get(j, ()):
            stack.append((i, end))
    return False


def jing_errors(files: list[Path]) -> dict[str, list[str]]:
    """jing's TEI All errors by file (one run for all files); the Debian wrapper's warnings ignored."""
    jing = shutil.which("jing")
    assert jing is not None and TEI_ALL_RNG.exists()
    done = subprocess.run([jing, str(TEI_ALL_RNG), *map(str, files)], capture_output=True, text=True, timeout=300)
    errors: dict[str, list[str]] = {str(f): [] for f in files}
    for line in (done.stdout + done.stderr).splitlines():
        if ": error:" in line or ": fatal:" in line:
            path = line.split(":", 1)[0]
            errors.setdefault(path, []).append(line)
    return errors
