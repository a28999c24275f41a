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


EDGE = load("auto_edge_poses.npz")   # eval_tune6 lateral_shoulder_raises_side_0 at pose confidence 0.5: 6 raises, 2.5-23.4 s


def test_a_window_opened_mid_rep_grows_to_the_set_start(classifier_ready):
    """The classifier names the set only over its last 3 s (shoulder press, 20.7-23.7 s), so the
    window opens 10 s earlier, just after a raise starts: the raise counter's first full rep
    starts 3.2 s in, 1.1 rep periods. Was: 3 raises (the window did not grow)."""
    p = poses(EDGE, "raises")
    assert min(s[1] for s in default_segmenter(p.skeletons, p.times).segments) > 15.0   # the case under test
    auto = analyze_poses(p, None)
    assert [s.exercise for s in auto.segments] == ["lateral_shoulder_raises"], auto.to_json()["segments"]
    assert abs(auto.total_reps - 6) <= 1


def test_reps_starting_within_one_and_a_half_periods_reach_the_edge():
    from deepfit_coach.analysis import SegmentResult, reaches_edges

    reps = _reps(*((13.0 + 3.0 * i, 15.5 + 3.0 * i) for i in range(3)))      # period 3 s
    assert reaches_edges(SegmentResult("squats", 9.0, 21.0, reps, [])) == (True, True)     # 4 s = 1.33 periods in
    assert reaches_edges(SegmentResult("squats", 8.0, 27.0, reps, [])) == (False, False)   # 5 s, 5.5 s
