"""Auto mode (issue 5): a set the classifier stops naming for more than a few seconds is
still one set when a counter's reps go on through the hole without a rest
(``join_continuous``). Real pose-model output at pose confidence 0.2 (the tuning pool's
second realisation, form_tune seeds 20000+, float16) through the real LiteRT classifier:
7 push-ups filmed head-on, named push-ups at 6.3-10.3 s and 17.1-19.1 s only, and 7
lateral raises filmed side-on, named raises at 1.9-11.9 s and curls at 19.7-22.7 s."""

import pytest

from deepfit_coach.analysis import (GUARD_GAP_S, analyze_poses, continues_across, default_segmenter,
                                    join_continuous)
from deepfit_coach.events import RepInfo
from stored_poses import load, poses

DATA = load("auto_gap_poses.npz")
TRUTH = {"pushups": ("pushups", 7), "raises": ("lateral_shoulder_raises", 7)}   # the clips' .truth.json


def _holes(p) -> list[float]:
    segs = sorted(default_segmenter(p.skeletons, p.times).segments, key=lambda s: s[1])
    return [b[1] - a[2] for a, b in zip(segs, segs[1:])]


def test_a_set_with_a_long_hole_in_its_labels_is_counted_whole(classifier_ready):
    """Was: push-ups 4 + 0 (the second bout's counter started mid-set), raises 4 + curls 2."""
    for key, (exercise, reps) in TRUTH.items():
        p = poses(DATA, key)
        assert max(_holes(p)) > GUARD_GAP_S   # the case under test: a hole no earlier rule joins
        auto = analyze_poses(p, None)
        given = analyze_poses(poses(DATA, key), exercise)
        assert [s.exercise for s in auto.segments] == [exercise], auto.to_json()["segments"]
        assert abs(auto.total_reps - reps) <= 1 and abs(auto.total_reps - given.total_reps) <= 1


def _reps(*spans: tuple[float, float]) -> list[RepInfo]:
    return [RepInfo(i + 1, a, b, "both", 1.0, 0.5 * (b - a), 0.5 * (b - a)) for i, (a, b) in enumerate(spans)]


def test_reps_through_the_hole_join_a_rest_does_not():
    steady = _reps(*((2.0 + 2.5 * i, 4.0 + 2.5 * i) for i in range(8)))       # 2 s reps, 0.5 s apart
    assert continues_across(steady, 7.0, 14.0)
    rested = [r for r in steady if not 9.0 < r.start_s < 12.0]                  # a 5.5 s pause in the hole
    assert not continues_across(rested, 7.0, 14.0)
    assert not continues_across(steady[:4], 7.0, 14.0)                          # one rep after the hole's middle
    raw = [("squats", 0.0, 7.0, 0.9), ("lunges", 14.0, 22.0, 0.8), ("squats", 40.0, 50.0, 0.9)]
    asked = []

    def continues(bouts, k):
        asked.append((bouts[k][0], bouts[k + 1][0]))
        return bouts[k + 1][1] < 30.0      # the first hole has reps through it, the second a rest

    assert join_continuous(raw, continues) == [("lunges", 0.0, 22.0, pytest.approx((0.9 * 7 + 0.8 * 8) / 15)),
                                               ("squats", 40.0, 50.0, 0.9)]
    assert asked == [("squats", "lunges"), ("lunges", "squats")]
    near = [("squats", 0.0, 7.0, 0.9), ("lunges", 9.0, 22.0, 0.8)]            # closer: join_guarded's to judge
    assert join_continuous(near, lambda b, k: True) == near
