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
from analysis.report import section, show

pack = report.open_pack(project, quarter, as_of, data_dir, council_config, published, pack_file,
                        subset)
show(report.page_title(pack, "overview"))

# %% [markdown]
# This overview lists every indicator with a figure this quarter. Each row compares the
# current figure with the previous period (the quarter before, or for an annual figure the
# year before), the same period last year, the last year-end, the target, England and the
# average of its comparator group (the statistical neighbours unless the methods page names
# another). An arrow shows the direction of the change; a tick or cross shows whether that
# is better or worse, given whether the indicator is better high or low.

# %%
show(report.rag_summary(pack))

# %%
show(report.overview_summary(pack))

# %%
show(report.overview_tables(pack), report.key())

# %%
show(report.rag_key(pack), report.out_of_date(pack))

# %% [markdown]
# The exception reports, with each indicator's history, chart and the service's commentary,
# are on the [exception reports](exceptions.html) page. How the figures are compared is set
# out on the [methods](methods.html) page; data checks and revisions are on the
# [data](data.html) page.

# %%
show(section("Indicators with no figure this quarter", report.not_reported(pack), level=2))
show(section("Also commented on", report.also_commented(pack), level=2))
