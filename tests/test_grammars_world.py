"""Other projects' real TEI (../shared/corpora, read in place, never copied): the verdicts of the
pruned grammars agree with jing's, file by file, on the files and on mutants made from them."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.validate import Config, validate_file
from tei_tools.xmlio import parse_bytes

from .conftest import SHARED, TEI_ALL_RNG

WORLD = SHARED / "corpora" / "tei-world"
DRACOR_RNG = SHARED / "corpora" / "schemas" / "dracor_1.6.0.rng"
TEI = "http://www.tei-c.org/ns/1.0"


def _world_or_skip() -> list[Path]:
    if not (WORLD / "MANIFEST.md").is_file() or not TEI_ALL_RNG.is_file():
        pytest.skip(f"tei-world corpus or TEI All not found under {SHARED}; conformance with other projects' files not checked")
    return sorted(WORLD.glob("*/*.xml"))


def _manifest() -> dict[str, bool]:
    verdicts = {}
    for line in (WORLD / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 7 and cells[1].endswith(".xml"):
            verdicts[cells[1]] = cells[6] == "valid"
    return verdicts


def _jing(schema: Path, files: list[Path]) -> dict[Path, int]:
    """Errors per file by one jing run over the batch (jing's start-up is paid once)."""
    jing = shutil.which("jing")
    if jing is None:
        pytest.skip("jing is not installed (Debian package 'jing'); comparison with jing skipped")
    result = subprocess.run([jing, str(schema), *map(str, files)], capture_output=True, text=True, check=False)
    counts = {path.resolve(): 0 for path in files}
    for line in result.stdout.splitlines():
        m = re.match(r"^(?P<file>.+?):\d+:\d+: (?:error|fatal): ", line)
        if m:
            counts[Path(m["file"]).resolve()] = counts.get(Path(m["file"]).resolve(), 0) + 1
    return counts


def _ours(schema: Path, files: list[Path], *, xinclude: bool = False) -> dict[Path, int]:
    config = Config.build(schema_path=str(schema), select=["RNG", "XML"])
    if xinclude:
        config.xinclude = True
    return {path.resolve(): validate_file(str(path), config).errors for path in files}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("TEI_TOOLS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_tei_world_verdicts_match_the_manifest_and_jing(cache: Path) -> None:
    files = _world_or_skip()
    manifest = _manifest()
    assert len(files) == len(manifest) == 31
    ours = _ours(TEI_ALL_RNG, files)
    for path in files:
        name = f"{path.parent.name}/{path.name}"
        assert (ours[path.resolve()] == 0) is manifest[name], name
    with_xinclude = _ours(TEI_ALL_RNG, files, xinclude=True)
    assert {path: count == 0 for path, count in with_xinclude.items()} == {path: count == 0 for path, count in ours.items()}
    jing = _jing(TEI_ALL_RNG, files)
    assert {path: count == 0 for path, count in jing.items()} == {path: count == 0 for path, count in ours.items()}
    # The cut grammars the run made and cached keep no notAllowed (libxml2's slow path).
    from tei_tools.validate.grammar import load_schema

    grammar = load_schema(str(TEI_ALL_RNG)).relaxng  # the one this process used (its cache folder)
    assert grammar is not None
    pruned = list(grammar.cache.folder.glob("*.rng"))
    assert len(pruned) >= 15
    assert not [path.name for path in pruned if b"notAllowed" in path.read_bytes()]


def _mutants(sources: list[Path], folder: Path, seed: int = 20261201) -> list[Path]:
    """Files changed the ways real files go wrong: a child dropped, an element moved, an unknown
    attribute, a bad attribute value, a foreign element, a name in the wrong case; a harmless
    @n too, so that a false alarm would show."""
    rng = random.Random(seed)
    made: list[Path] = []
    for source in sources:
        for kind in ("drop", "move", "attribute", "value", "foreign", "case", "harmless"):
            tree = parse_bytes(source.read_bytes())
            elements = [el for el in tree.getroot().iter() if isinstance(el.tag, str)][1:]
            target = rng.choice(elements)
            if kind == "drop":
                parent = target.getparent()
                parent.remove(target)
            elif kind == "move":
                other = rng.choice([el for el in elements if el is not target and target not in el.iterancestors() and el not in target.iter()])
                other.append(target)
            elif kind == "attribute":
                target.set("whne", "1961")
            elif kind == "value":
                with_values = [el for el in elements if el.attrib]
                if with_values:
                    target = rng.choice(with_values)
                    target.set(rng.choice(sorted(target.attrib)), "not a value!")
                else:
                    target.set("{http://www.w3.org/XML/1998/namespace}lang", "12 34")
            elif kind == "foreign":
                target.append(etree.Element("{urn:x-foreign}note"))
            elif kind == "case":
                qname = etree.QName(target)
                target.tag = f"{{{qname.namespace}}}{qname.localname.lower()}" if qname.localname.lower() != qname.localname else f"{{{qname.namespace}}}{qname.localname.upper()}"
            else:
                target.set("n", "1")
            path = folder / f"{source.stem}.{kind}.xml"
            path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="utf-8"))
            made.append(path)
    return made


def test_mutants_agree_with_jing(cache: Path) -> None:
    files = _world_or_skip()
    # Six valid files of four projects, small enough that 42 mutants stay cheap.
    valid = [path for path in files if _manifest()[f"{path.parent.name}/{path.name}"] and path.stat().st_size < 100_000][:6]
    assert len(valid) == 6
    folder = cache / "mutants"
    folder.mkdir()
    mutants = _mutants(valid, folder)
    jing = _jing(TEI_ALL_RNG, mutants)
    ours = _ours(TEI_ALL_RNG, mutants)
    disagree = [path.name for path in mutants if (jing[path.resolve()] == 0) != (ours[path.resolve()] == 0)]
    assert not disagree
    invalid = sum(1 for count in jing.values() if count)
    assert invalid >= len(mutants) // 2  # most mutations break the file: the comparison has teeth


def test_dracor_grammar_on_the_plays_matches_jing(cache: Path) -> None:
    _world_or_skip()
    if not DRACOR_RNG.is_file():
        pytest.skip(f"DraCor's RNG not found at {DRACOR_RNG}")
    plays = sorted((WORLD / "shakedracor").glob("*.xml"))
    assert len(plays) == 3
    ours = _ours(DRACOR_RNG, plays)
    jing = _jing(DRACOR_RNG, plays)
    # The same verdict for each play, and (measured) the same number of errors.
    assert all(ours[path.resolve()] > 0 and jing[path.resolve()] > 0 for path in plays)
    assert [ours[p.resolve()] for p in plays] == [jing[p.resolve()] for p in plays]
