"""Every chart page on a phone held upright (390 px) and on a tablet with the sidebar open (800 px), in a
real chromium: each plotly chart keeps its title inside the chart, its legend off the plot, a plot at
least two fifths of the chart's width, and every drawn text (labels, median notes, subplot titles)
inside the chart and off its title; no scorecard's label or number is cut short.

Plotly does not wrap text and Streamlit keeps columns side by side down to 640 px of window, so before
this a phone showed titles cut at the right edge, legends taking half the width and plots 64 px wide.
The layout is measured from plotly's own computed sizes (`_fullLayout._size`) and the drawn elements.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, NO_CHART_PAGES, exception_text, navigation_pages, wait_idle

pytestmark = pytest.mark.browser

CHART_PAGES = [(path, slug) for path, slug in navigation_pages() if slug not in NO_CHART_PAGES]
WIDTHS = {"phone": (390, 844), "tablet": (800, 1000)}
MIN_PLOT_SHARE = 0.4

# a scorecard's label or number cut short by the browser ("W…" for "Wilayah melapor")
CUT_SCORECARDS = """() => [...document.querySelectorAll(
    '[data-testid="stMetricLabel"] p, [data-testid="stMetricValue"] > div')]
  .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""
MEASURE = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout).map(gd => {
  const box = gd.getBoundingClientRect(), s = gd._fullLayout._size;
  const plot = {left: box.left + s.l, right: box.left + s.l + s.w, top: box.top + s.t, bottom: box.top + s.t + s.h};
  const rect = sel => { const el = gd.querySelector(sel); return el ? el.getBoundingClientRect() : null; };
  const title = rect('.g-gtitle .gtitle'), legend = rect('g.legend');
  const inside = r => r.left >= box.left - 1 && r.right <= box.right + 1
                      && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const outside = [...gd.querySelectorAll('.textpoint text, .bartext, .scatterlayer text, .gtitle, .annotation-text')]
    .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width && !inside(r)).map(([t]) => t);
  const hit = (a, b) => a.left < b.right - 1 && a.right > b.left + 1 && a.top < b.bottom - 1 && a.bottom > b.top + 1;
  const notes = [...gd.querySelectorAll('.annotation-text')].map(t => [t.textContent, t.getBoundingClientRect()]);
  return {
    title: gd._fullLayout.title.text || '',
    overTitle: title ? notes.filter(([, r]) => r.width && hit(r, title)).map(([t]) => t) : [],
    width: box.width,
    plotShare: s.w / box.width,
    legendOverPlot: !!legend && legend.width > 0 && legend.left < plot.right - 1 && legend.right > plot.left + 1
                    && legend.top < plot.bottom - 1 && legend.bottom > plot.top + 1,
    titleInside: !title || inside(title),
    outside,
  };
})"""


@pytest.mark.parametrize("size", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize(("path", "slug"), CHART_PAGES, ids=[slug for _path, slug in CHART_PAGES])
def test_every_chart_reads_on_a_narrow_screen(browser, app_url, path, slug, size):
    width, height = WIDTHS[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{slug}")
        wait_idle(page)
        page.locator(".js-plotly-plot").first.wait_for(state="attached")
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout)")
        charts = page.evaluate(MEASURE)
        cut = page.evaluate(CUT_SCORECARDS)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{slug}-{size}.png"))
        assert exception_text(page) == "", f"{path} shows an exception box"
        assert charts, f"{path} draws no chart"
        assert not cut, f"{path} at {width} px cuts scorecards short: {cut}"
        for chart in charts:
            name = f"{path} at {width} px: {chart['title']!r}"
            assert chart["titleInside"], f"{name}: title runs out of the chart"
            assert not chart["overTitle"], f"{name}: {chart['overTitle']} drawn over the title"
            assert not chart["legendOverPlot"], f"{name}: legend covers the plot"
            assert chart["plotShare"] >= MIN_PLOT_SHARE, f"{name}: plot is {chart['plotShare']:.0%} of the chart"
            assert not chart["outside"], f"{name}: text drawn outside the chart: {chart['outside']}"
    finally:
        context.close()
