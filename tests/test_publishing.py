"""Tests for analysis.publishing and ``outturn publish``."""

from __future__ import annotations

import json
import subprocess

import pytest
from rendered_quarter import SLUG, outturn_command, render_project

from analysis.config import project_paths
from analysis.publishing import (
    PublishError,
    detect_engine,
    publish_quarter,
    quarto_version_of,
    sha256_file,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return render_project(tmp_path_factory.getbasetemp())


def test_publish_copies_pages_scorecard_and_manifest(project, tmp_path):
    folder = publish_quarter(project_paths(project), "2017-18 Q2", tmp_path / "site")
    names = {p.name for p in folder.iterdir()}
    assert {
        "index.html",
        "exceptions.html",
        "methods.html",
        "data.html",
        "scorecard.csv",
        "manifest.json",
    } <= names
    assert not any(n.endswith(".ipynb") for n in names)
    assert (folder / "charts" / "cla-history.svg").is_file()  # the pages' images travel too
    assert (tmp_path / "site" / "index.html").read_text().count(f'href="{SLUG}/index.html"') == 1


def test_manifest_hashes_inputs_and_records_run(project, tmp_path):
    folder = publish_quarter(project_paths(project), "2017-18 Q2", tmp_path / "site")
    manifest = json.loads((folder / "manifest.json").read_text())
    council = project / "data" / "council.yml"
    assert manifest["inputs"]["data/council.yml"] == sha256_file(council)
    assert any(
        k.startswith("notebooks/") and k.endswith("exceptions.py") for k in manifest["inputs"]
    )
    assert manifest["parameters"]["quarter"] == "2017-18 Q2"
    assert manifest["parameters"]["published"] is False
    assert manifest["render_engine"] == "python"
    assert manifest["published_at"].endswith("+00:00")
    assert set(manifest["packages"]) >= {
        "pandas",
        "altair",
        "statsmodels",
        "papermill",
        "nbconvert",
        "vl-convert-python",
        "outturn",
    }
    assert manifest["files"]["scorecard.csv"] == sha256_file(folder / "scorecard.csv")


def test_publish_refuses_to_overwrite_without_force(project, tmp_path):
    publish_quarter(project_paths(project), "2017-18 Q2", tmp_path)
    (tmp_path / SLUG / "marker.txt").write_text("old")
    with pytest.raises(PublishError, match=r"2017-18-Q2 already exists; use --force"):
        publish_quarter(project_paths(project), "2017-18 Q2", tmp_path)
    publish_quarter(project_paths(project), "2017-18 Q2", tmp_path, force=True)
    assert not (tmp_path / SLUG / "marker.txt").exists()


def test_publish_keeps_earlier_quarters_in_the_index(project, tmp_path):
    earlier = tmp_path / "2016-17-Q4"
    earlier.mkdir()
    (earlier / "index.html").write_text("<html></html>")
    publish_quarter(project_paths(project), "2017-18 Q2", tmp_path)
    home = (tmp_path / "index.html").read_text()
    assert 'href="2016-17-Q4/index.html"' in home and f'href="{SLUG}/index.html"' in home
    assert home.index(SLUG) < home.index("2016-17-Q4")  # newest first


def test_publish_unrendered_quarter_says_run_first(project, tmp_path):
    with pytest.raises(PublishError, match=r'run outturn run --quarter "2016-17 Q3" first'):
        publish_quarter(project_paths(project), "2016-17 Q3", tmp_path)


def test_publish_cli_exit_code_and_message(project, tmp_path):
    cmd = [
        *outturn_command(),
        "publish",
        "--quarter",
        "2017-18 Q2",
        "--to",
        str(tmp_path),
        "--project",
        str(project),
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    second = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert first.returncode == 0 and (tmp_path / SLUG / "manifest.json").is_file()
    assert second.returncode == 1
    assert "already exists; use --force" in second.stderr and "Traceback" not in second.stderr


@pytest.mark.parametrize(("page", "engine"), [
    ('<meta name="generator" content="quarto-1.5.57">', "quarto"),
    ("<footer>Rendered by outturn</footer>", "python"),
])  # fmt: skip
def test_detect_engine_reads_the_generator(tmp_path, page, engine):
    (tmp_path / "index.html").write_text(page)
    assert detect_engine(tmp_path) == engine


def test_quarto_version_is_read_from_the_generator(tmp_path):
    (tmp_path / "index.html").write_text('<meta name="generator" content="quarto-1.7.34">')
    assert quarto_version_of(tmp_path) == "1.7.34"
    (tmp_path / "index.html").write_text("<footer>Rendered by outturn</footer>")
    assert quarto_version_of(tmp_path) is None


def test_manifest_records_the_quarto_that_rendered_the_pages(rendered_q3, tmp_path):
    engine, folder = rendered_q3
    project = folder.parents[1]
    published = publish_quarter(project_paths(project), "2017-18 Q3", tmp_path / "site")
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["render_engine"] == engine
    if engine == "quarto":
        from analysis.rendering import quarto_version

        assert manifest["quarto_version"] == quarto_version() == "1.7.34"
        assert (published / "site_libs").is_dir()
    else:
        assert manifest["quarto_version"] is None
