"""Each rule's documented examples: the failing one gives its code, the passing one does not."""

from __future__ import annotations

import pytest

from tei_tools.rules import RULES, example_document, load_all, select_rules
from tei_tools.validate import Config, validate_bytes

load_all()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_examples(code: str) -> None:
    rule = RULES[code]
    failing, passing = rule.examples()
    config = Config.build(select=[code])
    assert code in {p.code for p in validate_bytes(example_document(failing).encode(), "fails.xml", config)}
    assert code not in {p.code for p in validate_bytes(example_document(passing).encode(), "passes.xml", config)}
    assert rule.summary() and rule.name


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_examples_are_otherwise_schema_valid(code: str) -> None:
    """Examples show one fault each: apart from it, they pass the bundled schema."""
    failing, passing = RULES[code].examples()
    schema_only = Config.build(select=["SCH"])
    assert [str(p) for p in validate_bytes(example_document(passing).encode(), "passes.xml", schema_only)] == []


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rule code"):
        select_rules(["XYZ123"])
    with pytest.raises(ValueError):
        Config.build(ignore=["NOPE1"])


def test_codes_are_stable_and_unique() -> None:
    import re

    assert all(re.fullmatch(r"[A-Z]{2,3}\d{3}", code) for code in RULES)
    assert len({rule.name for rule in RULES.values()}) == len(RULES)
