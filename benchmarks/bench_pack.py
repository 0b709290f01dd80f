"""Time `outturn run` for the latest quarter against the floor: one papermill notebook importing
the stack; under each engine, with Quarto's own render time; and the Word and PDF documents.

Prints the wall times and the ratio of the fallback engine's run to the floor (target: 2.0 or
less), then the Quarto engine's run and how long `quarto render` itself took (when Quarto is
on PATH), then a run with `--format html,docx,pdf`: its extra time, and each document's
render time, size and (for the PDF) page count. Run from the repository root:

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


def run_seconds(
    scratch: Path, engine: str = "python", formats: str = "html"
) -> tuple[float, dict[str, float]]:
    """`outturn run` (latest quarter) on a copy of the bundled project: wall time and steps."""
    from analysis.config import project_paths
    from analysis.pipeline import run_quarter

    project = scratch / "project"
    shutil.copytree(ROOT / "data", project / "data")
    exe = Path(sys.executable).with_name("outturn")
    start = time.perf_counter()
    subprocess.run([str(exe), "run", "--project", str(project), "--engine", engine,
                    "--format", formats], check=True, capture_output=True)  # fmt: skip
    wall = time.perf_counter() - start
    shutil.rmtree(project / "reports")
    found = run_quarter(project_paths(project), engine=engine, formats=formats)  # in-process
    steps = dict(found.timings)
    for document in found.documents:
        steps[f"size {document.suffix[1:]}"] = document.stat().st_size
        if document.suffix == ".pdf":
            steps["pdf pages"] = _pdf_pages(document)
    return wall, steps


def document_seconds(scratch: Path) -> dict[str, float]:
    """Render each document alone from an executed appendix: seconds per format."""
    from analysis.config import project_paths
    from analysis.documents import plan_documents, render_documents
    from analysis.pack import build_pack, latest_quarter
    from analysis.pipeline import _share_pack, execute_all
    from analysis.validation import load_project

    project = scratch / "alone"
    shutil.copytree(ROOT / "data", project / "data")
    paths = project_paths(project)
    data = load_project(paths)
    pack = build_pack(data, latest_quarter(data))
    plan = plan_documents(paths, data.council, "docx,pdf")
    out = project / "out"
    out.mkdir()
    params = {"quarter": pack.quarter.label, "project": str(project), "data_dir": str(paths.data),
              "council_config": str(paths.council_file), "output_dir": str(out), "as_of": "",
              "published": False, "pack_file": _share_pack(pack, out)}  # fmt: skip
    execute_all(plan.pages, out, params, lambda _: None)
    seconds = {}
    for fmt in ("docx", "pdf"):
        start = time.perf_counter()
        render_documents(out, pack, ("html", fmt), plan.template)
        seconds[fmt] = time.perf_counter() - start
    return seconds


def _pdf_pages(path: Path) -> int:
    found = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    pages = [line.split()[-1] for line in found.stdout.splitlines() if line.startswith("Pages:")]
    return int(pages[0]) if pages else -1


def main() -> None:
    """Measure, print, and say whether the target is met."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        floor_seconds(scratch)  # warm the disk cache once, so both timings start equal
        floor = min(floor_seconds(scratch) for _ in range(2))
        runs = [run_seconds(Path(tempfile.mkdtemp(dir=scratch))) for _ in range(2)]
        run, steps = min(runs, key=lambda r: r[0])
        quarto = documents = alone = None
        if shutil.which("quarto"):
            quarto = min(
                (run_seconds(Path(tempfile.mkdtemp(dir=scratch)), "quarto") for _ in range(2)),
                key=lambda r: r[0],
            )
            documents = min(
                (
                    run_seconds(Path(tempfile.mkdtemp(dir=scratch)), "quarto", "html,docx,pdf")
                    for _ in range(2)
                ),
                key=lambda r: r[0],
            )
            alone = document_seconds(Path(tempfile.mkdtemp(dir=scratch)))
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
    wall, steps = documents
    print(f"outturn run --engine quarto --format html,docx,pdf:          {wall:6.2f} s "
          f"(+{wall - quarto[0]:.2f} s for the documents)")  # fmt: skip
    print(
        f"  steps: {_steps({k: v for k, v in steps.items() if not k.startswith(('size', 'pdf'))})}"
    )
    print(f"  docx: rendered alone in {alone['docx']:.2f} s, {steps['size docx'] / 1024:,.0f} KiB")
    print(f"  pdf:  rendered alone in {alone['pdf']:.2f} s, {steps['size pdf'] / 1024:,.0f} KiB, "
          f"{steps['pdf pages']:.0f} pages")  # fmt: skip


def _steps(timings: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f} s" for k, v in timings.items() if k != "total")


if __name__ == "__main__":
    main()
