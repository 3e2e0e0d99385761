"""The router's body: page set-up, the first start's progress, the sidebar (language, province, year,
period) and the navigation over the pages `dashboard.py` lists, each run inside an error boundary."""

import logging
from pathlib import Path

import streamlit as st

# A local icon: an emoji or :material: page icon makes every browser fetch it from a font CDN.
ICON = Path(__file__).parent / "assets" / "favicon.png"
log = logging.getLogger("kesbang.ui")


def route(pages: dict) -> None:
    """One run of the app: `pages` maps a section's catalogue key to (page file, url slug, icon) tuples."""
    from ui import first_start

    st.set_page_config(page_title="Kesbangpol", page_icon=str(ICON), layout="wide")
    # A new process's first runs show the store opening (and a fresh install's sample being stored) before
    # the imports below load pandas, plotly and the store: a visitor never looks at a blank page.
    first_start.wait_for_sample()

    from ui import auth, builtin_text, filters, layout
    from ui.state import T

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
        st.error(T("app.error_generic"), icon=":material/error:")
