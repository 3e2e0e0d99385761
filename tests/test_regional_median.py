"""The one-pass province median per indicator keeps exactly the rows `metrics.comparable` keeps per code."""

import pandas as pd

from kesbang import dataset
from kesbang.analysis import metrics, regional
from kesbang.devtools import sample


def test_one_pass_median_matches_comparable_code_by_code():
    ds = dataset.from_submissions([(s, {}) for s in sample.build_submissions()])
    m = metrics.compute(ds.indicators, 3)
    m.loc[m.index[5], "satuan"] = "persen "  # a unit spelled differently: outvoted, left out like comparable does
    got = regional.province_median_by_indicator(m).set_index("kode_indikator")
    assert len(got) > 20
    for code in m["kode_indikator"].dropna().unique():
        keep, _ = metrics.comparable(m, code)
        if keep.empty:
            assert code not in got.index
            continue
        row = got.loc[code]
        assert row["median_provinsi"] == float(keep["capaian"].median())
        assert row["n_wilayah"] == keep["region"].nunique()
        assert row["satuan_banding"] == keep["satuan"].iat[0]


def test_empty_frame_gives_the_columns():
    empty = regional.province_median_by_indicator(pd.DataFrame(columns=["kode_indikator", "satuan", "capaian",
                                                                        "region"]))
    assert list(empty.columns) == ["kode_indikator", "satuan_banding", "median_provinsi", "n_wilayah"]
