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
