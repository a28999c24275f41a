"""Records coach events in the history database as they happen (nothing lost on a crash)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from deepfit_coach.coach import events as ev
from deepfit_coach.exercises.rom import spec_rom_unit
from deepfit_coach.plan import Plan


class HistorySink:
    """Call with each batch of coach events; opens the session on the first one."""

    def __init__(self, store: Any, plan: Plan, plan_path: str | None = None, plan_hash: str | None = None,
                 planned: list | None = None) -> None:
        if plan_hash is None and plan_path and Path(plan_path).is_file():
            plan_hash = hashlib.sha256(Path(plan_path).read_bytes()).hexdigest()
        self.store, self.plan, self.plan_path, self.plan_hash = store, plan, plan_path, plan_hash
        self.planned = planned  # PlannedBlocks with base values (from progression), else built here
        self.session_id: int | None = None
        self.set_id: int | None = None
        self._last_set_id: int | None = None
        self._rest_started: float | None = None
        self._clock: tuple[float, datetime] | None = None   # (coach time, wall time) at the start
        self.source_ended = False   # the video (or camera) ran out before the plan: not the user's "quit"

    def _at(self, t_s: float) -> datetime:
        """The wall time of coach time ``t_s``: the session's start plus the workout's own clock, so
        that a video analysed faster than real time (``--speed 0``) keeps its durations (a 0:44
        workout was saved as 0:12 of processing) and a camera session is unchanged."""
        assert self._clock is not None
        return self._clock[1] + timedelta(seconds=max(0.0, t_s - self._clock[0]))

    def planned_blocks(self) -> list[dict]:
        """One entry per (block, exercise) as the history's PlannedBlock expects."""
        out: dict[tuple[int, str], dict] = {}
        for s in self.plan.sets:
            key = (s.block_index, s.exercise)
            if key not in out:
                out[key] = {"block_index": s.block_index, "exercise": s.exercise, "sets": s.sets_total,
                            "reps": s.reps, "seconds": s.duration_s, "base_reps": s.reps,
                            "base_seconds": s.duration_s}
        return list(out.values())

    def __call__(self, events: list[ev.CoachEvent]) -> None:
        for e in events:
            self.handle(e)

    def handle(self, e: ev.CoachEvent) -> None:
        st = self.store
        if isinstance(e, ev.WorkoutStarted) and self.session_id is None:
            planned = self.planned if self.planned is not None else self.planned_blocks()
            self._clock = (e.t_s, datetime.now(timezone.utc))
            self.session_id = st.start_session(self.plan.name, self.plan_path, self.plan_hash, planned=planned,
                                               started_at=self._clock[1])
        elif self.session_id is None:
            return
        elif isinstance(e, ev.SetStarted):
            p = e.planned
            self.set_id = st.start_set(self.session_id, p.block_index, p.exercise, p.set_number,
                                       target_reps=p.reps, target_seconds=p.duration_s, started_at=self._at(e.start_s),
                                       rom_unit=None if p.spec is None else spec_rom_unit(p.spec))
        elif isinstance(e, ev.RepCounted) and self.set_id is not None:
            st.add_rep(self.set_id, e.rep)
        elif isinstance(e, ev.RepsRevised) and self.set_id is not None:
            # a rep broken in two joined, or the set's review: the set's reps are rewritten
            # as they now stand (full and partial), in one commit - no rep disappears unsaid
            st.replace_reps(self.set_id, e.reps, e.partials)
        elif isinstance(e, ev.PartialRep) and self.set_id is not None:
            e.rep.partial = True
            st.add_rep(self.set_id, e.rep)
        elif isinstance(e, ev.FormCue) and self.set_id is not None:
            st.add_form_event(self.set_id, e.t_s, e.rule, e.cue, e.severity, e.corrected)
        elif isinstance(e, ev.SetCompleted) and self.set_id is not None:
            # the set's reviewed reps, as analyze reports them (a rep's end can still move
            # after it was counted: it ends where the body is back at the start)
            st.replace_reps(self.set_id, e.result.rep_infos, e.result.partial_infos)
            st.end_set(self.set_id, e.result.reps, e.result.partial_reps, active_s=e.result.active_s,
                       ended_at=self._at(e.t_s), outcome=e.result.outcome)
            self._last_set_id, self.set_id = self.set_id, None
        elif isinstance(e, ev.RestStarted):
            self._rest_started = e.t_s
        elif isinstance(e, ev.RestEnded) and self._last_set_id is not None and self._rest_started is not None:
            st.record_rest(self._last_set_id, e.t_s - self._rest_started)
            self._rest_started = None
        elif isinstance(e, ev.WorkoutCompleted):
            status = "complete" if e.summary.completed else "incomplete" if self.source_ended else "quit"
            st.end_session(self.session_id, status, ended_at=self._at(e.t_s))
