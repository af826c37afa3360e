"""Any RELAX NG grammar, checked fast: cut to each document's elements, cached, then libxml2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Literal

from lxml import etree

from ...xmlio import parse_grammar, parse_grammar_bytes
from ..cachedir import file_digest
from .cache import GrammarCache, combined_digest
from .index import Index, Unsupported, read_index
from .prune import element_names, prune, to_rng

if TYPE_CHECKING:
    from .messages import Explainer


@dataclass(frozen=True)
class RawError:
    """One libxml2 RELAX NG error as reported, before it is put in words."""

    line: int
    path: str
    kind: str
    message: str


class RelaxNGGrammar:
    """A RELAX NG grammar file; `check(tree)` gives libxml2's errors against the grammar cut to
    the document's elements (the same verdict as the whole grammar, compiled in milliseconds)."""

    def __init__(self, path: Path, cache_folder: Path | None = None) -> None:
        self.path = Path(path)
        self._own_digest = file_digest(self.path)  # of the grammar file alone, read once (TEI All is 1 MB)
        self.digest = self._own_digest
        self._cache_folder = cache_folder
        # A grammar with includes is cached under a digest of all its files: changing an
        # included file is a new grammar. The list of those files is kept beside the main digest.
        included = GrammarCache(self._own_digest, cache_folder).included_files()
        if included:
            self.digest = combined_digest(self._own_digest, included)
        self.cache = GrammarCache(self.digest, cache_folder)
        self._index: Index | None = None
        self._whole: etree.RelaxNG | None = None
        self.prunable = True
        self._compiled: list[tuple[frozenset[str], etree.RelaxNG]] = []
        self._explainer: Explainer | Literal[False] | None = None
        if not self.cache.has_index():
            # Read once now, so a grammar that is no grammar fails here, not in mid-batch;
            # once cached (same sha256), a run never reads the grammar file again.
            try:
                self.index
            except Unsupported:
                self.prunable = False
                self._whole_grammar()

    @property
    def index(self) -> Index:
        if self._index is None:
            data = self.cache.load_index()
            if data is not None:
                self._index = Index.from_data(data)
            else:
                self._index = read_index(parse_grammar(self.path), self.path)
                if self._index.files:
                    GrammarCache(self._own_digest, self._cache_folder).store_included_files(list(self._index.files))
                    self.digest = combined_digest(self._own_digest, list(self._index.files))
                    self.cache = GrammarCache(self.digest, self._cache_folder)
                self.cache.store_index(self._index.to_data())
        return self._index

    def explainer(self) -> "Explainer | None":
        """What the index says about elements, made once per grammar (None: no index)."""
        from .messages import Explainer

        if self._explainer is None:
            try:
                self._explainer = Explainer(self.index)
            except (Unsupported, ValueError):
                self._explainer = False
        return self._explainer or None

    def validator_for(self, names: frozenset[str]) -> etree.RelaxNG:
        """A compiled grammar serving a document whose element names (Clark) are `names`."""
        if not self.prunable:
            return self._whole_grammar()
        # The smallest grammar made for a superset: fewer choices, faster to check.
        serving = [(len(covered), n, validator) for n, (covered, validator) in enumerate(self._compiled) if names <= covered]
        if serving:
            return min(serving, key=lambda item: item[:2])[2]
        cached = self.cache.find_pruned(names)
        if cached is not None:
            try:
                validator = etree.RelaxNG(parse_grammar_bytes(cached[1]))
            except (etree.XMLSyntaxError, etree.RelaxNGParseError):
                pass  # a damaged cache entry: made again below
            else:
                self._compiled.append((cached[0], validator))
                return validator
        try:
            index = self.index
        except Unsupported:
            self.prunable = False
            return self._whole_grammar()
        start, defines = prune(index, element_names(names))
        rng = to_rng(start, defines)
        validator = etree.RelaxNG(parse_grammar_bytes(rng))
        self.cache.store_pruned(names, rng)
        self._compiled.append((names, validator))
        return validator

    def _whole_grammar(self) -> etree.RelaxNG:
        # include, externalRef and the like: libxml2 reads them itself, with the files beside it.
        if self._whole is None:
            self._whole = etree.RelaxNG(parse_grammar(self.path))
        return self._whole

    def check(self, tree: etree._ElementTree) -> list[RawError]:
        names = frozenset(element.tag for element in tree.getroot().iter() if isinstance(element.tag, str))
        validator = self.validator_for(names)
        if validator.validate(tree):
            return []
        errors = [RawError(entry.line or 1, entry.path or "", entry.type_name, entry.message) for entry in validator.error_log]
        if not errors:
            # libxml2 says "invalid" with an empty log when no root is allowed: never read as valid.
            root = tree.getroot()
            errors.append(RawError(root.sourceline or 1, "/*", "RELAXNG_ERR_ROOT", f"root element {root.tag} not allowed"))
        return errors

    def errors(self, tree: etree._ElementTree) -> Iterator[tuple[int, str, str, str]]:
        """(line, xpath, code, message) for each error, in words, with what is allowed there."""
        from .messages import explain_all

        raw = self.check(tree)
        if raw:
            yield from explain_all(raw, tree, self)
