"""Arm exercises filmed head to waist (a phone propped close: hips at or below the picture's
edge, where MediaPipe's presence for them drops under 0.5) still count: stored pose-model
output of rendered clips (benchmarks/robustness.py upper_curls and upper_press, first 14 s at
15 fps; truth 4 and 5 full reps). Before, the torso's hips were 'not in view' on most frames
and the counters counted 0 of both."""

from __future__ import annotations

import math

import numpy as np

import stored_poses
from deepfit_coach.analysis import analyze_poses
from deepfit_coach.counting.signals import point_index, world_presence
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.exercises.conditions import parse_condition
from deepfit_coach.skeleton import LM

DATA = "upper_body_poses.npz"
TRUTH = {"curls": ("bicep_curls", 4), "press": ("dumbbell_shoulder_press", 5)}


def test_head_to_waist_clips_count_their_reps():
    cat = load_catalogue()
    data = stored_poses.load(DATA)
    for name, (exercise, reps) in TRUTH.items():
        poses = stored_poses.poses(data, name)
        hips = np.array([s.image[[LM.LEFT_HIP, LM.RIGHT_HIP], 4].min() for s in poses.skeletons if s is not None])
        assert np.median(hips) < 0.5            # the clip does cut the hips off
        result = analyze_poses(poses, exercise, cat)
        assert sum(len(s.reps) for s in result.segments) == reps, name


def test_hips_count_as_present_for_world_measures_only_where_both_shoulders_are():
    vis = np.ones(39)
    vis[[LM.LEFT_HIP, LM.RIGHT_HIP]] = 0.2
    vis[33:] = 0.2
    out = world_presence(vis)
    assert out[LM.LEFT_HIP] == out[LM.RIGHT_HIP] == out[point_index("mid_hip")] == 1.0
    assert out[point_index("mid_knee")] == 0.2      # only the hips, the world's origin
    vis[LM.RIGHT_SHOULDER] = 0.3
    out = world_presence(vis)
    assert out[LM.LEFT_HIP] == 0.3
    assert vis[LM.LEFT_HIP] == 0.2                     # the picture's own presence untouched


def test_an_unmeasured_confirm_condition_is_not_judged():
    cond = parse_condition("hip_travel_span < 0.5")
    assert cond.measured({"hip_travel_max": 0.2, "hip_travel_min": 0.0})
    assert not cond.measured({"hip_travel_max": math.nan, "hip_travel_min": math.nan})
    assert not cond.measured({})
