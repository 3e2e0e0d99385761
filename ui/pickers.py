"""Pickers several pages share, so the same choice reads and binds the same way everywhere."""

from __future__ import annotations

import pandas as pd

from kesbang.analysis import regional
from ui import url
from ui.state import T


def indicator_labels(choices: pd.DataFrame) -> dict[str, str]:
    """Indicator code → "code · name (unit)", the way every indicator picker shows an indicator."""
    return {r.kode_indikator: f"{r.kode_indikator} · {r.indikator} ({r.satuan})" for r in choices.itertuples()}


def indicator_picker(choices: pd.DataFrame, label_key: str) -> str | None:
    """Select one comparable indicator (`regional.indicator_choices`), shown as "code · name (unit)",
    starting at the link's or the most telling one. In the URL by its code under one parameter
    (`?indikator=…`, `ui.url`), so the comparison and indicator pages open on the same indicator. None
    when there is nothing to pick."""
    labels = indicator_labels(choices)
    return url.selectbox(T(label_key), list(labels), param="indikator", labels=labels,
                         index=regional.most_telling(choices))
