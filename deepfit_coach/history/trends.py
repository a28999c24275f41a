"""Progress over time: totals per exercise and trends per ISO week.

Weeks are ISO weeks of the session start in local time ("2026-W10"); weeks with no
training inside the range are kept (as zeros) so that gaps show in tables and charts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from deepfit_coach.exercises.rom import sets_rom_unit
from deepfit_coach.history.records import SessionRecord, SetRecord


@dataclass
class WeekStat:
    week: str                     # ISO week, e.g. "2026-W10"
    monday: date
    sessions: int = 0
    sets: int = 0
    reps: int = 0
    avg_rom_deg: float | None = None
    top_fault: str | None = None
    top_fault_count: int = 0

    def to_dict(self) -> dict:
        return {"week": self.week, "monday": self.monday.isoformat(), "sessions": self.sessions,
                "sets": self.sets, "reps": self.reps,
                "avg_rom_deg": None if self.avg_rom_deg is None else round(self.avg_rom_deg, 3),
                "top_fault": self.top_fault, "top_fault_count": self.top_fault_count}


@dataclass
class ExerciseTotals:
    exercise: str
    sessions: int
    sets: int
    reps: int
    partial_reps: int
    time_under_tension_s: float
    best_set_reps: int
    avg_rom_deg: float | None
    faults: Counter = field(default_factory=Counter)
    rom_unit: str | None = None   # of avg_rom_deg (None: unknown)

    @property
    def top_fault(self) -> tuple[str, int] | None:
        return self.faults.most_common(1)[0] if self.faults else None

    def to_dict(self) -> dict:
        top = self.top_fault
        return {"exercise": self.exercise, "sessions": self.sessions, "sets": self.sets, "reps": self.reps,
                "partial_reps": self.partial_reps, "time_under_tension_s": round(self.time_under_tension_s, 1),
                "best_set_reps": self.best_set_reps,
                "avg_rom_deg": None if self.avg_rom_deg is None else round(self.avg_rom_deg, 3), "rom_unit": self.rom_unit,
                "top_fault": top[0] if top else None, "top_fault_count": top[1] if top else 0}


@dataclass
class Progress:
    exercise: str | None          # None: all exercises
    totals: list[ExerciseTotals]
    weeks: list[WeekStat]
    rom_unit: str | None = None   # of the weeks' ranges of motion (one exercise; None: unknown)

    @property
    def top_fault(self) -> tuple[str, int] | None:
        total: Counter = Counter()
        for t in self.totals:
            total.update(t.faults)
        return total.most_common(1)[0] if total else None

    @property
    def rom_exercise(self) -> str | None:
        """The one exercise the weekly range of motion is of (ranges of different exercises
        have different units - degrees, body lengths - and are not averaged together)."""
        return self.exercise or (self.totals[0].exercise if len(self.totals) == 1 else None)

    @property
    def rom_change_deg(self) -> float | None:
        """Average range of motion of the last trained week minus the first (one exercise)."""
        roms = [w.avg_rom_deg for w in self.weeks if w.avg_rom_deg is not None]
        return roms[-1] - roms[0] if len(roms) >= 2 else None

    def to_dict(self) -> dict:
        top = self.top_fault
        return {"exercise": self.exercise, "totals": [t.to_dict() for t in self.totals],
                "weeks": [w.to_dict() for w in self.weeks],
                "top_fault": top[0] if top else None, "top_fault_count": top[1] if top else 0,
                "rom_change_deg": None if self.rom_change_deg is None else round(self.rom_change_deg, 3),
                "rom_unit": self.rom_unit if self.rom_exercise else None}


def iso_week(moment: str) -> tuple[str, date]:
    local = datetime.fromisoformat(moment).astimezone().date()
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}", local - timedelta(days=local.weekday())


def compute_progress(sessions: list[SessionRecord], exercise: str | None = None) -> Progress:
    """Totals and weekly trends from sessions with their sets (``HistoryStore.all_sessions()``)."""
    picked: list[tuple[SessionRecord, SetRecord]] = [
        (s, t) for s in sessions for t in s.sets if exercise is None or t.exercise == exercise]

    by_exercise: dict[str, list[tuple[SessionRecord, SetRecord]]] = defaultdict(list)
    for s, t in picked:
        by_exercise[t.exercise].append((s, t))
    totals = []
    for name, rows in sorted(by_exercise.items(), key=lambda kv: -sum(t.reps for _, t in kv[1])):
        sets = [t for _, t in rows]
        roms = [r.rom_deg for t in sets for r in t.rep_list if not r.partial]
        faults: Counter = Counter()
        for t in sets:
            faults.update(t.faults)
        totals.append(ExerciseTotals(
            exercise=name, sessions=len({s.id for s, _ in rows}), sets=len(sets), reps=sum(t.reps for t in sets),
            partial_reps=sum(t.partial_reps for t in sets),
            time_under_tension_s=sum(t.time_under_tension_s for t in sets),
            best_set_reps=max((t.reps for t in sets), default=0),
            avg_rom_deg=sum(roms) / len(roms) if roms else None, faults=faults, rom_unit=sets_rom_unit(name, sets)))

    weeks: dict[str, WeekStat] = {}
    roms_by_week: dict[str, list[float]] = defaultdict(list)
    faults_by_week: dict[str, Counter] = defaultdict(Counter)
    sessions_by_week: dict[str, set[int]] = defaultdict(set)
    for s, t in picked:
        key, monday = iso_week(s.started_at)
        w = weeks.setdefault(key, WeekStat(key, monday))
        sessions_by_week[key].add(s.id)
        w.sets += 1
        w.reps += t.reps
        roms_by_week[key] += [r.rom_deg for r in t.rep_list if not r.partial]
        faults_by_week[key].update(t.faults)
    one_exercise = exercise is not None or len(by_exercise) == 1
    for key, w in weeks.items():
        w.sessions = len(sessions_by_week[key])
        roms = roms_by_week[key]
        w.avg_rom_deg = sum(roms) / len(roms) if roms and one_exercise else None
        if faults_by_week[key]:
            w.top_fault, w.top_fault_count = faults_by_week[key].most_common(1)[0]
    rom_exercise = exercise or (totals[0].exercise if len(totals) == 1 else None)
    unit = sets_rom_unit(rom_exercise, [t for _, t in picked]) if rom_exercise else None
    return Progress(exercise=exercise, totals=totals, weeks=_fill_gaps(weeks), rom_unit=unit)


def _fill_gaps(weeks: dict[str, WeekStat]) -> list[WeekStat]:
    if not weeks:
        return []
    ordered = sorted(weeks.values(), key=lambda w: w.monday)
    out, monday = [], ordered[0].monday
    by_monday = {w.monday: w for w in ordered}
    while monday <= ordered[-1].monday:
        if monday in by_monday:
            out.append(by_monday[monday])
        else:
            year, week, _ = monday.isocalendar()
            out.append(WeekStat(f"{year}-W{week:02d}", monday))
        monday += timedelta(days=7)
    return out


def plot_progress(progress: Progress, out: str | Path) -> Path:
    """Write a PNG: reps per week as bars, average range of motion as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    labels = [w.week for w in progress.weeks]
    x = list(range(len(labels)))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(labels) + 3), 4.0), dpi=100)
    try:
        ax.bar(x, [w.reps for w in progress.weeks], color="#4C72B0", label="reps")
        ax.set_ylabel("reps per week")
        ax.set_xticks(x, labels, rotation=45, ha="right")
        rom_points = [(i, w.avg_rom_deg) for i, w in zip(x, progress.weeks) if w.avg_rom_deg is not None]
        if rom_points:
            ax2 = ax.twinx()
            ax2.plot([p[0] for p in rom_points], [p[1] for p in rom_points], color="#DD8452", marker="o",
                     label="avg range of motion")
            unit = (progress.rom_unit or "").strip() if progress.rom_exercise else ""
            ax2.set_ylabel(f"average range of motion ({unit})" if unit else "average range of motion")
        what = progress.exercise.replace("_", " ") if progress.exercise else "all exercises"
        top = progress.top_fault
        subtitle = f" · most frequent fault: {top[0].replace('_', ' ')} ×{top[1]}" if top else ""
        ax.set_title(f"Progress: {what}{subtitle}", fontsize=10)
        fig.tight_layout()
        fig.savefig(out)   # the format its name asks for (.png, .jpg, .svg, .pdf)
    finally:
        plt.close(fig)
    return out
