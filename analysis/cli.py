"""The ``outturn`` command line: run, validate, and the table tools."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from analysis.errors import OutturnError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help=(
        "Quarterly council performance reports: validate the data, run the notebooks, render HTML."
    ),
)
console = Console(stderr=True, highlight=False)

ProjectOption = Annotated[
    Path | None,
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


@app.command("run")
def run_command(
    quarter: Annotated[
        str | None,
        typer.Option(
            "--quarter",
            "-q",
            help='Quarter to report, e.g. "2017-18 Q2" (default: the latest quarter in the data).',
        ),
    ] = None,
    project: ProjectOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Use only figures published on or before this date "
            "(YYYY-MM-DD), to rebuild a quarter as it was published.",
        ),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="Renderer: auto (Quarto if on PATH), quarto or python.")
    ] = "auto",
    published: Annotated[
        bool,
        typer.Option(
            "--published",
            help="Withhold small counts (report.suppress_below "
            "in council.yml): the build to publish. Default: internal, all shown.",
        ),
    ] = False,
) -> None:
    """Validate the data, execute the report notebooks and render reports/<quarter>/."""
    from analysis.config import project_paths
    from analysis.pipeline import run_quarter

    paths = project_paths(project)
    with console.status("Running the quarterly pack...") as status:
        result = run_quarter(
            paths,
            quarter,
            as_of,
            engine,
            progress=lambda m: (console.print(f"  {m}"), status.update(m)),
            published=published,
        )
    rel = (
        result.folder.relative_to(paths.root)
        if result.folder.is_relative_to(paths.root)
        else result.folder
    )
    console.print(
        f"[bold green]done:[/] {result.quarter} -> {rel / 'index.html'} "
        f"({len(result.pages)} pages, {len(result.exceptions)} exception reports, "
        f"rendered with {result.engine}, {result.timings['total']:.1f} s)"
    )


@app.command("validate")
def validate_command(project: ProjectOption = None) -> None:
    """Check everything in data/ and print every problem found; exit 1 if there are any."""
    from rich.table import Table

    from analysis.config import project_paths
    from analysis.validation import inspect_project

    paths = project_paths(project)
    data, problems = inspect_project(paths)
    if not problems and data is not None:
        console.print(
            f"[bold green]ok:[/] {paths.data}: {len(data.catalogue)} indicators, "
            f"{len(data.values):,} values in "
            f"{data.values['file'].nunique()} file(s); no problems found"
        )
        return
    table = Table(title=f"{len(problems)} problem(s) in {paths.data}", show_lines=True)
    for col in ("file", "where", "problem", "fix"):
        table.add_column(col, overflow="fold")
    for p in problems:
        file = Path(p.file)
        shown = file.relative_to(paths.root) if file.is_relative_to(paths.root) else file
        table.add_row(str(shown), p.location, p.message, p.fix)
    console.print(table)
    raise typer.Exit(1)


# --- spc: XmR charts (Making Data Count) for every series in a long table ---------------
@app.command("spc")
def spc_command(
    input_csv: Annotated[
        Path, typer.Argument(help="CSV with period, value (+ key columns: one chart each).")
    ],
    out: Annotated[Path, typer.Option("--out", help="CSV to write, one row per point.")],
    improvement: Annotated[
        str, typer.Option("--improvement", help="increase, decrease or neutral.")
    ] = "increase",
    target: Annotated[
        float | None,
        typer.Option("--target", help="Target, for the assurance column."),
    ] = None,
    rebase: Annotated[
        list[str] | None,
        typer.Option("--rebase", help="Period that starts new limits (repeatable)."),
    ] = None,
) -> None:
    """Judge every series in INPUT_CSV with an XmR chart: signal or noise, per point."""
    from analysis.spc_io import run_spc_csv

    try:
        table = run_spc_csv(
            input_csv, out, improvement=improvement, target=target, rebase=rebase or ()
        )
    except OutturnError as exc:
        fail(str(exc))
    signals = int(table["special_cause"].sum()) if len(table) else 0
    console.print(f"wrote {len(table)} points ({signals} special cause) to {out}")


# --- DfE/ONS data: import, init, benchmark ------------------------------------------------
SourceDirOption = Annotated[
    Path | None,
    typer.Option("--source-dir", help="Folder of DfE/ONS CSVs (default: ../shared/data).",
                 file_okay=False),
]  # fmt: skip


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="lait, lait-metadata, ees, population, "
                                        "neighbours, tidy or pibook")],
    file: Annotated[Path, typer.Argument(help="The file to import (never changed).")],
    project: ProjectOption = None,
    source: Annotated[str | None, typer.Option(
        "--source", help="tidy/pibook: the sources.yml id the figures cite (created if "
        "missing); also names data/values/<source>.csv. Default: from the file name.")] = None,
    published: Annotated[str | None, typer.Option(
        "--published", help="YYYY-MM-DD the figures were published (their vintage). tidy/"
        "pibook: default the file's date, with a warning; lait/ees: the newest year's release "
        "date, each earlier year dated by its own release.")] = None,
    ids: Annotated[list[str] | None, typer.Option(
        "--id", help='tidy/pibook: "Name in file=short_id" (repeatable); other indicators '
        "get the catalogue's id, else a short id of at most 40 characters.")] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", help="pibook: the workbook's sheet (default: the first).")] = None,
) -> None:  # fmt: skip
    """Import a file into the project's data/ folder, checked to be of KIND first.

    tidy and pibook add the council's own figures to data/values/<source>.csv (merged by
    indicator, area, period and vintage) with catalogue stubs for new indicators; lait and
    ees add new DfE years to data/values/dfe.csv with the ids outturn init wrote.
    """
    from analysis.imports import import_file

    root = project or Path.cwd()
    result = import_file(kind, file, root, source, published, ids, sheet)
    report_import(result, root)


def report_import(result, root: Path) -> None:  # noqa: ANN001
    """Print what an import did: rows, drops, stubs, sources, warnings."""
    for warning in result.warnings:
        console.print(f"[bold yellow]WARNING:[/] {warning}", soft_wrap=True)
    shown = result.file.relative_to(root) if result.file.is_relative_to(root) else result.file
    merge = result.merge
    if merge is None:
        console.print(f"wrote {result.rows} rows to {shown}")
    else:
        state = "wrote" if result.file in result.written else "unchanged:"
        console.print(
            f"{state} {shown} ({result.rows:,} rows): {merge.added:,} added, {merge.revised:,} "
            f"revised (new vintage), {merge.corrected:,} corrected (same vintage), "
            f"{merge.unchanged:,} already there"
        )
    if result.kind in ("tidy", "pibook", "lait", "ees"):
        some = ", ".join(result.dropped_areas[:6]) + ("..." if result.dropped_areas[6:] else "")
        areas = f" for {len(result.dropped_areas)} areas ({some})" if result.dropped_areas else ""
        console.print(f"dropped {result.dropped:,} rows{areas}: not the council, its comparator "
                      "groups, region or England")  # fmt: skip
    if result.stubs:
        console.print(f"added {len(result.stubs)} catalogue stub(s) to data/indicators.yml: "
                      f"{', '.join(result.stubs)}; 'outturn validate' lists the fields to "
                      "fill")  # fmt: skip
    if result.source_created:
        console.print(f"added source {result.source_created} to data/sources.yml")
    for note in result.notes:
        console.print(f"note: {note}", soft_wrap=True)


@app.command("init")
def init_command(
    council: Annotated[str, typer.Option("--council", help="GSS code, LA number or name.")],
    project: ProjectOption = None,
    model: Annotated[str, typer.Option("--model", help="Neighbour model for neighbours.areas "
                                       "(both models are written under neighbours.models).")] = (
        "DfE CSC SN model April 2021"
    ),
    source_dir: SourceDirOption = None,
    force: Annotated[bool, typer.Option("--force", help="Set up an existing project again: "
        "rewrites the council, region, england and neighbours of council.yml (its comparators, "
        "report and other settings are kept), values/dfe.csv and ranks.csv; adds DfE "
        "indicators and sources missing from indicators.yml and sources.yml and keeps every "
        "entry already there.")] = False,
) -> None:  # fmt: skip
    """Set up a project for any English council: council.yml, catalogue, sources, DfE values.

    The DfE files are found in --source-dir by their columns, whatever they are called.
    """
    from analysis.councils import init_project

    root = project or Path.cwd()
    notes: list[str] = []
    written = init_project(root, council, model, source_dir, force, notes=notes)
    names = ", ".join(a["name"] for a in written["neighbours"]["areas"])
    console.print(f"{written['council']['name']} ({written['council']['area_code']}) set up "
                  f"in {root / 'data'}; neighbours ({model}): {names}")  # fmt: skip
    for note in notes:
        console.print(f"note: {note}", soft_wrap=True)


@app.command("benchmark")
def benchmark_command(
    out: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    all_councils: Annotated[bool, typer.Option("--all", help="Every council.")] = False,
    input_file: Annotated[Path | None, typer.Option("--input", help="LAIT long CSV.")] = None,
    neighbours: Annotated[Path | None, typer.Option("--neighbours", help="SN CSV.")] = None,
    average: Annotated[str, typer.Option("--average", help="mean or median")] = "mean",
    source_dir: SourceDirOption = None,
    project: ProjectOption = None,
) -> None:  # fmt: skip
    """Benchmark every council against its neighbours, England and region (LAIT data)."""
    from analysis import importing
    from analysis.benchmarking import benchmark_files, write_benchmark
    from analysis.councils import default_source_dir

    if not all_councils:
        fail("only --all is supported: benchmark every council, then filter the CSV")
    folder = source_dir or default_source_dir(project or Path.cwd())
    need = ("lait-metadata", *(() if input_file else ("lait",)),
            *(() if neighbours else ("neighbours",)))  # fmt: skip
    found = importing.dfe_files(folder, need)  # found by their columns, whatever the names
    result = benchmark_files(
        input_file or found["lait"], neighbours or found["neighbours"], found["lait-metadata"],
        average,
    )  # fmt: skip
    notes = write_benchmark(result, out)
    console.print(f"wrote {len(result)} rows to {out} (model, region and rank notes: {notes})")


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


# --- publish: copy a rendered quarter to a site folder with a manifest ---------------------
@app.command("publish")
def publish_command(
    quarter: Annotated[str, typer.Option("--quarter", "-q", help='Quarter, e.g. "2017-18 Q2".')],
    to: Annotated[Path, typer.Option("--to", help="Site folder (one sub-folder per quarter).",
                                     file_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an already published "
                                        "quarter.")] = False,
    project: ProjectOption = None,
) -> None:  # fmt: skip
    """Copy reports/<quarter>/ into TO/<quarter>/ with manifest.json; refresh TO/index.html."""
    from analysis.config import project_paths
    from analysis.publishing import publish_quarter

    try:
        folder = publish_quarter(project_paths(project), quarter, to, force)
    except OutturnError as exc:
        fail(str(exc))
    console.print(f"[bold green]published:[/] {folder} (manifest.json, {to / 'index.html'})")


def main() -> None:
    """Entry point for the ``outturn`` console script."""
    try:
        app()
    except OutturnError as exc:
        console.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
