"""Edited editions and the grown register: which files the tool wrote and an editor changed since."""

from __future__ import annotations

from pathlib import Path

from ..annotate.register import Register
from .annotate_file import Options, annotate_bytes
from .record import Record

EDITED, UNEDITED, FOREIGN = "edited", "unedited", "not written by tei-tools"


def edit_state(path: str | Path) -> str:
    """EDITED when the hand-edit record of the file's folder says tei-tools wrote it and it
    changed since; UNEDITED when it is as written (convert keeps it current); else FOREIGN."""
    target = Path(path)
    manifest = Record(target.parent)
    manifest.refresh()  # the record and what runs (or killed ones) added to its journal since
    if target.name not in manifest.entries:
        return FOREIGN
    return EDITED if manifest.edited(target) else UNEDITED


def links_to_gain(path: str | Path, register: Register) -> int:
    """How many names of an edited file the current register would link (0 for other files)."""
    target = Path(path)
    if edit_state(target) != EDITED:
        return 0
    try:
        data = target.read_bytes()
    except OSError:
        return 0
    return annotate_bytes(data, str(target), register, Options(tag=False)).linked


def relink_hint(path: str | Path, register: Register) -> str | None:
    """The line `convert` prints for an edited file that would gain links."""
    count = links_to_gain(path, register)
    if not count:
        return None
    return f"{count} name{'s' if count != 1 else ''} would gain links: tei-tools annotate --relink --in-place {path}"
