"""Narrow jumping jacks facing a camera that looks up 15 deg, where MediaPipe's 3D feet swing wide.

The clip: MediaPipe poses (pose recovery on) of a rendered set from evalpm15_tune (jumping_jacks_front_1,
camera 15 deg up), the whole clip, 15 fps. Truth (the renderer's, frames at 15 fps): 6 jacks, the 3rd-5th
narrow (frames 95-174). The 3D feet swing wide for a frame on clean jacks there, so the narrow ones read
widest 2.7-4.6 hip widths and the absolute limit (2.0) missed two of them, while their median over the
movement sat 2.3 hip widths closer than the person's usual jacks (``feet_width_med_dev < -1.5``; clean
jacks facing the camera >= -0.78 on the six tuning sets). Old rules: 1 of the 3 found.
"""

from deepfit_coach.analysis import track_segment
from deepfit_coach.exercises.catalogue import get_exercise
from stored_poses import FPS, clip, load

DATA = load("h93_jacks_pm15_poses.npz")
NARROW = [(95, 119), (120, 147), (155, 174)]   # truth frames of the narrow jacks


def test_narrow_jacks_facing_a_camera_looking_up():
    sk, ts = clip(DATA, "jacks_front_pm15")
    seg = track_segment(get_exercise("jumping_jacks"), sk, ts, ts[0], ts[-1])   # as eval tracks a set
    reps = [(round(r.start_s * FPS), round(r.end_s * FPS), set(r.issues)) for r in seg.reps]
    assert len(reps) == 6, reps
    for a, b, issues in reps:
        mid = (a + b) / 2   # the counted rep's middle frame in a narrow truth jack: flagged, else not
        assert ("narrow_legs" in issues) == any(lo <= mid <= hi for lo, hi in NARROW), reps
