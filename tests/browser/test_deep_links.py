"""Shared links, in a real chromium: every page's own URL opens that page with the link's filters.

A Bappeda reviewer shares links such as /ringkasan?provinsi=64&tahun=2025&tw=2; the first page of the
navigation is also the app's default page (served at `/`), and Streamlit answers a default page's own name
with "page not found" unless the router gives it a URL of its own. The filters are in the URL as codes on
every run, so a link copied at any moment opens the same numbers (issue 23); old links with names still open.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from kesbang import i18n
from tests.browser.conftest import PAGE_TIMEOUT_MS, exception_text, navigation_pages, shot, wait_idle

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api",
                    reason="playwright for Python is not installed, so chromium cannot be driven")

# Not the sidebar's defaults (Kalimantan Tengah, latest year, latest quarter), so a dropped filter shows.
FILTERS = "provinsi=64&tahun=2025&tw=2"
OLD_FILTERS = "provinsi=Kalimantan+Timur&tahun=2025&tw=TW+II"  # as links carried them before codes
FILTERS_CAPTION = i18n.t("ui.filters_caption", "id", province="Kalimantan Timur", year=2025, period="TW II")
FIRST_SLUG = navigation_pages()[0][1]


NOT_FOUND = ["Page not found"] + [i18n.t("widget.page_not_found", lang) for lang in i18n.LANGUAGES]


def _page_not_found(page) -> bool:
    """Streamlit's 'Page not found' notice is up (in its English or, translated, in ours)."""
    return any(title in text for text in page.get_by_role("dialog").all_inner_texts() for title in NOT_FOUND)


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


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
    # the link still says what it showed, and now the language too
    assert urlsplit(page.url).path.endswith("/ringkasan")
    assert _params(page.url) == {"provinsi": ["64"], "tahun": ["2025"], "tw": ["2"], "lang": ["id"]}


def test_root_url_opens_an_old_link_by_names_and_rewrites_it_as_codes(page, app_url):
    page.goto(f"{app_url}/?{OLD_FILTERS}&lang=English")
    wait_idle(page)
    assert not _page_not_found(page)
    assert page.locator("h1").first.inner_text().strip() == i18n.t("ringkasan.title", "en")
    assert i18n.t("ui.filters_caption", "en", province="Kalimantan Timur", year=2025, period="TW II") in (
        page.locator('[data-testid="stMainBlockContainer"]').inner_text())
    page.wait_for_function("() => new URLSearchParams(location.search).get('provinsi') === '64'")
    assert urlsplit(page.url).path == "/"
    assert _params(page.url) == {"provinsi": ["64"], "tahun": ["2025"], "tw": ["2"], "lang": ["en"]}


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


# Every chart's plotted numbers (x, y, z of each trace), as the browser holds them.
CHART_NUMBERS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => (gd.data || []).map(
    tr => ['x', 'y', 'z'].map(axis => tr[axis] == null ? null : Array.from(tr[axis], v => Array.isArray(v)
        ? v.map(String) : String(v)))))"""


def _choose(page, key: str, option: str) -> None:
    """Pick a sidebar filter's option as a user does: open the select box, click the option."""
    box = page.locator(f'[data-testid="stSidebar"] .st-key-{key}').get_by_role("combobox")
    box.click()
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_idle(page)


def _view(page) -> dict:
    """What the reader sees that the filters decide: the period caption, the scorecards and the charts' numbers."""
    main = page.locator('[data-testid="stMainBlockContainer"]')
    page.wait_for_function("n => document.querySelectorAll('.js-plotly-plot').length >= n", arg=3,
                           timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(500)  # charts below the first are laid out a moment later
    captions = main.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    scores = main.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {"caption": [c for c in captions if " · s.d. " in c], "scores": scores,
            "charts": json.dumps(page.evaluate(CHART_NUMBERS))}


@pytest.mark.parametrize("slug", ["bandingkan", "ringkasan"])
def test_a_copied_link_shows_the_same_period_and_numbers_in_a_new_browser(page, browser, app_url, slug):
    """Issue 23: Kalimantan Timur, 2025, TW III chosen by hand; the copied link opened elsewhere showed
    "s.d. TW IV" (the period was left out of the link whenever it matched the default) and other numbers."""
    page.goto(f"{app_url}/{slug}")
    wait_idle(page)
    _choose(page, "provinsi", "Kalimantan Timur")
    _choose(page, "tahun", "2025")
    _choose(page, "tw", "TW III")
    caption = i18n.t("ui.filters_caption", "id", province="Kalimantan Timur", year=2025, period="TW III")
    page.get_by_text(caption).wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('tw') === '3'")
    link = page.url
    assert {k: v for k, v in _params(link).items() if k in ("provinsi", "tahun", "tw", "lang")} == {
        "provinsi": ["64"], "tahun": ["2025"], "tw": ["3"], "lang": ["id"]}
    if slug == "bandingkan":  # the page's own choices ride along as codes
        assert {"indikator", "banding", "keluaran"} <= set(_params(link))
        assert all(code.startswith("64.") for code in _params(link)["banding"])
    seen = _view(page)
    assert seen["caption"] == [caption]
    assert seen["charts"] != "[]"
    assert slug != "ringkasan" or seen["scores"]

    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="id-ID")
    try:
        other = context.new_page()
        other.set_default_timeout(PAGE_TIMEOUT_MS)
        other.goto(link)
        wait_idle(other)
        assert not exception_text(other)
        assert _view(other) == seen
        other.reload()
        wait_idle(other)
        assert _view(other) == seen
        assert _params(other.url) == _params(link)
        shot(other, f"deep-link-copied-{slug}")
    finally:
        context.close()
