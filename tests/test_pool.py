"""Files shared among forked workers: results in input order, and a batch that ends when a worker
dies (the files left are done in the main process) for convert, validate and annotate alike."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tei_tools.encode import batch
from tei_tools.pool import in_order
from tei_tools.validate import pipeline

from .conftest import ROOT

_STATE: dict[str, int] = {}
PARENT = os.getpid()


def _set(offset: int) -> None:
    _STATE["offset"] = offset


def _add(item: int) -> tuple[int, int]:
    return item, item + _STATE["offset"]


def _dies_on_seven(item: int) -> tuple[int, int]:
    if item == 7 and os.getpid() != PARENT:
        os._exit(70)  # as a crash inside a C library ends a process
    return _add(item)


def _fails_on_three(item: int) -> int:
    if item == 3:
        raise ValueError("three")
    return item


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_come_in_input_order(jobs):
    items = list(range(40))
    assert list(in_order(_add, items, jobs=jobs, initializer=_set, initargs=(100,), chunksize=3)) == [(i, i + 100) for i in items]


def _mark(item: int) -> int:
    (_MARKS / str(item)).touch()  # a worker's count stays in the worker: files tell this process
    return item


_MARKS = Path()


def test_a_slow_reader_of_the_results_holds_back_the_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "_MARKS", tmp_path)
    results = in_order(_mark, list(range(200)), jobs=2, initializer=_set, initargs=(0,))
    assert next(results) == 0
    time.sleep(0.5)  # time for the workers to do all 200, were they let
    assert len(list(tmp_path.iterdir())) <= 1 + 2 * 2 + 1  # the one taken, the chunks handed out ahead, one more
    assert list(results) == list(range(1, 200))


def test_a_worker_that_dies_leaves_the_rest_to_this_process():
    items = list(range(30))
    _STATE.clear()  # only the workers' set-up has run so far: the fallback must run it here
    assert list(in_order(_dies_on_seven, items, jobs=2, initializer=_set, initargs=(5,))) == [(i, i + 5) for i in items]


def _interrupt_handler(_item: int) -> bool:
    import signal

    return signal.getsignal(signal.SIGINT) is not signal.default_int_handler


def test_ctrl_c_ends_a_worker_quietly_and_leaves_the_main_process_to_stop_the_run():
    assert list(in_order(_interrupt_handler, [0, 1], jobs=2, initializer=_set, initargs=(0,))) == [True, True]


def test_a_system_that_gives_no_pool_or_no_fork_gets_the_work_done_here(monkeypatch):
    import concurrent.futures

    def no_semaphores(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # as multiprocessing says without /dev/shm

    items = list(range(12))
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    assert list(in_order(_add, items, jobs=2, initializer=_set, initargs=(3,))) == [(i, i + 3) for i in items]
    monkeypatch.undo()

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert list(in_order(_add, items, jobs=2, initializer=_set, initargs=(4,))) == [(i, i + 4) for i in items]


def test_an_error_in_a_worker_is_raised_here():
    with pytest.raises(ValueError, match="three"):
        list(in_order(_fails_on_three, list(range(8)), jobs=2, initializer=_set, initargs=(0,)))


def test_validate_ends_its_batch_when_a_worker_dies(monkeypatch):
    files = sorted(str(path) for path in (ROOT / "tests" / "cases").rglob("*.xml"))[:12]
    assert len(files) >= 6
    config = pipeline.Config.build()
    alone = [(r.path, [str(p) for p in r.problems]) for r in pipeline.validate_paths(files, config)]
    real = pipeline.validate_file

    def dying(path, config):
        if os.getpid() != PARENT and path == files[3]:
            os._exit(70)
        return real(path, config)

    monkeypatch.setattr(pipeline, "validate_file", dying)
    assert [(r.path, [str(p) for p in r.problems]) for r in pipeline.validate_paths(files, config, jobs=2)] == alone


_PAGES = sorted((ROOT / "tests" / "golden").glob("*.txt"))[:6]
_REAL_CONVERT = batch._convert_in_memory


def _convert_dying_on_the_third(path):
    # Module-level: the pool sends the function to its workers by name.
    if os.getpid() != PARENT and path == _PAGES[2]:
        os._exit(70)
    return _REAL_CONVERT(path)


def test_convert_ends_its_batch_when_a_worker_dies(monkeypatch, tmp_path):
    assert len(_PAGES) == 6
    alone = [(r.source, r.status, r.message) for r in batch.convert_paths(_PAGES, tmp_path / "one")]
    assert {status for _, status, _ in alone} == {"written"}
    monkeypatch.setattr(batch, "_convert_in_memory", _convert_dying_on_the_third)
    assert [(r.source, r.status, r.message) for r in batch.convert_paths(_PAGES, tmp_path / "two", jobs=2)] == alone
    for written in (tmp_path / "one").glob("*.xml"):
        assert (tmp_path / "two" / written.name).read_bytes() == written.read_bytes()
