"""A large file's texts shared among forked processes: the same mentions and the same bytes as one
process gives, a failing or slow child's share read here, children reaped when this process fails."""

from __future__ import annotations

import os
import threading
import time

import pytest
from lxml import etree
from typer.testing import CliRunner

from tei_tools.annotate import workers
from tei_tools.annotate.mentions import find_mentions
from tei_tools.annotate.names import Context
from tei_tools.annotate.register import load_register
from tei_tools.cli import app
from tei_tools.encode.annotate_file import Options, annotate_bytes
from tei_tools.xmlio import NSMAP, parse_bytes

from .conftest import ROOT

REGISTER = load_register()
CONTEXT = Context("1964-10-20")
FIXTURES = sorted((ROOT / "tests" / "annotate").glob("*.xml"))
_HEAD = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
    "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>"
)
_PEOPLE = ("Zhou Enlai", "Kosygin", "Chen Yi", "Walter Ulbricht", "Ho Chi Minh", "Le Duan")
_PLACES = ("Moscow", "Hanoi", "Berlin", "Beijing", "Pyongyang")


def _texts() -> list[str]:
    """The paragraphs, heads and notes of the annotate fixtures: texts with names, dates and none."""
    found = []
    for path in FIXTURES:
        tree = parse_bytes(path.read_bytes())
        found += ["".join(e.itertext()) for e in tree.xpath("//tei:text//tei:p | //tei:text//tei:head | //tei:text//tei:note", namespaces=NSMAP)]
    return [text for text in found if text.strip()]


def _large() -> bytes:
    """About 150,000 characters of text in 1,200 different paragraphs."""
    body = "".join(
        f'<p xml:id="p{n}">{_PEOPLE[n % 6]} told {_PEOPLE[(n * 5 + 1) % 6]} in {_PLACES[n % 5]} on {n % 28 + 1} May {1950 + n % 30} '
        f"that the delegation of the Central Committee would leave for {_PLACES[(n + 2) % 5]} within {n} days, and asked for an answer.</p>"
        for n in range(1200)
    )
    return (_HEAD + body + "</body></text></TEI>").encode("utf-8")


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The pids of the children this process forks (a child's own count stays in the child)."""
    made: list[int] = []
    real = os.fork

    def counting() -> int:
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting)
    return made


@pytest.mark.parametrize("jobs", [2, 3, 5])
def test_shared_texts_give_what_one_process_gives(jobs, forks, monkeypatch):
    texts = _texts()
    assert len(texts) > 10
    alone = [find_mentions(text, REGISTER, CONTEXT) for text in texts]
    assert any(alone) and not all(alone)
    read_here: list[str] = []  # a child's list stays in the child

    def reading(text, register, context):
        read_here.append(text)
        return find_mentions(text, register, context)

    monkeypatch.setattr(workers, "find_mentions", reading)
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=jobs, share=1) == alone
    assert len(forks) == jobs - 1
    chunks, shares = workers._plan(texts, jobs)
    assert len(shares) == jobs and sorted(n for part in shares for n in part) == list(range(len(chunks)))
    own = [text for number in shares[0] for text in texts[slice(*chunks[number])]]
    assert 0 < len(own) < len(texts) and read_here[: len(own)] == own  # its own share first, in order


def test_a_slow_childs_share_is_read_here_and_the_child_stopped(monkeypatch, forks):
    here = os.getpid()
    waited: list[int] = []
    real_wait = os.waitpid

    def slow_elsewhere(text, register, context):
        if os.getpid() != here:
            time.sleep(30)  # as a child whose core another program has taken
        return find_mentions(text, register, context)

    def recording_wait(pid, options):
        waited.append(pid)
        return real_wait(pid, options)

    texts = _texts()
    alone = [find_mentions(t, REGISTER, CONTEXT) for t in texts]
    monkeypatch.setattr(workers, "find_mentions", slow_elsewhere)
    monkeypatch.setattr(os, "waitpid", recording_wait)
    started = time.perf_counter()
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=3, share=1) == alone
    assert time.perf_counter() - started < 10  # not waited for
    assert len(forks) == 2 and sorted(waited) == sorted(forks)


def test_a_chunk_sent_by_a_child_is_not_read_again_here(monkeypatch, forks):
    here = os.getpid()
    texts = list(dict.fromkeys(_texts()))
    chunks, shares = workers._plan(texts, 2)
    theirs = {text for number in shares[1] for text in texts[slice(*chunks[number])]}
    read_here: list[str] = []

    def slow_here(text, register, context):
        if os.getpid() == here:
            read_here.append(text)
            time.sleep(0.1)  # time enough for the child to read and send its share
        return find_mentions(text, register, context)

    monkeypatch.setattr(workers, "find_mentions", slow_here)
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=2, share=1) == [find_mentions(t, REGISTER, CONTEXT) for t in texts]
    assert len(forks) == 1 and theirs and not theirs & set(read_here)


def test_a_share_too_small_for_a_worker_is_read_here(forks):
    texts = _texts()
    total = sum(map(len, texts))
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=4, share=total) == [find_mentions(t, REGISTER, CONTEXT) for t in texts]
    assert forks == []
    workers.find_all(texts, REGISTER, CONTEXT, jobs=4, share=total // 2)
    assert len(forks) == 1  # two shares of half the text: one child


def test_a_failing_child_leaves_its_share_to_this_process(monkeypatch, forks):
    here = os.getpid()

    def failing_elsewhere(text, register, context):
        if os.getpid() != here:
            raise RuntimeError("a child that breaks")
        return find_mentions(text, register, context)

    texts = _texts()
    monkeypatch.setattr(workers, "find_mentions", failing_elsewhere)
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=3, share=1) == [find_mentions(t, REGISTER, CONTEXT) for t in texts]
    assert len(forks) == 2


def test_an_error_here_surfaces_and_every_child_is_reaped(monkeypatch, forks):
    here = os.getpid()
    waited: list[int] = []
    real_wait = os.waitpid

    def breaking_here(text, register, context):
        if os.getpid() == here:
            raise ValueError("a defect met in this process's share")
        return find_mentions(text, register, context)

    def recording_wait(pid, options):
        waited.append(pid)
        return real_wait(pid, options)

    monkeypatch.setattr(workers, "find_mentions", breaking_here)
    monkeypatch.setattr(os, "waitpid", recording_wait)
    with pytest.raises(ValueError, match="this process's share"):
        workers.find_all(_texts(), REGISTER, CONTEXT, jobs=3, share=1)
    assert len(forks) == 2 and sorted(waited) == sorted(forks)


def test_no_fork_where_the_system_has_none_or_threads_run(monkeypatch, forks):
    texts = _texts()
    alone = [find_mentions(t, REGISTER, CONTEXT) for t in texts]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers.find_all(texts, REGISTER, CONTEXT, jobs=3, share=1) == alone
    finally:
        stop.set()
        other.join()
    assert forks == []
    monkeypatch.delattr(os, "fork")
    assert workers.find_all(texts, REGISTER, CONTEXT, jobs=3, share=1) == alone


def test_a_large_file_gives_the_same_bytes_with_workers(forks):
    data = _large()
    alone = annotate_bytes(data, "large.xml", REGISTER, Options(jobs=1))
    assert forks == [] and alone.changed and not alone.problems
    shared = annotate_bytes(data, "large.xml", REGISTER, Options(jobs=3))
    assert len(forks) == 2
    assert shared.data == alone.data and shared.tagged == alone.tagged
    assert etree.fromstring(shared.data) is not None


def test_the_command_shares_a_large_file_by_default_and_not_with_one_job(tmp_path, forks):
    source = tmp_path / "large.xml"
    source.write_bytes(_large())
    runner = CliRunner()
    one = runner.invoke(app, ["annotate", "--dry-run", "-j", "1", str(source)])
    assert one.exit_code == 0, one.output
    assert forks == []
    several = runner.invoke(app, ["annotate", "--dry-run", "-j", "2", str(source)])
    assert len(forks) == 1
    assert several.stdout_bytes == one.stdout_bytes and b"<persName ref=" in one.stdout_bytes
    default = runner.invoke(app, ["annotate", "--dry-run", str(source)])
    assert default.stdout_bytes == one.stdout_bytes
    if len(os.sched_getaffinity(0)) > 1:
        assert len(forks) > 1  # one per core, as far as the text goes


def _folder(tmp_path):
    """Copies of the fixtures, a file that is no XML, and two inputs bound for one output."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(3):
        for path in FIXTURES:
            (folder / f"{number}-{path.name}").write_bytes(path.read_bytes())
    (folder / "broken.xml").write_bytes(b"<TEI><text>unclosed")
    return folder


def _outcome(results) -> list[tuple]:
    return [(r.source, r.status, r.target, r.message, [str(p) for p in r.problems], r.diff, r.annotated.data if r.annotated else None) for r in results]


@pytest.mark.parametrize("dry_run", [False, True])
def test_files_shared_among_processes_give_the_same_results_in_order(tmp_path, forks, dry_run):
    from tei_tools.encode.annotate_batch import annotate_paths

    folder = _folder(tmp_path)
    twice = [str(folder), str(folder / "0-letters.xml")]  # the second goes where the folder's copy went
    alone = _outcome(annotate_paths(twice, REGISTER, Options(jobs=1), out_dir=tmp_path / "one", dry_run=dry_run))
    assert forks == []
    shared = _outcome(annotate_paths(twice, REGISTER, Options(jobs=2), out_dir=tmp_path / "two", dry_run=dry_run))
    assert len(forks) == 2  # the pool's two workers
    same = [(a[0], a[1], a[3], [p.replace("/one/", "/two/") for p in a[4]], a[5].replace(b"/one/", b"/two/"), a[6]) for a in alone]
    assert [(b[0], b[1], b[3], b[4], b[5], b[6]) for b in shared] == same
    statuses = {a[1] for a in alone}
    assert ("would-write" if dry_run else "written") in statuses and "error" in statuses
    if not dry_run:
        for written in (tmp_path / "one").iterdir():
            assert (tmp_path / "two" / written.name).read_bytes() == written.read_bytes()


def test_the_command_shares_a_folder_and_a_shared_register(tmp_path, forks):
    folder = _folder(tmp_path)
    runner = CliRunner()
    one = runner.invoke(app, ["annotate", "-j", "1", "-o", str(tmp_path / "one"), "--register-out", str(tmp_path / "one.xml"), str(folder)])
    two = runner.invoke(app, ["annotate", "-j", "2", "-o", str(tmp_path / "two"), "--register-out", str(tmp_path / "two.xml"), str(folder)])
    assert one.exit_code == two.exit_code == 2  # the broken file
    assert two.stdout.replace("/two", "/one") == one.stdout and len(forks) == 2
    assert (tmp_path / "two.xml").read_bytes() == (tmp_path / "one.xml").read_bytes()
    assert b"<person " in (tmp_path / "one.xml").read_bytes()


def test_a_worker_that_dies_leaves_its_files_to_this_process(tmp_path, monkeypatch):
    from tei_tools.encode import annotate_batch

    folder = _folder(tmp_path)
    alone = _outcome(annotate_batch.annotate_paths([str(folder)], REGISTER, Options(jobs=1), dry_run=True))
    here = os.getpid()
    real = annotate_batch._annotate_one

    def dying_elsewhere(work, task):
        if os.getpid() != here and task[0].endswith("1-letters.xml"):
            os._exit(70)  # as a crash in a C library would end it
        return real(work, task)

    monkeypatch.setattr(annotate_batch, "_annotate_one", dying_elsewhere)
    assert _outcome(annotate_batch.annotate_paths([str(folder)], REGISTER, Options(jobs=2), dry_run=True)) == alone
