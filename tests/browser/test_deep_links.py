"""Shared links, in a real chromium: every page's own URL opens that page with the link's filters.

A Bappeda reviewer shares links such as /ringkasan?provinsi=…; the first page of the navigation is also
the app's default page (served at `/`), and Streamlit answers a default page's own name with "page not
found" unless the router gives it a URL of its own.
"""

from __future__ import annotations

import pytest

from kesbang import i18n
from tests.browser.conftest import navigation_pages, shot, wait_idle

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api",
                    reason="playwright for Python is not installed, so chromium cannot be driven")

# Not the sidebar's defaults (Kalimantan Tengah, latest year, latest quarter), so a dropped filter shows.
FILTERS = "provinsi=Kalimantan+Timur&tahun=2025&tw=TW+II"
FILTERS_CAPTION = i18n.t("ui.filters_caption", "id", province="Kalimantan Timur", year=2025, period="TW II")
FIRST_SLUG = navigation_pages()[0][1]


NOT_FOUND = ["Page not found"] + [i18n.t("widget.page_not_found", lang) for lang in i18n.LANGUAGES]


def _page_not_found(page) -> bool:
    """Streamlit's 'Page not found' notice is up (in its English or, translated, in ours)."""
    return any(title in text for text in page.get_by_role("dialog").all_inner_texts() for title in NOT_FOUND)


def _active_nav_link(page) -> str:
    """The navigation item marked as the current page: its link's last path segment."""
    href = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').get_attribute("href")
    return href.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def test_shared_link_to_the_first_page_opens_it_with_its_filters(page, app_url):
    assert FIRST_SLUG == "ringkasan"
    page.goto(f"{app_url}/ringkasan?{FILTERS}")
    wait_idle(page)
    shot(page, "deep-link-ringkasan")
    assert not _page_not_found(page), "/ringkasan shows Streamlit's 'Page not found'"
    main = page.locator('[data-testid="stMainBlockContainer"]')
    assert page.locator("h1").first.inner_text().strip() == i18n.t("ringkasan.title", "id")
    assert FILTERS_CAPTION in main.inner_text()
    assert _active_nav_link(page) == "ringkasan"
    assert page.url.endswith(f"/ringkasan?{FILTERS}")  # the link still says what it showed


def test_root_url_still_opens_the_first_page_with_its_filters(page, app_url):
    page.goto(f"{app_url}/?{FILTERS}&lang=English")
    wait_idle(page)
    assert not _page_not_found(page)
    assert page.locator("h1").first.inner_text().strip() == i18n.t("ringkasan.title", "en")
    assert i18n.t("ui.filters_caption", "en", province="Kalimantan Timur", year=2025, period="TW II") in (
        page.locator('[data-testid="stMainBlockContainer"]').inner_text())
    assert page.url.endswith(f"/?{FILTERS}&lang=English")


def test_every_page_of_the_navigation_is_reachable_by_its_own_name(page, app_url):
    """One session, every slug: the active navigation item is that page and no 'page not found' shows."""
    missing = []
    for _path, slug in navigation_pages():
        page.goto(f"{app_url}/{slug}?{FILTERS}")
        wait_idle(page)
        if _page_not_found(page) or _active_nav_link(page) != slug:
            missing.append(slug)
    assert missing == []


def test_link_to_no_page_says_so_in_the_ui_language(page, app_url):
    page.goto(f"{app_url}/tidak-ada?{FILTERS}")
    wait_idle(page)
    dialog = page.get_by_role("dialog")
    page.wait_for_function("text => document.querySelector('[role=dialog]')?.innerText.includes(text)",
                           arg=i18n.t("widget.page_not_found_detail", "id"))
    text = dialog.inner_text()
    assert i18n.t("widget.page_not_found", "id") in text
    assert "Page not found" not in text and "does not seem to exist" not in text
    shot(page, "deep-link-unknown-id")
