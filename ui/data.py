"""Cached reads for pages: the store, the Dataset and the computed metrics, keyed on the store's data version.

`Store.data_version()` changes whenever anything is written (by this process or another one sharing the
database), so every cached read takes it as an argument: a new upload refreshes every page without a
restart, and nothing is re-read while nothing changed.

The Dataset and the metrics frames are cached as shared resources, not with `st.cache_data`: that pickles
the value on every hit, and `full_dataset()` is read several times per rerun (a national Dataset took
most of a page's rerun to unpickle, and each copy counted against memory). Callers get shallow copies:
with pandas' copy-on-write a caller that adds or changes a column changes only its own copy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from typing import Literal, TypeVar

import pandas as pd
import streamlit as st

from kesbang.analysis import metrics
from kesbang.dataset import Dataset
from ui.filters import current
from ui.source import data_version, dataset_at, shallow

log = logging.getLogger(__name__)


def dataset(*, all_years: bool = False, province: str | None = None, year: int | None = None) -> Dataset:
    """The Dataset for the sidebar's province and year (`all_years=True`: every year of that province)."""

    f = current()
    province = province or f.province
    years = None if all_years else (year or f.year,)
    return shallow(_filtered(data_version(), province, years))


@st.cache_resource(show_spinner=False, max_entries=32)
def _filtered(version: str, province: str | None, years: tuple[int, ...] | None) -> Dataset:
    # filtering the whole (national) frames by text comparison on every rerun cost more than the pages' own work
    return dataset_at(version).filter(province=province, years=None if years is None else list(years))


@st.cache_resource(show_spinner=False, max_entries=32)
def _metrics(version: str, province: str, year: int | None, quarter: int) -> pd.DataFrame:
    ds = _filtered(version, province, None if year is None else (year,))
    # the chosen year is read "s.d. TW n"; with all years each year counts in full, as reported
    return metrics.compute(ds.indicators, quarter, metrics.Rules.from_settings(), rpjmd=ds.rpjmd)


def _metrics_key(all_years: bool, quarter: int | None, province: str | None,
                 year: int | None) -> tuple[str, int | None, int]:
    """(province, year, quarter) of a metrics frame: the sidebar's unless overridden; all years in full."""

    f = current()
    province = province or f.province
    if all_years:
        return province, None, 4
    return province, year or f.year, quarter or f.quarter


def metrics_frame(*, all_years: bool = False, quarter: int | None = None, province: str | None = None,
                  year: int | None = None) -> pd.DataFrame:
    """Indicators with `realisasi`, `capaian`, `kategori`, `alasan`, `rumus`, `serapan` … (kesbang.analysis.metrics).

    Default: the sidebar's province and year, rolled up to the sidebar's quarter. `all_years=True`
    gives every year of the province, each in full (for trends); `quarter` overrides the quarter.
    """
    return _metrics(data_version(), *_metrics_key(all_years, quarter, province, year)).copy(deep=False)


R = TypeVar("R")


def derived(fn: Callable[..., R], *args: Hashable, all_years: bool = False, quarter: int | None = None,
            year: int | None = None, source: Literal["metrics", "dataset"] = "metrics") -> R:
    """`fn(metrics_frame(...), *args)`, computed once per data version and filters instead of on every rerun.

    A click on a page's own widget reruns the whole script with the same filters, and the scores, choices
    and comparisons behind the page's charts do not change: recomputed each time, they were a quarter of
    a comparison page's rerun. `fn` must be a pure function of its arguments (kesbang.analysis.regional's are);
    what it returns is shared by every viewer, so it is never changed afterwards (frames are handed out as
    new frame objects). `source="dataset"`: `fn(dataset(...), *args)`, the Dataset of the same filters.
    """
    key = _metrics_key(all_years, quarter, None, year)
    return _shallow_value(_derived(data_version(), *key, source, _name_of(fn), args, fn))


def _name_of(fn: Callable) -> str:
    """A function's name in the cache key, with its file: every page script runs as module `__main__`, so
    two pages' `drawn` would otherwise share one name."""
    return f"{fn.__module__}.{fn.__qualname__}@{getattr(getattr(fn, '__code__', None), 'co_filename', '')}"


@st.cache_resource(show_spinner=False, max_entries=256)
def _derived(version: str, province: str, year: int | None, quarter: int, source: str, name: str, args: tuple,
             _fn: Callable):
    if source == "dataset":
        return _fn(shallow(_filtered(version, province, None if year is None else (year,))), *args)
    return _fn(_metrics(version, province, year, quarter).copy(deep=False), *args)


def _shallow_value(value):
    """A cached result handed out as new frame objects over the same data (copy-on-write keeps it safe)."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_shallow_value(v) for v in value)
    if isinstance(value, dict):
        return {k: _shallow_value(v) for k, v in value.items()}
    return value


def metrics_of(province: str, year: int, quarter: int) -> pd.DataFrame:
    """The metrics frame of a province-year s.d. TW `quarter`, the same cached one the pages read, for
    callers outside a page run (the open-data API has no sidebar)."""
    return _metrics(data_version(), province, year, quarter).copy(deep=False)
