"""Render a bundled quarter once per test session into a temporary copy of the project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUARTER = "2017-18 Q2"
SLUG = "2017-18-Q2"
_DONE: dict[tuple[Path, str, bool, str, str | None], Path] = {}


def outturn_command() -> list[str]:
    """The outturn console script beside this interpreter (or the module, if not installed)."""
    script = Path(sys.executable).with_name("outturn")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "analysis.cli"]


def copy_project(dest: Path) -> Path:
    """A copy of the bundled project's data/ in ``dest`` (the notebooks come from outturn)."""
    shutil.copytree(REPO / "data", dest / "data")
    return dest


def render_project(
    base: Path,
    quarter: str = QUARTER,
    published: bool = False,
    engine: str = "python",
    formats: str | None = None,
) -> Path:
    """Copy ``data/`` into a project under ``base`` and run ``outturn run --project`` there once.

    ``formats`` (``html,docx,pdf``) asks for the Word and PDF documents too.
    """
    key = (base, quarter, published, engine, formats)
    if key in _DONE:
        return _DONE[key]
    name = f"{'published' if published else 'internal'}-{engine}-{quarter.replace(' ', '-')}"
    project = copy_project(base / name)
    cmd = [*outturn_command(), "run", "--quarter", quarter, "--project", str(project),
           "--engine", engine] + (["--published"] if published else [])  # fmt: skip
    cmd += ["--format", formats] if formats else []
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=project)
    if result.returncode != 0:
        raise RuntimeError(f"outturn run failed:\n{result.stdout}\n{result.stderr}")
    _DONE[key] = project
    return project
