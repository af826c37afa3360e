"""The on-disk cache of grammar indexes and pruned grammars, keyed by the grammar file's sha256."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from ...xmlio import write_atomic
from ..cachedir import cache_root

_INDEX_MAGIC = b"tei-tools rng index 1\n"
_SETS_MAGIC = b"tei-tools rng sets 1\n"
#: Raised whenever the index or the pruned grammars would come out differently.
FORMAT = 1
#: Pruned grammars kept per grammar file; the oldest go first.
MAX_PRUNED = 64


def combined_digest(main: str, files: list[str]) -> str:
    """One digest for a grammar and the files it includes (a missing file counts as empty)."""
    combined = hashlib.sha256(main.encode("ascii"))
    for name in files:
        try:
            combined.update(hashlib.sha256(Path(name).read_bytes()).digest())
        except OSError:
            combined.update(b"missing:" + name.encode("utf-8"))
    return combined.hexdigest()


def names_key(names: frozenset[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()[:32]


class GrammarCache:
    """Files under cache_root()/rng/DIGEST/. Every read survives a missing or corrupt file
    (it is then rebuilt); every write is atomic, and a cache that cannot be written is skipped."""

    def __init__(self, digest: str, root: Path | None = None) -> None:
        # The format version is part of the path: a newer release never reads an older layout.
        self.folder = (root or cache_root()) / f"rng-{FORMAT}" / digest

    def _read(self, name: str, magic: bytes) -> Any:
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        if not data.startswith(magic):
            return None
        try:
            return marshal.loads(data[len(magic):])
        except (ValueError, EOFError, TypeError):
            return None

    def _write(self, name: str, data: bytes) -> None:
        try:
            write_atomic(self.folder / name, data)
        except OSError:
            pass  # a read-only or full disk: the run goes on without a cache

    def included_files(self) -> list[str]:
        data = self._read("included.marshal", _SETS_MAGIC)
        return [name for name in data if isinstance(name, str)] if isinstance(data, list) else []

    def store_included_files(self, files: list[str]) -> None:
        self._write("included.marshal", _SETS_MAGIC + marshal.dumps(files))

    def has_index(self) -> bool:
        return (self.folder / "index.marshal").is_file()

    def load_index(self) -> Any:
        data = self._read("index.marshal", _INDEX_MAGIC)
        if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], tuple) and isinstance(data[1], dict):
            return data
        return None

    def store_index(self, data: Any) -> None:
        self._write("index.marshal", _INDEX_MAGIC + marshal.dumps(data))

    def pruned_sets(self) -> list[tuple[tuple[str, ...], str]]:
        data = self._read("sets.marshal", _SETS_MAGIC)
        if not isinstance(data, list):
            return []
        return [entry for entry in data if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], tuple) and isinstance(entry[1], str)]

    def find_pruned(self, names: frozenset[str]) -> tuple[frozenset[str], bytes] | None:
        """The smallest cached pruned grammar made for a superset of `names`."""
        best: tuple[frozenset[str], str] | None = None
        for listed, key in self.pruned_sets():
            covered = frozenset(listed)
            if names <= covered and (best is None or len(covered) < len(best[0])):
                best = (covered, key)
        if best is None:
            return None
        try:
            return best[0], (self.folder / f"{best[1]}.rng").read_bytes()
        except OSError:
            return None

    def store_pruned(self, names: frozenset[str], rng: bytes) -> None:
        key = names_key(names)
        self._write(f"{key}.rng", rng)
        entries = [entry for entry in self.pruned_sets() if entry[1] != key]
        entries.append((tuple(sorted(names)), key))
        for _, old in entries[:-MAX_PRUNED]:
            try:
                (self.folder / f"{old}.rng").unlink()
            except OSError:
                pass
        self._write("sets.marshal", _SETS_MAGIC + marshal.dumps(entries[-MAX_PRUNED:]))
