"""Two sets of two exercises the classifier names surely, with a rest between them, stay two sets.

Stored pose-model output (MediaPipe full, float16) of `deepfit-coach synth --workout squats:4
jumping_jacks:6 --fps 10 --size 320x240 --rest 6` (a QA pass's clip): the classifier names
squats 1.1-12.2 s and jumping jacks 17.8-28.7 s at 0.97 / 0.98, but the squat counter reads the
shifting about in the rest and the jacks' knee bend as squats, and `join_continuous` took that for
one set running on through the hole: "squats 0.0-28.6 s: 12 reps"."""

from deepfit_coach.analysis import analyze_poses, distinct_sets
from stored_poses import load, poses

DATA = load("two_sets_squats_jacks_poses.npz")


def test_squats_then_jumping_jacks_are_two_sets(classifier_ready):
    p = poses(DATA, "squats_jacks")
    p.fps = 10.0
    res = analyze_poses(p, None)
    assert [(s.exercise, len(s.reps)) for s in res.segments] == [("squats", 4), ("jumping_jacks", 6)]
    # the case under test: the squat counter alone reads reps on past the set (through the rest and the jacks:
    # over 8 before a small rep with the arms overhead was no squat, 5 since)
    assert len(analyze_poses(p, "squats").segments[0].reps) > 4


def test_only_two_sure_and_different_labels_are_distinct_sets():
    assert distinct_sets(("squats", 1.1, 12.2, 0.97), ("jumping_jacks", 17.8, 28.7, 0.98))
    assert not distinct_sets(("squats", 1.1, 12.2, 0.97), ("squats", 17.8, 28.7, 0.98))
    assert not distinct_sets(("pushups", 1.1, 12.2, 0.62), ("situps", 17.8, 28.7, 0.95))
