"""Auto mode (issue 5): bouts that the pick of a counter gives the same exercise are one set.
Real pose-model output (MediaPipe full, float16) of fresh6 lateral_shoulder_raises_side_0 (seed
43000+ grid, 6 raises side-on, 3.1-19.9 s): the classifier names raises for 3.5-9.1 s and curls
for 10.2-17.7 s, whose bout the raise counter takes (``pick_exercise``)."""

from deepfit_coach.analysis import SegmentResult, Timeline, join_picked
from deepfit_coach.events import RepInfo
from stored_poses import load, poses

DATA = load("picked_join_poses.npz")
RAISES = 6   # truth (the clip's .truth.json)


def test_a_set_read_as_two_exercises_and_picked_alike_is_counted_once(classifier_ready):
    """Was two raise segments, 2 + 3 reps: the raise running across their windows' edge
    (8.8-11.3 s) was seen whole by neither counter."""
    from deepfit_coach.analysis import analyze_poses

    auto = analyze_poses(poses(DATA, "raises_side"), None)
    given = analyze_poses(poses(DATA, "raises_side"), "lateral_shoulder_raises")
    assert [s.exercise for s in auto.segments] == ["lateral_shoulder_raises"], auto.to_json()["segments"]
    assert auto.total_reps == given.total_reps == RAISES


def _seg(name, lo, hi, span, reps):
    return SegmentResult(name, lo, hi, [RepInfo(k + 1, a, b, "both", 1.0, 0.5, 0.5) for k, (a, b) in enumerate(reps)],
                         [], label_span=span)


def test_only_touching_bouts_of_one_exercise_close_in_time_join_and_never_to_fewer_reps():
    asked = []

    def track(name, lo, hi):
        asked.append((name, lo, hi))
        return _seg(name, lo, hi, None, [(lo + 1 + 3 * k, lo + 3 + 3 * k) for k in range(int((hi - lo - 1) // 3))])

    tl = Timeline([])
    a = _seg("lateral_shoulder_raises", 0.0, 10.0, (2.0, 9.0), [(2, 4), (5, 7)])
    b = _seg("lateral_shoulder_raises", 10.0, 22.0, (10.5, 18.0), [(12, 14), (15, 17), (18, 20)])
    joined = join_picked([a, b], track, tl, 0.0)
    assert [(s.start_s, s.end_s, len(s.reps), s.label_span) for s in joined] == [(0.0, 22.0, 7, (2.0, 18.0))]
    # another exercise, a rest of SAME_GAP_S between the labels, or a window gap: two sets, nothing re-counted
    asked.clear()
    c = _seg("bicep_curls", 10.0, 22.0, (10.5, 18.0), [(12, 14)])
    far = _seg("lateral_shoulder_raises", 10.0, 22.0, (15.5, 20.0), [(16, 18)])
    apart = _seg("lateral_shoulder_raises", 12.0, 22.0, (12.5, 18.0), [(13, 15)])
    for second in (c, far, apart):
        assert join_picked([a, second], track, tl, 0.0) == [a, second]
    assert asked == []
    # a joint count below the two sets' own: kept apart

    def short(name, lo, hi):
        return _seg(name, lo, hi, None, [(lo + 1, lo + 3)])

    assert join_picked([a, b], short, tl, 0.0) == [a, b]
