"""A set's first rep that was picking the weights up (the exercise's ``set_up`` conditions, read at the
rep's turn against the set's usual turn; review.first_rep_set_up). Rows: rising from the bend for the
dumbbells into the hinge moves the hand like a pull, with the knees still bent for the floor.
Real poses: tests/data/rows_pickup_poses.npz, the pool's eval_tune6 dumbbell_rows_side_0 (0-24.9 s, truth
6 reps from 3.33 s) and eval_tune7 dumbbell_rows_front_0 (0-17.4 s, truth 7 reps from 3.4 s). Side-on only."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import stored_poses
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.review import review_set
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises import get_exercise
from deepfit_coach.exercises.conditions import parse_condition

POSES = stored_poses.load("rows_pickup_poses.npz")
KNEE = (parse_condition("knee_dev < -35"),)


def segment(key: str):
    sk, t = stored_poses.clip(POSES, key)
    return track_segment(get_exercise("dumbbell_rows"), sk, t, t[0], t[-1])


def test_picking_up_the_dumbbells_before_the_set_is_not_its_first_row():
    """Side-on, the pick-up read as a rep 1.8-3.8 s (its 'pull' with the knees bent 37 deg more than
    at the set's pulls) counted one over (7); now a partial rep, the count is the truth's 6."""
    seg = segment("side")
    assert len(seg.reps) == 6, [(r.start_s, r.end_s) for r in seg.reps]
    assert seg.reps[0].end_s > 3.33 + 0.5 and seg.reps[0].index == 1
    pick = [p for p in seg.partial if p.end_s <= 3.33 + 0.6]
    usual = float(np.median([r.turn_values["knee"] for r in seg.reps]))
    assert pick and pick[-1].turn_values["knee"] < usual - 35 and pick[-1].turn_values["facing"] < 0.3
    assert all(r.turn_values["knee"] > usual - 7 for r in seg.reps)


def test_facing_the_camera_the_knee_is_not_trusted():
    """Facing the camera the arms and dumbbells hang in front of the knees: the pick-up's 'pull' here
    reads the knees 64 deg bent, but so can a true pull (30-fps twins: 50-85), so rows' set_up holds
    side-on only and this set still counts the pick-up (8 of 7)."""
    seg = segment("front")
    assert len(seg.reps) == 8 and seg.reps[0].start_s < 2.0, [(r.start_s, r.end_s) for r in seg.reps]
    usual = float(np.median([r.turn_values["knee"] for r in seg.reps]))
    assert seg.reps[0].turn_values["knee"] < usual - 35 and seg.reps[0].turn_values["facing"] > 0.8


def rep(t0: float, knee: float, partial: bool = False) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t0 + 2.5, side="left", rom_deg=0.3, down_s=1.0, up_s=1.5,
                   partial=partial, turn_values={"knee": knee})


def test_only_the_first_rep_bent_far_past_the_sets_usual_turn():
    reps = [rep(1.5, 115.0)] + [rep(4.0 + 3 * k, 158.0 + k) for k in range(5)]
    out, partials = review_set(reps, [], set_up=KNEE)
    assert [r.start_s for r in out] == [4.0, 7.0, 10.0, 13.0, 16.0] and [r.index for r in out] == [1, 2, 3, 4, 5]
    assert len(partials) == 1 and partials[0].partial and partials[0].start_s == 1.5
    # without the exercise's set_up conditions (every other exercise) nothing changes
    assert len(review_set(reps, [])[0]) == 6
    # rows' own: side-on (facing < 0.3) only
    rows = get_exercise("dumbbell_rows").set_up
    side = [dataclasses.replace(r, turn_values={**r.turn_values, "facing": 0.1}) for r in reps]
    front = [dataclasses.replace(r, turn_values={**r.turn_values, "facing": 1.1}) for r in reps]
    assert len(review_set(side, [], set_up=rows)[0]) == 5 and len(review_set(front, [], set_up=rows)[0]) == 6


@pytest.mark.parametrize("reps", [
    [rep(1.5, 128.0)] + [rep(4.0 + 3 * k, 160.0) for k in range(5)],   # 32 deg: a first pull read bent
    [rep(1.5, 160.0)] + [rep(4.0 + 3 * k, 160.0) for k in range(4)] + [rep(16.0, 100.0)],  # the last rep
    [rep(1.5, 110.0), rep(4.0, 160.0), rep(7.0, 160.0)][:2],          # two reps: nothing usual yet
    [rep(1.5, math.nan)] + [rep(4.0 + 3 * k, 160.0) for k in range(5)],   # knee not seen at the turn
])
def test_kept(reps):
    out, partials = review_set(reps, [], set_up=KNEE)
    assert len(out) == len(reps) and partials == []


def test_set_up_names_are_turn_values_or_their_deviation():
    from deepfit_coach.exercises import parse_exercise
    from deepfit_coach.yamlfile import YamlValidationError

    base = {"name": "rows_x", "signals": {"knee": {"angle": ["left_hip", "left_knee", "left_ankle"]},
                                          "torso": {"incline": ["mid_shoulder", "mid_hip"]}},
            "counting": {"signal": "torso", "start": 60, "turn": 40, "min_rom": 10}}
    spec = parse_exercise({**base, "set_up": ["knee_dev < -35 or torso > 100"]})
    assert spec.set_up[0].names() == {"knee_dev", "torso"}
    for bad in ("knee_med < 90", "rom < 0.1", "elbow_dev < 3"):
        with pytest.raises(YamlValidationError, match="unknown signal"):
            parse_exercise({**base, "set_up": [bad]})
    assert get_exercise("dumbbell_rows").set_up and not get_exercise("squats").set_up
