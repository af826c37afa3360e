"""Annotating files and folders: where each result goes, the relink selection, a shared register file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from ..annotate.register import LIST_OF, Register, load_register_file
from ..pool import in_order
from ..problems import ConversionError, Problem, Severity
from ..validate.files import iter_files
from ..xmlio import TEI_NS, XML_ID, serialize, tei, write_atomic
from .annotate_file import Annotated, Options, annotate_bytes
from .diff import unified_diff

#: Codes that mean the file could not be used at all (exit 2), not that its annotation was refused (exit 1).
INPUT_CODES = frozenset({"ANN001", "ANN003", "ANN006"})


@dataclass
class FileResult:
    """One input. status: written, unchanged, would-write, skipped, error."""

    source: str
    status: str
    target: str | None = None
    annotated: Annotated | None = None
    message: str = ""
    diff: bytes = b""
    problems: list[Problem] = field(default_factory=list)

    @property
    def input_error(self) -> bool:
        return any(problem.code in INPUT_CODES or problem.code == "IO" for problem in self.problems)

    @property
    def failed(self) -> bool:
        return any(problem.severity == Severity.ERROR for problem in self.problems)


def _targets(paths: Iterable[str], out_dir: Path | None) -> Iterator[tuple[str, Path]]:
    """(input, output) pairs: a file given goes to DIR/name, a folder's files keep their place under DIR."""
    for raw in paths:
        if os.path.isdir(raw):
            for found in iter_files([raw]):
                yield found, (out_dir / os.path.relpath(found, raw)) if out_dir else Path(found)
        else:
            yield raw, (out_dir / Path(raw).name) if out_dir else Path(raw)


def _href(register_out: Path, target: Path) -> str:
    return Path(os.path.relpath(register_out.resolve(), target.resolve().parent)).as_posix()


def annotate_paths(
    paths: Iterable[str],
    register: Register,
    options: Options,
    *,
    out_dir: Path | None = None,
    dry_run: bool = False,
    relink: bool = False,
    register_out: Path | None = None,
) -> Iterator[FileResult]:
    """Annotate every input (in place when `out_dir` is None); one result per input, in input
    order, whatever happens to the others. With `relink`, only files tei-tools wrote and an editor
    changed since are touched, and only by links their names lack.

    With `options.jobs` > 1, several files are shared among that many forked processes (each
    reading its files in one process), one file's texts among them (see annotate.workers);
    writing stays in this process."""
    seen: dict[Path, str] = {}
    pointed: dict[str, None] = {}
    work = _Work(register, options, relink, register_out, dry_run)
    tasks: list[tuple[str, Path] | FileResult] = []
    for source, target in _targets(paths, out_dir):
        resolved = target.resolve()
        if resolved in seen:
            tasks.append(FileResult(source, "error", str(target), problems=[Problem(source, 0, 0, "IO", Severity.ERROR, f"{seen[resolved]} already goes to {target} in this run")]))
            continue
        seen[resolved] = source
        tasks.append((source, target))
    for result in _results(work, tasks):
        if result.annotated is not None:
            pointed.update(dict.fromkeys(result.annotated.pointed))
        if result.annotated is not None and not dry_run:
            yield _written(result, out_dir)
        else:
            yield result
    if register_out is not None:
        yield _write_register(register_out, register, list(pointed), dry_run=dry_run)


@dataclass(frozen=True)
class _Work:
    """What every file of a run is annotated with (inherited by forked workers, never pickled)."""

    register: Register
    options: Options
    relink: bool
    register_out: Path | None
    dry_run: bool


_WORK: _Work | None = None  # in a worker process: the run's settings


def _results(work: _Work, tasks: list[tuple[str, Path] | FileResult]) -> Iterator[FileResult]:
    """Each task's result in order: here, or in forked workers when there are files to share."""
    files = sum(1 for task in tasks if not isinstance(task, FileResult))
    if work.options.jobs <= 1 or files < 2:
        for task in tasks:
            yield task if isinstance(task, FileResult) else _annotate_one(work, task)
        return
    # Each worker reads its files in one process: sharing their texts too would only crowd the cores.
    alone = replace(work, options=replace(work.options, jobs=1))
    chunk = max(1, min(16, len(tasks) // (work.options.jobs * 8)))
    yield from in_order(_in_worker, tasks, jobs=min(work.options.jobs, files), initializer=_init_worker, initargs=(alone,), chunksize=chunk)


def _init_worker(work: _Work) -> None:
    global _WORK
    _WORK = work


def _in_worker(task: tuple[str, Path] | FileResult) -> FileResult:
    assert _WORK is not None
    return task if isinstance(task, FileResult) else _annotate_one(_WORK, task)


def _annotate_one(work: _Work, task: tuple[str, Path]) -> FileResult:
    """One input read and annotated, with its diff for a dry run; nothing is written here (see
    _written, for a result with its annotation outside a dry run)."""
    source, target = task
    if work.relink:
        from .relink import EDITED, edit_state  # with the hand-edit record and its hashing: only for --relink

        state = edit_state(source)
        if state != EDITED:
            why = "not edited since tei-tools wrote it (convert keeps it current)" if state != "not written by tei-tools" else "not written by tei-tools (annotate it without --relink)"
            return FileResult(source, "skipped", str(target), message=why)
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        return FileResult(source, "error", str(target), problems=[Problem(source, 0, 0, "IO", Severity.ERROR, f"cannot read: {exc.strerror or exc}")])
    file_options = work.options if not work.relink else replace(work.options, tag=False)
    if work.register_out is not None:
        file_options = replace(file_options, register_href=_href(work.register_out, target))
    try:
        annotated = annotate_bytes(data, source, work.register, file_options)
    except Exception as exc:  # a defect must not cost the batch, nor the file its bytes
        return FileResult(source, "error", str(target), problems=[Problem(source, 0, 0, "ANN006", Severity.ERROR, f"annotation failed ({type(exc).__name__}: {exc}); left untouched")])
    result = FileResult(source, "unchanged", str(target), annotated, problems=list(annotated.problems))
    if work.dry_run:
        if annotated.changed:
            result.status = "would-write"
            result.diff = unified_diff(source, data, annotated.data, annotated.insertions)
    return result


def _written(result: FileResult, out_dir: Path | None) -> FileResult:
    """An annotated file written to its target when it changed (or always into an output folder)."""
    annotated = result.annotated
    assert annotated is not None and result.target is not None
    if annotated.changed or (out_dir is not None and not result.failed and not result.input_error):
        try:
            write_atomic(Path(result.target), annotated.data)
        except OSError as exc:
            result.status = "error"
            result.problems.append(Problem(result.source, 0, 0, "IO", Severity.ERROR, f"cannot write {result.target}: {exc.strerror or exc}"))
            return result
        result.status = "written" if annotated.changed else "unchanged"
    return result


def _write_register(path: Path, register: Register, keys: list[str], *, dry_run: bool) -> FileResult:
    """Add the entries the run points to (and their countries) to a shared register file."""
    try:
        root = load_register_file(path) if path.exists() else etree.Element(tei("standOff"), nsmap={None: TEI_NS})
    except ConversionError as exc:
        return FileResult(str(path), "error", str(path), problems=[Problem(str(path), 0, 0, "IO", Severity.ERROR, str(exc))])
    present = {element.get(XML_ID) for element in root.iter() if isinstance(element.tag, str) and element.get(XML_ID)}
    missing: list[str] = []
    for key in keys:
        while key and key in register and key not in present and key not in missing:
            missing.append(key)
            key = register[key].country or ""
    if not missing:
        return FileResult(str(path), "unchanged", str(path), message="register file has every entry pointed to")
    holder = root.find(tei("standOff")) if root.tag == tei("TEI") else root
    if holder is None:
        holder = etree.SubElement(root, tei("standOff"))
    for kind in ("person", "place", "org", "event"):
        keys_of_kind = sorted(key for key in missing if register[key].kind == kind)
        if not keys_of_kind:
            continue
        if holder.tag == tei(LIST_OF[kind]):
            target_list = holder
        else:
            target_list = holder.find(tei(LIST_OF[kind]))
            if target_list is None:
                if holder.tag != tei("standOff"):
                    return FileResult(str(path), "error", str(path), problems=[Problem(str(path), 0, 0, "IO", Severity.ERROR, f"a <{etree.QName(holder).localname}> register cannot take {kind} entries")])
                target_list = etree.SubElement(holder, tei(LIST_OF[kind]))
        for key in keys_of_kind:
            target_list.append(register.element_for(key))
    message = f"{len(missing)} register entr{'ies' if len(missing) != 1 else 'y'} {'would be ' if dry_run else ''}added"
    if dry_run:
        return FileResult(str(path), "would-write", str(path), message=message)
    for element in root.iter():
        if isinstance(element.tag, str) and len(element):
            element.text = None if not (element.text or "").strip() else element.text
            for child in element:
                child.tail = None if not (child.tail or "").strip() else child.tail
    write_atomic(path, serialize(root))
    return FileResult(str(path), "written", str(path), message=message)
