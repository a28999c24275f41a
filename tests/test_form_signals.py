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
    with pytest.raises(YamlValidationError, match="either 'axis' or 'along'"):
        _spec({"d": {"distance": ["left_hip", "left_knee"], "axis": "x", "along": ["left_hip", "right_hip"]}})
    with pytest.raises(YamlValidationError, match="'along' is for distance"):
        _spec({"d": {"angle": ["left_hip", "left_knee", "left_ankle"], "along": ["left_hip", "right_hip"]}})
