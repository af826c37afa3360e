"""The files a run reads: paths as given, folders searched for *.xml (or another suffix)."""

from __future__ import annotations

import os
from typing import Iterable, Iterator


class LinkNotFollowed(str):
    """A path in a folder that is a link leading out of the folder: named, never read."""


def iter_files(paths: Iterable[str], *, suffix: str = ".xml", follow_links: bool = False) -> Iterator[str]:
    """Files as given, '-' for standard input, folders searched for files ending in `suffix`
    (sorted). In a folder, a link that leads out of it comes as a `LinkNotFollowed` unless
    `follow_links`; devices, FIFOs and sockets come as they are, for the reader to refuse."""
    for raw in paths:
        if raw != "-" and os.path.isdir(raw):
            found = _files_in(raw, suffix, follow_links)
            yield from sorted(found, key=lambda path: path.split(os.sep))  # as pathlib sorts
        else:
            yield raw


def _files_in(folder: str, suffix: str, follow_links: bool) -> Iterator[str]:
    """The files under folder at any depth. Links to folders are not followed (no loops); the
    directory listing says what is a folder, so no file needs a stat of its own."""
    root = os.path.realpath(folder)
    pending = [folder]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                listed = list(entries)
        except OSError:
            continue  # a folder that vanished or cannot be listed: nothing in it can be named
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.name.lower().endswith(suffix):  # .TXT and .XML count too
                if entry.is_symlink() and not follow_links and not _inside(os.path.realpath(entry.path), root):
                    yield LinkNotFollowed(entry.path)
                else:
                    yield entry.path  # a device, FIFO or link to a folder is refused by the reader


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
