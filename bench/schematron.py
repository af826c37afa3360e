"""Benchmark: other projects' Schematron through tei-tools (TEI All's constraints on the tei-world
files, DraCor's on the Shakespeare plays): compile time cold and cached, milliseconds per file.

    python bench/schematron.py [--repeat 3] [--shared ../shared]

Files are parsed once, outside the timing; each schema's run over its files is repeated and the
fastest repeat counts (a neighbour on a shared machine only ever slows a run down).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_tools.validate.schematron.engine import CompiledSchematron  # noqa: E402
from tei_tools.xmlio import parse_file  # noqa: E402


def measure(schema: Path, files: list[Path], repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TEI_TOOLS_CACHE"] = cache
        started = time.perf_counter()
        cold = CompiledSchematron(schema)
        cold_generate = time.perf_counter() - started
        started = time.perf_counter()
        cold.prepare()
        engine = time.perf_counter() - started
        started = time.perf_counter()
        warm = CompiledSchematron(schema)
        cached_generate = time.perf_counter() - started
        assert warm.stats.cached and not cold.stats.cached
    trees = [(path, parse_file(path)) for path in files]
    per_file: dict[str, float] = {}
    best_total = best_cpu = float("inf")
    findings = 0
    for _ in range(repeat):
        total = cpu = 0.0
        findings = 0
        for path, tree in trees:
            started, started_cpu = time.perf_counter(), time.process_time()
            problems = cold.problems(tree, str(path))
            elapsed = time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            total += elapsed
            findings += len(problems)
            per_file[path.name] = min(per_file.get(path.name, float("inf")), elapsed)
        best_total, best_cpu = min(best_total, total), min(best_cpu, cpu)
    return {
        "schema": schema.name, "checks": len(cold.checks), "files": len(files), "findings": findings,
        "bytes": sum(path.stat().st_size for path in files),
        "generate_cold_ms": cold_generate * 1000, "generate_cached_ms": cached_generate * 1000, "engine_compile_ms": engine * 1000,
        "mean_ms": best_total / len(files) * 1000, "cpu_mean_ms": best_cpu / len(files) * 1000, "median_ms": statistics.median(per_file.values()) * 1000,
        "max": max(per_file.items(), key=lambda item: item[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    world = args.shared / "corpora" / "tei-world"
    tei_all = args.shared / "reference" / "tei" / "p5-4.12.0"
    dracor = args.shared / "corpora" / "schemas"
    if not world.exists():
        sys.exit(f"{world} not found")
    everything = sorted(world.glob("*/*.xml"))
    readable = []
    for path in everything:
        try:
            parse_file(path)
            readable.append(path)
        except Exception:  # a file the hardened parser refuses is not timed
            pass
    plays = sorted((world / "shakedracor").glob("*.xml"))
    runs = [
        ("TEI All (tei_all.isosch)", tei_all / "tei_all.isosch", readable),
        ("TEI All (embedded in tei_all.rng)", tei_all / "tei_all.rng", readable),
        ("DraCor 1.6.0 (dracor_1.6.0.sch)", dracor / "dracor_1.6.0.sch", plays),
        ("DraCor 1.6.0 (embedded in dracor_1.6.0.rng)", dracor / "dracor_1.6.0.rng", plays),
    ]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, fastest of {args.repeat}")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| schema | checks | files | MB | findings | generate cold | generate cached | engine compile | ms/file (mean) | CPU ms/file (mean) | ms/file (median) | slowest |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, schema, files in runs:
        result = measure(schema, files, args.repeat)
        name, seconds = result["max"]
        print(f"| {label} | {result['checks']} | {result['files']} | {result['bytes'] / 1e6:.1f} | {result['findings']} | {result['generate_cold_ms']:.0f} ms | "
              f"{result['generate_cached_ms']:.0f} ms | {result['engine_compile_ms']:.0f} ms | {result['mean_ms']:.1f} | {result['cpu_mean_ms']:.1f} | {result['median_ms']:.1f} | {name} {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
