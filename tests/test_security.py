"""Hostile XML: every attack gives a clear problem at once, reads no file and opens no connection."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tei_tools.validate import Config, validate_bytes, validate_file
from tei_tools.xmlio import MAX_FILE_BYTES

from .conftest import TESTS

SECURITY = TESTS / "security"
EXPECTED = {
    "billion-laughs": "XML002",
    "quadratic-blowup": "XML002",
    "external-entity-file": "XML002",
    "external-entity-url": "XML002",
    "parameter-entity": "XML002",
    "external-dtd": "XML002",
    "xinclude": "XML004",
    "schema-location": "XML006",
    "deep-nesting": "XML005",
    "very-deep-nesting": "XML005",
    "doctype-after-comment": "XML002",
    "doctype-after-pi": "XML002",
    "doctype-past-64k": "XML002",
    "doctype-utf-32": "XML002",
    "xinclude-2003": "XML004",
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to connect from this process fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_every_attack_file_has_an_expectation() -> None:
    assert {p.stem for p in SECURITY.glob("*.xml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_attack_gives_clear_problem_fast_and_small(name: str) -> None:
    data = (SECURITY / f"{name}.xml").read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    problems = validate_bytes(data, name, Config.build())
    elapsed = time.perf_counter() - started
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert EXPECTED[name] in {p.code for p in problems}, [str(p) for p in problems]
    assert elapsed < 1.0
    assert grown_kib < 100 * 1024
    for problem in problems:
        assert problem.line >= 1 and problem.message
        assert "root:" not in problem.message  # nothing of /etc/passwd leaks into a message


XINCLUDE = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="{ns}"><text><body><xi:include href="x.xml"/></body></text></TEI>'


@pytest.mark.parametrize(
    "data",
    [
        XINCLUDE.format(ns="http://www.w3.org/2001/&#88;Include").encode(),  # name hidden by a character reference
        XINCLUDE.format(ns="http://www.w3.org/2001/XInclude").encode("utf-16"),  # bytes that are not ASCII
        ('<?xml version="1.0" encoding="UTF-16"?>' + XINCLUDE.format(ns="http://www.w3.org/2001/XInclude")).encode("utf-16"),
    ],
    ids=["character-reference", "utf-16", "utf-16-declared"],
)
def test_xinclude_found_however_spelt(data: bytes) -> None:
    assert "XML004" in {p.code for p in validate_bytes(data, "x.xml", Config.build())}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_depth_found_in_any_encoding(encoding: str) -> None:
    """The bytes spare the depth walk only when they prove the tree is shallow."""
    deep = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>' + "<hi>" * 160 + "x" + "</hi>" * 160 + "</p></body></text></TEI>"
    assert "XML005" in {p.code for p in validate_bytes(deep.encode(encoding), "deep.xml", Config.build())}
    shallow = deep.replace("<hi>" * 160, "<hi>" * 100).replace("</hi>" * 160, "</hi>" * 100)
    assert "XML005" not in {p.code for p in validate_bytes(shallow.encode(encoding), "shallow.xml", Config.build())}


def test_very_large_file_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.xml"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    started = time.perf_counter()
    result = validate_file(str(big), Config.build())
    assert time.perf_counter() - started < 1.0
    assert [p.code for p in result.problems] == ["XML003"]
    assert "larger than the limit" in result.problems[0].message


def test_batch_goes_on_after_attacks() -> None:
    from tei_tools.validate import validate_paths

    paths = [str(SECURITY / "billion-laughs.xml"), str(TESTS.parent / "encoded" / "119037.xml"), str(SECURITY / "xinclude.xml")]
    results = list(validate_paths(paths, Config.build()))
    assert [bool(r.errors) for r in results] == [True, False, True]


SCRIPT = """
import sys
from tei_tools.validate import Config, validate_bytes
print([p.code for p in validate_bytes(open(sys.argv[1], 'rb').read(), sys.argv[1], Config.build())])
"""


def _run_isolated(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, timeout=20, check=False)


def test_no_local_file_is_opened(tmp_path: Path) -> None:
    """Entities point at a FIFO with no writer: opening it would block, so finishing proves it was not opened."""
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    for template in (
        '<!DOCTYPE TEI [ <!ENTITY s SYSTEM "file://{0}"> ]><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&s;</p></body></text></TEI>',
        '<!DOCTYPE TEI [ <!ENTITY % p SYSTEM "file://{0}"> %p; ]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        '<!DOCTYPE TEI SYSTEM "file://{0}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file://{0}" parse="text"/></TEI>',
        '<!-- first --><!DOCTYPE TEI SYSTEM "file://{0}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        '<?xml-model href="x"?><!DOCTYPE TEI [ <!ENTITY % p SYSTEM "file://{0}"> %p; ]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        "<!--" + "x" * 70_000 + '--><!DOCTYPE TEI SYSTEM "file://{0}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        "<?pi " + "y" * 70_000 + '?><!DOCTYPE TEI [ <!ENTITY % p SYSTEM "file://{0}"> %p; ]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        "utf-32:" + '<!DOCTYPE TEI SYSTEM "file://{0}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
        "utf-16-le:" + '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE TEI SYSTEM "file://{0}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
    ):
        case = tmp_path / "case.xml"
        encoding, _, body = template.partition(":") if template.startswith("utf-") else ("utf-8", "", template)
        case.write_bytes(body.format(fifo).encode(encoding))
        result = _run_isolated(case)
        assert result.returncode == 0, result.stderr
        assert "XML00" in result.stdout


def test_no_connection_is_opened(tmp_path: Path) -> None:
    """A listening socket on loopback stays without a connection while hostile files are checked."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    port = server.getsockname()[1]
    try:
        for template in (
            '<!DOCTYPE TEI [ <!ENTITY r SYSTEM "http://127.0.0.1:{0}/x"> ]><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&r;</p></body></text></TEI>',
            '<!DOCTYPE TEI [ <!ENTITY % r SYSTEM "http://127.0.0.1:{0}/x.dtd"> %r; ]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
            '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{0}/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
            '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.tei-c.org/ns/1.0 http://127.0.0.1:{0}/s.xsd"><teiHeader/></TEI>',
        ):
            case = tmp_path / "case.xml"
            case.write_text(template.format(port))
            result = _run_isolated(case)
            assert result.returncode == 0, result.stderr
            with pytest.raises(BlockingIOError):
                server.accept()
    finally:
        server.close()


def test_package_has_no_stray_parser_calls() -> None:
    """Only xmlio builds a parser: no module parses with lxml's defaults."""
    import re

    package = TESTS.parent / "tei_tools"
    pattern = re.compile(r"etree\.(parse|fromstring|XML|XMLParser|iterparse)\(")
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        if path.name != "xmlio.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("data,message", [
    (b"", "document is empty"),
    (b"\x00\x01\x02\xff", "binary data"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&#0;</p></TEI>', "character number 0 is not allowed"),
    (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>\xc3\x28</p></TEI>', "bytes that are not UTF-8 (line 1: 0xC3 0x28"),
])
def test_broken_files_get_a_clear_reading_problem(data: bytes, message: str) -> None:
    problems = validate_bytes(data, "broken.xml", Config.build())
    assert [p.code for p in problems] == ["XML001"]
    assert message in problems[0].message and not problems[0].message.startswith("xml")


def test_unreadable_path_is_io001(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.xml"
    folder.mkdir()
    result = validate_file(str(folder), Config.build())
    assert result.unreadable and [p.code for p in result.problems] == ["IO001"]


# --- The same attacks through `validate --jing`: jing is a Java parser that would load DTDs,
# external entities and XIncludes, so it must only ever see what the hardened parser passed.

class _Listener:
    """A server on 127.0.0.1 that counts connections and what they send; it stops by itself."""

    def __init__(self, lifetime: float = 60.0) -> None:
        import threading

        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                connection, _ = self.server.accept()
            except (socket.timeout, OSError):
                continue
            with connection:
                connection.settimeout(1.0)
                try:
                    self.received.append(connection.recv(4096) or b"(connected)")
                    connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/xml-dtd\r\n\r\n<!ENTITY x 'y'>")
                except OSError:
                    self.received.append(b"(connected)")
        self.server.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


HOSTILE = {
    "remote-dtd": '<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
    "remote-entity": '<!DOCTYPE TEI [ <!ENTITY r SYSTEM "http://127.0.0.1:{port}/x"> ]><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&r;</p></body></text></TEI>',
    "exfiltrate": '<!DOCTYPE TEI [ <!ENTITY % file SYSTEM "file://{secret}"> <!ENTITY % dtd SYSTEM "http://127.0.0.1:{port}/send.dtd"> %dtd; ]><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
    "remote-xinclude": '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://127.0.0.1:{port}/x.xml"/></TEI>',
    "old-xinclude": '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2003/XInclude"><xi:include href="http://127.0.0.1:{port}/x.xml"/></TEI>',
    "local-xinclude": '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file://{secret}" parse="text"/></TEI>',
    "doctype-after-comment": '<!-- a comment first --><!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
    "doctype-after-pi": '<?xml-model href="x"?><!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
    "doctype-past-64k": "<!--" + "x" * 70_000 + '--><!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/tei.dtd"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>',
}


def _bounded(command: list[str], timeout: float = 60.0) -> subprocess.CompletedProcess:
    """Run a command in its own process group; on timeout the whole group (jing too) is killed."""
    import signal

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"{' '.join(command[:6])}... did not finish within {timeout} s") from None
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _jing_cli(*args: str) -> subprocess.CompletedProcess:
    return _bounded([sys.executable, "-m", "tei_tools", "validate", "--jing", *args])


@pytest.fixture
def jing_installed() -> None:
    import shutil

    if shutil.which("jing") is None:
        pytest.skip("jing is not installed (Debian package 'jing'); --jing not tested")


def test_jing_sees_nothing_the_parser_refuses(tmp_path: Path, jing_installed: None) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 the secret\n")
    listener = _Listener()
    cases = tmp_path / "cases"
    cases.mkdir()
    try:
        for name, template in HOSTILE.items():
            (cases / f"{name}.xml").write_text(template.format(port=listener.port, secret=secret))
        (cases / "utf-32.xml").write_bytes(HOSTILE["remote-dtd"].format(port=listener.port).encode("utf-32"))
        for name in EXPECTED:
            (cases / f"attack-{name}.xml").write_bytes((SECURITY / f"{name}.xml").read_bytes())
        good = cases / "zz-good.xml"
        good.write_bytes((TESTS.parent / "encoded" / "119037.xml").read_bytes())
        started = time.perf_counter()
        result = _jing_cli("--format", "json", str(cases))
        elapsed = time.perf_counter() - started
    finally:
        listener.stop()
    import json

    report = {Path(entry["path"]).stem: {p["code"] for p in entry["problems"]} for entry in json.loads(result.stdout)["files"]}
    assert listener.received == []
    assert elapsed < 30, elapsed  # billion laughs once took 40 s under jing
    assert report.pop("zz-good") == set()
    for name, codes in report.items():
        assert codes & {"XML001", "XML002", "XML004", "XML005", "XML006"}, (name, codes)
    assert result.returncode == 1
    assert "root:x" not in result.stdout + result.stderr


def test_jing_never_opens_a_local_file(tmp_path: Path, jing_installed: None) -> None:
    """The entity points at a FIFO with no writer: had jing opened it, the run would hang."""
    fifo = tmp_path / "secret.fifo"
    os.mkfifo(fifo)
    case = tmp_path / "case.xml"
    case.write_text(f'<!DOCTYPE TEI SYSTEM "file://{fifo}"><TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    good = tmp_path / "good.xml"
    good.write_bytes((TESTS.parent / "encoded" / "119037.xml").read_bytes())
    done = _jing_cli(str(case), str(good))
    assert done.returncode == 1, done.stderr
    assert "XML002" in done.stdout and "good.xml" not in done.stdout


def test_one_fatal_copy_does_not_stop_the_others(jing_installed: None) -> None:
    from tei_tools.validate.jing import check_copies
    from tei_tools.validate.grammar import bundled_schema_path

    bad = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><x/></TEI>'
    broken = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><x/>'
    results = check_copies(bundled_schema_path("rng"), [broken, bad, broken, bad])
    assert [any(code == "SCH000" and "could not read" in message for _, _, code, message in found) for found in results] == [True, False, True, False]
    assert all(any(code == "SCH001" for _, _, code, _ in results[n]) for n in (1, 3))
