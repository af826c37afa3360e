"""The files a run reads: paths as given, folders searched for *.xml."""

from __future__ import annotations

import os
from typing import Iterable, Iterator


def iter_files(paths: Iterable[str]) -> Iterator[str]:
    """Files as given, '-' for standard input, folders searched for *.xml (sorted)."""
    for raw in paths:
        if raw != "-" and os.path.isdir(raw):
            yield from sorted(_xml_files(raw), key=lambda path: path.split(os.sep))  # as pathlib sorts
        else:
            yield raw


def _xml_files(folder: str) -> Iterator[str]:
    """The *.xml files under folder at any depth. Links to folders are not followed (no
    loops); the directory listing says what is a file, so no file needs a stat of its own."""
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(".xml") and entry.is_file():
                    yield entry.path
