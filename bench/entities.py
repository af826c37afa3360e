"""Score the name and date finders on the annotated texts in bench/entities/ (see its README).

    python bench/entities.py [--show] [--json] [--data DIR]

For every text the finders run line by line with the document's date and country, as the
converter runs them. A mention counts when its span and kind equal a gold one; the table gives
recall, precision and F1 per kind and for all kinds together, how many persons the register
does not know were found, and lists every wrong date value and every wrong link: a value or a
key that differs from the gold one, or a link on a span that is part of a name of another kind.
`--show` also lists the misses and the spurious mentions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tei_tools.annotate.dates import DateSpan, find_dates  # noqa: E402
from tei_tools.annotate.names import Context, find_names, find_roles  # noqa: E402
from tei_tools.annotate.register import load_register  # noqa: E402

DATA = ROOT / "bench" / "entities"
KIND_OF_TAG = {"persName": "person", "placeName": "place", "orgName": "org"}
KIND_OF_CODE = {"p": "person", "l": "place", "o": "org", "d": "date"}
KINDS = ("person", "place", "org", "date")
_GOLD = re.compile(r"\{\{(?P<code>[plod])(?::(?P<key>[^|}]*))?\|(?P<text>.*?)\}\}")


@dataclass(frozen=True)
class Gold:
    line: int
    start: int
    end: int
    kind: str
    key: str | None  # register key, or the date value


@dataclass
class Text:
    name: str
    date: str | None
    origin: str | None
    lines: list[str]
    gold: list[Gold]


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    unknown_persons: int = 0
    unknown_persons_found: int = 0
    links: int = 0
    links_right: int = 0
    wrong_values: list[str] = field(default_factory=list)
    wrong_links: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)


def read_text(path: Path) -> Text:
    header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
    lines: list[str] = []
    gold: list[Gold] = []
    for number, raw in enumerate(body.splitlines()):
        plain: list[str] = []
        position = 0
        length = 0
        for m in _GOLD.finditer(raw):
            before = raw[position : m.start()]
            plain.append(before)
            length += len(before)
            kind = KIND_OF_CODE[m["code"]]
            gold.append(Gold(number, length, length + len(m["text"]), kind, (m["key"] or "").strip() or None))
            plain.append(m["text"])
            length += len(m["text"])
            position = m.end()
        plain.append(raw[position:])
        lines.append("".join(plain))
    return Text(path.stem, fields.get("date", "").strip() or None, fields.get("origin", "").strip() or None, lines, gold)


def date_value(span: DateSpan) -> str:
    value = span.value
    if getattr(value, "from_", None) or getattr(value, "to", None):
        return f"{value.from_}/{value.to}"  # type: ignore[attr-defined]
    if getattr(value, "not_before", None) or getattr(value, "not_after", None):
        return f"{value.not_before}~{value.not_after}"  # type: ignore[attr-defined]
    return value.when


def predictions(text: Text, register) -> list[tuple[int, int, int, str, str | None]]:
    """(line, start, end, kind, key or value) of everything the finders report."""
    base = Context(text.date, text.origin)
    context = Context(text.date, text.origin, find_roles(text.lines, register, base))
    found = []
    for number, line in enumerate(text.lines):
        for mention in find_names(line, register, context, in_list=_looks_like_list_item(line)):
            kind = KIND_OF_TAG.get(mention.tag)
            if kind is None or mention.depth > 0:
                continue  # role references are not scored; nested names are extra detail
            found.append((number, mention.start, mention.end, kind, mention.ref))
        for span in find_dates(line, text.date):
            found.append((number, span.start, span.end, "date", date_value(span)))
    return found


def _looks_like_list_item(line: str) -> bool:
    # The converter knows list items from the page structure; here a short line with no
    # sentence punctuation stands in for one.
    return len(line.split()) <= 4 and not line.rstrip().endswith((".", ":", ";"))


def score(texts: list[Text], register) -> Score:
    result = Score()
    for text in texts:
        gold_at = {(g.line, g.start, g.end, g.kind): g for g in text.gold}
        for g in text.gold:
            if g.kind == "date" and g.key is None:
                continue  # nothing to find: a value would be wrong, no value is right
            result.gold[g.kind] += 1
            if g.kind == "person" and g.key is None:
                result.unknown_persons += 1
        predicted = predictions(text, register)
        hit: set[tuple[int, int, int, str]] = set()
        for line, start, end, kind, key in predicted:
            where = f"{text.name}:{line + 1}: {text.lines[line][start:end]!r}"
            g = gold_at.get((line, start, end, kind))
            if kind == "date":
                if g is not None and g.key is None:
                    result.wrong_values.append(f"{where} = {key}, the text settles no value")
                    continue
                result.found["date"] += 1
                if g is None:
                    result.spurious.append(f"{where} date {key}")
                    continue
                hit.add((line, start, end, kind))
                if key == g.key:
                    result.right["date"] += 1
                else:
                    result.wrong_values.append(f"{where} = {key}, should be {g.key}")
                continue
            result.found[kind] += 1
            if key is not None:
                result.links += 1
            if g is None:
                result.spurious.append(f"{where} {kind}" + (f" -> {key}" if key else ""))
                # A place or body named inside an organisation's name is itself a mention
                # (nesting); inside a person's name, or a person inside another name, it is not.
                overlapping = [o for o in text.gold if o.line == line and o.start < end and start < o.end and "person" in (o.kind, kind) and (o.kind != kind or o.key != key)]
                if key is not None and overlapping:
                    result.wrong_links.append(f"{where} -> {key}, inside the {overlapping[0].kind} {text.lines[line][overlapping[0].start:overlapping[0].end]!r}")
                continue
            hit.add((line, start, end, kind))
            result.right[kind] += 1
            if kind == "person" and g.key is None:
                result.unknown_persons_found += 1
            if key is not None:
                if key == g.key:
                    result.links_right += 1
                else:
                    result.wrong_links.append(f"{where} -> {key}, should be {g.key or 'unlinked'}")
        for g in text.gold:
            if (g.line, g.start, g.end, g.kind) not in hit and not (g.kind == "date" and g.key is None):
                result.misses.append(f"{text.name}:{g.line + 1}: {text.lines[g.line][g.start:g.end]!r} {g.kind} {g.key or ''}".rstrip())
    return result


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def table(result: Score) -> str:
    rows = ["| kind | gold | found | right | recall | precision | F1 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind in (*KINDS, "all"):
        if kind == "all":
            gold, found, right = (sum(d.values()) for d in (result.gold, result.found, result.right))
        else:
            gold, found, right = result.gold[kind], result.found[kind], result.right[kind]
        recall, precision = ratio(right, gold), ratio(right, found)
        f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
        rows.append(f"| {kind} | {gold} | {found} | {right} | {recall:.1%} | {precision:.1%} | {f1:.3f} |")
    rows.append("")
    rows.append(f"persons the register does not know: {result.unknown_persons_found} of {result.unknown_persons} found ({ratio(result.unknown_persons_found, result.unknown_persons):.1%})")
    rows.append(f"links: {result.links} made, {result.links_right} right; wrong links: {len(result.wrong_links)}; wrong date values: {len(result.wrong_values)}")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="also list misses and spurious mentions")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of annotated texts (default bench/entities; bench/heldout holds texts the rules were not developed on)")
    args = parser.parse_args()
    texts = [read_text(path) for path in sorted(args.data.glob("*.txt"))]
    register = load_register()
    started = time.perf_counter()
    result = score(texts, register)
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"gold": result.gold, "found": result.found, "right": result.right, "unknown_persons": [result.unknown_persons_found, result.unknown_persons], "wrong_links": result.wrong_links, "wrong_values": result.wrong_values}, indent=1))
        return 0
    print(f"{len(texts)} texts, {sum(len(t.lines) for t in texts)} lines, scored in {elapsed:.2f} s\n")
    print(table(result))
    for title, items in (("wrong links", result.wrong_links), ("wrong date values", result.wrong_values)):
        if items:
            print(f"\n{title}:")
            print("\n".join(f"  {item}" for item in items))
    if args.show:
        for title, items in (("misses", result.misses), ("spurious", result.spurious)):
            print(f"\n{title}:")
            print("\n".join(f"  {item}" for item in items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
