"""Streamlit's own widget texts in the UI language, in a real chromium: the file uploader, the sign-in form's
Enter hint and password toggle, a help icon's name, in Indonesian and, after the switch, in English.

Streamlit draws these in English whatever the app's language; ui/builtin_text.py lays the catalogue's
`[widget]` texts over them. What a viewer sees is read the way the browser draws it: text in elements that
are drawn (font size above 0, not hidden) plus CSS generated content, icons (ligature glyphs) left out.
"""

from __future__ import annotations

import re

import pytest

from kesbang import i18n
from kesbang.store import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, running_app, shot, wait_idle
from tests.browser.test_flows import go

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="playwright for Python is not installed, so chromium cannot be driven")

OPERATOR = "operator.62.01"
TYPES = "XLSX, XLSM, XLS, ODS"  # pages/unggah.py accepts these, at the default 10 MB limit
# Streamlit 1.67's built-in English in these widgets
BUILTIN_ENGLISH = ["Upload", "per file", "Drag and drop", "Press Enter", "Browse files"]

DRAWN_TEXT_JS = """root => {
  const out = [];
  const generated = (el, which) => {
    const c = getComputedStyle(el, which).content;
    if (c && c !== 'none' && c !== 'normal' && c.startsWith('"')) out.push(c.slice(1, -1));
  };
  const walk = el => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || el.dataset.testid === 'stIconMaterial') return;
    generated(el, '::before');
    for (const node of el.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE) walk(node);
      else if (node.nodeType === Node.TEXT_NODE && parseFloat(cs.fontSize) > 0 && node.textContent.trim())
        out.push(node.textContent.trim());
    }
    generated(el, '::after');
  };
  walk(root);
  return out.join(' ');
}"""


def drawn(locator) -> str:
    """The text the browser draws inside `locator` (CSS generated content included)."""
    return locator.evaluate(DRAWN_TEXT_JS)


def wait_drawn(page, selector: str, text: str) -> None:
    page.wait_for_function(f"([sel, text]) => [...document.querySelectorAll(sel)]"
                           f"  .some(el => ({DRAWN_TEXT_JS})(el).includes(text))", arg=[selector, text])


def wait_attribute(locator, name: str, value: str) -> None:
    locator.page.wait_for_function("([el, name, value]) => el.getAttribute(name) === value",
                                   arg=[locator.element_handle(), name, value])


def english_left(text: str) -> list[str]:
    return [word for word in BUILTIN_ENGLISH if word in text]


def choose_language(page, name: str) -> None:
    combobox = page.locator('[data-testid="stSidebar"] .st-key-lang').get_by_role("combobox")
    combobox.wait_for(state="visible")
    combobox.click()
    page.get_by_role("option", name=re.compile(name, re.I)).first.click()
    wait_idle(page)


def test_sign_in_form_hints_and_password_toggle_are_indonesian(page, app_url):
    def t(key: str) -> str:
        return i18n.t(key, "id")

    page.goto(f"{app_url}/masuk")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]')
    toggle = form.locator('[data-testid="stTextInputRootElement"] button[aria-pressed]')
    wait_attribute(toggle, "aria-label", t("widget.show_password"))
    form.get_by_label(t("auth_ui.username")).fill(OPERATOR)  # the Enter hint shows once a field is edited
    wait_drawn(page, '[data-testid="stForm"]', t("widget.enter_submit"))
    assert english_left(drawn(form)) == []
    toggle.click()
    wait_attribute(toggle, "aria-label", t("widget.hide_password"))
    shot(page, "masuk-widgets-id")


def test_uploader_speaks_indonesian_then_english(page, app_url):
    page.goto(f"{app_url}/masuk")
    wait_idle(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label(i18n.t("auth_ui.username", "id")).fill(OPERATOR)
    form.get_by_label(i18n.t("auth_ui.password", "id")).fill(DEMO_PASSWORD)
    form.get_by_role("button", name=i18n.t("auth_ui.submit", "id")).click()
    page.get_by_text(i18n.t("auth_ui.welcome", "id")).wait_for()
    wait_idle(page)
    go(page, "nav.unggah")

    # the comment box under the history (a text area in a form): its hint, with the character counter kept
    page.locator(".st-key-unggah_reply_text textarea").fill("uji")
    wait_drawn(page, ".st-key-unggah_reply_text", i18n.t("widget.ctrl_enter_submit", "id"))
    hint = drawn(page.locator(".st-key-unggah_reply_text"))
    assert "3/4000" in hint and english_left(hint) == []
    page.locator(".st-key-unggah_reply_text textarea").fill("")

    uploader_sel = ".st-key-unggah_file"
    uploader = page.locator(uploader_sel)
    for language in ("id", "en"):
        if language == "en":
            choose_language(page, r"english")
        limit = i18n.t("widget.upload_limit", language, mb="10", types=TYPES)
        wait_drawn(page, uploader_sel, limit)
        text = drawn(uploader)
        assert i18n.t("widget.upload_button", language) in text
        # what a screen reader announces: the button named in the UI language, the built-in English gone
        uploader.get_by_role("button", name=i18n.t("widget.upload_button", language), exact=True).wait_for()
        assert english_left(uploader.aria_snapshot().replace(i18n.t("widget.upload_limit", language, mb="10",
                                                                    types=TYPES), "")) == []
        assert english_left(text.replace(limit, "").replace(i18n.t("widget.upload_button", language), "")) == []
        help_icon = uploader.locator('[data-testid="stTooltipHoverTarget"] button')
        wait_attribute(help_icon, "aria-label",
                       i18n.t("widget.help_for", language, name=i18n.t("unggah.file", language)))
        shot(page, f"unggah-uploader-{language}")

        # a file dragged over the drop zone: the overlay's invitation
        page.evaluate("""() => {
            const zone = document.querySelector('.st-key-unggah_file [data-testid="stFileUploaderDropzone"]');
            const data = new DataTransfer();
            data.items.add(new File(['x'], 'laporan.xlsx'));
            zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: data, bubbles: true}));
        }""")
        wait_drawn(page, uploader_sel, i18n.t("widget.upload_drop", language))
        assert "Drag and drop" not in drawn(uploader)
        page.evaluate("""() => document.querySelector('.st-key-unggah_file [data-testid="stFileUploaderDropzone"]')
                                 .dispatchEvent(new DragEvent('dragleave', {bubbles: true}))""")


def point_at_toolbar_button(table, label: str):
    """A table toolbar's button, with the pointer on it.

    The toolbar is drawn over the table's top edge only while the pointer is over the table. A chart above
    that is still being drawn can shift the table away from the pointer, and the hidden toolbar then stays
    under the table's scroller (a CI run waited 90 s on it): point at the table again and retry.
    """
    button = table.locator("xpath=..").locator(f'[data-testid="stBaseButton-elementToolbar"][aria-label="{label}"]')
    for attempt in range(6):
        table.scroll_into_view_if_needed()
        table.hover()
        try:
            button.hover(timeout=5_000)
            return button
        except sync_api.TimeoutError:
            if attempt == 5:
                raise
    return button


def test_chart_and_table_toolbars_speak_indonesian_then_english(page, app_url):
    page.goto(f"{app_url}/ringkasan")
    wait_idle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    page.locator(".js-plotly-plot .modebar-btn").first.wait_for(state="attached")
    for language in ("id", "en"):
        if language == "en":
            choose_language(page, r"english")
        png, fullscreen = i18n.t("widget.chart.png", language), i18n.t("widget.fullscreen", language)
        page.wait_for_function(
            "([png, full]) => { const titles = [...document.querySelectorAll('.js-plotly-plot .modebar-btn')]"
            "  .map(b => b.getAttribute('data-title')); return titles.includes(png) && titles.includes(full); }",
            arg=[png, fullscreen])
        titles = page.locator(".js-plotly-plot .modebar-btn").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))")
        assert {"Download plot as a PNG", "Fullscreen"}.isdisjoint(titles) or language == "en"

        # a table's toolbar: the button's name, and the tooltip a viewer sees on hover
        csv = i18n.t("widget.table_csv", language)
        point_at_toolbar_button(table, csv)
        wait_drawn(page, '[data-testid="stTooltipContent"]', csv)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)  # the viewport, where the hover tooltip is drawn
        page.wait_for_timeout(400)  # the tooltip fades in
        page.screenshot(path=str(ARTIFACTS / f"ringkasan-toolbars-{language}.png"))
        page.mouse.move(0, 0)


def test_select_box_with_no_match_says_so_in_indonesian(page, app_url):
    page.goto(f"{app_url}/ringkasan")
    wait_idle(page)
    combobox = page.locator('[data-testid="stSidebar"] .st-key-provinsi').get_by_role("combobox")
    combobox.wait_for(state="visible")
    combobox.click()
    page.keyboard.type("zzz")  # no province is called that
    wait_drawn(page, '[role="listbox"]', i18n.t("widget.no_results", "id"))
    assert "No results" not in drawn(page.locator('[role="listbox"]'))
    page.keyboard.press("Escape")


# Streamlit 1.67's English in a table column's menu, its Format and Statistics submenus
COLUMN_MENU_ENGLISH = ["Sort ascending", "Sort descending", "Statistics", "Autosize", "Pin column", "Hide column"]
FORMAT_ENGLISH = ["Automatic", "Localized", "Plain", "Compact", "Percent", "Scientific", "Accounting"]
# ("Median" and "Minimum" are Indonesian words too)
STATISTICS_ENGLISH = ["Values", "Empty", "Distinct", "Average", "Standard deviation", "Maximum"]


def open_number_column_menu(page, table):
    """Open the menu of the first number column of `table`: the grid draws its header on a canvas, with
    each column's menu button at the right end of its header cell, so the header is clicked along until a
    menu with a Format item (number columns only) opens."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    menu = page.locator('[data-testid="stDataFrameColumnMenu"]')
    for dx in range(10, int(box["width"]), 6):
        page.mouse.click(box["x"] + dx, box["y"] + 15)
        try:
            menu.wait_for(state="visible", timeout=400)
        except Exception:  # noqa: BLE001 - no menu at this point of the header
            continue
        if menu.locator('[role="menuitem"][aria-haspopup="menu"]').count():
            return menu
        page.keyboard.press("Escape")
        menu.wait_for(state="hidden")
    raise AssertionError("no number column's menu opened")


def test_table_column_menu_speaks_indonesian_then_english(page, app_url):
    page.goto(f"{app_url}/ringkasan")
    wait_idle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    for language in ("id", "en"):
        if language == "en":
            choose_language(page, r"english")
            table = page.locator('[data-testid="stDataFrame"]').first
        menu = open_number_column_menu(page, table)
        wait_drawn(page, '[data-testid="stDataFrameColumnMenu"]', i18n.t("widget.table.sort_asc", language))
        items = drawn(menu)
        for key in ("sort_asc", "sort_desc", "statistics", "format", "autosize", "pin", "hide"):
            assert i18n.t(f"widget.table.{key}", language) in items
        assert menu.locator('[role="menu"]').get_attribute("aria-label") == i18n.t("widget.table.column_menu",
                                                                                   language)
        if language == "id":
            assert not [w for w in COLUMN_MENU_ENGLISH if w in items], items

        menu.locator('[role="menuitem"][aria-haspopup="menu"]').hover()  # Format
        formats = page.locator('[data-testid="stDataFrameColumnFormattingMenu"]')
        wait_drawn(page, '[data-testid="stDataFrameColumnFormattingMenu"]',
                   i18n.t("widget.table.fmt_automatic", language))
        if language == "id":
            assert not [w for w in FORMAT_ENGLISH if w in drawn(formats)], drawn(formats)

        menu.locator('[role="menuitem"][aria-haspopup="true"]').hover()  # Statistics
        metrics = page.locator('[data-testid="stDataFrameStatisticsMetrics"]')
        wait_drawn(page, '[data-testid="stDataFrameStatisticsMetrics"]', i18n.t("widget.table.stat_median", language))
        if language == "id":
            shown = drawn(metrics)
            assert i18n.t("widget.table.stat_std", "id") in shown
            assert not [w for w in STATISTICS_ENGLISH if w in shown], shown
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)  # the viewport, where the menu is drawn
        page.screenshot(path=str(ARTIFACTS / f"ringkasan-column-menu-{language}.png"))
        page.keyboard.press("Escape")
        page.mouse.click(5, 5)
        menu.wait_for(state="hidden")

        # the toolbar's show/hide columns list: "Select all" and the hidden row-number column
        point_at_toolbar_button(table, i18n.t("widget.table_columns", language)).click()
        wait_drawn(page, '[data-testid="stDataFrameColumnVisibilityMenu"]', i18n.t("widget.table.select_all", language))
        listed = drawn(page.locator('[data-testid="stDataFrameColumnVisibilityMenu"]'))
        assert i18n.t("widget.table.index", language) in listed
        if language == "id":
            assert "Select all" not in listed and "(index)" not in listed, listed
        page.keyboard.press("Escape")
        page.mouse.click(5, 5)


def test_app_menu_speaks_indonesian(page, app_url):
    page.goto(f"{app_url}/ringkasan")
    wait_idle(page)
    page.locator('[data-testid="stMainMenu"] button').first.click()
    listed = page.locator('[data-testid="stMainMenuList"]')
    listed.wait_for(state="visible")
    menu = listed.locator("xpath=..")  # the list and, below it, the credit with the version
    wait_drawn(page, '[data-testid="stMainMenuList"]', i18n.t("widget.menu_print", "id"))
    page.wait_for_function(
        "text => [...document.querySelectorAll('.stMenuVersionCopyButton')]"
        "  .some(b => b.parentElement.textContent.startsWith(text))", arg=i18n.t("widget.made_with", "id"))
    shown = drawn(menu)
    assert i18n.t("widget.menu_record", "id") in shown
    assert "Made with" not in shown and "Print" not in shown, shown
    assert re.search(re.escape(i18n.t("widget.made_with", "id")) + r"\s*\d+\.\d+", shown), shown  # version kept
    assert listed.get_attribute("aria-label") == i18n.t("widget.main_menu", "id")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-menu-id.png"))
    page.keyboard.press("Escape")


def test_server_gone_is_said_in_indonesian(browser, tmp_path):
    """A server restart (or a network cut) while a viewer has a page open: the status in the header, its
    tooltip and the dialog speak Indonesian. The app runs in its own process here, stopped mid-session."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="id-ID")
    page = context.new_page()
    try:
        with running_app(tmp_path, "streamlit-stopped.log") as app:
            page.goto(f"{app.url}/ringkasan")
            wait_idle(page)
        dialog = page.locator('[role="dialog"]')
        dialog.wait_for(timeout=60_000)
        wait_drawn(page, '[role="dialog"]', i18n.t("widget.server_not_responding", "id"))
        shown = drawn(dialog)
        assert i18n.t("widget.connection_error", "id") in shown
        assert "Connection error" not in shown and "not responding" not in shown, shown
        status = page.locator('[data-testid="stConnectionStatus"]')
        wait_drawn(page, '[data-testid="stConnectionStatus"]', i18n.t("widget.connecting", "id"))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "server-gone-id.png"))
        page.keyboard.press("Escape")  # the dialog closes; the status's tooltip says what it is trying
        dialog.wait_for(state="hidden")
        status.hover()
        wait_drawn(page, '[data-testid="stTooltipContent"]', i18n.t("widget.connecting_detail", "id"))
    finally:
        context.close()
