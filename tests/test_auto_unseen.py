"""Auto mode when the classifier's label cannot be seen (issue 5): arm exercises filmed head
to hips (a phone propped close), which the classifier, trained on whole bodies, reads as
sit-ups - whose counter needs the legs and counted nothing. Stored pose-model output of
rendered clips (benchmarks/robustness.py upper_curls at its 30 fps, upper_triceps every other
frame: 15 fps; truth 8 full reps each). At the session's start both read sit-ups, 0 reps."""

from __future__ import annotations

from deepfit_coach.analysis import SegmentResult, analyze_poses, default_segmenter, pick_seen, track_segment
from deepfit_coach.coach.visibility import unseen_share
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises import load_catalogue
from stored_poses import load, poses

DATA = load("upper_framed_auto_poses.npz")
REPS = 8


def test_curls_filmed_head_to_hips_are_counted_as_curls(classifier_ready):
    p = poses(DATA, "curls")
    labels = {name for name, *_ in default_segmenter(p.skeletons, p.times).segments}
    assert "situps" in labels                       # the case under test: the classifier names sit-ups
    situps = load_catalogue().get("situps")
    assert unseen_share(p.skeletons, p.times, 0.0, p.times[-1], situps.required) > 0.9   # no legs in view
    auto = analyze_poses(p, None)
    assert [s.exercise for s in auto.segments] == ["bicep_curls"], auto.to_json()["segments"]
    assert abs(auto.total_reps - REPS) <= 1


def test_tricep_extensions_filmed_head_to_hips_are_counted_by_an_arm_counter(classifier_ready):
    """The classifier gives every arm exercise under 0.01 here: the counters decide, and the
    shoulder press counter counts 7 of the 8 overhead extensions (was sit-ups, 0 reps)."""
    p = poses(DATA, "triceps")
    auto = analyze_poses(p, None)
    assert auto.segments and all(s.exercise != "situps" for s in auto.segments)
    assert abs(auto.total_reps - REPS) <= 1, auto.to_json()["segments"]


def test_whole_body_in_view_is_not_unseen():
    p = poses(DATA, "curls")
    curls = load_catalogue().get("bicep_curls")
    assert unseen_share(p.skeletons, p.times, 0.0, p.times[-1], curls.required) < 0.1
    assert unseen_share([None, None], [0.0, 0.1], 0.0, 1.0, curls.required) == 0.0   # nobody: not a view problem


def _seg(name, clean, faulty=0, partial=0):
    reps = [RepInfo(k + 1, 2.0 * k, 2.0 * k + 1.5, "both", 1.0, 0.7, 0.8) for k in range(clean + faulty)]
    for r in reps[clean:]:
        r.issues = ["some_fault"]
    parts = [RepInfo(0, 30.0 + k, 30.5 + k, "both", 0.3, 0.2, 0.3, partial=True) for k in range(partial)]
    return SegmentResult(name, 0.0, 40.0, reps, parts)


def test_pick_seen_takes_the_likeliest_seen_exercise_as_the_label():
    curls, raises = _seg("bicep_curls", 7, 1, 1), _seg("lateral_shoulder_raises", 2, 6)
    assert pick_seen([raises, curls], {"bicep_curls": 0.29, "lateral_shoulder_raises": 0.02}) is curls


def test_pick_seen_without_a_likely_exercise_goes_to_the_most_clean_reps():
    triceps, press = _seg("tricep_extensions", 8, 0, 2), _seg("dumbbell_shoulder_press", 7)
    probs = {"tricep_extensions": 0.002, "dumbbell_shoulder_press": 0.006}
    assert pick_seen([press, triceps], probs) is triceps
    mostly_faulty = _seg("lateral_shoulder_raises", 2, 6)
    assert pick_seen([mostly_faulty], probs) is None      # a counter reading the wrong movement
    assert pick_seen([], probs) is None


def test_limbs_hidden_behind_the_body_are_not_out_of_view(classifier_ready):
    """Push-ups filmed head-on (fresh check set fresh_l, seeds 29500+, pushups_front_0, truth 8):
    the classifier says sit-ups (0.38, push-ups 0.19). The legs and arms are hidden behind the
    body but inside the picture (the pose model's presence): the exercises are not 'unseen', the
    usual runner-ups decide. A first version read visibility instead and found every exercise
    unseen there. The pose model finds the person on a third of the frames: the push-up counter's
    2 reps here were the way down into the plank and a 'rep' read while the model put the torso
    upright mid-set; since push-ups' ``settle`` (the torso must have stopped swinging before a
    set's first rep) it counts none, and the bout stays the classifier's sit-ups, whose counter
    keeps the set's two movements as partial reps: no rep counted, none invented."""
    p = poses(load("head_on_unseen_poses.npz"), "pushups")
    cat = load_catalogue()
    lo, hi = 5.6, 8.0   # the classifier's sit-ups span
    assert default_segmenter(p.skeletons, p.times).segments[0][0] == "situps"
    assert all(unseen_share(p.skeletons, p.times, lo, hi, s.required) < 0.5 for s in cat)
    auto = analyze_poses(p, None)
    pushups = track_segment(cat.get("pushups"), p.skeletons, p.times, 0.0, p.times[-1])
    assert not pushups.reps and pushups.partial
    (seg,) = auto.segments
    assert seg.exercise == "situps" and not seg.reps and len(seg.partial) == 2, auto.to_json()["segments"]


def test_classify_relabels_an_exercise_filmed_without_its_parts(classifier_ready):
    """``classify``'s timeline: sit-ups with no legs in the picture become the likeliest exercise
    that can be seen (curls, p ~0.3), and tricep extensions, which the classifier gives under
    0.01 there, unknown rather than a guess."""
    from deepfit_coach.classifier import segment_exercises

    curls = poses(DATA, "curls")
    assert {s.exercise for s in segment_exercises(curls.skeletons, curls.times)} == {"bicep_curls"}
    triceps = poses(DATA, "triceps")
    assert segment_exercises(triceps.skeletons, triceps.times) == []
    assert {s.exercise for s in segment_exercises(triceps.skeletons, triceps.times, include_unknown=True)} == {"unknown"}
