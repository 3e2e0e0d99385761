"""Language, filters and text lookup for the current session.

Filters are bound to the URL's query parameters so a reviewer can share exactly what they see.
"""

from __future__ import annotations

import streamlit as st

from kesbang import i18n


def lang() -> str:
    value = st.session_state.get("lang") or st.query_params.get("lang") or i18n.DEFAULT_LANGUAGE
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def T(key: str, **params) -> str:  # noqa: N802 - short name used on every line of every page
    """Text for `key` in the session's language."""
    return i18n.t(key, lang(), **params)
