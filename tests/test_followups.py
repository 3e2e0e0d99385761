"""Follow-ups (tindak lanjut) in the store, on both engines: who may open, answer and close them, what the
audit log keeps, and how a follow-up carries its indicator's value from one report version to the next."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
import storekit

from kesbang.auth import PERMISSIONS, User
from kesbang.store import Store, open_store
from kesbang.store.engine import MIGRATIONS, make_engine
from kesbang.store.tables import FOLLOWUP_TABLES, schema_version

ADMIN = User("admin", "admin")
REVIEWER = User("reviewer", "reviewer")
HEAD = User("kepala", "head")
OPERATOR = User("operator.62.02", "operator", "62.02")
OTHER_OPERATOR = User("operator.62.01", "operator", "62.01")
ROLES = {"admin": ADMIN, "reviewer": REVIEWER, "head": HEAD, "own_operator": OPERATOR,
         "other_operator": OTHER_OPERATOR}
DUE = dt.date(2026, 12, 15)

# who may do what on a follow-up of 62.02 (Kotawaringin Timur)
EXPECTED = {
    "open": {"admin", "reviewer", "head"},
    "respond": {"admin", "reviewer", "head", "own_operator"},
    "close": {"admin", "reviewer", "head"},
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(url):
    s = open_store(url)
    storekit.enrol(s, *ROLES.values())
    yield s
    s.close()


def report(store: Store, seed: int = 0, period: str = "TW III"):
    result, data, name = storekit.upload("62.02", 2026, seed, period=period)
    out = store.submit(OPERATOR, result, data, name)
    assert out.ok, out
    return out


def open_one(store: Store, user=REVIEWER, code="IK-02", **kw):
    return store.open_followup(user, "62.02", 2026, code, "Percepat pelaksanaan sosialisasi di kecamatan",
                               DUE, **kw)


def last_audit(store: Store):
    row = store.audit(1).iloc[0]
    return row["action"], row["outcome"], row["message_id"], row["actor"]


@pytest.mark.parametrize("who", ROLES)
def test_who_may_open_a_follow_up(store, who):
    report(store)
    out = open_one(store, ROLES[who])
    assert out.ok is (who in EXPECTED["open"])
    action, outcome, message_id, actor = last_audit(store)
    assert (action, actor) == ("followup.open", ROLES[who].username)
    if out.ok:
        assert outcome == "ok" and out.message_id == "followup.opened" and isinstance(out.id, int)
        assert [f["id"] for f in store.followups()] == [out.id]
    else:
        assert outcome == "denied" and out.message_id == "auth.role_denied" == message_id
        assert store.followups() == []


@pytest.mark.parametrize("who", ROLES)
def test_who_may_answer_a_follow_up(store, who):
    report(store)
    fid = open_one(store).id
    out = store.respond_followup(ROLES[who], fid, "Sosialisasi dijadwalkan ulang pada bulan November")
    assert out.ok is (who in EXPECTED["respond"])
    action, outcome, message_id, actor = last_audit(store)
    assert (action, actor) == ("followup.respond", ROLES[who].username)
    [record] = store.followups()
    if out.ok:
        assert outcome == "ok"
        assert [(a["by"], a["text"]) for a in record["answers"]] == [
            (ROLES[who].username, "Sosialisasi dijadwalkan ulang pada bulan November")]
    else:  # the other regency's operator: refused for that region, and audited as such
        assert (outcome, message_id) == ("denied", "auth.region_denied") and out.params["region"] == "62.02"
        assert record["answers"] == []


@pytest.mark.parametrize("who", ROLES)
def test_who_may_close_a_follow_up(store, who):
    report(store)
    fid = open_one(store).id
    out = store.close_followup(ROLES[who], fid, "Sudah ditindaklanjuti")
    assert out.ok is (who in EXPECTED["close"])
    action, outcome, message_id, _ = last_audit(store)
    assert action == "followup.close"
    [record] = store.followups()
    if out.ok:
        assert outcome == "ok" and record["status"] == "closed" and record["closed_by"] == ROLES[who].username
        assert record["closing_note"] == "Sudah ditindaklanjuti" and record["closed_at"] is not None
    else:
        assert outcome == "denied" and record["status"] == "open" and record["closed_by"] is None


def test_the_matrix_is_the_one_in_auth():
    # what the tests above exercise is what the permission matrix says
    assert {verb: PERMISSIONS[f"followup.{verb}"] for verb in EXPECTED} == {
        "open": {"admin": "any", "reviewer": "any", "head": "any"},
        "respond": {"admin": "any", "reviewer": "any", "head": "any", "operator": "own"},
        "close": {"admin": "any", "reviewer": "any", "head": "any"},
    }


def test_anonymous_and_forged_users_are_refused_and_audited(store):
    report(store)
    assert open_one(store, None).message_id == "auth.login_required"
    forged = User("reviewer", "admin")  # a page cannot promote an account
    assert open_one(store, forged).message_id == "security.not_an_account"
    assert store.followups() == []
    outcomes = store.audit(2)[["action", "outcome"]].values.tolist()
    assert outcomes == [["followup.open", "denied"], ["followup.open", "denied"]]


def test_a_follow_up_survives_a_new_report_version_and_shows_whether_it_moved(store):
    first = report(store, seed=0)  # IK-02: 110 x 0.6 = 66 a year, 16.5 a quarter; TW III = 49.5 (45%)
    fid = open_one(store).id
    store.respond_followup(OPERATOR, fid, "Kegiatan tambahan di triwulan IV")
    second = report(store, seed=2)  # 110 x 0.8 = 88 a year, 22 a quarter; TW III = 66 (60%)
    assert second.version == 2
    [record] = store.followups(region="62.02", year=2026)
    assert record["id"] == fid and record["status"] == "open"
    assert record["opened_on"] == {"submission_id": first.submission_id, "version": 1, "period": "TW III"}
    assert record["value_at_opening"] == pytest.approx(49.5) and record["capaian_at_opening"] == pytest.approx(45.0)
    assert record["latest"] == {"submission_id": second.submission_id, "version": 2, "period": "TW III"}
    assert record["latest_value"] == pytest.approx(66.0) and record["latest_capaian"] == pytest.approx(60.0)
    assert record["change"] == pytest.approx(16.5)
    assert [a["text"] for a in record["answers"]] == ["Kegiatan tambahan di triwulan IV"]
    assert (record["region_name"], record["indicator_code"]) == ("Kotawaringin Timur", "IK-02")
    assert record["indicator_name"] == "Jumlah peserta kegiatan 2"


def test_list_filters_and_overdue(store):
    report(store)
    early = store.open_followup(REVIEWER, "62.02", 2026, "IK-02", "Laporkan data dukung", dt.date(2026, 3, 1)).id
    late = open_one(store, HEAD, code="IK-03").id
    store.close_followup(REVIEWER, late)
    on = dt.date(2026, 6, 1)
    records = {r["id"]: r for r in store.followups(today=on)}
    assert records[early]["overdue"] is True and records[late]["overdue"] is False  # a closed one never is
    assert [r["id"] for r in store.followups(status="open", today=on)] == [early]
    assert store.followups(region="62.01") == [] and store.followups(year=2025) == []
    assert [r["id"] for r in store.followups(province="62")] == [early, late]
    # plain records: they serialise as they are (dates as ISO text), for the meeting pack and the CLI
    assert json.loads(json.dumps(records[early], default=str))["due"] == "2026-03-01"


def test_refusals_a_user_can_act_on(store):
    report(store)
    assert open_one(store, code="IK-99").message_id == "followup.no_indicator"
    assert store.open_followup(REVIEWER, "62.02", 2026, "IK-02", "   ", DUE).message_id == "followup.text_required"
    assert store.open_followup(REVIEWER, "62.02", 2026, "IK-02", "x" * 4001, DUE).message_id == "followup.text_too_long"
    assert store.open_followup(REVIEWER, "99.99", 2026, "IK-02", "x", DUE).message_id == "auth.unknown_region"
    # a finding may be about an indicator the report lacks (e.g. an RPJMD indicator nobody cascades to)
    finding = open_one(store, code="R.9", subject="alignment", finding="keselarasan.status.missing")
    assert finding.ok
    [record] = store.followups()
    assert (record["subject"], record["finding"], record["value_at_opening"], record["latest"]) == (
        "alignment", "keselarasan.status.missing", None, None)
    assert store.respond_followup(OPERATOR, record["id"], "").message_id == "followup.text_required"
    assert store.close_followup(REVIEWER, record["id"]).ok
    assert store.close_followup(REVIEWER, record["id"]).message_id == "followup.already_closed"
    assert store.respond_followup(OPERATOR, record["id"], "terlambat").message_id == "followup.already_closed"
    assert store.respond_followup(REVIEWER, 12345, "x").message_id == "followup.not_found"
    assert store.audit(1).iloc[0]["outcome"] == "refused"


def test_follow_ups_are_append_only_history(store, url):
    report(store)
    fid = open_one(store).id
    store.respond_followup(OPERATOR, fid, "Dijawab")
    engine = make_engine(url)
    try:
        for table in FOLLOWUP_TABLES:
            for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    with engine.begin() as conn:
                        conn.exec_driver_sql(sql)
    finally:
        engine.dispose()
    assert [a["text"] for a in store.followups()[0]["answers"]] == ["Dijawab"]


def test_a_database_from_before_follow_ups_is_migrated(url):
    engine = make_engine(url)
    with engine.begin() as conn:  # the schema as version 3 left it: no follow-up tables
        for n in (1, 2, 3):
            MIGRATIONS[n](conn)
        for table in reversed(FOLLOWUP_TABLES):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        for n in (1, 2, 3):
            conn.execute(schema_version.insert().values(version=n, applied_at=dt.datetime(2026, 1, 1)))
    engine.dispose()
    s = open_store(url)
    try:
        storekit.enrol(s, REVIEWER, OPERATOR)
        report(s)
        assert open_one(s).ok
        with s.engine.begin() as conn, pytest.raises(sa.exc.DBAPIError, match="append-only"):
            conn.exec_driver_sql("DELETE FROM followups")
    finally:
        s.close()
