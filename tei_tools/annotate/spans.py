"""Sorted, non-overlapping stretches of a text, so finders ask 'is this stretch free?' in log time."""

from __future__ import annotations

import bisect


class Spans:
    """[start, end) intervals that do not overlap, kept sorted by start."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return False
        return i >= len(self.starts) or self.starts[i] >= end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        """The stretch that holds [start, end), if one does."""
        i = bisect.bisect_right(self.starts, start)
        if i and self.starts[i - 1] <= start and end <= self.ends[i - 1]:
            return self.starts[i - 1], self.ends[i - 1]
        return None
