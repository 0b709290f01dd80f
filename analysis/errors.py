"""Errors raised by outturn, each naming what is wrong and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
_LINE = re.compile(r"^line (\d+)")
_COLUMN = re.compile(r"column '([^']+)'")


class OutturnError(Exception):
    """Base class: raised when outturn cannot go on and the user must act.

    The message is complete as it stands: it names the file, row or field and
    says how to fix it. The command line prints it without a traceback. When
    the fault is at a known place, ``problems`` holds it (file, line, key), so
    it prints in the same one-line form as every validation problem.
    """

    def __init__(self, message: str = "", problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    @classmethod
    def at(
        cls,
        file: str | object,
        message: str,
        fix: str,
        *,
        line: int | None = None,
        key: str = "",
        location: str = "",
    ) -> OutturnError:
        """Build the error for one problem at a known place (its message is the one line)."""
        where = location or (f"line {line}" if line else "")
        problem = Problem(str(file), where, message, fix, line=line, key=key)
        return cls(str(problem), [problem])


class PeriodError(OutturnError, ValueError):
    """Raised when a period label cannot be read or a period sum makes no sense."""


class DataError(OutturnError):
    """Raised when a data file cannot be read or has the wrong shape."""


class UnknownIndicatorError(OutturnError, KeyError):
    """Raised when an indicator id is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class SPCError(OutturnError, ValueError):
    """Raised when an SPC chart cannot be drawn from the series or options given."""


class ForecastError(OutturnError, ValueError):
    """Raised when a forecast is asked for with an impossible argument or input."""


class OutputError(OutturnError):
    """Raised when an output file or folder cannot be written where it was asked for."""


class DocumentError(OutturnError):
    """Raised when the Word or PDF document cannot be made: no Quarto, a bad format or template."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what it is, how to fix it.

    ``location`` is the human wording ("line 12, column 'value'", "indicator
    'cla'"); ``line`` and ``key`` are the same place for the one-line form
    ``FILE:LINE: [key] message. Fix: fix`` and are read from ``location`` when
    not given. A ``warning`` is shown but does not stop a run. ``tag`` names a
    problem that others depend on; a problem whose ``cause`` is that tag is a
    knock-on and is folded under it. Problems of one ``kind`` (by default,
    those with the same fix) are paged together.
    """

    file: str
    location: str
    message: str
    fix: str
    severity: str = ERROR
    line: int | None = None
    key: str = ""
    kind: str = ""
    tag: str = ""
    cause: str = ""

    @property
    def is_error(self) -> bool:
        """True for an error (stops a run), False for a warning."""
        return self.severity != WARNING

    @property
    def line_number(self) -> int | None:
        """The line in ``file``, given or read from ``location`` ("line 12, ...")."""
        if self.line is not None:
            return self.line
        if self.location == "header":
            return 1
        found = _LINE.match(self.location)
        return int(found.group(1)) if found else None

    @property
    def where(self) -> str:
        """The column or key, for the brackets of the one-line form."""
        if self.key:
            return self.key
        column = _COLUMN.search(self.location)
        if column:
            return column.group(1)
        rest = _LINE.sub("", self.location).strip(" ,")
        return rest

    @property
    def group(self) -> str:
        """What makes problems 'the same kind' when they are paged."""
        return self.kind or f"{self.severity}: {self.fix}"

    def one_line(self, file: str | None = None) -> str:
        """``FILE:LINE: [key] message. Fix: fix`` (``warning:`` before the key for a warning).

        ``file`` replaces the file name as stored (e.g. a path relative to the project).
        """
        head = file if file is not None else self.file
        if self.line_number is not None:
            head += f":{self.line_number}"
        prefix = "warning: " if not self.is_error else ""
        key = f"[{self.where}] " if self.where else ""
        message = self.message.rstrip(".")
        return f"{head}: {prefix}{key}{message}. Fix: {self.fix}"

    def __str__(self) -> str:
        return self.one_line()


class ConfigError(OutturnError):
    """Raised when a configuration file is missing, is not valid YAML, or has a bad value."""


class ValidationError(OutturnError):
    """Raised when validation of the data directory finds one or more problems."""

    def __init__(self, problems: list[Problem]):
        errors = [p for p in problems if p.is_error]
        lines = [f"{len(errors)} problem(s) found in the input data:"]
        lines += [f"  - {p}" for p in errors]
        super().__init__("\n".join(lines), problems)
