"""Work on many files shared among forked processes, the results in input order, whatever a worker does."""

# Forked, so that workers inherit what the parent prepared (a compiled schema, the register)
# without pickling it. A multiprocessing.Pool waits for ever for the result of a worker that died
# (a crash inside a C library, a signal); the executor reports it instead, and the items left are
# then done in this process, so that a batch ends either way. Only a few chunks are handed out
# ahead of the one being given back: a caller that is slow to take the results (a diff piped to
# a pager) does not make the workers pile up every result of a corpus in memory.

from __future__ import annotations

import os
import signal
from collections import deque
from typing import Any, Callable, Iterator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Chunks handed out per worker ahead of the one being given back.
AHEAD = 2


def in_order(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    jobs: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    chunksize: int = 1,
) -> Iterator[Result]:
    """function(item) for each item, in order, in up to `jobs` forked workers, each set up by
    `initializer(*initargs)` (a module-level function, sent to the workers by name). When a worker
    dies, the items not yet given back are done here (after `initializer` has run here too)."""
    from concurrent.futures.process import BrokenProcessPool

    size = max(1, chunksize)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    done = 0
    pool = _pool(jobs, initializer, initargs)
    if pool is not None:
        try:
            handed = deque(pool.submit(_apply, function, chunk) for chunk in chunks[: AHEAD * max(1, jobs)])
            following = len(handed)
            while handed:
                results = handed.popleft().result()
                if following < len(chunks):
                    handed.append(pool.submit(_apply, function, chunks[following]))
                    following += 1
                for result in results:
                    done += 1
                    yield result
        except (BrokenProcessPool, OSError):
            pass  # a worker died, or none could be forked: the items left are done here
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    if done < len(items):
        initializer(*initargs)
        for item in items[done:]:
            yield function(item)


def _pool(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Any:
    """A pool of forked workers, or None where the system gives none (no fork; no working
    semaphores, as in containers without /dev/shm)."""
    # Imported here: they cost a command that shares nothing some 20 ms of start-up.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        return ProcessPoolExecutor(max(1, jobs), mp_context=multiprocessing.get_context("fork"), initializer=_start, initargs=(initializer, initargs))
    except (OSError, ImportError, NotImplementedError, ValueError):
        return None


def _apply(function: Callable[[Item], Result], chunk: Sequence[Item]) -> list[Result]:
    return [function(item) for item in chunk]


def _start(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    # Ctrl-C reaches the whole process group: the main process stops the run and says so; a
    # worker just ends, without a traceback of where it was waiting.
    signal.signal(signal.SIGINT, _end)
    initializer(*initargs)


def _end(signum: int, _frame: object) -> None:
    os._exit(128 + signum)
