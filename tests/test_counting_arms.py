"""Counting rows and tricep extensions on real pose-model excerpts (MediaPipe full on rendered
clips of the tuning sets), stored in tests/data: the cases the pooled evaluation found."""

from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.exercises import get_exercise, load_exercise_file
from deepfit_coach.exercises.conditions import parse_condition
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.yamlfile import YamlValidationError

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


def test_hinging_into_position_for_rows_is_no_row():
    """Facing the camera (eval_tune4), standing, bending down for the weights and hinging into
    position: the hands move like a small row while the torso sweeps 23-94 deg. A row holds the
    hinge (torso_span < 40). Truth: 2 reps from 3.4 s; the old count had 4, from 0.2 s. The
    hinge's second half (1.5-3.2 s, the torso sweeping < 40 deg while the hands moved) counted
    one more while rows were counted on the hand's 3D drop; facing the camera they are counted
    on the elbow's rise in the picture (the counting variant), which the hinge's end does not
    lift into a rep of its own: 2, the first starting in the hinge's end (1.7 s)."""
    tr = replay("rows_setup", "dumbbell_rows")
    assert tr.counter.spec.signal.name == "elbow_rise"
    assert tr.rep_log and tr.rep_log[0].start_s > 1.0, [(r.start_s, r.end_s) for r in tr.rep_log]
    assert tr.reps == 2


def test_span_is_the_swing_over_the_rep():
    cond = parse_condition("torso_span < 40")
    assert cond({"torso_max": 70.0, "torso_min": 50.0})
    assert not cond({"torso_max": 94.0, "torso_min": 23.0})
    assert not cond({"torso": 60.0})                      # unknown: a comparison with NaN is false
    assert parse_condition("torso_span > 5")({"torso_span": 9.0})  # a value given outright wins


def test_a_signal_shadowing_span_is_reported(tmp_path):
    p = tmp_path / "shadow.yaml"
    p.write_text("""\
name: wall_sits
display_name: Wall Sits
camera_advice: Turn side-on to the camera.
required: [torso]
signals:
  knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: image, side: best}
  knee_span: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: world, side: min}
counting: {signal: knee, start: 170, turn: 90, min_rom: 30}
confirm: [knee_span < 100]
""")
    with pytest.raises(YamlValidationError) as err:
        load_exercise_file(p)
    assert f"{p}:7:3: signal name 'knee_span' clashes with the automatic rep span" in str(err.value)
    assert "'knee_extent'" in str(err.value)


def test_a_half_push_up_side_on_counts_and_is_called_half():
    """Side-on (eval_tune3), a half push-up between full ones: the pose model reads it 0.11
    torso lengths of travel (full ones 0.54-0.57), under the old min_rom 0.12 ('short range').
    Truth: 3 reps, the 2nd half_rep (a form fault: counted, cued 'go lower')."""
    tr = replay("push_half", "pushups")
    assert tr.reps == 3, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log + tr.partial_log]
    assert "half_rep" in tr.rep_log[1].issues
