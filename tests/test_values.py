"""Values-program proxies, outcome indices and the side-by-side summary on small hand-made frames."""

import datetime as dt
import math

import pandas as pd
import pytest

from kesbang import i18n, schema
from kesbang.analysis import indices, side_by_side, values
from kesbang.dataset import NILAI_COLUMNS


def act(region, year, tema, peserta=None, pre=None, post=None, rubrik=None, narasi=None, data_dukung=None,
        tanggal=None, kode_subkegiatan=None):
    row = {c: None for c in NILAI_COLUMNS}
    row.update(region=region, province=region[:2], year=year, submission_id=1, row=1, tema=tema,
               kegiatan=f"Kegiatan {tema}", tanggal=tanggal or dt.date(year, 3, 1), peserta=peserta,
               pre_test=pre, post_test=post, rubrik=rubrik, narasi=narasi, data_dukung=data_dukung,
               kode_subkegiatan=kode_subkegiatan)
    return row


@pytest.fixture
def nilai():
    return pd.DataFrame([
        act("62.02", 2025, "Pembudayaan Pancasila", 100, 60, 80, 3, "Siswa membentuk klub diskusi.",
            "https://example.org/foto", tanggal=dt.date(2025, 3, 10)),
        act("62.02", 2025, "Pembudayaan Pancasila", 300, 50, 55, 2, tanggal=dt.date(2025, 4, 2)),
        act("62.02", 2025, "Belom Bahadat / kearifan lokal", 50, rubrik=5,
            narasi="Musyawarah adat berlanjut.", data_dukung="javascript:alert(1)",
            tanggal=dt.date(2025, 5, 1)),
        act("62.08", 2025, "Pendidikan Politik", 67, tanggal=dt.date(2025, 6, 1)),
    ])


def test_reach_per_10000_inhabitants_uses_registry_population(nilai):
    r = values.reach(nilai)
    kotim = r[r["region"] == "62.02"].iloc[0]
    assert kotim["kegiatan"] == 3 and kotim["peserta"] == 450
    assert kotim["penduduk"] == 454515  # Kotawaringin Timur 2025 (DOMAIN.md)
    assert kotim["per_10rb"] == pytest.approx(450 / 454515 * 10_000)
    sukamara = r[r["region"] == "62.08"].iloc[0]
    assert sukamara["per_10rb"] == pytest.approx(67 / 67234 * 10_000)


def test_activities_by_theme_and_month(nilai):
    by = values.activities_by(nilai, ["tema"])
    assert by.set_index("tema").loc["Pembudayaan Pancasila", "kegiatan"] == 2
    assert by.set_index("tema").loc["Pembudayaan Pancasila", "peserta"] == 400
    months = values.activities_by(nilai, ["bulan"])
    assert len(months) == 4 and months["bulan"].min() == pd.Timestamp(2025, 3, 1)


def test_pre_post_gain_weighted_by_participants(nilai):
    g = values.test_gain(nilai)
    assert g.iloc[0]["n"] == 2
    pre = (60 * 100 + 50 * 300) / 400
    post = (80 * 100 + 55 * 300) / 400
    assert g.iloc[0]["pre"] == pytest.approx(pre)
    assert g.iloc[0]["gain"] == pytest.approx(post - pre)
    by_theme = values.test_gain(nilai, ["tema"])
    assert list(by_theme["tema"]) == ["Pembudayaan Pancasila"]


def test_rubric_distribution_lists_every_level_with_its_definition(nilai):
    dist = values.rubric_distribution(nilai, "id")
    assert list(dist["level"]) == [1, 2, 3, 4, 5]
    assert list(dist["kegiatan"]) == [0, 1, 1, 0, 1]
    assert dist.attrs["tanpa_level"] == 1
    assert dist.loc[dist["level"] == 5, "definisi"].iat[0] == i18n.t("rubrik.level_5_def", "id")
    en = values.rubric_definitions("en")
    assert en["definisi"].iat[0].startswith("The activity took place")
    assert all(not d.startswith("rubrik.") for d in en["definisi"])


def test_stories_keep_only_http_links_as_links(nilai):
    s = values.stories(nilai)
    assert len(s) == 2
    newest = s.iloc[0]
    assert newest["narasi"] == "Musyawarah adat berlanjut."
    assert newest["tautan"] is None and newest["data_dukung"] == "javascript:alert(1)"
    assert s.iloc[1]["tautan"] == "https://example.org/foto"
    assert s.iloc[0]["nama_wilayah"] == "Kotawaringin Timur"


@pytest.mark.parametrize("url,ok", [
    ("https://bukti.go.id/a b", False), ("http://x.id/foto.jpg", True), ("HTTPS://X.ID", True),
    ("data:text/html,<script>", False), ("file:///etc/passwd", False), ("//evil.example", False),
    ("javascript:alert(1)", False), ("", False), (None, False),
])
def test_safe_url(url, ok):
    assert (values.safe_url(url) is not None) is ok


def test_every_theme_has_a_catalogue_label():
    for theme in schema.THEMES:
        for lang in ("id", "en"):
            assert not values.theme_label(theme, lang).startswith("tema.")
    assert values.theme_label("Bela Negara", "en") == "State Defence"


def test_empty_values_frames():
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in NILAI_COLUMNS})
    assert values.reach(empty).empty and values.test_gain(empty).empty and values.stories(empty).empty
    assert values.activities_by(empty, ["tema"]).empty
    assert list(values.rubric_distribution(empty)["kegiatan"]) == [0] * 5


def test_indices_carry_source_and_check_marks():
    kalteng = indices.for_province("62")
    idi = kalteng[kalteng["indeks"] == "IDI"].set_index("tahun")["nilai"]
    assert idi.to_dict() == {2022: 79.30, 2023: 77.57, 2024: 78.47}
    ikp = kalteng[kalteng["indeks"] == "IKP"].iloc[0]
    assert ikp["polaritas"] == "negatif" and ikp["kategori"] == "rendah" and bool(ikp["cek"])
    assert "IAP" in set(kalteng["indeks"])  # national figure shown with the province
    assert all(kalteng["sumber"].str.len() > 0)
    kaltim = indices.for_province("64", include_national=False)
    assert kaltim[kaltim["indeks"] == "KUB"]["nilai"].tolist() == [73.6]
    assert set(kaltim["wilayah"]) == {"64"}
    # published a year after the year it measures
    assert indices.lag_years(kalteng[kalteng["indeks"] == "IDI"]).tolist() == [1, 1, 1]
    assert indices.index_name("IDI", "en") == "Indonesian Democracy Index (IDI)"


def test_side_by_side_places_activities_by_code_then_theme(nilai):
    nilai.loc[3, "kode_subkegiatan"] = "8.01.06.2.01.0003"  # a political-education theme under 8.01.06 code
    metrics = pd.DataFrame({"kode_program": ["8.01.02", "8.01.02", "8.01.02", "8.01.04"],
                            "capaian": [100.0, 80.0, None, 50.0], "kategori": ["ST", "T", None, "SR"]})
    s = side_by_side.summary(metrics, nilai, indices.for_province("62")).set_index("program")
    assert s.loc["8.01.02", "n_indikator"] == 3
    assert s.loc["8.01.02", "capaian_rata"] == pytest.approx(90.0)
    assert s.loc["8.01.02", "n_tidak_terhitung"] == 1
    assert s.loc["8.01.02", "n_ST"] == 1 and s.loc["8.01.04", "n_SR"] == 1
    assert s.loc["8.01.02", "n_kegiatan"] == 2 and s.loc["8.01.02", "peserta"] == 400
    assert s.loc["8.01.05", "n_kegiatan"] == 1 and s.loc["8.01.05", "rubrik_median"] == 5
    assert s.loc["8.01.06", "n_kegiatan"] == 1 and s.loc["8.01.03", "n_kegiatan"] == 0
    assert s.loc["8.01.03", "n_indeks"] == 3  # IDI 2022-2024 for Kalteng
    assert math.isnan(s.loc["8.01.03", "capaian_rata"])


def test_side_by_side_on_nothing():
    s = side_by_side.summary(pd.DataFrame(), pd.DataFrame(), indices.load().iloc[0:0])
    assert list(s["program"]) == side_by_side.PROGRAMS
    assert (s["n_indikator"] == 0).all() and (s["n_kegiatan"] == 0).all()
