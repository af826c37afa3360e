"""Benchmark: annotating one large TEI file, the stage alone and the whole command.

    python bench/annotate.py [--kb 500] [--repeat 5] [--file FILE.xml ...]

Builds a TEI file of about --kb kilobytes from the documents of the annotate fixtures (each
copy with its own ids, names and dates drawn from the register and a seeded generator), then
times `annotate_bytes` in this process (parse, scan, finders, patch, the output's own check;
the register loaded beforehand) and `tei-tools annotate --dry-run` as its own process (start-up,
register, the same work, the diff), each in one process (`-j 1`) and with the texts shared among
the cores (the command's default). The fastest of --repeat runs counts: other work on a shared
machine only ever slows a run down. With --file, a TEI file of your own (another project's
edition, say) is timed instead of the built one; with several, one file made of the first with
the bodies of all of them in turn (three novels of 150-250 KB make one of 500 KB, say).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_tools.annotate.register import load_register  # noqa: E402
from tei_tools.encode.annotate_file import Options, annotate_bytes  # noqa: E402

FIXTURE = ROOT / "tests" / "annotate" / "documentary.xml"


# What each copy of the fixture's documents varies: every name and date in them, drawn anew
# at each occurrence, so that the texts of the built file are nearly all different (a file
# that repeats its paragraphs would flatter the finders, which read each text once).
_PERSONS = ("Zhou Enlai", "Chen Yi", "Nikita Khrushchev", "Leonid Brezhnev", "Kosygin", "Ho Chi Minh", "Kim Il Sung", "Walter Ulbricht", "Le Duan", "Stepan Chervonenko")
_PLACES = ("Moscow", "Beijing", "Hanoi", "Pyongyang", "Berlin")
_DATES = re.compile(r"\b(?:[1-9]|[12]\d|30) (?:October|November|December) 1964\b|\bDecember 1964\b")
_NUMBERS = re.compile(r"\b109-02678-04\b")


def build(kilobytes: int, seed: int = 7) -> bytes:
    """A documentary edition of about `kilobytes` KB: the fixture's documents, varied and repeated."""
    source = FIXTURE.read_text(encoding="utf-8")
    head, rest = source.split("<body>", 1)
    documents, tail = rest.rsplit("</body>", 1)
    register = load_register()
    people = sorted(entry.preferred for entry in register.entries.values() if entry.kind == "person")
    places = sorted(entry.preferred for entry in register.entries.values() if entry.kind == "place")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    rng = random.Random(seed)
    persons_re = re.compile(r"\b(?:" + "|".join(map(re.escape, _PERSONS)) + r")\b")
    places_re = re.compile(r"\b(?:" + "|".join(map(re.escape, _PLACES)) + r")\b")
    parts: list[str] = []
    size = len(head) + len(tail)
    number = 0
    while size < kilobytes * 1024:
        number += 1
        copy = re.sub(r'xml:id="(d\d+(?:fn\d+)?)"', lambda m: f'xml:id="{m.group(1)}-{number}"', documents)
        copy = persons_re.sub(lambda _m: rng.choice(people), copy)
        copy = places_re.sub(lambda _m: rng.choice(places), copy)
        copy = _DATES.sub(lambda _m: f"{rng.randint(1, 28)} {rng.choice(months)} {rng.randint(1945, 1991)}", copy)
        copy = _NUMBERS.sub(lambda _m: f"{rng.randint(100, 999)}-{rng.randint(10000, 99999):05d}-{rng.randint(1, 99):02d}", copy)
        parts.append(copy)
        size += len(copy.encode("utf-8"))
    return (head + "<body>" + "".join(parts) + "</body>" + tail).encode("utf-8")


def joined(paths: list[Path]) -> bytes:
    """The first file with the bodies of all the files in turn in its body, each copy's ids made its own."""
    sources = [path.read_text(encoding="utf-8") for path in paths]
    head, rest = sources[0].split("<body", 1)
    opening, rest = rest.split(">", 1)
    _, tail = rest.rsplit("</body>", 1)
    bodies = []
    for number, source in enumerate(sources):
        body = source.split("<body", 1)[1].split(">", 1)[1].rsplit("</body>", 1)[0]
        bodies.append(re.sub(r'xml:id="([^"]+)"', lambda m: f'xml:id="{m.group(1)}-{number}"', body) if number else body)
    return (head + "<body" + opening + ">" + "".join(bodies) + "</body>" + tail).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kb", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--file", type=Path, nargs="+", help="time this TEI file instead of the built one (several: their bodies in one file)")
    args = parser.parse_args()
    data = joined(args.file) if args.file else build(args.kb)
    register = load_register()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    annotate_bytes(data, "bench.xml", register)  # warm: the finders compile their patterns on first use
    gc.freeze()  # as the command does once the register is loaded
    rows: list[tuple[str, list[float], list[float]]] = []
    result = None
    for jobs in (1, cores):
        stage: list[float] = []
        cpu: list[float] = []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = annotate_bytes(data, "bench.xml", register, Options(jobs=jobs))
            stage.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        rows.append((f"annotate_bytes, jobs={jobs} (the stage)", stage, cpu))
    assert result is not None and not [p for p in result.problems if p.severity == "error"], result.problems
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xml"
        path.write_bytes(data)
        # An installed package runs from its compiled bytecode: give the command a bytecode cache
        # of its own (a warm-up run fills it), whatever PYTHONDONTWRITEBYTECODE says here.
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        environment["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        command_line = [sys.executable, "-m", "tei_tools", "annotate", "--dry-run", str(path)]
        subprocess.run(command_line, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, check=True)
        for extra, name in ((["-j", "1"], "tei-tools annotate --dry-run -j 1 (whole command)"), ([], f"tei-tools annotate --dry-run, {cores} cores (whole command)")):
            command: list[float] = []
            command_cpu: list[float] = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                process = subprocess.Popen(command_line + extra, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
                _, status, usage = os.wait4(process.pid, 0)
                command.append(time.perf_counter() - started)
                # The CPU of the command and of the workers it forked and waited for.
                command_cpu.append(usage.ru_utime + usage.ru_stime)
                assert os.waitstatus_to_exitcode(status) == 0
            rows.append((name, command, command_cpu))
    tags = sum(result.tagged.values())
    print(f"file: {len(data) / 1024:.0f} KB, {tags} tags inserted ({result.summary()})")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| measure | wall, fastest | wall, median | CPU, fastest | runs |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, times, cpu_times in rows:
        ordered = sorted(times)
        print(f"| {name} | {ordered[0]:.3f} s | {ordered[len(ordered) // 2]:.3f} s | {min(cpu_times):.3f} s | {len(times)} |")

if __name__ == "__main__":
    main()
