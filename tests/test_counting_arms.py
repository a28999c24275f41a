"""Counting rows and tricep extensions on real pose-model excerpts (MediaPipe full on rendered
clips of the tuning sets), stored in tests/data: the cases the pooled evaluation found."""

from pathlib import Path

import numpy as np
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.exercises import get_exercise
from deepfit_coach.skeleton import Skeleton

ARMS = np.load(Path(__file__).parent / "data" / "arm_counting_poses.npz")


def clip(key: str) -> tuple[list[Skeleton | None], list[float]]:
    w, h = (int(x) for x in ARMS[key + "_size"])
    skels = [Skeleton(int(t), img, world, w, h) if found else None
             for t, found, img, world in zip(ARMS[key + "_t_ms"], ARMS[key + "_found"], ARMS[key + "_image"],
                                             ARMS[key + "_world"])]
    return skels, [int(t) / 1000.0 for t in ARMS[key + "_t_ms"]]


def replay(key: str, exercise: str) -> ExerciseTracker:
    tr = ExerciseTracker(get_exercise(exercise))
    for skel, t in zip(*clip(key)):
        tr.update(skel, t)
    return tr


def test_partial_range_tricep_extensions_count_and_are_called_partial():
    """Facing the camera (form_tune), three partial-range extensions (a form fault, counted)
    around a full one: the pose model reads them 0.08-0.09 torso lengths of travel (the full
    one 0.58). The old min_rom 0.1 left them partial, and offline the lone full rep was no set.
    Truth: 4 reps, the 1st, 3rd and 4th partial_range."""
    tr = replay("tri_partial", "tricep_extensions")
    assert tr.reps == 4, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log + tr.partial_log]
    assert ["partial_range" in r.issues for r in tr.rep_log] == [True, False, True, True]
    skels, t = clip("tri_partial")
    assert len(track_segment(get_exercise("tricep_extensions"), skels, t, t[0], t[-1]).reps) == 4
