"""Every council's pack in one run: the DfE data read once, one task per council on Dask.

``outturn national`` makes ``OUT/<area-code>/`` an outturn project for each
council, set up exactly as ``outturn init --council <area-code>`` sets one up
(as ``init --force`` does when the folder already has one, so commentary,
targets, comparator groups and the council's own figures added there are
kept), and builds its quarter exactly as ``outturn run`` does, into
``OUT/<area-code>/reports/<quarter>/``. The same functions do the work: only
the DfE files are read once (with every council ranked once) and handed to
every council's task, and each worker executes the notebooks in one kernel it
keeps (:mod:`analysis.kernels`) instead of a fresh kernel per notebook.

A council is skipped when the digest of everything its pack depends on (every
file of its ``data/``, its pages' notebooks and ``_quarto.yml``, the quarter,
the engine, and outturn's own code and version with those of the packages it
renders with) matches the one recorded when its pack was last built, and the
pack is still there. A council that fails is recorded with its reason and the
others go on.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import ProjectPaths
from analysis.councils import DEFAULT_MODEL, MODELS, DfeTables
from analysis.errors import ConfigError, OutturnError

BUILT, UNCHANGED, FAILED = "built", "unchanged", "failed"
"""What happened to a council: its pack built, its pack already current, or a failure."""
STAMP_DIR = ".outturn"
"""Folder in each council's project holding the digest of its last national build."""
PACKAGES = (
    "altair", "jupytext", "markdown-it-py", "nbconvert", "nbformat", "nh3", "numpy",
    "openpyxl", "pandas", "papermill", "scipy", "statsmodels", "vl-convert-python",
)  # fmt: skip
"""Packages whose version can change a pack's bytes (their versions enter the digest)."""
OUTPUT_FILES = ("index.html", "councils.csv", "scorecards.csv", "failures.csv")
"""What a national run writes in ``OUT`` beside the councils' folders."""
CONNECT_TIMEOUT = "20s"
"""How long to try reaching a ``--scheduler`` before giving up."""


@dataclass(frozen=True)
class CouncilOutcome:
    """What one council's task did: its status, headline counts, or the reason it failed.

    ``peak_memory`` is the highest resident memory (bytes) of the worker that
    built it and of its kernel so far; ``worker`` names that worker process;
    ``timings`` are the seconds each step took (``set_up``, then those of
    :func:`analysis.pipeline.run_quarter`) and ``cpu`` the CPU seconds of the
    worker and its kernel.
    """

    area_code: str
    name: str
    status: str
    reason: str = ""
    exceptions: tuple[str, ...] = ()
    worst_quartile: tuple[str, ...] = ()
    seconds: float = 0.0
    worker: str = ""
    peak_memory: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class NationalResult:
    """Every council's outcome, and what the run wrote."""

    quarter: str
    out: Path
    engine: str
    outcomes: list[CouncilOutcome]
    seconds: float = 0.0
    files: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def count(self, status: str) -> int:
        """How many councils ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[CouncilOutcome]:
        """The councils that failed."""
        return [o for o in self.outcomes if o.status == FAILED]


# --- which councils --------------------------------------------------------------------------


def council_model(area_code: str, neighbours: pd.DataFrame) -> str:
    """Return ``outturn init``'s default neighbour model, or the other when the council lacks it.

    Councils created after April 2021 (Cumberland, Westmorland and Furness)
    have neighbours only in the May 2025 model (``init --model`` names it).
    """
    have = set(neighbours.loc[neighbours["area_code"] == area_code, "model"])
    return DEFAULT_MODEL if DEFAULT_MODEL in have or not have else sorted(have & set(MODELS))[0]


def _listed(spec: str) -> list[str]:
    """Return the councils a ``--councils`` FILE or comma list names (or a CSV's ``area_code``)."""
    path = Path(spec)
    try:
        is_file = path.is_file()
    except OSError:  # a long list of codes is no file name
        is_file = False
    if not is_file:
        return [item.strip() for item in spec.split(",") if item.strip()]
    lines = [x.strip() for x in path.read_text(encoding="utf-8-sig").splitlines()]
    lines = [x for x in lines if x and not x.startswith("#")]
    if lines and "area_code" in [c.strip() for c in lines[0].split(",")]:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [c.strip() for c in frame["area_code"] if c.strip()]
    return [item.strip() for line in lines for item in line.split(",") if item.strip()]


def resolve_councils(spec: str, neighbours: pd.DataFrame) -> list[str]:
    """Return the GSS codes ``--councils`` asks for, in the order given.

    ``all`` is every council in DfE's neighbour lists; a FILE lists one
    council a line (or is a CSV with an ``area_code`` column); otherwise a
    comma-separated list. Each council is a GSS code, DfE LA number or name.

    Raises
    ------
    ConfigError
        Naming every council that matches none (or several), before any work.
    """
    from analysis.councils import find_council

    if spec.strip().lower() == "all":
        return sorted(neighbours["area_code"].drop_duplicates())
    codes, problems = [], []
    for item in _listed(spec):
        try:
            codes.append(str(find_council(item, neighbours).area_code))
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("--councils: " + " | ".join(problems))
    if not codes:
        raise ConfigError(
            f"--councils {spec!r} names no council. Fix: give 'all', a file of GSS codes (one "
            "a line) or a comma-separated list such as E08000009,E06000009"
        )
    return list(dict.fromkeys(codes))


# --- the digest: inputs and code -------------------------------------------------------------


def _files_digest(digest: Any, root: Path, files: list[Path]) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@functools.lru_cache(maxsize=4)
def code_fingerprint(engine: str) -> str:
    """Digest of outturn's own code and version and the versions of what renders the pack.

    Every file of the ``analysis`` package counts, so any change to outturn
    (a released version or a working copy) rebuilds every pack.
    """
    from importlib import metadata

    from analysis.config import PACKAGE_ROOT

    digest = hashlib.sha256()
    files = [p for p in PACKAGE_ROOT.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    _files_digest(digest, PACKAGE_ROOT, files)
    for name in ("outturn", *PACKAGES):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{name}={metadata.version(name)}\n".encode())
    if engine == "quarto":
        from analysis.rendering import quarto_version

        digest.update(f"quarto={quarto_version()}\n".encode())
    return digest.hexdigest()


def inputs_digest(paths: ProjectPaths, quarter: str, engine: str) -> str:
    """Digest of everything one council's pack depends on (see the module's docstring)."""
    digest = hashlib.sha256(f"outturn national 1\n{quarter}\n{engine}\n".encode())
    digest.update(code_fingerprint(engine).encode())
    data = [p for p in paths.data.rglob("*") if p.is_file()]
    _files_digest(digest, paths.data, data)
    pages = [*paths.notebooks.glob("*.ipynb"), *paths.notebooks.glob("*.py")]
    _files_digest(digest, paths.notebooks, pages)
    digest.update(paths.quarto_config.read_bytes())
    return digest.hexdigest()


def stamp_file(project: Path, slug: str) -> Path:
    """Where a council's last national build of a quarter is recorded."""
    return project / STAMP_DIR / f"national-{slug}.json"


def current_outcome(project: Path, slug: str, digest: str) -> CouncilOutcome | None:
    """Return the recorded outcome when the pack was built from these inputs and is still there."""
    stamp = stamp_file(project, slug)
    folder = project / "reports" / slug
    if not (stamp.is_file() and (folder / "index.html").is_file()):
        return None
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("digest") != digest or not (folder / "scorecard.csv").is_file():
        return None
    return CouncilOutcome(
        recorded["area_code"], recorded["name"], UNCHANGED,
        exceptions=tuple(recorded["exceptions"]), worst_quartile=tuple(recorded["worst_quartile"]),
    )  # fmt: skip


def write_stamp(project: Path, slug: str, digest: str, outcome: CouncilOutcome) -> Path:
    """Record the digest a council's pack was built from, with its headline counts."""
    from analysis.outputs import write_text

    stamp = stamp_file(project, slug)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    record = {"digest": digest, "quarter": slug, "area_code": outcome.area_code,
              "name": outcome.name, "exceptions": list(outcome.exceptions),
              "worst_quartile": list(outcome.worst_quartile), "worker": outcome.worker}  # fmt: skip
    return write_text(stamp, json.dumps(record, indent=1) + "\n")


# --- one council's task (runs on a Dask worker) ----------------------------------------------


def write_changed(texts: dict[Path, str]) -> list[Path]:
    """Write the files whose content differs from what is on disk (all together, atomically)."""
    from analysis.projectfiles import write_files

    def same(path: Path, text: str) -> bool:
        try:
            return path.read_bytes() == text.encode("utf-8")
        except OSError:
            return False

    return write_files({p: t for p, t in texts.items() if not same(p, t)})


def set_up_council(tables: DfeTables, area_code: str, project: Path) -> dict:
    """Set the council's project up as ``outturn init`` (or ``init --force``) would; return it."""
    from analysis.councils import council_config, council_texts

    model = council_model(area_code, tables.neighbours)
    council = council_config(area_code, tables.neighbours, tables.regions, model)
    data = project / "data"
    write_changed(council_texts(data, council, tables, force=(data / "council.yml").is_file()))
    return council


def worst_quartile(pack: object) -> tuple[str, ...]:
    """Ids of reported indicators whose latest national band is D (LAIT's worst quarter)."""
    return tuple(
        i for i, r in pack.results.items() if r.reported and (r.rank or {}).get("quartile") == "D"
    )


def failure_reason(exc: BaseException, project: Path) -> str:
    """One line saying why a council failed: the first problem, or the error's message."""
    from analysis.messages import problem_lines, summary

    if isinstance(exc, OutturnError) and exc.problems:
        errors = [p for p in exc.problems if p.is_error] or exc.problems
        first = problem_lines(errors, project, show_all=True)[0]
        more = f" ({summary(exc.problems)})" if len(exc.problems) > 1 else ""
        return f"{first}{more}"
    if isinstance(exc, OutturnError):
        return " ".join(str(exc).split())
    log = project / STAMP_DIR / "error.log"
    with contextlib.suppress(OSError):
        import traceback

        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    return (
        f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]} (a fault in "
        f"outturn, not in the data; the full trace is in {log})"
    )


def _usage() -> tuple[int, float]:
    """Return the peak resident memory (bytes) and CPU seconds of this process and its kernel.

    Peaks are read from ``/proc`` (Linux; 0 elsewhere); CPU seconds so far, with those of
    the processes they have finished waiting for (Quarto's renders).
    """
    import psutil

    from analysis.kernels import kept_kernel

    def hwm(pid: int) -> int:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return 0
        line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "")
        return int(line.split()[1]) * 1024 if line else 0

    def cpu(pid: int) -> float:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system + times.children_user + times.children_system

    manager = kept_kernel().manager
    pids = [os.getpid()]
    kernel = getattr(getattr(manager, "provisioner", None), "pid", None) if manager else None
    pids += [kernel] if kernel else []
    return sum(hwm(p) for p in pids), sum(cpu(p) for p in pids)


def build_council(
    tables: DfeTables, area_code: str, out: Path, quarter: str, engine: str, force: bool = False
) -> CouncilOutcome:
    """Set up and build one council's pack; never raises (a failure is an outcome with a reason).

    Runs on a Dask worker: ``tables`` is the DfE data read once for all.
    """
    from analysis.config import project_paths
    from analysis.kernels import execute_kept
    from analysis.periods import parse_period
    from analysis.pipeline import run_quarter
    from analysis.staging import check_report_folder
    from analysis.validation import check_quarter

    started, (_, cpu) = time.perf_counter(), _usage()
    worker = f"{os.uname().nodename}:{os.getpid()}"
    project, name, timings = Path(out) / area_code, area_code, {}
    try:
        council = set_up_council(tables, area_code, project)
        name = council["council"]["name"]
        paths = project_paths(project)
        slug = parse_period(quarter).slug
        digest = inputs_digest(paths, quarter, engine)
        timings["set_up"] = time.perf_counter() - started
        done = None if force else current_outcome(project, slug, digest)
        if done is not None:
            return CouncilOutcome(**{**asdict(done), "seconds": time.perf_counter() - started,
                                     "worker": worker, "timings": timings})  # fmt: skip
        check_report_folder(paths.reports, slug)
        result = run_quarter(paths, quarter, engine=engine, executor=execute_kept,
                             check=lambda data: check_quarter(data, quarter))  # fmt: skip
        outcome = CouncilOutcome(
            area_code, name, BUILT, exceptions=tuple(result.exceptions),
            worst_quartile=worst_quartile(result.pack), worker=worker,
            timings=timings | result.timings,
        )  # fmt: skip
        write_stamp(project, slug, digest, outcome)
    except Exception as exc:  # noqa: BLE001 - one council's failure must not stop the others
        return CouncilOutcome(area_code, name, FAILED, failure_reason(exc, project),
                              seconds=time.perf_counter() - started, worker=worker,
                              peak_memory=_usage()[0])  # fmt: skip
    seconds, (peak, cpu_now) = time.perf_counter() - started, _usage()
    timings = outcome.timings | {"cpu": max(cpu_now - cpu, 0.0)}  # worker and kernel, seconds
    return CouncilOutcome(**{**asdict(outcome), "seconds": seconds, "peak_memory": peak,
                             "timings": timings})  # fmt: skip


# --- the run: a Dask client, the tasks, the outputs ------------------------------------------


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """Yield a Dask client: of the cluster at ``scheduler``, else of a local cluster.

    The local cluster has ``workers`` processes (default: one per core), one
    thread each: a council's task is CPU-bound Python. Its scheduler's HTTP
    server takes a free port (8787 may be another user's cluster).

    Raises
    ------
    ConfigError
        When the scheduler cannot be reached.
    """
    import logging

    from dask.distributed import Client, LocalCluster

    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"--scheduler {scheduler}: could not reach a Dask scheduler ({exc}). Fix: start "
                "one ('dask scheduler', then 'dask worker ADDRESS' on each machine) or correct "
                "the address; leave --scheduler out to use this machine's cores"
            ) from None
        with client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:  # fmt: skip
        yield client


def _lost(area_code: str, name: str, exc: BaseException) -> CouncilOutcome:
    """Return the outcome of a task whose worker died or could not run it."""
    reason = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    if type(exc).__name__ == "KilledWorker":
        reason = "the worker building it died, three times (out of memory?): " + reason
    return CouncilOutcome(area_code, name, FAILED, reason)


Reporter = Callable[[CouncilOutcome], None]


def run_tasks(
    client: object, tables: DfeTables, codes: list[str], out: Path, quarter: str, engine: str,
    force: bool, report: Reporter,
) -> list[CouncilOutcome]:  # fmt: skip
    """Submit one task per council (the DfE tables sent to each worker once); collect outcomes."""
    from dask.distributed import as_completed

    names = tables.neighbours.drop_duplicates("area_code").set_index("area_code")["area_name"]
    shared = client.scatter(tables, broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    futures = {
        client.submit(build_council, shared, code, out, quarter, engine, force,
                      key=f"outturn-{code}-{run}", pure=False): code
        for code in codes
    }  # fmt: skip
    outcomes = []
    try:
        for future in as_completed(futures):
            code = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its council only
                outcome = _lost(code, str(names.get(code, code)), exc)
            outcomes.append(outcome)
            report(outcome)
    except BaseException:
        client.cancel(list(futures))
        raise
    return outcomes


def run_national(
    councils: str, quarter: str, out: Path, source_dir: Path | None = None,
    scheduler: str | None = None, workers: int | None = None, engine: str = "auto",
    force: bool = False, report: Reporter = lambda _: None,
    on_start: Callable[[int], None] = lambda _: None,
) -> NationalResult:  # fmt: skip
    """Build every council's pack for ``quarter`` into ``out``; see the module's docstring.

    ``report`` is called with each council's outcome as it arrives,
    ``on_start`` with the number of councils once they are known.
    """
    from analysis.councils import default_source_dir, read_dfe_tables
    from analysis.rendering import choose_engine
    from analysis.staging import raising_signals

    started, timings = time.perf_counter(), {}
    period = check_national_quarter(quarter)
    engine = choose_engine(engine)
    out = check_out(out)
    source = Path(source_dir) if source_dir else default_source_dir(Path.cwd())
    tables = read_dfe_tables(source, for_many=True)
    codes = resolve_councils(councils, tables.neighbours)
    timings["shared"] = time.perf_counter() - started
    on_start(len(codes))
    with raising_signals(), dask_client(scheduler, workers) as client:  # SIGTERM: close it all
        timings["cluster"] = time.perf_counter() - started - timings["shared"]
        outcomes = run_tasks(client, tables, codes, out, period.label, engine, force, report)
    outcomes.sort(key=lambda o: (o.name.lower(), o.area_code))
    result = NationalResult(period.label, out, engine, outcomes, timings=timings)
    result.files = write_outputs(result)
    result.seconds = time.perf_counter() - started
    return result


def check_national_quarter(quarter: str):  # noqa: ANN201 - a Period
    """Return ``--quarter`` as a period, refusing anything but a quarter."""
    from analysis.errors import PeriodError
    from analysis.periods import parse_period

    period = parse_period(quarter)
    if period.freq != "quarter":
        raise PeriodError(f"--quarter {quarter!r} is a {period.freq}, not a quarter; write e.g. "
                          "'2022-23 Q4' (DfE's figures for a year are its Q4)")  # fmt: skip
    return period


def check_out(out: Path) -> Path:
    """Return ``--out`` as an absolute folder (created), refusing a file or an unwritable place."""
    from analysis.errors import OutputError

    out = Path(out).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise OutputError.at(out, "is a file, where --out needs a folder",
                             "give a folder (it is created when missing)")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError.at(out, "cannot be written", "give a folder you can write")
    return out


# --- what the run writes beside the councils --------------------------------------------------


def councils_frame(result: NationalResult) -> pd.DataFrame:
    """One row per council: status, headline counts, the pack's address and any reason."""
    slug = result.quarter.replace(" ", "-")
    rows = [
        {
            "area_code": o.area_code, "area_name": o.name, "status": o.status,
            "exceptions": len(o.exceptions) if o.status != FAILED else None,
            "worst_quartile": len(o.worst_quartile) if o.status != FAILED else None,
            "pack": f"{o.area_code}/reports/{slug}/index.html" if o.status != FAILED else "",
            "reason": o.reason,
        }
        for o in result.outcomes
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["area_code", "area_name", "status", "exceptions",
                                        "worst_quartile", "pack", "reason"])  # fmt: skip
    return frame.astype({"exceptions": "Int64", "worst_quartile": "Int64"})


def combined_scorecards(result: NationalResult) -> pd.DataFrame:
    """Every built council's ``scorecard.csv`` as written, with ``area_code`` in front."""
    slug = result.quarter.replace(" ", "-")
    frames = []
    for o in result.outcomes:
        if o.status == FAILED:
            continue
        card = pd.read_csv(result.out / o.area_code / "reports" / slug / "scorecard.csv",
                           dtype=str, keep_default_na=False)  # fmt: skip
        card.insert(0, "area_code", o.area_code)
        frames.append(card)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["area_code"])


def write_outputs(result: NationalResult) -> list[Path]:
    """Write ``index.html``, ``councils.csv``, ``scorecards.csv``, ``failures.csv`` in ``out``."""
    from analysis.outputs import write_csv, write_text

    frame = councils_frame(result)
    failures = frame.loc[frame["status"] == FAILED, ["area_code", "area_name", "reason"]]
    return [
        write_text(result.out / "index.html", index_html(result, frame)),
        write_csv(frame, result.out / "councils.csv"),
        write_csv(combined_scorecards(result), result.out / "scorecards.csv"),
        write_csv(failures, result.out / "failures.csv"),
    ]


def _count(value: object) -> str:
    return "" if pd.isna(value) else str(int(value))


def index_html(result: NationalResult, frame: pd.DataFrame) -> str:
    """Return the index page: every council with its headline counts, linked to its pack."""
    from analysis.markup import OGL, esc, page_html
    from analysis.rendering import stylesheet

    rows = []
    for r in frame.itertuples(index=False):
        council = f'<a href="{esc(r.pack)}">{esc(r.area_name)}</a>' if r.pack else esc(r.area_name)
        status = "failed: " + r.reason if r.status == FAILED else r.status
        rows.append(
            f'<tr><th scope="row">{council}</th><td>{esc(r.area_code)}</td>'
            f'<td class="num">{_count(r.exceptions)}</td>'
            f'<td class="num">{_count(r.worst_quartile)}</td><td>{esc(status)}</td></tr>'
        )
    head = "".join(
        f'<th scope="col"{cls}>{esc(text)}</th>'
        for text, cls in (("Council", ""), ("GSS code", ""), ("Exceptions", ' class="num"'),
                          ("Indicators in the worst quartile (D)", ' class="num"'),
                          ("Status", ""))
    )  # fmt: skip
    failed = len(result.failed)
    body = (
        f"<h1>Children's services performance packs, {esc(result.quarter)}</h1>\n"
        f"<p>{len(frame)} councils: {len(frame) - failed} with a pack, {failed} failed"
        f"{' (reasons in failures.csv)' if failed else ''}. Exceptions are the indicators that "
        "need an exception report by the council's exception rule (by default: off target, or "
        "worse than at the last year-end); the worst quartile is DfE LAIT's band D among all "
        "English councils, on the latest published year. Every council's scorecard is in "
        "scorecards.csv, these counts in councils.csv.</p>\n"
        f'<table class="outturn-table"><caption>Every council, {esc(result.quarter)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return page_html(
        body, title=f"Children's services performance packs, {result.quarter}", nav="",
        toc="", footer=(OGL,), css=[stylesheet(), stylesheet("fallback.css")],
    )  # fmt: skip


# --- progress: a bar in a terminal, one line per council elsewhere ---------------------------


class ProgressReport:
    """Councils done, failed and left: a live bar in a terminal, plain lines in a log or pipe."""

    def __init__(self, console: object, write: Callable[[str], None]) -> None:
        self.console, self.write = console, write
        self.total = self.done = self.failed = 0
        self.bar = self.task = None

    def start(self, total: int) -> None:
        """Begin, now that the number of councils is known."""
        self.total = total
        if not getattr(self.console, "is_terminal", False):
            self.write(f"building {total} councils' packs")
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("councils"), BarColumn(), MofNCompleteColumn(),
            TextColumn("done {task.fields[done]} · failed {task.fields[failed]} · "
                       "left {task.fields[left]}"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=self.console,
        )  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task("councils", total=total, done=0, failed=0, left=total)

    def __call__(self, outcome: CouncilOutcome) -> None:
        """Record one council's outcome."""
        self.done += outcome.status != FAILED
        self.failed += outcome.status == FAILED
        left = self.total - self.done - self.failed
        what = {BUILT: f"built, {len(outcome.exceptions)} exceptions",
                UNCHANGED: "unchanged (skipped)"}.get(outcome.status,
                                                      "FAILED: " + outcome.reason)  # fmt: skip
        line = (f"[{self.done + self.failed}/{self.total}] {outcome.area_code} {outcome.name}: "
                f"{what} ({outcome.seconds:.1f} s); done {self.done}, failed {self.failed}, "
                f"left {left}")  # fmt: skip
        if self.bar is None:
            self.write(line)
            return
        if outcome.status == FAILED:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self.bar.update(self.task, advance=1, done=self.done, failed=self.failed, left=left)

    def stop(self) -> None:
        """End the bar (if any)."""
        if self.bar is not None:
            self.bar.stop()
