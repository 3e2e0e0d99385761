"""Running pages in AppTest the way a server runs them: through the router (dashboard.py).

Shared by the security tests, which must see every page behind the router's error boundary and
reading gate, not the page file alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def route_through_router(monkeypatch) -> None:
    """Keep AppTest on the router after `switch_page`.

    AppTest resets Streamlit's old-style `pages/` flag before every run, so after `switch_page` it would run
    the page file alone: no router, no error boundary, no reading gate. A server turns the flag off for
    good on its first run (st.navigation; ui/__init__ for deep links): do the same here."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class RouterPages(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", RouterPages)


def dashboard_pages() -> list[tuple[str, str, str]]:
    """(page file, url slug, icon) for every page the router lists (dashboard.PAGES), in order, read
    from the source without running the app."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets):
            return [tuple(page) for pages in ast.literal_eval(node.value).values() for page in pages]
    raise AssertionError("dashboard.PAGES not found")


def router_pages() -> list[str]:
    """Every page file the router lists."""
    return [path for path, _slug, _icon in dashboard_pages()]
