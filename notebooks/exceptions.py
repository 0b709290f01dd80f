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
published: bool = False  # True: withhold small counts (the build to publish)
pack_file: str = ""  # the pack outturn run computed for this run (empty: compute it here)

# %%
from analysis import report

pack = report.open_pack(project, quarter, as_of, data_dir, council_config, published, pack_file)
report.show(report.page_title(pack, "exception reports"))

# %% [markdown]
# One section per indicator that needs an exception report this quarter: its history as the
# committee papers print it, the direction of travel against each comparison, a chart of the
# council against its statistical neighbours and England, and what the service has said.

# %%
for indicator_id in pack.exceptions:
    report.show(report.exception_section(pack, indicator_id))
