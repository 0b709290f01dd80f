# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
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

# %%
from analysis import report

pack = report.open_pack(project, quarter, as_of, data_dir, council_config)
report.show(report.page_title(pack, "methods and sources"))

# %% [markdown]
# ## How figures are compared
#
# - **Current figure.** For a monthly or quarterly indicator, the latest figure within the
#   quarter; for an annual indicator, the latest year-end outturn.
# - **Previous quarter** and **same period last year**: the figure at the end of the previous
#   quarter, and at the same point one year earlier.
# - **Last year-end**: last financial year's outturn. A year-to-date measure is compared with
#   the same point last year instead, and a flow (e.g. assessments in the quarter) with last
#   year's average per quarter or month, so like is compared with like.
# - **Target**: the year's number, or for a rule such as "decrease on last year" last
#   year's outturn, where only a change in the asked-for direction meets it.
# - **England** and **statistical neighbours**: the latest published figure ending on or before
#   the current period.
# - **Direction** is up, down or same (after rounding to the indicator's published decimals);
#   **judgement** is better or worse according to whether the indicator is better high or low,
#   and n/a where there is nothing to compare or the indicator is context only.

# %% [markdown]
# ## Statistical neighbours

# %%
report.show(report.neighbour_list(pack))

# %% [markdown]
# ## Sources and licence

# %%
report.show(report.sources_list(pack))
