"""The annotate benchmark's inputs: a built edition of the size asked for, and files joined into one."""

from __future__ import annotations

from lxml import etree

from .conftest import ROOT, load_bench


def _bench():
    return load_bench("annotate")


def test_files_joined_into_one_keep_every_body_and_unique_ids() -> None:
    bench = _bench()
    paths = [ROOT / "tests" / "annotate" / "documentary.xml", ROOT / "tests" / "annotate" / "documentary.xml"]
    one = etree.fromstring(paths[0].read_bytes())
    both = etree.fromstring(bench.joined(paths))
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    assert len(both.xpath("//tei:body/*", namespaces=ns)) == 2 * len(one.xpath("//tei:body/*", namespaces=ns))
    ids = both.xpath("//@xml:id")
    assert len(ids) == len(set(ids)) > 0


def test_the_built_edition_has_about_the_size_asked_for() -> None:
    data = _bench().build(40)
    assert 40 * 1024 <= len(data) < 60 * 1024
    assert etree.fromstring(data) is not None
