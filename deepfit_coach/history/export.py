"""Export the whole history as JSON (nested) or CSV (one row per set)."""

from __future__ import annotations

import csv
import io
import json

from deepfit_coach.exercises.rom import sets_rom_unit
from deepfit_coach.history.records import SessionRecord

CSV_COLUMNS = ["session_id", "plan_name", "session_started_at", "session_status", "set_id", "block_index",
               "exercise", "set_number", "target_reps", "target_seconds", "reps", "partial_reps",
               "set_started_at", "set_ended_at", "active_s", "rest_s", "time_under_tension_s", "avg_rom_deg",
               "rom_unit", "avg_down_s", "avg_up_s", "form_issues", "set_outcome"]


def to_json(sessions: list[SessionRecord]) -> str:
    return json.dumps({"format": "deepfit-coach-history", "version": 1,
                       "sessions": [s.to_dict(with_sets=True) for s in sessions]}, indent=2, ensure_ascii=False)


def to_csv(sessions: list[SessionRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for s in sessions:
        for t in s.sets:
            full = [r for r in t.rep_list if not r.partial]

            def mean(values: list[float]) -> float | str:
                return round(sum(values) / len(values), 3) if values else ""

            writer.writerow({
                "session_id": s.id, "plan_name": s.plan_name, "session_started_at": s.started_at,
                "session_status": s.status, "set_id": t.id, "block_index": t.block_index, "exercise": t.exercise,
                "set_number": t.set_number, "target_reps": _blank(t.target_reps),
                "target_seconds": _blank(t.target_seconds), "reps": t.reps, "partial_reps": t.partial_reps,
                "set_started_at": t.started_at, "set_ended_at": _blank(t.ended_at),
                "active_s": _blank(t.active_s), "rest_s": _blank(t.rest_s),
                "time_under_tension_s": round(t.time_under_tension_s, 3),
                "avg_rom_deg": mean([r.rom_deg for r in full]),
                "rom_unit": (sets_rom_unit(t.exercise, [t]) or "").strip() if full else "",
                "avg_down_s": mean([r.down_s for r in full]),
                "avg_up_s": mean([r.up_s for r in full]), "form_issues": ";".join(t.faults),
                "set_outcome": _blank(t.outcome)})
    return buffer.getvalue()


def _blank(value: object) -> object:
    """An empty cell for a missing value; seconds to the millisecond (no 9.332999999999998)."""
    if value is None:
        return ""
    return round(value, 3) if isinstance(value, float) else value
