"""`regional.budget_rows` and `indicator_choices` computed in one pass give exactly what the per-group
loops they replaced gave (the loops are kept here as the reference)."""

import pandas as pd
import pandas.testing as pdt

from kesbang import dataset
from kesbang.analysis import metrics, regional
from kesbang.devtools import sample


def _budget_rows_loop(m: pd.DataFrame) -> pd.DataFrame:
    with_pagu = m[pd.to_numeric(m["pagu"], errors="coerce") > 0]
    parts = []
    for _, part in with_pagu.groupby(["region", "year"], sort=False):
        for level in regional.LEVEL_DETAIL:
            rows = part[part["level"] == level]
            if not rows.empty:
                parts.append(rows)
                break
        else:
            parts.append(part)
    return pd.concat(parts) if parts else with_pagu.iloc[0:0]


def _most_common_mode(s: pd.Series) -> str:
    return str(s.mode().iat[0]) if s.notna().any() else ""


def _frame() -> pd.DataFrame:
    ds = dataset.from_submissions([(s, {}) for s in sample.build_submissions()])
    m = metrics.compute(ds.indicators, 3)
    # the awkward cases: a region-year whose money sits only at program level, one with a level outside the
    # hierarchy only, a row with no region, names and units that differ (and tie) between regions
    regions = m["region"].dropna().unique()
    first = (m["region"] == regions[0]) & (m["year"] == m["year"].max())
    m.loc[first & (m["level"] != "program"), "pagu"] = None
    second = (m["region"] == regions[1]) & (m["year"] == m["year"].max())
    m.loc[second, "level"] = "lain"
    m.loc[m.index[3], "region"] = None
    code = m["kode_indikator"].iat[7]
    same = m.index[m["kode_indikator"] == code]
    m.loc[same[: len(same) // 2], "indikator"] = "Nama lain"
    m.loc[same[0], "satuan"] = None
    return m


def test_budget_rows_match_the_loop():
    m = _frame()
    got, want = regional.budget_rows(m), _budget_rows_loop(m)
    assert len(want) > 10
    pdt.assert_frame_equal(got, want)


def test_budget_rows_of_frames_without_money():
    m = _frame()
    assert regional.budget_rows(m.assign(pagu=None)).empty
    assert regional.budget_rows(m.iloc[0:0]).empty


def test_indicator_choices_name_and_unit_are_each_codes_most_common():
    m = _frame()
    got = regional.indicator_choices(m).set_index("kode_indikator")
    for code, part in m.groupby("kode_indikator"):
        assert got.at[code, "indikator"] == _most_common_mode(part["indikator"])
        assert got.at[code, "satuan"] == _most_common_mode(part["satuan"])
        assert got.at[code, "n_regions"] == part["region"].nunique()
