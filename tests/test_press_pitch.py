"""Shoulder press side-on with the camera looking up (issue 5, helper 87): the return to the start
(weights at the shoulders) is judged with a gate that a pitched camera's reading still passes."""

from pathlib import Path

import numpy as np

from stored_poses import replay

DATA = Path(__file__).parent / "data"
# evalpm15_tune dumbbell_shoulder_press_side_1 (camera looking up 15 deg, seed 28500+, 15 fps, pose
# recovery), 0-17 s: 5 whole presses (3.3-14.6 s; the sixth ends at 17.1 s)
UP = np.load(DATA / "press_pitch_up_poses.npz")


def test_presses_filmed_from_below_side_on_count():
    """From below, side-on, the pose model reads the weights at the shoulders 0.55-0.67 torso lengths
    above them (0.27-0.43 with the camera at 8 deg) and locked out at 0.86-0.93: the start gate 0.55
    was passed on few frames and no press counted (the set: 0 of 6)."""
    tr = replay(UP, "press_side_up", "dumbbell_shoulder_press")
    assert tr.reps == 5, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log]
