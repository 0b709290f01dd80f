"""Page weight: each rendered page's size and its external requests (target: < 2 MB, 0).

Renders the latest quarter into a temporary copy of the project (or reads an
already rendered folder given as the first argument). Run from the repository root:

    .venv/bin/python benchmarks/bench_pages.py [reports/2017-18-Q2]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2 * 1024 * 1024
EXTERNAL = re.compile(
    r"""(?:\bsrc\s*=\s*|\bhref\s*=\s*|url\()\s*["']?\s*((?:https?:)?//[^"')\s>]+)""", re.I
)


def external_requests(page: str) -> list[str]:
    """Return the http(s) origins a page would fetch or link to (src=, href=, url())."""
    return EXTERNAL.findall(page)


def render_latest(base: Path) -> Path:
    """Run ``outturn run`` for the latest quarter in a copy of ``data/``; return its folder."""
    project = base / "project"
    shutil.copytree(ROOT / "data", project / "data")
    script = Path(sys.executable).with_name("outturn")
    subprocess.run(
        [str(script), "run", "--project", str(project), "--engine", "python"],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(
        p for p in (project / "reports").iterdir() if p.is_dir() and not p.name.startswith(".")
    )


def report(folder: Path) -> bool:
    """Print one line per page; True when every page meets both targets."""
    ok = True
    print(f"{folder}")
    print(f"{'page':<18}{'size':>12}{'external':>10}  links to http(s) (href=, not fetched)")
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = external_requests(text)
        fetched = [u for u in EXTERNAL.finditer(text) if not u.group(0).lower().startswith("href")]
        size = page.stat().st_size
        ok &= size < LIMIT and not fetched
        print(
            f"{page.name:<18}{size / 1024:>10.1f} kB{len(fetched):>10}  {len(found) - len(fetched)}"
        )
    print("targets met" if ok else "TARGETS MISSED: < 2 MB per page and 0 external requests")
    return ok


def main() -> int:
    """Measure an existing folder, or render the latest quarter and measure it."""
    if len(sys.argv) > 1:
        return 0 if report(Path(sys.argv[1])) else 1
    with tempfile.TemporaryDirectory() as base:
        return 0 if report(render_latest(Path(base))) else 1


if __name__ == "__main__":
    sys.exit(main())
