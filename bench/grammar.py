"""Benchmark: other projects' grammars, tei-tools against jing (run by hand, prints a table).

    python bench/grammar.py [--repeat 5] [--corpus ../shared/corpora/tei-world]

Measures, each as its own process, the fastest of --repeat runs: one file against TEI All as a
whole command (`tei-tools validate --schema tei_all.rng FILE`, warm cache) and jing on the same
file; then the tei-world corpus in one run, tei-tools (all codes, and grammar codes only) and
jing on the same files. The grammar cache lives in a temporary folder, warmed by one run first;
bytecode is written to a temporary prefix too, as an installed package has its .pyc files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "reference" / "tei" / "p5-4.12.0" / "tei_all.rng"
TEI = [str(Path(sys.executable).parent / "tei-tools")]


def fastest(command: list[str], repeat: int, env: dict[str, str]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpora" / "tei-world")
    parser.add_argument("--file", type=Path, default=None, help="the one file (default: the corpus's dracor-validate-action/tei__valid.xml)")
    args = parser.parse_args()
    if not TEI_ALL.is_file() or not args.corpus.is_dir():
        print(f"needs {TEI_ALL} and {args.corpus}", file=sys.stderr)
        return 2
    jing = shutil.which("jing")
    one = args.file or args.corpus / "dracor-validate-action" / "tei__valid.xml"
    files = sorted(str(path) for path in args.corpus.glob("**/*.xml"))
    with tempfile.TemporaryDirectory(prefix="tei-tools-bench-") as temp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(temp) / "cache"), "PYTHONPYCACHEPREFIX": str(Path(temp) / "pyc")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        started = time.perf_counter()
        subprocess.run([*TEI, "validate", "--schema", str(TEI_ALL), *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        cold = time.perf_counter() - started
        rows: list[tuple[str, float, float | None]] = []
        ours = fastest([*TEI, "validate", "--schema", str(TEI_ALL), str(one)], args.repeat, env)
        theirs = fastest([jing, str(TEI_ALL), str(one)], args.repeat, env) if jing else None
        rows.append((f"one file ({one.name}, {one.stat().st_size} bytes), TEI All", ours, theirs))
        ours = fastest([*TEI, "validate", "--schema", str(TEI_ALL), *files], args.repeat, env)
        grammar_only = fastest([*TEI, "validate", "--schema", str(TEI_ALL), "--select", "RNG,XML", *files], args.repeat, env)
        theirs = fastest([jing, str(TEI_ALL), *files], args.repeat, env) if jing else None
        rows.append((f"tei-world, {len(files)} files in one run, all codes", ours, theirs))
        rows.append((f"tei-world, {len(files)} files in one run, --select RNG,XML", grammar_only, theirs))
    print(f"first run, cold cache (index and pruned grammars made): {cold:.2f} s; load average {os.getloadavg()[0]:.1f}")
    print()
    print("| command | tei-tools | jing | jing / tei-tools |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours, theirs in rows:
        ratio = f"{theirs / ours:.1f}x" if theirs else "-"
        print(f"| {name} | {ours:.3f} s | {f'{theirs:.3f} s' if theirs else 'not installed'} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
