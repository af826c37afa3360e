"""jing (RELAX NG) behind the hardened parser: it reads only copies of files that parser passed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from lxml import etree

from ..xmlio import UnsafeXML, parse_bytes

#: Debian's jing is a Java program with a Xerces parser that resolves DTDs, external entities and
#: XInclude. It is never handed a user's file: only a copy, in a private folder, of bytes the
#: hardened parser accepted (so no DOCTYPE and no XInclude), or the re-serialised tree.

#: Files per jing run: one JVM start (about 0.9 s) serves them all.
BATCH = 100
#: Seconds a jing run may take: a start-up allowance and a generous rate per megabyte.
_TIMEOUT_BASE, _TIMEOUT_PER_MB = 60.0, 10.0

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|fatal|warning): (?P<msg>.*)$")
_PLAIN_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["'](?P<name>[A-Za-z0-9._-]+)["']""")
_CODES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'^element "[^"]+"(?: from namespace "[^"]*")? not allowed'), "SCH001"),
    (re.compile(r'^element "[^"]+" incomplete'), "SCH002"),
    (re.compile(r'^element "[^"]+" missing required attribute'), "SCH005"),
    (re.compile(r'^attribute "[^"]+"(?: from namespace "[^"]*")? not allowed'), "SCH003"),
    (re.compile(r'^(?:value of attribute "[^"]+" is invalid|bad value for attribute)'), "SCH004"),
    (re.compile(r"^(?:text not allowed|character content of element)"), "SCH006"),
]


class JingError(Exception):
    """jing cannot be used at all: not installed, or the grammar itself is refused."""


def jing_available() -> bool:
    return shutil.which("jing") is not None


def code_for(message: str) -> str:
    """The schema code of a jing message, as libxml2's messages get them (SCH000 when unknown)."""
    for pattern, code in _CODES:
        if pattern.match(message):
            return code
    return "SCH000"


def safe_copy(data: bytes, tree: etree._ElementTree) -> bytes:
    """What jing may read of a file the hardened parser accepted.

    The very bytes when they are plainly UTF-8 (so jing's lines and columns are the file's own);
    otherwise the tree serialised as UTF-8, since a second parser might read other encodings'
    bytes differently from libxml2 (lines then follow the copy).
    """
    declared = _PLAIN_ENCODING.match(data)
    encoding = (tree.docinfo.encoding or "UTF-8").upper()
    plain = encoding in ("UTF-8", "US-ASCII", "ASCII") and not data.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00\x00", b"\x00<", b"<\x00"))
    if plain and (declared is None or declared["name"].upper() in (b"UTF-8", b"UTF8", b"US-ASCII", b"ASCII")):
        return data
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


def check_copies(grammar: Path, copies: Sequence[bytes]) -> list[list[tuple[int, int, str, str]]]:
    """Run jing on copies (see `safe_copy`) in a private folder: (line, column, code, message) per copy.

    A fatal error in one file ends jing's run, so the files after it are checked in a new run; a
    run that fails without saying why marks each file it leaves without a verdict.
    """
    if not jing_available():
        raise JingError("--jing needs jing on the PATH (Debian package 'jing')")
    results: list[list[tuple[int, int, str, str]]] = [[] for _ in copies]
    if not copies:
        return results
    with tempfile.TemporaryDirectory(prefix="tei-tools-jing-") as folder:
        names = []
        for number, copy in enumerate(copies):
            name = os.path.join(folder, f"{number:06d}.xml")
            with open(name, "wb") as handle:
                handle.write(copy)
            names.append(name)
        index = {name: number for number, name in enumerate(names)}
        pending = list(range(len(copies)))
        while pending:
            pending = _run(grammar, pending, names, index, results, sum(len(copies[n]) for n in pending))
    return results


def _run(grammar: Path, pending: list[int], names: list[str], index: dict[str, int], results: list[list[tuple[int, int, str, str]]], size: int) -> list[int]:
    """One jing run over `pending`; returns the files still without a verdict."""
    timeout = _TIMEOUT_BASE + _TIMEOUT_PER_MB * size / 1e6
    try:
        done = _bounded(["jing", str(grammar), *(names[n] for n in pending)], timeout)
    except subprocess.TimeoutExpired:
        for number in pending:
            results[number].append((1, 1, "SCH000", f"jing did not finish within {timeout:.0f} s; the file was not checked"))
        return []
    except OSError as exc:
        raise JingError(f"cannot run jing: {exc.strerror or exc}") from None
    last_fatal: int | None = None
    unlocated: list[str] = []
    for line in done.stdout.splitlines():
        found = _LINE.match(line)
        if found is None:
            if line.strip():
                unlocated.append(line.strip())
            continue
        number = index.get(found["file"])
        if number is None:  # the grammar itself (or a file it includes) is wrong
            raise JingError(f"jing refuses the grammar: {line}")
        kind, message = found["kind"], found["msg"]
        if kind == "warning":
            continue
        code = "SCH000" if kind == "fatal" else code_for(message)
        text = f"jing could not read the copy it was given: {message}" if kind == "fatal" else message
        results[number].append((int(found["line"]), int(found["col"]), code, text))
        if kind == "fatal":
            last_fatal = number
    stderr = [line.strip() for line in done.stderr.splitlines() if line.strip() and not line.startswith("[warning]")]
    unlocated += stderr
    if last_fatal is not None:
        return pending[pending.index(last_fatal) + 1 :]
    unexplained = _blame_unlocated(pending, names, results, unlocated)
    if any(str(grammar) in line for line in unexplained):
        raise JingError(f"jing fails on the grammar: {unexplained[0]}")
    reported = [n for n in pending if results[n]]
    if unexplained and len(pending) > 1:
        # jing broke off (out of memory, an exception) somewhere after the last file it reported:
        # those after it are checked again one by one, so the failure lands on its own file.
        after = pending[pending.index(reported[-1]) + 1 :] if reported else pending
        for number in after:
            _run(grammar, [number], names, index, results, size // len(pending))
        return []
    if unexplained:
        results[pending[0]].append((1, 1, "SCH000", f"jing failed on this file: {unexplained[0]}"))
        return []
    if done.returncode == 0 or reported:
        return []
    # Failed with no verdict on any file: the grammar, when a line names it, else some file.
    why = unlocated[0] if unlocated else f"exit status {done.returncode}"
    if any(str(grammar) in line for line in unlocated):
        raise JingError(f"jing fails on the grammar: {why}")
    if len(pending) == 1:
        results[pending[0]].append((1, 1, "SCH000", f"jing failed without a verdict on this file: {why}"))
        return []
    for number in pending:  # one at a time, so the failure is put on the file that causes it
        _run(grammar, [number], names, index, results, 0)
    return []


def _blame_unlocated(pending: list[int], names: list[str], results: list[list[tuple[int, int, str, str]]], lines: list[str]) -> list[str]:
    """Put each line without a location on the file it names; return the lines that name none."""
    unexplained = []
    for line in lines:
        for number in pending:
            if names[number] in line:
                results[number].append((1, 1, "SCH000", f"jing: {line.replace(names[number], 'the file')}"))
                break
        else:
            unexplained.append(line)
    return unexplained


def _bounded(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run jing in its own process group: Debian's `jing` is a shell script around java, and
    on a timeout the whole group is killed (killing the script alone leaves java running)."""
    import signal

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, errors="replace", start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def jing_errors(schema: Path, files: Iterable[Path]) -> Iterator[tuple[str, int, int, str]]:
    """(file, line, column, message) for each file against a RELAX NG schema, every file first read
    by the hardened parser: a refused or unreadable file gets its reason, and jing never sees it."""
    checked: list[tuple[str, bytes]] = []
    for file in files:
        try:
            data = Path(file).read_bytes()
            checked.append((str(file), safe_copy(data, parse_bytes(data))))
        except UnsafeXML as exc:
            yield str(file), exc.line, 1, f"refused: {exc}"
        except etree.XMLSyntaxError as exc:
            yield str(file), exc.lineno or 1, 1, f"not well-formed: {exc}"
        except OSError as exc:
            yield str(file), 0, 0, f"cannot read: {exc.strerror or exc}"
    for (file, _), found in zip(checked, check_copies(Path(schema), [copy for _, copy in checked])):
        for line, column, _, message in found:
            yield file, line, column, message
