"""Time `outturn run` for the latest quarter against the floor: one papermill notebook importing
the stack; under each engine, with Quarto's own render time.

Prints the wall times and the ratio of the fallback engine's run to the floor (target: 2.0 or
less), then the Quarto engine's run and how long `quarto render` itself took (when Quarto is
on PATH). Run from the repository root:

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


def run_seconds(scratch: Path, engine: str = "python") -> tuple[float, dict[str, float]]:
    """`outturn run` (latest quarter) on a copy of the bundled project: wall time and steps."""
    from analysis.config import project_paths
    from analysis.pipeline import run_quarter

    project = scratch / "project"
    shutil.copytree(ROOT / "data", project / "data")
    exe = Path(sys.executable).with_name("outturn")
    start = time.perf_counter()
    subprocess.run([str(exe), "run", "--project", str(project), "--engine", engine],
                   check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - start
    shutil.rmtree(project / "reports")
    steps = run_quarter(project_paths(project), engine=engine).timings  # the same run, in-process
    return wall, steps


def main() -> None:
    """Measure, print, and say whether the target is met."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        floor_seconds(scratch)  # warm the disk cache once, so both timings start equal
        floor = min(floor_seconds(scratch) for _ in range(2))
        runs = [run_seconds(Path(tempfile.mkdtemp(dir=scratch))) for _ in range(2)]
        run, steps = min(runs, key=lambda r: r[0])
        quarto = None
        if shutil.which("quarto"):
            quarto = min(
                (run_seconds(Path(tempfile.mkdtemp(dir=scratch)), "quarto") for _ in range(2)),
                key=lambda r: r[0],
            )
    ratio = run / floor
    print(f"floor (papermill, 1 cell importing pandas+statsmodels+altair): {floor:6.2f} s")
    print(f"outturn run --engine python, latest quarter (4 notebooks):    {run:6.2f} s")
    print(f"  steps: {_steps(steps)}")
    print(f"ratio: {ratio:.2f} (target <= 2.0: {'met' if ratio <= 2.0 else 'NOT met'})")
    if quarto is None:
        print("outturn run --engine quarto: quarto is not on PATH, not measured")
        return
    print(f"outturn run --engine quarto, latest quarter:                  {quarto[0]:6.2f} s")
    print(f"  steps: {_steps(quarto[1])} (quarto render itself: {quarto[1]['render']:.2f} s)")
    print(f"ratio to the floor: {quarto[0] / floor:.2f}")


def _steps(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in timings.items() if k != "total")


if __name__ == "__main__":
    main()
