"""The opening every data page shares: header, the run's filters, and the empty-state stops.

One place for it, so every data page says "no data yet" the same way and stops before it draws a chart
from an empty frame (the preamble was copied into nine pages).
"""

from __future__ import annotations

import streamlit as st

from kesbang.dataset import Dataset
from ui import data, source
from ui.filters import Filters, current
from ui.widgets import empty_state, page_header


def open_data_page(title_key: str, caption_key: str | None = None) -> Filters:
    """Draw the page header and return the filters; stop the run with the "store is empty" notice when
    nothing has been uploaded yet."""
    page_header(title_key, caption_key)
    f = current()
    if source.full_dataset().is_empty:
        empty_state("store")
        st.stop()
    return f


def year_dataset() -> Dataset:
    """The filtered dataset of the chosen province and year; stop the run with the "no data this year"
    notice when it is empty."""
    ds = data.dataset()
    if ds.is_empty:
        empty_state("year")
        st.stop()
    return ds
