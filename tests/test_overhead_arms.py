"""A small 'squat' with the arms overhead is a stretch or a jumping jack: not counted (QA pass 7). Stored
pose-model output of two rendered workouts (WorkoutSpec seeds 33 and 51, 480x360, 15 fps, 45 degrees)."""

from __future__ import annotations

from deepfit_coach.analysis import Poses, analyze_poses, track_segment
from deepfit_coach.exercises import get_exercise, load_catalogue
from deepfit_coach.posetrack import PoseTrack
from stored_poses import FPS, clip, load

DATA = load("overhead_arms_poses.npz")


def test_an_overhead_stretch_mid_set_adds_no_squat():
    """4 squats, 8 s of overhead arm stretching, 4 squats: 10 squats counted (two of 14 and 23 deg, in the
    stretch), and live the set of 8 ended after 6 real squats."""
    from stored_poses import replay

    sk, ts = clip(DATA, "stretch_mid_set")
    seg = track_segment(get_exercise("squats"), sk, ts, 0.0, ts[-1])
    assert len(seg.reps) == 8
    assert not any(14.5 < r.start_s < 21.0 for r in seg.reps)     # none in the stretch
    assert replay(DATA, "stretch_mid_set", "squats").reps == 8
    auto = analyze_poses(Poses("stretch", FPS, PoseTrack(sk), ts), None, load_catalogue())
    assert [(s.exercise, len(s.reps)) for s in auto.segments] == [("squats", 4), ("squats", 4)]


def test_a_jumping_jack_after_the_squats_is_no_squat():
    sk, ts = clip(DATA, "squats_then_jacks")
    assert len(track_segment(get_exercise("squats"), sk, ts, 0.0, ts[-1]).reps) == 6
