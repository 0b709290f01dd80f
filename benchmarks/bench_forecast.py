"""Benchmark outturn's forecasts on every council x LAIT indicator: accuracy, calibration, speed.

Forecast the years ending March 2021-2023 from 2016-2020 and compare with what
was published. Not part of the test suite. Run:

    .venv/bin/python benchmarks/bench_forecast.py [--limit N]

Rule: a series gets a forecast only when all five training years 2016-2020 are
published (outturn's minimum is 5 comparable points); suppressed or missing
values (``value_note`` markers) are gaps. MASE divides each series' absolute
errors by the mean absolute one-step change over its training years (series
whose training values never change are left out of MASE). Coverage is the share
of published 2021-2023 values inside the 80% interval.

Reference: statsforecast's AutoETS (season length 1) refuses series of 6 points
or fewer ("tiny datasets"), so it cannot make the 2016-2020 forecast at all. The
run therefore also scores a second split that both can make, 2023 from 2016-2022
(7 points, one step ahead), and compares accuracy and time per series there.

Data: DfE LAIT bulk data (Crown copyright, Open Government Licence v3.0).
"""

from __future__ import annotations

import argparse
import resource
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.forecasting import forecast
from analysis.periods import parse_period

LAIT = Path(__file__).resolve().parents[2] / "shared" / "data" / "dfe_lait_csc_indicators_2016_2023_long.csv"
SPLITS = {"main": ((2016, 2020), (2021, 2023)), "reference": ((2016, 2022), (2023, 2023))}
LEVEL = 80


def load_series(path: Path = LAIT) -> dict[tuple[str, str], pd.Series]:
    table = pd.read_csv(path)
    table = table[table.area_type == "LA"]
    out = {}
    for key, g in table.groupby(["area_code", "indicator_code"]):
        s = pd.Series(g.value.to_numpy(dtype=float), index=g.period.to_numpy())
        out[key] = s[~s.index.duplicated()].sort_index()
    return out


def split(s: pd.Series, train: tuple, test: tuple) -> tuple[pd.Series, np.ndarray]:
    window = s[(s.index >= train[0]) & (s.index <= train[1])]
    actual = s.reindex(range(test[0], test[1] + 1)).to_numpy()
    return window, actual


def score(train: np.ndarray, actual: np.ndarray, est, lower, upper) -> dict:
    mask = ~np.isnan(actual)
    scale = np.mean(np.abs(np.diff(train)))
    err = np.abs(actual[mask] - np.asarray(est)[mask])
    inside = (actual[mask] >= np.asarray(lower)[mask]) & (actual[mask] <= np.asarray(upper)[mask])
    return {
        "mase": float(np.mean(err) / scale) if scale > 0 and mask.any() else np.nan,
        "inside": int(inside.sum()),
        "outcomes": int(mask.sum()),
    }


def run_outturn(series: dict, train: tuple, test: tuple) -> tuple[pd.DataFrame, float]:
    rows, elapsed = [], 0.0
    horizon = test[1] - test[0] + 1
    for key, s in series.items():
        window, actual = split(s, train, test)
        window = pd.Series(window.to_numpy(), index=[parse_period(int(p)) for p in window.index])
        start = time.perf_counter()
        fc = forecast(window, horizon=horizon, level=LEVEL)
        elapsed += time.perf_counter() - start
        row = {"key": key, "ok": fc.ok, "method": fc.method}
        if fc.ok:
            y = window.dropna().to_numpy()
            f = fc.frame
            row |= score(y, actual, f.estimate, f.lower, f.upper)
            row["naive_mase"] = score(y, actual, [y[-1]] * horizon, f.lower, f.upper)["mase"]
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


def report(name: str, series: dict, train: tuple, test: tuple) -> None:
    ours, t_ours = run_outturn(series, train, test)
    done = ours[ours.ok]
    ref, t_ref = run_autoets(series, list(done.key), train, test)
    n = len(ours)
    print(f"\n[{name}] forecast {test[0]}-{test[1]} from {train[0]}-{train[1]}: {n} series")
    print(f"  no forecast (fewer than 5 published training years): {1 - len(done) / n:.1%}")
    print(f"  methods chosen: {done.method.value_counts().to_dict()}")
    print(
        f"  outturn  MASE median {done.mase.median():.3f} mean {done.mase.mean():.3f}; "
        f"{LEVEL}% coverage {done.inside.sum() / done.outcomes.sum():.1%} "
        f"of {done.outcomes.sum()} outcomes"
    )
    print(
        f"  naive    MASE median {done.naive_mase.median():.3f} mean {done.naive_mase.mean():.3f}"
    )
    ok = ref[~ref.failed] if len(ref) else ref
    if len(ok) > len(ref) / 2:
        print(
            f"  AutoETS  MASE median {ok.mase.median():.3f} mean {ok.mase.mean():.3f}; "
            f"{LEVEL}% coverage {ok.inside.sum() / ok.outcomes.sum():.1%}; "
            f"refused {int(ref.failed.sum())} of {len(ref)}"
        )
    else:
        print(
            f"  AutoETS  refused {int(ref.failed.sum())} of {len(ref)} series "
            "(statsforecast: 'tiny datasets'); no accuracy or time comparison on this split"
        )
        print(f"  time per series: outturn {t_ours / n * 1000:.2f} ms")
        return
    per_ours, per_ref = t_ours / n, t_ref / len(ref)
    print(
        f"  time per series: outturn {per_ours * 1000:.2f} ms, "
        f"AutoETS {per_ref * 1000:.2f} ms, ratio {per_ours / per_ref:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N series")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    series = load_series()
    if args.limit:
        series = dict(list(series.items())[: args.limit])
    for name, (train, test) in SPLITS.items():
        report(name, series, train, test)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS): {peak_mb:.0f} MB; wall {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
