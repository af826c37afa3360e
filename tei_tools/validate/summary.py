"""A Markdown summary of a validation run, for CI job summaries (GitHub's $GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from collections import Counter

from ..problems import Problem, Severity

#: Problems listed one by one; the rest are counted by code.
LISTED = 50


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_summary(files: int, problems: list[Problem], seconds: float) -> str:
    """Counts, problems by code, and the first LISTED problems as a table."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    failed = len({p.path for p in problems})
    verdict = "no problems" if not problems else f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} in {failed} file{'s' if failed != 1 else ''}"
    lines = ["## tei-tools validate", "", f"{files} file{'s' if files != 1 else ''} checked: {verdict} ({seconds:.2f} s).", ""]
    if not problems:
        return "\n".join(lines) + "\n"
    lines += ["| code | count |", "| --- | ---: |"]
    for code, count in sorted(Counter(p.code for p in problems).items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"| {_cell(code)} | {count} |")
    lines += ["", "| file | line | severity | code | message |", "| --- | ---: | --- | --- | --- |"]
    for problem in problems[:LISTED]:
        lines.append(f"| {_cell(problem.path)} | {problem.line} | {problem.severity} | {_cell(problem.code)} | {_cell(problem.message)} |")
    if len(problems) > LISTED:
        lines += ["", f"... and {len(problems) - LISTED} more."]
    return "\n".join(lines) + "\n"
