"""Render a bundled quarter once per test session into a temporary copy of the project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUARTER = "2017-18 Q2"
SLUG = "2017-18-Q2"
_DONE: dict[tuple[Path, str, bool], Path] = {}


def outturn_command() -> list[str]:
    """The outturn console script beside this interpreter (or the module, if not installed)."""
    script = Path(sys.executable).with_name("outturn")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "analysis.cli"]


def render_project(base: Path, quarter: str = QUARTER, published: bool = False) -> Path:
    """Copy ``data/`` into ``base/project`` and run ``outturn run --project`` there once."""
    key = (base, quarter, published)
    if key in _DONE:
        return _DONE[key]
    project = base / ("published" if published else "internal")
    shutil.copytree(REPO / "data", project / "data")
    cmd = [
        *outturn_command(),
        "run",
        "--quarter",
        quarter,
        "--project",
        str(project),
        "--engine",
        "python",
    ] + (["--published"] if published else [])
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=project)
    if result.returncode != 0:
        raise RuntimeError(f"outturn run failed:\n{result.stdout}\n{result.stderr}")
    _DONE[key] = project
    return project
