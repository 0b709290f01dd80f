"""Write data/values/dfe.csv and data/ranks.csv: DfE benchmarks for the bundled catalogue.

Reads the repository's data/indicators.yml and data/council.yml (waiting for
them to appear, up to --wait seconds) and the DfE files in --source-dir, then
writes the council's, its neighbours', its region's and England's values for
every catalogue entry carrying a ``dfe:`` mapping, and the council's and its
neighbours' national rank and quartile band on those entries (data/ranks.csv).

    .venv/bin/python scripts/build_bundled_benchmarks.py [--source-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import yaml

from analysis.benchmarking import build_dfe_ranks, write_ranks
from analysis.importing import build_dfe_values
from analysis.outputs import write_csv

ROOT = Path(__file__).resolve().parents[1]


def wait_for(paths: list[Path], seconds: float) -> None:
    """Poll until every path exists, or raise after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not all(p.is_file() for p in paths):
        if time.monotonic() > deadline:
            missing = ", ".join(str(p) for p in paths if not p.is_file())
            raise SystemExit(f"still missing after {seconds:.0f}s: {missing}")
        time.sleep(5)


def main() -> None:
    """Build the bundled council's DfE values file and its ranks file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--source-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--wait", type=float, default=1800, help="seconds to wait for the YAML")
    args = parser.parse_args()
    data = args.project / "data"
    catalogue_path, council_path = data / "indicators.yml", data / "council.yml"
    wait_for([catalogue_path, council_path], args.wait)
    time.sleep(1)  # let a writer finish the file it has just created
    catalogue = yaml.safe_load(catalogue_path.read_text(encoding="utf-8"))
    council = yaml.safe_load(council_path.read_text(encoding="utf-8"))
    values = build_dfe_values(catalogue["indicators"], council, args.source_dir)
    out = data / "values" / "dfe.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(values, out)
    print(f"wrote {len(values)} rows for {values['indicator_id'].nunique()} indicators to {out}")
    ranks = write_ranks(build_dfe_ranks(catalogue["indicators"], council, args.source_dir),
                        data / "ranks.csv")  # fmt: skip
    print(f"wrote national ranks to {ranks}")


if __name__ == "__main__":
    main()
