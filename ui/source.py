"""The process's Store and everything in it, cached per data version: the whole Dataset, the years and
periods the sidebar offers, and whether the shown data are the synthetic sample.

`Store.data_version()` changes whenever anything is written (by this process or another one sharing the
database), so the cached Dataset is keyed on it. `ui.data` filters and computes on top of this; the
sidebar (`ui.filters`) reads its choices from here.
"""

from __future__ import annotations

import dataclasses
import hashlib

import streamlit as st

from kesbang import schema, settings
from kesbang.dataset import Dataset


@st.cache_resource(show_spinner=False)
def store():
    """The one Store of this process (an empty one is seeded in the background: `ui.first_start`)."""
    from kesbang.store import open_store  # the store package is the only place that talks to the database

    return open_store()


def data_version() -> str:
    return str(store().data_version())


@st.cache_resource(show_spinner=False, max_entries=2)
def dataset_at(version: str) -> Dataset:
    return store().dataset()


def shallow(ds: Dataset) -> Dataset:
    """The cached Dataset's frames as new frame objects over the same data (copy-on-write keeps it safe)."""
    return Dataset(*(getattr(ds, f.name).copy(deep=False) for f in dataclasses.fields(Dataset)))


def full_dataset() -> Dataset:
    """Everything in the store (latest version of every region-year), all provinces and years."""
    return shallow(dataset_at(data_version()))


def years(province: str) -> list[int]:
    """Years with at least one submission in the province, newest first."""
    subs = full_dataset().submissions
    subs = subs[subs["province"] == province]
    return sorted({int(y) for y in subs["year"].dropna()}, reverse=True)


def latest_quarter(province: str, year: int) -> int:
    """The furthest reporting period submitted for the province-year (TW IV when nothing is in)."""
    subs = full_dataset().submissions
    subs = subs[(subs["province"] == province) & (subs["year"] == year)]
    quarters = [schema.PERIOD_QUARTERS.get(p) for p in subs["period"].dropna()]
    quarters = [q for q in quarters if q]
    return max(quarters) if quarters else 4


def provinces_with_data() -> list[str]:
    subs = full_dataset().submissions
    return sorted({str(p) for p in subs["province"].dropna()})


@st.cache_resource(show_spinner=False)
def _sample_hashes() -> frozenset[str]:
    """SHA-256 of every file in sample_data/: a stored version with one of these is synthetic sample data."""
    root = settings.SAMPLE_DIR
    if not root.is_dir():
        return frozenset()
    return frozenset(hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file())


def is_sample(province: str | None = None) -> bool:
    """True when the shown data include synthetic sample submissions (so the UI can say so)."""
    subs = full_dataset().submissions
    if province is not None:
        subs = subs[subs["province"] == province]
    return bool(subs["sha256"].dropna().isin(_sample_hashes()).any())
