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
subset: str = ""  # a committee's or portfolio's pack: committee:NAME, portfolio:NAME (empty: all)

# %%
# The committee's appendix, as Word and PDF (outturn run --format html,docx,pdf); not a web page
# (its name starts with "_"). The same results and blocks as the pages, laid out for paper: the
# scorecard on landscape pages with its key, each exception report starting on a new page.
from analysis import report
from analysis.report import heading, section, show

pack = report.open_pack(project, quarter, as_of, data_dir, council_config, published, pack_file,
                        subset)
report.for_documents()
show(report.page_title(pack, "exception reports"))
show(report.title_block(pack))

# %%
show(heading("Summary", 2), report.rag_summary(pack), report.overview_summary(pack))
show(report.no_exceptions(pack))

# %%
show(report.landscape(True))
show(heading("Scorecard", 2), report.overview_table(pack), report.key(), report.rag_key(pack))
show(section("Indicators with no figure this quarter", report.not_reported(pack)))
show(report.landscape(False))

# %%
for r in pack.exception_results:
    show(report.page_break())
    show(report.indicator_heading(r))
    show(report.indicator_summary(r))
    show(report.rag_status(r))
    show(section("About this indicator", report.indicator_metadata(r)))
    show(report.history_table(r), report.breakdowns(r))
    show(report.dot_table(r), report.rank(pack, r))
    show(report.chart(pack, r))
    show(section("What the figures say", report.what_the_figures_say(r)))
    show(section("Commentary", report.commentary(pack, r) or report.draft_commentary(pack, r)))
    show(section("Service response", report.service_response(r)))
    show(section("Notes about the data", report.data_notes(r)))

# %%
show(report.page_break())
show(heading("Methods and sources", 2), report.methods_summary(pack))
show(section("Statistical neighbours", report.neighbour_list(pack)))
show(section("Sources and licence", report.sources(pack)))
