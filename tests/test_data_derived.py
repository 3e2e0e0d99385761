"""`ui.data.derived`: a page's derived frames are computed once per data version and filters, handed out as
copies a page may change, and computed again when anything is stored."""

from __future__ import annotations

import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang.auth import User
from kesbang.store import open_store
from tests import derived_probe
from tests.test_pages import sample_db, sample_store  # noqa: F401 (fixtures)


def _page():
    import streamlit as st

    from tests import derived_probe
    from ui import data

    scores = data.derived(derived_probe.region_scores)
    scores["capaian_rata"] = -1.0  # a page changing its own copy
    again = data.derived(derived_probe.region_scores)
    st.text(f"{len(again)} {bool((again['capaian_rata'] == -1.0).any())}")


def _dataset_page():
    import streamlit as st

    from tests import derived_probe
    from ui import data

    counts = data.derived(derived_probe.activities_per_region, all_years=True, source="dataset")
    counts["n"] = -1
    again = data.derived(derived_probe.activities_per_region, all_years=True, source="dataset")
    st.text(f"{len(again)} {bool((again['n'] == -1).any())}")


def _two_pages_page():
    import streamlit as st

    from ui import data

    # the same function name in two page scripts, both run as module __main__
    made = []
    for page, answer in (("pages/a.py", 1), ("pages/b.py", 2)):
        scope = {"__name__": "__main__"}
        exec(compile(f"def drawn(m):\n    return {answer}\n", page, "exec"), scope)
        made.append(scope["drawn"])
    st.text(f"{data.derived(made[0])} {data.derived(made[1])}")


@pytest.mark.usefixtures("sample_store")
def test_same_named_functions_of_two_pages_are_cached_apart():
    at = AppTest.from_function(_two_pages_page, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.text[0].value == "1 2"


def first_run(page) -> AppTest:
    """`page` run once: it found more than one regency, and its change to its copy did not leak."""
    derived_probe.calls.clear()
    at = AppTest.from_function(page, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    regions, leaked = at.text[0].value.split()
    assert int(regions) > 1 and leaked == "False"
    return at


@pytest.mark.usefixtures("sample_store")
def test_derived_from_the_dataset_is_computed_once_and_copies_are_private():
    at = first_run(_dataset_page)
    at.run()
    assert len(derived_probe.calls) == 1 and derived_probe.calls[0] > 0  # values activities of every year


@pytest.mark.usefixtures("sample_store")
def test_derived_is_computed_once_per_data_version_and_copies_are_private():
    import os

    at = first_run(_page)
    assert len(derived_probe.calls) == 1  # the second call in the same run came from the cache
    at.run()
    assert len(derived_probe.calls) == 1  # and so did the next rerun's

    store = open_store(os.environ["KESBANG_DATABASE_URL"])
    try:
        admin = User("admin", "admin")
        storekit.enrol(store, admin)
        result, data, name = storekit.upload("62.02", 2026, 99)
        assert store.submit(admin, result, data, name).status == "stored"
    finally:
        store.close()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(derived_probe.calls) == 2  # a new version in the store: computed again
