"""The entity benchmark's scorer: gold read from inline marks, hits, misses, wrong values and links."""

from __future__ import annotations

from pathlib import Path

from .conftest import load_bench


def _bench():
    return load_bench("entities")


def test_scorer_counts_hits_misses_wrong_values_and_links(tmp_path: Path, register) -> None:
    bench = _bench()
    page = tmp_path / "a.txt"
    page.write_text(
        "date: 1964-10-30\norigin: china-prc\n---\n"
        "Premier {{p:zhou-enlai|Zhou Enlai}} met {{p|Raúl Castro}} on {{d:1964-10-29|29 October}}.\n"
        "{{p:deng-xiaoping|Mao Zedong}} left on {{d:1964-10-02|the 28th}} for {{l|Nowhere Town}}.\n",
        encoding="utf-8",
    )
    text = bench.read_text(page)
    assert text.lines[0] == "Premier Zhou Enlai met Raúl Castro on 29 October."
    result = bench.score([text], register)
    assert result.right["person"] == 3 and result.right["date"] == 1  # a span with a wrong key is found, its link wrong
    assert any("should be 1964-10-02" in item for item in result.wrong_values)
    assert any("Mao Zedong" in item and "should be deng-xiaoping" in item for item in result.wrong_links)
    assert any("Nowhere Town" in item for item in result.misses)
    assert "| all |" in bench.table(result)
