"""The annotation stage over many texts at once: a large file's texts shared among forked processes."""

# The finders are pure, so a text gives the same mentions in any process. The texts are grouped
# into chunks of a few thousand characters, and the chunks into contiguous shares of about the
# same size: this process reads the first share, a forked child each of the others, sending back
# the mentions of each chunk, pickled, as soon as it has read it. A core is not always free on
# a shared machine, so a share is not left to a child that is slow: once its own share is read,
# this process takes the chunks no child has sent yet, from the end of the share that has the
# most left, and stops the children as soon as every chunk is read by one or the other. Two
# processes are thus never much slower than one, and a child that fails only leaves more to
# read here: an error surfaces exactly as it would with no workers, and the result never depends
# on the workers. Not tei_tools.pool, which shares whole files among workers and waits for them.

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
from dataclasses import dataclass, field

from .mentions import Mention, find_mentions
from .names import Context, index_for
from .register import Register

#: Characters of text a worker must have to be worth its fork: starting a child and sending
#: back its mentions costs a few milliseconds, and the finders read 600,000 to a million
#: characters a second, so a share of 25,000 takes 25-40 ms.
SHARE = 25_000
#: Characters in a chunk, the unit sent back and taken over: 4-7 ms of the finders' work, so
#: that little is read twice where this process takes over a chunk a child was reading.
CHUNK = 4_000
_FRAME = struct.Struct("!II")  # chunk number, length of its pickled mentions


def find_all(texts: list[str], register: Register, context: Context, *, jobs: int = 1, share: int = SHARE) -> list[list[Mention]]:
    """The mentions of each text (as `find_mentions` gives them), in the order of `texts`.

    With jobs > 1 and at least `share` characters for each extra process, up to `jobs`
    processes read the texts (forked: POSIX only, and only while this process runs no other
    thread); otherwise, or when forking fails, this process reads them all."""
    workers = _workers(texts, jobs, share)
    if workers <= 1:
        return [find_mentions(text, register, context) for text in texts]
    index_for(register)  # built once here, not once in every child
    chunks, shares = _plan(texts, workers)
    found: dict[int, list[list[Mention]]] = {}
    children: list[_Child] = []
    try:
        for part in shares[1:]:
            child = _fork(texts, chunks, part, register, context)
            if child is not None:
                children.append(child)
        order = _Order(shares)
        while True:
            _receive(children, found)
            number = order.next(found)
            if number is None:
                break
            start, end = chunks[number]
            found[number] = [find_mentions(text, register, context) for text in texts[start:end]]
    finally:
        for child in children:
            _stop(child)
    return [mentions for number in range(len(chunks)) for mentions in found[number]]


def _workers(texts: list[str], jobs: int, share: int) -> int:
    if jobs <= 1 or not hasattr(os, "fork") or _threaded():
        return 1
    return max(1, min(jobs, len(texts), sum(map(len, texts)) // max(1, share)))


def _threaded() -> bool:
    # A fork copies only the thread that calls it; a lock another thread holds stays locked in the
    # child for ever. Nothing here starts threads, but a program using the library may have.
    threading = sys.modules.get("threading")
    return threading is not None and threading.active_count() > 1


def _plan(texts: list[str], parts: int) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """The chunks, as [start, end) ranges of `texts` of about CHUNK characters each (fewer
    where the shares would hold fewer than eight chunks), and the
    chunks' numbers in `parts` contiguous shares of about the same number of characters."""
    # A share of several chunks at least, however little text there is.
    least = max(1, min(CHUNK, sum(map(len, texts)) // (parts * 8)))
    chunks: list[tuple[int, int]] = []
    sizes: list[int] = []
    start = size = 0
    for number, text in enumerate(texts):
        size += len(text)
        if size >= least:
            chunks.append((start, number + 1))
            sizes.append(size)
            start, size = number + 1, 0
    if start < len(texts):
        chunks.append((start, len(texts)))
        sizes.append(size)
    total = max(1, sum(sizes))
    shares: list[list[int]] = [[] for _ in range(parts)]
    seen = 0
    for number, size in enumerate(sizes):
        shares[min(parts - 1, seen * parts // total)].append(number)
        seen += size
    return chunks, [part for part in shares if part]


class _Order:
    """The chunk this process reads next: its own share in order, then the last chunk not yet
    read of the share with the most left; None when every chunk is read. A child reads its share
    from the front and this process takes over from the back, so what is left of a share is one
    stretch between two cursors that only move inwards (linear in the number of chunks)."""

    def __init__(self, shares: list[list[int]]) -> None:
        self.own = shares[0]
        self.mine = 0  # the next of this process's own chunks
        self.others = shares[1:]
        self.left = [[0, len(part)] for part in self.others]  # [first, end) of what is not yet read

    def next(self, found: dict[int, list[list[Mention]]]) -> int | None:
        while self.mine < len(self.own):
            self.mine += 1
            if self.own[self.mine - 1] not in found:
                return self.own[self.mine - 1]
        for part, bounds in zip(self.others, self.left):
            while bounds[0] < bounds[1] and part[bounds[0]] in found:
                bounds[0] += 1
            while bounds[0] < bounds[1] and part[bounds[1] - 1] in found:
                bounds[1] -= 1
        most = max(range(len(self.left)), key=lambda k: self.left[k][1] - self.left[k][0], default=None)
        if most is None or self.left[most][0] == self.left[most][1]:
            return None
        self.left[most][1] -= 1
        return self.others[most][self.left[most][1]]


@dataclass
class _Child:
    pid: int
    read: int  # this process's end of the child's pipe
    buffer: bytearray = field(default_factory=bytearray)
    open: bool = True


def _fork(texts: list[str], chunks: list[tuple[int, int]], part: list[int], register: Register, context: Context) -> _Child | None:
    """A child reading the chunks `part`, or None when none could start."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    _widen(write)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: read its chunks, send each, and leave without running the parent's exit code
        status = 1
        try:
            os.close(read)
            for number in part:
                start, end = chunks[number]
                data = pickle.dumps([find_mentions(text, register, context) for text in texts[start:end]], protocol=pickle.HIGHEST_PROTOCOL)
                _write_all(write, _FRAME.pack(number, len(data)) + data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return _Child(pid, read)


def _widen(descriptor: int) -> None:
    # A child whose pipe is full waits until this process reads it, between two of its own
    # chunks: a larger pipe (Linux) lets the child go on meanwhile. Elsewhere the default stays.
    try:
        import fcntl

        fcntl.fcntl(descriptor, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _receive(children: list[_Child], found: dict[int, list[list[Mention]]]) -> None:
    """The chunks the children have sent so far, without waiting for more."""
    listening = [child for child in children if child.open]
    if not listening:
        return
    ready, _, _ = select.select([child.read for child in listening], [], [], 0)
    for child in listening:
        if child.read not in ready:
            continue
        data = os.read(child.read, 1 << 20)
        if not data:  # the child is done, or failed: what it did not send is read here
            child.open = False
            continue
        child.buffer += data
        while len(child.buffer) >= _FRAME.size:
            number, length = _FRAME.unpack_from(child.buffer)
            if len(child.buffer) < _FRAME.size + length:
                break
            mentions = pickle.loads(child.buffer[_FRAME.size : _FRAME.size + length])  # noqa: S301 - written by our own child, through a pipe only it and we hold
            found.setdefault(number, mentions)
            del child.buffer[: _FRAME.size + length]


def _stop(child: _Child) -> None:
    """A child no longer wanted (every chunk is read, or this process failed): stopped and reaped."""
    try:
        os.kill(child.pid, signal.SIGKILL)
    except OSError:
        pass
    os.close(child.read)
    os.waitpid(child.pid, 0)
