"""The ``outturn`` command line: run, validate, and the table tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional  # noqa: UP035  (typer reads Optional)

import typer
from rich.console import Console

from analysis.errors import OutturnError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Quarterly council performance reports: validate the data, run the notebooks, render HTML.",
)
console = Console(stderr=True, highlight=False)

ProjectOption = Annotated[
    Optional[Path],  # noqa: UP007
    typer.Option(
        "--project",
        help="Project folder holding data/, notebooks/ and reports/ (default: the current one).",
        file_okay=False,
    ),
]


def fail(message: str, code: int = 1) -> None:
    """Print one clear error message and exit with ``code``; never a traceback."""
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


# --- commands are registered below, one section per capability --------------------------


def main() -> None:
    """Entry point for the ``outturn`` console script."""
    try:
        app()
    except OutturnError as exc:
        console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
