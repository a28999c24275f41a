"""The session report: what was done against what was planned, and how it compares.

Built from the history store (so it works the same at the end of ``start``, after a
crash, and later with ``deepfit-coach report ID``) and rendered three ways: a Rich
renderable for the terminal, plain text (logs, voice, tests) and standalone HTML.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from deepfit_coach.exercises.rom import fmt_rom, sets_rom_unit
from deepfit_coach.history.records import SessionRecord
from deepfit_coach.history.store import HistoryStore


@dataclass
class ExerciseSummary:
    """One exercise of a session (all blocks of it together)."""

    exercise: str
    sets_done: int                  # sets that ran their course (to their target or clock, or the coach ended them)
    sets_planned: int | None
    reps_done: int
    reps_planned: int | None        # None for timed sets or when the plan was not saved
    partial_reps: int
    set_reps: list[int]
    set_targets: list[int | None]
    seconds_done: float             # timed sets: total duration
    seconds_planned: float | None
    time_under_tension_s: float
    rest_s: float
    avg_rom_deg: float | None
    issues: Counter = field(default_factory=Counter)
    sets_skipped: int = 0           # begun, then skipped (n): not done, as the coach's own summary says
    sets_stopped: int = 0           # begun, then stopped (q, Ctrl-C, the video ran out): not done either
    rom_unit: str | None = None     # of avg_rom_deg ("°", "× shin"); None: unknown (a bare number)

    @property
    def timed(self) -> bool:
        return self.seconds_planned is not None and not self.reps_planned

    def to_dict(self) -> dict:
        return {"exercise": self.exercise, "sets_done": self.sets_done, "sets_skipped": self.sets_skipped,
                "sets_stopped": self.sets_stopped,
                "sets_planned": self.sets_planned,
                "reps_done": self.reps_done, "reps_planned": self.reps_planned, "partial_reps": self.partial_reps,
                "set_reps": self.set_reps, "set_targets": self.set_targets,
                "seconds_done": round(self.seconds_done, 1), "seconds_planned": self.seconds_planned,
                "time_under_tension_s": round(self.time_under_tension_s, 1), "rest_s": round(self.rest_s, 1),
                "avg_rom_deg": None if self.avg_rom_deg is None else round(self.avg_rom_deg, 3),
                "rom_unit": self.rom_unit, "issues": dict(self.issues.most_common())}


@dataclass
class Comparison:
    """This session against the previous session of the same plan."""

    previous_id: int
    previous_started_at: str
    reps_delta: int
    tut_delta_s: float
    issues_delta: int
    exercise_reps_delta: dict[str, int]

    def to_dict(self) -> dict:
        return {"previous_id": self.previous_id, "previous_started_at": self.previous_started_at,
                "reps_delta": self.reps_delta, "time_under_tension_delta_s": round(self.tut_delta_s, 1),
                "issues_delta": self.issues_delta, "exercise_reps_delta": self.exercise_reps_delta}


@dataclass
class SessionReport:
    session: SessionRecord
    exercises: list[ExerciseSummary]
    previous: Comparison | None

    @property
    def total_reps(self) -> int:
        return sum(e.reps_done for e in self.exercises)

    @property
    def timed_reps(self) -> int:
        """Reps done in timed sets, which have no planned number of reps to compare with."""
        return sum(e.reps_done for e in self.exercises if e.timed)

    @property
    def planned_reps(self) -> int | None:
        values = [e.reps_planned for e in self.exercises if not e.timed]
        return None if not values or any(v is None for v in values) else sum(values)  # type: ignore[misc]

    @property
    def time_under_tension_s(self) -> float:
        return sum(e.time_under_tension_s for e in self.exercises)

    @property
    def rest_s(self) -> float:
        return sum(e.rest_s for e in self.exercises)

    @property
    def issues(self) -> Counter:
        total: Counter = Counter()
        for e in self.exercises:
            total.update(e.issues)
        return total

    def to_dict(self) -> dict:
        s = self.session
        return {"session": s.to_dict(), "total_reps": self.total_reps, "planned_reps": self.planned_reps,
                "time_under_tension_s": round(self.time_under_tension_s, 1), "rest_s": round(self.rest_s, 1),
                "issues": dict(self.issues.most_common()), "exercises": [e.to_dict() for e in self.exercises],
                "previous": self.previous.to_dict() if self.previous else None}


def build_report(store: HistoryStore, session_id: int, compare: bool = True) -> SessionReport:
    """Summarise one session (UnknownSessionError if there is no such session)."""
    session = store.get_session(session_id)
    exercises = summarise(session)
    previous = None
    if compare:
        before = store.previous_session(session_id, same_plan=True)
        if before is not None:
            previous = _compare(exercises, before)
    return SessionReport(session=session, exercises=exercises, previous=previous)


def summarise(session: SessionRecord) -> list[ExerciseSummary]:
    """Per-exercise totals of a session, in the order the exercises were planned or done."""
    order = list(dict.fromkeys([b.exercise for b in session.planned] + [s.exercise for s in session.sets]))
    out = []
    for name in order:
        sets = [s for s in session.sets if s.exercise == name]
        planned = [b for b in session.planned if b.exercise == name]
        reps = [r for s in sets for r in s.rep_list]
        full = [r for r in reps if not r.partial]
        issues: Counter = Counter()
        for s in sets:
            issues.update(s.faults)
        timed_blocks = [b for b in planned if b.reps is None and b.seconds is not None]
        rep_blocks = [b for b in planned if b.reps is not None]
        out.append(ExerciseSummary(
            exercise=name, sets_done=sum(s.outcome not in ("skipped", "stopped") for s in sets),
            sets_skipped=sum(s.outcome == "skipped" for s in sets), sets_stopped=sum(s.outcome == "stopped" for s in sets), rom_unit=sets_rom_unit(name, sets),
            sets_planned=sum(b.sets for b in planned) if planned else None,
            reps_done=sum(s.reps for s in sets),
            reps_planned=sum(b.sets * b.reps for b in rep_blocks) if rep_blocks else  # type: ignore[operator]
            (None if planned else _sum_or_none([s.target_reps for s in sets])),
            partial_reps=sum(s.partial_reps for s in sets),
            set_reps=[s.reps for s in sets], set_targets=[s.target_reps for s in sets],
            seconds_done=sum(s.duration_s or 0.0 for s in sets if s.target_seconds is not None),
            seconds_planned=sum(b.sets * b.seconds for b in timed_blocks) if timed_blocks else  # type: ignore[operator]
            (None if planned else _sum_or_none([s.target_seconds for s in sets])),
            time_under_tension_s=sum(r.duration_s for r in reps),
            rest_s=sum(s.rest_s or 0.0 for s in sets),
            avg_rom_deg=sum(r.rom_deg for r in full) / len(full) if full else None,
            issues=issues))
    return out


def _sum_or_none(values: list) -> float | int | None:
    return sum(values) if values and all(v is not None for v in values) else None


def _compare(current: list[ExerciseSummary], before: SessionRecord) -> Comparison:
    old = summarise(before)
    old_by = {e.exercise: e for e in old}
    now_issues = sum(sum(e.issues.values()) for e in current)
    old_issues = sum(sum(e.issues.values()) for e in old)
    return Comparison(
        previous_id=before.id, previous_started_at=before.started_at,
        reps_delta=sum(e.reps_done for e in current) - sum(e.reps_done for e in old),
        tut_delta_s=sum(e.time_under_tension_s for e in current) - sum(e.time_under_tension_s for e in old),
        issues_delta=now_issues - old_issues,
        exercise_reps_delta={e.exercise: e.reps_done - old_by[e.exercise].reps_done
                             for e in current if e.exercise in old_by})


# ------------------------------------------------------------------ rendering
def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def fmt_when(iso: str | None) -> str:
    if not iso:
        return "–"
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def pretty(name: str) -> str:
    return name.replace("_", " ")


def _achieved(e: ExerciseSummary) -> str:
    if e.timed:
        return f"{fmt_duration(e.seconds_done)} / {fmt_duration(e.seconds_planned)} ({e.reps_done} reps)"
    planned = f" / {e.reps_planned}" if e.reps_planned is not None else ""
    return f"{e.reps_done}{planned}"


def _sets(e: ExerciseSummary) -> str:
    planned = f" / {e.sets_planned}" if e.sets_planned is not None else ""
    notes = [f"{n} {what}" for n, what in ((e.sets_skipped, "skipped"), (e.sets_stopped, "stopped")) if n]
    return f"{e.sets_done}{planned}" + (f" ({', '.join(notes)})" if notes else "")


def _per_set(e: ExerciseSummary) -> str:
    if e.timed:
        return ""
    return ", ".join(f"{r}/{t}" if t is not None else str(r) for r, t in zip(e.set_reps, e.set_targets))


def _headline(report: SessionReport) -> str:
    s = report.session
    return (f"Session {s.id} · {s.plan_name} · {fmt_when(s.started_at)} · {fmt_duration(s.duration_s)}"
            f" · {s.status}")


def _comparison_line(c: Comparison) -> str:
    tut = round(c.tut_delta_s)   # a -0.4 s change read "-0 s"
    reps = f"{c.reps_delta:+d} rep{'' if abs(c.reps_delta) == 1 else 's'}"
    parts = [reps, f"{tut:+d} s under tension" if tut else "same time under tension"]
    if c.issues_delta:
        n = abs(c.issues_delta)
        parts.append(f"{n} {'more' if c.issues_delta > 0 else 'fewer'} form issue{'' if n == 1 else 's'}")
    else:
        parts.append("same number of form issues")
    return f"vs session {c.previous_id} ({fmt_when(c.previous_started_at)}): " + ", ".join(parts)


def _reps_done(report: SessionReport) -> str:
    """"N of M reps", the planned M against the reps of rep sets only, and a timed set's reps apart
    (a circuit of 8 planned squats and 12-s jacks read "21 of 8 reps")."""
    if report.planned_reps is None:
        return f"{report.total_reps} reps"
    timed = f" (+{report.timed_reps} in timed sets)" if report.timed_reps else ""
    return f"{report.total_reps - report.timed_reps} of {report.planned_reps} reps{timed}"


def _totals_line(report: SessionReport) -> str:
    return (f"Total: {_reps_done(report)} · time under tension {fmt_duration(report.time_under_tension_s)}"
            f" · rest {fmt_duration(report.rest_s)}")


def render_text(report: SessionReport) -> str:
    """Plain text, one line per exercise; no colour, no box drawing."""
    lines = [_headline(report), ""]
    for e in report.exercises:
        per_set = _per_set(e)
        rom = f", ROM {fmt_rom(e.exercise, e.avg_rom_deg, e.rom_unit)}" if e.avg_rom_deg is not None else ""
        partial = f", {e.partial_reps} partial" if e.partial_reps else ""
        lines.append(f"  {pretty(e.exercise)}: sets {_sets(e)}, {'time' if e.timed else 'reps'} {_achieved(e)}"
                     f"{f' ({per_set})' if per_set else ''}{partial}, TUT {fmt_duration(e.time_under_tension_s)},"
                     f" rest {fmt_duration(e.rest_s)}{rom}")
    lines += ["", _totals_line(report)]
    issues = report.issues
    if issues:
        lines.append("Form issues: " + ", ".join(f"{pretty(rule)} ×{n}" for rule, n in issues.most_common()))
    else:
        lines.append("Form issues: none")
    if report.previous:
        lines.append(_comparison_line(report.previous))
    return "\n".join(lines)


def render_rich(report: SessionReport):
    """A Rich renderable (Group of a table and summary lines)."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    status_style = {"complete": "green", "quit": "yellow", "incomplete": "red", "running": "cyan"}
    title = Text(_headline(report), style="bold")
    table = Table(show_edge=False, header_style="bold")
    for col, justify in (("Exercise", "left"), ("Sets", "right"), ("Reps / time", "right"), ("Per set", "left"),
                         ("TUT", "right"), ("Rest", "right"), ("ROM", "right"), ("Form issues", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for e in report.exercises:
        reached = e.timed or e.reps_planned is None or e.reps_done >= e.reps_planned
        table.add_row(pretty(e.exercise), _sets(e), Text(_achieved(e), style="green" if reached else "yellow"),
                      _per_set(e), fmt_duration(e.time_under_tension_s), fmt_duration(e.rest_s),
                      fmt_rom(e.exercise, e.avg_rom_deg, e.rom_unit),
                      ", ".join(f"{pretty(r)} ×{n}" for r, n in e.issues.most_common(3)) or "–")
    parts = [title, Text(f"status: {report.session.status}", style=status_style.get(report.session.status, "")),
             table, Text(_totals_line(report))]
    if report.issues:
        top, n = report.issues.most_common(1)[0]
        parts.append(Text(f"Most frequent form issue: {pretty(top)} ×{n}", style="yellow"))
    if report.previous:
        parts.append(Text(_comparison_line(report.previous), style="cyan"))
    return Group(*parts)


def render_html(report: SessionReport) -> str:
    """A standalone HTML page of the Rich rendering."""
    from rich.console import Console

    console = Console(record=True, file=io.StringIO(), width=120, color_system="truecolor")
    console.print(render_rich(report))
    return console.export_html(inline_styles=True)


def spoken_summary(report: SessionReport) -> str:
    """Two or three short sentences for the voice at the end of a workout."""
    sentences = [f"Workout done: {_reps_done(report)}."]
    if report.issues:
        rule, n = report.issues.most_common(1)[0]
        sentences.append(f"Watch your {pretty(rule)} next time; it came up {n} {'time' if n == 1 else 'times'}.")
    else:
        sentences.append("Clean form throughout.")
    if report.previous and report.previous.reps_delta > 0:
        sentences.append(f"That's {report.previous.reps_delta} more reps than last time.")
    return " ".join(sentences)
