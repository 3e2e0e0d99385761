"""The one palette for the five achievement categories (ST, T, S, R, SR) and "none", for charts and tables.

Colours are ColorBrewer RdYlBu members (#d73027 #fc8d59 #fee090 #91bfdb #4575b4), a diverging scheme
ColorBrewer marks colour-blind safe: red = Sangat Rendah, blue = Sangat Tinggi, the middle a warm
yellow that stays visible on white. "none" (not computable) is a neutral grey, so it never reads as a
grade. The text colour on each is the one with the higher WCAG contrast ratio (dark or white).
"""

from __future__ import annotations

from collections.abc import Iterable

from kesbang import i18n

ORDER = ["ST", "T", "S", "R", "SR"]           # best first, as legends and tables list them
NONE = "none"

CATEGORY_COLORS: dict[str, str] = {
    "ST": "#4575b4",
    "T": "#91bfdb",
    "S": "#fee090",
    "R": "#fc8d59",
    "SR": "#d73027",
    NONE: "#bdbdbd",
}

# Lines and bars that are not a category (one per regency): plotly's Dark24, so a province's 14 regencies
# get 14 different colours (plotly's default colorway has 10 and repeats them).
SERIES_COLORS: list[str] = [
    "#2E91E5", "#E15F99", "#1CA71C", "#FB0D0D", "#DA16FF", "#222A2A", "#B68100", "#750D86",
    "#EB663B", "#511CFB", "#00A08B", "#FB00D1", "#FC0080", "#B2828D", "#6C7C32", "#778AAE",
    "#862A16", "#A777F1", "#620042", "#1616A7", "#DA60CA", "#6C4516", "#0D2A63", "#AF0038",
]

# Severity of a finding (measurability checks), not an achievement: its own warm scale, so "must fix"
# never wears the blues that mean "very high achievement" elsewhere. Dark red (ColorBrewer RdBu #b2182b)
# for must fix, amber (RdYlGn #fdae61) for needs attention - they differ in lightness too, so they stay
# apart without colour vision.
SEVERITY_COLORS: dict[str, str] = {"error": "#b2182b", "warning": "#fdae61"}

DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"


def _key(code: object) -> str:
    text = "" if code is None else str(code).strip()
    return text if text in CATEGORY_COLORS and text != NONE else NONE


def category_color(code: object) -> str:
    """Background colour for a category code; None, NaN or anything unknown → the "none" grey."""
    return CATEGORY_COLORS[_key(code)]


def _luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    channels = [int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(background: str) -> str:
    """Dark or white text, whichever contrasts more with `background`."""
    dark, light = contrast_ratio(background, DARK_TEXT), contrast_ratio(background, LIGHT_TEXT)
    return DARK_TEXT if dark >= light else LIGHT_TEXT


CATEGORY_TEXT: dict[str, str] = {k: text_color(v) for k, v in CATEGORY_COLORS.items()}


def category_text_color(code: object) -> str:
    return CATEGORY_TEXT[_key(code)]


def category_label(code: object, lang: str = i18n.DEFAULT_LANGUAGE) -> str:
    return i18n.t(f"category.{_key(code)}", lang)


def colors(codes: Iterable[object]) -> list[str]:
    return [category_color(c) for c in codes]


def color_map(lang: str | None = None, include_none: bool = True) -> dict[str, str]:
    """For plotly's `color_discrete_map`: code → colour, or translated label → colour when `lang` given."""
    keys = ORDER + ([NONE] if include_none else [])
    return {(category_label(k, lang) if lang else k): CATEGORY_COLORS[k] for k in keys}


def category_orders(lang: str | None = None, include_none: bool = True) -> list[str]:
    """Legend/axis order, best first (codes, or translated labels when `lang` given)."""
    keys = ORDER + ([NONE] if include_none else [])
    return [category_label(k, lang) if lang else k for k in keys]


def css(code: object) -> str:
    """Inline CSS for a table cell (pandas Styler.map): the category's background and readable text."""
    return f"background-color: {category_color(code)}; color: {category_text_color(code)}"
