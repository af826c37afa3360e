"""Splitting a run over CI jobs: `--shard K/N` takes the files whose path hashes to K of N,
and the JSON or JUnit reports of the shards merge back into one."""

from __future__ import annotations

import hashlib
import json
import re

from lxml import etree

from ..xmlio import parse_bytes

_SHARD = re.compile(r"\s*([1-9]\d*)\s*/\s*([1-9]\d*)\s*")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4); ValueError unless 1 <= K <= N."""
    found = _SHARD.fullmatch(text)
    if found is None or int(found[1]) > int(found[2]):
        raise ValueError(f"--shard {text!r}: give K/N with 1 <= K <= N, such as 1/4")
    return int(found[1]), int(found[2])


def in_shard(path: str, shard: tuple[int, int]) -> bool:
    """By a hash of the path, not its rank: adding a file never moves the others to another shard."""
    index, count = shard
    digest = hashlib.sha256(path.replace("\\", "/").encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def shard_files(files: list[str], shard: tuple[int, int] | None) -> list[str]:
    """The sorted files of one shard (all of them when `shard` is None)."""
    ordered = sorted(files)
    return ordered if shard is None else [path for path in ordered if in_shard(path, shard)]


def merge_json(reports: list[bytes]) -> dict:
    """Reports of `--format json` as one: files by path, the counts added up."""
    files: list[dict] = []
    summary = {"files": 0, "errors": 0, "warnings": 0, "seconds": 0.0}
    for data in reports:
        report = json.loads(data)
        files.extend(report["files"])
        for key in summary:
            summary[key] += report["summary"].get(key, 0)
    summary["seconds"] = round(summary["seconds"], 3)
    return {"files": sorted(files, key=lambda entry: entry["path"]), "summary": summary}


def merge_junit(reports: list[bytes]) -> etree._Element:
    """Reports of `--format junit` as one testsuite: test cases by name, the counts added up."""
    cases: list[etree._Element] = []
    totals = {"tests": 0, "failures": 0, "errors": 0}
    seconds = 0.0
    for data in reports:
        suite = parse_bytes(data).getroot()
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
        seconds += float(suite.get("time", "0") or 0)
        cases.extend(suite.iter("testcase"))
    merged = etree.Element("testsuite", name="tei-tools validate", tests=str(totals["tests"]), failures=str(totals["failures"]), errors=str(totals["errors"]), time=f"{seconds:.3f}")
    for case in sorted(cases, key=lambda c: c.get("name", "")):
        case.tail = "\n"
        merged.append(case)
    merged.text = "\n"
    return merged
