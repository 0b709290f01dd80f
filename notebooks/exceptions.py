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
show(report.page_title(pack, "exception reports"))

# %% [markdown]
# One section per indicator that needs an exception report this quarter: its history as the
# committee papers print it, the direction of travel against each comparison, a chart of the
# council against its statistical neighbours and England, and what the service has said.

# %%
show(report.no_exceptions(pack))
for r in pack.exception_results:
    show(report.indicator_heading(r))
    show(report.indicator_summary(r))
    show(report.rag_status(r))
    show(section("About this indicator", report.indicator_metadata(r)))
    show(report.history_table(r), report.breakdowns(r))
    show(report.dot_table(r), report.rank(pack, r))
    show(report.chart(pack, r))
    show(section("What the figures say", report.what_the_figures_say(r)))
    show(report.spc_chart(pack, r))
    show(section("Commentary", report.commentary(pack, r)))
    show(section("Service response", report.service_response(r)))
    show(section("Draft commentary (generated)", report.draft_commentary(pack, r)))
    show(section("Notes about the data", report.data_notes(r)))
