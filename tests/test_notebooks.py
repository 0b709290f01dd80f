"""Contract tests for the report notebooks: parameters, no logic, no outputs, paired twins."""

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import papermill as pm
import pytest

from analysis.site import DEFAULT_PAGES as PAGES

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = [name for name, _ in PAGES] + ["_appendix"]
"""The pages, and the appendix the Word and PDF documents come from (not a page)."""
AGREED = ["quarter", "project", "data_dir", "council_config", "output_dir", "as_of"]
"""The parameters the pipeline passes to every notebook (docs/data-model.md, pipeline.py)."""
ADDED = ["published", "pack_file", "subset"]
"""Added later: ``published`` withholds small counts (``outturn run --published``);
``pack_file`` hands the notebooks the pack ``outturn run`` already computed; ``subset``
names one committee's or portfolio's pack (``outturn run --committee`` / ``--portfolio``)."""
PARAMETER_LINE = re.compile(r"^(?P<name>[a-z_]+): (?P<type>str|bool|int|float) = (?P<lit>.+?)"
                            r"  # \S.*$")  # fmt: skip


def read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def code_cells(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_page_has_a_notebook_and_a_twin():
    found = sorted(p.name for p in NOTEBOOKS.iterdir() if p.suffix in (".ipynb", ".py"))
    assert found == sorted([f"{n}.ipynb" for n in NAMES] + [f"{n}.py" for n in NAMES])


@pytest.mark.parametrize("name", NAMES)
def test_notebook_declares_exactly_the_agreed_parameters(name):
    params = pm.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    assert list(params) == AGREED + ADDED
    assert all(p["help"] for p in params.values()), "each parameter needs a comment"
    assert params["quarter"]["inferred_type_name"] == "str"
    assert params["as_of"]["default"] == '""'


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_is_the_one_tagged_and_the_first_code_cell(name):
    cells = code_cells(read(name))
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    assert tagged == [0]


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_literals_one_per_line_with_a_comment(name):
    source = code_cells(read(name))[0].source
    lines = [line for line in source.splitlines() if line.strip()]
    assert len(lines) == len(AGREED + ADDED)
    for line in lines:
        match = PARAMETER_LINE.match(line)
        assert match, f"{name}: {line!r} is not 'name: type = literal  # comment'"
        ast.literal_eval(match["lit"])  # a literal, nothing computed


@pytest.mark.parametrize("name", NAMES)
def test_notebook_defines_no_functions_or_classes(name):
    for cell in code_cells(read(name)):
        tree = ast.parse(cell.source)
        defs = [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defs, f"{name}: move {type(defs[0]).__name__} into analysis/"


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs(name):
    for cell in code_cells(read(name)):
        assert cell.outputs == []
        assert cell.execution_count is None
        assert "papermill" not in cell.metadata
    assert "papermill" not in read(name).metadata


@pytest.mark.parametrize("name", NAMES)
def test_notebook_matches_its_py_percent_twin(name):
    nb = read(name)
    twin = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [c.cell_type for c in nb.cells] == [c.cell_type for c in twin.cells]
    for ours, theirs in zip(nb.cells, twin.cells, strict=True):
        assert ours.source.strip() == theirs.source.strip()
        assert ours.metadata.get("tags", []) == theirs.metadata.get("tags", [])
    formats = nb.metadata.get("jupytext", {}).get("formats", "")
    assert "py:percent" in formats


@pytest.mark.parametrize("name", NAMES)
def test_notebook_opens_the_pack_from_its_parameters(name):
    source = "\n".join(c.source for c in code_cells(read(name))[1:2])
    assert "open_pack(project, quarter, as_of, data_dir, council_config" in source
