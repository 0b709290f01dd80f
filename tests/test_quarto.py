"""The Quarto path: the site configuration, the per-quarter project, and (with Quarto) a render."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml
from rendered_quarter import QUARTER, REPO, SLUG, outturn_command

from analysis.rendering import (
    PAGES,
    QUARTO_CSS,
    RenderError,
    choose_engine,
    quarto_available,
    quarto_project_yaml,
)

ROOT_YML = REPO / "_quarto.yml"
needs_quarto = pytest.mark.skipif(
    not quarto_available(),
    reason="the quarto CLI is not on PATH (install it from quarto.org); the nbconvert "
    "fallback renders the same executed notebooks and is tested in test_pipeline.py",
)


@pytest.fixture(scope="module")
def site() -> dict:
    return yaml.safe_load(ROOT_YML.read_text(encoding="utf-8"))


def test_root_config_is_a_website_over_every_quarters_executed_notebooks(site):
    assert site["project"]["type"] == "website"
    assert site["project"]["render"] == [f"reports/*/{name}.ipynb" for name, _ in PAGES]
    assert site["execute"] == {"enabled": False}  # papermill has already executed them
    assert site["website"]["navbar"]["left"][0]["href"] == "reports/index.html"


def test_root_config_asks_for_nothing_from_the_internet(site):
    html = site["format"]["html"]
    assert html["html-math-method"] == "plain"  # MathJax/KaTeX would come from a CDN
    assert html["embed-resources"] is False
    assert html["theme"] == "default"  # Bootstrap ships with Quarto; system fonts only
    assert (REPO / html["css"]).is_file()
    assert html["echo"] is False


def test_quarter_project_renders_in_place_with_the_house_css():
    config = yaml.safe_load(quarto_project_yaml(ROOT_YML))
    assert config["project"] == {
        "type": "default",
        "render": [f"{name}.ipynb" for name, _ in PAGES],
    }
    assert config["execute"] == {"enabled": False}
    html = config["format"]["html"]
    assert html["css"] == QUARTO_CSS  # copied beside the notebooks, not a path to the repo
    assert (html["toc"], html["lang"], html["html-math-method"]) == (True, "en-GB", "plain")


def test_quarto_engine_asked_for_without_quarto_says_how_to_fix(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(RenderError, match="--engine quarto was asked for but 'quarto' is not"):
        choose_engine("quarto")
    assert choose_engine("auto") == "python"


@needs_quarto
@pytest.mark.quarto
@pytest.mark.slow
def test_quarto_renders_the_quarter_offline(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "data", project / "data")
    result = subprocess.run(
        [*outturn_command(), "run", "--quarter", QUARTER, "--project", str(project),
         "--engine", "quarto"],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = project / "reports" / SLUG
    for name, _ in PAGES:
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert 'name="generator" content="quarto' in page
        assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', page)
    overview = (folder / "index.html").read_text(encoding="utf-8")
    assert "Scorecard, 2017-18 Q2" in overview and "SPC assurance" in overview
    exceptions = (folder / "exceptions.html").read_text(encoding="utf-8")
    assert exceptions.count('role="img"') >= 5  # a chart per exception, inline SVG


FAKE_QUARTO = """#!/bin/sh
# stands in for the quarto CLI: records how it was called, writes a page per notebook
echo "$@" > "$OUTTURN_QUARTO_LOG"
for nb in "$2"/*.ipynb; do
  name=$(basename "$nb" .ipynb)
  printf '<html><head><meta name="generator" content="quarto-fake"></head></html>' \\
    > "$2/$name.html"
done
"""


@pytest.mark.slow
def test_run_with_quarto_on_path_hands_it_the_executed_notebooks(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "quarto"
    fake.write_text(FAKE_QUARTO)
    fake.chmod(0o755)
    log = tmp_path / "quarto-args.txt"
    project = tmp_path / "project"
    shutil.copytree(REPO / "data", project / "data")
    import os

    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "OUTTURN_QUARTO_LOG": str(log),
    }
    result = subprocess.run(
        [*outturn_command(), "run", "--quarter", QUARTER, "--project", str(project)],
        capture_output=True, text=True, check=False, cwd=project, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "rendered with quarto" in result.stdout + result.stderr  # auto picks Quarto
    args = log.read_text().split()
    assert args[0] == "render" and args[2] == "--no-execute"  # execution stays papermill's
    folder = project / "reports" / SLUG
    assert {p.name for p in folder.glob("*.ipynb")} >= {f"{n}.ipynb" for n, _ in PAGES}
    config = yaml.safe_load((folder / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["format"]["html"]["css"] == QUARTO_CSS
    assert ".signal" in (folder / QUARTO_CSS).read_text(encoding="utf-8")
    assert 'content="quarto-fake"' in (folder / "index.html").read_text(encoding="utf-8")
    assert (project / "reports" / "index.html").is_file()  # the home page lists the quarter
