"""Time `outturn run` for the latest quarter against the floor: one papermill notebook importing
the stack.

Prints both wall times and their ratio (target: ratio <= 2.0). Run from the repository root:

    uv run python benchmarks/bench_pack.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def floor_seconds(scratch: Path) -> float:
    """papermill executing a one-cell notebook that imports pandas, statsmodels and altair."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import pandas, statsmodels.api, altair")]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    src, out = scratch / "floor.ipynb", scratch / "floor-out.ipynb"
    nbformat.write(nb, src)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(src),
            str(out),
            "--no-progress-bar",
            "-k",
            "python3",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def run_seconds(scratch: Path) -> float:
    """`outturn run` (latest quarter) on a copy of the bundled project."""
    project = scratch / "project"
    shutil.copytree(ROOT / "data", project / "data")
    exe = Path(sys.executable).with_name("outturn")
    start = time.perf_counter()
    subprocess.run([str(exe), "run", "--project", str(project)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """Measure, print, and say whether the target is met."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        floor_seconds(scratch)  # warm the disk cache once, so both timings start equal
        floor = min(floor_seconds(scratch) for _ in range(2))
        run = min(run_seconds(Path(tempfile.mkdtemp(dir=scratch))) for _ in range(2))
    ratio = run / floor
    print(f"floor (papermill, 1 cell importing pandas+statsmodels+altair): {floor:6.2f} s")
    print(f"outturn run, latest quarter (4 notebooks, render):              {run:6.2f} s")
    print(f"ratio: {ratio:.2f} (target <= 2.0: {'met' if ratio <= 2.0 else 'NOT met'})")


if __name__ == "__main__":
    main()
