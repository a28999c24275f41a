"""Pose-model output stored in tests/data (.npz, float16 landmarks) replayed as a clip's
skeletons, alone or one after another (auto-mode and counting tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deepfit_coach.analysis import Poses
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.exercises import get_exercise
from deepfit_coach.skeleton import Skeleton

DATA_DIR = Path(__file__).parent / "data"
FPS = 15.0
STEP_MS = 67    # one frame at 15 fps: the second clip starts a frame after the first ends


def load(name: str):
    return np.load(DATA_DIR / name)


def clip(data, name: str, offset_ms: int = 0) -> tuple[list[Skeleton | None], list[float]]:
    """Clip ``name`` of ``data``: skeletons (None where nobody was found) and times in s."""
    w, h = (int(x) for x in data[name + "_size"])
    sk = [Skeleton(int(t) + offset_ms, img.astype(np.float64), world.astype(np.float64), w, h) if found else None
          for t, found, img, world in zip(data[name + "_t_ms"], data[name + "_found"], data[name + "_image"],
                                          data[name + "_world"])]
    return sk, [(int(t) + offset_ms) / 1000.0 for t in data[name + "_t_ms"]]


def replay(data, name: str, exercise: str) -> ExerciseTracker:
    """Clip ``name`` of ``data`` fed frame by frame to a fresh live tracker of ``exercise``."""
    tracker = ExerciseTracker(get_exercise(exercise))
    for skeleton, t in zip(*clip(data, name)):
        tracker.update(skeleton, t)
    return tracker


def poses(data, name: str) -> Poses:
    sk, ts = clip(data, name)
    return Poses(name, FPS, sk, ts)


def pair(data, first: str, second: str) -> Poses:
    """Clip ``first``, then clip ``second`` one frame after its end: two sets in one video."""
    a, ta = clip(data, first)
    b, tb = clip(data, second, offset_ms=int(data[first + "_t_ms"][-1]) + STEP_MS)
    return Poses(first + "+" + second, FPS, a + b, ta + tb)
