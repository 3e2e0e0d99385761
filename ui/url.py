"""Filters held in the URL: select widgets whose choice is always in the query string, as codes.

A link copied at any moment reproduces the view: every run writes each drawn filter's code
(`?provinsi=62&tahun=2025&tw=3&lang=id`), not only once the user has changed it, and a new session
starts from the link's codes. Old links that carried display names (`provinsi=Kalimantan+Timur`,
`tw=TW+III`, `lang=English`) still parse; a value that matches no option falls back to the default.

The router calls `start_run()` first and `drop_stale()` last, so the parameter of a widget this page
did not draw (another page's regency) leaves the URL: a link carries this page's filters and the
sidebar's. (Streamlit's own `bind="query-params"` writes display names and only values that differ
from the default, so a link lost the reporting period whenever it was the default: issue 23.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

_NOW = "_url_written_now"  # parameters written in this run
_EVER = "_url_written_ever"  # parameters any filter has written in this session

Labels = Mapping[Any, str] | Callable[[Any], str] | None
_MISSING = object()  # no option matches (None is an option: "whole province")


def start_run() -> None:
    """Begin a run of the router: nothing written yet."""
    st.session_state[_NOW] = set()


def drop_stale() -> None:
    """Remove the filter parameters this session wrote before but this run did not (widgets of another
    page). A parameter no filter has written yet stays: a link to one page may carry the next page's.

    Skipped when the run is being cut short for a rerun: its later widgets never ran, and their
    parameters must survive into the run that replaces it."""
    if isinstance(sys.exc_info()[1], RerunException):
        return
    now = st.session_state.get(_NOW, set())
    stale = st.session_state.get(_EVER, set()) - now
    for name in sorted(stale):
        if name in st.query_params:
            del st.query_params[name]


def _label_func(labels: Labels) -> Callable[[Any], str]:
    if labels is None:
        return str
    if callable(labels):
        return labels
    return lambda option: labels.get(option, str(option))


def code(option) -> str:
    """An option as the URL writes it: its code; "" for the option None ("whole province", "all")."""
    return "" if option is None else str(option)


def _match(raw: str, options: Sequence, label: Callable[[Any], str]):
    """The option whose code (or, from an old link, whose display name) is `raw`; `missing` when none is."""
    raw = raw.strip()
    for option in options:
        if code(option) == raw:
            return option
    folded = raw.casefold()
    for option in options:
        if str(label(option)).strip().casefold() == folded:
            return option
    return _MISSING


def _from_url(param: str, aliases: Iterable[str]) -> list[str] | None:
    """The link's values for `param` (or for an older name of it); None when the link has none."""
    for name in (param, *aliases):
        if name in st.query_params:
            return st.query_params.get_all(name)
    return None


def _write(param: str, codes: list[str], aliases: Iterable[str]) -> None:
    """Put the codes in the URL (only when they differ: each write is a message to the browser), in
    place of any older name of the parameter."""
    for name in aliases:
        if name in st.query_params:
            del st.query_params[name]
    values = codes or [""]  # `?wilayah=` says "none chosen", which differs from "default"
    if st.query_params.get_all(param) != values:
        st.query_params[param] = values if len(values) > 1 else values[0]
    st.session_state.setdefault(_NOW, set()).add(param)
    st.session_state.setdefault(_EVER, set()).add(param)


def selectbox(label: str, options: Sequence, *, param: str, labels: Labels = None, index: int = 0,
              key: str | None = None, aliases: Iterable[str] = (), where=None, **kwargs):
    """`st.selectbox` over option codes, shown through `labels` (a mapping or a function), starting at the
    link's choice (else at `index`), its code written into the URL as `param` on every run (`?param=` for
    an option None such as "whole province"). The widget key is `param` unless given. Returns the chosen
    option (None when there are no options)."""
    show = _label_func(labels)
    options = list(options)
    raw = _from_url(param, aliases)
    found = _match(raw[-1], options, show) if raw else _MISSING
    start = index if found is _MISSING else options.index(found)
    value = (where or st).selectbox(label, options, index=start if options else None, format_func=show,
                                    key=key or param, **kwargs)
    if options:  # nothing to choose: nothing in the link
        _write(param, [code(value)], aliases)
    return value


def multiselect(label: str, options: Sequence, *, param: str, labels: Labels = None, default: Sequence = (),
                key: str | None = None, aliases: Iterable[str] = (), where=None, max_selections: int | None = None,
                **kwargs) -> list:
    """`st.multiselect` over option codes, like `selectbox`: the link's choices (the parameter repeated,
    `?wilayah=62.01&wilayah=62.71`; `?wilayah=` for none) else `default`, written back on every run.
    Values matching no option are left out; a link with none valid starts at `default`."""
    show = _label_func(labels)
    options = list(options)
    raw = _from_url(param, aliases)
    start = list(default)
    if raw is not None:
        found = [o for o in (_match(r, options, show) for r in raw if r.strip()) if o is not _MISSING]
        found = list(dict.fromkeys(found))[:max_selections]
        if found or all(not r.strip() for r in raw):
            start = found
    key = key or param
    held = st.session_state.get(key)
    stale = bool(held) and not any(h in options for h in held)
    if stale:  # chosen among another province's regions: start again, not at an empty choice
        st.session_state[key] = start
    chosen = (where or st).multiselect(label, options, default=None if stale else start, format_func=show,
                                       key=key, max_selections=max_selections, **kwargs)
    _write(param, [code(c) for c in chosen], aliases)
    return chosen


def segmented_control(label: str, options: Sequence, *, param: str, labels: Labels = None, default=None,
                      key: str | None = None, where=None, **kwargs):
    """`st.segmented_control` (one choice) like `selectbox`: the link's choice else `default`, its code
    written on every run; nothing chosen (the viewer clicked the choice off) leaves the parameter out."""
    show = _label_func(labels)
    options = list(options)
    raw = _from_url(param, ())
    found = _match(raw[-1], options, show) if raw else _MISSING
    value = (where or st).segmented_control(label, options, default=default if found is _MISSING else found,
                                            format_func=show, key=key or param, **kwargs)
    if value is not None:
        _write(param, [code(value)], ())
    return value
