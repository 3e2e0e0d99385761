"""`charts.common.finish` gives every chart the white template, without re-validating it per figure."""

import plotly.graph_objects as go
import plotly.io as pio

from kesbang.charts import common


def test_finished_figure_has_the_white_template():
    fig = common.finish(go.Figure(go.Bar(x=[1], y=[2])), title="t", x="x", y="y", lang="id")
    assert fig.layout.template == pio.templates["plotly_white"]
    assert fig.layout.separators == ",."


def test_white_template_even_when_the_default_was_changed_after_import():
    before = pio.templates.default
    pio.templates.default = "plotly"
    try:
        fig = common.finish(go.Figure(go.Bar(x=[1], y=[2])), title="t", x="x", y="y", lang="en")
        assert fig.layout.template == pio.templates["plotly_white"]
        assert fig.layout.template != pio.templates["plotly"]
    finally:
        pio.templates.default = before
