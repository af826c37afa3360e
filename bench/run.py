"""Benchmark: convert and validate on a generated corpus, against the parser's own speed.

    python bench/run.py [--sizes 1000 10000] [--jobs N] [--repeat 3] [--no-jing] [--keep DIR]

Builds page texts from the sample and the test fixtures (varied record ids, dates, names and
lengths, plus a few large pages) in a temporary folder, converts them, then measures in one run:
validate with 1 process and with all cores against the floor (a bare lxml loop: parse + the same
XSD, nothing else), `xmllint --schema`, and jing with TEI All; a one-file run of each; and the
growth from the smaller to the larger corpus. Every measured command runs as its own process,
so wall time and peak memory (from wait4) are its own; each runs --repeat times and the fastest
run counts. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
TEI = [PY, "-m", "tei_tools"]
XSD = ROOT / "schemas" / "tei-tools.xsd"
TEI_ALL = ROOT.parent / "shared" / "reference" / "tei" / "p5-4.12.0" / "tei_all.rng"
FLOOR = """
import sys
from pathlib import Path
from lxml import etree
schema = etree.XMLSchema(etree.parse(sys.argv[1]))
parser = etree.XMLParser(resolve_entities=False, no_network=True)
bad = 0
for path in sorted(Path(sys.argv[2]).rglob('*.xml')):
    if not schema.validate(etree.parse(str(path), parser)):
        bad += 1
print(bad)
"""
CONVERT = """
import sys, time
from tei_tools.convert import convert_paths
jobs = int(sys.argv[3])
results = list(convert_paths([sys.argv[1]], sys.argv[2], jobs=jobs))
print(sum(r.status == 'written' for r in results))
"""


def run(command: list[str], *, stdout=subprocess.DEVNULL) -> tuple[float, int, int]:
    """(seconds, peak RSS in MiB of the process and its waited-for children, exit status)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss // 1024, process.returncode


def batched(command: list[str], files: list[Path], size: int = 400) -> tuple[float, int]:
    """Run a command over files in batches (argument lists have limits); total time, max RSS."""
    total, peak = 0.0, 0
    for start in range(0, len(files), size):
        seconds, rss, _ = run(command + [str(f) for f in files[start : start + size]])
        total += seconds
        peak = max(peak, rss)
    return total, peak


# --- corpus -----------------------------------------------------------------------------------

NAMES = ["Mao Zedong", "Liu Shaoqi", "Kim Il Sung", "Ho Chi Minh", "Leonid Brezhnev", "Fidel Castro", "Chen Yi", "Peng Zhen", "Kang Sheng", "Ivan Petrov", "Li Ming"]
MONTHS = "January February March April May June July August September October November December".split()


def make_pages(folder: Path, count: int, seed: int = 1964) -> None:
    rng = random.Random(seed)
    sources = [ROOT / "samples" / "119037.txt", *sorted((ROOT / "tests" / "golden").glob("*.txt"))]
    texts = [s.read_text(encoding="utf-8") for s in sources]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = texts[number % len(texts)]
        year, month, day = rng.randint(1950, 1989), rng.randint(1, 12), rng.randint(1, 28)
        text = re.sub(r"(?m)^(\w+ \d{1,2}, \d{4}|\w+ \d{4}|\d{4})$", f"{MONTHS[month - 1]} {day}, {year}", text, count=1)
        text = re.sub(r"(?m)^Record ID\n\n?\d+", f"Record ID\n\n{1_000_000 + number}", text)
        text = re.sub(r"https://digitalarchive\.wilsoncenter\.org/document/\d+", f"https://digitalarchive.wilsoncenter.org/document/{1_000_000 + number}", text)
        text = text.replace("Khrushchev", rng.choice(NAMES)).replace("Zhou Enlai", rng.choice(NAMES))
        paragraphs = text.split("\n\n")
        factor = 40 if number % 997 == 0 else rng.choice([1, 1, 1, 2, 3])  # a few large pages
        if factor > 1 and len(paragraphs) > 2:  # body paragraphs only: a page repeated whole is no page
            body = [p for p in paragraphs[1:-1] if len(p) > 200]
            if body:
                at = paragraphs.index(body[-1])
                paragraphs[at:at] = body * (factor - 1)
        (folder / f"page-{number:05d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*.xml")) / 1e6


def fastest(measure_once, repeats: int) -> tuple:
    """The fastest of several runs. Other work on a shared machine can only slow a run down,
    so the fastest run is the one closest to what the command itself costs."""
    return min(measure_once() for _ in range(repeats))


def measure(size: int, base: Path, jobs: int, use_jing: bool, repeats: int) -> dict:
    pages, tei = base / f"pages-{size}", base / f"tei-{size}"
    make_pages(pages, size)
    row: dict = {"files": size}

    def convert(processes: int):
        def once():
            shutil.rmtree(tei, ignore_errors=True)  # every run writes every file
            return run([PY, "-c", CONVERT, str(pages), str(tei), str(processes)])
        seconds, rss, _ = fastest(once, repeats)
        return size / seconds, rss

    row["convert 1"] = convert(1)
    row[f"convert {jobs}"] = convert(jobs)
    files = sorted(tei.rglob("*.xml"))
    row["MB"] = megabytes(tei)
    validators = {
        "floor": lambda: run([PY, "-c", FLOOR, str(XSD), str(tei)])[:2],
        "validate 1": lambda: run(TEI + ["validate", "-j", "1", str(tei)])[:2],
        f"validate {jobs}": lambda: run(TEI + ["validate", "-j", str(jobs), str(tei)])[:2],
    }
    if shutil.which("xmllint"):
        validators["xmllint"] = lambda: batched(["xmllint", "--noout", "--schema", str(XSD)], files)
    # Taken in turns, so that a slow spell of the machine falls on all of them alike.
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeats):
        for key, once in validators.items():
            seconds, rss = once()
            if key not in best or seconds < best[key][0]:
                best[key] = (seconds, rss)
    for key, (seconds, rss) in best.items():
        row[key] = (len(files) / seconds, rss)
    if use_jing and shutil.which("jing") and TEI_ALL.exists():
        seconds, rss = batched(["jing", str(TEI_ALL)], files, size=2000)  # once: it is context, not a target
        row["jing TEI All"] = (len(files) / seconds, rss)
    return row


def one_file(repeats: int = 5) -> dict:
    target = ROOT / "encoded" / "119037.xml"
    commands = {"tei-tools validate": [str(Path(PY).parent / "tei-tools"), "validate", str(target)], "xmllint --schema": ["xmllint", "--noout", "--schema", str(XSD), str(target)]}
    if shutil.which("jing") and TEI_ALL.exists():
        commands["jing TEI All"] = ["jing", str(TEI_ALL), str(target)]
    return {name: statistics.median(run(command)[0] for _ in range(repeats)) for name, command in commands.items() if shutil.which(command[0]) or Path(command[0]).exists()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--no-jing", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the corpus in this folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the fastest counts (default 3)")
    args = parser.parse_args()
    # An installed copy is byte-compiled by pip; a checkout installed for editing is not,
    # and Python would compile every module on each start-up of a measured command.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "tei_tools")], check=True)
    base = args.keep or Path(tempfile.mkdtemp(prefix="tei-tools-bench-"))
    try:
        rows = [measure(size, base, args.jobs, not args.no_jing, args.repeat) for size in args.sizes]
        single = one_file()
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    j = args.jobs
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; corpus generated from the sample and fixtures.\n")
    print("| files | MB | floor (lxml parse+XSD) | validate -j1 | validate -j%d | xmllint --schema | jing TEI All | convert -j1 | convert -j%d |" % (j, j))
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        floor = row["floor"][0]
        def cell(key: str, ratio: bool = False) -> str:
            if key not in row:
                return "-"
            speed, rss = row[key][0], row[key][1]
            extra = f" ({speed / floor:.2f}× floor)" if ratio else ""
            return f"{speed:,.0f}/s{extra}, {rss} MiB"
        print(f"| {row['files']:,} | {row['MB']:.1f} | {cell('floor')} | {cell('validate 1', True)} | {cell(f'validate {j}', True)} | {cell('xmllint', True)} | {cell('jing TEI All', True)} | {cell('convert 1')} | {cell(f'convert {j}')} |")
    print("\nOne small file (the sample's edition, 38 KB), whole command, median of 5 runs:\n")
    print("| command | seconds |")
    print("| --- | ---: |")
    for name, seconds in single.items():
        print(f"| {name} | {seconds:.3f} |")
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        print(f"\nGrowth {small['files']:,} -> {large['files']:,} files: validate -j1 {small['validate 1'][0]:,.0f}/s -> {large['validate 1'][0]:,.0f}/s, "
              f"peak memory {small['validate 1'][1]} -> {large['validate 1'][1]} MiB; convert -j1 {small['convert 1'][0]:,.0f}/s -> {large['convert 1'][0]:,.0f}/s, "
              f"{small['convert 1'][1]} -> {large['convert 1'][1]} MiB.")
        # The extra files over the extra seconds: the rate once start-up (imports, schema
        # compilation, worker processes) is paid, which a run of few files does not show.
        def once_started(key: str) -> float:
            extra_seconds = large["files"] / large[key][0] - small["files"] / small[key][0]
            return (large["files"] - small["files"]) / extra_seconds
        floor = once_started("floor")
        parts = [f"floor {floor:,.0f}/s"]
        parts += [f"validate -j{n} {once_started(f'validate {n}'):,.0f}/s ({once_started(f'validate {n}') / floor:.2f}× floor)" for n in (1, j)]
        parts += [f"convert -j{n} {once_started(f'convert {n}'):,.0f}/s" for n in (1, j)]
        print(f"Once started ({small['files']:,} -> {large['files']:,} files, extra files over extra seconds): " + "; ".join(parts) + ".")

if __name__ == "__main__":
    main()
