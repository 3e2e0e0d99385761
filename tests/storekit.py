"""Test helpers for the store tests: parsed submissions built as the loader builds them, and real bytes.

The store stores what the loader produced plus the original bytes; these tests exercise the store,
so they build the parsed Submission directly (the loader has its own tests) with distinct bytes per
upload. `real_workbook` writes a real xlsx with openpyxl for the tests that need a file on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pandas as pd

from kesbang import schema
from kesbang.devtools import sample
from kesbang.intake.rpjmd import RpjmdResult
from kesbang.model import LoadResult, Submission, ValidationIssue


def indicators(region: str, year: int, n: int = 6, seed: int = 0) -> pd.DataFrame:
    rows = []
    for i in range(n):
        target = 100.0 + i * 10
        real = target * (0.5 + ((i + seed) % 7) / 10)
        rows.append(
            {
                "row": 5 + i,
                "kode_program": "8.01.02",
                "kode_kegiatan": "8.01.02.2.01",
                "kode_subkegiatan": f"8.01.02.2.01.{i + 1:04d}",
                "nama_program": f"Sub kegiatan {i + 1}",
                "kode_indikator": f"IK-{i + 1:02d}",
                "indikator": f"Jumlah peserta kegiatan {i + 1}",
                "level": "subkegiatan",
                "satuan": "Orang",
                "polaritas": "positif" if i % 5 else "negatif",
                "akumulasi": "kumulatif",
                "jenis_ukuran": "kuantitatif",
                "kode_rpjmd": f"R.{i + 1}" if i % 2 else None,
                "baseline": 50.0 + i,
                "target": f"{target:g}",
                "target_min": target,
                "target_max": target,
                "target_text": f"{target:g}",
                "realisasi_tw1": real / 4,
                "realisasi_tw2": real / 4,
                "realisasi_tw3": real / 4,
                "realisasi_tw4": real / 4,
                "pagu": 1_000_000.0 * (i + 1),
                "anggaran_tw1": 200_000.0,
                "anggaran_tw2": 200_000.0,
                "anggaran_tw3": 200_000.0,
                "anggaran_tw4": 100_000.0 + seed,
                "sumber_data": "Bidang Ideologi",
                "faktor_pendorong": "Dukungan sekolah",
                "faktor_penghambat": "Cuaca",
                "tindak_lanjut": "Jadwal ulang",
                "data_dukung": "https://example.go.id/bukti",
            }
        )
    return pd.DataFrame(rows)


def paskibraka(seed: int = 0) -> pd.DataFrame:
    counts = {
        "sekolah": (30, None),
        "pendaftar": (200 + seed, 198),
        "lulus_kesehatan": (150, 150),
        "ditetapkan": (38, 37),
        "dikirim_provinsi": (2, 2),
        "dikukuhkan": (38, 37),
    }
    rows = []
    for n, (key, (pa, pi)) in enumerate(counts.items()):
        rows.append(
            {
                "row": 5 + n,
                "tahap": key,
                "putra": pa if pi is not None else None,
                "putri": pi,
                "jumlah": pa + (pi or 0),
                "rencana_mulai": dt.date(2026, 3, 1 + n),
                "rencana_selesai": dt.date(2026, 3, 10 + n),
                "realisasi_mulai": dt.date(2026, 3, 2 + n),
                "realisasi_selesai": dt.date(2026, 3, 11 + n),
                "catatan": None,
            }
        )
    return pd.DataFrame(rows)


def nilai(seed: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "row": 5 + i,
                "tema": schema.THEMES[i % len(schema.THEMES)],
                "kegiatan": f"Sosialisasi {i}",
                "kode_subkegiatan": "8.01.02.2.01.0006",
                "tanggal": dt.date(2026, 4, 1 + i),
                "lokasi": "Sampit",
                "sasaran": "Pelajar",
                "peserta": 40 + i + seed,
                "pre_test": 60.0,
                "post_test": 75.5,
                "rubrik": 3,
                "narasi": "Peserta memahami nilai Pancasila",
                "data_dukung": None,
            }
            for i in range(3)
        ]
    )


def submission(
    region: str = "62.02", year: int = 2026, seed: int = 0, n_indicators: int = 6, period: str = "TW III"
) -> Submission:
    ident = {
        "provinsi": "Kalimantan Tengah",
        "kode_wilayah": region,
        "nama_wilayah": "Wilayah " + region,
        "tahun": year,
        "periode": period,
        "periode_rpjmd": "2025-2029",
        "perangkat_daerah": "Kesbangpol",
        "operator": "Budi",
        "tanggal": dt.date(2026, 10, 5),
    }
    return Submission(
        ident,
        indicators(region, year, n_indicators, seed),
        paskibraka(seed),
        nilai(seed),
        format_version=schema.FORMAT_VERSION,
    )


def upload(region: str = "62.02", year: int = 2026, seed: int = 0, **kw) -> tuple[LoadResult, bytes, str]:
    """(LoadResult, bytes, filename) for one upload; different seeds give different bytes."""
    data = f"kesbang test upload {region} {year} {seed}".encode() * 50
    sub = submission(region, year, seed, **kw)
    warn = ValidationIssue("warning", "v.indikator.unknown_rpjmd", "Indikator", "L6", "Kode RPJMD", "R.9")
    result = LoadResult(
        f"laporan_{region}_{year}_{seed}.xlsx", [warn], sub, hashlib.sha256(data).hexdigest(), "xlsx"
    )
    return result, data, result.filename


def invalid_upload() -> tuple[LoadResult, bytes, str]:
    err = ValidationIssue("error", "v.sheet.missing", "Indikator", None, None, None, {"sheet": "Indikator"})
    return LoadResult("rusak.xlsx", [err], None, None, "xlsx"), b"not really a workbook", "rusak.xlsx"


def real_workbook(region: str = "62.02", year: int = 2026, operator: str | None = None) -> bytes:
    """A real submission workbook (openpyxl, via the template writer) from the sample province;
    `operator` changes the Identitas operator name, giving different bytes with the same data."""
    from kesbang.devtools import sample
    from kesbang.exports import template

    sub = sample.build_submission(region, year)
    if operator is not None:
        sub.identitas = {**sub.identitas, "operator": operator}
    return template.write_submission(sub, region, year, sample.build_rpjmd(region.split(".")[0]))


def real_rpjmd(province: str = "62") -> bytes:
    from kesbang.devtools import sample
    from kesbang.exports import template

    return template.write_rpjmd(province, sample.build_rpjmd(province), sample.RPJMD_PERIOD)


def sample_uploads() -> list[tuple[str, bytes, LoadResult]]:
    """Every sample submission as the store's seeding write takes it: (file name, distinct bytes, parse)."""
    uploads = []
    for sub in sample.build_submissions():
        data = f"sample {sub.region} {sub.year}".encode() * 20
        result = LoadResult(f"{sub.region}_{sub.year}.xlsx", list(sub.issues), sub,
                            hashlib.sha256(data).hexdigest(), "xlsx")
        uploads.append((result.filename, data, result))
    return uploads


def seed_samples(store, tmp_path_factory, names: list[str]) -> None:
    """Seed `store` as a first start does, from the named workbooks of sample_data/ only (a copy of
    them in a fresh folder); every one of them must be stored."""
    from kesbang import settings

    folder = tmp_path_factory.mktemp("sample_subset")
    for name in names:
        shutil.copy(settings.SAMPLE_DIR / name, folder / name)
    assert store.seed_if_empty(folder) == len(names)


def use_copy(source, folder, monkeypatch, *, seed_sample: bool = True) -> str:
    """Copy the SQLite store `source` into this test's own `folder` and point the app at the copy
    (KESBANG_DATABASE_URL); `seed_sample=False` also turns the sample seeding off. Returns the copy's URL."""
    target = folder / "kesbang.sqlite3"
    shutil.copy(source, target)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("KESBANG_DATABASE_URL", url)
    if not seed_sample:
        monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    return url


def enrol(store, *users) -> None:
    """Create an account for each `kesbang.auth.User` (the store refuses writes by a `User` it does not
    hold as an enabled account with that role and region). Through `add_user`, as an admin would."""
    from kesbang.auth import console_user

    for user in users:
        if store.user(user.username) is None:
            out = store.add_user(console_user(), user.username, user.role, user.region, "kata-sandi-uji-" + "x" * 4)
            assert out.ok, out


def seeded_fixtures(names: list[str]):
    """The two fixtures a page test module needs: `seeded_db`, a SQLite store seeded (as on first start)
    from the named sample workbooks once per module, and `store`, this test's own copy of it, which the
    app under test uses. In the module: `seeded_db, store = storekit.seeded_fixtures(SAMPLE_FILES)`."""
    import pytest

    from kesbang.store import open_store

    @pytest.fixture(scope="module")
    def seeded_db(tmp_path_factory):
        path = tmp_path_factory.mktemp("db") / "kesbang.sqlite3"
        store = open_store(f"sqlite:///{path}")
        seed_samples(store, tmp_path_factory, names)
        store.close()
        return path

    @pytest.fixture
    def store(seeded_db, isolated_store, monkeypatch):
        s = open_store(use_copy(seeded_db, isolated_store, monkeypatch))
        yield s
        s.close()

    return seeded_db, store

def rpjmd_result() -> RpjmdResult:
    """A parsed RPJMD reference workbook of Kalteng (one indicator), as the loader hands it over."""
    frame = pd.DataFrame(
        [
            {
                "province": "62",
                "periode_rpjmd": "2025-2029",
                "row": 6,
                "kode_rpjmd": "RPJMD.03.01",
                "tujuan": "Demokrasi",
                "sasaran": "Kualitas demokrasi",
                "kode_program": "8.01.03",
                "indikator": "Indeks Demokrasi Indonesia",
                "satuan": "Indeks",
                "polaritas": "positif",
                "baseline": 78.47,
                "target_1": "78,77–79,27",
                "target_2": "79,22–79,72",
                "target_3": None,
                "target_4": None,
                "target_5": "80,57–81,07",
                "target_akhir": "81",
                "perangkat_daerah": "Kesbangpol",
            }
        ]
    )
    return RpjmdResult("rpjmd_62.xlsx", "62", "2025-2029", frame, [])


# Every write the store authorises, as `write` performs it.
WRITES = ("submit", "approve", "return", "reopen", "comment", "rpjmd", "add_user", "disable_user",
          "enable_user", "set_password")


def version_for(store, write_name: str, operator, reviewer) -> int:
    """A stored version of 62.02 in the state `write_name` needs (approved before a reopen), submitted
    by `operator` and approved by `reviewer`; returns its submission id."""
    result, data, name = upload("62.02", 2026, 0)
    sid = store.submit(operator, result, data, name).submission_id
    if write_name == "reopen":
        assert store.review(reviewer, sid, "approve").ok
    return sid


def write(store, write_name: str, actor, sid: int, *, account: str = "admin", disabled: str | None = None):
    """`actor` attempts one of WRITES: on submission `sid` (a new version of 62.02 for submit), on
    `account` (disable, new password) or on the `disabled` account (enable); returns the store's outcome."""
    if write_name == "submit":
        result, data, name = upload("62.02", 2026, 1)
        return store.submit(actor, result, data, name)
    if write_name in ("approve", "return", "reopen"):
        return store.review(actor, sid, write_name, "Alasan peninjau")
    if write_name == "comment":
        return store.comment(actor, sid, "Catatan")
    if write_name == "rpjmd":
        return store.put_rpjmd(actor, rpjmd_result(), b"rpjmd", "rpjmd_62.xlsx")
    if write_name == "add_user":
        return store.add_user(actor, "operator.baru", "operator", "62.03", "kata-sandi-panjang")
    if write_name == "disable_user":
        return store.disable_user(actor, account)
    if write_name == "enable_user":
        return store.enable_user(actor, disabled)
    if write_name == "set_password":
        return store.set_password(actor, account, "sandi-baru-penyerang")
    raise AssertionError(write_name)
