"""Editions -> a static reading edition: a page per document, indexes, a list. No JavaScript."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Iterable

from lxml import etree

from .cmif import web_address
from .edition import AUTHORITY_URI, KIND_OF, read_edition
from .text import TextWalker, gap_words
from .text import local_name as _local
from ..validate.files import iter_files
from ..xmlio import NSMAP, XML_ID, parse_file, write_atomic

INDEX_OF = {"person": "persons.html", "place": "places.html", "org": "organisations.html"}
TITLES = {"person": "Persons", "place": "Places", "org": "Organisations"}
CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }
nav { font-family: sans-serif; font-size: .9em; margin-bottom: 1.5em; } nav a { margin-right: 1em; }
dl.meta { display: grid; grid-template-columns: 11em 1fr; gap: .2em 1em; font-family: sans-serif; font-size: .9em; background: #f6f4ef; padding: 1em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
a.person { color: #1f4e8c; } a.place { color: #2e7d32; } a.org { color: #8a4b08; }
a.unlinked { border-bottom: 1px dotted #999; text-decoration: none; }
time { border-bottom: 1px dashed #777; }
.supplied { color: #555; } .gap { color: #a00; font-style: italic; } .sic::after { content: " [sic]"; color: #a00; }
.stamp { font-family: monospace; border: 1px solid #999; padding: 0 .3em; } .note-inline { color: #555; }
.opener, .closer { font-family: sans-serif; font-size: .92em; color: #333; } .opener p, .closer p { margin: .2em 0; }
.closer { text-align: right; } .distribution { border-top: 1px solid #ccc; margin-top: 2em; font-size: .92em; }
.speaker { font-weight: bold; } ol.notes { font-size: .9em; border-top: 1px solid #ccc; padding-top: 1em; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
body { overflow-wrap: break-word; } dd a { overflow-wrap: anywhere; }
.summary { background: #f6f4ef; padding: .2em 1em; margin: 1em 0; } .summary h2 { font-size: 1em; font-family: sans-serif; margin: .6em 0 0; }
.note-source { color: #555; } .note-editor { font-family: sans-serif; font-size: .9em; background: #eef3fa; border-left: 3px solid #1f4e8c; padding: 0 .4em; }
footer { border-top: 1px solid #ccc; margin-top: 2em; padding-top: .5em; font-family: sans-serif; font-size: .85em; color: #444; }
@media (max-width: 40em) {
  body { margin: 1em auto; } h1 { font-size: 1.45em; } h2 { font-size: 1.2em; }
  td, th { padding: .2em .3em; }
  dl.meta { grid-template-columns: 1fr; } dl.meta dd { margin-bottom: .4em; }
  table { display: block; overflow-x: auto; }
  .closer { text-align: left; }
}
"""

INDEX_FOOTER = "<p>Each document's page gives its licence and a link to its TEI source.</p>"

#: The note types that stand for a bracket of the source ([TN: ...], [Note: ...]).
SOURCE_NOTE_TYPES = frozenset({"translator", "editorial"})


def slug(text: str) -> str:
    return "name-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x")


@dataclass
class IndexEntry:
    kind: str
    anchor: str
    name: str
    linked: bool
    ids: dict[str, str] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)


class _Page(TextWalker):
    """One document's text as HTML, collecting names for the indexes and footnotes as it goes."""

    def __init__(self, doc_id: str, entries: dict[str, etree._Element], index: dict[tuple[str, str], IndexEntry]) -> None:
        self.doc_id = doc_id
        self.entries = entries
        self.index = index
        self.notes: list[str] = []
        self.in_link = False  # a name inside a name (a place in an organisation's name): one link, the outer

    def text(self, value: str) -> str:
        return escape(value)

    def name_link(self, element: etree._Element) -> str:
        kind = element.get("type") if _local(element) == "rs" and element.get("type") in INDEX_OF else KIND_OF[_local(element)]
        ref = (element.get("ref") or "").split()
        key = ref[0][1:] if ref and ref[0].startswith("#") and ref[0][1:] in self.entries else None
        outer = not self.in_link
        self.in_link = True
        try:
            inner = self.inline(element)
        finally:
            self.in_link = not outer
        surface = " ".join("".join(element.itertext()).split())
        if key:
            entry = self.entries[key]
            preferred = entry.find("tei:*[@type='preferred']", NSMAP)
            name = " ".join("".join((preferred if preferred is not None else entry[0]).itertext()).split()) if len(entry) else surface
            ids = {i.get("type"): (i.text or "").strip() for i in entry.iterfind("tei:idno", NSMAP) if i.get("type") in AUTHORITY_URI}
            item = self.index.setdefault((kind, key), IndexEntry(kind, key, name, True, ids))
            css = kind
        else:
            anchor = slug(surface)
            item = self.index.setdefault((kind, anchor), IndexEntry(kind, anchor, surface, False))
            css = f"{kind} unlinked"
        item.documents[self.doc_id] = item.documents.get(self.doc_id, 0) + 1
        if not outer:
            return inner
        return f'<a class="{css}" href="../{INDEX_OF[kind]}#{escape(item.anchor)}">{inner}</a>'

    def on_persName(self, element: etree._Element) -> str:
        return self.name_link(element)

    on_placeName = on_orgName = on_persName

    def on_rs(self, element: etree._Element) -> str:
        return self.name_link(element) if element.get("type") in INDEX_OF else self.inline(element)

    def on_date(self, element: etree._Element) -> str:
        # A point (or the start of a stretch) is a <time>; a date known only within bounds has no
        # single value HTML's datetime could hold, so it is a <span> with the bounds as its title.
        when = element.get("when") or element.get("from")
        not_before, not_after = element.get("notBefore"), element.get("notAfter")
        if element.get("from") and element.get("to"):
            said = f"{element.get('from')} to {element.get('to')}"
        elif when:
            said = when
        elif not_before and not_after:
            said = f"between {not_before} and {not_after}"
        elif not_before:
            said = f"not before {not_before}"
        elif not_after:
            said = f"not after {not_after}"
        else:
            said = ""
        title = said + (" (completed from the document's date)" if element.get("evidence") == "internal" else "")
        if when:
            return f'<time datetime="{escape(when)}" title="{escape(title)}">{self.inline(element)}</time>'
        return f'<span class="date" title="{escape(title)}">{self.inline(element)}</span>'

    def on_supplied(self, element: etree._Element) -> str:
        return f'<span class="supplied" title="supplied by the editor">[{self.inline(element)}]</span>'

    def on_gap(self, element: etree._Element) -> str:
        return f'<span class="gap" title="gap: {escape(element.get("reason", ""))}">[{escape(gap_words(element))}]</span>'

    def on_sic(self, element: etree._Element) -> str:
        return f'<span class="sic">{self.inline(element)}</span>'

    def on_choice(self, element: etree._Element) -> str:
        sic, corr = self.sic_and_corr(element)
        if sic is not None and corr is not None:
            return f'<span title="corrected from: {escape("".join(sic.itertext()))}">{self.inline(corr)}</span>'
        return self.first_alternative(element)

    def on_stamp(self, element: etree._Element) -> str:
        return f'<span class="stamp">Stamp: {self.inline(element)}</span>'

    def on_note(self, element: etree._Element) -> str:
        if element.get("place") == "foot":
            number = len(self.notes) + 1
            self.notes.append(f'<li id="note-{number}">{self.inline(element)} <a href="#ref-{number}">↑</a></li>')
            return f'<sup id="ref-{number}"><a href="#note-{number}">{escape(element.get("n", str(number)))}</a></sup>'
        if element.get("type") in SOURCE_NOTE_TYPES:
            return f'<span class="note-source" title="note in the source">[{self.inline(element)}]</span>'
        # Any other note is the edition's own, not a bracket of the archive's text: said so.
        return f'<span class="note-editor" role="note"><b>Editor’s note:</b> {self.inline(element)}</span>'

    def on_measure(self, element: etree._Element) -> str:
        return f'<span class="measure">{self.inline(element)}</span>'

    def on_lb(self, element: etree._Element) -> str:
        return "<br>"

    def blocks(self, parent: etree._Element) -> str:
        out: list[str] = []
        for child in parent:
            name = _local(child)
            if name == "div":
                css = "distribution" if child.get("type") == "distribution" else "document"
                heading = "<h3>Distribution</h3>" if css == "distribution" else ""
                out.append(f'<section class="{css}">{heading}{self.blocks(child)}</section>')
            elif name in ("opener", "closer"):
                lines = [f"<p>{self.node(c) if _local(c) in ('seg',) else self.inline(c)}</p>" for c in child if _local(c)]
                out.append(f'<div class="{name}">{"".join(lines)}</div>')
            elif name == "head":
                out.append(f"<h2>{self.inline(child)}</h2>")
            elif name in ("p", "salute", "ab", "trailer"):
                out.append(f'<p class="{name}">{self.inline(child)}</p>')
            elif name == "sp":
                speaker = child.find("tei:speaker", NSMAP)
                text = " ".join(self.inline(p) for p in child if _local(p) in ("p", "ab"))
                out.append(f'<p><span class="speaker">{self.inline(speaker) if speaker is not None else ""}</span> {text}</p>')
            elif name == "list":
                head = child.find("tei:head", NSMAP)
                items = "".join(f"<li>{self.inline(item)}</li>" if _local(item) == "item" else "" for item in child)
                labels = [self.inline(label) for label in child.iterfind("tei:label", NSMAP)]
                if labels:
                    items = "".join(f"<li><b>{label}</b> {self.inline(item)}</li>" for label, item in zip(labels, child.iterfind("tei:item", NSMAP)))
                out.append((f"<p><b>{self.inline(head)}</b></p>" if head is not None else "") + f"<ul>{items}</ul>")
        return "".join(out)


def _page(title: str, body: str, depth: int, footer: str = "") -> str:
    up = "../" * depth
    nav = f'<nav><a href="{up}index.html">Documents</a><a href="{up}persons.html">Persons</a><a href="{up}places.html">Places</a><a href="{up}organisations.html">Organisations</a></nav>'
    foot = f"\n<footer>{footer}</footer>" if footer else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{escape(title)}</title>\n<link rel="stylesheet" href="{up}style.css">\n</head>\n<body>\n{nav}\n<main>\n{body}\n</main>{foot}\n</body>\n</html>\n')


def page_name(edition_id: str) -> str:
    """A document's page name: its record id, or a stable slug of its file name; never a path."""
    return re.sub(r"[^a-z0-9_-]+", "-", edition_id.lower()).strip("-") or "document"


def _licence_footer(licence: str) -> str:
    parts = [part for part in licence.split("\n\n") if part.strip()]
    return "".join(f"<p>{escape(part)}</p>" for part in parts) if parts else "<p>No licence statement in the TEI source.</p>"


def export_html(paths: Iterable[str], out_dir: str | Path) -> tuple[list[Path], list[str]]:
    """Write the reading edition; return the pages written and the files that could not be read."""
    out = Path(out_dir)
    written: list[Path] = []
    problems: list[str] = []
    index: dict[tuple[str, str], IndexEntry] = {}
    documents: list[tuple[str, str, str]] = []
    titles: dict[str, str] = {}
    pages: list[tuple[Path, str]] = []
    tei_copies: list[tuple[Path, Path]] = []
    sources: dict[str, str] = {}
    for path in iter_files(paths):
        try:
            root = parse_file(path).getroot()
            edition = read_edition(path)
        except Exception as exc:
            problems.append(f"{path}: {getattr(exc, 'msg', None) or exc}")
            continue
        doc_id = page_name(edition.id)
        if doc_id in sources:
            problems.append(f"{path}: would be written as documents/{doc_id}.html, as is {sources[doc_id]}; give the editions distinct record ids")
            continue
        sources[doc_id] = path
        if edition.uri and not web_address(edition.uri):
            problems.append(f"{path}: the record address {edition.uri!r} is not an http(s) address; it is left out")
        entries = {e.get(XML_ID): e for e in root.iterfind("tei:standOff//*", NSMAP) if isinstance(e.tag, str) and e.get(XML_ID)}
        page = _Page(doc_id, entries, index)
        body = root.find("tei:text/tei:body", NSMAP)
        text_html = page.blocks(body) if body is not None else ""
        meta = [("Date", edition.date or ""), ("Type", edition.document_type or ""), ("Classification", edition.classification or ""),
                ("Precedence", edition.precedence or ""), ("Source", edition.source.get("citation") or ""),
                ("Translated by", ", ".join(edition.translators)), ("Funded by", ", ".join(edition.funders))]
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in meta if v)
        if edition.uri:
            shown = escape(edition.uri)
            rows += f'<dt>Record</dt><dd><a href="{shown}">{shown}</a></dd>' if web_address(edition.uri) else ""
        rows += f'<dt>TEI source</dt><dd><a href="../tei/{doc_id}.xml">{doc_id}.xml</a></dd>'
        abstract = f'<section class="summary" aria-label="Summary"><h2>Summary</h2><p>{escape(edition.abstract)}</p></section>\n' if edition.abstract else ""
        notes = f'<ol class="notes">{"".join(page.notes)}</ol>' if page.notes else ""
        title = edition.title or f"Document {edition.id}"
        html_body = f"<h1>{escape(title)}</h1>\n<dl class=\"meta\">{rows}</dl>\n{abstract}<article>{text_html}</article>{notes}"
        tei_copies.append((out / "tei" / f"{doc_id}.xml", Path(path)))
        target = out / "documents" / f"{doc_id}.html"
        pages.append((target, _page(title, html_body, 1, _licence_footer(edition.licence))))
        documents.append((edition.date or "", doc_id, title))
        titles[doc_id] = title
    if not documents:
        return written, problems  # nothing readable: no empty site in place of one
    for target, html_text in pages:
        write_atomic(target, html_text.encode("utf-8"))
        written.append(target)
    for target, source in tei_copies:
        write_atomic(target, source.read_bytes())  # the file as published, byte for byte
    documents.sort()
    listing = "".join(f'<tr><td>{escape(date)}</td><td><a href="documents/{escape(doc_id)}.html">{escape(title)}</a></td></tr>' for date, doc_id, title in documents)
    write_atomic(out / "index.html", _page("Documents", f"<h1>Documents</h1><table><tr><th>Date</th><th>Title</th></tr>{listing}</table>", 0, INDEX_FOOTER).encode("utf-8"))
    written.append(out / "index.html")
    by_kind: dict[str, list[IndexEntry]] = defaultdict(list)
    for entry in index.values():
        by_kind[entry.kind].append(entry)
    for kind, filename in INDEX_OF.items():
        rows = []
        for entry in sorted(by_kind.get(kind, []), key=lambda e: (not e.linked, e.name.lower())):
            links = " ".join(f'<a href="{escape(AUTHORITY_URI[t].format(v))}">{escape(t)}</a>' for t, v in sorted(entry.ids.items()) if web_address(AUTHORITY_URI[t].format(v)))
            docs = ", ".join(f'<a href="documents/{escape(d)}.html">{escape(titles.get(d, d))}</a> ({n})' for d, n in sorted(entry.documents.items()))
            status = "" if entry.linked else " <small>(not linked to the register)</small>"
            rows.append(f'<tr id="{escape(entry.anchor)}"><td>{escape(entry.name)}{status}</td><td>{sum(entry.documents.values())}</td><td>{links}</td><td>{docs}</td></tr>')
        body = f"<h1>{TITLES[kind]}</h1><table><tr><th>Name</th><th>Mentions</th><th>Authority</th><th>Documents</th></tr>{''.join(rows)}</table>"
        write_atomic(out / filename, _page(TITLES[kind], body, 0, INDEX_FOOTER).encode("utf-8"))
        written.append(out / filename)
    write_atomic(out / "style.css", CSS.lstrip().encode("utf-8"))
    return written, problems
