"""Shared fixtures: paths, the converted sample, the optional reference data in ../shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_bench(name: str):  # type: ignore[no-untyped-def]
    """A script of bench/ as a module (bench/ is no package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
TESTS = ROOT / "tests"
GOLDEN = TESTS / "golden"
SAMPLE = ROOT / "samples" / "119037.txt"
SHARED = ROOT.parent / "shared"
TEI_ALL_RNG = SHARED / "reference" / "tei" / "p5-4.12.0" / "tei_all.rng"
GOLD = SHARED / "gold" / "119037.gold.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False, help="Rewrite tests/golden/*.xml from the converter's output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def jing_or_skip() -> str:
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (Debian package 'jing'); TEI All cross-check skipped")
    if not TEI_ALL_RNG.exists():
        pytest.skip(f"TEI All reference schema not found at {TEI_ALL_RNG}; cross-check skipped")
    return jing


def page_fixtures() -> list[Path]:
    return sorted(GOLDEN.glob("*.txt"))


@pytest.fixture(scope="session")
def register():
    from tei_tools.annotate.register import load_register

    return load_register()


@pytest.fixture(scope="session")
def sample_tree(register):
    from lxml import etree

    from tei_tools.convert import convert_bytes
    from tei_tools.xmlio import parse_bytes

    data, _ = convert_bytes(SAMPLE.read_bytes(), SAMPLE.name, register=register)
    tree = parse_bytes(data)
    assert isinstance(tree, etree._ElementTree)
    return tree
