"""Tests for validation: every bad input stops `validate` and `run` with a clear message."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli
from analysis.config import project_paths
from analysis.display import to_markdown
from analysis.report import commentary, open_pack
from analysis.validation import inspect_project

REPO = Path(__file__).resolve().parents[1]
HEADER = "indicator_id,area_code,period,value,count,status,source,vintage,note\n"
GOOD_ROW = "cla,E06000009,2017-18 Q2,185.6,531,,paper_2017-18_Q2,2017-11-30,\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the bundled project's data/ only (notebooks come from the repository)."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    return root


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """Run the ``outturn`` entry point in-process; return the exit code and everything printed."""
    saved_argv, saved_width = sys.argv, cli.console._width
    sys.argv = ["outturn", *args]
    cli.console._width = 400  # one table row per line, so messages are not folded
    try:
        cli.main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, cli.console._width = saved_argv, saved_width
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def nothing_written(root: Path) -> bool:
    """True when the run left no quarter folder and no staging folder behind."""
    reports = root / "reports"
    return not reports.exists() or not any(reports.iterdir())


def write_values(root: Path, text: str) -> None:
    (root / "data" / "values" / "extra.csv").write_text(text, encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def unknown_indicator(root: Path) -> None:
    write_values(root, HEADER + GOOD_ROW.replace("cla,", "cla_typo,", 1))


def bad_period(root: Path) -> None:
    write_values(root, HEADER + GOOD_ROW.replace("2017-18 Q2", "2017-18 Q5"))


def duplicate_row(root: Path) -> None:
    row = GOOD_ROW.replace("2017-11-30", "2017-12-01")
    write_values(root, HEADER + row + row)


def non_numeric_value(root: Path) -> None:
    write_values(root, HEADER + GOOD_ROW.replace("185.6", "18S.6"))


def negative_count(root: Path) -> None:
    write_values(root, HEADER + GOOD_ROW.replace(",531,", ",-531,"))


def missing_column(root: Path) -> None:
    header = HEADER.replace(",vintage", "")
    write_values(root, header + GOOD_ROW.replace(",2017-11-30", ""))


def bad_catalogue_yaml(root: Path) -> None:
    # line 29 of indicators.yml: "    title: ..." under "- id: opiate_completions"
    path = root / "data" / "indicators.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[28].startswith("    title:")
    lines[28] = "   title: [unclosed\n"
    path.write_text("".join(lines), encoding="utf-8")


def bad_council_yaml(root: Path) -> None:
    replace_in(root / "data" / "council.yml", "  la_number: 890", "  la_number: 890\n la: [")


def unknown_commentary(root: Path) -> None:
    folder = root / "data" / "commentary" / "2017-18-Q2"
    (folder / "children_in_cars.md").write_text("## Commentary\nText.\n", encoding="utf-8")


def bad_breakdown_period(root: Path) -> None:
    replace_in(root / "data" / "breakdowns.csv", "cla,E06000009,2017-18 Q2,", "cla,E06000009,Q9,")


def unreadable_csv(root: Path) -> None:
    write_values(root, HEADER + 'cla,E06000009,"2017-18 Q2,185.6\n')


# (case, how to break the project, what the message must contain: file, where, what, fix)
BAD_INPUTS = [
    ("unknown indicator id", unknown_indicator,
     ["extra.csv", "extra.csv:2: [indicator_id]", "unknown indicator 'cla_typo'",
      "add it to data/indicators.yml or correct the id"]),
    ("unparseable period", bad_period,
     ["extra.csv", "extra.csv:2: [period]", "'2017-18 Q5' is not a period label",
      "write the period as 2017-18, 2017-18 Q2 or Sep 2017"]),
    ("duplicate row", duplicate_row,
     ["extra.csv:3:", "duplicate of an earlier row for (cla, E06000009, 2017-18 Q2, "
      "2017-12-01)", "a revised figure needs its own vintage date"]),
    ("non-numeric value", non_numeric_value,
     ["extra.csv", "extra.csv:2: [value]", "'18S.6' is not a number",
      "write a plain number"]),
    ("negative count", negative_count,
     ["extra.csv", "extra.csv:2: [count]", "negative count -531",
      "counts cannot be negative"]),
    ("missing required column", missing_column,
     ["extra.csv", "header", "missing column(s) vintage", "the header must include"]),
    ("YAML error in indicators.yml", bad_catalogue_yaml,
     ["indicators.yml", "YAML syntax error at line 29", "correct the YAML there"]),
    ("YAML error in council.yml", bad_council_yaml,
     ["council.yml", "YAML syntax error at line 11", "correct the YAML there"]),
    ("commentary for an unknown indicator", unknown_commentary,
     ["2017-18-Q2/children_in_cars.md", "file name", "no indicator 'children_in_cars'",
      "rename the file to <indicator_id>.md"]),
    ("unreadable period in breakdowns.csv", bad_breakdown_period,
     ["breakdowns.csv:2: [period]", "'Q9' is not a period label",
      "write the period as"]),
    ("unreadable CSV", unreadable_csv,
     ["extra.csv:2: [CSV] a double quote opened on this line is never closed",
      "close the quote"]),
]  # fmt: skip
CASE_IDS = [case[0].replace(" ", "_") for case in BAD_INPUTS]


@pytest.mark.parametrize(("case", "breaker", "expected"), BAD_INPUTS, ids=CASE_IDS)
def test_validate_bad_input_exits_1_naming_file_row_and_fix(
    capsys, project, case, breaker, expected
):
    breaker(project)
    code, out = run_cli(capsys, "validate", "--project", str(project))
    assert code == 1, case
    for fragment in expected:
        assert fragment in out, f"{case}: {fragment!r} not in output:\n{out}"
    assert "Traceback" not in out


@pytest.mark.parametrize(("case", "breaker", "expected"), BAD_INPUTS, ids=CASE_IDS)
def test_run_bad_input_exits_1_and_writes_nothing(capsys, project, case, breaker, expected):
    breaker(project)
    code, out = run_cli(capsys, "run", "--project", str(project), "--quarter", "2017-18 Q2")
    assert code == 1, case
    assert "error:" in out
    for fragment in expected:
        assert fragment in out, f"{case}: {fragment!r} not in output:\n{out}"
    assert "Traceback" not in out
    assert not (project / "reports" / "2017-18-Q2").exists()
    assert nothing_written(project)


@pytest.mark.parametrize("command", ["validate", "run"])
def test_real_process_prints_no_traceback(project, command):
    unknown_indicator(project)
    bad_council_yaml(project)
    exe = Path(sys.executable).with_name("outturn")
    result = subprocess.run([str(exe), command, "--project", str(project)], capture_output=True,
                            text=True, env={"COLUMNS": "300", "PATH": "/usr/bin:/bin"},
                            timeout=120, check=False)  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "council.yml" in output and "line 11" in output
    assert "unknown indicator 'cla_typo'" in output
    assert "Traceback" not in output
    assert nothing_written(project)


def test_validate_bundled_data_exits_0(capsys):
    code, out = run_cli(capsys, "validate", "--project", str(REPO))
    assert code == 0
    assert "no problems found" in out
    assert "25 indicators" in out


def test_suppression_marker_in_value_is_a_withheld_value(capsys, project):
    row = GOOD_ROW.replace("185.6,531", "c,").replace("2017-18 Q2", "2017-18 Q4")
    write_values(project, HEADER + row.replace("2017-11-30", "2018-05-10"))
    code, out = run_cli(capsys, "validate", "--project", str(project))
    assert code == 0, out
    data, problems = inspect_project(project_paths(project))
    assert problems == []
    row = data.values[data.values["file"].str.endswith("extra.csv")].iloc[0]
    assert row["status"] == "c"
    assert row["value"] != row["value"]  # NaN: no figure


def test_empty_value_without_marker_is_an_error(capsys, project):
    write_values(project, HEADER + GOOD_ROW.replace("185.6", ""))
    code, out = run_cli(capsys, "validate", "--project", str(project))
    assert code == 1
    assert "extra.csv:2: [value] value is empty" in out


def test_missing_commentary_is_not_an_error_and_says_so(capsys, project):
    (project / "data" / "commentary" / "2017-18-Q2" / "cla.md").unlink()
    code, out = run_cli(capsys, "validate", "--project", str(project))
    assert code == 0, out
    pack = open_pack(project, "2017-18 Q2")
    assert "cla" in pack.exceptions
    assert "No commentary supplied" in to_markdown(commentary(pack, pack.result("cla")))
    assert "No commentary supplied" not in to_markdown(commentary(pack, pack.result("cin")))


def test_missing_commentary_folder_is_not_an_error(project):
    shutil.rmtree(project / "data" / "commentary" / "2017-18-Q2")
    pack = open_pack(project, "2017-18 Q2")
    assert pack.commentary == {}
    found = commentary(pack, pack.result("early_help_assessments"))
    assert "No commentary supplied" in to_markdown(found)


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2017-18 Q5", "'2017-18 Q5' is not a period label"),
        ("2017-18", "--quarter '2017-18' is a year, not a quarter; write e.g. '2017-18 Q2'"),
        ("Sep 2017", "--quarter 'Sep 2017' is a month, not a quarter"),
    ],
)
def test_run_wrong_quarter_label_exits_1_with_clear_message(capsys, project, quarter, message):
    code, out = run_cli(capsys, "run", "--project", str(project), "--quarter", quarter)
    assert code == 1
    assert message in out
    assert "Traceback" not in out
    assert nothing_written(project)


def test_run_without_data_folder_names_it(capsys, tmp_path):
    code, out = run_cli(capsys, "run", "--project", str(tmp_path))
    assert code == 1
    assert "no such data folder" in out and "outturn init" in out
