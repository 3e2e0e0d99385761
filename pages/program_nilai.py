"""Values programs: activities by theme, regency and time; reach; pre/post gain; rubric levels with their
definitions; stories of change as plain-text cards; and the slow outcome indices on their own time axis."""

import streamlit as st

from kesbang import regions
from kesbang.analysis import indices, values
from kesbang.charts import values as charts
from ui import data, fmt, source, url, widgets
from ui.filters import current
from ui.state import T, lang

STORIES_SHOWN = 8

# Column headings of the chart downloads (a download must read like the chart, not like our frames)
DOWNLOAD_COLUMNS = {"region": "program_nilai.region", "year": "program_nilai.year", "bulan": "program_nilai.month",
                    "tema": "program_nilai.theme", "kegiatan": "program_nilai.activities",
                    "peserta": "program_nilai.participants", "penduduk": "program_nilai.population",
                    "per_10rb": "program_nilai.per10k", "n": "program_nilai.n_activities",
                    "pre": "program_nilai.pre", "post": "program_nilai.post", "gain": "program_nilai.gain",
                    "level": "program_nilai.rubric_level", "nama": "program_nilai.rubric_name",
                    "definisi": "program_nilai.rubric_def", "persen": "program_nilai.rubric_share"}


def for_download(df):
    """Theme keys and region codes in words, under translated headings."""
    out = df.copy()
    if "tema" in out:
        out["tema"] = out["tema"].map(lambda th: values.theme_label(th, lang()) if isinstance(th, str) else "")
    if "region" in out:
        out["region"] = out["region"].map(regions.name_of)
    return widgets.labelled(out, DOWNLOAD_COLUMNS)


def indices_table(idx, L: str):
    """The outcome indices as the page's table shows them: names, areas and flags in words."""
    shown = idx.assign(
        indeks=idx["indeks"].map(lambda k: indices.index_name(k, L)),
        wilayah=idx["wilayah"].map(
            lambda w: T("program_nilai.national") if w == indices.NATIONAL else regions.province_name(w)
        ),
        polaritas=idx["polaritas"].map(lambda p: T(f"program_nilai.polarity_{p}")),
        cek=idx["cek"].map(lambda c: T("program_nilai.yes") if c else T("program_nilai.no")),
    )[["indeks", "wilayah", "tahun", "nilai", "kategori", "polaritas", "pemilik", "sumber", "terbit", "cek"]]
    return shown.rename(columns={
        "indeks": T("program_nilai.index"),
        "wilayah": T("program_nilai.area"),
        "tahun": T("program_nilai.index_year"),
        "nilai": T("program_nilai.index_value"),
        "kategori": T("program_nilai.category"),
        "polaritas": T("program_nilai.polarity"),
        "pemilik": T("program_nilai.owner"),
        "sumber": T("program_nilai.source"),
        "terbit": T("program_nilai.published"),
        "cek": T("program_nilai.check"),
    })


def drawn(ds, scope, theme, year: int, province: str, L: str) -> dict:
    """Everything the page draws for these choices: frames, finished figures and their downloads.

    A pure function of its arguments, cached per data version (`data.derived`): a click on the page's own
    widgets redraws the same six charts, and building them was most of every rerun. The figures are shared
    between viewers, so nothing may change them after this (widgets.chart leaves their separators alone).
    """
    scoped = ds.nilai
    if scope is not None:
        scoped = scoped[scoped["region"] == scope]
    if theme is not None:
        scoped = scoped[scoped["tema"] == theme]
    year_nilai = scoped[scoped["year"] == year] if not scoped.empty else scoped
    scope_name = T("program_nilai.whole_province") if scope is None else regions.name_of(scope)
    out = {"year_nilai": year_nilai, "scope_name": scope_name}
    idx = indices.for_province(province)
    out["indices"] = idx
    if not idx.empty:
        title = T("program_nilai.indices_chart_title", provinsi=regions.province_name(province))
        out.update(indices_fig=charts.indices(idx, L, title), indices_table=indices_table(idx, L))
    if year_nilai.empty:
        return out
    population = (regions.regions_in(province)["population"].sum() if scope is None
                  else (regions.region(scope) or {}).get("population"))
    participants = year_nilai["peserta"].astype(float).sum()
    out.update(participants=participants, gain=values.test_gain(year_nilai),
               per10k=participants / population * values.PER_INHABITANTS if population else None)
    by_region = values.activities_by(year_nilai, ["region", "tema"])
    months = values.activities_by(scoped, ["bulan", "tema"])
    reach = values.reach(year_nilai)
    gain_theme = values.test_gain(year_nilai, ["tema"])
    dist = values.rubric_distribution(year_nilai, L)
    out["charts"] = {
        "theme": (charts.by_theme_region(by_region, L, T("program_nilai.by_theme_title", tahun=year)),
                  for_download(by_region)),
        "months": (charts.over_time(months, L, T("program_nilai.over_time_title", wilayah=scope_name)),
                   for_download(months)),
        "reach": (charts.reach(reach, L, T("program_nilai.reach_title", tahun=year)), for_download(reach)),
        "gain": None if gain_theme.empty else (
            charts.pre_post(gain_theme, L, T("program_nilai.gain_title", wilayah=scope_name, tahun=year)),
            for_download(gain_theme.round(1))),
        "rubric": (charts.rubric(dist, L, T("program_nilai.rubric_title", wilayah=scope_name, tahun=year)),
                   for_download(dist)),
    }
    out["dist"] = dist
    out["stories"] = values.stories(year_nilai)
    return out


widgets.page_header("program_nilai.title", "program_nilai.intro")
f = current()
L = lang()

nilai_all = data.dataset(all_years=True).nilai
reporting = sorted(nilai_all["region"].dropna().unique()) if not nilai_all.empty else []

left, right = st.columns(2)
scope = url.selectbox(T("program_nilai.scope"), [None, *reporting], param="wilayah", key="nilai_scope", where=left,
                      labels=lambda c: T("program_nilai.whole_province") if c is None else regions.name_of(c))
themes = sorted(nilai_all["tema"].dropna().unique()) if not nilai_all.empty else []
theme = url.selectbox(T("program_nilai.theme"), [None, *themes], param="tema", key="nilai_theme", where=right,
                      labels=lambda th: T("program_nilai.all_themes") if th is None else values.theme_label(th, L))
parts = data.derived(drawn, scope, theme, f.year, f.province, L, all_years=True, source="dataset")
year_nilai, scope_name = parts["year_nilai"], parts["scope_name"]

if year_nilai.empty:
    if source.full_dataset().is_empty:
        widgets.empty_state("store")
    else:
        st.info(T("program_nilai.no_data", wilayah=scope_name, tahun=f.year), icon=":material/info:")
        widgets.empty_state("year")
else:
    gain = parts["gain"]
    widgets.scorecards(
        [
            widgets.Score(T("program_nilai.metric_activities"), fmt.number(len(year_nilai))),
            widgets.Score(T("program_nilai.metric_participants"), fmt.number(parts["participants"])),
            widgets.Score(T("program_nilai.metric_per10k"), fmt.number(parts["per10k"], 1)),
            widgets.Score(T("program_nilai.metric_gain"), "—" if gain.empty else fmt.number(gain["gain"].iat[0], 1)),
        ],
        per_row=4,
    )
    shown = parts["charts"]
    widgets.chart(*shown["theme"], "nilai-tema-wilayah", key="nilai-theme")
    widgets.chart(*shown["months"], "nilai-per-bulan", key="nilai-months")
    st.caption(T("program_nilai.reach_note"))
    widgets.chart(*shown["reach"], "nilai-jangkauan", key="nilai-reach")
    if shown["gain"] is None:
        st.info(T("program_nilai.no_tests"), icon=":material/info:")
    else:
        widgets.chart(*shown["gain"], "nilai-pre-post", key="nilai-gain")

    dist = parts["dist"]
    rub_chart, rub_defs = st.columns([3, 2])
    with rub_chart:
        widgets.chart(*shown["rubric"], "nilai-rubrik", key="nilai-rubric")
        if dist.attrs.get("tanpa_level"):
            st.caption(T("program_nilai.rubric_unrated", n=dist.attrs["tanpa_level"]))
    with rub_defs:
        st.subheader(T("program_nilai.rubric_defs_title"))
        for rec in dist.to_dict("records"):
            with st.container(border=True):
                st.text(rec["nama"])
                st.caption(rec["definisi"])

# outcome indices: their own time axis (the year each index measures), never set against activity years
st.divider()
st.subheader(T("program_nilai.indices_title"))
st.caption(T("program_nilai.indices_note"))
if parts["indices"].empty:
    st.info(T("program_nilai.no_indices"), icon=":material/info:")
else:
    # the chart's download is the table's translated view (it carried the raw index frame and its keys)
    widgets.chart(parts["indices_fig"], parts["indices_table"], "indeks-hasil", key="nilai-indices")
    widgets.table(parts["indices_table"], "indeks-hasil-tabel", key="nilai-indices-table")
    st.caption(T("program_nilai.check_note"))

if not year_nilai.empty:
    st.divider()
    # stories: user text, shown only through st.text (never markdown/HTML); links only when http(s)
    st.subheader(T("program_nilai.stories_title"))
    stories = parts["stories"]
    if stories.empty:
        st.info(T("program_nilai.no_stories"), icon=":material/info:")
    else:
        st.caption(T("program_nilai.stories_shown", n=min(STORIES_SHOWN, len(stories)), total=len(stories)))
        cols = st.columns(2)
        for i, rec in enumerate(stories.head(STORIES_SHOWN).to_dict("records")):
            with cols[i % 2].container(border=True):
                st.text(str(rec["kegiatan"] or ""))
                st.text(
                    T(
                        "program_nilai.story_meta",
                        wilayah=rec["nama_wilayah"],
                        tanggal=fmt.date(rec["tanggal"]),
                        tema=values.theme_label(rec["tema"], L),
                    )
                )
                widgets.plain(rec["narasi"])
                st.text(
                    T(
                        "program_nilai.story_details",
                        lokasi=rec["lokasi"] or "—",
                        sasaran=rec["sasaran"] or "—",
                        peserta=fmt.number(rec["peserta"]),
                        rubrik=fmt.number(rec["rubrik"]),
                    )
                )
                if rec["tautan"]:
                    st.link_button(T("program_nilai.open_link"), rec["tautan"], icon=":material/open_in_new:")
                elif rec["data_dukung"]:
                    st.text(T("program_nilai.story_evidence", tautan=rec["data_dukung"]))
        widgets.download(stories.drop(columns=["tautan"]), "nilai-cerita", key="dl-nilai-cerita")
