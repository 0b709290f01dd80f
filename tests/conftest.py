"""Shared fixtures: the bundled project's data and packs, computed once per test session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests' own helpers (rendered_quarter)

from analysis.config import project_paths  # noqa: E402
from analysis.pack import Pack, build_pack  # noqa: E402
from analysis.periods import parse_period  # noqa: E402
from analysis.validation import ProjectData, load_project  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def data() -> ProjectData:
    """The bundled Blackpool project, loaded and checked."""
    return load_project(project_paths(REPO))


def _pack(data: ProjectData, quarter: str) -> Pack:
    return build_pack(data, parse_period(quarter))


@pytest.fixture(scope="session")
def q2(data) -> Pack:
    """2017-18 Q2: the quarter of paper 001 (Appendix 6(b))."""
    return _pack(data, "2017-18 Q2")


@pytest.fixture(scope="session")
def q3(data) -> Pack:
    """2017-18 Q3: the latest bundled quarter (paper 004's December figures)."""
    return _pack(data, "2017-18 Q3")


@pytest.fixture(scope="session")
def pack_2015_q2(data) -> Pack:
    """2015-16 Q2: the quarter of paper 003 (App B)."""
    return _pack(data, "2015-16 Q2")


def quarto_missing() -> str:
    """Why the Quarto tests cannot run here ('' when they can)."""
    from analysis.rendering import quarto_available

    return (
        ""
        if quarto_available()
        else (
            "the quarto CLI is not on PATH (install it from quarto.org, or run "
            "../shared/tools/quarto/install-quarto.sh); the fallback engine is tested without it"
        )
    )


@pytest.fixture(scope="session")
def rendered_q2(tmp_path_factory) -> Path:
    """A project with 2017-18 Q2 rendered by ``outturn run`` (the fallback engine)."""
    from rendered_quarter import render_project

    return render_project(tmp_path_factory.mktemp("rendered"), "2017-18 Q2")


@pytest.fixture(scope="session")
def quarto_q3(tmp_path_factory) -> Path:
    """2017-18 Q3 rendered with Quarto, Word and PDF documents included: the quarter folder."""
    from rendered_quarter import render_project

    if quarto_missing():
        pytest.skip(quarto_missing())
    base = tmp_path_factory.mktemp("q3-quarto")
    project = render_project(base, "2017-18 Q3", engine="quarto", formats="html,docx,pdf")
    return project / "reports" / "2017-18-Q3"


@pytest.fixture(scope="session", params=["python", "quarto"])
def rendered_q3(request, tmp_path_factory) -> tuple[str, Path]:
    """(engine, quarter folder) of 2017-18 Q3 rendered by each engine (Quarto where installed)."""
    from rendered_quarter import render_project

    engine = request.param
    if engine == "quarto":
        return engine, request.getfixturevalue("quarto_q3")
    project = render_project(tmp_path_factory.mktemp(f"q3-{engine}"), "2017-18 Q3", engine=engine)
    return engine, project / "reports" / "2017-18-Q3"


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's browser tests."""
    from browser import Browser

    with Browser() as b:
        yield b


@pytest.fixture(scope="module")
def served(rendered_q3):
    """The rendered quarter served on localhost: its engine, folder and URL."""
    from browser import serve

    engine, folder = rendered_q3
    with serve(folder) as url:
        yield engine, folder, url
