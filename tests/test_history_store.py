"""HistoryStore against a real SQLite file: round trip, durability, liveness, migrations."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deepfit_coach.events import RepInfo
from deepfit_coach.history import HistoryError, HistoryStore, UnknownSessionError
from deepfit_coach.history.schema import MIGRATIONS


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path / "home"))


def rep(i: int, issues: list[str] | None = None, partial: bool = False) -> RepInfo:
    return RepInfo(index=0 if partial else i, start_s=2.0 * i, end_s=2.0 * i + 1.5, side="both",
                   rom_deg=90.0 + i, down_s=0.7, up_s=0.8, issues=issues or [], partial=partial)


def test_default_path_follows_deepfit_home(tmp_path):
    with HistoryStore.open() as store:
        assert store.path == tmp_path / "home" / "data" / "history.sqlite3"
        assert store.path.exists()
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_round_trip_session_sets_reps_and_events(tmp_path):
    store = HistoryStore.open(tmp_path / "h.db")
    sid = store.start_session("legs", "legs.yaml", "h1",
                              planned=[{"block_index": 0, "exercise": "squats", "sets": 2, "reps": 3}])
    set_id = store.start_set(sid, 0, "squats", 1, target_reps=3)
    store.add_rep(set_id, rep(1))
    store.add_rep(set_id, rep(2, ["knees_in"]))
    store.add_rep(set_id, rep(3, partial=True))
    store.add_form_event(set_id, 4.2, "knees_in", "Push your knees out", "safety")
    store.end_set(set_id, reps=2, partial_reps=1, rest_s=45.0)
    store.end_session(sid, "quit")

    got = store.get_session(sid)
    assert (got.status, got.plan_name, got.plan_hash) == ("quit", "legs", "h1")
    assert got.planned[0].exercise == "squats" and got.planned[0].sets == 2
    (s,) = got.sets
    assert (s.reps, s.partial_reps, s.rest_s, s.target_reps) == (2, 1, 45.0, 3)
    assert [r.issues for r in s.rep_list] == [[], ["knees_in"], []]
    assert [r.partial for r in s.rep_list] == [False, False, True]
    assert s.time_under_tension_s == pytest.approx(4.5)
    assert [(e.rule, e.severity) for e in s.form_events] == [("knees_in", "safety")]
    assert not s.complete  # 2 of 3 reps
    listed = store.list_sessions()
    assert [(x.id, x.total_reps, x.total_partial_reps, x.n_sets) for x in listed] == [(sid, 2, 1, 1)]
    json.dumps(got.to_dict(with_sets=True))  # serialisable


def test_running_counts_survive_without_end_set(tmp_path):
    store = HistoryStore.open(tmp_path / "h.db")
    set_id = store.start_set(store.start_session("p"), 0, "pushups", 1, target_reps=10)
    for i in range(1, 5):
        store.add_rep(set_id, rep(i))
    store.add_rep(set_id, rep(5, partial=True))
    # a second connection (another process's view) sees every committed rep
    other = HistoryStore.open(tmp_path / "h.db")
    (s,) = other.get_session(1).sets
    assert (s.reps, s.partial_reps, s.ended_at) == (4, 1, None)


def test_unknown_session_is_a_user_error(tmp_path):
    store = HistoryStore.open(tmp_path / "h.db")
    with pytest.raises(UnknownSessionError) as err:
        store.get_session(42)
    assert err.value.exit_code == 1 and "42" in err.value.message


def test_end_session_rejects_running_status(tmp_path):
    store = HistoryStore.open(tmp_path / "h.db")
    sid = store.start_session("p")
    with pytest.raises(ValueError):
        store.end_session(sid, "running")


def test_previous_session_of_same_plan(tmp_path):
    from datetime import datetime, timezone

    store = HistoryStore.open(tmp_path / "h.db")
    t = lambda d: datetime(2026, 1, d, 10, tzinfo=timezone.utc)  # noqa: E731
    a = store.start_session("legs", started_at=t(1))
    store.start_session("arms", started_at=t(2))
    c = store.start_session("legs", started_at=t(3))
    assert store.previous_session(c).id == a
    assert store.previous_session(a) is None
    assert [s.id for s in store.plan_history("legs", exclude_running=False)] == [a, c]


WRITER = textwrap.dedent("""
    import sys, time
    from deepfit_coach.events import RepInfo
    from deepfit_coach.history import HistoryStore
    path, tag, n_sets, n_reps, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    store = HistoryStore.open(path)
    sid = store.start_session(tag)
    for s in range(n_sets):
        set_id = store.start_set(sid, 0, "squats", s + 1, target_reps=n_reps)
        for i in range(n_reps):
            store.add_rep(set_id, RepInfo(i + 1, i, i + 0.9, "both", 80.0, 0.4, 0.5, ["tag:" + tag]))
            store.add_form_event(set_id, i + 0.5, "rule", "cue", "tip")
            print("rep", s, i, flush=True)
            time.sleep(pause)
        store.end_set(set_id, n_reps, 0)
    store.end_session(sid, "complete")
    print("done", flush=True)
""")


def _writer(path: Path, tag: str, n_sets: int, n_reps: int, pause: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, str(n_sets), str(n_reps), str(pause)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_writing_at_once_keep_the_database_whole(tmp_path):
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    procs = [_writer(path, tag, 3, 25, 0.0) for tag in ("a", "b")]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.count("rep ") == 75
    # the two writers must really have interleaved, or this test proves nothing
    store = HistoryStore.open(path)
    order = [r[0] for r in store.conn.execute(
        "SELECT s.plan_name FROM reps r JOIN sets t ON r.set_id = t.id JOIN sessions s ON t.session_id = s.id"
        " ORDER BY r.id")]
    switches = sum(1 for x, y in zip(order, order[1:]) if x != y)
    assert switches >= 1
    assert store.integrity_check() == "ok"
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    sessions = {s.plan_name: s for s in store.all_sessions()}
    for tag in ("a", "b"):
        s = sessions[tag]
        assert s.status == "complete"
        assert [t.reps for t in s.sets] == [25, 25, 25]
        assert all(len(t.rep_list) == 25 and len(t.form_events) == 25 for t in s.sets)
        assert {i for t in s.sets for r in t.rep_list for i in r.issues} == {f"tag:{tag}"}


def test_kill_9_keeps_every_committed_rep_and_marks_session_incomplete(tmp_path):
    path = tmp_path / "h.db"
    proc = _writer(path, "victim", 5, 40, 0.01)
    printed = 0
    deadline = time.monotonic() + 30
    while printed < 30 and time.monotonic() < deadline:
        if proc.stdout.readline().startswith("rep "):
            printed += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    rest = proc.stdout.read()
    printed += rest.count("rep ")
    assert printed >= 30

    store = HistoryStore.open(path)  # detects the dead writer
    assert store.integrity_check() == "ok"
    (s,) = store.all_sessions()
    assert s.status == "incomplete" and s.ended_at is not None
    saved = sum(len(t.rep_list) for t in s.sets)
    # every rep announced as saved is there; at most the one in progress is beyond
    assert printed <= saved <= printed + 1
    assert sum(t.reps for t in s.sets) == saved
    assert all(t.ended_at is not None for t in s.sets)


def test_running_session_of_live_process_is_left_alone(tmp_path):
    path = tmp_path / "h.db"
    mine = HistoryStore.open(path)
    sid = mine.start_session("p")
    other = HistoryStore.open(path)  # same (live) pid
    assert other.get_session(sid).status == "running"


def test_recycled_pid_is_not_taken_as_alive(tmp_path):
    path = tmp_path / "h.db"
    store = HistoryStore.open(path)
    sid = store.start_session("p")
    store.conn.execute("UPDATE sessions SET pid_token = 'not-my-start-time' WHERE id = ?", (sid,))
    if store.conn.execute("SELECT pid_token FROM sessions").fetchone()[0] is None:  # pragma: no cover
        pytest.skip("no /proc")
    assert store.mark_dead_sessions() == [sid]
    assert store.get_session(sid).status == "incomplete"


def test_migration_keeps_data_and_makes_a_backup(tmp_path):
    path = tmp_path / "h.db"
    store = HistoryStore.open(path)
    set_id = store.start_set(store.start_session("legs"), 0, "squats", 1, target_reps=5)
    store.add_rep(set_id, rep(1))
    store.close()
    v2 = "ALTER TABLE sessions ADD COLUMN note TEXT;\nCREATE TABLE extra (x INTEGER);"
    store = HistoryStore.open(path, migrations=MIGRATIONS + [v2])
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    assert store.conn.execute("SELECT note FROM sessions").fetchone()[0] is None
    assert len(store.get_session(1).sets[0].rep_list) == 1
    backup = path.with_name(f"h.db.bak-v{len(MIGRATIONS)}")
    with sqlite3.connect(backup) as b:
        assert b.execute("SELECT COUNT(*) FROM reps").fetchone()[0] == 1
        assert b.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_failed_migration_changes_nothing(tmp_path):
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    bad = "CREATE TABLE ok_table (x INTEGER);\nTHIS IS NOT SQL;"
    with pytest.raises(HistoryError):
        HistoryStore.open(path, migrations=MIGRATIONS + [bad])
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert c.execute("SELECT name FROM sqlite_master WHERE name = 'ok_table'").fetchone() is None


def test_newer_database_is_refused_not_guessed(tmp_path):
    path = tmp_path / "h.db"
    HistoryStore.open(path).close()
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    with pytest.raises(HistoryError) as err:
        HistoryStore.open(path)
    assert "newer" in err.value.message


def test_not_a_database_is_one_clear_error(tmp_path):
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(HistoryError) as err:
        HistoryStore.open(path)
    assert str(path) in err.value.message


def test_writes_from_several_threads_share_one_store(tmp_path):
    import threading

    store = HistoryStore.open(tmp_path / "h.db")
    sid = store.start_session("threads")
    set_ids = [store.start_set(sid, 0, "squats", n, target_reps=20) for n in (1, 2, 3)]
    errors: list[BaseException] = []

    def work(set_id: int) -> None:
        try:
            for i in range(1, 21):
                store.add_rep(set_id, rep(i))
                store.list_sessions()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in set_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert [s.reps for s in store.get_session(sid).sets] == [20, 20, 20]


def test_a_version_1_database_is_upgraded_in_place(tmp_path):
    path = tmp_path / "h.db"
    HistoryStore.open(path, migrations=MIGRATIONS[:1]).close()
    with HistoryStore.open(path, migrations=MIGRATIONS[:1]) as old:
        sid = old.start_session("legs")
        with old.conn:   # the set as version 1 wrote it (today's start_set needs version 4)
            set_id = old.conn.execute("INSERT INTO sets (session_id, block_index, exercise, set_number, target_reps,"
                                      " started_at) VALUES (?, 0, 'squats', 1, 5, '2026-09-07T07:00:00+00:00')",
                                      (sid,)).lastrowid
        old.add_rep(set_id, rep(1))  # (today's end_set needs version 2: leave the set open)
    with HistoryStore.open(path) as store:
        (s,) = store.get_session(1).sets
        assert (s.reps, len(s.rep_list), s.active_s, s.rom_unit) == (1, 1, None, None)
        store.end_set(s.id, 1, 0, active_s=12.5)
        assert store.get_session(1).sets[0].duration_s == 12.5
    assert path.with_name("h.db.bak-v1").exists()


def test_a_killed_but_unreaped_writer_counts_as_dead(tmp_path):
    """Right after kill -9 the writer is a zombie until its parent reaps it: still dead."""
    path = tmp_path / "h.db"
    proc = _writer(path, "zombie", 1, 1000, 0.01)
    while not proc.stdout.readline().startswith("rep "):
        pass
    os.kill(proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait for the zombie state, without reaping it
        stat = Path(f"/proc/{proc.pid}/stat")
        if not stat.exists():
            pytest.skip("no /proc")
        if stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z":
            break
        time.sleep(0.01)
    try:
        store = HistoryStore.open(path)
        assert store.all_sessions()[0].status == "incomplete"
    finally:
        proc.wait(timeout=10)


def test_unwritable_location_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(HistoryError) as err:
        HistoryStore.open(blocker / "data" / "h.db")
    assert "cannot open history database" in err.value.message
