"""Bad input, faults and hostile files: one clear line, a non-zero exit, nothing damaged.

Every case runs the real ``outturn`` command in a subprocess with its output to
a pipe (as CI does) on a copy of the bundled data, and checks the exit status,
that no traceback is printed, that the message names the file and the row or
key on one line, that nothing under ``data/`` changed and that nothing
half-written appears under ``reports/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rendered_quarter import outturn_command

REPO = Path(__file__).resolve().parents[1]
HEADER = "indicator_id,area_code,period,value,count,status,source,vintage,note\n"
ROW = "cla,E06000009,2017-18 Q2,185.6,531,,paper_2017-18_Q2,2017-12-01,\n"  # a revision
EXTRA = "data/values/extra.csv"
_LINES = (REPO / "data" / "indicators.yml").read_text(encoding="utf-8").splitlines()


def catalogue_line(indicator_id: str, starts: str) -> int:
    """The line of the bundled catalogue's entry ``indicator_id`` that starts with ``starts``."""
    entry = _LINES.index(f"  - id: {indicator_id}")
    return next(n for n, line in enumerate(_LINES[entry:], entry + 1) if line.startswith(starts))


CLA_UNIT_LINE = catalogue_line("cla", "    unit: ")
"""The lines the cases below break, read from the bundled catalogue (its layout may grow)."""


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project's data/ (notebooks come from the repository)."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    return root


def tree_hash(folder: Path) -> str:
    """One digest of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def outturn(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command with its output to pipes, in the project folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "80"  # what a CI log gets: lines must not be wrapped to it
    return subprocess.run(
        [*outturn_command(), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def replace_in(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def values(root: Path, *rows: str) -> None:
    write(root, EXTRA, HEADER + "".join(rows))


def row(**changes: str) -> str:
    """The good row with some cells changed (by column name)."""
    cells = dict(zip(HEADER.strip().split(","), ROW.strip("\n").split(","), strict=True))
    cells.update(changes)
    return ",".join(cells.values()) + "\n"


def sparse(root: Path, relative: str, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space (and must not be read)."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)


@dataclass
class Case:
    """One bad input: how to make it, the command, what must be printed, how it ends."""

    id: str
    setup: Callable[[Path], None]
    expected: list[str]
    args: tuple[str, ...] = ("validate",)
    code: int = 1
    not_expected: list[str] = field(default_factory=list)


def check(root: Path, case: Case) -> str:
    """Run the case; check exit, no traceback, one line naming file and key, nothing damaged."""
    case.setup(root)
    before = tree_hash(root / "data")
    reports_before = snapshot(root / "reports")
    result = outturn(root, *case.args)
    output = result.stdout + result.stderr
    assert result.returncode == case.code, output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    for fragment in case.expected:  # each on one line: nothing wrapped
        assert any(fragment in line for line in lines), f"{fragment!r} not on a line of:\n{output}"
    for fragment in case.not_expected:
        assert fragment not in output, output
    assert tree_hash(root / "data") == before, "data/ changed"
    if case.code != 0:
        assert snapshot(root / "reports") == reports_before, "reports/ changed"
    return output


def snapshot(folder: Path) -> dict[str, bytes] | None:
    """Every file under ``folder`` and its bytes (None when it is not a folder)."""
    if not folder.is_dir():
        return None if not folder.exists() else {"": folder.read_bytes()}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}  # fmt: skip


def run_cases(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id) for c in cases]


# --- 1. values CSVs ------------------------------------------------------------------------

VALUES = [
    Case("status_marker_unknown", lambda r: values(r, row(status="supp")),
         [f"{EXTRA}:2: [status] status 'supp' is not a publisher's marker. Fix: use one of c, "
          "x, z, u, k, low, -"]),
    Case("value_inf", lambda r: values(r, row(value="inf")),
         [f"{EXTRA}:2: [value] 'inf' is not a finite number"]),
    Case("value_nan_text", lambda r: values(r, row(value="nan")),
         [f"{EXTRA}:2: [value] 'nan' is not a number"]),
    Case("count_minus_infinity", lambda r: values(r, row(count="-Infinity")),
         [f"{EXTRA}:2: [count] '-Infinity' is not a finite number"]),
    Case("negative_count_unit_value",
         lambda r: values(r, row(indicator_id="contacts", value="-12", count="")),
         [f"{EXTRA}:2: [value] negative value -12 for 'contacts', whose unit (count) cannot "
          "be negative"]),
    Case("negative_percent", lambda r: values(r, row(indicator_id="cp_second_plan", value="-3.5",
                                                    count="")),
         [f"{EXTRA}:2: [value] negative value -3.5", "(percent) cannot be negative"]),
    Case("negative_rate", lambda r: values(r, row(value="-185.6", count="")),
         [f"{EXTRA}:2: [value] negative value -185.6 for 'cla'"]),
    Case("vintage_in_future", lambda r: values(r, row(vintage="2999-01-01")),
         [f"{EXTRA}:2: [vintage] vintage 2999-01-01 is in the future"]),
    Case("vintage_not_real_date", lambda r: values(r, row(vintage="2017-02-30")),
         [f"{EXTRA}:2: [vintage] '2017-02-30' is not a date. Fix: write the publication date "
          "as YYYY-MM-DD"]),
    Case("period_after_today", lambda r: values(r, row(period="2998-99 Q1", vintage="2017-11-30")),
         [f"{EXTRA}:2: [period] period '2998-99 Q1' begins on 2998-04-01, after today"]),
    Case("period_after_vintage", lambda r: values(r, row(period="2018-19 Q1")),
         [f"{EXTRA}:2: [period] period '2018-19 Q1' begins on 2018-04-01, after the figure's "
          "vintage 2017-12-01"]),
    Case("source_empty", lambda r: values(r, row(source="")),
         [f"{EXTRA}:2: [source] cites no source. Fix: put the id of the paper or release"]),
    Case("source_unknown", lambda r: values(r, row(source="paper_typo")),
         [f"{EXTRA}:2: [source] unknown source 'paper_typo'. Fix: add it to data/sources.yml"]),
    Case("header_without_rows", lambda r: values(r),
         [f"{EXTRA}:1: [header] has a header but no rows. Fix: add the values, or delete the "
          "file"]),
    Case("empty_file", lambda r: write(r, EXTRA, ""),
         [f"{EXTRA}: is empty. Fix: it needs a header line"]),
    Case("windows_1252", lambda r: write(r, EXTRA, (HEADER + ROW + row(note="caf\xe9")).encode(
        "cp1252")),
         [f"{EXTRA}:3: [encoding] is not UTF-8 (byte 0xE9); it looks like Windows-1252",
          "Fix: save it as UTF-8: in Excel 'Save As' > 'CSV UTF-8 (Comma delimited)'"]),
    Case("utf16_without_bom", lambda r: write(r, EXTRA, (HEADER + ROW).encode("utf-16-le")),
         [f"{EXTRA}:1: [encoding] is not UTF-8 text", "UTF-16 little-endian (no byte-order "
          "mark)"]),
    Case("utf16_with_bom", lambda r: write(r, EXTRA, (HEADER + ROW).encode("utf-16")),
         [f"{EXTRA}:1: [encoding] is not UTF-8", "UTF-16 (with a byte-order mark"]),
    Case("workbook_saved_as_csv", lambda r: write(r, EXTRA, b"PK\x03\x04" + b"\x00" * 64),
         [f"{EXTRA}: [encoding] is a ZIP archive (an Excel workbook?), not a text file"]),
    Case("cell_too_long", lambda r: values(r, row(note="x" * 20_000)),
         [f"{EXTRA}:2: [note] a cell of 20,000 characters, more than the 10,000"]),
    Case("file_too_large", lambda r: sparse(r, EXTRA, 300_000_000),
         [f"{EXTRA}: [size] 300.0 MB, more than the 200.0 MB a CSV file may be (not read)"]),
    Case("ragged_row", lambda r: values(r, ROW.replace(",\n", ",a,b,c\n")),
         [f"{EXTRA}:2: [CSV] has 11 fields on this line and 9 in the header. Fix: remove the "
          "extra commas, or put text holding a comma in double quotes"]),
    Case("missing_column", lambda r: write(r, EXTRA, HEADER.replace(",source", "")
                                           + ROW.replace(",paper_2017-18_Q2", "")),
         [f"{EXTRA}:1: [header] missing column(s) source"]),
    Case("row_citing_broken_indicator_is_a_knock_on",
         lambda r: (replace_in(r, "data/indicators.yml", "unit: rate_per_10k", "unit: per_10k"),
                    values(r, ROW)),
         [f"data/indicators.yml:{CLA_UNIT_LINE}: [indicator 'cla', unit] 'unit' is 'per_10k' (and ",
          "more caused by this). Fix: use one of count, rate_per_10k, percent, score",
          "1 error(s), 0 warning(s), and "],
         not_expected=[f"{EXTRA}:2"]),
]  # fmt: skip


# --- 2. values that are accepted with a warning (the analyst decides) -----------------------

WARNINGS = [
    Case("area_not_a_comparator", lambda r: values(r, row(area_code="E06000047"), row(
        area_code="E06000047", vintage="2017-12-02")),
         [f"{EXTRA}:2: warning: [area_code] area 'E06000047' is not Blackpool (E06000009), "
          "one of its 10 statistical neighbours, North West (E12000002) or England "
          "(E92000001)", "(and 1 more caused by this)",
          "add it to a group under comparators: in data/council.yml",
          "ok: "], code=0),
    Case("area_typo_of_the_council", lambda r: values(r, row(area_code="E06000090")),
         [f"{EXTRA}:2: warning: [area_code] area 'E06000090' (did you mean E06000009 "
          "(Blackpool) or E06000010 (Kingston upon Hull, City of)?)"],
         code=0),
    Case("count_and_rate_disagree", lambda r: values(r, row(count="351")),
         [f"{EXTRA}:2: warning: [count] count 351 and rate 185.6 disagree: 351 per 28,853 "
          "(child_population from Dec 2012) is 121.7 per 10,000",
          "add a revision under denominators.child_population"], code=0),
]  # fmt: skip


# --- 3. council.yml, indicators.yml, sources.yml ------------------------------------------

COUNCIL = "data/council.yml"
CATALOGUE = "data/indicators.yml"
SOURCES = "data/sources.yml"
BILLION_LAUGHS = "indicators:\n" + "".join(
    f"  - &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else '0, 1, 2, 3, 4, 5, 6, 7, 8'}]\n"
    for n in range(10)
)

CONFIG = [
    Case("suppress_below_text", lambda r: replace_in(r, COUNCIL, "suppress_below: 5",
                                                    "suppress_below: five"),
         [f"{COUNCIL}:36: [report.suppress_below] is 'five', expected a whole number. Fix: "]),
    Case("suppress_below_negative", lambda r: replace_in(r, COUNCIL, "suppress_below: 5",
                                                        "suppress_below: -1"),
         [f"{COUNCIL}:36: [report.suppress_below] is -1, below zero"]),
    Case("neighbours_wrong_type", lambda r: replace_in(
        r, COUNCIL, "neighbours:\n", "neighbours: Hartlepool\nunused:\n"),
         [f"{COUNCIL}:17: [neighbours] is 'Hartlepool', expected a mapping"]),
    Case("neighbour_areas_not_a_list", lambda r: replace_in(r, COUNCIL, "  areas:\n",
                                                           "  areas: {}\n  old_areas:\n"),
         [f"{COUNCIL}:21: [neighbours.areas] is a mapping, expected a list"]),
    Case("neighbour_welsh", lambda r: replace_in(r, COUNCIL, "E06000001", "W06000015"),
         [f"{COUNCIL}:22: [neighbours.areas[0].area_code] 'W06000015' is not an English council",
          "Fix: use the ONS GSS code of an English council: E06, E07, E08, E09 or E10"]),
    Case("neighbour_is_a_region", lambda r: replace_in(r, COUNCIL, "E08000023", "E12000001"),
         [f"{COUNCIL}:27: [neighbours.areas[5].area_code] 'E12000001' is not an English council"]),
    Case("neighbour_twice", lambda r: replace_in(r, COUNCIL, "E06000002", "E06000001"),
         [f"{COUNCIL}:23: [neighbours.areas[1].area_code] E06000001 is listed twice"]),
    Case("report_is_a_list", lambda r: replace_in(r, COUNCIL, "report:\n", "report: []\nold:\n"),
         [f"{COUNCIL}:32: [report] is a list, expected a mapping"]),
    Case("exception_rule_number", lambda r: replace_in(
        r, COUNCIL, "exception_rule: [off_target, worse_than_year_end, has_commentary]",
        "exception_rule: 5"),
         [f"{COUNCIL}:35: [report.exception_rule] is not a list of rule names"]),
    Case("tolerance_list", lambda r: replace_in(r, COUNCIL, "suppress_below: 5",
                                               "suppress_below: 5\n  tolerance: [1, 2]"),
         [f"{COUNCIL}:37: [report.tolerance] is [1, 2]"]),
    Case("decimals_text", lambda r: replace_in(r, CATALOGUE, "decimals: 1", "decimals: one"),
         [f"{CATALOGUE}:34: [indicator 'opiate_completions', decimals] is 'one', expected a "
          "whole number"]),
    Case("show_count_text", lambda r: replace_in(r, CATALOGUE, "show_count: false",
                                                "show_count: maybe"),
         [f"{CATALOGUE}:33: [indicator 'opiate_completions', show_count] is 'maybe', expected "
          "true or false"]),
    Case("targets_a_list", lambda r: replace_in(r, CATALOGUE, "    targets:\n      2015-16: {rule: "
                                               "increase", "    targets: [1]\n    old:\n      "
                                               "2015-16: {rule: increase"),
         [f"{CATALOGUE}:{catalogue_line('opiate_completions', '    targets:')}: "
          "[indicator 'opiate_completions', targets] 'targets' is not a "
          "mapping"]),
    Case("target_value_text", lambda r: replace_in(r, CATALOGUE, "{value: 144.7, count: 420,",
                                                  "{value: seventy, count: 420,"),
         [f"{CATALOGUE}:{catalogue_line('cla', '      2015-16:')}: "
          "[indicator 'cla', target 2015-16] 'value' is 'seventy', "
          "expected a number"]),
    Case("notes_a_number", lambda r: replace_in(r, CATALOGUE, "    notes:\n      - >-\n        "
                                               "Printed in paper_2015-16_Q2",
                                               "    notes: 5\n    old:\n      - >-\n        "
                                               "Printed in paper_2015-16_Q2"),
         [f"{CATALOGUE}:{catalogue_line('opiate_completions', '    notes:')}: "
          "[indicator 'opiate_completions', notes] is int"]),
    Case("empty_catalogue", lambda r: write(r, CATALOGUE, ""),
         [f"{CATALOGUE}: [indicators] is empty (and ", "more caused by this). Fix: it needs "
          "an 'indicators:' list", "1 error(s), 0 warning(s), and "]),
    Case("empty_council", lambda r: write(r, COUNCIL, "# nothing yet\n"),
         [f"{COUNCIL}: is empty. Fix: it needs council:, region:, england:, neighbours: and "
          "report:"]),
    Case("empty_sources", lambda r: write(r, SOURCES, ""),
         [f"{SOURCES}: [sources] is empty. Fix: list every source values cite"]),
    Case("sources_empty_list", lambda r: write(r, SOURCES, "sources: []\n"),
         [f"{SOURCES}:1: [sources] has no sources listed"]),
    Case("billion_laughs", lambda r: write(r, CATALOGUE, BILLION_LAUGHS),
         [f"{CATALOGUE}: [YAML] refused: it expands to more than 500,000 values"]),
    Case("python_tag", lambda r: write(r, COUNCIL, "council: !!python/object/apply:os.system "
                                       "['touch pwned']\n"),
         [f"{COUNCIL}:1: [YAML] YAML syntax error at line 1, column 10: could not determine a "
          "constructor"]),
    Case("nested_too_deep", lambda r: write(r, CATALOGUE, "[" * 20_000 + "]" * 20_000),
         [f"{CATALOGUE}: [YAML]", "nested too deeply"]),
    Case("yaml_too_large", lambda r: sparse(r, CATALOGUE, 6_000_000),
         [f"{CATALOGUE}: [size] 6.0 MB, more than the 5.0 MB a YAML file may be"]),
    Case("yaml_windows_1252", lambda r: write(r, COUNCIL, (
        REPO / COUNCIL).read_text(encoding="utf-8").replace("Blackpool", "Blackp\xf6ol").encode(
        "cp1252")),
         [f"{COUNCIL}:1: [encoding] is not UTF-8 (byte 0xF6); it looks like Windows-1252. Fix: "
          "open it in a text editor and save it with the encoding 'UTF-8'"]),
]  # fmt: skip


# --- 4. commentary --------------------------------------------------------------------------

NOTE = "data/commentary/2017-18-Q2/cla.md"
COMMENTARY = [
    Case("commentary_windows_1252", lambda r: write(r, NOTE, "## Commentary\nRose by \x9310%\x94"
                                                    ".\n".encode("latin-1")),
         [f"{NOTE}:2: [encoding] is not UTF-8 (byte 0x93); it looks like Windows-1252",
          "save it with the encoding 'UTF-8'"]),
    Case("commentary_utf16_no_bom", lambda r: write(r, NOTE, "## Commentary\nRose.\n".encode(
        "utf-16-le")),
         [f"{NOTE}:1: [encoding] is not UTF-8 text", "UTF-16 little-endian (no byte-order "
          "mark)"]),
    Case("commentary_too_large", lambda r: sparse(r, NOTE, 2_000_000),
         [f"{NOTE}: [size] 2.0 MB, more than the 1.0 MB a commentary file may be"]),
    Case("commentary_for_broken_indicator", lambda r: replace_in(
        r, CATALOGUE, "measure: snapshot\n    denominator: child_population",
        "measure: snapshots\n    denominator: child_population"),
         ["[indicator 'cla', measure] 'measure' is 'snapshots' (and", "more caused by this)"],
         not_expected=[f"{NOTE}: [file name]"]),
]  # fmt: skip


@pytest.mark.parametrize("case", run_cases(VALUES + WARNINGS + CONFIG + COMMENTARY))
def test_validate_names_file_line_and_key(project, case):
    check(project, case)


def test_validate_all_shows_every_problem_and_the_true_count(project):
    values(project, *[row(status="bad", vintage=f"2017-11-{d:02d}") for d in range(1, 26)])
    paged = check(project, Case("paged", lambda r: None, ["... and 15 more like the line above"]))
    assert paged.count("[status] status 'bad'") == 10
    assert "25 problem(s) in data/: 25 error(s)" in paged
    every = outturn(project, "validate", "--all").stderr
    assert every.count("[status] status 'bad'") == 25 and "more like the line" not in every


def test_billion_laughs_is_refused_in_under_a_second(tmp_path):
    import time

    from analysis.errors import ConfigError
    from analysis.inputs import load_yaml

    path = write(tmp_path, "indicators.yml", BILLION_LAUGHS)
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="expands to more than 500,000 values"):
        load_yaml(path)
    assert time.perf_counter() - start < 1.0


# --- 5. the run's options and its output folder (all fail before any notebook runs) -------

RUN = ("run", "--engine", "python")
OPTIONS = [
    Case("as_of_word", lambda r: None, ["error: --as-of: 'yesterday' is not a date. Fix: write "
                                         "a real date as YYYY-MM-DD"],
         args=(*RUN, "--as-of", "yesterday")),
    Case("as_of_impossible_date", lambda r: None, ["error: --as-of: '2017-02-30' is not a date"],
         args=(*RUN, "--as-of", "2017-02-30")),
    Case("as_of_british_format", lambda r: None, ["error: --as-of: '30/11/2017' is not a date"],
         args=(*RUN, "--as-of", "30/11/2017")),
    Case("quarter_empty", lambda r: None,
         ["error: --quarter: is empty. Fix: use a quarter with figures: 2012-13 Q4,",
          "2022-23 Q4; or leave it out for the latest"], args=(*RUN, "--quarter", "")),
    Case("quarter_without_figures", lambda r: None,
         ["error: --quarter: 2030-31 Q1 has no council figures in data/values. Fix: use a "
          "quarter with figures: 2012-13 Q4"], args=(*RUN, "--quarter", "2030-31 Q1")),
    Case("quarter_without_figures_as_of", lambda r: None,
         ["error: --quarter: 2017-18 Q2 has no council figures published by 2015-01-01"],
         args=(*RUN, "--quarter", "2017-18 Q2", "--as-of", "2015-01-01")),
    Case("as_of_before_any_figure", lambda r: None,
         ["error: --as-of: no council figures were published by 2001-01-01. Fix: give a later "
          "date (the earliest figure was published 2015-12-10)"],
         args=(*RUN, "--as-of", "2001-01-01")),
    Case("quarter_not_a_period", lambda r: None, ["error: period '2017-18 Q7' is not a period "
                                                   "label"],
         args=(*RUN, "--quarter", "2017-18 Q7")),
    Case("quarter_folder_is_a_file", lambda r: write(r, "reports/2017-18-Q2", "not a folder"),
         ["error: reports/2017-18-Q2: is a file, where the report needs a folder. Fix: move or "
          "rename that file"], args=(*RUN, "--quarter", "2017-18 Q2")),
    Case("reports_is_a_file", lambda r: write(r, "reports", "not a folder"),
         ["error: reports: is a file, where the report needs a folder"],
         args=(*RUN, "--quarter", "2017-18 Q2")),
    Case("run_prints_validation_like_validate", lambda r: values(r, row(status="supp")),
         [f"{EXTRA}:2: [status] status 'supp' is not a publisher's marker",
          "error: 1 problem(s) in the input data: 1 error(s), 0 warning(s); nothing was "
          "written"], args=(*RUN, "--quarter", "2017-18 Q2")),
    Case("run_refuses_what_validate_refuses", lambda r: replace_in(
        r, COUNCIL, "suppress_below: 5", "suppress_below: 2.5"),
         [f"{COUNCIL}:36: [report.suppress_below] is 2.5, expected a whole number"],
         args=(*RUN, "--published")),
]  # fmt: skip


@pytest.mark.parametrize("case", run_cases(OPTIONS))
def test_run_refuses_before_computing(project, case):
    check(project, case)
    if case.id.startswith("quarter_folder"):
        assert (project / "reports" / "2017-18-Q2").read_text() == "not a folder"


# --- 6. table commands: forecast, spc, benchmark ---------------------------------------

SERIES = "area_code,indicator,period,value\n" + "".join(
    f"{area},cla,{2010 + n}-{11 + n},{100 + 3 * n + (n % 3)}\n"
    for area in ("E06000009", '=HYPERLINK("http://x")')
    for n in range(8)
)
TABLES = [
    Case("forecast_out_missing_folder", lambda r: write(r, "in.csv", SERIES),
         ["error: nowhere: [?] the folder for --out f.csv does not exist".replace("[?] ", ""),
          "Fix: create the folder first (mkdir -p nowhere)"],
         args=("forecast", "in.csv", "--out", "nowhere/f.csv")),
    Case("forecast_out_is_a_folder", lambda r: (write(r, "in.csv", SERIES),
                                                (r / "out").mkdir()),
         ["error: out: is a folder (--out). Fix: give a file name"],
         args=("forecast", "in.csv", "--out", "out")),
    Case("forecast_input_not_utf8", lambda r: write(r, "in.csv", SERIES.replace(
        "cla", "cl\xe0").encode("cp1252")),
         ["error: in.csv:2: [encoding] is not UTF-8 (byte 0xE0)"],
         args=("forecast", "in.csv", "--out", "f.csv")),
    Case("spc_out_missing_folder", lambda r: write(r, "in.csv", SERIES),
         ["error: nowhere: the folder for --out s.csv does not exist"],
         args=("spc", "in.csv", "--out", "nowhere/s.csv")),
    Case("spc_input_is_a_workbook", lambda r: write(r, "in.csv", b"PK\x03\x04rest"),
         ["error: in.csv: [encoding] is a ZIP archive (an Excel workbook?)"],
         args=("spc", "in.csv", "--out", "s.csv")),
    Case("benchmark_out_missing_folder", lambda r: None,
         ["error: nowhere: the folder for --out b.csv does not exist"],
         args=("benchmark", "--all", "--out", "nowhere/b.csv")),
]  # fmt: skip


@pytest.mark.parametrize("case", run_cases(TABLES))
def test_table_command_refuses_with_one_line(project, case):
    check(project, case)
    assert not list(project.glob("**/*.tmp"))


@pytest.mark.parametrize("command", ["forecast", "spc"])
def test_table_command_output_cannot_run_in_a_spreadsheet(project, command):
    write(project, "in.csv", SERIES)
    result = outturn(project, command, "in.csv", "--out", "out.csv")
    assert result.returncode == 0, result.stderr
    text = (project / "out.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    assert "\n=" not in text and ",=" not in text


# --- 7. publish: never into the inputs or the quarter it copies --------------------------


def rendered(root: Path) -> None:
    """A rendered quarter as publish sees it (pages and a scorecard), without a full run."""
    write(root, "reports/2017-18-Q2/index.html", "<html>index</html>")
    write(root, "reports/2017-18-Q2/scorecard.csv", "indicator_id\ncla\n")


PUBLISH = ("publish", "--quarter", "2017-18 Q2", "--force", "--to")
PUBLISHING = [
    Case("publish_into_data", rendered, ["error: --to data/site: is inside the input folder"],
         args=(*PUBLISH, "data/site")),
    Case("publish_onto_the_quarter", rendered,
         ["error: --to reports: would overlap", "the rendered quarter it copies from"],
         args=(*PUBLISH, "reports")),
    Case("publish_inside_the_quarter", rendered,
         ["error: --to reports/2017-18-Q2/site: would overlap"],
         args=(*PUBLISH, "reports/2017-18-Q2/site")),
    Case("publish_into_project_root", rendered,
         ["error: --to .: is the project folder itself. Fix: publish to a folder outside"],
         args=(*PUBLISH, ".")),
    Case("publish_under_a_file", lambda r: (rendered(r), write(r, "site", "a file")),
         ["error: site/web: Not a directory. Fix: a file stands where a folder is needed"],
         args=(*PUBLISH, "site/web")),
    Case("publish_to_a_file_is_a_usage_error", lambda r: (rendered(r), write(r, "site", "x")),
         ["Invalid value for '--to'"], args=(*PUBLISH, "site"), code=2),
]  # fmt: skip


@pytest.mark.parametrize("case", run_cases(PUBLISHING))
def test_publish_refuses_a_dangerous_destination(project, case):
    check(project, case)
    assert (project / "reports/2017-18-Q2/index.html").read_text() == "<html>index</html>"
    assert (project / "reports/2017-18-Q2/scorecard.csv").is_file()


def test_publish_force_replaces_only_the_copy(project):
    rendered(project)
    for _ in range(2):
        result = outturn(project, *PUBLISH, "site")
        assert result.returncode == 0, result.stderr
    assert (project / "site/2017-18-Q2/index.html").read_text() == "<html>index</html>"
    assert (project / "reports/2017-18-Q2/index.html").is_file()
    assert sorted(p.name for p in (project / "site").iterdir()) == ["2017-18-Q2", "index.html"]


# --- 8. faults: the operating system, and outturn itself ----------------------------------


def patched(root: Path, patch: str, *args: str) -> subprocess.CompletedProcess:
    """Run the command in a fresh interpreter after ``patch`` (Python) has broken something."""
    argv = ["outturn", *args]
    code = f"import sys\n{patch}\nfrom analysis.cli import main\nsys.argv = {argv!r}\nmain()"
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def test_unexpected_error_is_one_line_and_a_log(project):
    patch = (
        "import analysis.validation as v\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "v.inspect_project = boom"
    )
    (project / "reports").mkdir()
    result = patched(project, patch, "validate")
    assert result.returncode == 70
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "unexpected RuntimeError: boom" in lines[0]
    log = project / "reports" / ".outturn-error.log"
    assert f"the full trace is in {log}" in lines[0]
    assert "Traceback" in log.read_text() and "boom" in log.read_text()


def test_unexpected_error_without_a_project_logs_to_a_temp_file(tmp_path):
    patch = "import analysis.cli as c\nc.app = lambda: {}['missing']"
    result = patched(tmp_path, patch, "validate")
    assert result.returncode == 70 and "Traceback" not in result.stderr
    assert "unexpected KeyError" in result.stderr
    log = Path(result.stderr.split("the full trace is in ")[1].split(";")[0])
    assert log.name.startswith("outturn-error-") and "KeyError" in log.read_text()
    log.unlink()


def test_disk_full_is_one_line_naming_the_path(project):
    write(project, "in.csv", SERIES)
    patch = (
        "import errno, analysis.outputs as o\n"
        "def full(path, data): raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
        "o.write_bytes = full"
    )
    result = patched(project, patch, "spc", "in.csv", "--out", "s.csv")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: s.csv: No space left on device. Fix: free some disk space and run again; files "
        "already there were not replaced"
    )
    assert not (project / "s.csv").exists()


def test_usage_errors_keep_click_messages(project):
    result = outturn(project, "run", "--engine")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Option '--engine' requires an argument" in result.stderr


# --- 9. a run that warns still runs (one full run: notebooks execute) ---------------------


@pytest.mark.slow
def test_warnings_do_not_stop_a_run(project):
    values(project, row(area_code="E06000047"))
    result = outturn(project, *RUN, "--quarter", "2017-18 Q2", timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert f"{EXTRA}:2: warning: [area_code] area 'E06000047'" in output
    assert (project / "reports/2017-18-Q2/index.html").is_file()
    assert not list((project / "reports").glob(".staging-*"))
