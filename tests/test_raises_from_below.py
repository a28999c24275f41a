"""Lateral raises filmed with the camera looking up 15 deg read lower than level: the far arm's last
raise (0.4 torso lengths of lift, like the set's others) topped out at 0.53 torso lengths below the
shoulders, short of the old gate of 0.5, and was left partial. The gate is 0.55
(lateral_shoulder_raises.yaml ``turn_gate``).

Stored poses: pitch tuning grid evalpm15_tune's side_1 set (seed 28500+, 7 raises, right arm)."""

import dataclasses

import stored_poses

from deepfit_coach.analysis import track_segment
from deepfit_coach.exercises import get_exercise

UP15 = stored_poses.load("raises_from_below_poses.npz")
TRUTH = 7


def _reps(spec):
    sk, t = stored_poses.clip(UP15, "up15_far")
    seg = track_segment(spec, sk, t, t[0], t[-1])
    return seg.reps, seg.partial


def test_a_low_read_raise_from_below_counts():
    reps, partial = _reps(get_exercise("lateral_shoulder_raises"))
    assert len(reps) == TRUTH and partial == []
    assert len(stored_poses.replay(UP15, "up15_far", "lateral_shoulder_raises").rep_log) == TRUTH


def test_at_the_old_gate_it_was_partial():
    spec = get_exercise("lateral_shoulder_raises")
    assert spec.counting.turn_gate == -0.55
    old = dataclasses.replace(spec, counting=dataclasses.replace(spec.counting, turn_gate=-0.5))
    reps, partial = _reps(old)
    assert len(reps) == TRUTH - 1 and len(partial) == 1
