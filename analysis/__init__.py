"""Outturn: the quarterly council performance report, from checked data to published HTML."""
