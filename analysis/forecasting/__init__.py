"""Forecasts for short council series, each with its method, interval and measured accuracy.

The package returns numbers and codes only; :mod:`analysis.sentences` says them in words.

- :mod:`~analysis.forecasting.window`: the comparable points since the latest break;
- :mod:`~analysis.forecasting.methods`: the methods, intervals, bounds and simulated paths;
- :mod:`~analysis.forecasting.backtest`: the back-test, method selection and :func:`forecast`;
- :mod:`~analysis.forecasting.crossing`: when a forecast reaches a benchmark;
- :mod:`~analysis.forecasting.year_end`: this financial year's projected outturn;
- :mod:`~analysis.forecasting.tables`: ``forecasts.csv`` and ``outturn forecast``'s tables.
"""

from analysis.errors import ForecastError
from analysis.forecasting.backtest import (
    BACKTEST_MAX_ORIGINS,
    BACKTEST_MIN_TRAIN,
    MIN_HELD,
    MIN_HELD_OUTCOMES,
    SELECTION_MARGIN,
    TOO_FEW_POINTS,
    Backtest,
    Forecast,
    Selection,
    backtest,
    failed_backtest,
    forecast,
    select_method,
)
from analysis.forecasting.crossing import (
    BENCHMARK_MODES,
    CASES,
    Crossing,
    forecast_crossing,
    project_benchmark,
)
from analysis.forecasting.methods import (
    ANCHORED_METHOD,
    DEFAULT_METHOD,
    DRIFT_DAMPING,
    LEVEL_RANGE,
    METHOD_MIN_POINTS,
    METHODS,
    MIN_POINTS,
    PULL,
    SES_ALPHA,
    check_arguments,
    clip_to_bounds,
    default_bounds,
    fit_method,
    simulate_paths,
)
from analysis.forecasting.tables import (
    FORECAST_COLUMNS,
    MARKERS,
    PER_VALUE_COLUMNS,
    forecast_table,
    forecasts_frame,
    read_series_table,
    series_keys,
)
from analysis.forecasting.window import anchor_on_grid, as_series, comparable_window, grid
from analysis.forecasting.year_end import (
    MIN_PROFILE_YEARS,
    YEAR_END_MEASURES,
    YearEnd,
    project_year_end,
)

__all__ = [
    "ANCHORED_METHOD", "BACKTEST_MAX_ORIGINS", "BACKTEST_MIN_TRAIN", "BENCHMARK_MODES", "CASES",
    "DEFAULT_METHOD", "DRIFT_DAMPING", "FORECAST_COLUMNS", "LEVEL_RANGE", "MARKERS",
    "METHOD_MIN_POINTS", "METHODS", "MIN_HELD", "MIN_HELD_OUTCOMES", "MIN_POINTS",
    "MIN_PROFILE_YEARS", "PER_VALUE_COLUMNS", "PULL", "SELECTION_MARGIN", "SES_ALPHA",
    "TOO_FEW_POINTS", "YEAR_END_MEASURES", "Backtest", "Crossing", "Forecast", "ForecastError",
    "Selection", "YearEnd", "anchor_on_grid", "as_series", "backtest", "check_arguments",
    "clip_to_bounds", "comparable_window", "default_bounds", "failed_backtest", "fit_method",
    "forecast", "forecast_crossing", "forecast_table", "forecasts_frame", "grid",
    "project_benchmark", "project_year_end", "read_series_table", "select_method", "series_keys",
    "simulate_paths",
]  # fmt: skip

_WORDS = ("METHOD_WORDS", "method_words", "year_end_sentence")
"""Names that moved to :mod:`analysis.sentences`, still found here by older imports."""


def __getattr__(name: str) -> object:
    """Find the names that moved to :mod:`analysis.sentences` (imported on first use)."""
    if name in _WORDS:
        from analysis import sentences

        return getattr(sentences, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
