"""Quarterly run: validate, compute, execute notebooks (papermill), render, publish atomically."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.comparison import SCORECARD_COLUMNS
from analysis.config import ProjectPaths
from analysis.errors import OutturnError
from analysis.outputs import normalise_notebook, write_csv, write_xlsx
from analysis.pack import Pack, apply_subset, build_pack, choose_quarter, resolve_quarter
from analysis.rendering import choose_engine, render_home, render_python, render_quarto
from analysis.results import SIGNAL_COLUMNS, forecast_items
from analysis.site import Page, Site, check_twins, footer_lines, read_config, read_pages
from analysis.staging import staging_folder, swap_in
from analysis.validation import ProjectData, load_project

Progress = Callable[[str], None]
Executor = Callable[..., list[Path]]
"""Executes a quarter's pages: ``(pages, folder, parameters, progress, replace) -> notebooks``."""


class NotebookError(OutturnError):
    """Raised when a report notebook fails while papermill executes it."""


@dataclass
class RunResult:
    """What a run produced and how long each step took."""

    quarter: str
    folder: Path
    engine: str
    exceptions: list[str]
    pages: list[Path]
    timings: dict[str, float] = field(default_factory=dict)
    documents: list[Path] = field(default_factory=list)
    """The Word and PDF documents made (``--format docx,pdf``), if any."""
    pack: Pack | None = field(default=None, repr=False)


def _as_ipynb(source: Path, scratch: Path) -> Path:
    if source.suffix == ".ipynb":
        return source
    import jupytext

    out = scratch / f"{source.stem}.ipynb"
    jupytext.write(jupytext.read(source), out)
    return out


def latest_vintage(pack: Pack) -> dt.datetime | None:
    """Return the newest publication date among the figures used (the spreadsheet's fixed date)."""
    vintages = pd.to_datetime(pack.values.get("vintage"), errors="coerce").dropna()
    return None if vintages.empty else vintages.max().to_pydatetime()


def write_scorecard(pack: Pack, folder: Path) -> list[Path]:
    """``scorecard.csv`` (exactly the agreed columns) and an ``.xlsx`` copy for analysts.

    Text that a spreadsheet would run as a formula is written as text, and the
    workbook carries the data's date, not the clock's: the same data gives the
    same bytes.
    """
    card = pack.scorecard.copy()
    card["exception"] = card["exception"].map({True: "true", False: "false"})
    columns = SCORECARD_COLUMNS + [c for c in SIGNAL_COLUMNS if c in card.columns]
    csv = write_csv(card[columns], folder / "scorecard.csv")
    xlsx = write_xlsx(card[columns], folder / "scorecard.xlsx", "scorecard", latest_vintage(pack))
    return [csv, xlsx]


def write_forecasts(pack: Pack, folder: Path) -> Path:
    """``forecasts.csv``: each reported indicator's forecast, crossing and year-end projection."""
    from analysis.forecasting import forecasts_frame

    return write_csv(forecasts_frame(forecast_items(pack.results)), folder / "forecasts.csv")


KERNELS = 2
"""Notebooks executed at once: one kernel per core (four on two cores measured slower)."""
KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
"""How every report kernel is started (a kept kernel too, so both run the notebooks alike)."""
KERNEL_STARTS = 2
"""Tries at starting a kernel. Jupyter picks a kernel's ports by asking the system for free ones
and handing them over; another process can take one in between, and the kernel dies as it
starts ("Address already in use"). Nothing has run yet, so a second start with new ports is
safe."""


def kernel_died_starting(exc: BaseException) -> bool:
    """Whether ``exc`` is a kernel that died before it answered (nothing executed in it)."""
    return isinstance(exc, RuntimeError) and "died before replying to kernel_info" in str(exc)


def execute_notebook(
    source: Path, out: Path, parameters: dict, cwd: Path, engine_name: str | None = None,
    **engine_options: object,
) -> Path:  # fmt: skip
    """Run one notebook with papermill; a failing cell becomes a :class:`NotebookError`.

    ``engine_name`` and ``engine_options`` choose papermill's engine (default:
    a fresh kernel; :mod:`analysis.kernels` registers one that reuses a kernel).
    """
    import papermill as pm

    try:
        for attempt in range(1, KERNEL_STARTS + 1):
            try:
                pm.execute_notebook(
                    str(source),
                    str(out),
                    parameters=parameters,
                    cwd=str(cwd),
                    progress_bar=False,
                    kernel_name=KERNEL_NAME,
                    log_output=False,
                    request_save_on_cell_execute=False,  # written once, when done (or failed)
                    extra_arguments=KERNEL_ARGUMENTS,
                    engine_name=engine_name,
                    **engine_options,
                )
                break
            except RuntimeError as exc:
                if not kernel_died_starting(exc):
                    raise
                if attempt == KERNEL_STARTS:
                    raise NotebookError(
                        f"{source.name}: its Jupyter kernel died as it started, {KERNEL_STARTS} "
                        "times (usually another program took the network port it was given); "
                        "nothing was written to the report: run the command again"
                    ) from None
    except pm.PapermillExecutionError as exc:
        line = next((x for x in str(exc.source or "").splitlines() if x.strip()), "")
        raise NotebookError(
            f"{source.name}, cell {exc.exec_count} ({line.strip()[:80]}): {exc.ename}: "
            f"{exc.evalue}. Fix that cell of the notebook, or the data it reads; nothing was "
            "written to the report"
        ) from None
    return out


def execute_all(
    pages: tuple[Page, ...],
    folder: Path,
    parameters: dict,
    progress: Progress,
    replace: dict[str, str] | None = None,
) -> list[Path]:
    """Execute the pages' notebooks concurrently (one kernel each) in ``folder``.

    Each runs with ``folder`` as its working directory, so the charts it draws
    are written beside it (``charts/``). The executed notebooks lose their
    timings, and every path in ``replace`` (the staging folder, a temporary
    file) is written as the path it stands for: two runs, the same bytes.
    """
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(max_workers=KERNELS) as pool:
        replace = {scratch: str(pages[0].source.parent), **(replace or {})} if pages else {}
        futures = {
            pool.submit(
                execute_notebook,
                _as_ipynb(page.source, Path(scratch)),
                folder / f"{page.name}.ipynb",
                parameters,
                folder,
            ): page.name
            for page in pages
        }
        done = []
        try:
            for future, name in futures.items():
                done.append(normalise_notebook(future.result(), replace))
                progress(f"executed {name}.ipynb")
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # an interrupt need not wait
            raise
    return done


def _share_pack(pack: Pack, folder: Path) -> str:
    """Pickle the computed pack (every result) so the notebooks need not recompute it."""
    import pickle

    out = folder / "pack.pickle"
    with open(out, "wb") as handle:
        pickle.dump(pack, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return str(out)


def site_for(paths: ProjectPaths, pack: Pack) -> Site:
    """Return the quarter's pages (from ``_quarto.yml`` and ``notebooks/``), title and footer."""
    pages = read_pages(paths)
    check_twins(pages)
    return Site(pack.title, pages, footer_lines(pack.data.sources))


def output_folder(paths: ProjectPaths, pack: Pack) -> tuple[Path, Path]:
    """Where a run builds and what it replaces: ``reports/<quarter>/``, or a pack inside it."""
    if pack.subset is None:
        return paths.reports, paths.report_dir(pack.quarter.slug)
    quarter = paths.report_dir(pack.quarter.slug)
    return quarter, quarter / pack.subset.slug


def committee_packs(folder: Path) -> list[str]:
    """List the committee and portfolio packs in a quarter's folder (sub-folders with pages)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / "index.html").is_file())


def check_clearance(pack: Pack, progress: Progress) -> None:
    """Warn (or stop) while an exception's commentary is not signed off.

    The published build is the one councillors read; ``report.require_clearance``
    makes an exception not cleared stop it.

    Raises
    ------
    OutturnError
        With ``report.require_clearance: true``, naming each exception not cleared.
    """
    from analysis.collection import uncleared_exceptions

    found = uncleared_exceptions(pack)
    if not found:
        return
    what = f"{len(found)} exception report(s) not cleared: {', '.join(found)}"
    fix = (f'sign each off with outturn clear INDICATOR --quarter "{pack.quarter.label}" '
           "--by NAME")  # fmt: skip
    if pack.data.council.require_clearance:
        raise OutturnError.at("--published", what, f"{fix} (report.require_clearance is true)")
    progress(f"warning: {what}. Fix: {fix}")


def compute_pack(
    data: ProjectData,
    quarter: str | None,
    as_of: str | None,
    published: bool,
    progress: Progress = lambda _: None,
) -> Pack:
    """Compute the quarter's pack: the quarter asked for (or chosen, saying why), every result.

    The published build withholds small counts first, and warns (or stops) while an
    exception's commentary is not cleared (``report.require_clearance``).
    """
    if published:
        from analysis.disclosure import published_data

        data = published_data(data)
    if quarter:
        period = resolve_quarter(data, quarter)
    else:
        period, why = choose_quarter(data, as_of)
        progress(f"quarter {why}")
    pack = build_pack(data, period, as_of, published)
    if published:
        check_clearance(pack, progress)
    return pack


def run_quarter(
    paths: ProjectPaths,
    quarter: str | None = None,
    as_of: str | None = None,
    engine: str = "auto",
    progress: Progress = lambda _: None,
    published: bool = False,
    subset: str = "",
    formats: str | Sequence[str] | None = None,
    executor: Executor | None = None,
    check: Callable[[ProjectData], None] | None = None,
) -> RunResult:
    """Produce ``reports/<quarter>/``: scorecard, forecasts, executed notebooks and pages.

    ``published`` withholds small counts (``report.suppress_below``) everywhere,
    for the build that leaves the council; the default internal build shows all.
    ``subset`` (``committee:NAME`` or ``portfolio:NAME``) makes that pack instead,
    in ``reports/<quarter>/<pack>/``: the same pages for its indicators only.
    ``formats`` (``html,docx,pdf``; default ``report.formats``) adds the Word and
    PDF documents (:mod:`analysis.documents`), which need Quarto: without it the
    run stops before anything is computed.

    Validation runs first; if it fails, or any step after it does, nothing is
    written to the quarter's folder (the work happens in a staging folder that
    replaces it only at the end).

    ``executor`` executes the pages' notebooks (default :func:`execute_all`: a
    fresh kernel each, two at a time); ``outturn national`` passes one that
    reuses a kernel (:func:`analysis.kernels.execute_kept`), with the same result.
    ``check`` is called with the validated data before anything is computed
    (e.g. :func:`analysis.validation.check_quarter`), so a caller need not
    read and validate the data a second time to check its arguments.
    """
    from analysis.documents import check_formats, parse_formats, plan_documents, render_documents

    timings, t0 = {}, time.perf_counter()
    engine = choose_engine(engine)
    if formats is not None:
        check_formats(parse_formats(formats))  # no Quarto for a document: stop before reading
    data = load_project(paths)
    plan = plan_documents(paths, data.council, formats)
    if check is not None:
        check(data)
    pack = compute_pack(data, quarter, as_of, published, progress)
    period = pack.quarter
    pack = apply_subset(pack, subset)
    site = site_for(paths, pack)
    check_twins(plan.pages)
    timings["validate_and_compute"] = time.perf_counter() - t0
    progress(
        f"validated data; {period.label}: {len(pack.reported)} indicators, "
        f"{len(pack.exceptions)} exceptions"
    )
    where, final = output_folder(paths, pack)
    with staging_folder(where, final.name) as staging:
        staging.chmod(0o755)  # readable by the other users of an intranet folder
        write_scorecard(pack, staging)
        write_forecasts(pack, staging)
        params = {
            "quarter": period.label,
            "project": str(paths.root),
            "data_dir": str(paths.data),
            "council_config": str(paths.council_file),
            "output_dir": str(final),
            "as_of": as_of or "",
            "published": published,
        }
        if pack.subset is not None:  # notebooks without the parameter are not told of it
            params["subset"] = pack.subset.spec
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as private:
            params["pack_file"] = _share_pack(pack, Path(private))
            fixed = {str(staging): str(final), params["pack_file"]: "(the pack this run computed)"}
            (executor or execute_all)(site.pages + plan.pages, staging, params, progress, fixed)
        timings["notebooks"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        pages = (
            render_quarto(staging, site, read_config(paths))
            if engine == "quarto"
            else render_python(staging, site)
        )
        timings["render"] = time.perf_counter() - t2
        dropped = committee_packs(final) if pack.subset is None else []
        t3 = time.perf_counter()
        documents = render_documents(staging, pack, plan.formats, plan.template)
        if documents:
            timings["documents"] = time.perf_counter() - t3
            progress("rendered " + ", ".join(d.name for d in documents))
        swap_in(staging, final)
    if dropped:
        progress(f"note: the packs made earlier in {final.name}/ ({', '.join(dropped)}) went "
                 "with the old report; rebuild them with --all-committees")  # fmt: skip
    if pack.subset is None:
        render_home(paths.reports, pack.council_name)
    folder = final
    timings["total"] = time.perf_counter() - t0
    return RunResult(
        period.label,
        folder,
        engine,
        pack.exceptions,
        [folder / p.name for p in pages],
        timings,
        [folder / d.name for d in documents],
        pack,
    )
