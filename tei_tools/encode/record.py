"""The hand-edit record of a folder: the digest of each file tei-tools wrote there, to tell an
editor's changes from the tool's own output."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..xmlio import write_atomic

MANIFEST = ".tei-tools.json"


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


#: Lines appended as each file is written (name, new digest, the digest it replaced), folded
#: into MANIFEST at the end of a run; a killed run leaves them for the next one to read.
JOURNAL = ".tei-tools.journal"
LOCK = ".tei-tools.lock"


def read_record(folder: str | os.PathLike[str]) -> dict[str, str]:
    """The digest the tool last wrote, per file name, from MANIFEST and the journal."""
    record = Record(Path(folder))
    record.refresh()
    return {name: digests[0] for name, digests in record.entries.items()}


class Record:
    """Digests of the files the tool wrote in one folder, to tell hand edits from its own output.

    Each write is recorded before the file is replaced, with the digest it replaces when that
    was the tool's own too: whether the replace happened or not (kill -9, a full disk), the file
    on disk matches one of the two. Runs into one folder take turns under an fcntl lock.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self.journal = folder / JOURNAL
        self.entries: dict[str, list[str]] = {}
        self._journal_id: tuple[int, int] | None = None
        self._offset = 0
        self._loaded = False
        self._lock_fd: int | None = None

    def lock(self) -> None:
        import fcntl

        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(self.folder / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the lock
            self._lock_fd = None

    def refresh(self) -> None:
        """Read what other runs (or killed ones) added since the last look."""
        try:
            info = os.stat(self.journal)
            journal_id: tuple[int, int] | None = (info.st_ino, info.st_dev)
        except OSError:
            journal_id, info = None, None
        if not self._loaded or journal_id != self._journal_id or (info is not None and info.st_size < self._offset):
            self._load_snapshot()
            self._loaded = True
            self._journal_id, self._offset = journal_id, 0
        if info is None or info.st_size == self._offset:
            return
        with open(self.journal, "rb") as handle:
            handle.seek(self._offset)
            tail = handle.read()
        complete = tail.rfind(b"\n") + 1
        for line in tail[:complete].splitlines():
            try:
                entry = json.loads(line)
                self.entries[entry["file"]] = [entry["digest"]] + ([entry["previous"]] if entry.get("previous") else [])
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a full disk, never the tool's word
        self._offset += complete

    def _load_snapshot(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files, earlier = data.get("files", {}), data.get("earlier", {})
            self.entries = {name: [digest] + ([earlier[name]] if name in earlier else []) for name, digest in files.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self.entries = {}

    def edited(self, target: Path, current: bytes | None = None) -> bool:
        """True when `target` exists and is not byte for byte what the tool last wrote there."""
        if current is None:
            if not target.exists():
                return False
            current = target.read_bytes()
        return _digest(current) not in self.entries.get(target.name, ())

    def record(self, target: Path, data: bytes, replaced: bytes | None = None) -> None:
        """Note, before `target` is replaced, that the tool writes `data` there."""
        digest = _digest(data)
        previous = _digest(replaced) if replaced is not None and not self.edited(target, replaced) else None
        if self.entries.get(target.name, [None])[0] == digest and previous is None:
            return
        line = (json.dumps({"file": target.name, "digest": digest, "previous": previous}) + "\n").encode("utf-8")
        fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        try:
            size = os.fstat(fd).st_size
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
            except OSError:
                os.ftruncate(fd, size)  # no half line for a later one to run into
                raise
        finally:
            os.close(fd)
        self.entries[target.name] = [digest] + ([previous] if previous else [])

    def save(self) -> None:
        """Fold the journal into MANIFEST (under the lock); a failure leaves the journal to read."""
        self.refresh()
        if self._journal_id is None:
            return
        files = {name: digests[0] for name, digests in sorted(self.entries.items())}
        earlier = {name: digests[1] for name, digests in sorted(self.entries.items()) if len(digests) > 1}
        body = json.dumps({"tool": "tei-tools", "files": files, "earlier": earlier}, indent=2) + "\n"
        write_atomic(self.path, body.encode("utf-8"))
        os.unlink(self.journal)
        self._journal_id, self._offset = None, 0

    def remove_stale_temporaries(self) -> None:
        """Temporary files of a killed run (every write happens under the lock, so none is live)."""
        from ..xmlio import TEMPORARY

        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if TEMPORARY.match(name):
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass
