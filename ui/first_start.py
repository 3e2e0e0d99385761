"""First start: the store is opened, and an empty one seeded from sample_data/, in a background thread,
while every visitor sees the progress instead of a blank page.

The router calls `wait_for_sample()` first, before its own imports and before anything reads the data.
On a process's first runs that call draws a progress box in the main area at once (opening the store,
then, on an empty store, each sample workbook read and the write) and keeps it up to date; when the work
is done the box goes and the same run goes on to draw the page, so no visitor has to reload. Once done,
the call returns at once and draws nothing. The work runs once per process (every session waits for
the same one) and several processes on one database store the sample once (`SeedAPI.seed_if_empty`).
A failure is logged and the app goes on with what the store holds (the pages then say so).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

import streamlit as st

from kesbang import settings
from ui.state import T

log = logging.getLogger(__name__)
POLL_S = 0.2


@dataclass
class Seeding:
    seeding: bool = False  # the store was empty and the sample is being stored
    done: int = 0
    total: int = 0
    finished: threading.Event = field(default_factory=threading.Event)

    def step(self, done: int, total: int) -> None:
        self.seeding, self.done, self.total = True, done, total

    def run(self) -> None:
        from kesbang.store import open_store  # sqlalchemy and the store load here, not in the first run

        try:
            store = open_store()
            try:
                store.seed_if_empty(settings.SAMPLE_DIR, progress=self.step)
            finally:
                store.close()
        except Exception:  # a broken sample or database must not keep the app from starting
            log.exception("opening or seeding the store from %s failed", settings.SAMPLE_DIR)
        finally:
            self.finished.set()


@st.cache_resource(show_spinner=False)
def _seeding() -> Seeding:
    """This process's first start: begun by the first run, finished at once when seeding is off."""
    seeding = Seeding()
    if settings.flag("seed_sample"):
        threading.Thread(target=seeding.run, name="kesbang-first-start", daemon=True).start()
    else:
        seeding.finished.set()
    return seeding


def _text(seeding: Seeding) -> tuple[float, str]:
    if not seeding.seeding or not seeding.total:
        return 0.0, T("first_start.opening")
    done, total = seeding.done, seeding.total
    if done >= total - 1:
        return min(done / total, 1.0), T("first_start.saving")
    return done / total, T("first_start.reading", done=done, total=total - 1)


def wait_for_sample() -> None:
    """Return at once once the store is ready; before that, show the progress until it is."""
    seeding = _seeding()
    if seeding.finished.is_set():
        return
    box = st.empty()
    shown = None
    while not seeding.finished.wait(POLL_S if shown else 0):
        title = "first_start.title" if seeding.seeding else "first_start.loading"
        if shown != title:  # the first start's explanation once the store is found empty
            with box.container():
                st.subheader(T(title))
                if seeding.seeding:
                    st.caption(T("first_start.caption"))
                bar = st.progress(0.0, text=T("first_start.opening"))
            shown = title
        bar.progress(*_text(seeding))
    box.empty()


def ready(timeout_s: float) -> bool:
    """For callers without a page (the open-data API): begin the first start if no page run has yet, and
    wait up to `timeout_s` for it. False while the store is still being opened or seeded."""
    return _seeding().finished.wait(timeout_s)
