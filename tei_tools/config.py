"""Project settings for `validate`: `tei-tools.toml` or `[tool.tei-tools]` in `pyproject.toml`, nearest first."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The keys a settings table may hold, and the type each value must have.
KEYS: dict[str, type] = {"select": list, "ignore": list, "strict": bool, "schema": str, "format": str, "max-size": str}


class ConfigError(Exception):
    """A settings file that cannot be used: `path` says which, the message what is wrong."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class Settings:
    """The values found (absent keys are absent), and the file they came from."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def schema_path(self) -> str | None:
        """A schema named in the file is relative to the file's folder, as ruff resolves paths."""
        schema = self.values.get("schema")
        if schema is None or self.path is None:
            return schema
        return str((self.path.parent / schema)) if not Path(schema).is_absolute() else schema


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"not valid TOML ({exc}); correct the file or remove it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


def _checked(path: Path, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(path, "the tei-tools settings must be a table")
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(path, f"unknown setting '{key}'; the settings are {', '.join(KEYS)}")
        expected = KEYS[key]
        if key == "max-size" and isinstance(value, int) and not isinstance(value, bool):
            continue
        if not isinstance(value, expected) or (expected is list and not all(isinstance(item, str) for item in value)):
            kind = {list: "a list of codes", bool: "true or false", str: "a string"}[expected]
            raise ConfigError(path, f"setting '{key}' must be {kind}")
    return dict(table)


def find_settings(start: Path | None = None) -> Settings:
    """The nearest settings from `start` (the working directory) up to the file system's root.

    In one folder `tei-tools.toml` wins over `pyproject.toml`; a `pyproject.toml` without a
    `[tool.tei-tools]` table does not stop the search.
    """
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / "tei-tools.toml"
        if own.is_file():
            return Settings(own, _checked(own, _read(own)))
        project = candidate / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("tei-tools")
            if table is not None:
                return Settings(project, _checked(project, table))
    return Settings()
