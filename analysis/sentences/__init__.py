"""Every sentence a reader sees, in one place: forecasts, SPC, each indicator, the pages."""

from analysis.sentences.forecasts import (
    METHOD_WORDS,
    benchmark_projection,
    crossing_sentence,
    forecast_note,
    method_words,
    unreliable_reason,
    year_end_note,
    year_end_sentence,
)
from analysis.sentences.spc import spc_sentence

__all__ = [
    "METHOD_WORDS",
    "benchmark_projection",
    "crossing_sentence",
    "forecast_note",
    "method_words",
    "spc_sentence",
    "unreliable_reason",
    "year_end_note",
    "year_end_sentence",
]
