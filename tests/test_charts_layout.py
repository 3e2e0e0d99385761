"""The layout every chart shares (`charts.common.finish`) so it reads on a phone as on a desktop: wrapped
titles and category labels, the legend under the plot with room made for it, a heatmap's category
scale as a legend. The browser side (measured sizes at 390 and 800 px) is tests/browser/test_narrow_screens.py."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from kesbang.analysis import metrics
from kesbang.charts import common, compare

LONG = "Persentase kegiatan pendidikan politik yang terlaksana di seluruh kecamatan"


def test_wrap_breaks_at_spaces_within_the_width_and_keeps_every_word():
    text = common.wrap(LONG, 22)
    lines = text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= 22 for line in lines)
    assert " ".join(lines) == LONG
    assert common.wrap("pendek", 22) == "pendek"
    assert common.wrap("Supercalifragilistikexpialidocious x", 10) == "Supercalifragilistikexpialidocious<br>x"


def test_wrap_with_a_line_limit_ends_in_an_ellipsis():
    lines = common.wrap(LONG, 22, max_lines=2).split("<br>")
    assert len(lines) == 2 and lines[-1].endswith("…") and len(lines[-1]) <= 22
    # escaped user text is never cut inside an entity: breaks fall at spaces only
    assert "&amp;" in common.wrap("Lulus tes Pancasila &amp; wawasan kebangsaan", 22)


def _bars(labels, values) -> go.Figure:
    return go.Figure(go.Bar(y=labels, x=values, orientation="h", name="Capaian"))


def test_finish_wraps_a_long_title_and_makes_room_for_its_lines():
    title = "Capaian setiap indikator Kotawaringin Barat dan median provinsi"
    fig = common.finish(_bars(["A", "B"], [1, 2]), title=title, x="x", y="y", lang="id", height=400)
    text = fig.layout.title.text
    assert text.replace("<br>", " ") == title and all(len(line) <= common.TITLE_CHARS for line in text.split("<br>"))
    assert fig.layout.title.automargin and fig.layout.title.yref == "paper"  # grows upwards into a pushed margin
    assert fig.layout.height == 400 + common.TITLE_LINE_PX * text.count("<br>")


def test_finish_puts_the_legend_under_the_plot_and_adds_its_rows_to_the_height():
    fig = go.Figure([go.Bar(x=[1], y=["a"], name=f"Seri {i}") for i in range(5)])
    fig = common.finish(fig, title="Judul", x="x", y="y", lang="id", legend="Kategori", height=400)
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    assert legend.title.text == "Kategori" and legend.title.side == "top"
    # five entries two to a row = 3 rows, plus the legend's title row
    assert fig.layout.height == 400 + common.LEGEND_ROW_PX * 4 + 10
    single = common.finish(_bars(["a"], [1]), title="Judul", x="x", y="y", lang="id", height=400)
    assert single.layout.height == 400  # plotly draws no legend for one series: no room taken


def test_long_category_labels_wrap_in_the_ticks_only():
    labels = [LONG, "Pendek", "Jumlah forum kewaspadaan dini masyarakat yang aktif"]
    fig = common.finish(_bars(labels, [1, 2, 3]), title="Judul", x="x", y="y", lang="id", height=140 + 32 * 3)
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == labels  # the categories, their order and the hover keep the whole name
    assert list(fig.data[0].y) == labels
    assert axis.ticktext[1] == "Pendek"
    assert all(len(line) <= common.LABEL_CHARS for text in axis.ticktext for line in text.split("<br>"))
    assert max(text.count("<br>") for text in axis.ticktext) == 1  # 32 px rows: room for two lines, not three


def test_short_labels_and_numeric_axes_are_left_alone():
    fig = common.finish(_bars(["Kapuas", "Seruyan"], [1, 2]), title="Judul", x="x", y="y", lang="id")
    assert fig.layout.yaxis.tickvals is None
    line = common.finish(go.Figure(go.Scatter(x=[1, 2], y=[3.0, 4.0])), title="Judul", x="x", y="y", lang="id")
    assert line.layout.yaxis.ticktext is None


def test_program_heatmap_shows_its_category_scale_as_a_legend_not_a_side_bar():
    matrix = pd.DataFrame({"8.01.01": [95.0, 60.0], "8.01.02": [80.0, 40.0]}, index=["Kapuas", "Seruyan"])
    fig = compare.program_heatmap(matrix, "id")
    heat = fig.data[0]
    assert heat.type == "heatmap" and heat.showscale is False
    swatches = [tr for tr in fig.data if tr.type == "scatter"]
    assert [tr.name for tr in swatches] == [common.category_label(c, "id") for c in metrics.CATEGORIES]
    assert [tr.marker.color for tr in swatches] == [common.category_color(c) for c in metrics.CATEGORIES]
    assert fig.layout.legend.title.text == common.t("ui.chart.category", "id")


def test_median_label_ends_at_a_line_near_the_right_edge_and_starts_at_one_near_the_left():
    fig = _bars(["Kapuas", "Seruyan"], [40.0, 100.0])
    common.median_line(fig, 95.0, "Median provinsi 95%")
    common.median_line(fig, 10.0, "Median 10%")
    common.median_line(fig, 50.0, "Median 50%")
    assert [a.xanchor for a in fig.layout.annotations] == ["right", "left", "center"]
    fixed = _bars(["Kapuas"], [100.0])
    common.median_line(fixed, 100.0, "Median", x_max=200)  # the axis' fixed end, not the largest bar
    assert fixed.layout.annotations[0].xanchor == "center"


def test_subplot_titles_start_at_their_subplot():
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=("Yang dihasilkan", "Yang ditumbuhkan"))
    common.left_subplot_titles(fig)
    assert [(a.x, a.xanchor) for a in fig.layout.annotations] == [
        (fig.layout.xaxis.domain[0], "left"), (fig.layout.xaxis2.domain[0], "left")]
    # half a phone's plot holds about 14 characters: the titles wrap, and the chart's title moves up for them
    assert [a.text for a in fig.layout.annotations] == ["Yang<br>dihasilkan", "Yang<br>ditumbuhkan"]
    fig = common.finish(fig, title="Judul", x="", y="", lang="id")
    assert fig.layout.title.pad.b == common.TITLE_PAD_PX + common.SUBTITLE_LINE_PX
