"""Unified diffs of annotated files that `patch -p0` applies byte for byte."""

from __future__ import annotations

import bisect
import io

from .patch import Insertion, apply


def unified_diff(path: str, old: bytes, new: bytes, insertions: list[Insertion] | None = None) -> bytes:
    """A unified diff from `old` to `new` that `patch -p0` applies to `path`, byte for byte.

    Given the insertions that made `new`, the changed lines are known and the diff is written
    in one pass (difflib's matching costs seconds on a large file with many changed lines)."""
    if old == new:
        return b""
    if insertions:
        return _insertion_diff(path, old, insertions)
    import difflib  # only here: the usual diff is written from the insertions

    # Lines end at b"\n" only, as patch reads them; latin-1 maps each byte to one character
    # and back, whatever the file's encoding.
    before = [line.decode("latin-1") for line in io.BytesIO(old).readlines()]
    after = [line.decode("latin-1") for line in io.BytesIO(new).readlines()]
    lines: list[str] = []
    for line in difflib.unified_diff(before, after, path, path, n=3):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines).encode("latin-1")


def _line(text: bytes, mark: bytes) -> bytes:
    return mark + text if text.endswith(b"\n") else mark + text + b"\n\\ No newline at end of file\n"


def _insertion_diff(path: str, old: bytes, insertions: list[Insertion], context: int = 3) -> bytes:
    """The unified diff of `old` and `apply(old, insertions)`, hunks around the lines insertions fall in."""
    lines = io.BytesIO(old).readlines()
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    touched: dict[int, list[Insertion]] = {}
    for insertion in insertions:
        number = min(bisect.bisect_right(starts, insertion.offset) - 1, len(lines) - 1)
        touched.setdefault(number, []).append(insertion)
    changed = sorted(touched)
    hunks: list[tuple[int, int]] = []  # [first, last] changed line of each hunk
    for number in changed:
        if hunks and number - hunks[-1][1] <= 2 * context:
            hunks[-1] = (hunks[-1][0], number)
        else:
            hunks.append((number, number))
    out = [f"--- {path}\n+++ {path}\n".encode("utf-8", "surrogateescape")]
    shift = 0  # lines the hunks so far added
    for first, last in hunks:
        begin, end = max(0, first - context), min(len(lines), last + context + 1)
        body: list[bytes] = []
        new_count = 0
        number = begin
        while number < end:
            if number not in touched:
                body.append(_line(lines[number], b" "))
                new_count += 1
                number += 1
                continue
            block_end = number
            while block_end < end and block_end in touched:
                block_end += 1
            replaced = b""
            for index in range(number, block_end):
                body.append(_line(lines[index], b"-"))
                moved = [Insertion(i.offset - starts[index], i.order, i.data) for i in touched[index]]
                replaced += apply(lines[index], moved)
            for new_line in io.BytesIO(replaced).readlines():
                body.append(_line(new_line, b"+"))
                new_count += 1
            number = block_end
        old_count = end - begin
        out.append(f"@@ -{begin + 1},{old_count} +{begin + 1 + shift},{new_count} @@\n".encode())
        out.extend(body)
        shift += new_count - old_count
    return b"".join(out)
