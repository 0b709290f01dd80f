"""Time `outturn national` for 10, 50 and all councils, and `outturn run` for one, on this machine.

For each size: wall time, time per council (wall / councils), the slowest council, peak
memory per worker (the worker process and its kept kernel, each one's high-water mark),
and where a council's time goes (mean seconds per step inside the task, plus the shared
work and the cluster's start once per run). Then the speed-up from one worker to two on the
10 councils, and one council set up and built with `outturn init` + `outturn run` (fresh
kernels) for comparison. Targets: every council in under 10 minutes on two cores (about 4 s a
council) and under 2 GB per worker. Run from the repository root:

    uv run python benchmarks/bench_national.py                  # 10, 50, all; 1 vs 2 workers
    uv run python benchmarks/bench_national.py --sizes 10 50    # skip the long run
    uv run python benchmarks/bench_national.py --json out.json  # also write the figures

Every run starts from an empty folder (nothing skipped). The quarter is 2022-23 Q4.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUARTER = "2022-23 Q4"
SHARED = ROOT.parent / "shared" / "data"
STEPS = ("set_up", "validate_and_compute", "notebooks", "render", "cpu")
"""Steps inside a council's task (seconds); ``cpu`` is the worker's and kernel's CPU time."""


def all_codes(source: Path) -> list[str]:
    """Every council `--councils all` builds, in code order."""
    from analysis.importing import dfe_files, import_neighbours
    from analysis.national import resolve_councils

    neighbours = import_neighbours(dfe_files(source, ("neighbours",))["neighbours"])
    return resolve_councils("all", neighbours)


def spread(codes: list[str], n: int) -> list[str]:
    """``n`` councils spread evenly over the list (unitaries, metropolitan, London, counties)."""
    if n >= len(codes):
        return codes
    step = len(codes) / n
    return [codes[int(i * step)] for i in range(n)]


def national(codes: list[str], workers: int, engine: str, source: Path, scratch: Path) -> dict:
    """One `outturn national` run (in this process, the driver) from an empty folder."""
    from analysis.national import run_national

    out = Path(tempfile.mkdtemp(dir=scratch))
    load_before, start = os.getloadavg()[0], time.perf_counter()
    result = run_national(",".join(codes), QUARTER, out, source, workers=workers, engine=engine)
    wall = time.perf_counter() - start
    built = [o for o in result.outcomes if o.status == "built"]
    peaks: dict[str, int] = {}
    for o in result.outcomes:
        peaks[o.worker] = max(peaks.get(o.worker, 0), o.peak_memory)
    steps = {s: statistics.mean(o.timings.get(s, 0.0) for o in built) for s in STEPS if built}
    shutil.rmtree(out, ignore_errors=True)
    return {
        "councils": len(codes), "workers": workers, "engine": engine, "wall": wall,
        "per_council": wall / len(codes), "failed": len(result.failed),
        "failures": [f"{o.area_code}: {o.reason}" for o in result.failed],
        "task_mean": statistics.mean(o.seconds for o in built) if built else None,
        "task_max": max((o.seconds for o in built), default=None),
        "peak_memory_mb": {w: round(v / 2**20) for w, v in sorted(peaks.items())},
        "steps": steps, "shared": result.timings.get("shared"),
        "cluster": result.timings.get("cluster"),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }  # fmt: skip


def one_council(code: str, engine: str, source: Path, scratch: Path) -> dict:
    """`outturn init` + `outturn run` for one council, as a shell loop would do it."""
    exe = [str(Path(sys.executable).with_name("outturn"))]
    project = Path(tempfile.mkdtemp(dir=scratch))
    start = time.perf_counter()
    subprocess.run([*exe, "init", "--council", code, "--project", str(project),
                    "--source-dir", str(source)], check=True, capture_output=True)  # fmt: skip
    init = time.perf_counter() - start
    subprocess.run([*exe, "run", "--project", str(project), "--quarter", QUARTER, "--engine",
                    engine], check=True, capture_output=True)  # fmt: skip
    run = time.perf_counter() - start - init
    shutil.rmtree(project, ignore_errors=True)
    return {"council": code, "init": init, "run": run, "total": init + run}


def show(row: dict) -> None:
    """Print one national run's figures."""
    print(f"\n{row['councils']} councils, {row['workers']} worker(s), engine {row['engine']}: "
          f"{row['wall']:.1f} s wall, {row['per_council']:.2f} s per council "
          f"(task mean {row['task_mean'] or 0:.1f} s, slowest {row['task_max'] or 0:.1f} s), "
          f"{row['failed']} failed")  # fmt: skip
    print(f"  peak memory per worker (worker + kernel, MB): {row['peak_memory_mb']}")
    print(f"  load average (1 min) before and after: {row['load_average']} on {os.cpu_count()} "
          "cores (other work on the machine slows every figure here)")  # fmt: skip
    print(f"  once per run: shared DfE work {row['shared']:.1f} s, cluster start "
          f"{row['cluster']:.1f} s")  # fmt: skip
    steps = ", ".join(f"{k} {v:.2f}" for k, v in row["steps"].items())
    print(f"  mean seconds per council inside its task: {steps}")
    for failure in row["failures"][:5]:
        print(f"  failed: {failure}")


def main() -> None:
    """Measure, print, and say whether the targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10", "50", "all"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--engine", default="python", help="python (default) or quarto")
    parser.add_argument("--source-dir", type=Path, default=SHARED)
    parser.add_argument("--no-speedup", action="store_true", help="skip the 1-worker run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    codes = all_codes(args.source_dir)
    figures: dict = {"cores": os.cpu_count(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        figures["outturn_run"] = single = one_council("E08000009", args.engine, args.source_dir,
                                                      scratch)  # fmt: skip
        print(f"outturn init + outturn run, Trafford: init {single['init']:.1f} s, run "
              f"{single['run']:.1f} s, {single['total']:.1f} s in all")  # fmt: skip
        for size in args.sizes:
            chosen = codes if size == "all" else spread(codes, int(size))
            row = national(chosen, args.workers, args.engine, args.source_dir, scratch)
            figures["runs"].append(row)
            show(row)
        if not args.no_speedup:
            ten = spread(codes, 10)
            one = national(ten, 1, args.engine, args.source_dir, scratch)
            two = next((r for r in figures["runs"] if r["councils"] == 10 and r["workers"] == 2),
                       None) or national(ten, 2, args.engine, args.source_dir, scratch)  # fmt: skip
            figures["runs"].append(one)
            show(one)
            figures["speedup_1_to_2"] = one["wall"] / two["wall"]
            print(f"\nspeed-up from 1 worker to 2 (10 councils): {figures['speedup_1_to_2']:.2f}x")
    every = [r for r in figures["runs"] if r["councils"] == len(codes)]
    if every:
        row = every[0]
        peak = max(row["peak_memory_mb"].values(), default=0)
        print(f"\ntarget, all {len(codes)} councils under 600 s: {row['wall']:.0f} s "
              f"({'met' if row['wall'] < 600 else 'NOT met'}); under 2048 MB per worker: "
              f"{peak} MB ({'met' if peak < 2048 else 'NOT met'})")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
