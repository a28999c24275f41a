"""The history database schema and its migrations.

The schema version lives in ``PRAGMA user_version``. ``MIGRATIONS[i]`` takes a database
from version ``i`` to ``i + 1``. Rules that keep user data safe:

- migrations only add (tables, columns, indexes); they never drop or rewrite data;
- an existing database is copied to ``<name>.bak-v<N>`` before it is migrated;
- a database newer than this program is refused rather than guessed at.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

V1 = """
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_name     TEXT NOT NULL,
    plan_path     TEXT,
    plan_hash     TEXT,
    planned_json  TEXT,              -- the blocks as planned for this session (JSON list)
    started_at    TEXT NOT NULL,     -- ISO 8601, UTC
    ended_at      TEXT,
    last_seen_at  TEXT NOT NULL,     -- last write; end time of a session that died
    status        TEXT NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'complete', 'incomplete', 'quit')),
    pid           INTEGER,
    pid_token     TEXT,              -- process start time, so a reused pid is not taken as alive
    host          TEXT
);
CREATE INDEX sessions_plan ON sessions(plan_name, started_at);

CREATE TABLE sets (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id      INTEGER NOT NULL REFERENCES sessions(id),
    block_index     INTEGER NOT NULL,
    exercise        TEXT NOT NULL,
    set_number      INTEGER NOT NULL,
    target_reps     INTEGER,
    target_seconds  REAL,
    reps            INTEGER NOT NULL DEFAULT 0,
    partial_reps    INTEGER NOT NULL DEFAULT 0,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    rest_s          REAL              -- rest taken after this set
);
CREATE INDEX sets_session ON sets(session_id, block_index, set_number);
CREATE INDEX sets_exercise ON sets(exercise);

CREATE TABLE reps (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id    INTEGER NOT NULL REFERENCES sets(id),
    idx       INTEGER NOT NULL,
    start_s   REAL NOT NULL,
    end_s     REAL NOT NULL,
    side      TEXT NOT NULL,
    rom_deg   REAL NOT NULL,
    down_s    REAL NOT NULL,
    up_s      REAL NOT NULL,
    issues    TEXT NOT NULL DEFAULT '[]',   -- JSON list of form rule names
    partial   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reps_set ON reps(set_id);

CREATE TABLE form_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id     INTEGER NOT NULL REFERENCES sets(id),
    t_s        REAL NOT NULL,
    rule       TEXT NOT NULL,
    cue        TEXT NOT NULL,
    severity   TEXT NOT NULL,
    corrected  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX form_events_set ON form_events(set_id);
"""

V2 = """
-- time actually spent exercising in the set (pauses excluded), from the coach's clock;
-- wall-clock started/ended times shrink when a video is replayed faster than real time
ALTER TABLE sets ADD COLUMN active_s REAL;
"""

V3 = """
-- how a set ended when not by its target or clock: 'skipped' (n) or 'stopped' (q, Ctrl-C, the video
-- ran out); NULL: it ran its course
ALTER TABLE sets ADD COLUMN outcome TEXT;
"""

V4 = """
-- the unit of the set's reps' range of motion ("°", "× shin", " m"), from the exercise's spec when the set
-- began, so a custom exercise (defined in a plan, not in the built-in catalogue) keeps its unit in reports;
-- NULL: sets saved before, whose built-in exercise's unit is looked up
ALTER TABLE sets ADD COLUMN rom_unit TEXT;
"""

MIGRATIONS: list[str] = [V1, V2, V3, V4]
"""``MIGRATIONS[i]`` upgrades version ``i`` to ``i + 1``; append only, never edit."""


class NewerSchemaError(Exception):
    """The database was written by a newer deepfit-coach."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found} is newer than this program's {known}")
        self.found = found
        self.known = known


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path | None, migrations: list[str] = MIGRATIONS) -> int:
    """Bring the database up to ``len(migrations)``; returns the version found before.

    Runs inside ``BEGIN IMMEDIATE`` so that two processes opening a new database at
    once cannot both migrate it. ``conn`` must be in autocommit mode.
    """
    target = len(migrations)
    if schema_version(conn) == target:  # fast path, no write lock
        return target
    found = schema_version(conn)
    if found > target:
        raise NewerSchemaError(found, target)
    if 0 < found < target and path is not None:
        _backup(conn, path.with_name(f"{path.name}.bak-v{found}"))
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = schema_version(conn)  # another process may have migrated meanwhile
        if found > target:
            raise NewerSchemaError(found, target)
        for version in range(found, target):
            for statement in _statements(migrations[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
        return found
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return [s for s in statements if s]


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    """Copy the database (a consistent snapshot) before changing its schema.

    Written under a private name, then renamed, so two processes never mix their copies.
    """
    if target.exists():
        return
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    dest = sqlite3.connect(temp)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    if target.exists():
        temp.unlink()
    else:
        os.replace(temp, target)
