"""A believable sample province: parsed submissions for all 24 regencies of Kalteng and Kaltim, 2025 and 2026.

Deterministic (seeded per region and year, no clock), built from the registry (population), the
nomenclature and the standard indicator catalogue. `sample_data/` is these submissions written with
the template writer (`python -m kesbang sample`), so file and in-memory sample never drift.

Everything is synthetic ("Data sintetis") except the figures DOMAIN.md gives with a source: Kalteng's
2024 registered-ormas counts, the real Paskibraka funnel sizes (Kotawaringin Timur, Barito Selatan,
Kotawaringin Barat, Kutai Timur, Balikpapan) and the provincial outcome indices (IDI, KUB, IKP).
The variety is deliberate: regencies differ in size, in which sub-kegiatan they run, in performance
(all five achievement categories occur), and a few files carry the warnings operators really make.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd

from kesbang import nomenclature, regions, schema
from kesbang.exports.template import FIRST_DATA_ROW
from kesbang.intake.numbers import format_plain
from kesbang.model import Submission, ValidationIssue

PROVINCES = ("62", "64")
YEARS = {2025: "Tahunan", 2026: "TW III"}
RPJMD_PERIOD = "2025-2029"
SYNTHETIC = "Data sintetis"
EXAMPLE_URL = "https://example.org/kesbangpol"

# --- what makes regencies differ ---------------------------------------------------------------------

# Performance profile: a multiplier on realisation/target. Most regencies are near target.
UNDER = {"62.08": 0.55, "64.11": 0.5, "62.12": 0.68}
OVER = {"64.72": 1.18, "62.71": 1.12, "64.71": 1.1}

# Sub-kegiatan / programs a regency does not run (the "inspiration" analysis must find these gaps).
NOT_RUN: dict[str, tuple[str, ...]] = {
    "62.08": ("8.01.02.2.01.0009", "8.01.02.2.01.0010", "8.01.02.2.01.0011", "8.01.02.2.01.0006"),
    "62.12": ("8.01.02.2.01.0009", "8.01.02.2.01.0010", "8.01.02.2.01.0011"),
    "64.11": ("8.01.02.2.01.0009", "8.01.02.2.01.0010", "8.01.02.2.01.0011", "8.01.05"),
    "62.13": ("8.01.02.2.01.0009", "8.01.02.2.01.0010"),
    "62.09": ("8.01.05",),
    "64.07": ("8.01.05", "8.01.02.2.01.0006"),
    "64.09": ("8.01.05",),
    "62.04": ("8.01.02.2.01.0006",),
    "64.74": ("8.01.03.2.01.0006",),
    "62.07": ("8.01.02.2.01.0007",),
}

# Registered ormas, Kalteng 2024 (DOMAIN.md): used as the baseline of the ormas indicator.
ORMAS_KALTENG_2024 = {"62.71": 32, "62.06": 32, "62.01": 42, "62.02": 83, "62.05": 41, "62.13": 36,
                      "62.04": 45, "62.08": 61, "62.09": 93, "62.03": 50, "62.11": 90, "62.12": 46,
                      "62.07": 100, "62.10": 43}
ORMAS_SOURCE = "Kesbangpol Provinsi Kalimantan Tengah, jumlah ormas terdaftar 2024 (kondisi awal)"

# Real Paskibraka sizes (DOMAIN.md), used for 2025: region -> (selected, registrants or None, source).
PASKIBRAKA_REAL = {
    "62.02": (75, 398, "Ukuran mengikuti angka terbit 2023: 398 pendaftar, 75 terpilih (pemberitaan media)"),
    "62.04": (74, None, "Ukuran mengikuti angka terbit 2023: 74 anggota + 4 dikirim ke provinsi"),
    "62.01": (70, None, "Ukuran mengikuti angka terbit 2023: 70 anggota"),
    "64.08": (36, None, "Angka terbit 2025: 36 anggota, anggaran Rp 3 miliar"),
    "64.71": (39, None, "Ukuran mengikuti angka terbit 2024: 39 anggota + 4 dikirim ke provinsi"),
}
KUTIM_PASKIBRAKA_PAGU = 3_000_000_000

# Stage calendar (month, day) start/end; fixed ceremonies never move.
STAGE_DATES = {
    "sekolah": ((2, 3), (2, 28)), "pendaftar": ((3, 2), (3, 14)), "lulus_kesehatan": ((3, 18), (3, 21)),
    "lulus_administrasi": ((3, 24), (3, 26)), "lulus_pancasila": ((4, 7), (4, 8)),
    "lulus_fisik": ((4, 14), (4, 16)), "lulus_wawancara": ((4, 21), (4, 22)), "ditetapkan": ((5, 5), (5, 5)),
    "dikirim_provinsi": ((5, 12), (5, 16)), "tugas_1_juni": ((6, 1), (6, 1)), "diklat": ((5, 25), (8, 14)),
    "dikukuhkan": ((8, 15), (8, 15)), "tugas_17_agustus": ((8, 17), (8, 17)),
    "duta_pancasila": ((9, 5), (9, 5)),
}
FIXED_STAGES = {"tugas_1_juni", "dikukuhkan", "tugas_17_agustus"}

# The warnings a few files carry (none blocks storage): region, year -> kind.
WARNINGS = {
    ("62.05", 2025): "budget_over_pagu",
    ("64.09", 2026): "unknown_rpjmd",
    ("62.12", 2025): "target_meningkat",
    ("64.11", 2026): "realisasi_na",
    ("62.08", 2025): "other_period",
    ("62.08", 2026): "other_period",
    ("64.07", 2025): "unmapped",
    ("64.07", 2026): "unmapped",
    ("64.72", 2025): "unit_mismatch",
    # weaknesses only the measurability audit names (the loader has nothing to say about them)
    ("62.03", 2026): "baseline_blank",
    ("62.10", 2026): "activity_outcome",
    ("64.02", 2025): "activity_outcome",
}
# the indicators whose kondisi awal the operator left blank, and the outcome reworded as an activity count
BLANK_BASELINE = ("8.01.02.2.01.0005.01", "8.01.02.2.01.0007.01", "8.01.04.P.01")
ACTIVITY_OUTCOME = ("8.01.03.P.01", "Persentase kegiatan pendidikan politik yang terlaksana")
UNKNOWN_RPJMD_CODE = "RPJMD.02.09"

# --- indicator value rules -----------------------------------------------------------------------------

# When in the year a flow happens: weights per quarter (kumulatif), or the quarter a stock is measured.
_TIMING = {
    "8.01.01.2.01.0001.01": (1, 0, 0, 0),
    "8.01.02.2.01.0001.01": (1, 0, 0, 0),
    "8.01.02.2.01.0008.01": (0, 1, 0, 0),
    "8.01.02.2.01.0008.02": (1, 0, 0, 0),
    "8.01.02.2.01.0011.01": (0, 0, 1, 0),
    "8.01.03.2.01.0006.01": (0, 0, 1, 0),
}
_QUARTERLY_REPORTS = {"Laporan"}
# Pagu ranges (Rp million) per sub-kegiatan suffix; Paskibraka is sized by members below.
_PAGU = {
    "8.01.01.2.01.0001": (60, 120), "8.01.01.2.01.0006": (40, 90),
    "8.01.02.2.01.0001": (30, 60), "8.01.02.2.01.0003": (200, 600), "8.01.02.2.01.0005": (30, 60),
    "8.01.02.2.01.0006": (80, 200), "8.01.02.2.01.0007": (60, 150), "8.01.02.2.01.0009": (50, 150),
    "8.01.02.2.01.0010": (40, 100), "8.01.02.2.01.0011": (30, 80),
    "8.01.03.2.01.0003": (150, 450), "8.01.03.2.01.0004": (50, 120), "8.01.03.2.01.0006": (100, 300),
    "8.01.04.2.01.0003": (80, 200), "8.01.04.2.01.0005": (30, 70),
    "8.01.05.2.01.0003": (100, 250), "8.01.05.2.01.0004": (80, 200),
    "8.01.06.2.01.0003": (60, 150), "8.01.06.2.01.0004": (80, 200), "8.01.06.2.01.0006": (150, 400),
}

_PENDORONG = [
    "Dukungan Forkopimda dan camat dalam mobilisasi peserta",
    "Kerja sama dengan Dinas Pendidikan dan sekolah",
    "Anggaran tersedia tepat waktu",
    "Partisipasi aktif tokoh agama dan tokoh adat",
    "Koordinasi rutin dengan FKUB dan FKDM",
    "Pemanfaatan media sosial untuk sosialisasi",
]
_PENGHAMBAT = [
    "Keterbatasan anggaran dan rasionalisasi belanja",
    "Jarak tempuh ke desa pedalaman dan akses sungai",
    "Cuaca ekstrem dan banjir musiman",
    "Jadwal kegiatan berbenturan dengan agenda daerah",
    "- Keterbatasan jumlah fasilitator\n- Data sasaran belum mutakhir",
    "Pergantian operator pelaporan",
]
_TINDAK_LANJUT = [
    "Menjadwalkan ulang kegiatan pada triwulan berikutnya",
    "Mengusulkan tambahan anggaran pada APBD Perubahan",
    "- Melibatkan kecamatan sebagai penyelenggara\n- Memperbarui data sasaran",
    "Memperkuat koordinasi dengan perangkat daerah terkait",
    "+ Menambah sesi daring bagi peserta di wilayah terpencil",
]

_THEME_ACTIVITIES = {
    "Pembudayaan Pancasila": (
        ["Sosialisasi pembudayaan Pancasila bagi pelajar", "Lomba cerdas cermat Pancasila tingkat SMA",
         "Sarasehan nilai-nilai Pancasila di lingkungan kerja"],
        ["Pelajar SMA/SMK", "Pelajar SMA/SMK", "ASN"], "8.01.02.2.01.0003"),
    "Wawasan Kebangsaan": (
        ["Dialog wawasan kebangsaan bagi pemuda", "Kemah kebangsaan pelajar", "Seminar wawasan kebangsaan"],
        ["Pemuda dan mahasiswa", "Pelajar SMP", "Organisasi kepemudaan"], "8.01.02.2.01.0003"),
    "Bela Negara": (
        ["Pelatihan kesadaran bela negara", "Jambore bela negara",
         "Pembinaan bela negara bagi Purnapaskibraka"],
        ["Pemuda desa", "Pelajar SMA/SMK", "Purnapaskibraka"], "8.01.02.2.01.0007"),
    "Belom Bahadat / kearifan lokal": (
        ["Sarasehan Belom Bahadat dan falsafah Huma Betang", "Festival budaya Huma Betang",
         "Dialog adat bersama Damang dan mantir adat"],
        ["Pemuda adat", "Masyarakat umum", "Tokoh adat"], "8.01.02.2.01.0003"),
    "Pendidikan Politik": (
        ["Pendidikan politik bagi pemilih pemula", "Pendidikan politik bagi perempuan",
         "Sosialisasi etika dan budaya politik bagi pengurus partai"],
        ["Pemilih pemula", "Kelompok perempuan", "Pengurus partai politik"], "8.01.03.2.01.0003"),
    "Kerukunan Umat Beragama": (
        ["Dialog lintas agama bersama FKUB", "Kemah kerukunan pemuda lintas agama",
         "Sosialisasi moderasi beragama"],
        ["Tokoh agama", "Pemuda lintas agama", "Penyuluh agama"], "8.01.05.2.01.0003"),
    "Pembauran Kebangsaan": (
        ["Temu karya Forum Pembauran Kebangsaan", "Pentas seni pembauran antaretnis",
         "Gotong royong lintas paguyuban"],
        ["Paguyuban etnis", "Masyarakat umum", "Paguyuban etnis"], "8.01.05.2.01.0004"),
}
_NARASI = [
    "Peserta menyusun komitmen bersama untuk menolak perundungan dan intoleransi di sekolah.",
    "Diskusi berlanjut di tingkat desa; dua kelompok pemuda membentuk forum kebangsaan.",
    "Hasil post-test menunjukkan pemahaman sila ketiga dan keempat meningkat paling tinggi.",
    "Kegiatan diikuti perwakilan semua kecamatan; beberapa peserta dari desa pedalaman hadir via daring.",
    "Tokoh adat dan tokoh agama sepakat mengadakan pertemuan musyawarah rutin setiap triwulan.",
    "Peserta mempraktikkan musyawarah mufakat dalam simulasi penyelesaian sengketa warga.",
    "Sekolah peserta menindaklanjuti dengan kegiatan upacara dan diskusi kebangsaan bulanan.",
    "Peserta perempuan aktif menyampaikan usulan; panitia mencatat kebutuhan pendampingan lanjutan.",
]
# activity names pair with the target group at the same position in _THEME_ACTIVITIES
_VENUES = ["Aula Kantor Kesbangpol", "Gedung Pertemuan Umum", "Balai Desa", "Aula Kecamatan", "Gedung Olahraga"]
_SCHOOL_VENUES = ["SMA Negeri 1", "SMA Negeri 2", "Aula Kantor Kesbangpol"]
_ADAT_VENUE = {"62": "Rumah Betang", "64": "Lamin Adat"}  # the Dayak longhouse, as each province calls it


def _rng(seed: int, *parts: object) -> random.Random:
    # string seeds hash with sha512 in CPython: stable across processes, unlike hash()
    return random.Random(f"{seed}:" + ":".join(str(p) for p in parts))


def sample_regions() -> pd.DataFrame:
    frames = [regions.regions_in(p) for p in PROVINCES]
    return pd.concat(frames, ignore_index=True)


def _runs(region: str, indicator: dict) -> bool:
    missing = NOT_RUN.get(region, ())
    codes = [indicator["kode_program"], indicator["kode_kegiatan"], indicator["kode_subkegiatan"]]
    return not any(c and (c == m or c.startswith(m + ".")) for c in codes for m in missing)


# --- Paskibraka funnel ---------------------------------------------------------------------------------

def _selected_size(region: str, population: int, year: int,
                   rng: random.Random) -> tuple[int, int | None, str]:
    if year == 2025 and region in PASKIBRAKA_REAL:
        sel, reg, source = PASKIBRAKA_REAL[region]
        return sel, reg, source
    base = 40 + population / 16000
    if region in PASKIBRAKA_REAL:  # keep real-sized regencies near their published size
        base = PASKIBRAKA_REAL[region][0]
    sel = int(round(min(75, max(36, base + rng.uniform(-4, 4)))))
    return sel, None, SYNTHETIC


def _split(total: int, rng: random.Random, share: float | None = None) -> tuple[int, int]:
    share = rng.uniform(0.46, 0.54) if share is None else share
    putra = int(round(total * share))
    return putra, total - putra


def _period_end(year: int, period: str) -> dt.date:
    """The last day a submission for `period` can report on."""
    quarter = schema.PERIOD_QUARTERS[period]
    return (dt.date(year, 3 * quarter, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _date(year: int, md: tuple[int, int]) -> dt.date:
    return dt.date(year, *md)


def build_paskibraka(region: str, year: int, period: str, seed: int = 2025) -> tuple[pd.DataFrame, dict]:
    """The stage funnel of one regency-year, plus facts the indicator sheet reuses (selected, schools…)."""
    rng = _rng(seed, "paskibraka", region, year)
    pop = int(regions.region(region)["population"])
    sel, registrants, source = _selected_size(region, pop, year, rng)
    if registrants is None:
        registrants = int(round(sel * rng.uniform(4.2, 7.0)))
    schools = int(round(min(90, max(12, registrants / rng.uniform(5, 9)))))
    late = rng.random() < 0.3  # a third of regencies run some selection stages late
    # training starts in late May (before the 1 Juni duty) and runs in phases until mid-August; it never
    # slips, so the legal stage order (selection, training, inauguration and duty) holds
    candidates = ["lulus_pancasila", "lulus_fisik", "lulus_wawancara", "ditetapkan"]
    late_stages = set(rng.sample(candidates, 2)) if late else set()
    runs_duta = _runs(region, {"kode_program": "8.01.02", "kode_kegiatan": "8.01.02.2.01",
                               "kode_subkegiatan": "8.01.02.2.01.0011"})
    dropout = 1 if rng.random() < 0.25 else 0

    # selection stages shrink geometrically from registrants to the interview pass list
    interview = sel + int(round(sel * rng.uniform(0.08, 0.25)))
    steps = ["pendaftar", "lulus_kesehatan", "lulus_administrasi", "lulus_pancasila", "lulus_fisik",
             "lulus_wawancara"]
    counts: dict[str, int] = {}
    for k, key in enumerate(steps):
        frac = k / (len(steps) - 1)
        value = registrants * (interview / registrants) ** frac
        counts[key] = int(round(value * (1 if k in (0, len(steps) - 1) else rng.uniform(0.97, 1.03))))
    for a, b in zip(steps, steps[1:]):
        counts[b] = min(counts[b], counts[a])
    counts["ditetapkan"] = sel
    counts["dikirim_provinsi"] = 4
    counts["tugas_1_juni"] = sel - rng.choice([0, 0, 1, 2])
    counts["diklat"] = sel - dropout
    counts["dikukuhkan"] = sel - dropout
    counts["tugas_17_agustus"] = sel - dropout
    counts["duta_pancasila"] = sel - dropout - rng.choice([0, 0, 0, 1])

    last_day = _period_end(year, period)
    rows = []
    registrant_share = rng.uniform(0.44, 0.5)  # more girls register in most regencies
    for stage in schema.STAGES:
        if stage.key == "duta_pancasila" and not runs_duta:
            continue
        (ms, ds), (me, de) = STAGE_DATES[stage.key]
        plan_start, plan_end = _date(year, (ms, ds)), _date(year, (me, de))
        shift = 0
        if stage.key in late_stages:
            shift = rng.randint(3, 14)
        act_start = plan_start + dt.timedelta(days=shift)
        act_end = plan_end + dt.timedelta(days=shift)
        done = act_end <= last_day
        note = None
        if stage.key == "sekolah":
            putra = putri = None
            total = schools if done else None
        else:
            total = counts[stage.key] if done else None
            if total is None:
                putra = putri = None
            elif stage.key in ("ditetapkan", "diklat", "dikukuhkan", "tugas_17_agustus", "tugas_1_juni",
                               "duta_pancasila"):
                putra, putri = _split(total, rng, 0.5)
            elif stage.key == "dikirim_provinsi":
                putra, putri = 2, 2
            else:
                share = registrant_share + (0.5 - registrant_share) * (steps.index(stage.key) / 5)
                putra, putri = _split(total, rng, share)
        if shift and stage.key not in FIXED_STAGES:
            note = f"Terlambat {shift} hari dari jadwal"
        if stage.key == "diklat" and dropout and done:
            note = "1 peserta mengundurkan diri karena sakit"
        if stage.key == "ditetapkan" and done:
            note = source if source != SYNTHETIC else f"{SYNTHETIC}"
        if stage.key == "dikirim_provinsi" and done:
            note = "2 putra dan 2 putri mengikuti seleksi tingkat provinsi"
        if stage.key in FIXED_STAGES:
            act_start, act_end = plan_start, plan_end
        rows.append({
            "tahap": stage.key, "putra": putra, "putri": putri, "jumlah": total,
            "rencana_mulai": plan_start, "rencana_selesai": plan_end,
            "realisasi_mulai": act_start if act_start <= last_day else None,
            "realisasi_selesai": act_end if done else None,
            "catatan": note,
        })
    frame = pd.DataFrame(rows, columns=schema.PASKIBRAKA.keys)
    for c in ("putra", "putri", "jumlah"):  # counts are numbers like every numeric cell the loader reads
        frame[c] = frame[c].astype(float)
    frame["row"] = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    facts = {"selected": sel, "registrants": registrants, "schools": schools,
             "served_17": counts["tugas_17_agustus"], "duta": counts["duta_pancasila"], "source": source}
    return frame, facts


# --- indicators ------------------------------------------------------------------------------------------

def _quarter_weights(code: str, rng: random.Random) -> np.ndarray:
    if code in _TIMING:
        return np.array(_TIMING[code], dtype=float)
    w = np.array([rng.uniform(0.5, 1.0), rng.uniform(0.8, 1.4), rng.uniform(0.8, 1.4), rng.uniform(0.5, 1.2)])
    return w / w.sum()


def _spread_int(total: float, weights: np.ndarray) -> list[float]:
    """Split a whole-number total over quarters by weight; the parts add up exactly."""
    total = int(round(total))
    raw = total * weights / weights.sum()
    parts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - parts))[: total - parts.sum()]:
        parts[i] += 1
    return [float(p) for p in parts]


def _fmt_id(value: float) -> str:
    """A number as an Indonesian operator writes it: 4,43 / 120."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _target_and_baseline(ind: dict, region: str, pop: int, facts: dict, rng: random.Random,
                         year: int) -> tuple[float, float, bool]:
    """(target, baseline, integer-valued) of an indicator for a regency."""
    code, unit = ind["kode_indikator"], ind["satuan"]
    k = pop / 1000
    if code == "8.01.02.2.01.0008.01":
        return float(facts["selected"]), float(facts["selected"] - rng.randint(-3, 3)), True
    if code == "8.01.02.2.01.0008.02":
        return float(round(facts["schools"] * rng.uniform(0.9, 1.05))), float(facts["schools"] - 2), True
    if code == "8.01.03.2.01.0006.01":
        return float(facts["selected"]), float(facts["selected"] - rng.randint(0, 4)), True
    if code == "8.01.02.2.01.0011.01":
        return float(facts["selected"]), float(facts["selected"] - rng.randint(0, 6)), True
    if code == "8.01.04.2.01.0003.01":
        base = ORMAS_KALTENG_2024.get(region) or int(round(25 + k / 12 + rng.uniform(-5, 5)))
        return float(base + rng.randint(2, 6)), float(base), True
    if code == "8.01.03.2.01.0003.02":
        n = rng.randint(9, 13)
        return float(n), float(n), True
    if code == "8.01.05.2.01.0003.01":
        return 3.0, 3.0, True
    if code == "8.01.01.P.01":
        t = round(rng.uniform(68, 78), 2)
        return t, round(t - rng.uniform(1, 3), 2), False
    if code == "8.01.05.P.01":
        t = round(rng.uniform(74, 80), 2)
        return t, round(t - rng.uniform(0.5, 2), 2), False
    if code == "8.01.06.P.01":
        t = float(max(2, round(k / 90 + rng.uniform(0, 3))))
        return t, t + rng.randint(0, 3), True
    if unit == "Persen":
        if ind["level"] == "kegiatan" and code != "8.01.06.2.01.01":
            return 100.0, 100.0, True
        t = float(rng.choice([75, 80, 85, 90]) if code != "8.01.06.2.01.01" else rng.choice([90, 95, 100]))
        return t, t - rng.choice([3, 5, 8]), True
    if unit == "Orang":
        per_k = {"8.01.02.2.01.0003.01": 2.0, "8.01.03.2.01.0003.01": 1.1, "8.01.02.2.01.0006.01": 0.45,
                 "8.01.02.2.01.0007.01": 0.25, "8.01.02.2.01.0009.01": 0.12}.get(code, 0.3)
        t = max(20, round(k * per_k * rng.uniform(0.8, 1.2) / 10) * 10)
        return float(t), float(round(t * rng.uniform(0.8, 1.0))), True
    if unit == "Dokumen":
        t = float(rng.choice([1, 2, 3, 4])) if code.startswith("8.01.01") else 1.0
        return t, t, True
    if unit in _QUARTERLY_REPORTS:
        t = float(rng.choice([4, 4, 4, 12]))
        return t, t, True
    if unit == "Kali":
        t = float(rng.choice([4, 6, 8, 10, 12]))
        return t, t - 2, True
    if unit == "Kegiatan":
        t = float(rng.randint(3, 8))
        return t, t - 1, True
    if unit == "Desa":
        t = float(rng.randint(6, 30))
        return t, max(0, t - rng.randint(2, 6)), True
    if unit == "Ormas":
        t = float(rng.randint(6, 20))
        return t, t - 2, True
    t = float(rng.randint(4, 12))
    return t, t, True


def _quarters(ind: dict, baseline: float, final: float, is_int: bool, n_q: int,
              weights: np.ndarray) -> list[float]:
    """Quarterly realisation consistent with the roll-up type; NaN after the reporting period.

    `final` is the year's realisation so far: the sum of the reported quarters for a flow
    (spread by `weights`), the position at the last reported quarter for a stock or percentage.
    """
    code, rollup = ind["kode_indikator"], ind["akumulasi"]
    out = [math.nan] * 4
    if rollup == "kumulatif":
        w = weights[:n_q]
        part = _spread_int(final, w) if is_int else [round(x, 2) for x in final * w / w.sum()]
        return part + [math.nan] * (4 - n_q)
    if ind["jenis_ukuran"] == "indeks":
        # an index is measured once a year (SAKIP evaluation in TW IV, the harmony survey in TW III):
        # until then the position is last year's score
        measured = 4 if code == "8.01.01.P.01" else 3
        out[:n_q] = [baseline if q + 1 < measured else final for q in range(n_q)]
        return out
    # stok / persentase: the position at the end of each quarter moves from the baseline to the final value
    start = baseline if ind["polaritas"] == "positif" else 0.0
    for q in range(n_q):
        frac = (q + 1) / n_q
        v = start + (final - start) * frac
        if ind["level"] == "kegiatan" and ind["satuan"] == "Persen" and code != "8.01.06.2.01.01":
            v = final * (q + 1) / 4  # share of sub-kegiatan done so far
        out[q] = float(round(v)) if is_int else round(v, 2)
    out[n_q - 1] = final
    return out


def build_indicators(region: str, year: int, period: str, facts: dict, seed: int = 2025,
                     previous: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    info = regions.region(region)
    pop = int(info["population"])
    perf = UNDER.get(region) or OVER.get(region) or _rng(seed, "perf", region).uniform(0.8, 1.03)
    n_q = schema.PERIOD_QUARTERS[period]
    warning = WARNINGS.get((region, year))
    catalogue = nomenclature.standard_indicators()
    rows: list[dict] = []
    issues: list[ValidationIssue] = []
    seen_sub: set[str] = set()
    for ind in catalogue.to_dict("records"):
        if not _runs(region, ind):
            continue
        ind_rng = _rng(seed, "ind", region, year, ind["kode_indikator"])
        target, baseline, is_int = _target_and_baseline(ind, region, pop, facts, _rng(seed, "t", region,
                                                        ind["kode_indikator"]), year)
        if previous is not None:
            prev = previous[previous["kode_indikator"] == ind["kode_indikator"]]
            if not prev.empty:
                prev_real = _yearly(prev.iloc[0])
                if not math.isnan(prev_real):
                    baseline = prev_real
                if is_int and ind["akumulasi"] == "kumulatif" and ind["satuan"] not in ("Dokumen", "Laporan"):
                    target = float(round(target * 1.05)) if ind["kode_indikator"] not in _TIMING else target
        code = ind["kode_indikator"]
        ratio = perf * ind_rng.uniform(0.88, 1.08)
        if code.startswith("8.01.02.2.01.0008") or code in ("8.01.03.2.01.0006.01", "8.01.02.2.01.0011.01"):
            ratio = 1.0  # Paskibraka counts come from the funnel itself
        # the year's realisation by the end of the reporting period
        if ind["polaritas"] == "negatif":
            final = float(round(target * (2 - ratio) + ind_rng.choice([0, 0, 1])))
            final = max(0.0, final)
        elif code == "8.01.02.2.01.0008.01":
            final = float(facts["selected"])
        elif code == "8.01.03.2.01.0006.01":
            final = float(facts["served_17"])
        elif code == "8.01.02.2.01.0011.01":
            final = float(facts["duta"])
        elif code == "8.01.02.2.01.0008.02":
            final = float(facts["schools"])
        elif ind["akumulasi"] == "persentase":
            final = min(100.0, round(target * ratio, 0 if is_int else 2))
        elif ind["akumulasi"] == "stok" and code in ("8.01.04.2.01.0003.01", "8.01.05.2.01.0003.01",
                                                     "8.01.03.2.01.0003.02"):
            final = float(round(max(baseline, target * min(ratio, 1.05))))
        else:
            final = round(target * ratio) if is_int else round(target * ratio, 2)
            final = float(final)
        weights = (np.ones(4) / 4 if ind["satuan"] in _QUARTERLY_REPORTS
                   else _quarter_weights(code, ind_rng))
        if ind["akumulasi"] == "kumulatif" and n_q < 4 and code not in _TIMING:
            # a flow reported to TW III is the year's flow so far: about the share planned by then
            share = weights[:n_q].sum() * ind_rng.uniform(0.92, 1.04)
            final = float(round(final * share)) if is_int else round(final * share, 2)
        quarters = _quarters(ind, baseline, final, is_int, n_q, weights)

        target_text = format_plain(float(target))
        tmin = tmax = target
        if ind["jenis_ukuran"] == "indeks" and ind_rng.random() < 0.5:
            tmin, tmax = round(target - 0.25, 2), round(target + 0.25, 2)
            target_text = f"{_fmt_id(tmin)}–{_fmt_id(tmax)}"

        pagu = math.nan
        anggaran = [math.nan] * 4
        sub = ind["kode_subkegiatan"]
        if sub and sub not in seen_sub:
            seen_sub.add(sub)
            prng = _rng(seed, "pagu", region, year, sub)
            if sub == "8.01.02.2.01.0008":
                pagu = (KUTIM_PASKIBRAKA_PAGU if (region == "64.08" and year == 2025)
                        else round(facts["selected"] * prng.uniform(12, 20) * 1e6, -5))
            else:
                lo, hi = _PAGU.get(sub, (40, 100))
                pagu = round(prng.uniform(lo, hi) * (0.7 + pop / 1_500_000) * 1e6, -5)
            absorb = prng.uniform(0.62, 0.99) if n_q == 4 else prng.uniform(0.45, 0.8)
            if region in UNDER:
                absorb *= 0.8
            w = _quarter_weights(code, prng)
            w = w + 0.05  # some spending every quarter (honoraria, ATK)
            spent = pagu * absorb * w[:n_q] / w[:n_q].sum()
            anggaran = [float(round(x, -3)) for x in spent] + [math.nan] * (4 - n_q)

        source = SYNTHETIC
        if code == "8.01.04.2.01.0003.01" and region in ORMAS_KALTENG_2024:
            source = f"{SYNTHETIC}; {ORMAS_SOURCE}" if year == 2025 else SYNTHETIC
        if code == "8.01.02.2.01.0008.01" and year == 2025 and region in PASKIBRAKA_REAL:
            source = f"{SYNTHETIC}; {facts['source']}"
        achievement = (final / target) if target else 1.0
        if ind["polaritas"] == "negatif" and target:
            achievement = (2 * target - final) / target
        weak = achievement < (0.8 if n_q == 4 else 0.6)
        text_rng = _rng(seed, "text", region, year, code)
        show_text = ind["level"] != "subkegiatan" or weak or text_rng.random() < 0.3
        row = {
            "kode_program": ind["kode_program"], "kode_kegiatan": ind["kode_kegiatan"] or None,
            "kode_subkegiatan": ind["kode_subkegiatan"] or None,
            "nama_program": nomenclature.nomenclature_name_for(ind),
            "kode_indikator": code, "indikator": ind["indikator"], "level": ind["level"],
            "satuan": ind["satuan"], "polaritas": ind["polaritas"], "akumulasi": ind["akumulasi"],
            "jenis_ukuran": ind["jenis_ukuran"], "kode_rpjmd": ind["kode_rpjmd"] or None,
            "baseline": float(baseline), "target": target_text,
            **{f"realisasi_tw{q}": quarters[q - 1] for q in range(1, 5)},
            "pagu": pagu, **{f"anggaran_tw{q}": anggaran[q - 1] for q in range(1, 5)},
            "sumber_data": source,
            "faktor_pendorong": text_rng.choice(_PENDORONG) if show_text and not weak else None,
            "faktor_penghambat": (text_rng.choice(_PENGHAMBAT)
                                  if show_text and (weak or text_rng.random() < 0.4) else None),
            "tindak_lanjut": text_rng.choice(_TINDAK_LANJUT) if show_text and weak else None,
            "data_dukung": f"{EXAMPLE_URL}/{region}/{year}/{code}.pdf" if show_text else None,
            "target_min": tmin, "target_max": tmax, "target_text": target_text,
        }
        rows.append(row)

    # a local indicator of the capital city, cascading to nothing on purpose (RPJMD alignment shows it)
    if region == "62.71":
        rows.append({**rows[-1], "kode_program": "8.01.05", "kode_kegiatan": "8.01.05.2.01",
                     "kode_subkegiatan": "8.01.05.2.01.0004",
                     "nama_program": nomenclature.name_of("8.01.05.2.01.0004"),
                     "kode_indikator": "8.01.05.2.01.0004.90",
                     "indikator": "Jumlah kelurahan sadar kerukunan yang dibina", "level": "subkegiatan",
                     "satuan": "Desa", "polaritas": "positif", "akumulasi": "stok",
                     "jenis_ukuran": "kuantitatif", "kode_rpjmd": None, "baseline": 6.0, "target": "10",
                     "target_min": 10.0, "target_max": 10.0, "target_text": "10", "pagu": math.nan,
                     **{f"anggaran_tw{q}": math.nan for q in range(1, 5)},
                     **{f"realisasi_tw{q}": v for q, v in zip(range(1, 5), [7.0, 8.0, 10.0, 11.0][:n_q]
                                                                  + [math.nan] * (4 - n_q))},
                     "sumber_data": SYNTHETIC, "faktor_pendorong": "Dukungan lurah dan FKUB kota",
                     "faktor_penghambat": None, "tindak_lanjut": None,
                     "data_dukung": f"{EXAMPLE_URL}/{region}/{year}/kelurahan-sadar-kerukunan.pdf"})

    frame = pd.DataFrame(rows)
    _apply_warning(frame, warning)
    frame["row"] = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    issues.extend(_planted_issues(frame, warning))
    columns = [*schema.INDIKATOR.keys, "target_min", "target_max", "target_text", "row"]
    return frame[columns], issues


def _issue(frame: pd.DataFrame, code: str, kode_indikator: str, key: str, value: object,
           **params: object) -> ValidationIssue:
    """The warning the loader reports for a planted mistake, at the cell the template writes it to."""
    from openpyxl.utils import get_column_letter

    i = frame.index[frame["kode_indikator"] == kode_indikator][0]
    cell = f"{get_column_letter(schema.INDIKATOR.keys.index(key) + 1)}{frame.at[i, 'row']}"
    return ValidationIssue("warning", code, schema.INDIKATOR.name, cell, schema.INDIKATOR.column(key).label,
                           None if value is None else str(value), dict(params))


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _planted_issues(frame: pd.DataFrame, warning: str | None) -> list[ValidationIssue]:
    """So the in-memory sample carries the same warnings as its file once loaded (a test compares them)."""
    if warning == "budget_over_pagu":
        i = frame.index[frame["kode_subkegiatan"] == "8.01.02.2.01.0003"][0]
        spent = [frame.at[i, f"anggaran_tw{q}"] for q in range(1, 5)]
        return [_issue(frame, "v.budget.over_pagu", frame.at[i, "kode_indikator"], "anggaran_tw4",
                       _plain_number(spent[-1]), total=_plain_number(sum(spent)),
                       pagu=_plain_number(frame.at[i, "pagu"]))]
    if warning == "target_meningkat":
        return [_issue(frame, "v.target.not_measurable", "8.01.05.P.01", "target", "meningkat")]
    if warning == "unknown_rpjmd":
        return [_issue(frame, "v.indikator.unknown_rpjmd", "8.01.02.2.01.0003.01", "kode_rpjmd",
                       UNKNOWN_RPJMD_CODE)]
    if warning == "realisasi_na":
        return [_issue(frame, "v.cell.na", "8.01.04.P.01", "realisasi_tw2", "n/a"),
                _issue(frame, "v.quarter.gap", "8.01.04.P.01", "realisasi_tw2", "n/a", quarter=2)]
    if warning == "unit_mismatch":
        i = frame.index[frame["kode_indikator"] == "8.01.04.P.01"][0]
        return [_issue(frame, "v.quarter.percent_range", "8.01.04.P.01", f"realisasi_tw{q}",
                       _plain_number(frame.at[i, f"realisasi_tw{q}"]), quarter=q)
                for q in range(1, 5) if not math.isnan(frame.at[i, f"realisasi_tw{q}"])
                and frame.at[i, f"realisasi_tw{q}"] > 100]
    return []


def _apply_warning(frame: pd.DataFrame, warning: str | None) -> None:
    """Plant the operator mistakes that make a data-quality view worth having (all warnings, none blocks)."""
    if warning == "budget_over_pagu":
        i = frame.index[frame["kode_subkegiatan"] == "8.01.02.2.01.0003"][0]
        pagu = frame.at[i, "pagu"]
        spent = [pagu * s for s in (0.2, 0.35, 0.3, 0.19)]  # 104% of pagu
        for q in range(4):
            frame.at[i, f"anggaran_tw{q + 1}"] = float(round(spent[q], -3))
    elif warning == "unknown_rpjmd":
        i = frame.index[frame["kode_indikator"] == "8.01.02.2.01.0003.01"][0]
        frame.at[i, "kode_rpjmd"] = UNKNOWN_RPJMD_CODE
    elif warning == "target_meningkat":
        i = frame.index[frame["kode_indikator"] == "8.01.05.P.01"][0]
        frame.at[i, "target"] = frame.at[i, "target_text"] = "meningkat"
        frame.at[i, "target_min"] = frame.at[i, "target_max"] = math.nan
    elif warning == "realisasi_na":
        i = frame.index[frame["kode_indikator"] == "8.01.04.P.01"][0]
        frame.at[i, "realisasi_tw2"] = math.nan
    elif warning == "unmapped":
        i = frame.index[frame["kode_indikator"] == "8.01.02.P.01"][0]
        frame.at[i, "kode_rpjmd"] = None
    elif warning == "baseline_blank":
        frame.loc[frame["kode_indikator"].isin(BLANK_BASELINE), "baseline"] = math.nan
    elif warning == "activity_outcome":
        # an outcome measured by how much of the plan was carried out, not by what changed for people
        code, wording = ACTIVITY_OUTCOME
        frame.loc[frame["kode_indikator"] == code, "indikator"] = wording
    elif warning == "unit_mismatch":
        i = frame.index[frame["kode_indikator"] == "8.01.04.P.01"][0]
        # the operator reported a count of ormas against a provincial percentage indicator
        frame.at[i, "satuan"] = "Ormas"
        j = frame.index[frame["kode_indikator"] == "8.01.04.2.01.0003.01"][0]
        scale = frame.at[j, "target_max"] / 100
        for col in ("baseline", "target_min", "target_max",
                    *[f"realisasi_tw{q}" for q in range(1, 5)]):
            v = frame.at[i, col]
            frame.at[i, col] = v if (v is None or math.isnan(v)) else float(round(v * scale))
        frame.at[i, "target"] = frame.at[i, "target_text"] = format_plain(frame.at[i, "target_max"])


def _yearly(row: pd.Series) -> float:
    """The year's realisation by roll-up (sum of quarters for flows, last reported otherwise)."""
    values = [row.get(f"realisasi_tw{q}") for q in range(1, 5)]
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return math.nan
    if row["akumulasi"] == "kumulatif" and row["polaritas"] == "positif":
        return float(sum(values))
    return float(values[-1])


# --- values programs ---------------------------------------------------------------------------------

def build_nilai(region: str, year: int, period: str, indicators: pd.DataFrame,
                seed: int = 2025) -> pd.DataFrame:
    rng = _rng(seed, "nilai", region, year)
    info = regions.region(region)
    pop = int(info["population"])
    province = region.split(".")[0]
    themes = [t for t in schema.THEMES if province == "62" or not t.startswith("Belom Bahadat")]
    run_subs = set(indicators["kode_subkegiatan"].dropna())
    runs_05 = any(str(s).startswith("8.01.05") for s in run_subs)
    if not runs_05:
        themes = [t for t in themes if _THEME_ACTIVITIES[t][2][:7] != "8.01.05"]
    last_month = 12 if period == "Tahunan" else 3 * schema.PERIOD_QUARTERS[period]
    n = int(min(12, max(4, 4 + pop / 150_000 + rng.randint(0, 3))))
    if n_q_short := (last_month < 12):
        n = max(3, int(round(n * 0.75)))
    del n_q_short
    rows = []
    for i in range(n):
        theme = themes[i % len(themes)] if i < len(themes) else rng.choice(themes)
        names, groups, sub = _THEME_ACTIVITIES[theme]
        pick = rng.randrange(len(names))
        if sub not in run_subs:
            sub = "8.01.02.2.01.0003"
        month = 2 + int((last_month - 2) * (i + 0.5) / n)
        day = rng.randint(3, 27)
        peserta = int(round(rng.uniform(30, 120) * (0.8 + pop / 600_000)))
        has_test = theme not in ("Pembauran Kebangsaan",) and rng.random() < 0.8
        pre = round(rng.uniform(52, 72), 1) if has_test else math.nan
        gain = rng.uniform(3, 20) * (0.6 if region in UNDER else 1.0)
        post = round(min(98.0, pre + gain), 1) if has_test else math.nan
        rubric = max(1, min(5, int(round(rng.gauss(3.2 if region not in UNDER else 2.2, 0.9)))))
        group = groups[pick]
        if group.startswith("Pelajar"):
            venue = rng.choice(_SCHOOL_VENUES)
        elif "adat" in group.lower() or theme.startswith("Belom Bahadat"):
            venue = _ADAT_VENUE[province]
        else:
            venue = rng.choice(_VENUES)
        rows.append({
            "tema": theme, "kegiatan": names[pick], "kode_subkegiatan": sub,
            "tanggal": dt.date(year, month, day), "lokasi": f"{venue}, {info['capital']}",
            "sasaran": group, "peserta": peserta, "pre_test": pre, "post_test": post,
            "rubrik": rubric, "narasi": rng.choice(_NARASI),
            "data_dukung": f"{EXAMPLE_URL}/{region}/{year}/nilai-{i + 1:02d}.pdf",
        })
    frame = pd.DataFrame(rows, columns=schema.PROGRAM_NILAI.keys)
    frame = frame.sort_values("tanggal", kind="stable").reset_index(drop=True)
    for c in ("peserta", "rubrik"):
        frame[c] = frame[c].astype(float)
    frame["row"] = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(frame))
    return frame


# --- whole submissions ---------------------------------------------------------------------------------

def build_identitas(region: str, year: int, period: str) -> dict:
    info = regions.region(region)
    province = region.split(".")[0]
    kind = "Kota" if info["kind"] == "kota" else "Kabupaten"
    name = info["name"] if info["name"].startswith("Kota ") else f"{kind} {info['name']}"
    other_period = WARNINGS.get((region, year)) == "other_period"
    return {
        "provinsi": regions.province_name(province),
        "kode_wilayah": region,
        "nama_wilayah": info["name"],
        "tahun": year,
        "periode": period,
        "periode_rpjmd": "2021-2026" if other_period else RPJMD_PERIOD,
        "perangkat_daerah": f"Badan Kesatuan Bangsa dan Politik {name}",
        "operator": "Operator SIPD Bidang Program",
        "tanggal": dt.date(year + 1, 1, 20) if period == "Tahunan" else dt.date(year, 10, 15),
    }


def build_submission(region: str, year: int, seed: int = 2025,
                     previous: Submission | None = None) -> Submission:
    period = YEARS[year]
    paskibraka, facts = build_paskibraka(region, year, period, seed)
    indikator, issues = build_indicators(region, year, period, facts, seed,
                                         previous.indikator if previous is not None else None)
    nilai = build_nilai(region, year, period, indikator, seed)
    return Submission(identitas=build_identitas(region, year, period), indikator=indikator,
                      paskibraka=paskibraka, nilai=nilai, issues=issues,
                      format_version=schema.FORMAT_VERSION)


def build_submissions(seed: int = 2025) -> list[Submission]:
    """All 24 regencies x 2025 (Tahunan) and 2026 (TW III), in region then year order."""
    out = []
    for region in sample_regions()["kemendagri"]:
        previous = None
        for year in sorted(YEARS):
            previous = build_submission(region, year, seed, previous)
            out.append(previous)
    return out


# --- provincial RPJMD ------------------------------------------------------------------------------------

_RPJMD_ROWS = [
    # code, tujuan, sasaran, program, indicator, unit, polarity
    ("RPJMD.02.01", "Memperkuat ideologi Pancasila dan karakter kebangsaan",
     "Meningkatnya pemahaman dan pengamalan nilai-nilai Pancasila", "8.01.02",
     "Persentase peserta pembudayaan Pancasila yang meningkat pemahamannya", "Persen", "positif"),
    ("RPJMD.02.02", "Memperkuat ideologi Pancasila dan karakter kebangsaan",
     "Meningkatnya pemahaman dan pengamalan nilai-nilai Pancasila", "8.01.02",
     "Jumlah peserta pembudayaan Pancasila dan wawasan kebangsaan", "Orang", "positif"),
    ("RPJMD.02.03", "Memperkuat ideologi Pancasila dan karakter kebangsaan",
     "Terbentuknya generasi muda berkarakter kebangsaan", "8.01.02",
     "Jumlah anggota Paskibraka kabupaten/kota yang dibentuk", "Orang", "positif"),
    ("RPJMD.03.01", "Meningkatkan kualitas demokrasi", "Meningkatnya kualitas demokrasi daerah", "8.01.03",
     "Indeks Demokrasi Indonesia (IDI)", "Indeks", "positif"),
    ("RPJMD.03.02", "Meningkatkan kualitas demokrasi", "Meningkatnya partisipasi dan pendidikan politik",
     "8.01.03", "Jumlah peserta pendidikan politik", "Orang", "positif"),
    ("RPJMD.03.03", "Meningkatkan kualitas demokrasi", "Meningkatnya partisipasi dan pendidikan politik",
     "8.01.03", "Persentase peserta pendidikan politik yang meningkat pemahamannya", "Persen", "positif"),
    ("RPJMD.04.01", "Meningkatkan peran organisasi kemasyarakatan",
     "Meningkatnya ormas yang aktif, tertib dan terverifikasi", "8.01.04",
     "Persentase ormas yang aktif dan terverifikasi", "Persen", "positif"),
    ("RPJMD.05.01", "Memelihara kerukunan dan ketahanan sosial budaya",
     "Meningkatnya kerukunan umat beragama", "8.01.05", "Indeks Kerukunan Umat Beragama", "Indeks",
     "positif"),
    ("RPJMD.06.01", "Menjaga stabilitas keamanan dan ketertiban daerah", "Menurunnya konflik sosial",
     "8.01.06", "Jumlah konflik sosial yang terjadi", "Kasus", "negatif"),
    ("RPJMD.06.02", "Menjaga stabilitas keamanan dan ketertiban daerah",
     "Meningkatnya penanganan potensi konflik sosial", "8.01.06",
     "Persentase potensi konflik sosial yang ditangani", "Persen", "positif"),
    ("RPJMD.06.03", "Menjaga stabilitas keamanan dan ketertiban daerah", "Menurunnya kerawanan pemilu",
     "8.01.06", "Indeks Kerawanan Pemilu (IKP)", "Indeks", "negatif"),
]

# Published baselines (DOMAIN.md): IDI (BPS), KUB 2019 (Kemenag), IKP 2024 (Bawaslu, Kaltim [check]).
_REAL_BASELINES = {
    ("62", "RPJMD.03.01"): 78.47, ("64", "RPJMD.03.01"): 82.28,
    ("62", "RPJMD.05.01"): 77.8, ("64", "RPJMD.05.01"): 73.6,
    ("62", "RPJMD.06.03"): 18.77, ("64", "RPJMD.06.03"): 77.04,
}
RPJMD_SOURCES = ("Data sintetis, kecuali kondisi awal IDI (BPS: Kalteng 2024 78,47; Kaltim 2023 82,28), "
                 "Indeks KUB 2019 (Kemenag: Kalteng 77,8; Kaltim 73,6) dan IKP 2024 (Bawaslu: Kalteng 18,77; "
                 "Kaltim 77,04)")


def _province_sum(province: str, code: str, seed: int) -> float:
    """The sum of the regencies' yearly targets for a count indicator (how the province sets its own)."""
    total = 0.0
    ind = nomenclature.standard_indicators().set_index("kode_indikator")
    row = ind.loc[code].to_dict() | {"kode_indikator": code}
    for region in regions.regions_in(province)["kemendagri"]:
        pop = int(regions.region(region)["population"])
        if code == "8.01.02.2.01.0008.01":
            total += _selected_size(region, pop, 2026, _rng(seed, "paskibraka", region, 2026))[0]
        else:
            total += _target_and_baseline(row, region, pop, {}, _rng(seed, "t", region, code), 2025)[0]
    return total


def _target_text(value: object) -> str:
    return value if isinstance(value, str) else format_plain(float(value))


def build_rpjmd(province: str, seed: int = 2025) -> pd.DataFrame:
    """The provincial RPJMD 2025-2029 indicators Kesbangpol programs cascade to (synthetic targets)."""
    rng = _rng(seed, "rpjmd", province)
    sums = {"RPJMD.02.02": "8.01.02.2.01.0003.01", "RPJMD.02.03": "8.01.02.2.01.0008.01",
            "RPJMD.03.02": "8.01.03.2.01.0003.01"}
    rows = []
    for code, tujuan, sasaran, program, name, unit, polarity in _RPJMD_ROWS:
        targets: list[object]
        if code in sums:
            base = _province_sum(province, sums[code], seed)
            baseline = float(round(base * 0.92))
            targets = [float(round(base * (1 + 0.04 * i))) for i in range(5)]
        elif code in ("RPJMD.03.01", "RPJMD.05.01"):
            baseline = _REAL_BASELINES[(province, code)]
            lo = [round(baseline + 0.3 + 0.45 * i, 2) for i in range(5)]
            targets = [f"{_fmt_id(x)}–{_fmt_id(round(x + 0.5, 2))}" for x in lo]
        elif code == "RPJMD.06.03":
            baseline = _REAL_BASELINES[(province, code)]
            targets = [float(round(baseline * (1 - 0.05 * (i + 1)), 2)) for i in range(5)]
        elif code == "RPJMD.06.01":
            baseline = float(rng.randint(30, 45))
            targets = [float(baseline - 2 * (i + 1)) for i in range(5)]
        else:
            baseline = float(rng.choice([68, 72, 75]))
            targets = [float(min(100, baseline + 3 * (i + 1))) for i in range(5)]
        rows.append({
            "province": province, "periode_rpjmd": RPJMD_PERIOD,
            "kode_rpjmd": code, "tujuan": tujuan, "sasaran": sasaran, "kode_program": program,
            "indikator": name, "satuan": unit, "polaritas": polarity, "baseline": baseline,
            # targets as the loader gives them: the text of the cell (a number or a range)
            **{f"target_{i + 1}": _target_text(t) for i, t in enumerate(targets)},
            "target_akhir": _target_text(targets[-1]),
            "perangkat_daerah": ("Badan Kesatuan Bangsa dan Politik Provinsi "
                                 f"{regions.province_name(province)}"),
        })
    frame = pd.DataFrame(rows)
    return frame[["province", "periode_rpjmd", *schema.RPJMD_INDIKATOR.keys]]


def build_rpjmd_all(seed: int = 2025) -> pd.DataFrame:
    return pd.concat([build_rpjmd(p, seed) for p in PROVINCES], ignore_index=True)


# --- sample_data/ -------------------------------------------------------------------------------------------

def file_name(region: str, year: int) -> str:
    return f"{region}_{year}.xlsx"


def rpjmd_file_name(province: str) -> str:
    return f"rpjmd_{province}.xlsx"


def write_sample_data(out: Path, seed: int = 2025) -> list[Path]:
    """Write both provinces' RPJMD workbooks and every submission with the template writer."""
    from kesbang.exports import template
    from kesbang.i18n import t

    note = t("template.synthetic_note", "id")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    plans = {p: build_rpjmd(p, seed) for p in PROVINCES}
    for province, frame in plans.items():
        path = out / rpjmd_file_name(province)
        data = template.write_rpjmd(province, frame, RPJMD_PERIOD, dokumen=RPJMD_SOURCES, note=note)
        path.write_bytes(data)
        written.append(path)
    for sub in build_submissions(seed):
        path = out / file_name(sub.region, sub.year)
        plan = plans[regions.province_of(sub.region)]
        path.write_bytes(template.write_submission(sub, sub.region, sub.year, plan, note=note))
        written.append(path)
    return written
