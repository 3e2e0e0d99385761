"""The plotly figures an AppTest run drew, as the JSON specs Streamlit sends to the browser."""

from __future__ import annotations

import base64
import json

import numpy as np
from streamlit.testing.v1 import AppTest


def specs(at: AppTest) -> list[dict]:
    """Every chart's spec, its title as one line (charts wrap long titles with <br> for narrow screens)."""
    out = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        title = spec["layout"].get("title")
        if title and "text" in title:
            title["text"] = title["text"].replace("<br>", " ")
        out.append(spec)
    return out


def values(array) -> list:
    """A trace array from a spec: plain list, or plotly's base64-packed typed array."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array or [])
