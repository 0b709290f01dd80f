"""Tests for analysis.rendering: the same pages under Quarto and the fallback engine."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import nbformat
import pytest
from pages import h2_ids, loaded, main_text, nav_links, section, toc_ids

from analysis.rendering import RenderError, choose_engine, prepare_for_quarto

PAGES = ("index", "exceptions", "methods", "data")
TITLES = {
    "index": "Blackpool performance report, 2017-18 Q3: overview",
    "exceptions": "Blackpool performance report, 2017-18 Q3: exception reports",
    "methods": "Blackpool performance report, 2017-18 Q3: methods and sources",
    "data": "Blackpool performance report, 2017-18 Q3: data checks",
}
EXCEPTIONS_Q3 = ["cla", "cin", "contacts", "referral_to_assessment", "assessments_15_days",
                 "assessments_45_days", "cafa_rate", "s47_rate", "cp_plans"]  # fmt: skip
pytestmark = pytest.mark.slow


def read(folder: Path, name: str) -> str:
    return (folder / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_loaded_from_outside_the_report_folder(rendered_q3, name):
    _, folder = rendered_q3
    for ref in loaded(read(folder, name)):
        assert not re.match(r"^(https?:)?//", ref), f"{name}: loads {ref}"
        if ref == "data:,":
            continue  # "no icon": loads nothing (a browser would otherwise ask for favicon.ico)
        target = (folder / ref.split("#")[0].split("?")[0]).resolve()
        assert target.is_relative_to(folder.resolve()), f"{name}: {ref} is outside the quarter"
        assert target.is_file(), f"{name}: {ref} does not exist"


@pytest.mark.parametrize("name", PAGES)
def test_every_navigation_link_resolves(rendered_q3, name):
    _, folder = rendered_q3
    links = nav_links(read(folder, name))
    assert [Path(h).name for h in links[-5:]] == [
        "index.html", "exceptions.html", "methods.html", "data.html", "index.html",
    ]  # fmt: skip
    assert links[-1].endswith("../index.html")  # all quarters
    for href in links:
        assert (folder / href).resolve().is_file(), f"{name}: {href} does not exist"


@pytest.mark.parametrize("name", PAGES)
def test_page_title_comes_from_the_notebook(rendered_q3, name):
    page = read(rendered_q3[1], name)
    assert re.search(r"<title>(.*?)</title>", page).group(1) == TITLES[name]
    h1 = re.findall(r"<h1\b[^>]*>(.*?)</h1>", page, flags=re.S)
    assert [re.sub(r"<[^>]+>", "", h).strip() for h in h1] == [TITLES[name]]


def test_every_exception_is_a_level_two_heading_in_the_contents(rendered_q3):
    page = read(rendered_q3[1], "exceptions")
    assert h2_ids(page) == EXCEPTIONS_Q3
    assert toc_ids(page) == EXCEPTIONS_Q3


def test_methods_page_keeps_its_own_headings_under_its_title(rendered_q3):
    page = read(rendered_q3[1], "methods")
    assert h2_ids(page)[:3] == [
        "how-figures-are-compared", "statistical-neighbours", "sources-and-licence",
    ]  # fmt: skip
    assert page.index("<h1") < page.index('id="how-figures-are-compared"')


@pytest.mark.parametrize("name", PAGES)
def test_footer_has_the_licence_and_the_sources(rendered_q3, name):
    footer = re.search(r"<footer\b.*?</footer>", read(rendered_q3[1], name), flags=re.S).group(0)
    text = main_text(f"<main>{footer}</main>")
    assert "Open Government Licence v3.0" in text
    assert "Sources: Blackpool Council, Resilient Communities" in text
    assert "; Department for Education; Office for National Statistics." in text


def test_both_engines_show_the_same_sections_and_figures(tmp_path_factory, rendered_q3):
    engine, folder = rendered_q3
    if engine == "python":
        pytest.skip("compared from the Quarto side")
    from rendered_quarter import render_project

    python = render_project(tmp_path_factory.getbasetemp() / "q3-python0", "2017-18 Q3")
    other = python / "reports" / "2017-18-Q3"
    for name in PAGES:
        assert h2_ids(read(folder, name)) == h2_ids(read(other, name)), name
    cla = main_text(section(read(folder, "exceptions"), "cla"))
    assert cla == main_text(section(read(other, "exceptions"), "cla"))


def test_the_quarter_is_readable_by_other_users(rendered_q3):
    folder = rendered_q3[1]
    assert stat.S_IMODE(folder.stat().st_mode) & 0o055 == 0o055
    for path in folder.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path


def test_quarto_pages_share_one_copy_of_its_libraries(rendered_q3):
    engine, folder = rendered_q3
    if engine != "quarto":
        assert not (folder / "site_libs").exists()  # the fallback's pages need no libraries
        return
    assert (folder / "site_libs").is_dir()
    assert not list(folder.glob("*_files/libs")), "a page carries its own copy"
    assert not (folder / ".quarto").exists()


def test_charts_are_images_with_their_text_alternative(rendered_q3):
    page = read(rendered_q3[1], "exceptions")
    images = re.findall(r'<img\b[^>]*src="charts/([^"]+)"[^>]*>', page)
    assert "cla-history.svg" in images and "cla-spc.svg" in images
    for tag in re.findall(r'<img\b[^>]*src="charts/[^"]+"[^>]*>', page):
        assert re.search(r'alt="(Line chart|SPC chart|Chart)[^"]{20,}"', tag), tag


def test_no_page_has_html_outputs_that_would_pull_scripts_from_a_cdn(rendered_q3):
    for name in PAGES:
        nb = nbformat.read(rendered_q3[1] / f"{name}.ipynb", as_version=4)
        kinds = {k for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {})}
        assert "text/html" not in kinds and "application/javascript" not in kinds, name


def test_prepare_moves_the_title_into_front_matter_and_html_into_raw_blocks():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": "\n# Title here\n\n"}),
        nbformat.v4.new_output("display_data", data={"text/html": "<b>x</b>", "text/plain": "x"}),
    ]
    cell.metadata["papermill"] = {"start_time": "2026-11-30T13:00:00"}
    nb.cells = [cell]
    out = prepare_for_quarto(nb)
    assert out.cells[0].cell_type == "raw" and "title: Title here" in out.cells[0].source
    assert out.cells[1].outputs[0].data["text/markdown"] == ""
    assert out.cells[1].outputs[1].data == {
        "text/markdown": "```{=html}\n<b>x</b>\n```", "text/plain": "```{=html}\n<b>x</b>\n```",
    }  # fmt: skip
    assert "papermill" not in out.cells[1].metadata


def test_quarto_engine_asked_for_without_quarto_says_how_to_fix(monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(RenderError, match="--engine quarto was asked for but 'quarto' is not"):
        choose_engine("quarto")
    assert choose_engine("auto") == "python"


def test_two_runs_of_the_quarter_give_the_same_pages(tmp_path_factory, rendered_q3):
    from rendered_quarter import render_project

    engine, folder = rendered_q3
    again = render_project(tmp_path_factory.mktemp(f"again-{engine}"), "2017-18 Q3", engine=engine)
    other = again / "reports" / "2017-18-Q3"
    kinds = (".html", ".svg", ".csv", ".xlsx", ".css", ".js")
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.suffix in kinds)
    assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.suffix in kinds)
    changed = [f for f in files if (folder / f).read_bytes() != (other / f).read_bytes()]
    assert changed == []
