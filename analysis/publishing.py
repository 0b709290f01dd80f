"""Publish a rendered quarter to a site folder, with a manifest of what produced it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from analysis.config import ProjectPaths, load_council
from analysis.errors import OutturnError
from analysis.periods import parse_period
from analysis.rendering import render_home
from analysis.staging import swap_in

PACKAGES = ("outturn", "pandas", "altair", "statsmodels", "papermill", "nbconvert",
            "vl-convert-python")  # fmt: skip
COPIED_SUFFIXES = {".html", ".csv", ".xlsx", ".json", ".png", ".svg", ".css", ".js"}
COPIED_DIRS = ("site_libs", "charts")  # and every "<page>_files" folder Quarto writes


class PublishError(OutturnError):
    """Raised when a quarter cannot be published (not rendered, or already published)."""


def sha256_file(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(paths: ProjectPaths) -> dict[str, str]:
    """SHA-256 of every file under ``data/`` and ``notebooks/``, keyed by relative path."""
    out = {}
    for folder in (paths.data, paths.notebooks):
        if not folder.is_dir():
            continue
        base = folder.parent
        for file in sorted(folder.rglob("*")):
            if file.is_file() and not any(p.startswith(".") for p in file.relative_to(base).parts):
                out[file.relative_to(base).as_posix()] = sha256_file(file)
    return out


def git_commit(root: Path) -> str | None:
    """Return the checked-out commit of the repository holding ``root``, or None."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def detect_engine(folder: Path) -> str:
    """``quarto`` or ``python`` (the nbconvert fallback), read from the rendered pages."""
    page = (folder / "index.html").read_text(encoding="utf-8", errors="replace")
    return "quarto" if 'name="generator" content="quarto' in page else "python"


def quarto_version_of(folder: Path) -> str | None:
    """Return the version of Quarto that rendered the pages (``1.7.34``), from their generator."""
    page = (folder / "index.html").read_text(encoding="utf-8", errors="replace")
    found = re.search(r'name="generator" content="quarto-([^"]+)"', page)
    return found.group(1) if found else None


def run_parameters(folder: Path) -> dict:
    """Read the parameters papermill ran the notebooks with (from ``index.ipynb``)."""
    notebook = folder / "index.ipynb"
    if not notebook.is_file():
        return {}
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    return dict(meta.get("papermill", {}).get("parameters", {}))


def build_manifest(paths: ProjectPaths, rendered: Path, folder: Path, quarter: str) -> dict:
    """Say how a published quarter was produced: inputs, code, versions, parameters, files.

    ``rendered`` is the quarter's ``reports/`` folder (with the executed
    notebooks); ``folder`` the copy being published, whose files are hashed.
    """
    return {
        "quarter": quarter,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "render_engine": detect_engine(rendered),
        "quarto_version": quarto_version_of(rendered),
        "parameters": run_parameters(rendered),
        "git_commit": git_commit(paths.root),
        "packages": package_versions(),
        "inputs": input_hashes(paths),
        "commentary": commentary_signoff(paths, quarter),
        "files": {
            f.relative_to(folder).as_posix(): sha256_file(f)
            for f in sorted(folder.rglob("*"))
            if f.is_file()
        },
    }


def commentary_signoff(paths: ProjectPaths, quarter: str) -> dict[str, dict[str, str]]:
    """Per indicator, the quarter's commentary: author, date, status, cleared_by, cleared_on."""
    from analysis.collection import commentary_record

    return commentary_record(paths.commentary_dir / parse_period(quarter).slug)


def _copy_rendered(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for item in sorted(src.iterdir()):
        if item.name.startswith(".") or item.name == "_quarto.yml":
            continue
        if item.is_file() and item.suffix in COPIED_SUFFIXES:
            shutil.copy2(item, dest / item.name)
        elif item.is_dir() and (item.name in COPIED_DIRS or item.name.endswith("_files")):
            shutil.copytree(item, dest / item.name)
        elif item.is_dir() and (item / "index.html").is_file():  # a committee's pack
            _copy_rendered(item, dest / item.name)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_destination(paths: ProjectPaths, src: Path, to: Path, final: Path) -> None:
    """Refuse a site folder that would write into the inputs or the quarter being copied.

    Raises
    ------
    PublishError
        When ``to`` is the project folder, is inside ``data/``, or its quarter
        folder overlaps the rendered quarter (``--to reports``) or holds the
        project, so that ``--force`` could delete the source.
    """
    root, data = paths.root.resolve(), paths.data.resolve()
    to_r, src_r, final_r = to.resolve(), src.resolve(), final.resolve()
    reasons = [
        (to_r == root, "is the project folder itself"),
        (_inside(to_r, data) or _inside(data, final_r), f"is inside the input folder {data}"),
        (
            _inside(final_r, src_r) or _inside(src_r, final_r),
            f"would overlap {src}, the rendered quarter it copies from",
        ),
        (_inside(root, final_r), "would hold the project folder"),
    ]
    for refused, why in reasons:
        if refused:
            raise PublishError.at(
                f"--to {to}",
                why,
                "publish to a folder outside the project's data/ and reports/<quarter>/, "
                "e.g. --to site or a shared intranet folder",
            )


def publish_quarter(paths: ProjectPaths, quarter: str, to: Path, force: bool = False) -> Path:
    """Copy ``reports/<slug>/`` to ``to/<slug>/`` with a manifest; refresh ``to/index.html``.

    Parameters
    ----------
    paths : ProjectPaths
        The project the quarter was rendered in.
    quarter : str
        The quarter, e.g. ``"2017-18 Q2"``.
    to : Path
        The site folder; earlier quarters already there are kept.
    force : bool
        Replace ``to/<slug>/`` if it exists.

    Returns
    -------
    Path
        The published quarter's folder.

    Raises
    ------
    PublishError
        When the quarter has not been rendered, or is already published and
        ``force`` is not set.
    """
    period = parse_period(quarter)
    if period.freq != "quarter":
        raise PublishError(f"--quarter {quarter!r} is a {period.freq}; write e.g. '2017-18 Q2'")
    src = paths.report_dir(period.slug)
    if not (src / "index.html").is_file():
        raise PublishError(
            f'{src} has no rendered pages; run outturn run --quarter "{period.label}" first'
        )
    final = to / period.slug
    check_destination(paths, src, to, final)
    if final.exists() and not force:
        raise PublishError(
            f"{final} already exists; use --force to replace it, or publish to another folder"
        )
    to.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".publishing-{period.slug}-", dir=to))
    try:
        _copy_rendered(src, staging / "site")
        manifest = build_manifest(paths, src, staging / "site", period.label)
        (staging / "site" / "manifest.json").write_text(
            json.dumps(manifest, indent=2) + "\n", encoding="utf-8"
        )
        swap_in(staging / "site", final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    render_home(to, load_council(paths.council_file).council.name)
    return final
