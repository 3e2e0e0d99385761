"""One palette for the achievement categories: distinct, readable, and the same for codes and labels."""

import numpy as np

from kesbang.charts import palette
from kesbang.i18n import t


def test_every_category_has_its_own_colour_and_readable_text():
    colours = [palette.category_color(c) for c in [*palette.ORDER, None]]
    assert len(set(colours)) == 6
    for code, background in palette.CATEGORY_COLORS.items():
        # WCAG AA for normal text
        assert palette.contrast_ratio(background, palette.CATEGORY_TEXT[code]) >= 4.5, code


def test_missing_or_unknown_category_is_the_none_grey():
    grey = palette.CATEGORY_COLORS["none"]
    for missing in (None, np.nan, "X", ""):
        assert palette.category_color(missing) == grey


def test_label_maps_follow_the_language():
    assert palette.color_map("id")[t("category.ST", "id")] == palette.CATEGORY_COLORS["ST"]
    assert palette.color_map("en")[t("category.SR", "en")] == palette.CATEGORY_COLORS["SR"]
    assert list(palette.color_map("en")) == palette.category_orders("en")
    assert palette.category_orders()[:5] == ["ST", "T", "S", "R", "SR"]
    assert "background-color: #d73027" in palette.css("SR")
