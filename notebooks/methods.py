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
show(report.page_title(pack, "methods and sources"))

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
show(report.neighbour_list(pack))
show(report.comparator_groups(pack))

# %% [markdown]
# DfE revises its statistical-neighbour model from time to time. The table says which list
# gives the neighbour figures for which years. On the charts the shaded band is the range of
# these neighbours, lowest to highest. For the all-councils table (`outturn benchmark
# --all`) each year takes the model in force: the April 2021 model up to 2024-25 and the
# May 2025 model from 2025-26.
#
# **National rank and quartile.** Where DfE publishes the indicator for every council, the
# overview and exception pages give the council's rank among all English councils for the
# latest year ended by this quarter (1 = best, by whether the indicator is better high or
# low; tied councils share a rank) and its quartile band as DfE's LAIT shows it: A is the
# best quarter of councils, D the worst. Ranks are computed from the published figures of
# every council when the data is imported (`data/ranks.csv`).

# %%
show(report.neighbour_years(pack))

# %% [markdown]
# ## Sources and licence

# %%
show(report.sources(pack))

# %% [markdown]
# ## Signal or noise: statistical process control
#
# Next to each arrow the overview shows an SPC signal, following NHS England's *Making Data
# Count* method (XmR charts). The centre line is the mean of the series; the process limits
# are the mean plus or minus 2.66 times the average moving range (the difference between
# consecutive points). A point is **special cause** when it falls outside the limits, when
# seven points in a row sit on one side of the mean, when seven points in a row rise or fall,
# or when two of three points sit close to a limit on the same side. Otherwise the change
# is **common cause**: the ordinary ups and downs of the process, which an arrow alone would
# over-read. Limits are recalculated from each recorded series break. With fewer than 6
# points there is no SPC judgement, and below 13 the limits are trial limits.
#
# The overview's icons follow Making Data Count, always with the words beside them:
# **H** or **L** marks a special cause above or below the expected range (labelled
# *Improvement* or *Concern* by the indicator's polarity), a dash marks common cause.
# **Assurance** asks whether the process, as it runs now, will meet its numeric target:
# **P** *Passing* when both process limits are on the right side of the target, **F**
# *Failing* when both are on the wrong side (the target will not be met without a change
# in the process), and **?** *Hit or miss* when the target lies between the limits.

# %% [markdown]
# ## Forecasts and how accurate they have been
#
# Forecasts use methods suited to short, noisy series. The default is a **smoothed level**
# (simple exponential smoothing with a fixed weight of 0.6 on the latest value): council
# figures are a slowly moving level plus year-to-year noise, and repeating the last value
# over-reacts to that noise. The other candidates are the last value (naive), the average
# change (drift), a straight-line trend, an equal-weight combination of naive, smoothed level
# and a damped drift, and damped-trend exponential smoothing. For rates and percentages (never
# counts: a council's number is not comparable with England's total), the smoothed level is
# pulled toward England's latest published value, closing a tenth of the gap each year ahead:
# council rates tend to drift back toward the national figure. The pull was chosen on DfE data
# before April 2020 and is used in each back-test exactly as in the forecast, with England's
# figure as it stood at each starting point. Each series' own past is
# re-forecast from several earlier starting points (a rolling-origin back-test), and another
# method replaces the smoothed level only when its back-test error is at least 80% smaller:
# on five to ten points a trend has to be very clear before it is worth extrapolating.
# If the smoothed level's own intervals failed on a series (fewer than half of at least 8
# past outcomes inside), the method with the smallest error among those whose intervals held
# is used instead.
# Accuracy is reported as MASE: the average forecast error divided by the series' typical
# change from one period to the next. Intervals are 80% prediction intervals: four times in
# five the outcome should fall inside. The table shows, for every forecast in this report,
# how often past outcomes did. When fewer than half of at least 8 past outcomes fell inside
# the interval, the forecast is not drawn at all: the page says so rather than show a fan
# that claims more certainty than the series supports. Forecasts and intervals never go
# below zero. Only points since
# the latest series break are used, and with fewer than 5 comparable points there is no
# forecast. "When will it reach the neighbours' average" comes from 2,000 simulated paths of
# the forecast; the neighbours' average is held at its latest value.
#
# **Measured accuracy on every council.** Forecasting DfE's published 2021-2023 figures from
# 2016-2020 for every council and indicator (3,750 series), the median MASE is 0.996 against
# 1.043 for repeating the last value, and 80.2% of outcomes fell inside the 80% intervals
# (`benchmarks/bench_forecast.py`). Three years ahead no method tried does much better than
# the last value: these forecasts say where the trend points and how uncertain that is, not
# what will happen.
#
# Year-end projections use earlier years' in-year profile where the data has it, and the
# run rate so far otherwise.

# %%
show(report.backtest_table(pack))

# %% [markdown]
# ## RAG status and profiled targets
#
# Where the council rates indicators red, amber or green (`report.rag` in council.yml), the
# overview opens with the counts, shows each indicator's status as a shape with its word
# beside it, and prints the key. A target may be **profiled** through the year (a target
# for each quarter or month, `profile:` in the catalogue): the quarter's figure is compared
# with the profile's value for its period, so a year-to-date measure is judged against
# where it should be by now, not against the year-end target. The chart draws the
# profile as a dashed **target trajectory**, and SPC assurance asks whether the process
# will meet the trajectory's value at the latest point.

# %%
show(report.rag_method(pack))

# %% [markdown]
# ## Indicator definitions
#
# What each indicator counts, where its figures come from, who owns it and how far its
# figures can be relied on, from the catalogue (`data/indicators.yml`).

# %%
show(report.definitions(pack))
