"""Helpers for coach tests: skeletons standing in view, a scripted tracker, a small catalogue."""

from __future__ import annotations

import numpy as np

from deepfit_coach.events import FormEvent, RepEvent, RepInfo
from deepfit_coach.plan import ExerciseCatalogue, ExerciseInfo
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
