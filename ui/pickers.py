"""Pickers several pages share, so the same choice reads and binds the same way everywhere."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kesbang.analysis import regional
from ui.state import T


def indicator_labels(choices: pd.DataFrame) -> dict[str, str]:
    """Indicator code → "code · name (unit)", the way every indicator picker shows an indicator."""
    return {r.kode_indikator: f"{r.kode_indikator} · {r.indikator} ({r.satuan})" for r in choices.itertuples()}


def indicator_picker(choices: pd.DataFrame, label_key: str) -> str | None:
    """Select one comparable indicator (`regional.indicator_choices`), shown as "code · name (unit)",
    starting at the most telling one. Bound to the URL under one key ("indikator"), so the comparison
    and indicator pages open on the same indicator. None when there is nothing to pick."""
    labels = indicator_labels(choices)
    return st.selectbox(
        T(label_key),
        list(labels),
        format_func=labels.get,
        index=regional.most_telling(choices),
        key="indikator",
        bind="query-params",
    )
