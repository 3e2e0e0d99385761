"""Process counters behind `/metrics` (Prometheus text format): API requests, uploads, page errors, sessions.

Each counter lives in this process only and starts at 0 when it starts (Prometheus expects exactly that
of a `_total` counter and handles the reset); with several app processes, scrape each one. Label values
come from small fixed sets (route templates, outcomes, page slugs), never from what a caller typed.
"""

from __future__ import annotations

import threading
from collections import Counter

FAMILIES = {
    "kesbang_api_requests_total": "Requests to the open-data API and the operations routes, by route and status.",
    "kesbang_uploads_total": "Workbook uploads on the upload page, by outcome (stored, duplicate, refused, failed, "
                             "invalid, too_big).",
    "kesbang_page_errors_total": "Page runs that failed and showed the generic error notice, by page.",
}
ACTIVE_SESSIONS = "kesbang_active_sessions"

_lock = threading.Lock()
_counts: Counter[tuple[str, tuple[tuple[str, str], ...]]] = Counter()


def count(family: str, **labels: str) -> None:
    """Add one to `family` (a key of FAMILIES) with these labels."""
    if family not in FAMILIES:
        raise KeyError(family)
    key = (family, tuple(sorted((k, str(v)) for k, v in labels.items())))
    with _lock:
        _counts[key] += 1


def value(family: str, **labels: str) -> int:
    key = (family, tuple(sorted((k, str(v)) for k, v in labels.items())))
    with _lock:
        return _counts[key]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name: str, labels: tuple[tuple[str, str], ...], number: float) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
    return f"{name}{{{inner}}} {number:g}" if inner else f"{name} {number:g}"


def active_sessions() -> int | None:
    """Browser sessions connected to this process (Streamlit's own gauge); None outside a server."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.stats import ACTIVE_SESSIONS_FAMILY

    if not Runtime.exists():
        return None
    stats = Runtime.instance().stats_mgr.get_stats([ACTIVE_SESSIONS_FAMILY]).get(ACTIVE_SESSIONS_FAMILY, [])
    return int(sum(s.value for s in stats))


def render() -> str:
    """Every family in the Prometheus text exposition format (version 0.0.4)."""
    with _lock:
        snapshot = sorted(_counts.items())
    lines = []
    for family, help_text in FAMILIES.items():
        lines += [f"# HELP {family} {help_text}", f"# TYPE {family} counter"]
        lines += [_sample(family, labels, n) for (name, labels), n in snapshot if name == family]
    sessions = active_sessions()
    if sessions is not None:
        lines += [f"# HELP {ACTIVE_SESSIONS} Browser sessions connected to this app process.",
                  f"# TYPE {ACTIVE_SESSIONS} gauge", _sample(ACTIVE_SESSIONS, (), sessions)]
    return "\n".join(lines) + "\n"
