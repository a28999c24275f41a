"""A set's edges with dumbbells (issue 5): rising from picking the weights up is not part of the first rep.
The exercise's ``settle`` conditions: the counter takes no start position, and before the set's first rep
no start level, on a frame where the torso still moves fast (NAME_moved: max - min over the last 0.4 s).
Real poses: tests/data/set_edges_poses.npz, helper 82's own rendered clip bicep_curls_front_82003 (seed
82003, pick_up_weights before the set) 0-10.2 s: truth reps 4.67-6.13, 6.53-8.00, 8.00-9.53 s."""

from __future__ import annotations

import pytest

import stored_poses
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.counter import AT_START, NOT_READY, RepCounter
from deepfit_coach.exercises import get_exercise

POSES = stored_poses.load("set_edges_poses.npz")


def segment(key: str, exercise: str):
    sk, t = stored_poses.clip(POSES, key)
    return track_segment(get_exercise(exercise), sk, t, t[0], t[-1])


def test_the_first_curl_starts_after_rising_from_the_pick_up():
    """Facing the camera, the torso rising from the floor (world torso ~80 -> 20 deg in ~0.7 s) ended
    with the arms reading a little lower than at the hang: the counter took that as the start level and
    began the first curl at 2.33 s, 2.3 s before the curl (truth 4.67 s), the rise inside the rep (what
    its start-relative form rules compare against). Now the curl starts where the arms leave the hang."""
    seg = segment("curls_front", "bicep_curls")
    assert len(seg.reps) == 3
    assert 4.67 - 0.5 < seg.reps[0].start_s < 4.67 + 0.5, [(r.start_s, r.end_s) for r in seg.reps]


def test_a_counter_waiting_for_the_start_takes_no_unsettled_frame():
    """Curls' counter (elbow angle, start 165): the hold before the first rep runs only on settled
    frames, and before the first rep a frame still rising sets no start level."""
    spec = get_exercise("bicep_curls").counting
    c = RepCounter(spec)
    c.update(160.0, 0.0, "both", True, settled=False)
    assert c.phase == NOT_READY                       # still rising: not at the start
    c.update(160.0, 0.1, "both", True)
    assert c.phase == AT_START
    c.update(160.0, 0.2, "both", True, settled=False)
    assert c.phase == NOT_READY                       # within the hold: wait again
    for k in range(6):
        c.update(160.0, 0.3 + 0.1 * k, "both", True)
    assert c.phase == AT_START
    c.update(170.0, 0.95, "both", True, settled=False)   # before the first rep: no start level from it
    c.update(150.0, 1.0, "both", True)
    assert c.phase == AT_START                        # 150 is 10 from the start level 160, not 20 from 170


def test_settle_names():
    from deepfit_coach.exercises import parse_exercise
    from deepfit_coach.yamlfile import YamlValidationError

    base = {"name": "edges_x", "signals": {"knee": {"angle": ["left_hip", "left_knee", "left_ankle"]},
                                           "torso": {"incline": ["mid_shoulder", "mid_hip"]}},
            "counting": {"signal": "knee", "start": 170, "turn": 90, "min_rom": 30}}
    spec = parse_exercise({**base, "settle": ["torso_moved < 12 or knee > 100"]})
    assert spec.settle[0].names() == {"torso_moved", "knee"}
    for bad in ("torso_span < 5", "elbow_moved < 3", "torso_dev < 5"):
        with pytest.raises(YamlValidationError, match="unknown signal"):
            parse_exercise({**base, "settle": [bad]})
    with pytest.raises(YamlValidationError, match="recent movement"):
        parse_exercise({**base, "signals": {**base["signals"], "torso_moved": {"incline": ["mid_shoulder", "mid_hip"]}}})
    assert get_exercise("bicep_curls").settle and not get_exercise("squats").settle
