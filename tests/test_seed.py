"""First start: an empty store fills itself from the sample folder, once, even with two processes starting."""

from __future__ import annotations

import multiprocessing as mp

import pytest
import storekit

from kesbang.store import DEMO_PASSWORD, open_store

FORK = mp.get_context("fork")


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    for region, year in (("62.02", 2025), ("62.02", 2026), ("62.01", 2026), ("64.72", 2026)):
        (folder / f"{region}_{year}.xlsx").write_bytes(storekit.real_workbook(region, year))
    (folder / "rpjmd_62.xlsx").write_bytes(storekit.real_rpjmd("62"))
    return folder


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    return request.getfixturevalue("pg_url")


def _seed(url, folder, results):
    store = open_store(url)
    results.put(store.seed_if_empty(folder))
    store.close()


def test_two_processes_starting_at_once_seed_once(url, sample_dir):
    results = FORK.Queue()
    procs = [FORK.Process(target=_seed, args=(url, sample_dir, results)) for _ in range(2)]
    for p in procs:
        p.start()
    counts = sorted(results.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert counts == [0, 5]  # one process stored 4 submissions + 1 plan, the other found it done

    store = open_store(url)
    try:
        ds = store.dataset()
        assert sorted(zip(ds.submissions["region"], ds.submissions["year"])) == [
            ("62.01", 2026),
            ("62.02", 2025),
            ("62.02", 2026),
            ("64.72", 2026),
        ]
        assert set(ds.submissions["version"]) == {1} and set(ds.submissions["uploaded_by"]) == {"sistem"}
        assert set(ds.rpjmd["province"]) == {"62"} and len(ds.rpjmd) > 0
        # the closed year is approved (locked); review pages have something to show
        assert ds.submissions.set_index(["region", "year"]).loc[("62.02", 2025), "status"] == "approved"
        assert store.locked("62.02", 2025) is not None
        users = store.list_users().set_index("username")
        assert {"admin", "reviewer", "kepala", "operator.62.02", "operator.64.72"} <= set(users.index)
        assert users.loc["operator.62.02", "region"] == "62.02" and users.loc["kepala", "role"] == "head"
        assert store.authenticate("operator.62.01", DEMO_PASSWORD).region == "62.01"
        assert store.seed_if_empty(sample_dir) == 0  # a restart seeds nothing
        assert len(store.dataset().submissions) == 4
    finally:
        store.close()


def test_a_store_with_data_is_never_seeded(tmp_path, sample_dir):
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert store.add_user(None, "admin", "admin", None, "kata-sandi-admin").ok
    assert store.seed_if_empty(sample_dir) == 0
    assert store.dataset().is_empty
    store.close()


def test_seeding_is_off_when_the_setting_says_so(tmp_path, sample_dir, monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    store = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert store.seed_if_empty(sample_dir) == 0
    assert store.dataset().is_empty and store.list_users().empty
    store.close()
