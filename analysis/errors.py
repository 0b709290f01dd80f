"""Errors raised by outturn, each naming what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


class OutturnError(Exception):
    """Base class: raised when outturn cannot go on and the user must act.

    The message is complete as it stands: it names the file, row or field and
    says how to fix it. The command line prints it without a traceback.
    """


class PeriodError(OutturnError, ValueError):
    """Raised when a period label cannot be read or a period sum makes no sense."""


class ConfigError(OutturnError):
    """Raised when a configuration file is missing, is not valid YAML, or lacks a key."""


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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what it is, how to fix it."""

    file: str
    location: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{where}: {self.message}. Fix: {self.fix}"


class ValidationError(OutturnError):
    """Raised when validation of the data directory finds one or more problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) found in the input data:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
