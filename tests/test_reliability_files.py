"""OS trouble is a problem line, never a crash: special files, links, full disks, odd folders."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tei_tools.cli import app
from tei_tools.convert import MANIFEST, convert_paths

from .conftest import ROOT, SAMPLE

GOOD = ROOT / "encoded" / "119037.xml"
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args))


def _pages(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample page, each with its own Record ID."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        page = folder / f"p{number:03d}.txt"
        page.write_text(text.replace("\n119037\n", f"\n{900000 + number}\n"), encoding="utf-8")
        paths.append(page)
    return paths


# --- special files and links


def test_devices_fifos_and_sockets_are_refused_unread(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.xml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        started = time.perf_counter()
        result = cli("validate", "/dev/zero", str(tmp_path), str(GOOD))
        assert time.perf_counter() - started < 10
    finally:
        server.close()
    assert result.exit_code == 2
    for name in ("/dev/zero", "pipe.xml", "s.xml"):
        assert any(name in line and "IO001" in line and "not a regular file" in line for line in result.stdout.splitlines()), result.stdout


def test_convert_refuses_a_device(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = cli("convert", "/dev/zero", str(SAMPLE), "-o", str(tmp_path / "out"))
    assert time.perf_counter() - started < 20
    assert result.exit_code == 2
    assert "error: /dev/zero: not a regular file" in result.stderr
    assert (tmp_path / "out" / "119037.xml").exists()


def test_links_out_of_the_folder_are_not_followed_unless_asked(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.xml").write_bytes(GOOD.read_bytes())
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inside.xml").write_bytes(GOOD.read_bytes())
    (folder / "link.xml").symlink_to(outside / "secret.xml")
    (folder / "loop.xml").symlink_to(folder / "loop.xml")
    result = cli("validate", "--format", "json", str(folder))
    checked = {Path(entry["path"]).name: [p["code"] for p in entry["problems"]] for entry in json.loads(result.stdout)["files"]}
    assert checked["inside.xml"] == []
    assert checked["link.xml"] == ["IO002"]  # named, not read
    assert "IO001" in checked["loop.xml"]
    followed = cli("validate", "--format", "json", "--follow-links", str(folder / "inside.xml"), str(folder / "link.xml"))
    assert all(entry["problems"] == [] for entry in json.loads(followed.stdout)["files"])
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "elsewhere.txt").symlink_to(SAMPLE)
    assert [r.status for r in convert_paths([pages], tmp_path / "out")] == []
    assert [r.status for r in convert_paths([pages], tmp_path / "out", follow_links=True)] == ["written"]


# --- writing


def test_written_files_get_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        list(convert_paths([SAMPLE], tmp_path / "out"))
    finally:
        os.umask(old)
    for path in (tmp_path / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_output_that_is_a_file_or_a_folder_in_the_way(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("mine")
    result = cli("convert", str(SAMPLE), "-o", str(a_file))
    assert result.exit_code == 2 and "names an existing file; give a folder" in result.stderr and a_file.read_text() == "mine"
    out = tmp_path / "out"
    (out / "900000.xml").mkdir(parents=True)
    pages = _pages(tmp_path / "pages", 2)
    result = cli("convert", *map(str, pages), "-o", str(out))
    assert result.exit_code == 2
    assert "900000.xml" in result.stderr and (out / "900001.xml").is_file()


def test_name_too_long_and_unwritable_folder(tmp_path: Path, monkeypatch) -> None:
    pages = _pages(tmp_path / "pages", 2)
    pages[0].write_text(pages[0].read_text().replace("\n900000\n", "\n" + "9" * 300 + "\n"))
    result = cli("convert", *map(str, pages), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "File name too long" in result.stderr and (tmp_path / "out" / "900001.xml").exists()

    real_mkstemp = __import__("tempfile").mkstemp

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("tempfile.mkstemp", read_only)
    result = cli("convert", str(pages[1]), "-o", str(tmp_path / "out2"))
    monkeypatch.setattr("tempfile.mkstemp", real_mkstemp)
    assert result.exit_code == 2 and "Read-only file system" in result.stderr


def test_non_utf8_file_name_with_strict_utf8_output(tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.xml")
    with open(odd, "wb") as handle:
        handle.write(b"<not-closed>")
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict")
    done = subprocess.run([sys.executable, "-m", "tei_tools", "validate", str(folder)], capture_output=True, env=env, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr and b"XML001" in done.stdout


# --- the hand-edit record


def _manifest_digests(folder: Path) -> dict[str, str]:
    from tei_tools.encode.record import read_record

    return read_record(folder)


def test_record_is_written_as_each_file_is(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 3)
    out = tmp_path / "out"
    results = convert_paths(pages, out)
    first = next(results)
    assert first.status == "written"
    assert (out / "900000.xml").name in _manifest_digests(out)  # before the run ends
    list(results)


def test_full_disk_leaves_no_own_file_counted_as_edited(tmp_path: Path, monkeypatch) -> None:
    pages = _pages(tmp_path / "pages", 4)
    out = tmp_path / "out"
    assert cli("convert", *map(str, pages), "-o", str(out)).exit_code == 0
    for page in pages:  # a new version of every page
        page.write_text(page.read_text().replace("Notes appended", "Notes appended later"))
    real_write = os.write
    calls = {"n": 0}

    def filling(fd, data):
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", filling)
    full = cli("convert", *map(str, pages), "-o", str(out))
    monkeypatch.setattr(os, "write", real_write)
    assert full.exit_code == 2 and "No space left on device" in full.stderr
    assert "Traceback" not in full.output
    again = cli("convert", *map(str, pages), "-o", str(out))
    assert again.exit_code == 0, again.output
    assert "changed after tei-tools wrote it" not in again.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


KILLER = """
import os, sys, signal
from pathlib import Path
from tei_tools.convert import convert_paths
real_replace, renames = os.replace, [0]
def replace(*args, **kwargs):  # killed with the temporary file written, before its rename
    renames[0] += 1
    if renames[0] == int(os.environ.get("KILL_IN_RENAME", "0")):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(*args, **kwargs)
os.replace = replace
count = 0
for result in convert_paths([Path(p) for p in sys.argv[2:]], sys.argv[1]):
    count += 1
    if count == int(os.environ["KILL_AFTER"]):
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_kill_9_leaves_no_own_file_counted_as_edited(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 6)
    out = tmp_path / "out"
    for kill_after, kill_in_rename in ((2, 0), (99, 4), (5, 0), (99, 2)):
        env = dict(os.environ, KILL_AFTER=str(kill_after), KILL_IN_RENAME=str(kill_in_rename))
        done = subprocess.run([sys.executable, "-c", KILLER, str(out), *map(str, pages)], env=env, timeout=120, check=False, capture_output=True)
        assert done.returncode == -signal.SIGKILL
        for page in pages:
            page.write_text(page.read_text().replace("Notes appended", "Notes appended x"))
    again = cli("convert", *map(str, pages), "-o", str(out))
    assert again.exit_code == 0, again.output
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_two_runs_into_one_folder(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 12)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "tei_tools", "convert", "-o", str(out)]
    first = subprocess.Popen([*command, *map(str, pages[:8])], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen([*command, *map(str, pages[4:])], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=120) == 0, first.stderr.read()
    assert second.wait(timeout=120) == 0, second.stderr.read()
    record = _manifest_digests(out)
    assert sorted(record) == sorted(f"{900000 + n}.xml" for n in range(12))
    again = cli("convert", *map(str, pages), "-o", str(out))
    assert again.exit_code == 0 and again.stdout.count("unchanged") == 12, again.output


def test_force_never_loses_a_backup(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("convert", str(SAMPLE), "-o", str(out)).exit_code == 0
    target = out / "119037.xml"
    (out / "119037.xml.bak").write_text("my own backup")
    target.write_text("first hand edit")
    assert cli("convert", str(SAMPLE), "-o", str(out), "--force").exit_code == 0
    target.write_text("second hand edit")
    assert cli("convert", str(SAMPLE), "-o", str(out), "--force").exit_code == 0
    kept = sorted(p.read_text() for p in out.iterdir() if ".bak" in p.name)
    assert kept == ["first hand edit", "my own backup", "second hand edit"]
