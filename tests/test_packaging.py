"""What an install ships: every data file the package reads is declared as package data."""

from __future__ import annotations

import fnmatch
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # the settings reader's own fallback (a dependency below 3.11)
    import tomli as tomllib

from .conftest import ROOT


def test_every_data_file_of_the_package_is_declared() -> None:
    """A file beside the modules that no package-data pattern names is missing from a wheel
    (an editable install hides that): the name shapes once were."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {package: ROOT / settings.get("package-dir", {}).get(package, package.replace(".", "/")) for package in settings["packages"]}
    declared = settings["package-data"]
    data_files = [path for folder in (ROOT / "tei_tools", ROOT / "schemas") for path in folder.rglob("*")
                  if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts]
    assert data_files
    missing = []
    for path in data_files:
        owners = [(package, folder) for package, folder in folders.items() if folder in path.parents or folder == path.parent]
        package, folder = max(owners, key=lambda item: len(item[1].parts))
        patterns = declared.get(package, [])
        if not any(fnmatch.fnmatch(str(path.relative_to(folder)), pattern) for pattern in patterns):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
