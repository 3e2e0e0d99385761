"""Legend placement for charts whose legend sits in a row above the plot.

`common.finish` puts the title and a horizontal legend both in the top margin; with several legend
rows they overlap. This moves the title to the very top and gives the legend its own band below it.
"""

from __future__ import annotations

import plotly.graph_objects as go


def legend_band(fig: go.Figure, rows: int = 1) -> go.Figure:
    """Title pinned to the top edge, legend (no title: its entries name themselves) in a band under it."""
    top = 60 + 22 * rows
    fig.update_layout(
        title={"y": 0.99, "yref": "container", "yanchor": "top"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                "title": {"text": ""}},
        margin={"t": top + 20},
    )
    return fig


def legend_right(fig: go.Figure) -> go.Figure:
    """A vertical legend on the right, for many named lines (one per regency)."""
    fig.update_layout(legend={"orientation": "v", "yanchor": "top", "y": 1, "xanchor": "left", "x": 1.02,
                              "title": {"text": ""}})
    return fig
