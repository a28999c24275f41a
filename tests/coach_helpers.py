"""Helpers for coach tests: skeletons standing in view, scripted trackers, a small catalogue."""

from __future__ import annotations

import dataclasses

import numpy as np

from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as cev
from deepfit_coach.events import FormEvent, RepEvent, RepInfo
from deepfit_coach.plan import ExerciseCatalogue, ExerciseInfo, Plan, loads_plan
from deepfit_coach.skeleton import Skeleton

NAMES = ("squats", "lunges", "bicep_curls", "situps", "pushups", "tricep_extensions", "dumbbell_rows",
         "jumping_jacks", "dumbbell_shoulder_press", "lateral_shoulder_raises")


def small_catalogue() -> ExerciseCatalogue:
    return ExerciseCatalogue([ExerciseInfo(n, n.replace("_", " ").title(), "Stand side-on to the camera.",
                                           ("torso", "{side}_leg")) for n in NAMES])


def standing(t_s: float, visible: bool = True) -> Skeleton:
    img = np.zeros((33, 5), np.float32)
    img[:, 0] = 0.5
    img[:, 1] = np.linspace(0.1, 0.9, 33)
    img[:, 3:] = 0.99 if visible else 0.05
    return Skeleton(timestamp_ms=int(t_s * 1000), image=img, world=np.zeros((33, 3)), width=640, height=480)


class ScriptedTracker:
    """Emits a rep whenever the test's script says so (only while it is being fed frames)."""

    def __init__(self, exercise: str, rep_times: list[float], faults: dict[float, str] | None = None) -> None:
        self.exercise = exercise
        self.rep_times = sorted(rep_times)
        self.faults = dict(faults or {})
        self.fed: list[float] = []
        self.resets = 0
        self.count = 0

    def reset(self) -> None:
        self.resets += 1
        self.count = 0

    def update(self, skeleton, t_s):
        self.fed.append(t_s)
        out = []
        if skeleton is None:
            return out
        while self.rep_times and self.rep_times[0] <= t_s:
            start = self.rep_times.pop(0)
            self.count += 1
            out.append(RepEvent(t_s, self.exercise, self.count, RepInfo(self.count, start - 1.5, t_s, "both", 90,
                                                                        0.8, 0.7)))
        for ft in [f for f in self.faults if f <= t_s]:
            out.append(FormEvent(t_s, self.exercise, "knees_in", self.faults.pop(ft), "safety"))
        return out


class ScriptedSet:
    """Counts the reps given, each when it ends (as a tracker does): the first starts 0.5 s after
    the first frame with a person, each next one 0.3 s after the last ended. ``reps``: templates
    (their duration end_s - start_s, side, range and other fields; the times are set here);
    ``spec``: what the coach reads of the tracker's exercise (e.g. ``set_up``)."""

    def __init__(self, reps: list[RepInfo], spec=None, exercise: str = "squats") -> None:
        self.templates, self.spec, self.exercise = reps, spec, exercise
        self.t0: float | None = None
        self.sent = 0

    def reset(self) -> None:
        self.t0, self.sent = None, 0

    def update(self, skeleton, t_s):
        if skeleton is None:
            return []
        self.t0 = t_s if self.t0 is None else self.t0
        dur = [r.end_s - r.start_s for r in self.templates]
        start = self.t0 + 0.5 + sum(d + 0.3 for d in dur[:self.sent])
        if self.sent >= len(self.templates) or t_s < start + dur[self.sent]:
            return []
        self.sent += 1
        rep = dataclasses.replace(self.templates[self.sent - 1], index=self.sent, start_s=start,
                                  end_s=start + dur[self.sent - 1])
        return [RepEvent(t_s, self.exercise, self.sent, rep)]


FIVE_SQUATS = """
name: Five
countdown: 0
blocks:
  - exercise: squats
    sets: 1
    reps: 5
"""


def five_squats() -> Plan:
    """One set of five squats, no countdown (the small catalogue)."""
    return loads_plan(FIVE_SQUATS, "p.yaml", small_catalogue())


def coach_set(plan: Plan, tracker_for, sink=None) -> list[cev.CoachEvent]:
    """Coach ``plan`` with ``tracker_for`` (the Coach's tracker factory) on a person standing in
    view, a frame every 0.05 s, until a set completes (at most 60 s), then finish: the events,
    each batch also handed to ``sink`` (e.g. a HistorySink) when given."""
    coach = Coach(plan, tracker_for, CoachTiming(intro_s=0.5, announce_s=0.5))
    events: list[cev.CoachEvent] = []
    t = 0.0
    while t < 60 and not any(isinstance(e, cev.SetCompleted) for e in events):
        new = coach.update(standing(t), t)
        if sink is not None:
            sink(new)
        events += new
        t = round(t + 0.05, 3)
    new = coach.finish(t)
    if sink is not None:
        sink(new)
    return events + new
