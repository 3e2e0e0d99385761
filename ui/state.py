"""Language and text lookup for the current session.

The language widget lives in the router's sidebar (`ui.filters.language_picker`) under the key `lang`,
its code always in the URL (`ui.url`); before it first renders, the URL (`?lang=en`) decides.
"""

from __future__ import annotations

import streamlit as st

from kesbang import i18n

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def lang() -> str:
    value = st.session_state.get("lang") or st.query_params.get("lang") or i18n.DEFAULT_LANGUAGE
    if value not in i18n.LANGUAGES:
        # links from before codes were written carry the language's name (`lang=English`)
        value = next((code for code, name in LANGUAGE_NAMES.items() if name == value), i18n.DEFAULT_LANGUAGE)
    return value


def T(key: str, **params) -> str:  # noqa: N802 - short name used on every line of every page
    """Text for `key` in the session's language."""
    return i18n.t(key, lang(), **params)
