"""ui/builtin_text.py: the catalogue texts laid over Streamlit's built-in English stay inert text.

The browser side (what a viewer sees) is tests/browser/test_builtin_text.py; here, the escaping that keeps
any catalogue text from ending a CSS string, a rule, the <style> or the <script> it travels in.
"""

from __future__ import annotations

import json
import re

from kesbang import i18n
from ui import builtin_text

HOSTILE = 'x" } body{display:none} </style><script>alert(1)</script> \\ \'\n'


def test_css_string_cannot_end_the_string_rule_or_style_element():
    quoted = builtin_text.css_string(HOSTILE)
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not re.search(r'["\'<>\n]', inner)
    # every backslash starts a hex escape, so none can escape the closing quote
    assert re.fullmatch(r'(?:[^\\]|\\[0-9a-f]{1,6} )*', inner)
    assert "\\3c /style\\3e " in inner


def test_stylesheet_carries_each_language_s_catalogue_text():
    for lang in i18n.LANGUAGES:
        css = builtin_text.stylesheet(lang)
        assert builtin_text.css_string(i18n.t("widget.upload_button", lang)) in css
        assert "</" not in css


def test_uploader_rules_name_the_limit_and_types_and_refuse_odd_keys():
    css = builtin_text.uploader_rules("unggah_file", "10", "XLSX, ODS")
    assert ".st-key-unggah_file" in css
    assert builtin_text.css_string(i18n.t("widget.upload_limit", "id", mb="10", types="XLSX, ODS")) in css
    try:
        builtin_text.uploader_rules("a b{}", "10", "XLSX")
    except ValueError:
        pass
    else:
        raise AssertionError("a key that is not a plain CSS class name must be refused")


def test_script_holds_its_texts_as_json_and_closes_only_once():
    for lang in i18n.LANGUAGES:
        script = builtin_text.names_script(lang)
        assert script.count("</script>") == 1 and script.endswith("</script>")
        assert "<" not in script[len("<script>"):-len("</script>")]
        data = json.loads(re.search(r"window\.kesbangNames = (.*);\n", script).group(1))
        targets = {"".join(target) for _selector, _attr, _knowns, target in data}
        assert i18n.t("widget.show_password", lang) in targets


def test_plotly_config_translates_its_toolbar_and_month_names():
    config = builtin_text.plotly_config("id")
    locale = config["locales"]["id"]
    assert config["locale"] == "id"
    assert locale["dictionary"]["Download plot as a PNG"] == i18n.t("widget.chart.png", "id")
    assert locale["format"]["months"][0] == "Januari" and locale["format"]["days"][0] == "Minggu"
