"""Squats filmed with the feet out of the picture (a phone propped close or low): the knee
angle, depth and the position rule need an ankle, so such a set counted little; now squats
count on the hips' bend when the ankles are out of the picture (the ``presence`` signal kind
choosing the counting variant). Stored pose-model output of a rendered clip at 45 deg, ankles
cut off (benchmarks/robustness.py-style variant, seed 33012, 30 fps, truth 7 full reps):
4 counted before, on depth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepfit_coach.analysis import analyze_poses, track_segment
from deepfit_coach.counting.tracker import ExerciseTracker
from deepfit_coach.exercises import get_exercise, parse_exercise
from deepfit_coach.yamlfile import YamlValidationError
from stored_poses import clip, load, poses

DATA = load("squats_no_ankles_poses.npz")
REPS = 7


def test_squats_without_ankles_in_the_picture_count_on_the_hips():
    p = poses(DATA, "squats45")
    ankles = np.array([min(s.image[27, 4], s.image[28, 4]) for s in p.skeletons if s is not None])
    assert np.median(ankles) < 0.5                     # the case under test: the feet are cut off
    result = analyze_poses(p, "squats")
    (seg,) = result.segments
    assert seg.signal == "hip_flex" and len(seg.reps) == REPS, [(r.start_s, r.rom_deg) for r in seg.reps]


def test_the_live_tracker_counts_them_too():
    sk, ts = clip(DATA, "squats45")
    tr = ExerciseTracker(get_exercise("squats"))
    for s, t in zip(sk, ts):
        tr.update(s, t)
    tr.flush(ts[-1])
    assert abs(tr.reps - REPS) <= 1


def test_presence_signal_reads_the_least_presence_and_is_always_measured():
    sk, ts = clip(DATA, "squats45")
    spec = get_exercise("squats")
    seg = track_segment(spec, sk, ts, ts[0], ts[-1], record=True)
    tr = ExerciseTracker(spec)
    frame = next(s for s in sk if s is not None and max(s.image[27, 4], s.image[28, 4]) < 0.5)
    values, _, _ = tr.extractor.compute(frame.image[:, :2] * [frame.width, frame.height], frame.world,
                                        frame.image[:, 4])
    assert values["ankles_in"] == pytest.approx(min(frame.image[27, 4], frame.image[28, 4]), abs=1e-6)
    assert not math.isnan(values["ankles_in"]) and math.isnan(values["depth"])   # no ankle: no depth
    assert seg.signal == "hip_flex"


def test_presence_signals_are_validated():
    base = {"name": "x", "signals": {"a": {"angle": ["left_hip", "left_knee", "left_ankle"]},
                                     "feet": {"presence": ["{side}_ankle"]}},
            "counting": {"signal": "a", "start": 170, "turn": 90, "min_rom": 10}}
    with pytest.raises(YamlValidationError) as err:
        parse_exercise(base)
    assert "name both sides" in str(err.value)
    base["signals"]["feet"] = {"presence": ["left_ankle", "right_ankle"], "source": "world"}
    with pytest.raises(YamlValidationError) as err:
        parse_exercise(base)
    assert "unknown key 'source'" in str(err.value)
    base["signals"]["feet"] = {"presence": ["left_ankle", "right_ankle"]}
    assert parse_exercise(base).signals["feet"].kind == "presence"
