"""A history database the coach cannot use - damaged, write-protected, from a newer version, locked by
another process - is said in one line with what to do, never a traceback; the commands that only read
still read a write-protected one; and `start` refuses to begin a workout it could not save (a warning
that scrolled away under the dashboard lost the whole session)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from deepfit_coach.history import HistoryStore
from deepfit_coach.history.store import HistoryError
from deepfit_coach.paths import history_db_path
from conftest import run_cli
from test_history_cli import fill, home  # noqa: F401 - the fixture

PLAN = Path(__file__).resolve().parents[1] / "workouts" / "quick_10_minute.yaml"
READERS = (["history"], ["report", "last"], ["progress"], ["history", "export", "--format", "csv"])
START = ["start", str(PLAN), "--source", "replay:/nonexistent.jsonl", "--voice", "none", "--dashboard", "log"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(code: int, err: str) -> str:
    assert code == 2 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_damaged_database_is_named_never_a_traceback_and_left_as_it_was(home, capsys):
    fill([(d, "squats", [10, 10, 10], 80.0) for d in range(40)])
    db = history_db_path()
    with open(db, "r+b") as f:   # a page in the middle overwritten, the header intact: opens, then fails
        f.seek(4096)
        f.write(b"\xde\xad" * 2048)
    before = _digest(db)
    for args in (*READERS, START):
        line = _one_line(*run_cli(list(args), capsys)[::2])
        assert "is damaged" in line and "move it aside" in line, (args, line)
    assert "--no-history" in line   # start: how to train anyway
    assert _digest(db) == before


def test_a_newer_database_stops_start_before_the_workout(home, capsys):
    fill([(0, "squats", [5], 80.0)])
    with sqlite3.connect(history_db_path()) as conn:
        conn.execute("PRAGMA user_version = 99")
    line = _one_line(*run_cli(START, capsys)[::2])
    assert "newer deepfit-coach" in line and "--no-history" in line


@pytest.fixture
def immutable(home):  # noqa: F811
    """chattr +i (root ignores file modes): the database, then also its folder, cannot be written."""
    fill([(0, "squats", [6, 5], 80.0)])
    db = history_db_path()
    made: list[Path] = []

    def protect(path: Path) -> None:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not allowed here")
        made.append(path)

    yield db, protect
    for path in reversed(made):
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_write_protected_database_is_read_but_not_trained_into(immutable, capsys):
    db, protect = immutable
    protect(db)
    for also_folder in (False, True):
        if also_folder:
            for side in db.parent.glob(db.name + "-*"):   # WAL files left by the last writer
                protect(side)
            protect(db.parent)
        code, out, err = run_cli(["history", "--json"], capsys)
        assert code == 0 and [s["reps"] for s in json.loads(out)] == [11], (out, err)
        code, out, err = run_cli(["report", "last"], capsys)
        assert code == 0 and "11" in out, err
        line = _one_line(*run_cli(START, capsys)[::2])
        assert "cannot be written" in line and "--no-history" in line, line


def test_a_lock_held_by_another_process_is_waited_for_with_a_word(home, capsys):
    fill([(0, "squats", [5], 80.0)])
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(history_db_path(), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(10)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(5)
    threading.Timer(2.0, release.set).start()
    t0 = time.monotonic()
    try:
        with HistoryStore.open() as store:
            assert store.latest_session_id() == 1
    finally:
        release.set()
        holder.join()
    assert time.monotonic() - t0 >= 1.5
    assert "waiting for the history database" in capsys.readouterr().err


def test_damage_is_an_error_of_the_store_itself(tmp_path):
    bad = tmp_path / "h.db"
    bad.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(HistoryError, match="is damaged"):
        HistoryStore.open(bad)
