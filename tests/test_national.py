"""`outturn national`: many councils on Dask, skipping, failures, the bytes `outturn run` makes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from rendered_quarter import outturn_command
from shared_data import NEEDS_SHARED, SHARED

from analysis.benchmarking import build_dfe_ranks
from analysis.councils import (
    MADE_BY,
    council_config,
    council_texts,
    dfe_texts,
    read_dfe_tables,
)
from analysis.errors import ConfigError
from analysis.importing import build_dfe_values
from analysis.national import (
    BUILT,
    FAILED,
    UNCHANGED,
    CouncilOutcome,
    NationalResult,
    ProgressReport,
    combined_scorecards,
    council_model,
    councils_frame,
    current_outcome,
    index_html,
    inputs_digest,
    resolve_councils,
    write_stamp,
)

pytestmark = NEEDS_SHARED
QUARTER, SLUG = "2022-23 Q4", "2022-23-Q4"
GOOD = ["E06000009", "E06000018", "E08000009", "E09000002", "E10000014"]
"""Blackpool, Nottingham, Trafford, Barking and Dagenham, Hampshire: five kinds of council."""
CORRUPT = "E06000008"  # Blackburn with Darwen: its own figures file has a bad marker
BAD_ROW = "cin,E06000008,2022-23,101.5,,zz,dfe_lait_2023,2023-11-16,\n"


@pytest.fixture(scope="module")
def tables():
    return read_dfe_tables(SHARED, for_many=True)


def national(out: Path, councils: str, *extra: str, workers: str = "2"):
    cmd = [*outturn_command(), "national", "--quarter", QUARTER, "--councils", councils,
           "--out", str(out), "--source-dir", str(SHARED), "--engine", "python",
           *(["--workers", workers] if workers else []), *extra]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1200)


def corrupt(out: Path) -> Path:
    values = out / CORRUPT / "data" / "values"
    values.mkdir(parents=True, exist_ok=True)
    own = values / "own.csv"
    own.write_text("indicator_id,area_code,period,value,count,status,source,vintage,note\n"
                   + BAD_ROW, encoding="utf-8")  # fmt: skip
    return own


def completed(stderr: str) -> list[str]:
    """Councils in the order their tasks finished (the plain progress lines)."""
    return [line.split()[1] for line in stderr.splitlines() if line.startswith("[")]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


# --- the shared work gives what `outturn init` gives -----------------------------------------


@pytest.mark.parametrize("code", ["E08000009", "E06000060", "E06000066"])
def test_shared_tables_give_each_council_init_files(tables, code, tmp_path):
    """Trafford, and Buckinghamshire and Somerset (renamed GSS codes): values and ranks alike."""
    council = council_config(code, tables.neighbours, tables.regions)
    data = tmp_path / "data"
    texts = council_texts(data, council, tables)
    entries = list(tables.fresh_entries)
    expected = dfe_texts(data, build_dfe_values(entries, council, SHARED),
                         build_dfe_ranks(entries, council, SHARED))  # fmt: skip
    assert texts[data / "values" / "dfe.csv"] == expected[data / "values" / "dfe.csv"]
    assert texts[data / "ranks.csv"] == expected[data / "ranks.csv"]
    assert texts[data / "indicators.yml"].startswith(f"# {MADE_BY}\n")


def test_changed_polarity_ranks_again(tables, tmp_path):
    """A catalogue that ranks differently is ranked on its own, not from the shared table."""
    from analysis.projectfiles import write_files

    council = council_config("E08000009", tables.neighbours, tables.regions)
    data = tmp_path / "data"
    shared = council_texts(data, council, tables)
    write_files(shared)
    catalogue = data / "indicators.yml"
    catalogue.write_text(tables.fresh_text.replace("better: low", "better: high", 1), "utf-8")
    again = council_texts(data, council, tables, force=True)
    assert again[data / "ranks.csv"] != shared[data / "ranks.csv"]
    assert again[data / "values" / "dfe.csv"] == shared[data / "values" / "dfe.csv"]


# --- which councils --------------------------------------------------------------------------


def test_all_is_every_council_in_the_neighbour_lists(tables):
    codes = resolve_councils("all", tables.neighbours)
    assert len(codes) == tables.neighbours["area_code"].nunique() == 158
    assert codes == sorted(codes) and "E06000009" in codes


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("E08000009,890, Hampshire ", ["E08000009", "E06000009", "E10000014"]),
        ("E08000009,E08000009", ["E08000009"]),
        (",".join(["E08000009"] * 40 + ["E06000009"]), ["E08000009", "E06000009"]),  # too long
    ],
)
def test_council_list_takes_codes_numbers_and_names(tables, spec, expected):
    assert resolve_councils(spec, tables.neighbours) == expected


@pytest.mark.parametrize(
    "text", ["E08000009\n# a comment\n\nBlackpool\n", "area_code,note\nE08000009,x\nE06000009,\n"]
)
def test_council_file_one_a_line_or_csv(tables, tmp_path, text):
    path = tmp_path / "councils.txt"
    path.write_text(text, encoding="utf-8")
    assert resolve_councils(str(path), tables.neighbours) == ["E08000009", "E06000009"]


def test_unknown_councils_refused_together_before_any_work(tables):
    with pytest.raises(ConfigError, match=r"--councils: .*'Nowhere'.*\|.*'E99999999'"):
        resolve_councils("Nowhere,E08000009,E99999999", tables.neighbours)


def test_council_new_since_2021_uses_2025_model(tables):
    assert council_model("E06000063", tables.neighbours) == "DfE CSC SN model May 2025"
    assert council_model("E08000009", tables.neighbours) == "DfE CSC SN model April 2021"


# --- skipping: the digest of inputs and code -------------------------------------------------


@pytest.fixture
def built_project(tables, tmp_path):
    from analysis.config import project_paths
    from analysis.national import set_up_council

    project = tmp_path / "E08000009"
    set_up_council(tables, "E08000009", project)
    (project / "reports" / SLUG).mkdir(parents=True)
    for name in ("index.html", "scorecard.csv"):
        (project / "reports" / SLUG / name).write_text("x", encoding="utf-8")
    return project_paths(project)


def test_digest_changes_with_data_quarter_engine(built_project):
    paths = built_project
    first = inputs_digest(paths, QUARTER, "python")
    assert inputs_digest(paths, QUARTER, "python") == first
    assert inputs_digest(paths, "2022-23 Q3", "python") != first
    assert inputs_digest(paths, QUARTER, "quarto") != first
    commentary = paths.data / "commentary" / SLUG / "cin.md"
    commentary.parent.mkdir(parents=True)
    commentary.write_text("## Commentary\nUp.\n", encoding="utf-8")
    assert inputs_digest(paths, QUARTER, "python") != first


def test_recorded_outcome_current_only_with_same_digest_and_pack(built_project):
    project = built_project.root
    outcome = CouncilOutcome("E08000009", "Trafford", BUILT, exceptions=("cin",))
    write_stamp(project, SLUG, "abc", outcome)
    found = current_outcome(project, SLUG, "abc")
    assert (found.status, found.exceptions) == (UNCHANGED, ("cin",))
    assert current_outcome(project, SLUG, "def") is None
    (project / "reports" / SLUG / "index.html").unlink()
    assert current_outcome(project, SLUG, "abc") is None


# --- what a run writes beside the councils ---------------------------------------------------


def _result(tmp_path: Path) -> NationalResult:
    for code, rows in (("E1", "cin,1\ncla,2\n"), ("E2", "cin,3\n")):
        folder = tmp_path / code / "reports" / SLUG
        folder.mkdir(parents=True)
        (folder / "scorecard.csv").write_text("indicator_id,value\n" + rows, encoding="utf-8")
    outcomes = [
        CouncilOutcome("E1", "Ayton", BUILT, exceptions=("cin", "cla"), worst_quartile=("cin",)),
        CouncilOutcome("E2", "Beeton <&>", UNCHANGED, exceptions=()),
        CouncilOutcome("E3", "Ceeton", FAILED, reason="data/values/own.csv:2: [status] bad"),
    ]
    return NationalResult(QUARTER, tmp_path, "python", outcomes)


def test_councils_frame_counts_and_reasons(tmp_path):
    frame = councils_frame(_result(tmp_path))
    assert frame["exceptions"].tolist()[:2] == [2, 0] and pd.isna(frame["exceptions"][2])
    assert frame["worst_quartile"].tolist()[:2] == [1, 0]
    assert frame["pack"].tolist() == [f"E1/reports/{SLUG}/index.html",
                                      f"E2/reports/{SLUG}/index.html", ""]  # fmt: skip
    assert frame["reason"][2] == "data/values/own.csv:2: [status] bad"


def test_combined_scorecards_area_code_in_front(tmp_path):
    card = combined_scorecards(_result(tmp_path))
    assert card.columns.tolist() == ["area_code", "indicator_id", "value"]
    assert card.values.tolist() == [["E1", "cin", "1"], ["E1", "cla", "2"], ["E2", "cin", "3"]]


def test_index_links_each_pack_and_shows_failures(tmp_path):
    result = _result(tmp_path)
    page = index_html(result, councils_frame(result))
    assert f'<a href="E1/reports/{SLUG}/index.html">Ayton</a>' in page
    assert "Beeton &lt;&amp;&gt;" in page
    assert "failed: data/values/own.csv:2: [status] bad" in page
    assert "3 councils: 2 with a pack, 1 failed" in page
    assert '<th scope="col" class="num">Indicators in the worst quartile (D)</th>' in page


def test_progress_plain_lines_outside_a_terminal():
    class Pipe:
        is_terminal = False

    lines: list[str] = []
    report = ProgressReport(Pipe(), lines.append)
    report.start(3)
    report(CouncilOutcome("E1", "Ayton", BUILT, exceptions=("a",), seconds=2.0))
    report(CouncilOutcome("E3", "Ceeton", FAILED, reason="bad marker", seconds=0.5))
    report.stop()
    assert lines == [
        "building 3 councils' packs",
        "[1/3] E1 Ayton: built, 1 exceptions (2.0 s); done 1, failed 0, left 2",
        "[2/3] E3 Ceeton: FAILED: bad marker (0.5 s); done 1, failed 1, left 1",
    ]


def test_progress_bar_in_a_terminal_counts_done_failed_left():
    import io

    from rich.console import Console

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=150, color_system=None)
    report = ProgressReport(console, lambda line: None)
    report.start(3)
    report(CouncilOutcome("E1", "Ayton", BUILT, seconds=2.0))
    report(CouncilOutcome("E3", "Ceeton", FAILED, reason="bad marker", seconds=0.5))
    report.stop()
    text = screen.getvalue()
    assert "done 1 · failed 1 · left 1" in text
    assert "[2/3] E3 Ceeton: FAILED: bad marker" in text  # a failure is printed above the bar


# --- end to end: a local cluster of two workers ----------------------------------------------


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """Five councils and one whose own figures are corrupt, on a local cluster of two workers."""
    out = tmp_path_factory.mktemp("national") / "packs"
    corrupt(out)
    return out, national(out, ",".join([*GOOD, CORRUPT]))


@pytest.mark.slow
def test_five_councils_five_packs_index_and_combined_csv(first_run):
    out, run = first_run
    assert run.returncode == 1, run.stderr  # the corrupt council failed; the others did not
    assert "5 built, 0 unchanged, 1 failed" in run.stderr
    for code in GOOD:
        folder = out / code / "reports" / SLUG
        assert sorted(p.name for p in folder.glob("*.html")) == [
            "data.html", "exceptions.html", "index.html", "methods.html"]  # fmt: skip
    councils = pd.read_csv(out / "councils.csv", dtype={"exceptions": "Int64"})
    assert set(councils["area_code"]) == {*GOOD, CORRUPT}
    card = pd.read_csv(out / "scorecards.csv", dtype=str, keep_default_na=False)
    assert card.columns[0] == "area_code" and set(card["area_code"]) == set(GOOD)
    for code in GOOD:
        own = pd.read_csv(out / code / "reports" / SLUG / "scorecard.csv", dtype=str,
                          keep_default_na=False)  # fmt: skip
        rows = card[card["area_code"] == code].drop(columns="area_code").reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, own)
        exceptions = int(councils.loc[councils["area_code"] == code, "exceptions"].iloc[0])
        assert exceptions == (own.drop_duplicates("indicator_id")["exception"] == "true").sum()
    page = (out / "index.html").read_text(encoding="utf-8")
    for code in GOOD:
        assert f'href="{code}/reports/{SLUG}/index.html"' in page


@pytest.mark.slow
def test_corrupt_council_fails_alone_with_its_reason(first_run):
    out, run = first_run
    failures = pd.read_csv(out / "failures.csv", dtype=str, keep_default_na=False)
    assert failures["area_code"].tolist() == [CORRUPT]
    reason = failures["reason"].iloc[0]
    assert reason.startswith("data/values/own.csv:2: [status]") and "'zz'" in reason, reason
    assert not (out / CORRUPT / "reports" / SLUG).exists()
    assert f"{CORRUPT} Blackburn with Darwen: FAILED: data/values/own.csv:2" in run.stderr
    assert "failed: data/values/own.csv:2" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_second_run_skips_all_five_then_builds_the_fixed_one(first_run):
    out, _ = first_run
    before = {code: tree(out / code / "reports") for code in GOOD}
    stamps = {code: (out / code / "reports" / SLUG / "index.html").stat().st_mtime_ns
              for code in GOOD}  # fmt: skip
    again = national(out, ",".join([*GOOD, CORRUPT]))
    assert again.returncode == 1 and "0 built, 5 unchanged, 1 failed" in again.stderr
    assert {code: tree(out / code / "reports") for code in GOOD} == before
    assert stamps == {code: (out / code / "reports" / SLUG / "index.html").stat().st_mtime_ns
                      for code in GOOD}  # fmt: skip
    (out / CORRUPT / "data" / "values" / "own.csv").unlink()
    fixed = national(out, ",".join([*GOOD, CORRUPT]))
    assert fixed.returncode == 0, fixed.stderr
    assert "1 built, 5 unchanged, 0 failed" in fixed.stderr
    assert (out / CORRUPT / "reports" / SLUG / "index.html").is_file()
    assert pd.read_csv(out / "failures.csv").empty


@pytest.mark.slow
def test_pack_same_bytes_as_init_and_run_in_its_project(first_run, tmp_path):
    """A council built after another in the same kept kernel: every file as `outturn run` makes it.

    Pages, CSVs, the workbook, charts and the executed notebooks (as `outturn run` normalises
    them), in the council's own folder; and its data/ as `outturn init` writes it.
    """
    out, run = first_run
    order = [c for c in completed(run.stderr) if c in GOOD]
    worker = {c: json.loads((out / c / ".outturn" / f"national-{SLUG}.json").read_text())["worker"]
              for c in order}  # fmt: skip
    code = next(c for i, c in enumerate(order) if worker[c] in [worker[x] for x in order[:i]])
    project = out / code
    national_reports = tmp_path / "national-reports"
    shutil.move(project / "reports", national_reports)
    result = subprocess.run(
        [*outturn_command(), "run", "--project", str(project), "--quarter", QUARTER, "--engine",
         "python"], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ours, theirs = tree(national_reports), tree(project / "reports")
    assert sorted(ours) == sorted(theirs)
    assert {f"{SLUG}/{n}.ipynb" for n in ("index", "exceptions", "methods", "data")} <= set(ours)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    init = tmp_path / "init"
    subprocess.run([*outturn_command(), "init", "--council", code, "--project", str(init),
                    "--source-dir", str(SHARED)], check=True, capture_output=True)  # fmt: skip
    assert tree(init / "data") == tree(project / "data")


# --- a Dask scheduler started here -----------------------------------------------------------


@pytest.mark.slow
def test_scheduler_option_sends_councils_to_that_cluster_force_rebuilds(tmp_path):
    import os

    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0", scheduler_port=0) as cluster, \
            Client(cluster) as client:  # fmt: skip
        where = ("--scheduler", cluster.scheduler_address)
        run = national(tmp_path / "packs", "Blackpool", *where, workers="")
        again = national(tmp_path / "packs", "Blackpool", *where, workers="")
        forced = national(tmp_path / "packs", "Blackpool", *where, "--force", workers="")
        pids = set(client.run(os.getpid).values())
    assert run.returncode == 0, run.stderr
    assert "1 built, 0 unchanged, 0 failed" in run.stderr
    assert (tmp_path / "packs" / "E06000009" / "reports" / SLUG / "exceptions.html").is_file()
    stamp = tmp_path / "packs" / "E06000009" / ".outturn" / f"national-{SLUG}.json"
    assert int(json.loads(stamp.read_text())["worker"].rsplit(":", 1)[1]) in pids
    assert "0 built, 1 unchanged" in again.stderr
    assert forced.returncode == 0 and "1 built, 0 unchanged" in forced.stderr, forced.stderr


def test_unreachable_scheduler_named_with_a_fix(monkeypatch):
    from analysis import national as module

    monkeypatch.setattr(module, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ConfigError, match=r"--scheduler tcp://127.0.0.1:9: could not reach"):
        with module.dask_client("tcp://127.0.0.1:9"):
            pass
