"""Kesbang dashboard domain package: formats, loading, metrics, storage, analyses. No Streamlit here."""

__version__ = "0.1.0"
