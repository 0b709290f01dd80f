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


# --- forecast: forecasts with intervals and back-tested accuracy for a long table --------
@app.command("forecast")
def forecast_command(
    input_csv: Annotated[
        Path, typer.Argument(help="Long CSV: area_code, indicator, period, value (+ key columns).")
    ],
    out: Annotated[Path, typer.Option("--out", help="CSV to write the forecasts to.")],
    horizon: Annotated[int, typer.Option("--horizon", help="Periods ahead to forecast.")] = 4,
    level: Annotated[float, typer.Option("--level", help="Interval level, 50-99 (%).")] = 80,
) -> None:
    """Forecast every series in INPUT_CSV with a back-tested method and a level% interval.

    A series with fewer comparable points than the minimum gets one row with an
    empty estimate and the reason in `note`.
    """
    from rich.progress import Progress

    from analysis.forecasting import check_arguments, forecast_table, read_series_table

    try:
        check_arguments(horizon, level)
        table = read_series_table(input_csv)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("forecasting", total=table.groupby(_keys(table)).ngroups)
            result = forecast_table(
                table, horizon=horizon, level=level, on_series=lambda: bar.advance(task)
            )
    except OutturnError as exc:
        fail(str(exc))
    result.to_csv(out, index=False)
    n_series = result.groupby(_keys(table), dropna=False).ngroups if len(result) else 0
    n_none = int((result["method"] == "").sum())
    console.print(
        f"forecast: {n_series} series, {n_series - n_none} forecast, "
        f"{n_none} with too little data (reason in the note column); wrote {out}"
    )


def _keys(table):  # noqa: ANN001, ANN202
    from analysis.forecasting import series_keys

    return series_keys(table)


def main() -> None:
    """Entry point for the ``outturn`` console script."""
    try:
        app()
    except OutturnError as exc:
        console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
