"""Tests for analysis.site: pages and their order from _quarto.yml, twins, the Quarto project."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import quarto_missing
from rendered_quarter import REPO, copy_project, outturn_command

from analysis.config import project_paths
from analysis.errors import OutturnError
from analysis.site import DEFAULT_PAGES, Site, check_twins, quarto_project, read_pages

ROOT_YML = REPO / "_quarto.yml"


@pytest.fixture(scope="module")
def root() -> dict:
    return yaml.safe_load(ROOT_YML.read_text(encoding="utf-8"))


def test_the_bundled_pages_are_listed_in_order_in_quarto_yml():
    pages = read_pages(project_paths(REPO))
    assert [(p.name, p.title) for p in pages] == list(DEFAULT_PAGES)
    assert all(p.source.parent == REPO / "notebooks" for p in pages)


def test_root_config_asks_for_nothing_from_the_internet(root):
    html = root["format"]["html"]
    assert html["html-math-method"] == "plain"  # MathJax/KaTeX would come from a CDN
    assert html["embed-resources"] is False
    assert html["theme"] == "default"  # Bootstrap ships with Quarto; system fonts only
    assert (REPO / html["css"]).is_file()
    assert root["execute"] == {"enabled": False, "echo": False, "output": "asis", "warning": False}
    assert root["website"]["search"] is False


def test_root_config_renders_only_the_templates_never_the_reports(root):
    assert root["project"]["output-dir"] == "reports/_templates"
    assert all(p.startswith("notebooks/") for p in root["project"]["render"])


def test_quarter_project_is_a_website_in_place_with_offline_options(root):
    site = Site("Blackpool performance report, 2017-18 Q3",
                read_pages(project_paths(REPO)), ("Licence line.", "Sources: DfE."))  # fmt: skip
    config = quarto_project(site, root, "outturn.css")
    assert config["project"]["type"] == "website" and config["project"]["output-dir"] == "."
    assert config["project"]["render"] == [f"{n}.ipynb" for n, _ in DEFAULT_PAGES]
    assert config["execute"] == {
        "enabled": False,
        "echo": False,
        "output": "asis",
        "warning": False,
    }
    nav = config["website"]["navbar"]["left"]
    assert [i["text"] for i in nav] == [t for _, t in DEFAULT_PAGES] + ["All quarters"]
    assert nav[-1]["href"] == "../index.html"
    assert config["website"]["page-footer"]["left"] == "Licence line. Sources: DfE."
    assert "title" not in config["website"]  # no site title appended to every <title>
    html = config["format"]["html"]
    assert (html["css"], html["html-table-processing"]) == ("outturn.css", "none")


def _project_with_notebooks(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    shutil.copy(ROOT_YML, project / "_quarto.yml")
    return project


def test_a_notebook_dropped_into_notebooks_becomes_a_page_after_the_listed_ones(tmp_path):
    project = _project_with_notebooks(tmp_path)
    (project / "notebooks" / "housing_summary.py").write_text("# %%\nx = 1\n")
    (project / "notebooks" / "_draft.py").write_text("# %%\nx = 1\n")
    pages = read_pages(project_paths(project))
    assert [(p.name, p.title) for p in pages][-1] == ("housing_summary", "Housing summary")
    assert "_draft" not in [p.name for p in pages]


def test_order_and_titles_come_from_the_navbar(tmp_path):
    project = _project_with_notebooks(tmp_path)
    config = yaml.safe_load((project / "_quarto.yml").read_text())
    items = config["website"]["navbar"]["left"]
    config["website"]["navbar"]["left"] = [items[1], items[0], items[3]]
    (project / "_quarto.yml").write_text(yaml.safe_dump(config))
    pages = read_pages(project_paths(project))
    assert [p.name for p in pages] == ["exceptions", "index", "data", "methods"]


def test_a_listed_page_without_a_notebook_is_named(tmp_path):
    project = _project_with_notebooks(tmp_path)
    (project / "notebooks" / "data.ipynb").unlink()
    (project / "notebooks" / "data.py").unlink()
    with pytest.raises(OutturnError, match=r"lists the page 'data' but .* has no data.ipynb"):
        read_pages(project_paths(project))


def test_twins_that_differ_stop_the_run_naming_the_newer(tmp_path):
    project = _project_with_notebooks(tmp_path)
    twin = project / "notebooks" / "index.py"
    twin.write_text(twin.read_text() + "\n# %% [markdown]\n# A new paragraph.\n")
    os.utime(twin, (2_000_000_000, 2_000_000_000))
    with pytest.raises(OutturnError, match=r"index\.py and index\.ipynb differ, and index\.py is"
                                           r" the newer.*jupytext --sync"):  # fmt: skip
        check_twins(read_pages(project_paths(project)))


def test_twins_in_step_pass(tmp_path):
    project = _project_with_notebooks(tmp_path)
    check_twins(read_pages(project_paths(project)))  # the bundled twins agree


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
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "OUTTURN_QUARTO_LOG": str(log)}  # fmt: skip
    result = subprocess.run(
        [*outturn_command(), "run", "--quarter", "2017-18 Q2", "--project", str(project)],
        capture_output=True, text=True, check=False, cwd=project, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "rendered with quarto" in result.stdout + result.stderr  # auto picks Quarto
    args = log.read_text().split()
    assert args[0] == "render" and args[2] == "--no-execute"  # execution stays papermill's
    folder = project / "reports" / "2017-18-Q2"
    config = yaml.safe_load((folder / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["format"]["html"]["css"] == "outturn.css"
    assert ".signal" in (folder / "outturn.css").read_text(encoding="utf-8")
    first = (folder / "index.ipynb").read_text(encoding="utf-8")
    assert "title: 'Blackpool performance report, 2017-18 Q2: overview'" in first


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.mark.slow
@pytest.mark.quarto
@pytest.mark.skipif(bool(quarto_missing()), reason=quarto_missing() or "quarto is installed")
def test_quarto_render_in_the_project_root_never_touches_a_quarter(tmp_path, rendered_q3):
    _, quarter = rendered_q3
    project = _project_with_notebooks(tmp_path)
    shutil.copytree(REPO / "analysis" / "static", project / "analysis" / "static")
    copied = project / "reports" / quarter.name
    shutil.copytree(quarter, copied)
    before = _tree_hashes(copied)
    result = subprocess.run(["quarto", "render"], cwd=project, capture_output=True, text=True,
                            check=False, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert _tree_hashes(copied) == before
    assert not list(copied.parent.glob("*/_site"))
