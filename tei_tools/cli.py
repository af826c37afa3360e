"""The `tei-tools` command: parses arguments, calls the library, picks a reporter, sets the exit code.

Exit codes: 0 clean, 1 problems found, 2 usage error or input that cannot be used, 3 a bug.
"""

# No `from __future__ import annotations` here: typer reads these annotations at every start-up,
# and as strings it would parse and evaluate each of them twice.
from contextlib import contextmanager, nullcontext
import gc
import os
import re
import sys
import time
from pathlib import Path
from typing import Annotated, Iterator, NoReturn, Optional

import click
import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from . import __version__

OK, PROBLEMS, USAGE, CRASH = 0, 1, 2, 3
PROG = "tei-tools"
FORMATS = ("text", "json", "junit", "github", "sarif")


def _error_line(subject: str, message: str, kind: str = "error") -> str:
    """The one shape of every diagnostic: `tei-tools: error: SUBJECT: what is wrong, and what to do`."""
    return f"{PROG}: {kind}: {subject}: {message}"


def _keep_argument_help() -> None:
    """click 8.3 and later give every Parameter a `help` and set it in Parameter.__init__, after
    typer-slim 0.16's TyperArgument has stored its own: arguments lost their help texts."""
    original = TyperArgument.__init__
    if getattr(original, "_keeps_help", False):
        return

    def __init__(self, *args, help=None, **kwargs):  # type: ignore[no-untyped-def]
        original(self, *args, help=help, **kwargs)
        self.help = help

    __init__._keeps_help = True  # type: ignore[attr-defined]
    TyperArgument.__init__ = __init__  # type: ignore[method-assign]
    # Those click versions also print a "Positional arguments" section of their own, beside
    # typer's "Arguments": one is enough.
    if hasattr(click.Command, "format_arguments"):
        for command_class in (TyperCommand, TyperGroup):
            command_class.format_arguments = lambda self, ctx, formatter: None  # type: ignore[method-assign]


_keep_argument_help()


class _Group(TyperGroup):
    """Usage errors as one line on standard error, exit 2, in every command (click prints a
    usage block and a framed message by default)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def, override]
        try:
            code = super().main(args, PROG, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # no arguments at all: the help is the answer
            sys.exit(USAGE)
        except click.UsageError as exc:
            typer.echo(_usage_line(exc), err=True)
            sys.exit(USAGE)
        except click.ClickException as exc:
            typer.echo(_error_line(PROG, exc.format_message()), err=True)
            sys.exit(USAGE)
        except click.exceptions.Abort:
            sys.exit(130)
        except BrokenPipeError:  # `tei-tools validate ... | head`: the reader has gone; no traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except Exception as exc:  # a bug: said in one line, never exit 1 (which means "problems found")
            if os.environ.get("TEI_TOOLS_DEBUG"):
                raise
            typer.echo(_error_line("internal error", f"{type(exc).__name__}: {exc}; this is a bug in tei-tools (TEI_TOOLS_DEBUG=1 shows the traceback)"), err=True)
            sys.exit(CRASH)
        sys.exit(code if isinstance(code, int) else OK)


def _usage_line(exc: click.UsageError) -> str:
    command = exc.ctx.command_path if exc.ctx else PROG
    hint = f"see '{command} -h'"
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        what = "argument" if isinstance(exc.param, click.Argument) else "option"
        name = exc.param.human_readable_name if what == "argument" else "/".join(exc.param.opts)
        return _error_line(name, f"this {what} is required ({hint})")
    if isinstance(exc, click.NoSuchOption):
        close = f"; did you mean {' or '.join(exc.possibilities)}?" if exc.possibilities else ""
        return _error_line(exc.option_name, f"no such option for '{command}'{close} ({hint})")
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        name = exc.param_hint if isinstance(exc.param_hint, str) else "/".join(exc.param.opts) if exc.param.opts else exc.param.name
        return _error_line(str(name).strip("'"), f"{exc.message} ({hint})")
    return _error_line(command, f"{exc.format_message()} ({hint})")


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Archive page texts to TEI P5 editions, and a validator for TEI files.",
)


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


def _say(subject: str, message: str, kind: str = "error") -> None:
    """One diagnostic line for one file of a batch; the batch goes on."""
    _err(_error_line(str(subject), _plain(message), kind))


def _fail(subject: str | Path, message: str) -> NoReturn:
    """A usage or input error: one line, exit 2, nothing written."""
    _say(str(subject), message)
    raise typer.Exit(USAGE)


_LIBXML_NOISE = (
    (re.compile(r" \(<string>, line \d+\)"), ""),
    (re.compile(r",? line \d+, column \d+"), ""),
    (re.compile(r"\bxml[A-Z]\w*: "), ""),
)


def _plain(message: str) -> str:
    """A message without libxml2's function names and `(<string>, line N)` trailers."""
    for pattern, replacement in _LIBXML_NOISE:
        message = pattern.sub(replacement, message)
    return message


def _reason(exc: BaseException) -> str:
    """What went wrong, in words: an OSError's strerror, a parser's message without its noise."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return _plain(str(getattr(exc, "msg", None) or exc))


def _inputs(paths: list[str] | list[Path], *, dash: bool = False) -> None:
    """Every input exists; '-' only where standard input is read."""
    for raw in map(str, paths):
        if raw == "-":
            if not dash:
                _fail("-", "standard input is not read by this command; give files or folders")
            continue
        if not Path(raw).exists():
            _fail(raw, "no such file or folder")


def _output_folder(path: Path, option: str = "--output") -> None:
    if str(path) == "-":
        _fail("-", f"{option} takes a folder, not standard output; give a folder name")
    if path.exists() and not path.is_dir():
        _fail(path, f"{option} names an existing file; give a folder (it is created if missing)")


def _output_file(path: Path | None, option: str = "--output") -> Path:
    if path is None:
        _fail(option, "this option is required: give the file to write")
    if str(path) == "-":
        _fail("-", f"{option} takes a file name, not standard output; give a file to write")
    if path.is_dir():
        _fail(path, f"{option} names a folder; give the file to write")
    return path


_SIZE = re.compile(r"(?i)^\s*(\d+)\s*([kmg]i?b?|b)?\s*$")


def _size(value: str) -> int:
    """`--max-size`: bytes, or a number with k, M or G (powers of 1024)."""
    m = _SIZE.match(value)
    if not m or int(m.group(1)) == 0:
        raise typer.BadParameter(f"{value!r} is not a size; give bytes or a number with k, M or G, such as 100M")
    unit = (m.group(2) or "b")[0].lower()
    return int(m.group(1)) * {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


_HREF_FORBIDDEN = re.compile(r'[\s"<>\\^`{|}]|\?>')
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#][^\s]*)?$|^https?://localhost(?::\d+)?(?:[/?#][^\s]*)?$", re.I)


def _check_href(value: str, option: str) -> str:
    """A relative or http(s) URI reference that can sit in an attribute or a processing instruction."""
    if _HREF_FORBIDDEN.search(value) or not value:
        _fail(option, f"{value!r} cannot be written as an address (spaces, quotes, <, > or ?> are not allowed); give a URI such as ../schemas/")
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        _fail(option, f"{value!r}: only relative paths and http(s) addresses are written; {scheme.group(1)}: is not")
    return value


def _check_url(value: str, option: str) -> str:
    """An absolute http(s) address, as harvesters need."""
    if _HREF_FORBIDDEN.search(value) or not _URL.match(value):
        _fail(option, f"{value!r} is not an http(s) address; give one such as https://example.org/cmif.xml")
    return value


def _change_date(date: str | None) -> str | None:
    """The revision date: --date, else SOURCE_DATE_EPOCH, else none (same input, same bytes)."""
    if date:
        from .isodate import check_iso

        if check_iso(date):
            _fail("--date", f"{date!r} is not a date; give an ISO date such as 2026-11-27")
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            import datetime as dt

            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date().isoformat()
        except (ValueError, OverflowError):
            _fail("SOURCE_DATE_EPOCH", f"{epoch!r} is not a number of seconds since 1970; correct or unset it")
    return None


JOBS = typer.Option("--jobs", "-j", min=0, max=256, help="Worker processes, 0 to 256 (0: one per core).")


@contextmanager
def _start_up_kept() -> Iterator[None]:
    """What start-up made lives as long as the run: the garbage collector need not walk it again
    at every collection. A caller that goes on (tests, a notebook) gets its collector back."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _jobs(jobs: int) -> int:
    if jobs > 0:
        return jobs
    # The cores this process may run on (a container or `taskset` may give it fewer than the machine has).
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@app.command()
def convert(
    paths: Annotated[list[Path], typer.Argument(help="Page texts: files, folders of *.txt files (any case), or - for standard input.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the TEI files (created if missing).")] = Path("encoded"),
    register: Annotated[Optional[list[Path]], typer.Option("--register", help="A TEI register file to merge with the packaged one (repeatable).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files edited by hand, keeping a .bak copy beside each.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the revisionDesc change (default: SOURCE_DATE_EPOCH, else none).")] = None,
    schema_href: Annotated[str, typer.Option("--schema-href", help="Where the xml-model instructions point (folder of tei-tools.rng/.xsd): a relative path or an http(s) address.")] = "../schemas/",
    jobs: Annotated[int, JOBS] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and warnings, not a line per file written.")] = False,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="In folders, also read links that lead out of them.")] = False,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write per page the fields, paragraphs, names and warnings (with their lines) to this JSON file.")] = None,
) -> None:
    """Convert archive page texts to TEI, one file per page, named by Record ID."""
    import tempfile

    _printable_names()

    from .encode.batch import convert_paths, iter_inputs
    from .encode.tei import Options
    from .problems import ConversionError
    from .annotate.register import load_register

    _inputs(paths, dash=True)
    _output_folder(output)
    _check_href(schema_href, "--schema-href")
    for extra in register or ():
        if str(extra) == "-":
            _fail("-", "--register takes a TEI register file, not standard input")
        if extra.is_dir():
            _fail(extra, "--register names a folder; give a TEI register file (listPerson, listPlace, listOrg)")
    try:
        loaded = load_register(tuple(str(p) for p in register or ()))
    except ConversionError as exc:
        subject, _, message = str(exc).partition(": ")
        _fail(subject, f"{message}; correct the register or leave it out")
    options = Options(change_date=_change_date(date), schema_href=schema_href)
    with tempfile.TemporaryDirectory(prefix="tei-tools-stdin-") as scratch:
        stdin_copy = None
        if any(str(p) == "-" for p in paths):
            # Standard input becomes a file, so it is converted, named and recorded like any other.
            stdin_copy = Path(scratch) / "stdin.txt"
            stdin_copy.write_bytes(sys.stdin.buffer.read())
        given = [stdin_copy if str(p) == "-" else p for p in paths]
        inputs = list(iter_inputs(given, follow_links=follow_links))
        empty = [p for p in given if p.is_dir() and not any(i.is_relative_to(p) for i in inputs)]
        if empty:
            _fail(empty[0], "no *.txt page in this folder (nor below it); give page texts or another folder")

        def shown(source: str) -> str:
            return "-" if stdin_copy is not None and source == str(stdin_copy) else source

        status = OK
        results = convert_paths(inputs, output, register=loaded, options=options, force=force, dry_run=dry_run, jobs=_jobs(jobs), follow_links=True)  # links already chosen above
        show_bar = len(inputs) > 1 and sys.stderr.isatty() and not quiet
        seen: list = []  # every result, in input order, for the summary and --report
        with typer.progressbar(results, length=len(inputs), label="converting", file=sys.stderr) if show_bar else nullcontext(results) as bar:
            for result in bar:
                seen.append(result)
                source = shown(result.source)
                if result.status == "error":
                    _say(source, result.message)
                    status = USAGE
                    continue
                if result.status == "skipped":
                    _say(source, result.message, "skipped")
                    status = max(status, PROBLEMS)
                    _relink_hint(result.target, loaded)
                    continue
                note = f" ({len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''})" if result.warnings else ""
                verb = {"written": "wrote", "unchanged": "unchanged", "would-write": "would write"}[result.status]
                backup = f"; previous kept as {result.backup}" if result.backup else ""
                if not quiet or result.diff:
                    typer.echo(f"{source} -> {result.target}: {verb}{note}{backup}")
                if result.message:
                    typer.echo(f"  {result.message}")
                    _relink_hint(result.target, loaded)
                for line in result.diff:
                    typer.echo(f"  {line}")
                for warning in result.warnings:
                    _say(source, warning, "warning")
        if report is not None or len(inputs) > 1:
            from .encode.batch import conversion_report

            document = conversion_report(seen)
            summary = document["summary"]
            assert isinstance(summary, dict)
            if not quiet or summary["with_warnings"] or summary["errors"]:
                _err(f"{summary['pages']} page{'s' if summary['pages'] != 1 else ''}: {summary['with_warnings']} with warnings, {summary['errors']} not converted")
            if report is not None:
                import json

                from .xmlio import write_atomic

                write_atomic(report, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    raise typer.Exit(status)


def _relink_hint(target: Optional[str], register: object) -> None:
    """For an edited file convert keeps as it is: the links `annotate --relink` would add."""
    from .encode.relink import relink_hint

    hint = relink_hint(target, register) if target else None  # type: ignore[arg-type]
    if hint:
        typer.echo(f"  {hint}")


def _codes(values: list[str] | None) -> list[str]:
    """Codes from repeated and comma-separated options, in capitals (codes are case-insensitive);
    a Schematron code keeps the case of its id after `SCT:` (ids are names: `SCT:h` is not `SCT:H`)."""
    codes = [c.strip() for s in values or [] for c in s.split(",") if c.strip()]
    return [head.upper() + colon + tail for head, colon, tail in (c.partition(":") for c in codes)]


def _expand(paths: list[str]) -> list[str]:
    """Paths as given; a pattern the shell left alone (quoted, or on Windows) is expanded here.
    A folder without *.xml files or a pattern that matches nothing is an error, not a green run."""
    import glob

    from .validate import iter_files

    out: list[str] = []
    for raw in paths:
        if raw != "-" and not Path(raw).exists() and glob.has_magic(raw):
            found = sorted(glob.glob(raw, recursive=True))
            if not found:
                _fail(raw, "the pattern matches no file; check it, or give files or folders")
            out.extend(found)
            continue
        if raw != "-" and not Path(raw).exists():
            _fail(raw, "no such file or folder")
        if Path(raw).is_dir() and next(iter_files([raw]), None) is None:
            _fail(raw, "no *.xml file in this folder (nor below it); give TEI files or another folder")
        out.append(raw)
    return out


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="TEI files, folders (searched for *.xml), patterns such as 'editions/**/*.xml', or - for standard input.", show_default=False)],
    schema: Annotated[Optional[str], typer.Option("--schema", help="auto (default: files of other projects against the grammars their xml-model names, ours against the bundled one), or an XSD or RELAX NG grammar for every file.")] = None,
    catalog: Annotated[Optional[list[str]], typer.Option("--catalog", help="An OASIS XML catalog mapping the addresses xml-model names to local files; repeatable.")] = None,
    xinclude: Annotated[bool, typer.Option("--xinclude", help="Resolve XIncludes of files inside the folders being checked (never a URL).")] = False,
    jing: Annotated[bool, typer.Option("--jing", help="Check with jing (RELAX NG) instead of libxml2; needs Debian's jing.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these codes (or prefixes such as DAT), any case; repeatable.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Drop these codes (or prefixes), any case; repeatable.")] = None,
    output_format: Annotated[Optional[str], typer.Option("--format", click_type=click.Choice(FORMATS), help="Output format (default: github under GitHub Actions, else text).", show_default=False)] = None,
    jobs: Annotated[int, JOBS] = 1,
    strict: Annotated[Optional[bool], typer.Option("--strict/--no-strict", help="Warnings fail the run too.", show_default=False)] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Add the pure-Python xmlschema engine's account to schema errors (slower; failing files only).")] = False,
    schematron: Annotated[Optional[list[Path]], typer.Option("--schematron", help="An ISO Schematron schema, or a RELAX NG grammar with embedded rules, run after the grammar (repeatable).")] = None,
    phase: Annotated[Optional[str], typer.Option("--phase", help="Schematron phase: an id, #DEFAULT (the default) or #ALL.")] = None,
    profile: Annotated[str, typer.Option("--profile", help="Rules: auto (house rules for our own editions, generic TEI rules for others), tei-tools or generic.")] = "auto",
    shard: Annotated[Optional[str], typer.Option("--shard", help="Check only part K of N of the sorted files (K/N, by a hash of each path); merge the reports with merge-reports.")] = None,
    summary_file: Annotated[Optional[Path], typer.Option("--summary", help="Append a Markdown summary to this file (for CI: $GITHUB_STEP_SUMMARY).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line; results only.")] = False,
    max_size: Annotated[Optional[str], typer.Option("--max-size", help="Refuse files larger than this: bytes, or with k, M or G (default 50M).", show_default=False)] = None,
    max_problems: Annotated[int, typer.Option("--max-problems", help="Problems reported per file; one more counts the rest (0: all).")] = 1000,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="In folders, also read links that lead out of them.")] = False,
) -> None:
    """Check TEI files against the bundled schema and the rules; exit 1 when problems are found.

    Settings are read from tei-tools.toml or [tool.tei-tools] in pyproject.toml (the nearest,
    walking up from the working directory): select, ignore, strict, schema, format, max-size.
    Options on the command line win.
    """
    started = time.perf_counter()
    from . import xmlio
    from .config import ConfigError, find_settings
    _printable_names()
    from .validate.report import REPORTERS, Summary, default_format
    from .validate import Config, validate_paths

    try:
        settings = find_settings()
    except ConfigError as exc:
        _fail(exc.path, str(exc))
    name = output_format or settings.get("format") or default_format()
    if name not in REPORTERS:
        _fail(settings.path or "--format", f"unknown format {name!r}; choose one of {', '.join(REPORTERS)}")
    limit = max_size if max_size is not None else settings.get("max-size")
    size_limit = xmlio.MAX_FILE_BYTES
    if limit is not None:
        try:
            size_limit = limit if isinstance(limit, int) else _size(limit)
        except typer.BadParameter as exc:
            _fail("--max-size", exc.message)
    schema_path = schema if schema else settings.schema_path()
    if schema_path not in (None, "auto"):
        if not Path(schema_path).exists():
            _fail(schema_path, "schema not found; give an .xsd or .rng file")
        if Path(schema_path).is_dir():
            _fail(schema_path, "the schema is a folder; give an .xsd or .rng file")
    try:
        config = Config.build(schema_path=schema_path, select=_codes(select if select else settings.get("select")), ignore=_codes(ignore if ignore else settings.get("ignore")), explain=explain,
                              profile=profile, schematron=[str(p) for p in schematron or []], phase=phase,
                              max_problems=max(0, max_problems), jing=jing)
        from .validate.shard import parse_shard

        part = parse_shard(shard) if shard else None
    except ValueError as exc:
        code = re.search(r"'([^']+)'", str(exc))
        _fail(code.group(1) if code else "--select", f"{_plain(str(exc).split(' (')[0])}; see `tei-tools rules`")
    strict = settings.get("strict", False) if strict is None else strict
    paths = _expand(paths)
    for extra in schematron or []:
        if not extra.exists():
            _fail(extra, "Schematron schema not found; give an .sch file or a RELAX NG grammar with embedded rules")
    for given in catalog or []:
        if not Path(given).is_file():
            _fail(given, "catalog not found; give an OASIS XML catalog file")
    config.catalogs = tuple(catalog or ())
    if config.catalogs:
        from .validate.xmlmodel import Catalog

        try:
            Catalog(config.catalogs)
        except Exception as exc:  # not XML, or not readable
            _fail(config.catalogs[0] if len(config.catalogs) == 1 else "--catalog", f"cannot be read as a catalog: {_reason(exc)}")
    config.xinclude = xinclude
    if jing:
        from .validate.jing import jing_available

        if not jing_available():
            _fail("--jing", "jing is not on the PATH; install Debian's package 'jing' or leave --jing out")
    try:
        config.schema()
    except Exception as exc:  # a grammar libxml2 cannot compile
        _fail(schema_path or "schema", f"cannot be used as a schema: {_reason(exc)}")
    try:
        config.schematrons()
    except ValueError as exc:  # SchematronError: unreadable, malformed, unknown phase
        _fail(schematron[0] if schematron and len(schematron) == 1 else "--schematron", f"cannot be used as a Schematron: {_reason(exc)}")
    if part is not None:
        from .validate import iter_files
        from .validate.shard import shard_files

        paths = shard_files(list(iter_files(paths)), part)
    default_limit, xmlio.MAX_FILE_BYTES = xmlio.MAX_FILE_BYTES, size_limit  # workers fork with it
    reporter = REPORTERS[name](sys.stdout, sys.stderr)
    reporter.quiet = quiet
    summary = Summary()
    unreadable = hidden = False
    found = []
    from .validate.jing import JingError

    with _start_up_kept():  # the modules and the compiled schema, while thousands of files pass
        try:
            for result in validate_paths(paths, config, jobs=_jobs(jobs), follow_links=follow_links):
                reporter.file(result)
                summary.add(result)
                unreadable = unreadable or result.unreadable
                if summary_file is not None:
                    found.extend(result.problems)
                if result.hidden is not None:
                    hidden = True
                    _say(result.path, f"could not be read ({result.hidden.code}: {result.hidden.message}); the code is hidden by --select/--ignore, the failure is not")
        except JingError as exc:  # jing itself failed (no Java, a broken grammar): no verdict at all
            _fail("--jing", f"{_reason(exc)}; check the jing installation and the grammar, or leave --jing out")
        finally:
            xmlio.MAX_FILE_BYTES = default_limit
    summary.seconds = time.perf_counter() - started
    reporter.finish(summary)
    if summary_file is not None:
        from .validate.summary import markdown_summary

        with open(summary_file, "a", encoding="utf-8") as handle:  # appended: a job summary gathers steps
            handle.write(markdown_summary(summary.files, found, summary.seconds))
    if unreadable:
        raise typer.Exit(USAGE)
    if hidden or summary.errors or (strict and summary.warnings):
        raise typer.Exit(PROBLEMS)
    raise typer.Exit(OK)


@app.command("merge-reports")
def merge_reports(
    reports: Annotated[list[Path], typer.Argument(help="Reports of `validate --format json` or `--format junit` (one per shard).")],
    output_format: Annotated[str, typer.Option("--format", help="json or junit: the format of the reports.")] = "json",
) -> None:
    """Merge the JSON or JUnit reports of `validate --shard K/N` runs into one report; exit 1 when it has problems."""
    import json

    from .validate.shard import merge_json, merge_junit

    if output_format not in ("json", "junit"):
        _fail("--format", f"unknown format {output_format!r}; choose json or junit")
    try:
        data = [path.read_bytes() for path in reports]
        if output_format == "json":
            merged = merge_json(data)
            typer.echo(json.dumps(merged, indent=2, ensure_ascii=False))
            failed = merged["summary"]["errors"] > 0
        else:
            from lxml import etree

            suite = merge_junit(data)
            typer.echo('<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(suite, encoding="unicode"))
            failed = int(suite.get("failures", "0")) > 0
    except (OSError, ValueError, KeyError, TypeError, SyntaxError) as exc:
        _fail(getattr(exc, "filename", None) or "merge-reports", f"cannot merge: {_reason(exc)}; give reports written by `validate --format json` or `--format junit`")
    raise typer.Exit(PROBLEMS if failed else OK)


@app.command()
def annotate(
    paths: Annotated[list[str], typer.Argument(help="TEI files, or folders searched for *.xml.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder for the annotated files.")] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite each file where it is (only files that change).")] = False,
    register: Annotated[Optional[list[Path]], typer.Option("--register", help="A TEI register file to merge with the packaged one (repeatable).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print a unified diff (for patch -p0); write nothing.")] = False,
    register_out: Annotated[Optional[Path], typer.Option("--register-out", help="Put the entries pointed to in this shared register file instead of each file's standOff.")] = None,
    schema: Annotated[Optional[Path], typer.Option("--schema", help="The grammar to keep the files valid against (default: a local grammar named by the file's xml-model).")] = None,
    header: Annotated[bool, typer.Option("--header", help="Also annotate the prose of the teiHeader.")] = False,
    lang: Annotated[Optional[list[str]], typer.Option("--lang", help="Annotate text in this language too (xml:lang; repeatable; '*' for all). Default: English and untagged text.")] = None,
    relink: Annotated[bool, typer.Option("--relink", help="Only files tei-tools wrote and an editor changed since: add the links the register now allows, nothing else.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, max=256, help="Processes that share the files, or a large file's text, 0 to 256 (0, the default: one per core; 1: this one alone). The output is the same whatever the number.")] = 0,
) -> None:
    """Tag persons, places, organisations and dates in TEI files and link them to the register; every other byte stays as it was."""
    from .encode.annotate_batch import annotate_paths
    from .encode.annotate_file import ENGLISH, Options
    from .problems import ConversionError
    from .annotate.register import load_register

    if sum((output is not None, in_place, dry_run)) != 1:
        _fail("annotate", "give one of -o DIR, --in-place or --dry-run")
    for given in paths:
        if not Path(given).exists():
            _fail(given, "no such file or folder")
    if schema is not None and not schema.is_file():
        _fail(schema, "schema not found; give an .xsd or .rng file")
    if schema is not None:
        from .validate.grammar import load_schema

        try:
            load_schema(str(schema))
        except Exception as exc:  # a grammar libxml2 cannot compile
            _fail(schema, f"cannot be used as a schema: {_reason(exc)}")
    try:
        loaded = load_register(tuple(str(p) for p in register or ()))
    except ConversionError as exc:
        subject, _, message = str(exc).partition(": ")
        _fail(subject, f"{message}; correct the register or leave it out")
    languages = None if lang and "*" in lang else ENGLISH | frozenset(code.split("-")[0].casefold() for code in lang or ())
    options = Options(header=header, languages=languages, schema=schema, jobs=_jobs(jobs))
    status = OK
    with _start_up_kept():  # the register and the modules, while the finders make and drop their words
        for result in annotate_paths(paths, loaded, options, out_dir=output, dry_run=dry_run, relink=relink, register_out=register_out):
            for problem in result.problems:
                _err(str(problem))
            if result.input_error:
                status = USAGE
            elif result.failed:
                status = max(status, PROBLEMS)
            if dry_run:
                sys.stdout.flush()
                sys.stdout.buffer.write(result.diff)
                sys.stdout.buffer.flush()
                what = result.annotated.summary() if result.annotated else result.message
                _err(f"{result.source}: {result.status}{': ' + what if what else ''}")
                continue
            what = result.annotated.summary() if result.annotated and result.annotated.changed else result.message
            target = f" -> {result.target}" if result.target and result.target != result.source else ""
            typer.echo(f"{result.source}{target}: {result.status}{': ' + what if what else ''}")
    raise typer.Exit(status)


def _tei_tree(path: Path):  # type: ignore[no-untyped-def]
    """A TEI file parsed by the hardened parser, or one line and exit 2."""
    from lxml import etree

    from .xmlio import TEI_NS, UnsafeXML, parse_file

    if str(path) == "-":
        _fail("-", "standard input is not read by this command; give a TEI file")
    if path.is_dir():
        _fail(path, "is a folder; give one TEI file")
    try:
        tree = parse_file(path)
    except (OSError, etree.XMLSyntaxError, UnsafeXML) as exc:
        _fail(path, f"cannot be read: {_reason(exc)}")
    if etree.QName(tree.getroot()).namespace != TEI_NS:
        _fail(path, f'<{etree.QName(tree.getroot()).localname}> is not in the TEI namespace; write <TEI xmlns="{TEI_NS}">')
    return tree


@app.command()
def render(path: Annotated[Path, typer.Argument(help="A TEI edition.", show_default=False)]) -> None:
    """Print the document text of a TEI edition, editorial marks back in brackets."""
    from .export.text import render as render_tree

    if not path.exists():
        _fail(path, "no such file")
    sys.stdout.write(render_tree(_tei_tree(path)))


@app.command()
def entities(
    paths: Annotated[list[str], typer.Argument(help="TEI files or folders.", show_default=False)],
    output_format: Annotated[str, typer.Option("--format", click_type=click.Choice(("table", "csv", "json")), help="Output format.")] = "table",
    min_coverage: Annotated[Optional[float], typer.Option("--min-coverage", min=0, max=100, help="Exit 1 when fewer than this percent of name mentions are linked (or there are none).")] = None,
) -> None:
    """List persons, places and organisations with counts and authority ids; unlinked names as a review queue."""
    import csv
    import json

    from .export.entities import collect, rows

    _inputs(paths)
    index = collect(paths)
    if index.errors and not index.files:
        subject, _, message = index.errors[0].partition(": ")
        _fail(subject, message)
    table = rows(index)
    for error in index.errors:
        subject, _, message = error.partition(": ")
        _say(subject, message)
    coverage = index.coverage
    if output_format == "json":
        typer.echo(json.dumps({"coverage": round(coverage, 2) if coverage is not None else None, "mentions": index.mentions, "entities": table}, indent=2, ensure_ascii=False))
    elif output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(table[0]) if table else ["status"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    else:
        widths = {"status": 7, "kind": 6, "key": 28, "name": 40, "count": 5, "files": 5, "wikidata": 9, "geonames": 9}
        typer.echo("  ".join(column.ljust(width) for column, width in widths.items()))
        for row in table:
            typer.echo("  ".join(str(row[column])[:width].ljust(width) for column, width in widths.items()))
    shown = f"coverage {coverage:.1f}%" if coverage is not None else "no name mentions, so no coverage"
    _err(f"{index.mentions} name mentions, {len(index.linked)} linked entities, {len(index.unlinked)} unlinked names to review; {shown}")
    if index.errors:
        raise typer.Exit(USAGE)
    if min_coverage is not None and coverage is None:
        _err(f"no name mentions in {index.files} file{'s' if index.files != 1 else ''}: --min-coverage {min_coverage:g}% cannot be met (are the names encoded?)")
        raise typer.Exit(PROBLEMS)
    if min_coverage is not None and coverage < min_coverage:
        _err(f"coverage {coverage:.1f}% is below --min-coverage {min_coverage:g}%")
        raise typer.Exit(PROBLEMS)


export_app = typer.Typer(help="Export editions for exchange: CMIF, JSON, a static HTML reading edition.", no_args_is_help=True)
app.add_typer(export_app, name="export")


def _problem(text: str) -> None:
    subject, _, message = text.partition(": ")
    _say(subject, message)


@export_app.command("cmif")
def export_cmif_command(
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="The CMIF file to write (required).", show_default=False)] = None,
    editor: Annotated[str, typer.Option("--editor", help="Who is responsible for the CMIF file: 'Name <mail@example.org>', as CMIF asks, or a name.")] = "History and Public Policy Program",
    url: Annotated[Optional[str], typer.Option("--url", help="The http(s) address where the CMIF file will be published (required by harvesters).", show_default=False)] = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="Where editions without their own address (idno type=URI) are published: BASE/RECORD-ID.", show_default=False)] = None,
    licence: Annotated[str, typer.Option("--licence", help="Licence URL of the metadata.")] = "https://creativecommons.org/licenses/by/4.0/",
    date: Annotated[Optional[str], typer.Option("--date", help="Publication date (default: SOURCE_DATE_EPOCH, else the newest upload date of the editions).", show_default=False)] = None,
) -> None:
    """Write a CMIF file (correspSearch) with one correspDesc per edition; nothing is written when a problem is found."""
    from .export.cmif import export_cmif, parse_editor
    from .xmlio import serialize, write_atomic

    _inputs(paths)
    target = _output_file(output)
    if url is None:
        _fail("--url", "this option is required: give the http(s) address where the CMIF file will be published")
    _check_url(url, "--url")
    _check_url(licence, "--licence")
    if base_url is not None:
        _check_url(base_url, "--base-url")
    try:
        parse_editor(editor)
    except ValueError as exc:
        _fail("--editor", str(exc))
    root, problems = export_cmif(paths, editor=editor, url=url, date=_change_date(date), licence_url=licence, base_url=base_url)
    for problem in problems:
        _problem(problem)
    if problems:
        raise typer.Exit(USAGE)
    write_atomic(target, serialize(root))
    count = len(root.findall('.//{http://www.tei-c.org/ns/1.0}correspDesc'))
    typer.echo(f"wrote {target}: {count} correspDesc{'s' if count != 1 else ''}")
    raise typer.Exit(OK)


@export_app.command("json")
def export_json_command(
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.", show_default=False)],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Folder for one NAME.json per edition (default: JSON lines on standard output).", show_default=False)] = None,
) -> None:
    """The documented JSON form of each edition (docs/JSON.md)."""
    import json

    from .export.edition import edition_json, read_edition
    from .validate import iter_files
    from .xmlio import write_atomic

    _inputs(paths)
    if output is not None:
        _output_folder(output)
    status = OK
    targets: dict[str, str] = {}
    for path in iter_files(paths):
        if output:
            name = Path(path).stem + ".json"
            if name in targets:
                _say(path, f"would be written as {output / name}, as is {targets[name]}; export them to different folders")
                status = USAGE
                continue
            targets[name] = path
        try:
            data = edition_json(read_edition(path))
        except Exception as exc:
            _say(path, f"{_reason(exc)}")
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
    paths: Annotated[list[str], typer.Argument(help="TEI editions: files or folders.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the reading edition (created if missing).")] = Path("site"),
) -> None:
    """A static reading edition that works offline: a page per document, indexes of names, a list of documents."""
    from .export.html import export_html

    _inputs(paths)
    _output_folder(output)
    written, problems = export_html(paths, output)
    for problem in problems:
        _problem(problem)
    if written:
        typer.echo(f"wrote {len(written)} pages to {output}/ (open {output}/index.html)")
    raise typer.Exit(USAGE if problems else OK)


@app.command()
def rules(code: Annotated[Optional[str], typer.Argument(help="One code (any case) to show only that rule.", show_default=False)] = None) -> None:
    """List the validation rules with their documentation, or the one rule CODE."""
    from .validate.rules import load_all
    from .validate.rules.profiles import GENERIC_CODES
    from .validate import FIXED_CODES

    registry = load_all()
    wanted = code.upper() if code else None
    if wanted and wanted not in registry and wanted not in FIXED_CODES:
        from difflib import get_close_matches

        close = get_close_matches(wanted, [*registry, *FIXED_CODES], n=1)
        _fail(code, f"no such code{'; did you mean ' + close[0] + '?' if close else ''} (`tei-tools rules` lists them all)")
    for rule_code, rule in sorted(registry.items()):
        if wanted and rule_code != wanted:
            continue
        scope = "every TEI file" if rule_code in GENERIC_CODES else "tei-tools editions"
        typer.echo(f"{rule_code} {rule.name} ({rule.severity}; {scope})")
        doc = rule.doc.strip("\n")
        typer.echo("\n".join("    " + line.strip() if line.strip() else "" for line in doc.split("\n")))
        typer.echo("")
    if wanted in FIXED_CODES:
        typer.echo(f"{wanted} {FIXED_CODES[wanted]}")
    if wanted:
        return
    typer.echo("Codes from reading and the schema:")
    for fixed, text in FIXED_CODES.items():
        typer.echo(f"{fixed} {text}")


@app.command()
def schema(
    path: Annotated[bool, typer.Option("--path", help="Print the folder that holds the bundled schema.")] = False,
    copy: Annotated[Optional[Path], typer.Option("--copy", help="Copy the bundled schema (tei-tools.rng, .xsd, REFERENCE.md) into this folder.", show_default=False)] = None,
) -> None:
    """The bundled schema: where it is (--path), or a copy of it for an editor or CI (--copy DIR)."""
    import shutil

    from .validate.grammar import bundled_schema_path

    folder = bundled_schema_path("rng").parent
    if copy is None:
        typer.echo(str(folder))
        raise typer.Exit(OK)
    _output_folder(copy, "--copy")
    copy.mkdir(parents=True, exist_ok=True)
    for name in ("tei-tools.rng", "tei-tools.xsd", "REFERENCE.md"):
        if (folder / name).exists():
            shutil.copyfile(folder / name, copy / name)
            typer.echo(f"{folder / name} -> {copy / name}")


def main() -> None:
    app()
