"""Streamlit edge: session state, cached reads, shared widgets. Pages import from here; kesbang never does.

Toolkit for page scripts (a page is flat top-level code; the router wraps it in an error boundary):

    from ui import data, fmt
    from ui.filters import current
    from ui.state import T
    from ui.widgets import Score, chart, empty_state, guard, page_header, plain, scorecards, table

    page_header("mypage.title", "mypage.caption")   # title, caption, active filters, synthetic-data note
    f = current()                        # Filters(province="62", year=2026, quarter=3, lang="id")
    ds = data.dataset()                  # kesbang.dataset.Dataset for the sidebar's province + year
    ds_all = data.dataset(all_years=True)   # every year of the province
    m = data.metrics_frame()             # kesbang.analysis.metrics.compute(...) s.d. TW f.quarter (+ RPJMD progress)
    if ds.is_empty: empty_state("year"); st.stop()   # kinds: store | year | region | selection | indicator
    scorecards([Score(T("x.label"), fmt.percent(87.5), help=T("x.help"))])
    with guard("funnel"): ...            # a failing section shows app.error_generic, the rest stays
    chart(fig, df, "nama-file")          # plotly at full width + Excel download of df
    table(df, "nama-file")               # st.dataframe + Excel download
    table(labelled(df, {"name": "ui.col.region", "kategori": "ui.col.category"}), "nama")
                                         # labelled: pick + translate headers; category codes -> names
                                         # (tables colour the category column with the palette)
    download(df, "nama")                 # a lone Excel download button
    plain(user_text)                     # user text: st.text, never markdown/HTML
    file_uploader(label, ["xlsx"], key="k", max_mb=10)   # st.file_uploader; its built-in texts in the UI language
    url.selectbox(T("x.pick"), codes, param="wilayah", labels=names)   # a choice that is always in the URL
                                         # as its code (also url.multiselect, url.segmented_control)
    source.full_dataset()                  # every province/year (e.g. `.is_empty` for the store-empty state)
    source.store()                         # the Store (history, queue, writes through ui.auth)
    fmt.number(x, 0) · fmt.percent(x) · fmt.rupiah(x) · fmt.date(d)   # "—" for missing values

Streamlit's own widget texts (uploader, input hints, password toggle, toolbars, table column menus …)
follow the UI language through `ui.builtin_text`, which the router applies on every run (catalogue table
`[widget]`).

Cached reads key on `Store.data_version()`; `source.store()` is the process's Store (seeded from
sample_data/ on first start unless the setting `seed_sample` is off).
"""

from streamlit.runtime.pages_manager import PagesManager as _PagesManager
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException as _RerunException
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData as _RerunData
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx as _ctx

# Streamlit treats an app with a `pages/` folder as an old-style (v1) multipage app until the router has
# called st.navigation once in this server process. A first visit straight to a deep link such as
# /bandingkan would then run the page file alone: no router, no sidebar filters, no language switch, no
# login (found by tests/browser). Every page imports `ui`, so switch v1 off here and rerun through the
# router, by the URL's page name (the v1 page's hash is unknown to the router's navigation and would
# show "page not found"). Runs at most once per process: afterwards the flag stays off. Served as an st.App,
# the app imports `ui` (for its routes) at server start, before any run has set the flag (it is still None
# then, and a later first run would set it True): so the flag goes off whenever it is not off already.
if _PagesManager.uses_pages_directory is not False:
    _was_v1 = _PagesManager.uses_pages_directory
    _PagesManager.uses_pages_directory = False
    _run = _ctx(suppress_warning=True)
    if _was_v1 and _run is not None:
        raise _RerunException(_RerunData(query_string=_run.query_string,
                                         page_name=_run.pages_manager.intended_page_name or "",
                                         context_info=_run.context_info))
