"""Streamlit's own widget texts (file uploader, input hints, password toggle …) in the session's language.

Streamlit 1.67 has no locale setting, and st.file_uploader takes no text options (streamlit#13500), so its
built-in English would sit in the Indonesian UI. The router lays our catalogue texts (table `[widget]`)
over it on every run:

- visible texts by a scoped stylesheet: the built-in text keyed to its `data-testid` is hidden and our
  text drawn in its place (`::after`), so React's DOM is never touched;
- accessible names (`aria-label`, `placeholder`), plotly's full-screen button and a table toolbar's
  tooltips by a small script that swaps exact built-in strings, and the strings it swapped before in the
  other language, for the current language's text;
- plotly's own toolbar and month names through plotly's `locale`/`locales` chart config (`plotly_config`).

Only catalogue text goes in, escaped for CSS or JSON; user text never does.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from kesbang import i18n
from ui.state import lang

# Built-in text sizes (Streamlit's theme: fontSizes.sm = 14 px, twoSm = 12 px), in rem so they follow the
# theme's base size; the replaced text keeps the look of the one it covers.
SIZE_SM, SIZE_TWO_SM = "0.875rem", "0.75rem"

_STOP = '[data-testid="stStatusWidgetRunningIcon"] + span > [data-testid="stBaseButton-header"]'
# (selector of the element holding one built-in text, catalogue key, font size)
_TEXTS = [
    # the uploader's button ("Upload") and the overlay while a file is dragged over it
    ('[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] '
     '[data-testid="stMarkdownContainer"] > p', "widget.upload_button", SIZE_SM),
    ('[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span:only-child',
     "widget.upload_drop", SIZE_SM),
    # the status widget while a page runs: its Stop button ("Stopping..." once pressed, and disabled)
    (f"{_STOP}:not(:disabled)", "widget.stop", SIZE_SM),
    (f"{_STOP}:disabled", "widget.stopping", SIZE_SM),
    # the app menu (top right)
    ('[data-testid="stMainMenuItem-print"] [data-testid="stMainMenuItemLabel"]', "widget.menu_print", SIZE_SM),
    ('[data-testid="stMainMenuItem-recordScreencast"] [data-testid="stMainMenuItemLabel"]', "widget.menu_record",
     SIZE_SM),
    # the keyboard users' first stop ("Skip to main content")
    ('[data-testid="stSkipToContent"]', "widget.skip_to_main", "1rem"),
    # the hint under a text field ("Press Enter to apply"); its character counter is a later span.
    # Every form of ours submits on Enter, so the first span is always that hint.
    ('[data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child',
     "widget.enter_apply", SIZE_TWO_SM),
    ('[data-testid="stForm"] [data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child',
     "widget.enter_submit", SIZE_TWO_SM),
    ('[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child',
     "widget.ctrl_enter_apply", SIZE_TWO_SM),
    ('[data-testid="stForm"] [data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child',
     "widget.ctrl_enter_submit", SIZE_TWO_SM),
]

# Texts Streamlit writes in English outside the stylesheet's reach: (elements, attribute, or "text" for an
# element holding just that text, or "label" for its first text among other content; built-in text,
# catalogue key). A `{name}` stands for our own label or the file's name, kept as it is.
_SELECT_BUTTONS = '[data-testid="stSelectbox"] button, [data-testid="stMultiSelect"] button'
_TOOLBAR = '[data-testid="stBaseButton-elementToolbar"]'
_LIST_NOTE = '[role="listbox"] [role="option"] > span'
_TOOLTIP = '[data-testid="stTooltipContent"] [data-testid="stMarkdownContainer"] > p'
# a table column's menu items, its number and date formats, and its statistics (Streamlit 1.67's English)
_MENU_ITEMS = [(builtin, f"widget.table.{key}") for builtin, key in [
    ("Sort ascending", "sort_asc"), ("Sort descending", "sort_desc"), ("Statistics", "statistics"),
    ("Format", "format"), ("Autosize", "autosize"), ("Pin column", "pin"), ("Unpin column", "unpin"),
    ("Hide column", "hide"), ("Automatic", "fmt_automatic"), ("Localized", "fmt_localized"),
    ("Plain", "fmt_plain"), ("Compact", "fmt_compact"), ("Dollar", "fmt_dollar"), ("Euro", "fmt_euro"),
    ("Yen", "fmt_yen"), ("Percent", "fmt_percent"), ("Scientific", "fmt_scientific"),
    ("Accounting", "fmt_accounting"), ("Duration", "fmt_duration"), ("Distance", "fmt_distance"),
    ("Calendar", "fmt_calendar")]]
_STATISTICS = [(builtin, f"widget.table.stat_{key}") for builtin, key in [
    ("Values", "values"), ("Empty", "empty"), ("Distinct", "distinct"), ("Average", "average"),
    ("Standard deviation", "std"), ("Minimum", "min"), ("25th percentile", "p25"), ("Median", "median"),
    ("75th percentile", "p75"), ("Maximum", "max"), ("Sum", "sum"), ("Range", "range"),
    ("Minimum length", "min_length"), ("Maximum length", "max_length"), ("Average length", "average_length"),
    ("True", "true"), ("False", "false")]]
_NAMES = [
    ('[data-testid="stTextInputRootElement"] button[aria-pressed]', "aria-label", "Show password",
     "widget.show_password"),
    ('[data-testid="stTextInputRootElement"] button[aria-pressed]', "aria-label", "Hide password",
     "widget.hide_password"),
    ('[data-testid="stTextInputClearButton"]', "aria-label", "Clear entry", "widget.clear_entry"),
    ('[data-testid="stFileUploaderDropzoneInput"]', "aria-label", "file upload", "widget.file_input"),
    ('[data-testid="stFileUploader"] button[data-testid="stBaseButton-borderlessIcon"]', "aria-label",
     "Add files", "widget.add_files"),
    ('[data-testid="stFileChipDeleteBtn"] button', "aria-label", "Remove {name}", "widget.remove"),
    ('[data-testid="stTooltipHoverTarget"] button', "aria-label", "Help for {name}", "widget.help_for"),
    ('[data-testid="stSelectbox"] input', "placeholder", "Choose an option", "widget.choose_option"),
    ('[data-testid="stMultiSelect"] input', "placeholder", "Choose options", "widget.choose_options"),
    ('[data-testid="stMultiSelect"] [aria-label]', "aria-label", "Remove {name}", "widget.remove"),
    ('[data-testid="stMultiSelect"] [aria-label]', "aria-label", "Selected values", "widget.selected_values"),
    (_SELECT_BUTTONS, "aria-label", "Open", "widget.open"),
    (_SELECT_BUTTONS, "aria-label", "Clear all", "widget.clear_all"),
    (_SELECT_BUTTONS, "aria-label", "Clear value", "widget.clear_value"),
    ('[data-testid="stHeaderActionElements"] a', "aria-label", "Link to heading", "widget.heading_link"),
    ('[role="dialog"] > button', "aria-label", "Close", "widget.close"),
    ('[data-testid="stStatusWidgetRunningIcon"]', "aria-label", "Running...", "widget.running"),
    # a select box's list when nothing matches the typed text, or a multiselect is full
    (_LIST_NOTE, "text", "No results", "widget.no_results"),
    (_LIST_NOTE, "text", "You can only select up to {name} options. Remove an option first.", "widget.max_selections"),
    (_LIST_NOTE, "text", "You can only select up to {name} option. Remove an option first.", "widget.max_selections"),
    ('[data-testid="stMainMenu"] button, [data-testid="stMainMenuList"]', "aria-label", "Main menu",
     "widget.main_menu"),
    (".stMenuVersionCopyButton", "aria-label", "Copy version to clipboard", "widget.copy_version"),
    (".stMenuVersionCopyButton", "title", "Copy version to clipboard", "widget.copy_version"),
    # the credit at the foot of the app menu ("Made with Streamlit v1.67.0": the version stays as it is)
    (":has(> .stMenuVersionCopyButton) > :first-child", "label", "Made with Streamlit v", "widget.made_with"),
    # the server gone (restarted, network down): the status in the header, its tooltip and the dialog. The
    # dialog a viewer on "localhost" gets instead tells a developer to restart Streamlit: left as it is.
    ('[data-testid="stConnectionStatus"] > label', "text", "Connecting", "widget.connecting"),
    ('[data-testid="stConnectionStatus"] > label', "text", "Error", "widget.connection_failed"),
    ('[data-testid="stTooltipContent"]', "text", "Connecting to Streamlit server", "widget.connecting_detail"),
    ('[data-testid="stTooltipContent"]', "text", "Unable to connect to Streamlit server",
     "widget.connection_failed_detail"),
    ('[role="dialog"] > h2', "text", "Connection error", "widget.connection_error"),
    ('[role="dialog"] > h2 + div > div', "text",
     "Streamlit server is not responding. Are you connected to the internet?", "widget.server_not_responding"),
    # the notice for a link to no page of ours (the app's main page runs instead)
    ('[role="dialog"] > h2', "text", "Page not found", "widget.page_not_found"),
    ('[role="dialog"] > h2 + div > div', "text",
     "The page that you have requested does not seem to exist. Running the app's main page.",
     "widget.page_not_found_detail"),
] + [
    # a table's toolbar: the buttons' names and the tooltip drawn on hover
    (where, attr, builtin, key)
    for builtin, key in [("Show/hide columns", "widget.table_columns"), ("Download as CSV", "widget.table_csv"),
                         ("Search", "widget.search"), ("Fullscreen", "widget.fullscreen"),
                         ("Close fullscreen", "widget.close_fullscreen")]
    for where, attr in [(_TOOLBAR, "aria-label"), (_TOOLTIP, "text")]
] + [
    # a table column's menu (opened from its header) and its Format and Statistics submenus. "label": the
    # item's one text beside its icon. Only Streamlit's own items live in these menus; the column's name,
    # which is ours, sits in a title element none of these selectors reach.
    (f"{menu} {item}", "label", builtin, key)
    for menu in ('[data-testid="stDataFrameColumnMenu"]', '[data-testid="stDataFrameColumnFormattingMenu"]')
    for item in ('[role="menuitem"]', '[role="menuitem"] > div')
    for builtin, key in _MENU_ITEMS
] + [
    ('[data-testid="stDataFrameColumnMenu"] [role="menu"]', "aria-label", "Dataframe column menu",
     "widget.table.column_menu"),
    ('[data-testid="stDataFrameColumnMenu"] button', "aria-label", "Copy column name", "widget.table.copy_name"),
    ('[data-testid="stDataFrameColumnMenu"] button', "title", "Copy column name", "widget.table.copy_name"),
] + [
    # the toolbar's show/hide columns list: its "Select all" box and the (hidden) row-number column
    (f'[data-testid="stDataFrameColumnVisibilityMenu"] {where}', attr, builtin, key)
    for builtin, key in [("Select all", "widget.table.select_all"), ("(index)", "widget.table.index")]
    for where, attr in [("label > span:last-child", "text"), ("label > input", "aria-label")]
] + [
    # the kind of a column, named on hover over the icon at the head of its menu
    ('[data-testid="stDataFrameColumnMenu"] [role="menu"] > div:first-child > div:first-child', "title",
     builtin, f"widget.table.kind_{builtin}")
    for builtin in ("text", "number", "date", "datetime")
] + [
    # the Statistics submenu: each figure's name
    ('[data-testid="stDataFrameStatisticsMetrics"] dt', "text", builtin, key) for builtin, key in _STATISTICS
] + [
    # the full-screen button Streamlit adds to plotly's toolbar (plotly draws its tooltip from data-title)
    (".modebar-btn", attr, builtin, key)
    for builtin, key in [("Fullscreen", "widget.fullscreen"), ("Close fullscreen", "widget.close_fullscreen"),
                         ("Exit fullscreen", "widget.close_fullscreen")]
    for attr in ("aria-label", "data-title")
]

# plotly's own texts (its toolbar), given to plotly as a locale dictionary through the chart's config
_PLOTLY = {"Download plot as a PNG": "png", "Zoom": "zoom", "Pan": "pan", "Zoom in": "zoom_in",
           "Zoom out": "zoom_out", "Autoscale": "autoscale", "Reset axes": "reset_axes", "Reset view": "reset_view",
           "Reset": "reset", "Box Select": "box_select", "Lasso Select": "lasso_select",
           "Toggle Spike Lines": "spikelines", "Show closest data on hover": "hover_closest",
           "Compare data on hover": "hover_compare", "Double-click to zoom back out": "zoom_back"}


def css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes, backslashes, control characters and `<` `>` `&` escaped
    (so nothing can end the string, the rule or the <style> element)."""
    def escape(ch: str) -> str:
        if ch in '"\'\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"\\{ord(ch):x} "
        return ch
    return '"' + "".join(escape(ch) for ch in text) + '"'


def replace_rule(selector: str, text: str, size: str) -> str:
    """CSS putting `text` in place of the built-in text of the element at `selector` (one selector, no list).

    The text travels in `--kesbang-text`. Until the script has written it into the element itself (marked
    `data-kesbang-text`), the built-in text takes no room and `::after` draws ours; afterwards the element
    simply shows its new text, which is also what screen readers announce."""
    fresh = f"{selector}:not([data-kesbang-text])"
    return (f"{selector}{{--kesbang-text:{css_string(text)}}}"
            f"{fresh}{{font-size:0}}"
            f"{fresh}::after{{content:var(--kesbang-text);font-size:{size}}}")


def stylesheet(language: str) -> str:
    return "".join(replace_rule(sel, i18n.t(key, language), size) for sel, key, size in _TEXTS)


# Elements whose text the stylesheet replaces (`--kesbang-text`): the script writes it into them.
_UPLOADER_TEXTS = ['[data-testid="stFileUploaderDropzoneInstructions"] span',
                   '[data-testid="stFileChip"] span[role="alert"]']


def names_script(language: str) -> str:
    """The script that swaps Streamlit's English accessible names for `language`'s catalogue text (and
    back again after a language switch: the other languages' texts are recognised too)."""
    rules = [[selector, attr,
              [known.split("{name}") for known in dict.fromkeys([builtin] + [i18n.t(key, o) for o in i18n.LANGUAGES])],
              i18n.t(key, language).split("{name}")]
             for selector, attr, builtin, key in _NAMES]
    texts = [selector for selector, _key, _size in _TEXTS] + _UPLOADER_TEXTS
    data = json.dumps(rules, ensure_ascii=True).replace("<", "\\u003c")
    selectors = json.dumps(", ".join(texts), ensure_ascii=True).replace("<", "\\u003c")
    return ("<script>(() => {\n" f"window.kesbangNames = {data};\nwindow.kesbangTexts = {selectors};\n"
            + _SWAP_JS + "})();</script>")


# Runs once per page load (and again with new texts after a language switch); one observer per page.
_SWAP_JS = """
const nameIn = (tpl, v) => tpl.length === 1 ? (v === tpl[0] ? "" : null)
  : (v.length >= tpl[0].length + tpl[1].length && v.startsWith(tpl[0]) && v.endsWith(tpl[1])
     ? v.slice(tpl[0].length, v.length - tpl[1].length) : null);
const cssText = raw => raw.slice(1, -1)  // a quoted CSS string with hex escapes (css_string)
  .replace(/\\\\(?:([0-9a-f]{1,6}) ?|(.))/gi, (_, hex, ch) => hex ? String.fromCodePoint(parseInt(hex, 16)) : ch);
const run = () => {
  for (const el of document.querySelectorAll(window.kesbangTexts)) {
    const raw = getComputedStyle(el).getPropertyValue("--kesbang-text").trim();
    const nodes = [...el.childNodes];
    if (!raw.startsWith('"') || !nodes.length || nodes.some(n => n.nodeType !== Node.TEXT_NODE)) continue;
    const text = cssText(raw);
    if (nodes.map(n => n.nodeValue).join("") !== text) nodes.forEach((n, i) => { n.nodeValue = i ? "" : text; });
    el.setAttribute("data-kesbang-text", "");
  }
  for (const [selector, attr, knowns, target] of window.kesbangNames) {
    for (const el of document.querySelectorAll(selector)) {
      // "text": an element holding only that text; "label": its first text among other content (a menu
      // item's text beside its icon, the credit before the version number). That text node changes in place.
      const texts = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
      const node = attr === "text" ? (el.childNodes.length === 1 && texts.length === 1 ? texts[0] : null)
        : attr === "label" ? (texts[0] || null) : null;
      const value = attr === "text" || attr === "label" ? (node ? node.nodeValue : null) : el.getAttribute(attr);
      if (value === null) continue;
      for (const known of knowns) {
        const name = nameIn(known, value);
        if (name === null) continue;
        const swapped = target.length === 1 ? target[0] : target[0] + name + target[1];
        if (swapped !== value) { if (node) node.nodeValue = swapped; else el.setAttribute(attr, swapped); }
        break;
      }
    }
  }
};
if (!window.kesbangNamesObserver) {
  let queued = false;
  window.kesbangNamesObserver = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; window.kesbangNamesRun(); });
  });
  window.kesbangNamesObserver.observe(document.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "placeholder", "data-title", "title"]});
}
window.kesbangNamesRun = run;
run();
"""

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def apply(where=None) -> None:
    """Lay the catalogue texts over Streamlit's built-in ones for this run (the router calls it once)."""
    language = lang()
    st.html(f"<style>{stylesheet(language)}</style>")  # style only: no space taken in the page
    (where or st.sidebar).html(names_script(language), unsafe_allow_javascript=True)


def plotly_config(language: str) -> dict:
    """plotly config entries giving its toolbar and date axes `language` (plotly's `locale` + `locales`)."""
    from babel.dates import get_day_names, get_month_names

    def names(width: str) -> tuple[list[str], list[str]]:
        days = get_day_names(width, locale=language)
        return (list(get_month_names(width, locale=language).values()),
                [days[6]] + [days[i] for i in range(6)])  # plotly's week starts on Sunday

    (months, days), (short_months, short_days) = names("wide"), names("abbreviated")
    dictionary = {english: i18n.t(f"widget.chart.{key}", language) for english, key in _PLOTLY.items()}
    return {"locale": language,
            "locales": {language: {"dictionary": dictionary,
                                   "format": {"months": months, "shortMonths": short_months,
                                              "days": days, "shortDays": short_days}}}}


def uploader_rules(key: str, mb: str, types: str) -> str:
    """CSS for one file uploader (by widget key): its size/type line and its refused-file message."""
    if not _KEY.match(key):
        raise ValueError(f"widget key {key!r} is not usable in a CSS class")
    scope = f".st-key-{key}"
    language = lang()
    return (replace_rule(f'{scope} [data-testid="stFileUploaderDropzoneInstructions"] span',
                         i18n.t("widget.upload_limit", language, mb=mb, types=types), SIZE_SM)
            + replace_rule(f'{scope} [data-testid="stFileChip"] span[role="alert"]',
                           i18n.t("widget.upload_refused", language, mb=mb, types=types), SIZE_SM))
