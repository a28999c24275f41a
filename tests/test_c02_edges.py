"""Set edges the pose model at confidence 0.2 tracks where 0.5 lost the person (pool caches
DIR/poses_c02, tests/data/c02_edges_poses.npz): picking the weights up off the floor before
a rest (eval_tune rest_pick_up_weights, 0-4 s), getting up after sit-ups (eval_tune8
situps_side_1, 15-22.5 s: the last two sit-ups, then standing up), deep side-on lunges."""

from pathlib import Path

import numpy as np

from deepfit_coach.analysis import track_segment
from deepfit_coach.exercises import get_exercise
from deepfit_coach.skeleton import Skeleton

EDGES = np.load(Path(__file__).parent / "data" / "c02_edges_poses.npz")


def segment(key: str, exercise: str):
    w, h = (int(x) for x in EDGES[key + "_size"])
    t = [int(x) / 1000.0 for x in EDGES[key + "_t_ms"]]
    sk = [Skeleton(int(ms), img, world, w, h) if found else None
          for ms, found, img, world in zip(EDGES[key + "_t_ms"], EDGES[key + "_found"], EDGES[key + "_image"],
                                           EDGES[key + "_world"])]
    return track_segment(get_exercise(exercise), sk, t, t[0], t[-1])


def test_picking_the_weights_up_off_the_floor_is_no_row():
    """Bending to the floor reads the hands 1.6-1.9 torso lengths below the shoulders (an arm
    hangs ~1.1); rising from there with the weights moved like two rows. Truth: 0."""
    seg = segment("pickup", "dumbbell_rows")
    assert seg.reps == [], [(r.start_s, r.end_s, r.rom_deg) for r in seg.reps]


def test_standing_up_after_sit_ups_is_no_sit_up():
    """The shoulders rise 2.3 torso lengths above the knees standing up: no sit-up reaches
    that. Truth: the two sit-ups before it."""
    seg = segment("getup", "situps")
    assert len(seg.reps) == 2, [(r.start_s, r.end_s, r.rom_deg) for r in seg.reps]


def test_legs_folded_together_at_a_lunges_bottom_do_not_end_it():
    """At the bottom of a deep side-on lunge the pose model reads the feet close together for
    a few frames (eval_tune4 lunges_side_1, 8.6-14.6 s): a return held 0.12 s split the second
    lunge in two (3 reps); lunges hold it 0.2 s (return_hold_s). Truth: 2."""
    from deepfit_coach.counting import ExerciseTracker

    w, h = (int(x) for x in EDGES["lunge_size"])
    tr = ExerciseTracker(get_exercise("lunges"))
    for ms, found, img, world in zip(EDGES["lunge_t_ms"], EDGES["lunge_found"], EDGES["lunge_image"],
                                     EDGES["lunge_world"]):
        tr.update(Skeleton(int(ms), img, world, w, h) if found else None, int(ms) / 1000.0)
    tr.flush(15.0)
    assert tr.reps == 2, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log]
    assert get_exercise("squats").counting.return_hold_s == 0.12   # the default elsewhere


def test_return_hold_is_validated():
    import pytest

    from deepfit_coach.exercises import parse_exercise
    from deepfit_coach.yamlfile import YamlValidationError

    d = {"name": "x", "signals": {"a": {"angle": ["left_hip", "left_knee", "left_ankle"]}},
         "counting": {"signal": "a", "start": 170, "turn": 90, "min_rom": 10, "return_hold_s": 0.3}}
    assert parse_exercise(d).counting.return_hold_s == 0.3
    d["counting"]["return_hold_s"] = 0
    with pytest.raises(YamlValidationError, match="return_hold_s must be greater than 0"):
        parse_exercise(d)
