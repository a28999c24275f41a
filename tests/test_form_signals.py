"""Signals made for form rules: signed lean, distances along a body direction (exact synth joints)."""

import numpy as np
import pytest

from counting_synth import ideal_clip
from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.exercises import parse_exercise
from deepfit_coach.yamlfile import YamlValidationError


def _spec(signals: dict):
    first = next(iter(signals))
    return parse_exercise({"name": "probe", "signals": signals,
                           "counting": {"signal": first, "start": 0, "turn": 30, "min_rom": 5}})


def _values(spec, skeleton):
    ex = SignalExtractor(spec)
    pixels = skeleton.image[:, :2] * np.array([skeleton.width, skeleton.height])
    vis = np.ones(33)
    values, _, _ = ex.compute(pixels.astype(float), skeleton.world.astype(float), vis)
    return values


@pytest.mark.parametrize("view", ["front", "side", "45"])
def test_world_lean_is_signed_forward_positive_in_every_view(view):
    # a squat leans the torso forward; a curl with torso_swing leans it back
    spec = _spec({"lean": {"lean": ["mid_shoulder", "mid_hip"], "source": "world"}})
    sk, tl = ideal_clip("squats", reps=1, view=view, seed=4, after="")
    rep = tl.reps[0]
    stand, bottom = _values(spec, sk[rep.start_frame])["lean"], _values(spec, sk[rep.bottom_frame])["lean"]
    assert bottom - stand > 20
    sk, tl = ideal_clip("bicep_curls", reps=1, view=view, seed=4, after="", rep_faults={0: ("torso_swing",)})
    rep = tl.reps[0]
    stand, top = _values(spec, sk[rep.start_frame])["lean"], _values(spec, sk[rep.bottom_frame])["lean"]
    assert top - stand < -10   # an unsigned incline folds over at vertical and misses this


def test_distance_along_a_body_direction_sees_flared_elbows_from_any_side():
    spec = _spec({"out": {"distance": ["{side}_shoulder", "{side}_elbow"], "along": ["mid_shoulder", "{side}_shoulder"],
                          "per": ["left_shoulder", "right_shoulder"], "side": "max"}})
    for view in ("front", "side"):
        sk, tl = ideal_clip("tricep_extensions", reps=2, view=view, seed=4, after="",
                            rep_faults={1: ("elbow_flare",)})
        clean, flared = (_values(spec, sk[r.bottom_frame])["out"] for r in tl.reps)
        assert clean < 0.2 < flared, (view, clean, flared)


def test_along_is_validated():
    # with 'along', 'axis' x or y takes only that axis's part (tricep_extensions' elbow_out_x); not xy
    _spec({"d": {"distance": ["left_hip", "left_knee"], "axis": "x", "along": ["left_hip", "right_hip"]}})
    with pytest.raises(YamlValidationError, match="with 'along', 'axis' is x or y"):
        _spec({"d": {"distance": ["left_hip", "left_knee"], "axis": "xy", "along": ["left_hip", "right_hip"]}})
    with pytest.raises(YamlValidationError, match="'along' is for distance"):
        _spec({"d": {"angle": ["left_hip", "left_knee", "left_ankle"], "along": ["left_hip", "right_hip"]}})


def _track(exercise: str, skeletons, fps: float = 30.0):
    from deepfit_coach.counting import ExerciseTracker
    from deepfit_coach.exercises import load_catalogue

    tr = ExerciseTracker(load_catalogue().get(exercise))
    for i, s in enumerate(skeletons):
        tr.update(s, i / fps)
    return tr.rep_log


@pytest.mark.parametrize("view,judged", [("front", True), ("side", False)])
def test_a_rule_judges_only_where_the_view_shows_the_fault(view, judged):
    """knees_cave is seen facing the camera; side-on the rep lists it as unjudged, not as clean."""
    sk, tl = ideal_clip("squats", reps=3, view=view, seed=3, side="left", faults=("knees_cave",))
    reps = _track("squats", sk)
    assert len(reps) == 3
    for r in reps:
        if judged:
            assert "knees_cave" in r.issues and "knees_cave" not in r.unjudged
        else:
            assert "knees_cave" not in r.issues and "knees_cave" in r.unjudged
        assert "shallow" not in r.unjudged   # a rule without judge_if is always judged


@pytest.mark.parametrize("view", ["front", "45", "side"])
@pytest.mark.parametrize("fault", [True, False])
def test_knee_past_toes_from_every_view(view, fault):
    """Exact joints: a lunge's knee past the toes is found side-on (the shin in the picture) and
    facing the camera or at 45 deg (the shin leaning in 3D and short in the picture); a clean
    lunge is not flagged from any view."""
    sk, tl = ideal_clip("lunges", reps=2, view=view, seed=13, side="left", faults=("knee_past_toes",) if fault else ())
    reps = _track("lunges", sk)
    assert len(reps) == 2
    for r in reps:
        assert ("knee_past_toes" in r.issues) == fault and "knee_past_toes" not in r.unjudged


def test_judge_if_is_validated():
    base = {"name": "probe", "signals": {"a": {"angle": ["left_hip", "left_knee", "left_ankle"]}},
            "counting": {"signal": "a", "start": 0, "turn": 30, "min_rom": 5}}
    rule = {"name": "r", "at": "bottom", "when": "a > 3", "cue": "c", "judge_if": "nope > 1"}
    with pytest.raises(YamlValidationError, match="unknown signal 'nope'"):
        parse_exercise({**base, "form": [rule]})
    spec = parse_exercise({**base, "form": [{**rule, "judge_if": "a < 100"}]})
    assert spec.form[0].judge_if({"a": 50}) and not spec.form[0].judge_if({"a": 150})
