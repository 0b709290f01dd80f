"""An analyst edits the report without touching analysis/: each edit shows on the rendered page.

The README's "Editing the report" section shows each of these edits.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pages import h2_ids, main_text, nav_links, section, tables
from rendered_quarter import REPO, copy_project, outturn_command

pytestmark = pytest.mark.slow

NEW_PARAGRAPH = "This report was prepared for the committee's March meeting."
NEW_PAGE = """# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
quarter: str = ""  # financial-year quarter to report
project: str = "."  # project folder holding data/ and reports/
data_dir: str = "data"  # input data folder, relative to the project
council_config: str = "data/council.yml"  # council configuration file
output_dir: str = "reports"  # where the executed notebooks and pages are written
as_of: str = ""  # ISO date, use only figures published on or before it
published: bool = False  # True: withhold small counts
pack_file: str = ""  # the pack outturn run computed for this run

# %%
from analysis import report
from analysis.report import show

pack = report.open_pack(project, quarter, as_of, data_dir, council_config, published, pack_file)
show(report.page_title(pack, "referrals in focus"))

# %% [markdown]
# ## Referrals
#
# The rate of referrals against the statistical neighbours and England.

# %%
show(report.chart(pack, "referrals"))
"""


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A project whose analyst made every edit the README describes, rendered once."""
    project = copy_project(tmp_path_factory.mktemp("editing") / "project")
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    shutil.copy(REPO / "_quarto.yml", project / "_quarto.yml")
    nb = project / "notebooks"
    # 1. a paragraph of their own, in the overview's .py twin (the .ipynb is then brought in step)
    _edit(
        nb / "index.py",
        "# %%\nshow(report.overview_summary(pack))",
        f"# %% [markdown]\n# {NEW_PARAGRAPH}\n\n# %%\nshow(report.overview_summary(pack))",
    )
    # 2. a chart of any indicator, and a table, one call each
    _edit(nb / "index.py", "show(report.overview_tables(pack), report.key())",
          "show(report.overview_tables(pack), report.key())\n"
          "show(report.chart(pack, \"contacts_12m\"))\n"
          "show(report.table(pack.scorecard[['indicator', 'comparison', 'judgement']].head(3),"
          " \"Three judgements\"))")  # fmt: skip
    # 3. the exception section reordered (commentary before the chart) and cut (no data notes)
    _edit(nb / "exceptions.py", "    show(report.chart(pack, r))\n", "")
    _edit(nb / "exceptions.py", "    show(section(\"Commentary\", report.commentary(pack, r)))\n",
          "    show(section(\"Commentary\", report.commentary(pack, r)))\n"
          "    show(report.chart(pack, r))\n")  # fmt: skip
    _edit(nb / "exceptions.py",
          "    show(section(\"Notes about the data\", report.data_notes(r)))\n", "")  # fmt: skip
    for name in ("index", "exceptions"):
        subprocess.run(["jupytext", "--sync", str(nb / f"{name}.py")], check=True,
                       capture_output=True)  # fmt: skip
    # 4. a page of its own, dropped into notebooks/ (a .py alone is enough)
    (nb / "referrals_focus.py").write_text(NEW_PAGE, encoding="utf-8")
    run = subprocess.run(
        [*outturn_command(), "run", "--quarter", "2017-18 Q3", "--project", str(project)],
        capture_output=True, text=True, check=False, cwd=project,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return project / "reports" / "2017-18-Q3"


def page(folder, name):
    return (folder / f"{name}.html").read_text(encoding="utf-8")


def test_a_paragraph_written_in_the_notebook_is_on_the_page(edited):
    text = main_text(page(edited, "index"))
    assert NEW_PARAGRAPH.replace("'", "’") in text or NEW_PARAGRAPH in text


def test_a_chart_and_a_table_added_with_one_call_each(edited):
    overview = page(edited, "index")
    assert 'src="charts/contacts_12m-history.svg"' in overview
    found = [t for t in tables(overview) if t["caption"] == "Three judgements"]
    assert found and found[0]["rows"][0] == ["indicator", "comparison", "judgement"]


def test_the_exception_sections_follow_the_notebooks_new_order(edited):
    cla = section(page(edited, "exceptions"), "cla")
    assert cla.index("Commentary") < cla.index("charts/cla-history.svg")
    assert "Notes about the data" not in cla


def test_a_dropped_in_notebook_becomes_a_page_with_navigation(edited):
    new = page(edited, "referrals_focus")
    assert "Blackpool performance report, 2017-18 Q3: referrals in focus" in new
    assert h2_ids(new) == ["referrals"] and 'src="charts/referrals-history.svg"' in new
    links = nav_links(page(edited, "index"))
    assert any(h.endswith("referrals_focus.html") for h in links)
    assert links.index(next(h for h in links if h.endswith("referrals_focus.html"))) > 3
