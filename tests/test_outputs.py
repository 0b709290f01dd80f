"""Tests for analysis.outputs: atomic writes, cells no spreadsheet runs, the same bytes twice."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from analysis.errors import OutputError
from analysis.outputs import (
    atomic_write,
    check_output_file,
    neutralise,
    normalise_notebook,
    write_csv,
    write_xlsx,
    xlsx_bytes,
)

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+2", "@SUM(A1)", "\tx", "\rx", "-cmd|' /C calc'!A0"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-1e5", "-", "ok", "a=b", "", 12.5, -3, None])
def test_numbers_markers_and_plain_text_are_unchanged(value):
    assert neutralise(value) == value


def test_write_csv_neutralises_text_and_keeps_numbers(tmp_path):
    frame = pd.DataFrame(
        {"title": ["=1+1", "Children looked after", "-"], "change": [-12.5, 3.0, None]}
    )
    out = write_csv(frame, tmp_path / "card.csv")
    assert out.read_text(encoding="utf-8") == (
        "title,change\n'=1+1,-12.5\nChildren looked after,3.0\n-,\n"
    )
    back = pd.read_csv(out)
    assert back["change"].tolist()[:2] == [-12.5, 3.0]  # still numbers


def test_xlsx_text_is_never_a_formula(tmp_path):
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x")', "plain"], "value": [-12.5, 7]})
    path = write_xlsx(frame, tmp_path / "card.xlsx", "scorecard")
    sheet = openpyxl.load_workbook(path)["scorecard"]
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"  # a string, not "f"
    assert sheet["A2"].quotePrefix  # Excel keeps it text when the cell is edited
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-12.5, "n")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_xlsx_bytes_are_the_same_for_the_same_data():
    frame = pd.DataFrame({"a": ["x", "=y"], "b": [1.5, None]})
    first = xlsx_bytes(frame, "s")
    time.sleep(1.1)  # a second later: ZIP times and document times would differ
    assert xlsx_bytes(frame, "s") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in core


def test_failed_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_write(path) as stream:
        stream.write("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left


def test_written_file_has_ordinary_permissions(tmp_path):
    out = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "a.csv")
    assert out.stat().st_mode & 0o044 == 0o044  # readable by others (a web server)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing" / "out.csv", r"missing: \[?.*the folder for --out out.csv does"),
        (lambda p: (p / "dir").mkdir() or p / "dir", r"dir: .*is a folder \(--out\)"),
    ],
)
def test_output_path_is_checked_before_work(tmp_path, make, message):
    with pytest.raises(OutputError, match=message):
        check_output_file(make(tmp_path))


def executed(path: Path, start: str, staging: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {
        "start_time": start,
        "end_time": start,
        "duration": 1.25,
        "input_path": "notebooks/index.ipynb",
        "output_path": f"{staging}/index.ipynb",
        "parameters": {"quarter": "2017-18 Q2", "pack_file": f"/tmp/{staging}/pack.pickle"},
    }
    params = nbformat.v4.new_code_cell(f'pack_file = "/tmp/{staging}/pack.pickle"')
    params.metadata.update(
        tags=["injected-parameters"], papermill={"start_time": start, "status": "completed"}
    )
    body = nbformat.v4.new_code_cell("1 + 1", execution_count=2)
    body.metadata["execution"] = {"iopub.execute_input": start, "shell.execute_reply": start}
    notebook.cells = [params, body]
    nbformat.write(notebook, str(path))
    return path


def test_normalised_notebooks_of_two_runs_are_identical(tmp_path):
    a = executed(tmp_path / "a.ipynb", "2026-01-01T10:00:00", "reports/.staging-x-abc")
    b = executed(tmp_path / "b.ipynb", "2026-01-02T11:30:00", "reports/.staging-x-def")
    assert a.read_bytes() != b.read_bytes()
    for path, staging in ((a, "reports/.staging-x-abc"), (b, "reports/.staging-x-def")):
        normalise_notebook(path, {staging: "reports/2017-18-Q2", f"/tmp/{staging}": "<pack>"})
    assert a.read_bytes() == b.read_bytes()
    meta = json.loads(a.read_text())["metadata"]["papermill"]
    assert "start_time" not in meta and "duration" not in meta
    assert meta["output_path"] == "reports/2017-18-Q2/index.ipynb"
    assert meta["parameters"] == {"quarter": "2017-18 Q2", "pack_file": "<pack>/pack.pickle"}
    cells = json.loads(a.read_text())["cells"]
    assert "".join(cells[0]["source"]) == 'pack_file = "<pack>/pack.pickle"'
    assert cells[0]["metadata"]["papermill"] == {"status": "completed"}
    assert "execution" not in cells[1]["metadata"]
