"""The `tei-tools` command: parses arguments, calls the library, picks a reporter, sets the exit code.

Exit codes: 0 clean, 1 problems found, 2 usage error or input that cannot be used.
"""

# No `from __future__ import annotations` here: typer reads these annotations at every start-up,
# and as strings it would parse and evaluate each of them twice.
from contextlib import nullcontext
import gc
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Archive page texts to TEI P5 editions, and a validator for TEI files.")

OK, PROBLEMS, USAGE = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tei-tools {__version__}")
        raise typer.Exit(OK)


@app.callback()
def main_options(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False) -> None:
    """tei-tools."""


def _printable_names() -> None:
    """A file name that is not UTF-8 is printed with escapes, not a crash, whatever the output's encoding."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _change_date(date: str | None) -> str | None:
    """The revision date: --date, else SOURCE_DATE_EPOCH, else none (same input, same bytes)."""
    if date:
        from .isodate import check_iso

        if check_iso(date):
            raise typer.BadParameter(f"--date {date!r}: give an ISO date such as 2026-11-27")
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            import datetime as dt

            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError):
            raise typer.BadParameter(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    return None


@app.command()
def convert(
    paths: Annotated[list[Path], typer.Argument(help="Page texts: files, or folders of *.txt files.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the TEI files.")] = Path("encoded"),
    register: Annotated[Optional[list[Path]], typer.Option("--register", help="A TEI register file to merge with the packaged one (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files edited by hand, keeping a .bak copy beside each.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the revisionDesc change (default: SOURCE_DATE_EPOCH, else none).")] = None,
    schema_href: Annotated[str, typer.Option("--schema-href", help="Where the xml-model instructions point (folder of tei-tools.rng/.xsd).")] = "../schemas/",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0: one per core).")] = 1,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="In folders, also read links that lead out of them.")] = False,
) -> None:
    """Convert archive page texts to TEI, one file per page, named by Record ID."""
    _printable_names()
    from .encode.batch import convert_paths, iter_inputs
    from .encode.tei import Options
    from .problems import ConversionError
    from .annotate.register import load_register

    for path in paths:
        if not path.exists():
            _err(f"{path}: no such file or folder")
            raise typer.Exit(USAGE)
    try:
        loaded = load_register(tuple(str(p) for p in register or ()))
    except ConversionError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(USAGE) from None
    if output.exists() and not output.is_dir():
        _err(f"{output}: not a folder; -o names the folder the TEI files go to")
        raise typer.Exit(USAGE)
    options = Options(change_date=_change_date(date), schema_href=schema_href)
    inputs = list(iter_inputs(paths, follow_links=follow_links))
    status = OK
    results = convert_paths(inputs, output, register=loaded, options=options, force=force, dry_run=dry_run, jobs=jobs if jobs > 0 else (os.cpu_count() or 1), follow_links=True)  # links already chosen above
    show_bar = len(inputs) > 1 and sys.stderr.isatty()
    with typer.progressbar(results, length=len(inputs), label="converting", file=sys.stderr) if show_bar else nullcontext(results) as bar:
        for result in bar:
            if result.status == "error":
                _err(f"{result.source}: error: {result.message}")
                status = USAGE
                continue
            if result.status == "skipped":
                _err(f"{result.source}: skipped: {result.message}")
                status = max(status, PROBLEMS)
                continue
            note = f" ({len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''})" if result.warnings else ""
            verb = {"written": "wrote", "unchanged": "unchanged", "would-write": "would write"}[result.status]
            backup = f"; previous kept as {result.backup}" if result.backup else ""
            typer.echo(f"{result.source} -> {result.target}: {verb}{note}{backup}")
            if result.message:
                typer.echo(f"  {result.message}")
            for line in result.diff:
                typer.echo(f"  {line}")
            for warning in result.warnings:
                _err(f"{result.source}: warning: {warning}")
    raise typer.Exit(status)


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="TEI files, folders (searched for *.xml), or - for standard input.")],
    schema: Annotated[Optional[Path], typer.Option("--schema", help="Another XSD or RELAX NG grammar instead of the bundled one.")] = None,
    jing: Annotated[bool, typer.Option("--jing", help="Check with jing (RELAX NG) instead of libxml2; needs Debian's jing.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these codes (or prefixes such as DAT); repeatable.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Drop these codes (or prefixes); repeatable.")] = None,
    output_format: Annotated[Optional[str], typer.Option("--format", help="text, json, junit or github (default: github under GitHub Actions, else text).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0: one per core).")] = 1,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Add the pure-Python xmlschema engine's account to schema errors (slower; failing files only).")] = False,
    max_problems: Annotated[int, typer.Option("--max-problems", help="Problems reported per file; one more counts the rest (0: all).")] = 1000,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="In folders, also read links that lead out of them.")] = False,
) -> None:
    """Check TEI files against the bundled schema and the rules; exit 1 when problems are found."""
    started = time.perf_counter()
    _printable_names()
    from .validate.report import REPORTERS, Summary, default_format
    from .validate import Config, validate_paths

    name = output_format or default_format()
    if name not in REPORTERS:
        _err(f"error: unknown format {name!r}; choose one of {', '.join(REPORTERS)}")
        raise typer.Exit(USAGE)
    try:
        config = Config.build(schema_path=str(schema) if schema else None, select=[c.strip() for s in select or [] for c in s.split(",") if c.strip()], ignore=[c.strip() for s in ignore or [] for c in s.split(",") if c.strip()], explain=explain, max_problems=max(0, max_problems), jing=jing)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(USAGE) from None
    if schema is not None and not schema.exists():
        _err(f"error: schema {schema} not found")
        raise typer.Exit(USAGE)
    if jing:
        from .validate.jing import jing_available

        if not jing_available():
            _err("error: --jing needs jing on the PATH (Debian package 'jing')")
            raise typer.Exit(USAGE)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        _err(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(USAGE)
    try:
        config.schema()
    except Exception as exc:  # a grammar libxml2 cannot compile
        _err(f"error: cannot use the schema: {exc}")
        raise typer.Exit(USAGE) from None
    # What start-up made (modules, the compiled schema) lives as long as the run: the garbage
    # collector need not walk it again at every collection while thousands of files pass.
    gc.freeze()
    reporter = REPORTERS[name](sys.stdout, sys.stderr)
    summary = Summary()
    unreadable = False
    from .validate.jing import JingError

    try:
        for result in validate_paths(paths, config, jobs=jobs if jobs > 0 else (os.cpu_count() or 1), follow_links=follow_links):
            reporter.file(result)
            summary.add(result)
            unreadable = unreadable or result.unreadable
    except JingError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(USAGE) from None
    finally:
        gc.unfreeze()  # a caller that goes on (tests, a notebook) gets its collector back as it was
    summary.seconds = time.perf_counter() - started
    reporter.finish(summary)
    if unreadable:
        raise typer.Exit(USAGE)
    if summary.errors or (strict and summary.warnings):
        raise typer.Exit(PROBLEMS)
    raise typer.Exit(OK)


@app.command()
def render(path: Annotated[Path, typer.Argument(help="A TEI edition.")]) -> None:
    """Print the document text of a TEI edition, editorial marks back in brackets."""
    from lxml import etree

    from .export.text import render as render_tree
    from .xmlio import UnsafeXML, parse_file

    try:
        tree = parse_file(path)
    except (OSError, etree.XMLSyntaxError, UnsafeXML) as exc:
        _err(f"{path}: error: {exc}")
        raise typer.Exit(USAGE) from None
    sys.stdout.write(render_tree(tree))


@app.command()
def entities(
    paths: Annotated[list[str], typer.Argument(help="TEI files or folders.")],
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    min_coverage: Annotated[Optional[float], typer.Option("--min-coverage", help="Exit 1 when fewer than this percent of name mentions are linked.")] = None,
) -> None:
    """List persons, places and organisations with counts and authority ids; unlinked names as a review queue."""
    import csv
    import json

    from .export.entities import collect, rows

    missing = [p for p in paths if not Path(p).exists()]
    if missing or output_format not in ("table", "csv", "json"):
        _err(f"error: {'no such file or folder: ' + ', '.join(missing) if missing else 'unknown format ' + repr(output_format)}")
        raise typer.Exit(USAGE)
    index = collect(paths)
    table = rows(index)
    for error in index.errors:
        _err(f"error: {error}")
    if output_format == "json":
        typer.echo(json.dumps({"coverage": round(index.coverage, 2), "mentions": index.mentions, "entities": table}, indent=2, ensure_ascii=False))
    elif output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(table[0]) if table else ["status"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    else:
        widths = {"status": 7, "kind": 6, "key": 28, "name": 40, "count": 5, "files": 5, "wikidata": 9, "geonames": 9}
        typer.echo("  ".join(column.ljust(width) for column, width in widths.items()))
        for row in table:
            typer.echo("  ".join(str(row[column])[:width].ljust(width) for column, width in widths.items()))
    _err(f"{index.mentions} name mentions, {len(index.linked)} linked entities, {len(index.unlinked)} unlinked names to review; coverage {index.coverage:.1f}%")
    if index.errors:
        raise typer.Exit(USAGE)
    if min_coverage is not None and index.coverage < min_coverage:
        _err(f"coverage {index.coverage:.1f}% is below --min-coverage {min_coverage:g}%")
        raise typer.Exit(PROBLEMS)


export_app = typer.Typer(help="Export editions for exchange: CMIF, JSON, a static HTML reading edition.", no_args_is_help=True)
app.add_typer(export_app, name="export")


@export_app.command("cmif")
def export_cmif_command(
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The CMIF file to write.")],
    editor: Annotated[str, typer.Option("--editor", help="Who is responsible for the CMIF file.")] = "History and Public Policy Program",
    url: Annotated[Optional[str], typer.Option("--url", help="The address where the CMIF file will be published (default: its file name).")] = None,
    licence: Annotated[str, typer.Option("--licence", help="Licence URL of the metadata.")] = "https://creativecommons.org/licenses/by/4.0/",
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date (default: SOURCE_DATE_EPOCH, else the newest upload date of the editions).")] = None,
) -> None:
    """Write a CMIF file (correspSearch) with one correspDesc per edition."""
    from .export.cmif import export_cmif
    from .xmlio import serialize, write_atomic

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _err(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(USAGE)
    root, problems = export_cmif(paths, editor=editor, url=url or output.name, date=_change_date(date), licence_url=licence)
    for problem in problems:
        _err(f"error: {problem}")
    write_atomic(output, serialize(root))
    count = len(root.findall('.//{http://www.tei-c.org/ns/1.0}correspDesc'))
    typer.echo(f"wrote {output}: {count} correspDesc{'s' if count != 1 else ''}")
    raise typer.Exit(USAGE if problems else OK)


@export_app.command("json")
def export_json_command(
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder for one NAME.json per edition (default: JSON lines on standard output).")] = None,
) -> None:
    """The documented JSON form of each edition (docs/JSON.md)."""
    import json

    from .export.edition import edition_json, read_edition
    from .validate import iter_files
    from .xmlio import write_atomic

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _err(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(USAGE)
    status = OK
    for path in iter_files(paths):
        try:
            data = edition_json(read_edition(path))
        except Exception as exc:
            _err(f"{path}: error: {exc}")
            status = USAGE
            continue
        text = json.dumps(data, ensure_ascii=False, indent=2 if output else None, sort_keys=False)
        if output:
            target = output / (Path(path).stem + ".json")
            write_atomic(target, (text + "\n").encode("utf-8"))
            typer.echo(f"{path} -> {target}")
        else:
            typer.echo(text)
    raise typer.Exit(status)


@export_app.command("html")
def export_html_command(
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the reading edition.")] = Path("site"),
) -> None:
    """A static reading edition that works offline: a page per document, indexes of names, a list of documents."""
    from .export.html import export_html

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        _err(f"error: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(USAGE)
    written, problems = export_html(paths, output)
    for problem in problems:
        _err(f"error: {problem}")
    typer.echo(f"wrote {len(written)} pages to {output}/ (open {output}/index.html)")
    raise typer.Exit(USAGE if problems else OK)


@app.command()
def rules() -> None:
    """List the validation rules with their documentation."""
    from .validate.rules import load_all
    from .validate import FIXED_CODES

    for code, rule in sorted(load_all().items()):
        typer.echo(f"{code} {rule.name} ({rule.severity})")
        doc = rule.doc.strip("\n")
        typer.echo("\n".join("    " + line.strip() if line.strip() else "" for line in doc.split("\n")))
        typer.echo("")
    typer.echo("Codes from reading and the schema:")
    for code, text in FIXED_CODES.items():
        typer.echo(f"{code} {text}")


def main() -> None:
    app()
