"""Streamlit edge: session state, cached reads, shared widgets. Pages import from here; kesbang never does."""
