"""Build data/examples/trafford/: a second council's project made only with documented commands.

Trafford (E08000009) is set up from DfE data with `outturn init`, given a
comparator group (the ten statistical neighbours Trafford Data Lab compares it
with), and its children's indicators are brought in from Trafford Data Lab's
tidy file with `outturn import tidy`. The catalogue stubs that import writes
are then filled in as an analyst would by hand (README, "Your council's own
figures"): which way is better, and the guessed unit, frequency, measure and
comparator confirmed. Finally `outturn validate` must pass.

    uv run python scripts/build_trafford_example.py [--source-dir ../shared/data]

Run from anywhere; paths written into the project are relative to the repository.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT = Path("data/examples/trafford")
TIDY = "trafford_children_vs_stat_neighbours_to_2022-23.csv"
PUBLISHED = "2023-12-31"
"""The Data Lab file does not say when it was published; its newest figures are for
2022-23, all published during 2023, so the end of 2023 is used (see the example's README)."""

GROUP = """
# Added by hand (README, "Your council's own figures"): the ten councils Trafford Data Lab
# compares Trafford with, which are DfE's May 2025 statistical neighbours.
comparators:
  trafford_sn:
    name: Trafford's statistical neighbours (Trafford Data Lab)
    average: mean
    areas:
      - {area_code: E10000015, name: Hertfordshire}
      - {area_code: E08000007, name: Stockport}
      - {area_code: E06000060, name: Buckinghamshire}
      - {area_code: E10000025, name: Oxfordshire}
      - {area_code: E10000030, name: Surrey}
      - {area_code: E09000006, name: Bromley}
      - {area_code: E06000049, name: Cheshire East}
      - {area_code: E10000003, name: Cambridgeshire}
      - {area_code: E10000013, name: Gloucestershire}
      - {area_code: E08000029, name: Solihull}
"""
IDS = [
    "Children looked after who had their annual health assessment=cla_health_assessment",
    "Children looked after who had their teeth checked by a dentist=cla_dental_check",
    "Children cautioned or sentenced=cautioned_sentenced",
    "Pupils reaching the expected standard at the end of key stage 2 in reading, writing and "
    "mathematics=ks2_rwm_expected",
    "Percentage achieving 9-5 in English & mathematics at Key Stage 4=ks4_eng_maths_9_5",
    "Average Progress 8 score=progress_8",
]
# What the analyst decides for each stub: better, and the unit where the guess was wrong.
DECISIONS = {
    "cla_health_assessment": {"better": "high"},
    "cla_dental_check": {"better": "high"},
    "cautioned_sentenced_count": {"better": "low", "measure": "flow"},
    "cautioned_sentenced_rate": {"better": "low", "measure": "flow"},
    "pct_children_living_relative_low_income": {"better": "low"},
    "pct_children_living_absolute_low_income": {"better": "low"},
    "ks2_rwm_expected": {"better": "high"},
    "ks4_eng_maths_9_5": {"better": "high"},
    "progress_8": {"better": "high", "unit": "score", "bounds": [-3, 3]},
    "school_readiness_pct_children_achieving": {"better": "high"},
    "school_readiness_pct_children_free": {"better": "high"},
    "neet_16_17_years_old": {"better": "low"},
    "neet_inc_not_know_16_17_years_old": {"better": "low"},
    "population_vaccination_coverage_mmr_one": {"better": "high"},
    "population_vaccination_coverage_mmr_two": {"better": "high"},
}


def outturn(*args: str) -> None:
    """Run one documented outturn command from the repository root; stop if it fails."""
    command = [sys.executable, "-m", "analysis.cli", *args]
    print("$ outturn " + " ".join(f'"{a}"' if " " in a else a for a in args), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def fill_stubs(catalogue: Path) -> None:
    """Do by script what the analyst does by hand: set each stub's fields, drop its to_check."""
    text = catalogue.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    data = yaml.safe_load(text)
    for entry in data["indicators"]:
        if "to_check" not in entry:
            continue
        entry.update(DECISIONS[entry["id"]])
        entry.pop("to_check")
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    catalogue.write_text(header + body, encoding="utf-8")


def main() -> None:
    """Build the Trafford example from scratch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", default="../shared/data")
    args = parser.parse_args()
    target = ROOT / PROJECT
    if (target / "data").exists():
        shutil.rmtree(target / "data")
    outturn("init", "--council", "E08000009", "--project", str(PROJECT),
            "--source-dir", args.source_dir)  # fmt: skip
    council = target / "data" / "council.yml"
    council.write_text(council.read_text(encoding="utf-8") + GROUP, encoding="utf-8")
    ids = [part for option in IDS for part in ("--id", option)]
    outturn("import", "tidy", f"{args.source_dir}/{TIDY}", "--project", str(PROJECT),
            "--source", "trafford_data_lab", "--published", PUBLISHED, *ids)  # fmt: skip
    fill_stubs(target / "data" / "indicators.yml")
    outturn("validate", "--project", str(PROJECT))


if __name__ == "__main__":
    main()
