"""Rows read back from the history database, as plain dataclasses.

These flow to the CLI (tables, JSON, CSV), the session report and progression rules;
``to_dict`` gives the JSON form used by ``history --json`` and ``history export``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# how a set that did not run its course ended (``SetRecord.outcome``), as ``history show`` says it
OUTCOMES = {"skipped": "skipped", "stopped": "stopped",
            "stalled": "ended by the coach: no more reps came",
            "other_exercise": "ended by the coach: another exercise was done"}


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass
class PlannedBlock:
    """One block of the plan as it was planned for a session (saved with the session).

    ``base_reps``/``base_seconds`` are the plan file's own values, ``reps``/``seconds``
    the targets actually used after progression; progression compares the former to
    notice that the user edited the plan.
    """

    block_index: int
    exercise: str
    sets: int
    reps: int | None = None
    seconds: float | None = None
    base_reps: int | None = None
    base_seconds: float | None = None

    def to_dict(self) -> dict:
        return {"block_index": self.block_index, "exercise": self.exercise, "sets": self.sets,
                "reps": self.reps, "seconds": self.seconds,
                "base_reps": self.base_reps, "base_seconds": self.base_seconds}

    @classmethod
    def from_dict(cls, data: dict) -> "PlannedBlock":
        return cls(block_index=int(data["block_index"]), exercise=str(data["exercise"]),
                   sets=int(data.get("sets") or 0), reps=data.get("reps"),
                   seconds=data.get("seconds"), base_reps=data.get("base_reps"),
                   base_seconds=data.get("base_seconds"))


@dataclass
class RepRecord:
    id: int
    index: int
    start_s: float
    end_s: float
    side: str
    rom_deg: float
    down_s: float
    up_s: float
    issues: list[str]
    partial: bool

    @property
    def duration_s(self) -> float:
        return max(0.0, self.end_s - self.start_s)

    def to_dict(self) -> dict:
        return {"index": self.index, "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3),
                "side": self.side, "rom_deg": round(self.rom_deg, 3), "down_s": round(self.down_s, 3),
                "up_s": round(self.up_s, 3), "issues": list(self.issues), "partial": self.partial}


@dataclass
class FormEventRecord:
    id: int
    t_s: float
    rule: str
    cue: str
    severity: str
    corrected: bool

    def to_dict(self) -> dict:
        return {"t_s": round(self.t_s, 3), "rule": self.rule, "cue": self.cue,
                "severity": self.severity, "corrected": self.corrected}


@dataclass
class SetRecord:
    id: int
    session_id: int
    block_index: int
    exercise: str
    set_number: int
    target_reps: int | None
    target_seconds: float | None
    reps: int
    partial_reps: int
    started_at: str
    ended_at: str | None
    rest_s: float | None
    active_s: float | None = None
    outcome: str | None = None          # a key of OUTCOMES: the set did not run its course
    rom_unit: str | None = None         # its reps' range-of-motion unit when saved (None: before it was)
    rep_list: list[RepRecord] = field(default_factory=list)
    form_events: list[FormEventRecord] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def duration_s(self) -> float | None:
        """Time exercising: the coach's active time when saved, else wall-clock start to end."""
        if self.active_s is not None:
            return self.active_s
        start, end = parse_time(self.started_at), parse_time(self.ended_at)
        return (end - start).total_seconds() if start and end else None

    @property
    def complete(self) -> bool:
        """Finished and the target reached (reps, or seconds for a timed set)."""
        if not self.finished:
            return False
        if self.target_reps is not None:
            return self.reps >= self.target_reps
        if self.target_seconds is not None:
            return (self.duration_s or 0.0) + 0.5 >= self.target_seconds
        return True

    @property
    def faults(self) -> list[str]:
        """Form faults of this set, one entry per rep that showed it.

        Reps are the unit (a cue is spoken once for several faulty reps); a form event
        whose rule no rep carries (a fault between reps) counts once per event.
        """
        rules = [issue for rep in self.rep_list for issue in rep.issues]
        seen = set(rules)
        rules += [e.rule for e in self.form_events if not e.corrected and e.rule not in seen]
        return rules

    @property
    def clean(self) -> bool:
        return self.complete and not self.faults

    @property
    def time_under_tension_s(self) -> float:
        return sum(rep.duration_s for rep in self.rep_list)

    def to_dict(self, with_reps: bool = True) -> dict:
        data = {"id": self.id, "block_index": self.block_index, "exercise": self.exercise,
                "set_number": self.set_number, "target_reps": self.target_reps,
                "target_seconds": self.target_seconds, "reps": self.reps,
                "partial_reps": self.partial_reps, "started_at": self.started_at,
                "ended_at": self.ended_at, "rest_s": self.rest_s, "active_s": self.active_s,
                "outcome": self.outcome, "rom_unit": self.rom_unit,
                "time_under_tension_s": round(self.time_under_tension_s, 2)}
        if with_reps:
            data["rep_list"] = [r.to_dict() for r in self.rep_list]
            data["form_events"] = [e.to_dict() for e in self.form_events]
        return data


@dataclass
class SessionRecord:
    """A session; ``sets`` is filled only by detail queries."""

    id: int
    plan_name: str
    plan_path: str | None
    plan_hash: str | None
    started_at: str
    ended_at: str | None
    status: str
    planned: list[PlannedBlock] = field(default_factory=list)
    n_sets: int = 0
    total_reps: int = 0
    total_partial_reps: int = 0
    exercises: list[str] = field(default_factory=list)
    sets: list[SetRecord] = field(default_factory=list)

    @property
    def duration_s(self) -> float | None:
        start, end = parse_time(self.started_at), parse_time(self.ended_at)
        return (end - start).total_seconds() if start and end else None

    def to_dict(self, with_sets: bool = False) -> dict:
        duration = self.duration_s
        data = {"id": self.id, "plan_name": self.plan_name, "plan_path": self.plan_path,
                "plan_hash": self.plan_hash, "started_at": self.started_at,
                "ended_at": self.ended_at, "status": self.status,
                "duration_s": round(duration, 1) if duration is not None else None,
                "sets": self.n_sets, "reps": self.total_reps,
                "partial_reps": self.total_partial_reps, "exercises": list(self.exercises)}
        if with_sets:
            data["planned"] = [b.to_dict() for b in self.planned]
            data["set_list"] = [s.to_dict() for s in self.sets]
        return data
