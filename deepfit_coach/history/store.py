"""``HistoryStore``: every session, set, rep and form event, saved as it happens.

Durability: WAL journal, ``synchronous=FULL`` and one short transaction per write
(rep, form event, set start/end), so a crash, ``kill -9`` or Ctrl-C loses at most the
rep in progress. Concurrency: ``BEGIN IMMEDIATE`` plus a busy timeout, so two coach
processes (or a coach and a ``history`` command) can write at once.

A session still marked ``running`` whose process is gone is marked ``incomplete`` when
any store is opened on the database (its ``ended_at`` is its last write).

Typical use by the coach::

    store = HistoryStore.open()
    sid = store.start_session(plan.name, plan_path, plan_hash, planned=[...])
    set_id = store.start_set(sid, block_index, "squats", set_number, target_reps=12)
    store.add_rep(set_id, rep_info)                # each RepInfo, full or partial
    store.add_form_event(set_id, t_s, rule, cue, severity)
    store.end_set(set_id, reps=12, partial_reps=1)
    store.record_rest(set_id, 58.0)                # when the rest after the set ends
    store.end_session(sid, "complete")             # or "quit" / "incomplete"
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

from deepfit_coach.errors import UserError
from deepfit_coach.events import RepInfo
from deepfit_coach.history import liveness
from deepfit_coach.history.records import (OUTCOMES, FormEventRecord, PlannedBlock, RepRecord, SessionRecord,
                                           SetRecord)
from deepfit_coach.history.schema import MIGRATIONS, NewerSchemaError, migrate

STATUSES = ("running", "complete", "incomplete", "quit")
BUSY_TIMEOUT_S = 30.0
STALE_FOREIGN_AFTER = timedelta(hours=12)  # running sessions of another host with no write since


class UnknownSessionError(UserError):
    """``history show``/``report`` asked for a session that does not exist (exit 1)."""

    def __init__(self, session_id: object) -> None:
        super().__init__(f"no session with id {session_id} (see `deepfit-coach history`)", exit_code=1)


class HistoryError(UserError):
    """The history database cannot be opened or used (exit 2)."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _iso(value: datetime | None) -> str:
    if value is None:
        return now_iso()
    if value.tzinfo is None:
        value = value.astimezone()
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds")


class HistoryStore:
    """The SQLite history database. Calls may come from any thread (one lock per store)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike | None = None, migrations: list[str] = MIGRATIONS,
             read_only: bool = False) -> "HistoryStore":
        """Open (creating and migrating as needed) the database; default in the data dir.

        Checked before anything is trusted to it: a damaged file, one that cannot be written (the
        coach would lose the session) and one from a newer deepfit-coach are a ``HistoryError`` that
        says what to do. ``read_only`` (the commands that only read): a database that cannot be
        written is read from a copy in memory (migrated there if older), never refused."""
        if path is None:
            from deepfit_coach.paths import history_db_path

            path = history_db_path()
        db_path = Path(path)
        memory = str(db_path) == ":memory:"
        conn: sqlite3.Connection | None = None
        try:
            if not memory:
                db_path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            _check_intact(conn)
            migrate(conn, None if memory else db_path, migrations)
            if not memory:
                _check_writable(conn, db_path)
            store = cls(conn, None if memory else db_path)
            store.mark_dead_sessions()
            return store
        except NewerSchemaError as exc:
            _close(conn)
            raise HistoryError(f"history database {db_path} was written by a newer deepfit-coach "
                               f"({exc}); upgrade deepfit-coach to read it") from exc
        except (sqlite3.DatabaseError, OSError) as exc:
            _close(conn)
            if _damaged(exc):
                raise HistoryError(f"history database {db_path} is damaged ({exc}): move it aside and "
                                   f"deepfit-coach starts a new one{_backups(db_path)}") from exc
            if read_only and db_path.is_file():
                return cls._read_copy(db_path, migrations)
            if _read_only_error(exc) and db_path.exists():
                raise HistoryError(f"history database {db_path} cannot be written ({exc}): make it and its "
                                   "folder writable") from exc
            raise HistoryError(f"cannot open history database {db_path}: {exc}") from exc

    @classmethod
    def _read_copy(cls, db_path: Path, migrations: list[str]) -> "HistoryStore":
        """A database this process cannot write, copied into memory (and migrated there): read, never changed."""
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            for uri in (f"file:{db_path}?mode=ro", f"file:{db_path}?immutable=1"):
                try:
                    with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)) as source:
                        source.backup(conn)
                    break
                except sqlite3.OperationalError:
                    if "immutable" in uri:
                        raise
            _check_intact(conn)
            migrate(conn, None, migrations)
            return cls(conn, None)
        except NewerSchemaError as exc:
            _close(conn)
            raise HistoryError(f"history database {db_path} was written by a newer deepfit-coach "
                               f"({exc}); upgrade deepfit-coach to read it") from exc
        except (sqlite3.DatabaseError, OSError) as exc:
            _close(conn)
            if _damaged(exc):
                raise HistoryError(f"history database {db_path} is damaged ({exc}): move it aside and "
                                   f"deepfit-coach starts a new one{_backups(db_path)}") from exc
            raise HistoryError(f"cannot read history database {db_path}: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction: taken at once (IMMEDIATE), so waits use the busy timeout."""
        with self._lock:
            _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                _retry_busy(lambda: self.conn.execute("COMMIT"))

    # ----------------------------------------------------------------- writing
    def start_session(self, plan_name: str, plan_path: str | os.PathLike | None = None,
                      plan_hash: str | None = None, planned: Iterable[PlannedBlock | dict] | None = None,
                      started_at: datetime | None = None) -> int:
        """Open a session (status ``running``); returns its id."""
        blocks = [b if isinstance(b, PlannedBlock) else PlannedBlock.from_dict(b) for b in planned or []]
        stamp = _iso(started_at)
        pid = os.getpid()
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO sessions (plan_name, plan_path, plan_hash, planned_json, started_at,"
                " last_seen_at, status, pid, pid_token, host) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (plan_name, str(plan_path) if plan_path is not None else None, plan_hash,
                 json.dumps([b.to_dict() for b in blocks]), stamp, stamp, "running", pid,
                 liveness.process_token(pid), liveness.host_name()))
            return int(cur.lastrowid)

    def start_set(self, session_id: int, block_index: int, exercise: str, set_number: int,
                  target_reps: int | None = None, target_seconds: float | None = None,
                  started_at: datetime | None = None, rom_unit: str | None = None) -> int:
        """Open a set of a session; returns its id. ``rom_unit``: the unit of its reps' range of motion
        (``exercises.rom``), so that reports of a custom exercise need not find its definition again."""
        stamp = _iso(started_at)
        with self._write() as c:
            self._require_session(session_id)
            cur = c.execute(
                "INSERT INTO sets (session_id, block_index, exercise, set_number, target_reps,"
                " target_seconds, started_at, rom_unit) VALUES (?,?,?,?,?,?,?,?)",
                (session_id, block_index, exercise, set_number, target_reps, target_seconds, stamp, rom_unit))
            self._touch(session_id, stamp)
            return int(cur.lastrowid)

    def add_rep(self, set_id: int, rep: RepInfo) -> int:
        """Save one rep (full or partial) and bump the set's running counts, in one commit."""
        with self._write() as c:
            session_id = self._session_of_set(set_id)
            rep_id = self._insert_rep(c, set_id, rep, bool(rep.partial))
            column = "partial_reps" if rep.partial else "reps"
            c.execute(f"UPDATE sets SET {column} = {column} + 1 WHERE id = ? AND ended_at IS NULL", (set_id,))
            self._touch(session_id)
            return rep_id

    def replace_reps(self, set_id: int, reps: list[RepInfo], partials: list[RepInfo]) -> None:
        """Rewrite a set's reps as they now stand (a rep broken in two joined, the set's
        review at its end) and its running counts, in one commit."""
        with self._write() as c:
            session_id = self._session_of_set(set_id)
            c.execute("DELETE FROM reps WHERE set_id = ?", (set_id,))
            for rep in reps:
                self._insert_rep(c, set_id, rep, False)
            for rep in partials:
                self._insert_rep(c, set_id, rep, True)
            c.execute("UPDATE sets SET reps = ?, partial_reps = ? WHERE id = ? AND ended_at IS NULL",
                      (len(reps), len(partials), set_id))
            self._touch(session_id)

    @staticmethod
    def _insert_rep(c: sqlite3.Connection, set_id: int, rep: RepInfo, partial: bool) -> int:
        cur = c.execute(
            "INSERT INTO reps (set_id, idx, start_s, end_s, side, rom_deg, down_s, up_s, issues,"
            " partial) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (set_id, 0 if partial else int(rep.index), float(rep.start_s), float(rep.end_s), rep.side,
             float(rep.rom_deg), float(rep.down_s), float(rep.up_s), json.dumps(list(rep.issues)), int(partial)))
        return int(cur.lastrowid)

    def add_form_event(self, set_id: int, t_s: float, rule: str, cue: str, severity: str,
                       corrected: bool = False) -> int:
        """Save a form cue that fired (or, with ``corrected``, a fault that was fixed)."""
        with self._write() as c:
            session_id = self._session_of_set(set_id)
            cur = c.execute(
                "INSERT INTO form_events (set_id, t_s, rule, cue, severity, corrected) VALUES (?,?,?,?,?,?)",
                (set_id, float(t_s), rule, cue, severity, int(bool(corrected))))
            self._touch(session_id)
            return int(cur.lastrowid)

    def end_set(self, set_id: int, reps: int, partial_reps: int = 0, rest_s: float | None = None,
                ended_at: datetime | None = None, active_s: float | None = None,
                outcome: str | None = None) -> None:
        """Close a set with the counter's final counts (they override the running counts).

        ``active_s``: time spent exercising by the coach's clock (pauses excluded); timed
        sets are judged on it, falling back to wall-clock start/end. ``outcome``: a key of
        ``records.OUTCOMES`` when the set did not run its course (None: it did).
        """
        if outcome is not None and outcome not in OUTCOMES:
            raise ValueError(f"set outcome must be one of {', '.join(OUTCOMES)} or None; got {outcome!r}")
        stamp = _iso(ended_at)
        with self._write() as c:
            session_id = self._session_of_set(set_id)
            c.execute("UPDATE sets SET reps = ?, partial_reps = ?, ended_at = ?,"
                      " rest_s = COALESCE(?, rest_s), active_s = COALESCE(?, active_s), outcome = ? WHERE id = ?",
                      (int(reps), int(partial_reps), stamp, rest_s,
                       None if active_s is None else float(active_s), outcome, set_id))
            self._touch(session_id, stamp)

    def record_rest(self, set_id: int, rest_s: float) -> None:
        """Save the rest taken after a set (known only when the next set starts)."""
        with self._write() as c:
            session_id = self._session_of_set(set_id)
            c.execute("UPDATE sets SET rest_s = ? WHERE id = ?", (float(rest_s), set_id))
            self._touch(session_id)

    def end_session(self, session_id: int, status: str = "complete", ended_at: datetime | None = None) -> None:
        """Close a session: ``complete``, ``quit`` (user stopped) or ``incomplete`` (the video or camera
        ran out before the plan; a crashed session is marked so later, ``mark_dead_sessions``).

        Sets left open are closed at the same time with their running counts.
        """
        if status not in STATUSES or status == "running":
            raise ValueError(f"end status must be one of complete, quit, incomplete; got {status!r}")
        stamp = _iso(ended_at)
        with self._write() as c:
            self._require_session(session_id)
            c.execute("UPDATE sets SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL",
                      (stamp, session_id))
            c.execute("UPDATE sessions SET status = ?, ended_at = ?, last_seen_at = ? WHERE id = ?",
                      (status, stamp, stamp, session_id))

    def mark_dead_sessions(self) -> list[int]:
        """Mark ``running`` sessions whose process is gone as ``incomplete``; returns their ids."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT id, pid, pid_token, host, last_seen_at FROM sessions WHERE status = 'running'").fetchall()
        here, now = liveness.host_name(), datetime.now(timezone.utc)
        dead = []
        for row in rows:
            if row["host"] == here:
                alive = liveness.is_alive(row["pid"], row["pid_token"])
            else:
                alive = now - datetime.fromisoformat(row["last_seen_at"]) < STALE_FOREIGN_AFTER
            if not alive:
                dead.append(int(row["id"]))
        if dead:
            with self._write() as c:
                for sid in dead:
                    # only if still running: another process may have just done it
                    c.execute("UPDATE sets SET ended_at = (SELECT last_seen_at FROM sessions WHERE id = ?)"
                              " WHERE session_id = ? AND ended_at IS NULL AND"
                              " (SELECT status FROM sessions WHERE id = ?) = 'running'", (sid, sid, sid))
                    c.execute("UPDATE sessions SET status = 'incomplete', ended_at = last_seen_at"
                              " WHERE id = ? AND status = 'running'", (sid,))
        return dead

    def _touch(self, session_id: int, stamp: str | None = None) -> None:
        self.conn.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (stamp or now_iso(), session_id))

    def _require_session(self, session_id: int) -> None:
        if self.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise UnknownSessionError(session_id)

    def _session_of_set(self, set_id: int) -> int:
        row = self.conn.execute("SELECT session_id FROM sets WHERE id = ?", (set_id,)).fetchone()
        if row is None:
            raise KeyError(f"no set with id {set_id}")
        return int(row[0])

    # ----------------------------------------------------------------- reading
    def list_sessions(self, limit: int | None = None, plan_name: str | None = None,
                      newest_first: bool = True) -> list[SessionRecord]:
        """Sessions with their totals (sets, reps, exercises), without per-set detail."""
        where, args = ("WHERE s.plan_name = ?", [plan_name]) if plan_name else ("", [])
        order = "DESC" if newest_first else "ASC"
        sql = (
            "SELECT s.*, COUNT(t.id) AS n_sets, COALESCE(SUM(t.reps), 0) AS total_reps,"
            " COALESCE(SUM(t.partial_reps), 0) AS total_partial, GROUP_CONCAT(DISTINCT t.exercise) AS ex"
            f" FROM sessions s LEFT JOIN sets t ON t.session_id = s.id {where}"
            f" GROUP BY s.id ORDER BY s.started_at {order}, s.id {order}")
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        with self._lock:
            return [self._session_from_row(row) for row in self.conn.execute(sql, args).fetchall()]

    def get_session(self, session_id: int) -> SessionRecord:
        """One session with its sets, reps and form events; UnknownSessionError if absent."""
        sessions = self._sessions_with_sets("WHERE s.id = ?", [session_id])
        if not sessions:
            raise UnknownSessionError(session_id)
        return sessions[0]

    def latest_session_id(self) -> int | None:
        with self._lock:
            row = self.conn.execute("SELECT id FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1").fetchone()
        return int(row[0]) if row else None

    def previous_session(self, session_id: int, same_plan: bool = True) -> SessionRecord | None:
        """The last session before ``session_id`` (of the same plan name), with its sets."""
        current = self.get_session(session_id)
        where = "WHERE (s.started_at < ? OR (s.started_at = ? AND s.id < ?))"
        args: list = [current.started_at, current.started_at, session_id]
        if same_plan:
            where += " AND s.plan_name = ?"
            args.append(current.plan_name)
        with self._lock:
            row = self.conn.execute(f"SELECT s.id FROM sessions s {where} ORDER BY s.started_at DESC, s.id DESC"
                                    " LIMIT 1", args).fetchone()
        return self.get_session(int(row[0])) if row else None

    def plan_history(self, plan_name: str, limit: int | None = None,
                     exclude_running: bool = True) -> list[SessionRecord]:
        """Past sessions of a plan with their sets, oldest first (input to progression)."""
        where, args = "WHERE s.plan_name = ?", [plan_name]
        if exclude_running:
            where += " AND s.status != 'running'"
        sessions = self._sessions_with_sets(where, args)
        return sessions[-limit:] if limit else sessions

    def all_sessions(self) -> list[SessionRecord]:
        """Every session with sets, reps and form events, oldest first (export, progress)."""
        return self._sessions_with_sets("", [])

    def exercises(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute("SELECT DISTINCT exercise FROM sets ORDER BY exercise")]

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def _sessions_with_sets(self, where: str, args: list) -> list[SessionRecord]:
        # one read transaction so that the session, set, rep and event reads agree
        with self._lock:
            return self._read_sessions_with_sets(where, args)

    def _read_sessions_with_sets(self, where: str, args: list) -> list[SessionRecord]:
        self.conn.execute("BEGIN")
        try:
            rows = self.conn.execute(f"SELECT s.* FROM sessions s {where} ORDER BY s.started_at, s.id",
                                     args).fetchall()
            sessions = [self._session_from_row(r) for r in rows]
            if not sessions:
                return []
            by_id = {s.id: s for s in sessions}
            marks = ",".join("?" * len(by_id))
            ids = list(by_id)
            sets: dict[int, SetRecord] = {}
            for r in self.conn.execute(f"SELECT * FROM sets WHERE session_id IN ({marks})"
                                       " ORDER BY session_id, started_at, id", ids):
                rec = SetRecord(id=r["id"], session_id=r["session_id"], block_index=r["block_index"],
                                exercise=r["exercise"], set_number=r["set_number"],
                                target_reps=r["target_reps"], target_seconds=r["target_seconds"],
                                reps=r["reps"], partial_reps=r["partial_reps"], started_at=r["started_at"],
                                ended_at=r["ended_at"], rest_s=r["rest_s"], active_s=r["active_s"],
                                outcome=r["outcome"], rom_unit=r["rom_unit"])
                sets[rec.id] = rec
                by_id[rec.session_id].sets.append(rec)
            if sets:
                set_marks = ",".join("?" * len(sets))
                for r in self.conn.execute(f"SELECT * FROM reps WHERE set_id IN ({set_marks})"
                                           " ORDER BY set_id, start_s, id", list(sets)):
                    sets[r["set_id"]].rep_list.append(RepRecord(
                        id=r["id"], index=r["idx"], start_s=r["start_s"], end_s=r["end_s"], side=r["side"],
                        rom_deg=r["rom_deg"], down_s=r["down_s"], up_s=r["up_s"],
                        issues=list(json.loads(r["issues"] or "[]")), partial=bool(r["partial"])))
                for r in self.conn.execute(f"SELECT * FROM form_events WHERE set_id IN ({set_marks})"
                                           " ORDER BY set_id, t_s, id", list(sets)):
                    sets[r["set_id"]].form_events.append(FormEventRecord(
                        id=r["id"], t_s=r["t_s"], rule=r["rule"], cue=r["cue"], severity=r["severity"],
                        corrected=bool(r["corrected"])))
            for s in sessions:
                s.n_sets = len(s.sets)
                s.total_reps = sum(t.reps for t in s.sets)
                s.total_partial_reps = sum(t.partial_reps for t in s.sets)
                s.exercises = list(dict.fromkeys(t.exercise for t in s.sets))
            return sessions
        finally:
            self.conn.execute("COMMIT")

    @staticmethod
    def _session_from_row(row: sqlite3.Row) -> SessionRecord:
        keys = row.keys()
        planned = [PlannedBlock.from_dict(b) for b in json.loads(row["planned_json"] or "[]")]
        rec = SessionRecord(id=row["id"], plan_name=row["plan_name"], plan_path=row["plan_path"],
                            plan_hash=row["plan_hash"], started_at=row["started_at"], ended_at=row["ended_at"],
                            status=row["status"], planned=planned)
        if "n_sets" in keys:
            rec.n_sets = int(row["n_sets"])
            rec.total_reps = int(row["total_reps"])
            rec.total_partial_reps = int(row["total_partial"])
            rec.exercises = sorted(set((row["ex"] or "").split(","))) if row["ex"] else []
        return rec


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


def _check_intact(conn: sqlite3.Connection) -> None:
    """Refuse a damaged file at once (a history database is small: the check takes milliseconds), rather
    than fail on the first query that reaches the damaged page."""
    row = conn.execute("PRAGMA quick_check").fetchone()
    if row is not None and row[0] != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed: {row[0]}")


def _check_writable(conn: sqlite3.Connection, db_path: Path) -> None:
    """Take and drop the write lock, so that a file the coach could not save to fails here, before the
    workout, and a lock held by another process is waited for with a word rather than in silence."""
    conn.execute("PRAGMA busy_timeout = 1000")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        from deepfit_coach.errors import warn

        warn(f"waiting for the history database {db_path}: another deepfit-coach is writing to it "
             f"(up to {BUSY_TIMEOUT_S:.0f} s)")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    try:
        # a write to the header page in a transaction rolled back: a read-only file fails here, not later
        conn.execute(f"PRAGMA user_version = {int(conn.execute('PRAGMA user_version').fetchone()[0])}")
    finally:
        conn.execute("ROLLBACK")


def _damaged(exc: BaseException) -> bool:
    text = str(exc)
    return "malformed" in text or "not a database" in text or "file is encrypted" in text


def _read_only_error(exc: BaseException) -> bool:
    text = str(exc)
    return "readonly" in text or "read-only" in text or "unable to open" in text or isinstance(exc, PermissionError)


def _backups(db_path: Path) -> str:
    """Where the copies made before each migration are, if any (``schema``)."""
    copies = sorted(db_path.parent.glob(f"{db_path.name}.bak-v*"))
    return f" (a copy from before its last upgrade: {copies[-1]})" if copies else ""


def _retry_busy(action, attempts: int = 5):
    """Run ``action``, retrying on 'database is locked' that the busy handler did not absorb."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
