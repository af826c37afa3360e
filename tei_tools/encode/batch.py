"""Converting page texts to TEI files: one page in memory, or files and folders in a batch."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .record import Record
from .tei import Encoded, Options, encode, page_counts
from ..pages.reader import read_page_bytes
from ..problems import ConversionError
from ..annotate.register import Register, load_register
from ..xmlio import NotRegularFile, UnsafeXML, read_regular, serialize, write_atomic

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
    manifest = Record(folder)
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
            from ..pool import in_order

            for converted in in_order(_convert_in_memory, inputs, jobs=jobs, initializer=_init_worker, initargs=(register, options), chunksize=8):
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


def _write_locked(converted: _Converted, folder: Path, manifest: Record, written: dict[str, str], *, force: bool, dry_run: bool) -> ConvertResult:
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


def _write_one(converted: _Converted, folder: Path, manifest: Record, written: dict[str, str], *, force: bool, dry_run: bool) -> ConvertResult:
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
