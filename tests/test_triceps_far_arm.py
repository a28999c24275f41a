"""One-arm overhead tricep extensions filmed side-on with the working arm on the far side: at
each rep's bottom the forearm goes behind the head and the pose model reads the whole arm
hanging at the side for half a second or more, then overhead again. Side-on that reading is
the rep's bottom (tricep_extensions.yaml, ``position``), not the arm put down.

Both arms lowered to the sides and raised again side-on is no rep though (a stretch): a rep read
hanging must be a one-arm rep (``confirm``).

Stored poses: check grid fresh8's far-arm set (seed 45024, 6 clean reps; 0 counted before);
auto_pick_poses.npz's side-on stretch (a rest clip: arms overhead, down, up, down)."""

import dataclasses

import stored_poses

from deepfit_coach.analysis import track_segment
from deepfit_coach.exercises import get_exercise
from deepfit_coach.exercises.conditions import parse_condition

FAR = stored_poses.load("triceps_far_arm_poses.npz")
STRETCH = stored_poses.load("auto_pick_poses.npz")
TRUTH = 6
TRUTH_BOTTOMS_S = (4.07, 6.2, 8.2, 10.87, 13.47, 16.2)


def _given(spec, data=FAR, name: str = "far_side") -> list:
    sk, t = stored_poses.clip(data, name)
    return track_segment(spec, sk, t, t[0], t[-1]).reps


def test_side_on_far_arm_read_hanging_at_the_bottom_still_counts():
    spec = get_exercise("tricep_extensions")
    reps = _given(spec)
    assert abs(len(reps) - TRUTH) <= 1
    # each counted rep holds a true bottom (not the arm lifted into place or put down)
    assert all(any(r.start_s <= b <= r.end_s + 0.4 for b in TRUTH_BOTTOMS_S) for r in reps)
    live = stored_poses.replay(FAR, "far_side", "tricep_extensions")
    assert abs(len(live.rep_log) - TRUTH) <= 1


def test_hanging_elbows_still_out_of_position_facing_the_camera():
    spec = get_exercise("tricep_extensions")
    cond = next(c for c in spec.position if "elbow_rise" in c.text)
    assert not cond({"elbow_rise": -0.55, "facing": 0.6})   # facing: arms down is no extension
    assert cond({"elbow_rise": -0.55, "facing": 0.05})      # side-on: the far arm's bottom misread
    assert cond({"elbow_rise": 0.4, "facing": 0.6})


def test_without_the_side_on_clause_the_far_arm_set_counts_nothing():
    spec = get_exercise("tricep_extensions")
    strict = tuple(parse_condition("elbow_rise > -0.3") if "elbow_rise" in c.text else c for c in spec.position)
    assert len(_given(dataclasses.replace(spec, position=strict))) <= 1


def test_both_arms_lowered_and_raised_side_on_is_no_rep():
    spec = get_exercise("tricep_extensions")
    assert _given(spec, STRETCH, "stretch") == []
    one_arm = next(c for c in spec.confirm if "arm_gap" in c.text)
    loose = dataclasses.replace(spec, confirm=tuple(c for c in spec.confirm if c is not one_arm))
    assert len(_given(loose, STRETCH, "stretch")) == 2      # the case under test: without it, two 'reps'
    assert len(_given(loose)) == len(_given(spec))           # the far arm's reps are one-arm reps
