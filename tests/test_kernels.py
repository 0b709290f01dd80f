"""One kept kernel for many notebooks: each executed as a fresh kernel would execute it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analysis.kernels import KeptKernel
from analysis.outputs import normalise_notebook
from analysis.pipeline import NotebookError, execute_notebook

PARAMETERS = 'greeting: str = "hello"  # the parameter papermill replaces'
FIRST = [
    PARAMETERS,
    "x = 41\nprint(greeting, x + 1)",
    "import warnings\nwarnings.warn('check the data')",
    "import os\nprint(os.path.basename(os.getcwd()))",
    "x",
]
SECOND = [
    PARAMETERS,
    "print('x' in dir(), greeting)",
    "import warnings\nwarnings.warn('check the data')",
    "import os\nprint(os.path.basename(os.getcwd()))",
]


def notebook(folder: Path, name: str, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.cells[0].metadata["tags"] = ["parameters"]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def outputs(path: Path) -> list[tuple]:
    nb = nbformat.read(path, as_version=4)

    def text(o: dict) -> str:
        return o.get("text") or o.get("data", {}).get("text/plain")

    return [(c.execution_count, [(o.output_type, o.get("name"), text(o)) for o in c.outputs])
            for c in nb.cells]  # fmt: skip


@pytest.fixture(scope="module")
def kernel():
    kept = KeptKernel()
    yield kept
    kept.shutdown()


@pytest.fixture
def folders(tmp_path):
    made = {}
    for name in ("source", "one", "two"):
        made[name] = tmp_path / name
        made[name].mkdir()
    return made


def test_second_notebook_starts_clean_counts_from_one_warns_again(kernel, folders):
    first = notebook(folders["source"], "first", FIRST)
    second = notebook(folders["source"], "second", SECOND)
    kernel.execute(first, folders["one"] / "first.ipynb", {"greeting": "hi"}, folders["one"])
    kernel.execute(second, folders["two"] / "second.ipynb", {"greeting": "hi"}, folders["two"])
    cells = outputs(folders["two"] / "second.ipynb")
    assert [count for count, _ in cells] == [1, 2, 3, 4, 5]  # the injected cell is the 2nd
    assert cells[2][1] == [("stream", "stdout", "False hi\n")]  # x from the first is gone
    assert cells[3][1][0][:2] == ("stream", "stderr") and "check the data" in cells[3][1][0][2]
    assert cells[4][1] == [("stream", "stdout", "two\n")]  # run in its own folder


def test_kept_kernel_notebook_same_bytes_as_fresh_kernel(kernel, folders):
    first = notebook(folders["source"], "first", FIRST)
    kernel.execute(notebook(folders["source"], "warm", SECOND), folders["one"] / "warm.ipynb",
                   {}, folders["one"])  # fmt: skip
    kept = kernel.execute(first, folders["one"] / "first.ipynb", {"greeting": "hi"}, folders["one"])
    fresh = execute_notebook(first, folders["two"] / "first.ipynb", {"greeting": "hi"},
                             folders["one"])  # fmt: skip
    one, two = normalise_notebook(kept, {}), normalise_notebook(fresh, {})
    text = two.read_text().replace(str(folders["two"]), str(folders["one"]))
    # a warning names the cell's file, in a folder named by the kernel's process id
    cell_files = re.compile(r"ipykernel_\d+")
    assert cell_files.sub("ipykernel", one.read_text()) == cell_files.sub("ipykernel", text)


def test_failing_cell_named_and_next_notebook_runs_clean(kernel, folders):
    broken = notebook(folders["source"], "broken", [PARAMETERS, "y = 1", "1 / 0"])
    with pytest.raises(NotebookError, match=r"broken.ipynb, cell 3 \(1 / 0\): ZeroDivisionError"):
        kernel.execute(broken, folders["one"] / "broken.ipynb", {}, folders["one"])
    clean = notebook(folders["source"], "clean", [PARAMETERS, "print('y' in dir())"])
    kernel.execute(clean, folders["two"] / "clean.ipynb", {}, folders["two"])
    assert outputs(folders["two"] / "clean.ipynb")[1] == (2, [("stream", "stdout", "False\n")])


def test_dead_kernel_and_limit_start_a_new_one(folders):
    kept = KeptKernel(notebooks_per_kernel=2)
    source = notebook(folders["source"], "pid", [PARAMETERS, "import os\nprint(os.getpid())"])
    try:
        pids = []
        for n in range(3):
            out = kept.execute(source, folders["one"] / f"pid{n}.ipynb", {}, folders["one"])
            pids.append(outputs(out)[1][1][0][2])
        assert pids[0] == pids[1] != pids[2]  # restarted after two notebooks
        kept.manager.shutdown_kernel(now=True)  # dies behind its back
        out = kept.execute(source, folders["one"] / "pid3.ipynb", {}, folders["one"])
        assert outputs(out)[1][1][0][2] not in pids
    finally:
        kept.shutdown()


DIED = "Kernel died before replying to kernel_info"
"""What nbclient raises when a kernel dies as it starts (its port taken by another program)."""


def dying_first(real, times: int, error: Exception):
    """``real``, except that its first ``times`` calls raise ``error``; the calls are counted."""
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise error
        return real(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


def test_fresh_kernel_that_dies_starting_is_started_again(folders, monkeypatch):
    import papermill

    flaky = dying_first(papermill.execute_notebook, 1, RuntimeError(DIED))
    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    source = notebook(folders["source"], "first", FIRST)
    out = execute_notebook(source, folders["one"] / "first.ipynb", {}, folders["one"])
    assert len(flaky.calls) == 2
    assert outputs(out)[1][1] == [("stream", "stdout", "hello 42\n")]


def test_kernel_that_dies_starting_twice_stops_with_one_message(folders, monkeypatch):
    import papermill

    flaky = dying_first(papermill.execute_notebook, 2, RuntimeError(DIED))
    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    source = notebook(folders["source"], "first", FIRST)
    with pytest.raises(NotebookError, match=r"first\.ipynb: its Jupyter kernel died as it started"):
        execute_notebook(source, folders["one"] / "first.ipynb", {}, folders["one"])
    assert len(flaky.calls) == 2


def test_other_runtime_errors_are_not_retried(folders, monkeypatch):
    import papermill

    flaky = dying_first(papermill.execute_notebook, 1, RuntimeError("something else"))
    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    source = notebook(folders["source"], "first", FIRST)
    with pytest.raises(RuntimeError, match="something else"):
        execute_notebook(source, folders["one"] / "first.ipynb", {}, folders["one"])
    assert len(flaky.calls) == 1


def test_kept_kernel_that_dies_starting_is_started_again(folders, monkeypatch):
    from jupyter_client.manager import KernelManager

    flaky = dying_first(KernelManager.start_kernel, 1, RuntimeError("Address already in use"))
    monkeypatch.setattr(KernelManager, "start_kernel", flaky)
    kept = KeptKernel()
    try:
        source = notebook(folders["source"], "first", FIRST)
        out = kept.execute(source, folders["one"] / "first.ipynb", {}, folders["one"])
        assert len(flaky.calls) == 2
        assert outputs(out)[1][1] == [("stream", "stdout", "hello 42\n")]
    finally:
        kept.shutdown()
