"""Page layout the widgets cannot set themselves: columns holding a chart or a scorecard wrap onto rows
of their own when they would be too narrow to read.

Streamlit keeps columns side by side until the window is 640 px wide, so on a tablet, or a small
laptop with the sidebar open, two charts beside each other got 180 px each and five scorecards in a
row showed "W…" and "1…" for "Wilayah melapor" and "14 / 14". A column holding a chart now keeps at
least a phone's width, one holding a scorecard room for its label and number, and the row wraps.
"""

from __future__ import annotations

import streamlit as st

CHART_COLUMN_PX = 340
SCORECARD_COLUMN_PX = 170


def _column_rule(inner: str, px: int) -> str:
    return (f'[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] {inner}){{flex-wrap:wrap}}'
            f'[data-testid="stColumn"]:has({inner}){{min-width:min(100%,{px}px)}}')


CSS = (_column_rule('[data-testid="stPlotlyChart"]', CHART_COLUMN_PX)
       + _column_rule('[data-testid="stMetric"]', SCORECARD_COLUMN_PX))


def apply() -> None:
    st.html(f"<style>{CSS}</style>")  # style only: no space taken in the page
