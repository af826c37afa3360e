"""CI integration: the composite Action's steps run as a script, the pre-commit hook's entry as
pre-commit would run it, and sharded runs whose reports merge into the unsharded one."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tei_tools.validate.shard import in_shard, parse_shard, shard_files

from .conftest import ROOT

BIN = Path(sys.executable).parent
TEI_TOOLS = shutil.which("tei-tools", path=str(BIN)) or "tei-tools"
CASES = ROOT / "tests" / "cases"
SCH = "http://purl.oclc.org/dsdl/schematron"


def action() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML reads action.yml (pip install pyyaml)")
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def run_action(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, str, str]:
    """Every `run` step after the install, as the runner would: inputs substituted into the
    step's env, GITHUB_* files in tmp_path, the repository as the action's path."""
    spec = action()
    values = {name: str(meta.get("default", "")) for name, meta in spec["inputs"].items()}
    unknown = set(inputs) - set(values)
    assert not unknown, f"not inputs of the action: {unknown}"
    values.update(inputs)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("")
    output.write_text("")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(ROOT),
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output), "TEI_TOOLS_CACHE": str(tmp_path / "cache")}
    completed = None
    for step in spec["runs"]["steps"]:
        if "run" not in step or step.get("name") == "Install tei-tools":
            continue  # installed already: this venv is the one the tests run in
        step_env = {key: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(value)) for key, value in step.get("env", {}).items()}
        assert step["shell"] == "bash"
        # As the runner runs a composite step's bash: `bash --noprofile --norc -eo pipefail`.
        completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=ROOT, env={**env, **step_env}, capture_output=True, text=True, timeout=120)
    assert completed is not None
    return completed, summary.read_text(), output.read_text()


def test_action_is_composite_and_installs_itself() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = next(step for step in steps if step.get("name") == "Install tei-tools")
    assert '"$GITHUB_ACTION_PATH"' in install["run"] and "pip install" in install["run"]
    assert {"paths", "files", "schema", "schematron", "args", "fatal"} <= set(spec["inputs"])


def test_action_clean_run(tmp_path: Path) -> None:
    completed, summary, output = run_action(tmp_path, paths="encoded/")
    assert completed.returncode == 0, completed.stderr
    assert "no problems" in summary and "1 file checked" in summary
    assert "exit-code=0" in output.splitlines()


def test_action_annotates_and_summarises_problems(tmp_path: Path) -> None:
    completed, summary, output = run_action(tmp_path, paths="tests/cases/invalid/ref-dangling.xml tests/cases/valid/minimal.xml", profile="tei-tools")
    assert completed.returncode == 1
    assert re.search(r"^::error file=tests/cases/invalid/ref-dangling\.xml,line=\d+,col=\d+,title=REF001::", completed.stdout, re.M), completed.stdout
    assert "| REF001 |" in summary and "2 files checked" in summary
    assert "exit-code=1" in output.splitlines()


def test_action_fatal_no_and_dracor_style_files(tmp_path: Path) -> None:
    completed, summary, output = run_action(tmp_path, files="tests/cases/invalid/date-*.xml", profile="tei-tools", fatal="no")
    assert completed.returncode == 0
    assert "exit-code=1" in output.splitlines() and "::notice" in completed.stdout
    expanded = len(list((CASES / "invalid").glob("date-*.xml")))
    assert expanded > 1 and f"{expanded} files checked" in summary  # the runner's bash expanded the pattern


def test_action_runs_schematron(tmp_path: Path) -> None:
    schema = tmp_path / "rules.sch"
    schema.write_text(f'<schema xmlns="{SCH}" queryBinding="xslt2"><ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
                      '<pattern id="no-hi"><rule context="tei:p"><report test="true()" role="warning">a paragraph</report></rule></pattern></schema>')
    completed, summary, _ = run_action(tmp_path, paths="tests/cases/valid/minimal.xml", schematron=str(schema), args="--select SCT")
    assert completed.returncode == 0, completed.stderr  # warnings only
    assert "::warning file=tests/cases/valid/minimal.xml" in completed.stdout and "title=SCT%3Ano-hi" in completed.stdout
    assert "SCT:no-hi" in summary


def test_action_usage_error_is_exit_2(tmp_path: Path) -> None:
    completed, _, output = run_action(tmp_path, paths="no/such/*.xml", fatal="no")
    assert completed.returncode == 2 and "exit-code=2" in output.splitlines()


# -- pre-commit ---------------------------------------------------------------------------------


def hook() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML reads .pre-commit-hooks.yaml")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return next(h for h in hooks if h["id"] == "tei-tools-validate")


def test_hook_entry_as_pre_commit_runs_it(tmp_path: Path) -> None:
    """pre-commit runs `entry + args + files`, with the files as paths relative to the repository."""
    spec = hook()
    assert spec["language"] == "python" and "xml" in spec["types"]
    entry = spec["entry"].split()
    assert entry[0] == "tei-tools"
    command = [TEI_TOOLS, *entry[1:]]
    clean = subprocess.run([*command, "tests/cases/valid/minimal.xml", "encoded/119037.xml"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    failing = subprocess.run([*command, "--profile", "tei-tools", "tests/cases/invalid/ref-dangling.xml"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert failing.returncode == 1 and "REF001" in failing.stdout


@pytest.mark.skipif(shutil.which("pre-commit", path=str(BIN)) is None or not os.environ.get("TEI_TOOLS_TEST_PRE_COMMIT"),
                    reason="pre-commit try-repo installs tei-tools into a fresh environment (a minute): set TEI_TOOLS_TEST_PRE_COMMIT=1 with pre-commit installed")
def test_hook_through_pre_commit(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(CASES / "valid" / "minimal.xml", project / "good.xml")
    shutil.copy(CASES / "invalid" / "date-february-30.xml", project / "bad.xml")  # a fault in any TEI file
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    pre_commit = shutil.which("pre-commit", path=str(BIN))
    good = subprocess.run([pre_commit, "try-repo", str(ROOT), "tei-tools-validate", "--files", "good.xml"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = subprocess.run([pre_commit, "try-repo", str(ROOT), "tei-tools-validate", "--files", "bad.xml"], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "DAT001" in bad.stdout, bad.stdout


# -- shards --------------------------------------------------------------------------------------


def test_shards_partition_the_files_and_stay_put() -> None:
    files = [f"editions/{n:04d}.xml" for n in range(400)]
    shards = [shard_files(files, (k, 4)) for k in range(1, 5)]
    assert sorted(p for shard in shards for p in shard) == sorted(files)
    assert all(80 <= len(shard) <= 120 for shard in shards)  # a hash spreads them evenly enough
    assert shard_files(list(reversed(files)), (2, 4)) == shards[1]  # deterministic, sorted
    grown = files + [f"editions/new-{n}.xml" for n in range(50)]
    for k in range(1, 5):  # adding files moves none of the others
        assert set(shards[k - 1]) <= set(shard_files(grown, (k, 4)))
    assert in_shard("a.xml", (1, 1))
    for bad in ("0/2", "3/2", "x", "1/0"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def cli(*args: str):  # in process: the command line without a Python start-up each time
    from typer.testing import CliRunner

    from tei_tools.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_shard_reports_merge_into_the_whole(tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    base = ["validate", "--format", fmt, "--profile", "tei-tools", "tests/cases/"]
    whole = cli(*base)
    parts = []
    for k in (1, 2, 3):
        part = cli(*base, "--shard", f"{k}/3")
        assert part.exit_code in (0, 1), part.output
        (tmp_path / f"part{k}.{fmt}").write_text(part.stdout)
        parts.append(tmp_path / f"part{k}.{fmt}")
    merged = cli("merge-reports", "--format", fmt, *map(str, parts))
    assert merged.exit_code == whole.exit_code == 1
    if fmt == "json":
        got, want = json.loads(merged.stdout), json.loads(whole.stdout)
        assert got["files"] == sorted(want["files"], key=lambda f: f["path"])
        assert {k: got["summary"][k] for k in ("files", "errors", "warnings")} == {k: want["summary"][k] for k in ("files", "errors", "warnings")}
    else:
        from tei_tools.xmlio import parse_bytes

        got_suite, want_suite = parse_bytes(merged.stdout.encode()).getroot(), parse_bytes(whole.stdout.encode()).getroot()
        assert (got_suite.get("tests"), got_suite.get("failures")) == (want_suite.get("tests"), want_suite.get("failures"))
        names = lambda suite: sorted(c.get("name") for c in suite.iter("testcase"))  # noqa: E731
        assert names(got_suite) == names(want_suite)


def test_merge_reports_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    completed = cli("merge-reports", str(broken))
    assert completed.exit_code == 2 and "cannot merge" in completed.output
