"""Time and peak memory of the all-councils benchmark on the full LAIT table.

    .venv/bin/python benchmarks/bench_benchmark.py [--source-dir ../shared/data]

Target: under 20 s and under 2 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from pathlib import Path

from analysis import importing
from analysis.benchmarking import benchmark_all

ROOT = Path(__file__).resolve().parents[1]


def _run(folder: Path, average: str) -> None:
    values = importing.read_lait(folder / importing.LAIT_FILE)
    neighbours = importing.import_neighbours(folder / importing.NEIGHBOURS_FILE)
    metadata = importing.import_lait_metadata(folder / importing.LAIT_METADATA_FILE)
    benchmark_all(values, neighbours, {e["dfe"]["lait"]: e["better"] for e in metadata}, average)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--average", default="mean")
    args = parser.parse_args()
    folder = args.source_dir
    untraced = time.perf_counter()
    _run(folder, args.average)
    untraced = time.perf_counter() - untraced
    tracemalloc.start()  # second run, traced for memory (tracing slows it down)
    start = time.perf_counter()
    values = importing.read_lait(folder / importing.LAIT_FILE)
    neighbours = importing.import_neighbours(folder / importing.NEIGHBOURS_FILE)
    metadata = importing.import_lait_metadata(folder / importing.LAIT_METADATA_FILE)
    read = time.perf_counter()
    polarity = {entry["dfe"]["lait"]: entry["better"] for entry in metadata}
    result = benchmark_all(values, neighbours, polarity, args.average)
    done = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"input rows:        {len(values):,}")
    print(f"output rows:       {len(result):,} "
          f"({result['area_code'].nunique()} councils x {result['indicator_id'].nunique()} "
          f"indicators x {result['period'].nunique()} years)")  # fmt: skip
    print(f"read + parse:      {read - start:.2f} s")
    print(f"benchmark engine:  {done - read:.2f} s")
    print(f"total (traced):    {done - start:.2f} s")
    print(f"total (untraced):  {untraced:.2f} s")
    print(f"peak traced (py):  {peak / 2**20:.1f} MiB")
    print(f"peak RSS process:  {rss:.1f} MiB")


if __name__ == "__main__":
    main()
