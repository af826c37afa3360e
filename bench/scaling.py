"""Benchmark: time per megabyte of convert and validate, from 10 KB to 20 MB, to show it stays flat.

    python bench/scaling.py [--sizes 10e3 1e6 5e6 20e6] [--repeat 2]

A page text of each size is made from the sample page by repeating its paragraphs; a TEI file of
each size by repeating a paragraph of the converted sample (names, dates and all). Each is
converted or validated in this process (the register and the schema loaded beforehand, as a
batch has them) and the fastest of --repeat runs counts. Linear time shows as a flat s/MB
column; the last column is each row's s/MB over the smallest's (within 2x is the aim).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_tools.annotate.register import load_register  # noqa: E402
from tei_tools.convert import convert_bytes  # noqa: E402
from tei_tools.validate import Config, validate_bytes  # noqa: E402

SAMPLE = ROOT / "samples" / "119037.txt"


def page_of(size: int) -> bytes:
    """The sample page with its long paragraphs repeated until the page has about `size` bytes."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    paragraphs = [number for number, line in enumerate(lines) if len(line) > 300]
    first = paragraphs[0]
    block = "\n".join(line for number in paragraphs for line in (lines[number], "")) + "\n"
    page = "\n".join(lines) + "\n"
    missing = max(0, size - len(page.encode("utf-8")))
    copies = missing // len(block.encode("utf-8"))
    grown = lines[: first + 1] + [""] + ([block] * copies if copies else []) + lines[first + 1 :]
    return "\n".join(grown).encode("utf-8")


def tei_of(size: int, sample_xml: bytes) -> bytes:
    """The converted sample with its first body paragraph repeated until the file has `size` bytes."""
    start = sample_xml.index(b"<p>", sample_xml.index(b"<body>"))
    end = sample_xml.index(b"</p>", start) + len(b"</p>")
    paragraph = sample_xml[start:end] + b"\n        "
    copies = max(0, (size - len(sample_xml)) // len(paragraph))
    return sample_xml[:end] + b"\n        " + paragraph * copies + sample_xml[end:]


def best(repeat: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[10e3, 1e6, 5e6, 20e6])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    register = load_register()
    config = Config.build()
    config.schema()
    sample_xml, _ = convert_bytes(SAMPLE.read_bytes(), SAMPLE.name, register=register)
    rows = []
    for size in (int(s) for s in args.sizes):
        page = page_of(size)
        repeat = args.repeat if size < 5e6 else 1
        seconds = best(repeat, lambda: convert_bytes(page, "page.txt", register=register))
        rows.append(("convert", len(page), seconds))
        tei = tei_of(size, sample_xml)
        problems = validate_bytes(tei, "big.xml", config)
        assert not [p for p in problems if p.severity == "error"], problems[:3]
        seconds = best(repeat, lambda: validate_bytes(tei, "big.xml", config))
        rows.append(("validate", len(tei), seconds))
    print("| command | input | seconds | s/MB | vs smallest |")
    print("| --- | ---: | ---: | ---: | ---: |")
    smallest: dict[str, float] = {}
    for command, size, seconds in rows:
        per_mb = seconds / (size / 1e6)
        smallest.setdefault(command, per_mb)
        print(f"| {command} | {size / 1e6:.2f} MB | {seconds:.3f} | {per_mb:.3f} | {per_mb / smallest[command]:.2f}x |")


if __name__ == "__main__":
    main()
