"""Converting page texts to TEI files: one page in memory, or files and folders in a batch."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .tei import Encoded, Options, encode, page_counts
from ..pages.reader import read_page_bytes
from ..problems import ConversionError
from ..annotate.register import Register, load_register
from ..xmlio import NotRegularFile, UnsafeXML, read_regular, serialize, write_atomic

MANIFEST = ".tei-tools.json"
MAX_PAGE_BYTES = 20 * 1024 * 1024


def processing_instructions(schema_href: str) -> list[str]:
    base = schema_href if schema_href.endswith("/") else schema_href + "/"
    return [
        f'<?xml-model href="{base}tei-tools.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>',
        f'<?xml-model href="{base}tei-tools.xsd" type="application/xml" schematypens="http://www.w3.org/2001/XMLSchema"?>',
    ]


def convert_bytes(data: bytes, name: str, *, register: Register | None = None, options: Options | None = None) -> tuple[bytes, Encoded]:
    """Page bytes -> TEI bytes. Raises ConversionError for input that is not a page."""
    options = options or Options()
    if len(data) > MAX_PAGE_BYTES:
        raise ConversionError(f"input is {len(data)} bytes, larger than the limit of {MAX_PAGE_BYTES} for one page")
    page = read_page_bytes(data, name)
    encoded = encode(page, register or load_register(), options)
    return serialize(encoded.root, processing_instructions=processing_instructions(options.schema_href)), encoded


@dataclass
class ConvertResult:
    """What happened to one input. status: written, unchanged, skipped, would-write, error."""

    source: str
    status: str
    target: str | None = None
    warnings: list[str] = field(default_factory=list)
    message: str = ""
    backup: str | None = None
    diff: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # fields, paragraphs, names (for --report)

    @property
    def failed(self) -> bool:
        return self.status == "error"


def iter_inputs(paths: Iterable[str | os.PathLike[str]], *, follow_links: bool = False) -> Iterator[Path]:
    """Files as given; folders yield their *.txt files, sorted, recursively; links out of a folder
    only with `follow_links`."""
    from ..validate.files import LinkNotFollowed, iter_files

    for found in iter_files([os.fspath(p) for p in paths], suffix=".txt", follow_links=follow_links):
        if not isinstance(found, LinkNotFollowed):
            yield Path(found)


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


#: Lines appended as each file is written (name, new digest, the digest it replaced), folded
#: into MANIFEST at the end of a run; a killed run leaves them for the next one to read.
JOURNAL = ".tei-tools.journal"
LOCK = ".tei-tools.lock"


def read_record(folder: str | os.PathLike[str]) -> dict[str, str]:
    """The digest the tool last wrote, per file name, from MANIFEST and the journal."""
    record = _Manifest(Path(folder))
    record.refresh()
    return {name: digests[0] for name, digests in record.entries.items()}


class _Manifest:
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


def _backup_name(target: Path) -> Path:
    """NAME.xml.bak, or the first NAME.xml.bak.N free: no backup is ever replaced."""
    backup = target.with_name(target.name + ".bak")
    number = 0
    while backup.exists() or backup.is_symlink():
        number += 1
        backup = target.with_name(f"{target.name}.bak.{number}")
    return backup


@dataclass
class _Converted:
    """A page converted in memory (in this process or a worker), not yet written."""

    path: Path
    xml: bytes = b""
    name: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)


_WORKER: tuple[Register, Options] | None = None


def _init_worker(register: Register, options: Options) -> None:
    global _WORKER
    _WORKER = (register, options)


def _convert_in_memory(path: Path) -> _Converted:
    assert _WORKER is not None
    register, options = _WORKER
    try:
        xml, encoded = convert_bytes(read_regular(path, MAX_PAGE_BYTES), path.name, register=register, options=options)
    except UnsafeXML as exc:  # too large
        return _Converted(path, error=f"input {exc}; larger than one page can be")
    except NotRegularFile as exc:
        return _Converted(path, error=str(exc.strerror))
    except ConversionError as exc:
        return _Converted(path, error=str(exc))
    except OSError as exc:
        return _Converted(path, error=f"cannot read: {exc.strerror or exc}")
    return _Converted(path, xml, encoded.name, encoded.warnings, counts=page_counts(encoded.root))


def convert_paths(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    register: Register | None = None,
    options: Options | None = None,
    force: bool = False,
    dry_run: bool = False,
    jobs: int = 1,
    follow_links: bool = False,
) -> Iterator[ConvertResult]:
    """Convert every input; yield one result per input, in input order, whatever happens to the others.

    With jobs > 1, pages are converted in forked worker processes; writing (and the hand-edit
    check) stays in this process. Each file is recorded as it is written.
    """
    register = register or load_register()
    options = options or Options()
    folder = Path(out_dir)
    manifest = _Manifest(folder)
    written: dict[str, str] = {}
    inputs = list(iter_inputs(paths, follow_links=follow_links))
    _init_worker(register, options)
    if not dry_run:
        try:
            manifest.lock()
            manifest.remove_stale_temporaries()
        except OSError:
            pass  # each file then says why it cannot be written
        finally:
            manifest.unlock()
    else:
        manifest.refresh()
    try:
        if jobs > 1 and len(inputs) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for converted in pool.imap(_convert_in_memory, inputs, chunksize=8):
                    yield _write_locked(converted, folder, manifest, written, force=force, dry_run=dry_run)
        else:
            for path in inputs:
                yield _write_locked(_convert_in_memory(path), folder, manifest, written, force=force, dry_run=dry_run)
    finally:
        if not dry_run:
            try:
                manifest.lock()
                manifest.save()
            except OSError:
                pass  # the journal stays; the next run reads it
            finally:
                manifest.unlock()


def _write_locked(converted: _Converted, folder: Path, manifest: _Manifest, written: dict[str, str], *, force: bool, dry_run: bool) -> ConvertResult:
    """One file written while this run holds the folder's lock; an OS error is its result."""
    if converted.error:
        return ConvertResult(str(converted.path), "error", message=converted.error)
    try:
        if not dry_run:
            manifest.lock()
            manifest.refresh()
        return _write_one(converted, folder, manifest, written, force=force, dry_run=dry_run)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else f" in {folder}"
        return ConvertResult(str(converted.path), "error", message=f"cannot write{where}: {exc.strerror or exc}")
    finally:
        manifest.unlock()


_WARNING_LINE = re.compile(r"^line (?P<line>\d+): ")


def conversion_report(results: list[ConvertResult]) -> dict[str, object]:
    """The `convert --report` document: per page what was made of it and each warning with its line."""
    pages = []
    for result in results:
        warnings = []
        for warning in result.warnings:
            m = _WARNING_LINE.match(warning)
            warnings.append({"line": int(m["line"]) if m else None, "message": warning[m.end():] if m else warning})
        entry: dict[str, object] = {"source": result.source, "target": result.target, "status": result.status}
        if result.failed:
            entry["error"] = result.message
        entry.update(result.counts)
        entry["warnings"] = warnings
        pages.append(entry)
    totals = {key: sum(int(page.get(key, 0)) for page in pages) for key in ("fields", "untyped_fields", "paragraphs", "names_linked", "names_unlinked")}  # type: ignore[call-overload]
    summary = {"pages": len(pages), "with_warnings": sum(1 for page in pages if page["warnings"]), "errors": sum(1 for page in pages if "error" in page), **totals}
    return {"tool": "tei-tools", "summary": summary, "pages": pages}


def _write_one(converted: _Converted, folder: Path, manifest: _Manifest, written: dict[str, str], *, force: bool, dry_run: bool) -> ConvertResult:
    path, source = converted.path, str(converted.path)
    xml = converted.xml
    stem = converted.name if converted.name and converted.name != path.name else path.stem
    target = folder / f"{stem}.xml"
    if target.name in written:
        return ConvertResult(source, "error", target=str(target), message=f"{written[target.name]} already wrote {target} in this run (same record id)")
    written[target.name] = source
    result = ConvertResult(source, "written", target=str(target), warnings=converted.warnings, counts=converted.counts)
    old = read_regular(target, MAX_PAGE_BYTES * 10) if target.exists() or target.is_symlink() else None
    if old == xml:
        result.status = "unchanged"
        if not dry_run:
            manifest.record(target, xml)
        return result
    edited = old is not None and manifest.edited(target, old)
    if dry_run:
        result.status = "would-write"
        result.message = "edited by hand; would be skipped without --force" if edited and not force else ""
        result.diff = list(difflib.unified_diff((old or b"").decode("utf-8", "replace").splitlines(), xml.decode("utf-8").splitlines(), str(target), str(target) + " (new)", lineterm="", n=1))
        return result
    if edited:
        if not force:
            result.status = "skipped"
            result.message = f"{target} was changed after tei-tools wrote it; kept as it is (--force replaces it, keeping a backup)"
            return result
        assert old is not None
        backup = _backup_name(target)
        write_atomic(backup, old)
        result.backup = str(backup)
    manifest.record(target, xml, replaced=old)
    write_atomic(target, xml)
    return result
