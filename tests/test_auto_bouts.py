"""Auto mode (issue 5) on real pose-model output of two tuning clips (tests/data, MediaPipe
full on rendered clips of eval_tune5, seeds 11000+; image and world landmarks stored as
float16) with the real LiteRT classifier: a set the classifier splits between two
exercises, or cuts with a few seconds of "rest", is still counted once, as in given mode,
and two genuinely different sets in one video stay two."""

from deepfit_coach.analysis import analyze_poses
from stored_poses import load, pair, poses

DATA = load("auto_bouts_poses.npz")
RAISES = load("raises_side_poses.npz")  # eval_tune4 (seeds 10700+)
# truth (the clips' .truth.json): 8 presses filmed side-on (the classifier reads the first
# third as tricep extensions); 8 squats facing the camera (two "rest" stretches mid-set)
# 7 lateral raises filmed side-on, which the classifier reads as curls
PRESS, SQUATS, RAISES_SIDE = 8, 8, 7


def test_a_set_the_classifier_splits_between_two_exercises_is_counted_once(classifier_ready):
    auto = analyze_poses(poses(DATA, "press"), None)
    given = analyze_poses(poses(DATA, "press"), "dumbbell_shoulder_press")
    assert [s.exercise for s in auto.segments] == ["dumbbell_shoulder_press"], auto.to_json()["segments"]
    assert auto.total_reps == given.total_reps
    assert abs(auto.total_reps - PRESS) <= 1


def test_two_different_sets_in_one_video_stay_two_and_a_rest_hole_does_not_split_a_set(classifier_ready):
    """The press clip, then the squat clip (2 s + 2.5 s of standing between the sets)."""
    res = analyze_poses(pair(DATA, "press", "squats"), None)
    assert [s.exercise for s in res.segments] == ["dumbbell_shoulder_press", "squats"], res.to_json()["segments"]
    press, squats = res.segments
    assert abs(len(press.reps) - PRESS) <= 1 and abs(len(squats.reps) - SQUATS) <= 1
    assert press.end_s <= squats.start_s


def test_side_on_raises_read_as_curls_are_counted_by_the_counter_that_sees_every_rep(classifier_ready):
    """The classifier's label (curls) has a runner-up (raises); the curl counter sees the
    elbow bend in only some of the raises, the raise counter every one: the bout is counted
    as raises, as in given mode."""
    auto = analyze_poses(poses(RAISES, "raises"), None)
    given = analyze_poses(poses(RAISES, "raises"), "lateral_shoulder_raises")
    assert [s.exercise for s in auto.segments] == ["lateral_shoulder_raises"], auto.to_json()["segments"]
    assert auto.total_reps == given.total_reps
    assert abs(auto.total_reps - RAISES_SIDE) <= 1


def test_a_runner_up_needs_clearly_more_reps_and_no_more_partial_ones():
    from deepfit_coach.analysis import SegmentResult, pick_exercise
    from deepfit_coach.events import RepInfo

    def result(name: str, full: int, partial: int) -> SegmentResult:
        # one rep every 2 s (a counter with more reps saw ones after the other's last)
        reps = [RepInfo(1, 2.0 * k, 2.0 * k + 1.5, "both", 1.0, 0.5, 0.5) for k in range(full + partial)]
        return SegmentResult(name, 0.0, 20.0, reps[:full], reps[full:])

    label = result("bicep_curls", 4, 1)
    assert pick_exercise(label, [result("lateral_shoulder_raises", 6, 0)]).exercise == "lateral_shoulder_raises"
    assert pick_exercise(label, [result("lateral_shoulder_raises", 5, 0)]) is label      # not clearly more
    assert pick_exercise(label, [result("squats", 9, 4)]) is label                       # counts noise too
    assert pick_exercise(result("situps", 0, 0), [result("pushups", 0, 0)]).exercise == "situps"


RAISES_TIE = load("raises_side_curls_poses.npz")  # eval_tune6 (seeds 11500+): 7 side-on lateral raises


def test_side_on_raises_the_curl_counter_also_counts_go_to_the_counter_with_clean_reps(classifier_ready):
    """The classifier reads the set as curls (p(raises) 0.08) and both counters count 7 full
    reps, but the curl counter's elbows-drift rule fires on 4 of them (an arm raised to the
    side is a curl with the elbow drifting up) and the raise counter's reps are clean but one:
    the bout is counted as raises (was: 7 curls, 0 raises)."""
    auto = analyze_poses(poses(RAISES_TIE, "raises"), None)
    given = analyze_poses(poses(RAISES_TIE, "raises"), "lateral_shoulder_raises")
    assert [s.exercise for s in auto.segments] == ["lateral_shoulder_raises"], auto.to_json()["segments"]
    assert auto.total_reps == given.total_reps == 7


def test_clean_reps_decide_between_counters_that_count_alike():
    from deepfit_coach.analysis import SegmentResult, pick_exercise
    from deepfit_coach.events import RepInfo

    def result(name: str, full: int, faulty: int, partial: int = 0) -> SegmentResult:
        reps = [RepInfo(1, 2.0 * k, 2.0 * k + 1.5, "both", 1.0, 0.5, 0.5, issues=["elbow_drift"] if k < faulty else [])
                for k in range(full + partial)]   # one rep every 2 s
        return SegmentResult(name, 0.0, 20.0, reps[:full], reps[full:])

    curls = result("bicep_curls", 7, 4)                                   # 3 clean
    raises = result("lateral_shoulder_raises", 7, 1)                     # 6 clean
    assert pick_exercise(curls, [raises], {"lateral_shoulder_raises": 0.08}) is raises
    assert pick_exercise(curls, [result("lateral_shoulder_raises", 7, 3)]) is curls      # 1 more clean: not enough
    assert pick_exercise(curls, [result("lateral_shoulder_raises", 6, 0)]) is curls      # fewer full reps
    assert pick_exercise(curls, [result("lateral_shoulder_raises", 7, 0, 1)]) is curls   # more partial reps
    # more full reps, but fewer clean ones than the label's: the label stands
    pushups = result("pushups", 4, 0, 4)
    assert pick_exercise(pushups, [result("situps", 6, 6)], {"situps": 0.07}) is pushups
    assert pick_exercise(pushups, [result("situps", 6, 2)], {"situps": 0.07}).exercise == "situps"
