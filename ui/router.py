"""The router's run: the sidebar (language, province, year, period) and the navigation over every page file.

`dashboard.py` lists the pages and calls `route(PAGES)` on every script run; under `streamlit run` the
same file also declares the `st.App` that serves the API routes beside it (see dashboard.py).
"""

import logging
from pathlib import Path

import streamlit as st

from ui import first_start

# A local icon: an emoji or :material: page icon makes every browser fetch it from a font CDN.
ICON = Path(__file__).parent / "assets" / "favicon.png"
log = logging.getLogger("kesbang.ui")


def route(pages: dict[str, list[tuple[str, str, str]]]) -> None:
    """Draw the sidebar and run the chosen page of `pages` ({section key: [(path, url slug, icon)]})
    inside the page error boundary."""
    st.set_page_config(page_title="Kesbangpol", page_icon=str(ICON), layout="wide")
    # A new process's first runs show the store opening (and a fresh install's sample being stored) before
    # the imports below load pandas, plotly and the store: a visitor never looks at a blank page.
    first_start.wait_for_sample()

    from ui import auth, builtin_text, counters, filters, layout, url  # after the first start's progress
    from ui.state import T

    url.start_run()  # the filters this run writes into the URL (the others are dropped at its end)
    # Language is read first (every label after it, navigation included, uses it) but shown below the filters.
    filter_box, language_box, last_box = st.sidebar.container(), st.sidebar.container(), st.sidebar.container()
    filters.language_picker(language_box)
    builtin_text.apply(last_box)  # Streamlit's own widget texts in that language too (its script: out of sight)
    layout.apply()
    visible = auth.visible_pages(pages)  # reading closed: only the sign-in page
    sections = {
        T(section): [st.Page(path, title=T(f"nav.{slug}"), icon=icon, url_path=slug) for path, slug, icon in entries]
        for section, entries in visible.items()
    }
    # Streamlit serves its default page at `/` only: were Ringkasan the default, a shared /ringkasan?provinsi=…
    # would show "page not found". So every listed page keeps its own URL, and the default is the first page's
    # script once more, hidden, at `/`: no redirect, so a link's filters stay exactly as they are. (Listed
    # last, so st.page_link to that script still finds the visible page first.)
    path, slug, icon = next(iter(visible.values()))[0]
    list(sections.values())[-1].append(
        st.Page(path, title=T(f"nav.{slug}"), icon=icon, url_path=f"{slug}-awal", default=True, visibility="hidden"))
    nav = st.navigation(sections, expanded=True)  # every page in view: operators must find Unggah without hunting
    try:
        filters.sidebar(filter_box)
        language_box.caption(T("app.tagline"))
        nav.run()
    except Exception:
        # The page error boundary: the traceback goes to the server log, the viewer gets a plain notice.
        # (Streamlit's rerun/stop signals derive from BaseException and pass through untouched.)
        log.exception("page %s failed", nav.url_path)
        counters.count("kesbang_page_errors_total", page=nav.url_path or "-")
        st.error(T("app.error_generic"), icon=":material/error:")
    finally:
        url.drop_stale()  # another page's filters leave the URL
