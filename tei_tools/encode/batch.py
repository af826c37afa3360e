"""Converting page texts to TEI files: one page in memory, or files and folders in a batch."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .tei import Encoded, Options, encode, page_counts
from ..pages.reader import read_page_bytes
from ..problems import ConversionError
from ..annotate.register import Register, load_register
from ..xmlio import serialize, write_atomic

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


def iter_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files as given; folders yield their *.txt files (.TXT too), sorted, recursively."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() == ".txt" and p.is_file())
        else:
            yield path


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class _Manifest:
    """Digests of the files the tool wrote in one folder, to tell hand edits from its own output."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            self.entries = {}
        self.dirty = False

    def edited(self, target: Path) -> bool:
        """True when `target` exists and is not byte for byte what the tool last wrote there."""
        if not target.exists():
            return False
        return self.entries.get(target.name) != _digest(target.read_bytes())

    def record(self, target: Path, data: bytes) -> None:
        digest = _digest(data)
        if self.entries.get(target.name) != digest:
            self.entries[target.name] = digest
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            body = json.dumps({"tool": "tei-tools", "files": dict(sorted(self.entries.items()))}, indent=2) + "\n"
            write_atomic(self.path, body.encode("utf-8"))
            self.dirty = False


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
        if path.stat().st_size > MAX_PAGE_BYTES:
            raise ConversionError(f"input is {path.stat().st_size} bytes, larger than the limit of {MAX_PAGE_BYTES} for one page")
        xml, encoded = convert_bytes(path.read_bytes(), path.name, register=register, options=options)
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
) -> Iterator[ConvertResult]:
    """Convert every input; yield one result per input, in input order, whatever happens to the others.

    With jobs > 1, pages are converted in forked worker processes; writing (and the hand-edit
    check) stays in this process.
    """
    register = register or load_register()
    options = options or Options()
    folder = Path(out_dir)
    manifest = _Manifest(folder)
    written: dict[str, str] = {}
    inputs = list(iter_inputs(paths))
    _init_worker(register, options)
    try:
        if jobs > 1 and len(inputs) > 1:
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for converted in pool.imap(_convert_in_memory, inputs, chunksize=8):
                    yield _write_one(converted, folder, manifest, written, force=force, dry_run=dry_run)
        else:
            for path in inputs:
                yield _write_one(_convert_in_memory(path), folder, manifest, written, force=force, dry_run=dry_run)
    finally:
        if not dry_run:
            manifest.save()


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
    if converted.error:
        return ConvertResult(source, "error", message=converted.error)
    xml = converted.xml
    stem = converted.name if converted.name and converted.name != path.name else path.stem
    target = folder / f"{stem}.xml"
    if target.name in written:
        return ConvertResult(source, "error", target=str(target), message=f"{written[target.name]} already wrote {target} in this run (same record id)")
    written[target.name] = source
    result = ConvertResult(source, "written", target=str(target), warnings=converted.warnings, counts=converted.counts)
    old = target.read_bytes() if target.exists() else None
    if old == xml:
        result.status = "unchanged"
        if not dry_run:
            manifest.record(target, xml)
        return result
    edited = manifest.edited(target)
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
        backup = target.with_name(target.name + ".bak")
        shutil.copy2(target, backup)
        result.backup = str(backup)
    write_atomic(target, xml)
    manifest.record(target, xml)
    return result
