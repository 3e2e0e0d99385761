"""The page-load benchmark's yardstick: a bare Streamlit page drawing one plotly chart.

`kesbang.devtools.page_load` serves this file with its own `streamlit run` (from a folder without pages/)
and compares every dashboard page's full load with it; nothing imports it.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Bare")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
