"""Every page of the navigation, in a real chromium: no exception box, its main chart drawn, a screenshot.

The app runs with the deployment's own `.streamlit/config.toml` (tracebacks hidden from viewers), so an
uncaught error shows as Streamlit's generic exception box, which is what these tests look for.
"""

from __future__ import annotations

import re

import pytest

from kesbang import i18n
from tests.browser.conftest import NO_CHART_PAGES, exception_text, navigation_pages, shot, wait_idle

pytestmark = pytest.mark.browser
PlaywrightTimeout = pytest.importorskip(
    "playwright.sync_api", reason="playwright for Python is not installed, so chromium cannot be driven",
).TimeoutError

PAGES = navigation_pages()
CHART_TIMEOUT_MS = 20_000


@pytest.mark.parametrize(("path", "slug"), PAGES, ids=[slug for _path, slug in PAGES])
def test_page_renders_in_indonesian_with_its_chart(page, app_url, path, slug):
    page.goto(f"{app_url}/{slug}")
    wait_idle(page)
    if slug not in NO_CHART_PAGES:
        try:  # the script has finished: the chart is drawn within moments or not at all
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=CHART_TIMEOUT_MS)
        except PlaywrightTimeout:
            pass
    shot(page, f"{slug}-id")
    assert exception_text(page) == "", f"{path} shows an exception box"
    if slug not in NO_CHART_PAGES:
        assert page.locator(".js-plotly-plot").count() >= 1, f"{path} draws no chart"
    # The navigation is in Indonesian by default.
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert i18n.t("nav.ringkasan", "id") in nav.inner_text()


def _choose_language(page, pattern: re.Pattern) -> None:
    """Pick a language in the sidebar's language switch (a selectbox keyed "lang")."""
    switch = page.locator('[data-testid="stSidebar"] .st-key-lang').first
    # wait for the widget itself, not just its container: under load the container renders first
    combobox = switch.get_by_role("combobox")  # Streamlit 1.67 draws selectboxes as an ARIA combobox
    combobox.wait_for(state="visible")
    combobox.click()
    page.get_by_role("option", name=pattern).first.click()
    wait_idle(page)


def test_switch_language_to_english_and_back(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert i18n.t("nav.ringkasan", "id") in nav.inner_text()

    _choose_language(page, re.compile(r"english|^en$", re.I))
    page.wait_for_function(
        "text => document.querySelector('[data-testid=\"stSidebarNav\"]')?.innerText.includes(text)",
        arg=i18n.t("nav.ringkasan", "en"))
    nav_text = nav.inner_text()
    assert i18n.t("nav.bandingkan", "en") in nav_text
    assert i18n.t("nav.bandingkan", "id") not in nav_text
    assert exception_text(page) == ""
    shot(page, "language-en")

    _choose_language(page, re.compile(r"indonesia|^id$", re.I))
    page.wait_for_function(
        "text => document.querySelector('[data-testid=\"stSidebarNav\"]')?.innerText.includes(text)",
        arg=i18n.t("nav.bandingkan", "id"))
    assert exception_text(page) == ""


def test_first_visit_to_a_deep_link_goes_through_the_router(browser, tmp_path, chromium_path):
    """Right after a (re)start, a bookmarked /paskibraka shows that page with the router's sidebar.

    (Streamlit would otherwise run the page file alone, as an old-style `pages/` app: no navigation
    sections, no filters, no login, or a "page not found" dialog.)
    """
    from tests.browser.conftest import running_app

    with running_app(tmp_path, "streamlit-deep-link.log") as fresh:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{fresh.url}/paskibraka")
        wait_idle(page)
        page.get_by_role("heading", name=i18n.t("paskibraka.title", "id")).wait_for()
        assert page.locator('[role="dialog"]').count() == 0
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert i18n.t("nav.section_programs", "id") in nav and i18n.t("nav.ringkasan", "id") in nav
        assert page.locator(".st-key-lang").count() == 1  # the router's sidebar (language switch) is there
        assert exception_text(page) == ""
        context.close()
