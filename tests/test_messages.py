"""Tests for analysis.messages: one line per problem, knock-ons folded, pages, true counts."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from analysis.errors import WARNING, Problem
from analysis.messages import fold, problem_lines, problem_table, summary

ROOT = Path("/project")
CAUSE = Problem(
    "/project/data/indicators.yml", "", "'unit' is 'per_10k'", "use one of count, percent",
    line=220, key="indicator 'cla', unit", tag="indicator:cla",
)  # fmt: skip


def knock_on(line: int) -> Problem:
    return Problem(
        "/project/data/values/dfe.csv", f"line {line}, column 'indicator_id'",
        "indicator 'cla' has a problem in indicators.yml", "fix that entry first",
        cause="indicator:cla",
    )  # fmt: skip


def unknown(line: int) -> Problem:
    return Problem(
        "/project/data/values/papers.csv", f"line {line}, column 'status'",
        "status 'bad' is not a publisher's marker", "use one of c, x",
    )  # fmt: skip


def test_one_line_form_names_file_line_key_and_fix():
    assert unknown(12).one_line("data/values/papers.csv") == (
        "data/values/papers.csv:12: [status] status 'bad' is not a publisher's marker. "
        "Fix: use one of c, x"
    )
    warning = Problem("f.csv", "line 3, column 'area_code'", "odd", "check", severity=WARNING)
    assert str(warning) == "f.csv:3: warning: [area_code] odd. Fix: check"


def test_knock_ons_are_folded_under_their_cause_and_counted():
    problems = [knock_on(n) for n in range(2, 62)] + [CAUSE]
    assert fold(problems) == [(CAUSE, 60)]
    assert problem_lines(problems, ROOT) == [
        "data/indicators.yml:220: [indicator 'cla', unit] 'unit' is 'per_10k' (and 60 more "
        "caused by this). Fix: use one of count, percent"
    ]
    assert summary(problems, "data/") == (
        "61 problem(s) in data/: 1 error(s), 0 warning(s), and 60 caused by those"
    )


def test_a_knock_on_without_its_cause_stands_alone():
    assert fold([knock_on(2)]) == [(knock_on(2), 0)]


def test_each_kind_shows_a_page_and_how_many_more():
    problems = [unknown(n) for n in range(2, 32)] + [CAUSE]
    lines = problem_lines(problems, ROOT, hint="outturn validate --all")
    assert len(lines) == 1 + 10 + 1
    assert all(line.startswith("data/values/papers.csv:") for line in lines[:10])
    assert lines[10] == (
        "  ... and 20 more like the line above; outturn validate --all shows every one"
    )
    assert lines[11].startswith("data/indicators.yml:220:")
    assert len(problem_lines(problems, ROOT, show_all=True)) == 31


def test_errors_print_before_warnings():
    warning = Problem("/project/a.csv", "line 2", "odd area", "check", severity=WARNING)
    lines = problem_lines([warning, unknown(5)], ROOT)
    assert lines[0].startswith("data/values/papers.csv:5:") and "warning:" in lines[1]


def test_terminal_table_keeps_markup_out_and_folds_alike():
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=True, color_system=None)
    console.print(problem_table([knock_on(2), CAUSE, unknown(3)], ROOT))
    text = buffer.getvalue()
    assert "data/indicators.yml:220" in text and "(and 1 more caused by this)" in text
    assert "[status]" not in text and "status 'bad'" in text  # brackets not eaten as markup
    assert "dfe.csv" not in text
