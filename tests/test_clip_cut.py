"""Real clips are often cut tight around the set: the first frame is the start position with
the first rep starting at once, the last frame is the last rep just back. Pose-model output
of three tuning-pool clips cut to [first rep's start, last rep's end] (the truth's frames):
every rep counts, as in the whole clip. Before the counter's stream edges (``edge_s``,
``RepCounter.finish``) these counted 6 of 8, 5 of 6 and 6 of 7."""

import pytest

from deepfit_coach.analysis import analyze_poses
from stored_poses import load, poses

DATA = load("trimmed_poses.npz")


@pytest.mark.parametrize("name, exercise", [("jacks", "jumping_jacks"), ("press", "dumbbell_shoulder_press"),
                                            ("situps", "situps")])
def test_a_clip_cut_to_its_reps_counts_them_all(name, exercise):
    result = analyze_poses(poses(DATA, name), exercise)
    assert result.total_reps == int(DATA[name + "_truth"])


def test_a_window_inside_a_clip_starts_no_stream():
    """A tracker over a window that starts inside the clip (auto mode's bouts) still holds the
    start first: the first rep of the cut clip, its first frames dropped, is the set-up."""
    from deepfit_coach.analysis import track_segment
    from deepfit_coach.exercises import get_exercise

    p = poses(DATA, "jacks")
    spec = get_exercise("jumping_jacks")
    whole = track_segment(spec, p.skeletons, p.times, p.times[0], p.times[-1])
    inside = track_segment(spec, p.skeletons, p.times, p.times[1], p.times[-1])
    assert len(whole.reps) == int(DATA["jacks_truth"])
    assert len(inside.reps) == len(whole.reps) - 1


def test_auto_mode_keeps_the_first_rep_of_a_clip_cut_to_the_set(classifier_ready):
    """The classifier's first second of a clip is its window filling: it reads the first
    jumping jack of the cut clip as rest, and that rep, outside the label's span, was dropped
    as a rest movement (7 of 8). The label starting with the clip (``WARM_UP_S``) keeps it."""
    result = analyze_poses(poses(DATA, "jacks"))
    assert [s.exercise for s in result.segments] == ["jumping_jacks"]
    assert result.segments[0].label_span[0] > poses(DATA, "jacks").times[0] + 0.5   # the case under test
    assert result.total_reps == int(DATA["jacks_truth"])


def _rep(start: float, end: float, rom: float, edge: bool = False):
    from deepfit_coach.events import RepInfo
    return RepInfo(index=0, start_s=start, end_s=end, side="both", rom_deg=rom, down_s=0.5 * (end - start),
                   up_s=0.5 * (end - start), from_edge=edge)


def test_a_first_rep_begun_at_the_clip_start_must_look_like_the_sets_reps():
    """Squats side-on, the clip starting with walking in place (pool eval_tune10 squats_side_0 with
    the depth signal): a step read as a 15-deg squat in 0.5 s, begun at once, against 100-deg reps
    of 2.4 s, is a partial rep; a shallow first sit-up of a cut clip (0.48 in 1.5 s against 1.1 in
    2 s) still counts, and so does any first rep that waited for the start hold."""
    from deepfit_coach.counting.review import edge_first_rep

    squats = [_rep(3.4 + 2.5 * k, 5.8 + 2.5 * k, 105.0) for k in range(5)]
    reps, partials = edge_first_rep([_rep(0.13, 0.67, 15.4, edge=True)] + squats, [])
    assert [r.start_s for r in reps] == [r.start_s for r in squats] and [r.index for r in reps] == [1, 2, 3, 4, 5]
    assert len(partials) == 1 and partials[0].partial
    situps = [_rep(5.1 + 2.2 * k, 7.1 + 2.2 * k, 1.1) for k in range(5)]
    assert len(edge_first_rep([_rep(3.0, 4.5, 0.48, edge=True)] + situps, [])[0]) == 6
    assert len(edge_first_rep([_rep(0.13, 0.67, 15.4)] + squats, [])[0]) == 6
