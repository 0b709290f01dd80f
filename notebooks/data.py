# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
quarter: str = ""  # financial-year quarter to report, e.g. 2017-18 Q2 (empty for the latest)
project: str = "."  # project folder holding data/ and reports/
data_dir: str = "data"  # input data folder, relative to the project
council_config: str = "data/council.yml"  # council configuration file, relative to the project
output_dir: str = "reports"  # where the executed notebooks and pages are written
as_of: str = ""  # ISO date, use only figures published on or before it (empty for all)
published: bool = False  # True: withhold small counts (the build to publish)
pack_file: str = ""  # the pack outturn run computed for this run (empty: compute it here)
subset: str = ""  # a committee's or portfolio's pack: committee:NAME, portfolio:NAME (empty: all)

# %%
from analysis import report
from analysis.report import show

pack = report.open_pack(project, quarter, as_of, data_dir, council_config, published, pack_file,
                        subset)
show(report.page_title(pack, "data checks"))

# %% [markdown]
# ## Validation
#
# Every input file was checked before this report was produced (columns, indicator ids,
# period labels, numbers, duplicates, commentary files). A report is only produced when the
# checks pass.

# %%
show(report.validation_summary(pack))

# %% [markdown]
# ## Revisions
#
# Figures published more than once with different values. The latest published figure is used.

# %%
show(report.revisions(pack))

# %% [markdown]
# ## Withheld values
#
# Values the publisher suppressed or did not supply, shown with the publisher's marker.
# They are gaps, never zeros.

# %%
show(report.disclosure_note(pack))

# %%
show(report.withheld(pack))
