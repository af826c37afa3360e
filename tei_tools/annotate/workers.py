"""The annotation stage over many texts at once: a large file's texts shared among forked processes."""

# The finders are pure, so a text gives the same mentions in any process. The texts are cut into
# contiguous shares of about the same number of characters; this process reads the first share,
# a forked child each of the others and sends its mentions back, pickled, through a pipe of its
# own. A child that fails in any way sends nothing, and its share is then read here: an error
# surfaces exactly as it would with no workers, and the result never depends on the workers.
# Not tei_tools.pool, which shares whole files: here this process reads a share itself instead
# of waiting for a pool, and each share is cut to its number of characters.

from __future__ import annotations

import os
import pickle
import signal
import sys

from .mentions import Mention, find_mentions
from .names import Context, index_for
from .register import Register

#: Characters of text a worker must have to be worth its fork: starting a child and sending
#: back its mentions costs a few milliseconds, and the finders read 600,000 to a million
#: characters a second, so a share of 25,000 takes 25-40 ms.
SHARE = 25_000


def find_all(texts: list[str], register: Register, context: Context, *, jobs: int = 1, share: int = SHARE) -> list[list[Mention]]:
    """The mentions of each text (as `find_mentions` gives them), in the order of `texts`.

    With jobs > 1 and at least `share` characters for each extra process, up to `jobs`
    processes read the texts (forked: POSIX only, and only while this process runs no other
    thread); otherwise, or when forking fails, this process reads them all."""
    shares = _cut(texts, _workers(texts, jobs, share))
    if len(shares) > 1:
        index_for(register)  # built once here, not once in every child
    pending: list[tuple[list[str], tuple[int, int] | None]] = []  # shares not yet collected, in order
    try:
        for part in shares[1:]:
            pending.append((part, _fork(part, register, context)))
        found = [find_mentions(text, register, context) for text in shares[0]]
        while pending:
            part, child = pending.pop(0)
            sent = _collect(child) if child is not None else None
            found.extend(sent if sent is not None else [find_mentions(text, register, context) for text in part])
    finally:
        for _part, child in pending:  # this process failed first: the children are no longer wanted
            if child is not None:
                _abandon(child)
    return found


def _workers(texts: list[str], jobs: int, share: int) -> int:
    if jobs <= 1 or not hasattr(os, "fork") or _threaded():
        return 1
    return max(1, min(jobs, len(texts), sum(map(len, texts)) // max(1, share)))


def _threaded() -> bool:
    # A fork copies only the thread that calls it; a lock another thread holds stays locked in the
    # child for ever. Nothing here starts threads, but a program using the library may have.
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _cut(texts: list[str], parts: int) -> list[list[str]]:
    """`texts` in `parts` contiguous shares of about the same number of characters."""
    if parts <= 1:
        return [texts]
    total = sum(map(len, texts))
    shares: list[list[str]] = [[] for _ in range(parts)]
    seen = 0
    for text in texts:
        shares[min(parts - 1, seen * parts // total)].append(text)
        seen += len(text)
    return [part for part in shares if part] or [texts]


def _fork(part: list[str], register: Register, context: Context) -> tuple[int, int] | None:
    """A child reading `part`: (its pid, the end of its pipe to read), or None when none could start."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: read the share, send it, and leave without running the parent's exit code
        status = 1
        try:
            os.close(read)
            data = pickle.dumps([find_mentions(text, register, context) for text in part], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as stream:
                stream.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int]) -> list[list[Mention]] | None:
    """What a child sent, or None when it failed."""
    pid, read = child
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    return pickle.loads(data)  # noqa: S301 - written by our own child, through a pipe only it and we hold


def _abandon(child: tuple[int, int]) -> None:
    """A child whose share is no longer wanted (this process failed first): stopped and reaped."""
    pid, read = child
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    os.close(read)
    os.waitpid(pid, 0)
