"""Settings read from the environment, then `.streamlit/secrets.toml` ([kesbang] table), then defaults.

Kept in `kesbang` (not st.secrets) so the CLI, tests and the app read the same values.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"

DEFAULTS = {
    "database_url": "",                # empty -> SQLite file in data_dir
    "data_dir": str(ROOT / "data"),
    "seed_sample": "1",                # seed an empty store from sample_data/ on first start
    "public_read": "1",                # anonymous visitors may read (turn off for deployments)
    "negative_rule": "lkjip",          # lkjip: (2T-R)/T floored at 0 | ratio: T/R
    "category_scale": "91,76,66,51",   # lower bounds of ST, T, S, R (SR below the last)
    "geojson_path": "",                # optional boundary GeoJSON for the choropleth map
    "session_timeout_min": "30",      # idle minutes before a sign-in ends (slides with activity)
    "session_max_hours": "12",        # a sign-in ends this many hours after it began, however active
    "max_upload_mb": "10",             # the loader refuses bigger files (upload page, CLI, any caller)
    "login_max_failures": "5",         # wrong passwords for one user name within login_window_min ...
    "login_window_min": "15",          # ... after which sign-in is refused for that name until it passes
}


@cache
def _secrets() -> dict:
    path = Path(os.environ.get("KESBANG_SECRETS", ROOT / ".streamlit" / "secrets.toml"))
    try:
        with open(path, "rb") as fh:
            return dict(tomllib.load(fh).get("kesbang", {}))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def get(name: str) -> str:
    env = os.environ.get(f"KESBANG_{name.upper()}")
    if env is not None:
        return env
    if name in _secrets():
        return str(_secrets()[name])
    return DEFAULTS[name]


def flag(name: str) -> bool:
    return get(name).strip().lower() in {"1", "true", "yes", "on", "ya"}


def database_url() -> str:
    url = get("database_url")
    if url:
        return url
    data_dir = Path(get("data_dir"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'kesbang.sqlite3'}"
