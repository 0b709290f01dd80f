"""The ``outturn`` command line: run, validate, and the table tools."""

from __future__ import annotations

import errno
import inspect
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from analysis.errors import OutturnError, Problem

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


UNEXPECTED_EXIT = 70
"""Exit status for a fault in outturn itself (EX_SOFTWARE); 1 is for the user's input."""
_PROJECT: list[Path] = []  # the project of the running command, for paths in messages


def say(text: str, style: str = "") -> None:
    """Print one message to stderr, never wrapped or read as markup (a pipe gets plain text)."""
    if console.is_terminal and style:
        from rich.markup import escape

        head, sep, rest = text.partition(" ")
        console.print(f"[{style}]{escape(head)}[/]{sep}{escape(rest)}", soft_wrap=True)
    else:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _root() -> Path | None:
    return _PROJECT[-1] if _PROJECT else None


def show_problems(problems: list[Problem], show_all: bool = False, hint: str = "") -> None:
    """Print problems: one line each outside a terminal, a table in one (folded and paged)."""
    from analysis.messages import problem_lines, problem_table

    if console.is_terminal:
        console.print(problem_table(problems, _root(), show_all))
        return
    for line in problem_lines(problems, _root(), show_all, hint):
        say(line)


def report_error(exc: OutturnError) -> None:
    """Print an outturn error: its problems in the one-line form, else its message."""
    from analysis.errors import ValidationError
    from analysis.messages import summary

    if isinstance(exc, ValidationError):
        show_problems(exc.problems, hint="outturn validate --all")
        say(
            f"error: {summary(exc.problems, 'the input data')}; nothing was written. Fix the "
            "errors and run again",
            "bold red",
        )
    elif exc.problems:
        for line in _problem_lines(exc.problems):
            say(f"error: {line}", "bold red")
    else:
        say(f"error: {exc}", "bold red")


def _problem_lines(problems: list[Problem]) -> list[str]:
    from analysis.messages import problem_lines

    return problem_lines(problems, _root(), show_all=True)


def fail(message: str | OutturnError, code: int = 1) -> None:
    """Print one clear error message and exit with ``code``; never a traceback."""
    if isinstance(message, OutturnError):
        report_error(message)
    else:
        say(f"error: {message}", "bold red")
    raise typer.Exit(code)


def _paths(project: Path | None):  # noqa: ANN202
    from analysis.config import project_paths

    paths = project_paths(project)
    _PROJECT.append(paths.root)
    return paths


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
    portfolio: Annotated[str | None, typer.Option(
        "--portfolio", help="Make the pack of one portfolio (as indicators.yml names it) in "
        "reports/<quarter>/<portfolio>/.")] = None,
    committee: Annotated[str | None, typer.Option(
        "--committee", help="Make one committee's pack (report.committees in council.yml) in "
        "reports/<quarter>/<committee>/.")] = None,
    all_committees: Annotated[bool, typer.Option(
        "--all-committees", help="Make the whole report, then every pack report.committees "
        "lists, in one go.")] = False,
    formats: Annotated[str | None, typer.Option(
        "--format", help="What to make, comma-separated: html (the pages, always made), docx and "
        "pdf (the committee's appendix as Word and PDF; needs Quarto). Default: report.formats "
        "in council.yml, else html.")] = None,
) -> None:  # fmt: skip
    """Validate the data, execute the report notebooks and render reports/<quarter>/."""
    from analysis.pipeline import run_quarter

    subsets = _packs_asked(project, portfolio, committee, all_committees)
    paths, as_of = _run_preflight(project, quarter, as_of, formats)
    for subset in subsets:
        with console.status("Running the quarterly pack...") as status:
            result = run_quarter(
                paths,
                quarter,
                as_of,
                engine,
                progress=lambda m, s=status: (say(f"  {m}"), s.update(m)),
                published=published,
                formats=formats,
                **({"subset": subset} if subset else {}),
            )
        _say_done(paths, result)


def _say_done(paths, result) -> None:  # noqa: ANN001
    """One line: the quarter (or pack) made, where, how many pages and exceptions, how long."""
    rel = (
        result.folder.relative_to(paths.root)
        if result.folder.is_relative_to(paths.root)
        else result.folder
    )
    say(
        f"done: {result.quarter} -> {rel / 'index.html'} "
        f"({len(result.pages)} pages, {len(result.exceptions)} exception reports, "
        f"rendered with {result.engine}, {result.timings['total']:.1f} s)",
        "bold green",
    )
    for document in result.documents:
        say(f"      {rel / document.name}", "bold green")


def _packs_asked(
    project: Path | None, portfolio: str | None, committee: str | None, every: bool
) -> list[str]:
    """Return the runs asked for: "" (the whole report), ``portfolio:NAME``, ``committee:NAME``."""
    asked = [x for x in (portfolio, committee) if x] + (["--all-committees"] if every else [])
    if len(asked) > 1:
        fail("give one of --portfolio, --committee and --all-committees", 2)
    if portfolio:
        return [f"portfolio:{portfolio}"]
    if committee:
        return [f"committee:{committee}"]
    if not every:
        return [""]
    from analysis.config import load_council

    committees = load_council(_paths(project).council_file).committees
    if not committees:
        fail("--all-committees: council.yml lists no packs. Fix: add them under "
             "report.committees (see docs/data-model.md)")  # fmt: skip
    return [""] + [c.spec for c in committees]


def _run_preflight(  # noqa: ANN202
    project: Path | None, quarter: str | None, as_of: str | None, formats: str | None = None
):
    """Everything a run checks before it computes: arguments, data, quarter, output folder.

    A Word or PDF document asked for without Quarto stops the run first of all.
    Warnings are printed and the run goes on; errors stop it before anything is written.
    """
    from analysis.documents import check_formats, parse_formats, plan_documents
    from analysis.errors import ValidationError
    from analysis.pack import resolve_quarter
    from analysis.staging import check_report_folder
    from analysis.validation import check_as_of, check_quarter, inspect_project

    if formats is not None:
        check_formats(parse_formats(formats))
    as_of = check_as_of(as_of)
    paths = _paths(project)
    data, problems = inspect_project(paths)
    if data is None:
        raise ValidationError(problems)
    if problems:
        show_problems(problems, hint="outturn validate --all")
    plan_documents(paths, data.council, formats)
    check_quarter(data, quarter, as_of)
    check_report_folder(paths.reports, resolve_quarter(data, quarter, as_of).slug)
    return paths, as_of


@app.command("validate")
def validate_command(
    project: ProjectOption = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every problem (default: a first page of each kind).")
    ] = False,
) -> None:
    """Check everything in data/ and print every problem found; exit 1 if there are errors.

    Warnings (e.g. an area code that is no comparator) are printed but do not fail.
    """
    from analysis.messages import summary
    from analysis.validation import inspect_project

    paths = _paths(project)
    data, problems = inspect_project(paths)
    if problems:
        show_problems(problems, show_all, hint="outturn validate --all")
    if data is None:
        say(f"error: {summary(problems, paths.data.name + '/')}", "bold red")
        raise typer.Exit(1)
    warned = f"; {len(problems)} warning(s) above" if problems else "; no problems found"
    warned += _stale_warnings(data, show_all)
    say(
        f"ok: {paths.data}: {len(data.catalogue)} indicators, {len(data.values):,} values in "
        f"{data.values['file'].nunique()} file(s){warned}",
        "bold green",
    )


def _stale_warnings(data, show_all: bool) -> str:  # noqa: ANN001 - validation.ProjectData
    """Print the indicators whose figures are out of date for the quarter; say how many."""
    from analysis.validation import stale_figures

    quarter, stale = stale_figures(data)
    if not stale:
        return ""
    show_problems(stale, show_all, hint="outturn validate --all")
    return f"; {len(stale)} indicator(s) out of date for {quarter.label} (warnings above)"


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
    from analysis.outputs import check_output_file
    from analysis.spc_io import run_spc_csv

    try:
        check_output_file(out)
        table = run_spc_csv(
            input_csv, out, improvement=improvement, target=target, rebase=rebase or ()
        )
    except OutturnError as exc:
        fail(exc)
    signals = int(table["special_cause"].sum()) if len(table) else 0
    say(f"wrote {len(table)} points ({signals} special cause) to {out}")


# --- DfE/ONS data: import, init, benchmark ------------------------------------------------
SourceDirOption = Annotated[
    Path | None,
    typer.Option("--source-dir", help="Folder of DfE/ONS CSVs (default: ../shared/data).",
                 file_okay=False),
]  # fmt: skip


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="lait, lait-metadata, ees, population, "
                                        "neighbours, tidy, pibook or commentary")],
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
    quarter: Annotated[str | None, typer.Option(
        "--quarter", help="commentary: the quarter (default: the one the request names).")] = None,
    author: Annotated[str | None, typer.Option(
        "--author", help="commentary: who wrote it (default: the request's owner).")] = None,
    received: Annotated[str | None, typer.Option(
        "--date", help="commentary: YYYY-MM-DD it was received (default: today).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="commentary: replace a file that already holds other text.")] = False,
) -> None:  # fmt: skip
    """Import a file into the project's data/ folder, checked to be of KIND first.

    commentary files each filled request (FILE, or every .md and .docx in a folder) as
    data/commentary/<quarter>/<indicator_id>.md, with its author and date.

    tidy and pibook add the council's own figures to data/values/<source>.csv (merged by
    indicator, area, period and vintage) with catalogue stubs for new indicators; lait and
    ees add new DfE years to data/values/dfe.csv with the ids outturn init wrote.
    """
    from analysis.imports import import_file

    root = project or Path.cwd()
    if kind == "commentary":
        import_commentary(root, file, quarter, author, received, force)
        return
    result = import_file(kind, file, root, source, published, ids, sheet)
    report_import(result, root)


def report_import(result, root: Path) -> None:  # noqa: ANN001
    """Print what an import did: rows, drops, stubs, sources, warnings."""
    for warning in result.warnings:
        say(f"WARNING: {warning}", "bold yellow")
    shown = result.file.relative_to(root) if result.file.is_relative_to(root) else result.file
    merge = result.merge
    if merge is None:
        say(f"wrote {result.rows} rows to {shown}")
    else:
        state = "wrote" if result.file in result.written else "unchanged:"
        say(
            f"{state} {shown} ({result.rows:,} rows): {merge.added:,} added, {merge.revised:,} "
            f"revised (new vintage), {merge.corrected:,} corrected (same vintage), "
            f"{merge.unchanged:,} already there"
        )
    if result.kind in ("tidy", "pibook", "lait", "ees"):
        some = ", ".join(result.dropped_areas[:6]) + ("..." if result.dropped_areas[6:] else "")
        areas = f" for {len(result.dropped_areas)} areas ({some})" if result.dropped_areas else ""
        say(f"dropped {result.dropped:,} rows{areas}: not the council, its comparator "
                      "groups, region or England")  # fmt: skip
    if result.stubs:
        say(f"added {len(result.stubs)} catalogue stub(s) to data/indicators.yml: "
                      f"{', '.join(result.stubs)}; 'outturn validate' lists the fields to "
                      "fill")  # fmt: skip
    if result.source_created:
        say(f"added source {result.source_created} to data/sources.yml")
    for note in result.notes:
        say(f"note: {note}")


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
    say(f"{written['council']['name']} ({written['council']['area_code']}) set up "
                  f"in {root / 'data'}; neighbours ({model}): {names}")  # fmt: skip
    for note in notes:
        say(f"note: {note}")


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
    from analysis.outputs import check_output_file

    if not all_councils:
        fail("only --all is supported: benchmark every council, then filter the CSV")
    check_output_file(out)
    folder = source_dir or default_source_dir(project or Path.cwd())
    need = ("lait-metadata", *(() if input_file else ("lait",)),
            *(() if neighbours else ("neighbours",)))  # fmt: skip
    found = importing.dfe_files(folder, need)  # found by their columns, whatever the names
    result = benchmark_files(
        input_file or found["lait"], neighbours or found["neighbours"], found["lait-metadata"],
        average,
    )  # fmt: skip
    notes = write_benchmark(result, out)
    say(f"wrote {len(result)} rows to {out} (model, region and rank notes: {notes})")


# --- national: every council's pack in one run, on this machine or a Dask cluster --------
@app.command("national")
def national_command(
    quarter: Annotated[str, typer.Option("--quarter", "-q", help='Quarter, e.g. "2022-23 Q4" '
                                         "(DfE's figures for a year are its Q4).")],
    councils: Annotated[str, typer.Option("--councils", help="all, a FILE of councils (one a "
        "line, or a CSV with an area_code column), or CODE,CODE,... (GSS codes, LA numbers "
        "or names).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the packs: OUT/<area-code>/"
                                      "reports/<quarter>/, with index.html, councils.csv, "
                                      "scorecards.csv and failures.csv.")],
    source_dir: SourceDirOption = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="A Dask scheduler "
        "(tcp://host:8786) to send the councils to (default: a local cluster).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Local cluster: "
        "worker processes (default: one per core).")] = None,
    engine: Annotated[str, typer.Option(help="Renderer: auto (Quarto if on PATH), quarto or "
                                        "python.")] = "auto",
    force: Annotated[bool, typer.Option("--force", help="Rebuild every council, even those "
                                        "whose inputs and code are unchanged.")] = False,
) -> None:  # fmt: skip
    """Build every council's children's-services pack for a quarter, in parallel.

    Each council's folder is a project set up as 'outturn init' does and built as 'outturn
    run' does. A council whose inputs and code are unchanged since its pack was built is
    skipped, so an interrupted run resumes; one council's failure is recorded with its reason
    (index.html, failures.csv) and the others go on. Exit status 1 if any council failed.
    """
    from analysis.national import FAILED, ProgressReport, run_national

    progress = ProgressReport(console, say)
    try:
        result = run_national(councils, quarter, out, source_dir, scheduler, workers, engine,
                              force, report=progress, on_start=progress.start)  # fmt: skip
    finally:
        progress.stop()
    built, unchanged = result.count("built"), result.count("unchanged")
    failed = result.count(FAILED)
    say(f"{'done' if not failed else 'finished'}: {len(result.outcomes)} councils, {built} built, "
        f"{unchanged} unchanged, {failed} failed in {result.seconds:.0f} s -> "
        f"{result.out / 'index.html'}", "bold red" if failed else "bold green")  # fmt: skip
    if failed:
        say(f"error: {failed} council(s) failed; reasons in {result.out / 'failures.csv'}",
            "bold red")  # fmt: skip
        raise typer.Exit(1)


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
    from analysis.outputs import check_output_file, write_csv

    try:
        check_output_file(out)
        check_arguments(horizon, level)
        table = read_series_table(input_csv)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("forecasting", total=table.groupby(_keys(table)).ngroups)
            result = forecast_table(
                table, horizon=horizon, level=level, on_series=lambda: bar.advance(task)
            )
        write_csv(result, out)
    except OutturnError as exc:
        fail(exc)
    n_series = result.groupby(_keys(table), dropna=False).ngroups if len(result) else 0
    n_none = int((result["method"] == "").sum())
    say(
        f"forecast: {n_series} series, {n_series - n_none} forecast, "
        f"{n_none} with too little data (reason in the note column); wrote {out}"
    )


def _keys(table):  # noqa: ANN001, ANN202
    from analysis.forecasting import series_keys

    return series_keys(table)


# --- the analyst's quarter: commentary requests, returns, sign-off and status --------------
def _date_option(text: str | None, option: str):  # noqa: ANN202
    """Read a YYYY-MM-DD option (today when not given), or fail naming the option."""
    import datetime as dt

    from analysis.validation import check_as_of

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(check_as_of(text))
    except OutturnError:
        fail(f"{option} {text!r} is not a date. Fix: write it as YYYY-MM-DD", 2)


def _quarter_option(text: str, option: str = "--quarter"):  # noqa: ANN202
    from analysis.periods import parse_period

    period = parse_period(text)
    if period.freq != "quarter":
        fail(f"{option} {text!r} is a {period.freq}, not a quarter. Fix: write e.g. "
             '"2018-19 Q1"', 2)  # fmt: skip
    return period


def _shown(path: Path) -> str:
    root = _root()
    return str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)


@app.command("new-quarter")
def new_quarter_command(
    quarter: Annotated[str, typer.Argument(help='The quarter to collect for, e.g. "2018-19 Q1".')],
    project: ProjectOption = None,
    meeting: Annotated[str | None, typer.Option(
        "--meeting", help="YYYY-MM-DD the committee meets (default: report.meeting_date).")] = None,
    requested: Annotated[str | None, typer.Option(
        "--date", help="YYYY-MM-DD the requests are sent (default: today).")] = None,
    exceptions_only: Annotated[bool, typer.Option(
        "--exceptions-only", help="Ask only about the indicators that need an exception "
        "report (default: every indicator, exceptions first).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Write requests again over those already there.")] = False,
) -> None:  # fmt: skip
    """Write a commentary request for each indicator owner (Markdown, and Word with Quarto).

    Each lists the owner's indicators with the quarter's figures, direction of travel,
    RAG, the draft commentary and empty Commentary / Service response sections, and the
    deadline: report.meeting_date less report.deadline_working_days working days.
    """
    from analysis.collection import build_requests, write_requests
    from analysis.pack import build_pack
    from analysis.validation import load_project, quarters_with_figures

    period = _quarter_option(quarter, "QUARTER")
    day = _date_option(requested, "--date")
    if meeting is not None:
        meeting = _date_option(meeting, "--meeting").isoformat()
    paths = _paths(project)
    data = load_project(paths)
    pack = build_pack(data, period)
    requests = build_requests(pack, day, meeting, exceptions_only)
    done = write_requests(pack, requests, force)
    for path in done.files:
        say(f"wrote {_shown(path)}")
    for path in done.kept:
        say(f"kept {_shown(path)} (already there; --force writes it again)")
    if period not in quarters_with_figures(data):
        say(f"note: no council figures for {period.label} yet: the requests give each "
            "indicator's latest figure; load the quarter's figures and run again with "
            "--force")  # fmt: skip
    for note in done.notes:
        say(f"note: {note}")
    deadline = requests[0].deadline if requests else None
    due = f"; due {deadline.isoformat()}" if deadline else "; no deadline (no report.meeting_date)"
    say(f"done: {len(requests)} request(s) for {period.label}{due}", "bold green")


def import_commentary(
    root: Path, file: Path, quarter: str | None, author: str | None, received: str | None,
    force: bool,
) -> None:  # fmt: skip
    """File each filled request's commentary (``outturn import commentary FILE|DIR``)."""
    from analysis.catalogue import load_catalogue
    from analysis.collection import import_returned, returned_files

    paths = _paths(root)
    catalogue = load_catalogue(paths.catalogue_file)
    day = _date_option(received, "--date")
    if quarter is not None:
        quarter = _quarter_option(quarter).label
    for path in returned_files(file):
        done = import_returned(paths, catalogue, path, quarter, author, day, force)
        for out in done.written:
            say(f"wrote {_shown(out)}")
        for out in done.unchanged:
            say(f"unchanged: {_shown(out)}")
        if done.empty:
            say(f"note: {path.name}: nothing written yet for {', '.join(done.empty)}")
        say(f"done: {path.name}: {len(done.written)} filed for {done.quarter}, "
            f"{len(done.unchanged)} unchanged, {len(done.empty)} left empty")  # fmt: skip


@app.command("clear")
def clear_command(
    indicator: Annotated[str, typer.Argument(help="The indicator id, e.g. cla.")],
    quarter: Annotated[str, typer.Option("--quarter", "-q", help='e.g. "2017-18 Q3".')],
    by: Annotated[str, typer.Option("--by", help="Who signs the commentary off.")],
    on: Annotated[str | None, typer.Option(
        "--date", help="YYYY-MM-DD it was cleared (default: today).")] = None,
    project: ProjectOption = None,
) -> None:  # fmt: skip
    """Record sign-off of an indicator's commentary for a quarter (in its front matter)."""
    from analysis.catalogue import load_catalogue
    from analysis.collection import clear_commentary

    paths = _paths(project)
    load_catalogue(paths.catalogue_file)[indicator]  # an unknown id names the catalogue's ids
    day = _date_option(on, "--date")
    path = clear_commentary(paths, indicator, _quarter_option(quarter), by, day)
    say(f"cleared: {_shown(path)} by {' '.join(by.split())} on {day.isoformat()}", "bold green")


STATUS_COLUMNS = ("indicator", "owner", "requested", "received", "cleared by", "date", "missing")


@app.command("status")
def status_command(
    quarter: Annotated[str, typer.Option("--quarter", "-q", help='e.g. "2017-18 Q3".')],
    project: ProjectOption = None,
) -> None:
    """Show where each indicator's commentary stands: requested, received, cleared, missing."""
    from analysis.collection import meeting_and_deadline, sent_requests, status_rows
    from analysis.pack import build_pack
    from analysis.validation import load_project

    period = _quarter_option(quarter)
    paths = _paths(project)
    data = load_project(paths)
    pack = build_pack(data, period)
    rows = status_rows(pack, sent_requests(paths.commentary_dir / period.slug / "requests"))
    _print_status(rows)
    cleared = sum(1 for r in rows if r["cleared by"])
    missing = sum(1 for r in rows if r["missing"])
    _, deadline = meeting_and_deadline(data.council, period)
    due = f"; due {deadline.isoformat()}" if deadline else ""
    say(f"{period.label}: {len(rows)} indicator(s), {cleared} cleared, {missing} with "
        f"something missing{due}")  # fmt: skip


def _print_status(rows: list[dict[str, str]]) -> None:
    """Print a table in a terminal; one plain line per indicator in a pipe or a log."""
    out = Console(highlight=False)  # the table is the command's output: stdout
    if out.is_terminal:
        from rich.table import Table

        table = Table(*[c.capitalize() for c in STATUS_COLUMNS])
        for row in rows:
            table.add_row(*[row[c] or "-" for c in STATUS_COLUMNS])
        out.print(table)
        return
    for row in rows:
        sys.stdout.write("; ".join(f"{c}: {row[c] or '-'}" for c in STATUS_COLUMNS) + "\n")
    sys.stdout.flush()


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
    from analysis.publishing import publish_quarter

    try:
        folder = publish_quarter(_paths(project), quarter, to, force)
    except OutturnError as exc:
        fail(exc)
    say(f"published: {folder} (manifest.json, {to / 'index.html'})", "bold green")


_OS_FIXES = {
    errno.EACCES: "check that you may write there (permissions, a read-only share) or use "
    "another folder",
    errno.EPERM: "check that you may write there or use another folder",
    errno.EROFS: "the disk is read-only: use another folder",
    errno.ENOSPC: "free some disk space and run again; files already there were not replaced",
    errno.EDQUOT: "your disk quota is full: free some space and run again",
    errno.ENOENT: "create the folder, or correct the path",
    errno.ENOTDIR: "a file stands where a folder is needed: move it aside",
    errno.EISDIR: "a folder stands where a file is needed: give a file name",
    errno.EEXIST: "something is already there: move it aside",
}


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error: the path, what happened and what to do."""
    from analysis.messages import shown_path

    paths = [str(x) for x in (exc.filename, exc.filename2) if x is not None]
    where = " -> ".join(shown_path(x, _root()) for x in paths) or "(no path given)"
    reason = exc.strerror or str(exc) or type(exc).__name__
    fix = _OS_FIXES.get(exc.errno or 0, "check the path and the disk")
    return f"{where}: {reason}. Fix: {fix}"


def log_unexpected(exc: BaseException) -> Path | None:
    """Write the full trace of an unexpected error to a log file; return its path."""
    import datetime as dt
    import tempfile
    import traceback

    text = (
        f"outturn {dt.datetime.now().isoformat(timespec='seconds')}\n"
        f"command: {' '.join(sys.argv)}\npython: {sys.version}\n\n"
        + "".join(traceback.format_exception(exc))
    )
    reports = _root() / "reports" if _root() is not None else None
    try:
        if reports is not None and reports.is_dir():
            (reports / ".outturn-error.log").write_text(text, encoding="utf-8")
            return reports / ".outturn-error.log"
    except OSError:
        pass
    try:  # no project, or its reports/ cannot be written: a file of our own in the temp folder
        handle, name = tempfile.mkstemp(prefix="outturn-error-", suffix=".log")
        with open(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        return Path(name)
    except OSError:
        pass
    return None


def reflow_help(typer_app: typer.Typer) -> None:
    """Join each command's help paragraphs into single lines, so the terminal wraps them.

    The help shown is the command's docstring, whose lines are broken to fit the source file;
    left as they are, each break shows as a short line in ``outturn COMMAND --help``.
    """
    for command in typer_app.registered_commands:
        text = command.help or (command.callback.__doc__ if command.callback else None)
        if text:
            paragraphs = inspect.cleandoc(text).split("\n\n")
            command.help = "\n\n".join(" ".join(p.split()) for p in paragraphs)


def main() -> None:  # noqa: C901 - one except clause per kind of failure
    """Entry point for the ``outturn`` console script: one line for any error, never a trace.

    Errors in the input exit 1 with their message; an operating-system error
    (a read-only folder, a full disk) names the path; anything else is a fault
    in outturn: one line, the full trace in a log file, exit status 70.
    """
    from analysis.staging import Terminated

    try:
        app()
    except OutturnError as exc:
        report_error(exc)
        sys.exit(1)
    except OSError as exc:
        say(f"error: {os_error_line(exc)}", "bold red")
        sys.exit(1)
    except KeyboardInterrupt:
        say("error: interrupted; files already there were left as they were", "bold red")
        sys.exit(130)
    except Terminated as exc:
        say(f"error: {exc}; files already there were left as they were", "bold red")
        sys.exit(128 + exc.signum)
    except Exception as exc:  # the last resort: never a traceback on the screen
        log = log_unexpected(exc)
        where = f"the full trace is in {log}" if log else "no log could be written"
        say(
            f"error: unexpected {type(exc).__name__}: {str(exc)[:300]} (a fault in outturn, "
            f"not in your data); {where}; please report it with that file",
            "bold red",
        )
        sys.exit(UNEXPECTED_EXIT)


reflow_help(app)

if __name__ == "__main__":
    main()
