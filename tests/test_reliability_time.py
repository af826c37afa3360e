"""Validation time stays linear in the size of the input and in the number of problems."""

from __future__ import annotations

import time

from tei_tools.validate import Config, validate_bytes

from .conftest import ROOT

SAMPLE_XML = (ROOT / "encoded" / "119037.xml").read_bytes()
_BODY_P = SAMPLE_XML.index(b"<p>", SAMPLE_XML.index(b"<body>")) + len(b"<p>")


def _with_dangling_refs(count: int, separator: bytes) -> bytes:
    names = separator.join(b'<persName ref="#nobody">X</persName>' for _ in range(count))
    return SAMPLE_XML[:_BODY_P] + names + SAMPLE_XML[_BODY_P:]


def _with_attributes(count: int) -> bytes:
    attributes = b" ".join(b'a%d="1"' % number for number in range(count))
    return SAMPLE_XML[: _BODY_P - 1] + b" " + attributes + SAMPLE_XML[_BODY_P - 1 :]


def _seconds(data: bytes, config: Config) -> tuple[float, list]:
    started = time.perf_counter()
    problems = validate_bytes(data, "many.xml", config)
    return time.perf_counter() - started, problems


def test_many_problems_on_one_line_cost_linear_time() -> None:
    """20,000 problems on one line: a walk of the line or of the tree per problem takes minutes."""
    config = Config.build(max_problems=0)
    elapsed, problems = _seconds(_with_dangling_refs(20_000, b""), config)
    assert len(problems) == 20_000
    columns = [p.column for p in problems]
    assert columns == sorted(columns) and len(set(columns)) == 20_000  # each points at its own element
    assert elapsed < 6.0, elapsed


def test_many_attributes_on_one_element_cost_linear_time() -> None:
    config = Config.build(max_problems=0)
    elapsed, problems = _seconds(_with_attributes(20_000), config)
    assert len([p for p in problems if p.code == "SCH003"]) == 20_000
    assert elapsed < 6.0, elapsed


def test_problems_per_file_are_capped_and_the_rest_counted() -> None:
    problems = validate_bytes(_with_dangling_refs(3_000, b"\n"), "many.xml", Config.build(max_problems=1_000))
    assert len(problems) == 1_001
    assert [p.code for p in problems[:1_000]] == ["REF001"] * 1_000
    last = problems[-1]
    assert last.code == "LIM001" and "2000 more problems" in last.message
    assert problems[:1_000] == validate_bytes(_with_dangling_refs(3_000, b"\n"), "many.xml", Config.build(max_problems=0))[:1_000]


def test_default_cap_is_a_thousand() -> None:
    problems = validate_bytes(_with_dangling_refs(1_500, b"\n"), "many.xml", Config.build())
    assert len(problems) == 1_001 and problems[-1].code == "LIM001"


def test_max_problems_option(tmp_path) -> None:
    from typer.testing import CliRunner

    from tei_tools.cli import app

    many = tmp_path / "many.xml"
    many.write_bytes(_with_dangling_refs(30, b"\n"))
    result = CliRunner().invoke(app, ["validate", "--max-problems", "10", str(many)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 11 and "LIM001 20 more problems" in lines[-1]
    assert len(CliRunner().invoke(app, ["validate", "--max-problems", "0", str(many)]).stdout.splitlines()) == 30


def test_a_large_file_validates_in_linear_time() -> None:
    """4 MB of paragraphs dense with names: about a second when linear, minutes when quadratic."""
    start = SAMPLE_XML.index(b"<p>", SAMPLE_XML.index(b"<body>"))
    end = SAMPLE_XML.index(b"</p>", start) + len(b"</p>")
    paragraph = SAMPLE_XML[start:end] + b"\n"
    data = SAMPLE_XML[:end] + paragraph * (4_000_000 // len(paragraph)) + SAMPLE_XML[end:]
    elapsed, problems = _seconds(data, Config.build())
    assert not [p for p in problems if p.severity == "error"]
    assert elapsed < 15.0, elapsed


def test_schema_errors_past_the_cap_are_counted_exactly() -> None:
    problems = validate_bytes(_with_attributes(3_000), "many.xml", Config.build(max_problems=1_000))
    assert len(problems) == 1_001 and problems[-1].code == "LIM001"
    assert "2000 more problems" in problems[-1].message
