"""Benchmark outturn's forecasts on every council's DfE series: accuracy, calibration, speed.

Not part of the test suite. Run:

    .venv/bin/python benchmarks/bench_forecast.py [--limit N] [--split NAME] [--method NAME]
        [--pull K] [--no-anchor]

Splits (train years -> forecast years, years ending 31 March):

``validation-3y``  EES counts and rates, 2013-2017 -> 2018-2020 (5 points, 1-3 steps ahead)
``validation-1y``  EES counts and rates, 2013-2019 -> 2020 (7 points, 1 step ahead)
``main``           LAIT indicators, 2016-2020 -> 2021-2023 (5 points, 1-3 steps ahead)
``reference``      LAIT indicators, 2016-2022 -> 2023 (7 points, 1 step ahead)

Every design choice in the default method (``ses`` as the default, its
smoothing weight :data:`~analysis.forecasting.methods.SES_ALPHA`, the selection margin,
the ``ses`` interval, the damping in ``combined`` and the pull toward England,
:data:`~analysis.forecasting.methods.PULL`) was made on the two
validation splits, which use no value after March 2020. The ``main`` and
``reference`` splits (2021-2023) are reported as they come out, never tuned on.
LAIT cannot give a validation split of the same shape: 2016-2019 is 4 points,
below outturn's minimum of 5.

Rule: a series gets a forecast only when every training year is published
(outturn's minimum is 5 comparable points); suppressed or missing values are
gaps. MASE divides a series' mean absolute error by the mean absolute one-step
change over its training years (series whose training values never change are
left out of MASE). Relative MAE is a series' mean absolute error divided by
naive's on the same outcomes (median over series whose naive error is not 0).
Coverage is the share of published outcomes inside the 80% interval.

Why median MASE can stay above 1 at 3 years ahead: the scale is the 1-step
change, and a level that wanders like a random walk moves about sqrt(h) times
as far in h steps, so even a perfect naive-type forecast scores above 1 at h=3
(see the per-horizon line). Relative MAE against naive is the fairer reading.

Figures (80% level). Before: back-test selection among naive/drift/linear/
damped with a 20% margin. After: ``ses`` default with an 80% margin.

    split          median MASE before -> after (naive)   rel. MAE   coverage
    validation-3y  1.119 -> 0.976 (1.009)                1.000 -> 0.974   79.9% -> 80.6%
    validation-1y  0.769 -> 0.788 (0.756)                1.000 -> 0.993   78.4% -> 81.5%
    main           1.111 -> 1.026 (1.043)                1.000 -> 0.995   80.5% -> 80.0%
    reference      0.754 -> 0.732 (0.750)                1.000 -> 0.962   80.9% -> 82.9%

Anchor: a rate or percentage series is given England's series from the same
file, cut to the training years, as the forecast's ``anchor`` (``ses_anchored``
pulls the level toward England's latest value, 10% of the gap a year); a count
(LAIT unit ``count``, EES units naming a count or number) gets none. ``--pull``
sets the share (used to choose it); ``--no-anchor`` gives the figures before.

    split          median MASE before -> after anchor (naive)   rel. MAE         coverage
    validation-3y  0.976 -> 0.973 (1.009)                       0.974 -> 0.973   80.6% -> 80.8%
    validation-1y  0.788 -> 0.786 (0.756)                       0.993 -> 0.994   81.5% -> 82.1%
    main           1.026 -> 0.996 (1.043)                       0.995 -> 0.981   80.0% -> 80.2%
    reference      0.732 -> 0.722 (0.750)                       0.962 -> 0.946   82.9% -> 83.3%

Median MASE by pull (validation splits, selection as used): 0 / 0.05 / 0.1 /
0.15 / 0.2 give 0.976 / 0.972 / 0.973 / 0.985 / 0.999 (3y) and 0.788 / 0.789 /
0.786 / 0.798 / 0.792 (1y); 0.1 is best across both. 43% of scored EES series
and 84% of LAIT series are anchored (the rest are counts).

Reference: statsforecast's AutoETS (season length 1) refuses series of 6 points
or fewer ("tiny datasets"), so it cannot make the 5-point forecasts; on the
7-point splits both run, and time per series is compared on ``reference``.

Data: DfE LAIT bulk data and DfE Explore Education Statistics children's social
care tables (Crown copyright, Open Government Licence v3.0).
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.forecasting import METHODS, forecast, methods
from analysis.periods import parse_period

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LAIT = DATA / "dfe_lait_csc_indicators_2016_2023_long.csv"
EES = DATA / "dfe_ees_csc_counts_rates_2013_2023_long.csv"
SPLITS = {
    "validation-3y": ("ees", (2013, 2017), (2018, 2020)),
    "validation-1y": ("ees", (2013, 2019), (2020, 2020)),
    "main": ("lait", (2016, 2020), (2021, 2023)),
    "reference": ("lait", (2016, 2022), (2023, 2023)),
}
TIMED = "reference"
LEVEL = 80


def load_series(path: Path, key: str) -> dict[tuple[str, str], pd.Series]:
    table = pd.read_csv(path)
    table = table[table.area_type == "LA"]
    out = {}
    for k, g in table.groupby(["area_code", key]):
        s = pd.Series(g.value.to_numpy(dtype=float), index=g.period.to_numpy())
        out[k] = s[~s.index.duplicated()].sort_index()
    return out


def is_count(unit: object) -> bool:
    """Return True for a count (LAIT ``count``; EES units naming a count or number)."""
    text = str(unit).lower()
    return "count" in text or "number" in text


def load_anchors(path: Path, key: str) -> dict[str, pd.Series]:
    """England's series per indicator, for rates and percentages only (counts get no anchor)."""
    table = pd.read_csv(path)
    table = table[(table.area_type == "England") & table.value.notna()]
    out = {}
    for k, g in table.groupby(key):
        if is_count(g.unit.iloc[0]):
            continue
        s = pd.Series(g.value.to_numpy(dtype=float), index=g.period.to_numpy())
        out[k] = s[~s.index.duplicated()].sort_index()
    return out


def anchor_for(anchors: dict | None, key: tuple, train: tuple) -> pd.Series | None:
    """England's training-years series for the series' indicator (None: no anchor)."""
    england = (anchors or {}).get(key[1])
    if england is None:
        return None
    england = england[(england.index >= train[0]) & (england.index <= train[1])]
    return pd.Series(england.to_numpy(), index=[parse_period(int(p)) for p in england.index])


def split(s: pd.Series, train: tuple, test: tuple) -> tuple[pd.Series, np.ndarray]:
    window = s[(s.index >= train[0]) & (s.index <= train[1])]
    actual = s.reindex(range(test[0], test[1] + 1)).to_numpy()
    return window, actual


def score(train: np.ndarray, actual: np.ndarray, est, lower, upper) -> dict:
    """Absolute errors per horizon (NaN where unpublished), scale, interval hits."""
    mask = ~np.isnan(actual)
    err = np.abs(actual - np.asarray(est, dtype=float))
    inside = (actual[mask] >= np.asarray(lower)[mask]) & (actual[mask] <= np.asarray(upper)[mask])
    scale = float(np.mean(np.abs(np.diff(train))))
    return {"err": err, "scale": scale, "inside": int(inside.sum()), "outcomes": int(mask.sum())}


def run_outturn(
    series: dict, train: tuple, test: tuple, method: str | None = None, anchors: dict | None = None
) -> tuple[pd.DataFrame, float]:
    rows, elapsed = [], 0.0
    horizon = test[1] - test[0] + 1
    for key, s in series.items():
        window, actual = split(s, train, test)
        window = pd.Series(window.to_numpy(), index=[parse_period(int(p)) for p in window.index])
        anchor = anchor_for(anchors, key, train)
        start = time.perf_counter()
        fc = forecast(window, horizon=horizon, level=LEVEL, method=method, anchor=anchor)
        elapsed += time.perf_counter() - start
        row = {"key": key, "ok": fc.ok, "method": fc.method, "scored": False}
        row["anchored"] = anchor is not None
        if fc.ok and not np.isnan(actual).all():
            y = window.dropna().to_numpy()
            row["scored"] = True
            f = fc.frame
            row |= score(y, actual, f.estimate, f.lower, f.upper)
            row["naive_err"] = np.abs(actual - y[-1])
        rows.append(row)
    return pd.DataFrame(rows), elapsed


def run_autoets(series: dict, keys: list, train: tuple, test: tuple) -> tuple[pd.DataFrame, float]:
    from statsforecast.models import AutoETS

    model = AutoETS(season_length=1)
    horizon = test[1] - test[0] + 1
    model.forecast(np.arange(12.0), h=horizon, level=[LEVEL])  # compile before timing
    rows, elapsed = [], 0.0
    for key in keys:
        window, actual = split(series[key], train, test)
        y = window.dropna().to_numpy(dtype=float)
        start = time.perf_counter()
        try:
            out = model.forecast(y, h=horizon, level=[LEVEL])
        except Exception:  # noqa: BLE001 (count the reference's refusals, keep going)
            elapsed += time.perf_counter() - start
            rows.append({"key": key, "failed": True})
            continue
        elapsed += time.perf_counter() - start
        est, lo, hi = out["mean"], out[f"lo-{LEVEL}"], out[f"hi-{LEVEL}"]
        rows.append({"key": key, "failed": False, **score(y, actual, est, lo, hi)})
    return pd.DataFrame(rows), elapsed


def mase(frame: pd.DataFrame, column: str = "err") -> pd.Series:
    """Per-series MASE (series with a zero scale left out)."""
    ok = frame[frame.scale > 0]
    return pd.Series([np.nanmean(e) / s for e, s in zip(ok[column], ok.scale, strict=True)])


def per_horizon(frame: pd.DataFrame, column: str = "err") -> str:
    ok = frame[frame.scale > 0]
    errs = np.vstack(ok[column].to_numpy()) / ok.scale.to_numpy()[:, None]
    return " ".join(f"h{h + 1} {np.nanmedian(errs[:, h]):.3f}" for h in range(errs.shape[1]))


def relative_mae(frame: pd.DataFrame) -> tuple[float, float, float]:
    """Median of our MAE / naive's MAE, and the shares of series better and worse than naive."""
    ours = np.array([np.nanmean(e) for e in frame.err])
    naive = np.array([np.nanmean(e) for e in frame.naive_err])
    keep = naive > 0
    ratio = ours[keep] / naive[keep]
    return float(np.median(ratio)), float(np.mean(ratio < 1)), float(np.mean(ratio > 1))


def report(
    name: str,
    series: dict,
    train: tuple,
    test: tuple,
    method: str | None = None,
    anchors: dict | None = None,
) -> None:
    ours, t_ours = run_outturn(series, train, test, method, anchors)
    done = ours[ours.scored]
    n = len(ours)
    print(f"\n[{name}] forecast {test[0]}-{test[1]} from {train[0]}-{train[1]}: {n} series")
    print(f"  no forecast (fewer than 5 published training years): {1 - ours.ok.mean():.1%}; "
          f"scored {len(done)} series")  # fmt: skip
    pull = (
        f"pull k = {methods.PULL:g} of the gap to England a year (k chosen on the "
        "validation splits)"
        if anchors
        else "no anchor"
    )
    print(f"  anchor: {pull}; anchored (rates and percentages) {done.anchored.mean():.0%} "
          f"of scored series, counts never")  # fmt: skip
    print(f"  methods chosen: {done.method.value_counts().to_dict()}")
    m, nm = mase(done), mase(done, "naive_err")
    cover = done.inside.sum() / done.outcomes.sum()
    print(f"  outturn  MASE median {m.median():.3f} mean {m.mean():.3f}; "
          f"{LEVEL}% coverage {cover:.1%} of {int(done.outcomes.sum())} outcomes")  # fmt: skip
    print(f"  naive    MASE median {nm.median():.3f} mean {nm.mean():.3f}")
    rel, better, worse = relative_mae(done)
    print(f"  relative MAE vs naive: median {rel:.3f}; better than naive on {better:.0%} "
          f"of series, worse on {worse:.0%}")  # fmt: skip
    print(f"  median MASE by horizon: outturn {per_horizon(done)}; "
          f"naive {per_horizon(done, 'naive_err')}")  # fmt: skip
    if m.median() >= 1:
        print(f"  median MASE is not below 1 because the scale is the 1-step change: "
              f"naive itself scores {nm.median():.3f}; relative MAE is fairer")  # fmt: skip
    if name == TIMED or test[0] == test[1]:
        ref, t_ref = run_autoets(series, list(done.key), train, test)
        report_reference(ref, done, t_ours / n, t_ref, show_time=name == TIMED)
    else:
        print(f"  AutoETS refuses 5-point series ('tiny datasets'); time per series: "
              f"outturn {t_ours / n * 1000:.2f} ms")  # fmt: skip


def report_reference(ref: pd.DataFrame, done: pd.DataFrame, per_ours: float, t_ref: float,
                     show_time: bool) -> None:  # fmt: skip
    ok = ref[~ref.failed]
    m = mase(ok)
    cover = ok.inside.sum() / ok.outcomes.sum()
    print(f"  AutoETS  MASE median {m.median():.3f} mean {m.mean():.3f}; {LEVEL}% coverage "
          f"{cover:.1%}; refused {int(ref.failed.sum())} of {len(ref)}")  # fmt: skip
    same = mase(done[done.key.isin(set(ok.key))])
    print(f"  outturn on the series AutoETS forecast: MASE median {same.median():.3f}")
    if show_time:
        per_ref = t_ref / len(ref)
        print(f"  time per series: outturn {per_ours * 1000:.2f} ms, "
              f"AutoETS {per_ref * 1000:.2f} ms, ratio {per_ours / per_ref:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N series per file")
    parser.add_argument("--split", action="append", choices=list(SPLITS), help="only these splits")
    parser.add_argument("--method", choices=METHODS, help="force one method (default: select)")
    parser.add_argument(
        "--pull", type=float, help=f"pull toward England per step (default {methods.PULL})"
    )
    parser.add_argument("--no-anchor", action="store_true", help="no England anchor (as before)")
    args = parser.parse_args()
    if args.pull is not None:
        methods.PULL = args.pull
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    sources = {"lait": (LAIT, "indicator_code"), "ees": (EES, "indicator")}
    loaded = {}
    for name in args.split or SPLITS:
        source, train, test = SPLITS[name]
        if source not in loaded:
            series = load_series(*sources[source])
            series = dict(list(series.items())[: args.limit]) if args.limit else series
            loaded[source] = series, None if args.no_anchor else load_anchors(*sources[source])
        series, anchors = loaded[source]
        report(name, series, train, test, args.method, anchors)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak_mb:.0f} MB; wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
