"""Validator cases: valid files are clean; each invalid file yields exactly the codes and lines it states."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tei_tools.validate import Config, validate_bytes

from .conftest import TESTS

CASES = TESTS / "cases"
EXPECT = re.compile(rb"<!-- expect: (?P<codes>[^>]*?) -->")


def expected(path: Path) -> list[tuple[str, int]]:
    m = EXPECT.search(path.read_bytes())
    assert m, f"{path.name} states no expectation"
    return sorted((item.split("@")[0], int(item.split("@")[1])) for item in m["codes"].decode().split())


@pytest.fixture(scope="module")
def config() -> Config:
    # The cases are the project's own editions, cut down: its house rules apply to them.
    return Config.build(profile="tei-tools")


@pytest.mark.parametrize("path", sorted((CASES / "valid").glob("*.xml")), ids=lambda p: p.stem)
def test_valid_case_is_clean(path: Path, config: Config) -> None:
    assert [str(p) for p in validate_bytes(path.read_bytes(), path.name, config)] == []


INVALID = sorted((CASES / "invalid").glob("*.xml"))


def test_enough_invalid_cases() -> None:
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_gives_stated_problems(path: Path, config: Config) -> None:
    problems = validate_bytes(path.read_bytes(), path.name, config)
    assert sorted((p.code, p.line) for p in problems) == expected(path), [str(p) for p in problems]
    for problem in problems:
        assert problem.column >= 1
        assert problem.message and "{http" not in problem.message


def test_every_rule_has_an_invalid_case() -> None:
    from tei_tools.validate.rules import load_all

    stated = {code for path in INVALID for code, _ in expected(path)}
    assert set(load_all()) <= stated
