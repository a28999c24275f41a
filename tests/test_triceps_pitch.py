"""Tricep extensions' elbow_flare with the camera pitched (issue 5, helper 87): the elbow's distance
outside its shoulder is taken across the picture only (``axis: x`` with ``along``), so a shoulder line
that a camera looking up or down tilts in the picture no longer adds the overhead elbow's height to it."""

from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.exercises import get_exercise
from deepfit_coach.skeleton import LM, Skeleton
from stored_poses import replay

DATA = Path(__file__).parent / "data"
# tricep extensions at 45 deg, camera looking up 15 deg (own render, seed 87008, 15 fps, pose recovery):
# 8 reps, 7 clean and one with the elbows flared (12.9-16.2 s)
UP = np.load(DATA / "triceps_pitch_up_poses.npz")


def test_clean_extensions_filmed_from_below_are_not_called_flared():
    """Seen from below at 45 deg the shoulder line slopes in the picture and the elbows above the
    head read 0.22-0.28 torso lengths 'outside' the shoulders along it on every clean rep (0.02-0.07
    with the camera at 8 deg): elbow_flare fired on all 7 clean reps. Across the picture they stay in."""
    tr = replay(UP, "triceps_45_up", "tricep_extensions")
    assert tr.reps == 8, [(r.start_s, r.end_s) for r in tr.rep_log]
    clean = [r for r in tr.rep_log if not 12.9 <= r.start_s <= 16.2]
    assert len(clean) == 7
    assert not [r for r in clean if "elbow_flare" in r.issues], [(r.start_s, r.issues) for r in clean]


def _frame(shoulder_tilt: float, elbow_out: float) -> Skeleton:
    """Facing the camera, arms overhead: the shoulder line sloping by ``shoulder_tilt`` (picture
    units over its half width 0.1), the left elbow 0.15 above its shoulder and ``elbow_out`` outward."""
    img = np.zeros((33, 5), np.float32)
    img[:, 3:] = 1.0
    pts = {LM.LEFT_SHOULDER: (0.6, 0.4 - shoulder_tilt), LM.RIGHT_SHOULDER: (0.4, 0.4 + shoulder_tilt),
           LM.LEFT_HIP: (0.58, 0.7), LM.RIGHT_HIP: (0.42, 0.7),
           LM.LEFT_ELBOW: (0.6 + elbow_out, 0.25 - shoulder_tilt), LM.RIGHT_ELBOW: (0.4, 0.25 + shoulder_tilt),
           LM.LEFT_WRIST: (0.6, 0.1), LM.RIGHT_WRIST: (0.4, 0.1)}
    for i, (x, y) in pts.items():
        img[i, :2] = (x, y)
    world = np.zeros((33, 3), np.float32)
    world[:, :2] = (img[:, :2] - 0.5) * 2
    return Skeleton(0, img, world, 640, 480)


def test_elbow_out_is_across_the_picture():
    """elbow_out_x: the elbow's offset across the picture, signed outward along the shoulder line's
    direction; a sloping shoulder line does not turn the elbow's height into 'outside'."""
    ex = SignalExtractor(get_exercise("tricep_extensions"))
    level = _frame(0.0, 0.0)
    values, _, _ = ex.compute(level.xy, level.world, np.ones(33))
    assert abs(values["elbow_out_x"]) < 1e-6 and abs(values["elbow_out"]) < 1e-6
    ex.reset()
    tilted = _frame(0.03, 0.0)
    values, _, _ = ex.compute(tilted.xy, tilted.world, np.ones(33))
    assert values["elbow_out"] > 0.05               # along the sloping line: the elbow's height leaks in
    assert abs(values["elbow_out_x"]) < 1e-6        # across the picture: still in line with the shoulder
    ex.reset()
    flared = _frame(0.03, 0.06)
    values, _, _ = ex.compute(flared.xy, flared.world, np.ones(33))
    assert values["elbow_out_x"] == pytest.approx(0.06 / 0.3, abs=0.01)   # per torso length (0.3)
