"""A press right after picking up the dumbbells: hands hanging (beyond the press's
``start_limit``) are not its start position, so the first press after a quick lift to the
shoulders is counted (helper 70's side-on clips with a 1 s standing start counted 6 of 7)."""

import numpy as np

from deepfit_coach.counting.counter import RepCounter
from deepfit_coach.exercises import get_exercise

FPS = 15.0


def _trace(hang_s: float, rack_s: float, reps: int) -> tuple[np.ndarray, np.ndarray]:
    """The press's rise signal as the pose model reads it side-on: hanging -1.0, a 0.3 s lift to
    the rack (0.5), held ``rack_s``, then ``reps`` presses to 0.88 and back (2 s each)."""
    parts = [np.full(int(hang_s * FPS), -1.0), np.linspace(-1.0, 0.5, int(0.3 * FPS)),
             np.full(int(rack_s * FPS), 0.5)]
    for _ in range(reps):
        phase = np.linspace(0, 1, int(2.0 * FPS))
        parts.append(0.5 + 0.38 * 0.5 * (1 - np.cos(2 * np.pi * phase)))
        parts.append(np.full(int(0.3 * FPS), 0.5))
    v = np.concatenate(parts + [np.full(int(1.0 * FPS), 0.5)])
    return np.arange(len(v)) / FPS, v


def _full(hang_s: float, rack_s: float, reps: int) -> int:
    c = RepCounter(get_exercise("dumbbell_shoulder_press").counting)
    out = [c.update(float(x), float(t), "both", True) for t, x in zip(*_trace(hang_s, rack_s, reps))]
    return sum(1 for x in out if x is not None and x.full)


def test_first_press_after_a_quick_pick_up_counts():
    assert _full(hang_s=0.8, rack_s=0.6, reps=5) == 5
    assert _full(hang_s=3.0, rack_s=0.4, reps=3) == 3


def test_a_long_rack_hold_counts_alike_and_the_lift_itself_is_no_rep():
    assert _full(hang_s=0.8, rack_s=2.5, reps=5) == 5
    assert _full(hang_s=0.8, rack_s=0.6, reps=0) == 0
