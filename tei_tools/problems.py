"""Problems: the one shape every finding takes, so a batch can report them all."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How bad a problem is; `error` fails a run, `warning` only under --strict."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one file, with the place it points to (1-based, 0 when unknown)."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    xpath: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        return f"{self.location()}: {self.severity} {self.code} {self.message}"


class ConversionError(Exception):
    """Input that cannot be converted (not an archive page, undecodable bytes...)."""

    def __init__(self, message: str, *, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset
