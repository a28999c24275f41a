"""Form is judged on the pose landmarker's own frames only: poses the pose recovery found
(``Skeleton.recovered``) are counted but judge no form rule (exact synth motion, no pose model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from counting_synth import ideal_clip
from deepfit_coach.analysis import ClipFrames, load_poses, track_segment
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.events import FormEvent
from deepfit_coach.exercises import get_exercise
from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.posetrack import PoseTrack
from deepfit_coach.skeleton import Skeleton

RECOVER = (0.9, 0.9, 0.55)

# (exercise, fault, view): a turn ("bottom") rule, a throughout rule, a rule on the rep's extremes
CASES = [("tricep_extensions", "elbow_flare", "front"), ("pushups", "hips_sag", "side"),
         ("lateral_shoulder_raises", "arms_too_high", "front")]


def _recovered(s: Skeleton) -> Skeleton:
    return Skeleton(s.timestamp_ms, s.image, s.world, s.width, s.height, s.frame_index, {"recovered": True})


def _clip(exercise: str, fault: str, view: str, mark: bool):
    """5 reps, rep 1 and 3 faulty; with ``mark`` rep 1's frames come from the pose recovery."""
    sk, tl = ideal_clip(exercise, reps=5, view=view, seed=3, rep_faults={1: (fault,), 3: (fault,)})
    if mark:
        r = tl.reps[1]
        sk = [_recovered(s) if r.start_frame <= i <= r.end_frame else s for i, s in enumerate(sk)]
    return sk, tl


@pytest.mark.parametrize("exercise,fault,view", CASES)
def test_a_rep_seen_through_recovered_poses_is_counted_but_gets_no_form_issue(exercise, fault, view):
    spec = get_exercise(exercise)
    found = {}
    for mark in (False, True):
        sk, _ = _clip(exercise, fault, view, mark)
        tr = ExerciseTracker(spec)
        events = []
        for s in sk:
            events += tr.update(s, s.timestamp_ms / 1000.0)
        assert tr.reps == 5
        found[mark] = [fault in r.issues for r in tr.rep_log]
        cued = [e.t_s for e in events if isinstance(e, FormEvent) and e.rule == fault and not e.corrected]
        if mark:   # nothing said while the recovered rep went on
            rep = tr.rep_log[1]
            assert not [t for t in cued if rep.start_s <= t <= rep.end_s + 0.05], cued
            phase = next(r.phase for r in spec.form if r.name == fault)
            assert fault in tr.rep_log[1].unjudged or phase == "throughout"
    assert found[False][1] and found[False][3]   # the landmarker's own poses: found on both
    assert not found[True][1] and found[True][3]   # recovered: not judged; the own faulty rep still is


def test_offline_the_same_through_a_pose_track_and_the_shared_smoothing():
    spec = get_exercise("tricep_extensions")
    for mark in (False, True):
        sk, _ = _clip("tricep_extensions", "elbow_flare", "front", mark)
        track = PoseTrack(sk)
        assert track.recovered().sum() == (sum(s.recovered for s in sk) if mark else 0) and (track.recovered().any()
                                                                                              == mark)
        assert track[sk.index(next((s for s in sk if s.recovered), sk[0]))].recovered == mark
        times = [s.timestamp_ms / 1000.0 for s in sk]
        for clip in (None, ClipFrames(track, times)):
            seg = track_segment(spec, track, times, 0.0, times[-1], clip=clip)
            assert len(seg.reps) == 5
            assert ("elbow_flare" in seg.reps[1].issues) == (not mark)
            assert "elbow_flare" in seg.reps[3].issues


def test_recovered_poses_say_so_in_pose_files(tmp_path: Path, clip_video: Path):
    sk, _ = _clip("tricep_extensions", "elbow_flare", "front", True)
    path = tmp_path / "clip.poses.jsonl"
    with open(path, "w") as f:
        w = PoseWriter(f, "clip.mp4", 30.0, (0.5, 0.5, 0.5), None, RECOVER)
        for s in sk:
            w.write(s.timestamp_ms, s.frame_index, s)
    pf = PoseFile(path)
    assert pf.recover == RECOVER and pf.recovered_marked
    back = [r.skeleton for r in pf]
    assert [s.recovered for s in back] == [s.recovered for s in sk] and any(s.recovered for s in back)
    assert all(np.allclose(a.image, b.image, atol=1e-5) for a, b in zip(back, sk))
    poses = load_poses(clip_video, cache=path, recover=True)
    assert poses.skeletons.recovered().tolist() == [s.recovered for s in sk]


def test_a_recovered_cache_from_before_the_marks_is_refused(tmp_path: Path, clip_video: Path):
    from deepfit_coach.errors import UserError

    path = tmp_path / "clip.poses.jsonl"
    sk, _ = ideal_clip("squats", reps=1, seed=1)
    with open(path, "w") as f:
        w = PoseWriter(f, "clip.mp4", 30.0, (0.5, 0.5, 0.5), None, RECOVER)
        w.write(0, 0, sk[0])
    text = path.read_text().replace(',"recovered_marked":true', "")
    path.write_text(text)
    assert not PoseFile(path).recovered_marked
    with pytest.raises(UserError, match="before its poses were marked"):
        load_poses(clip_video, cache=path, recover=True)
    assert path.read_text() == text
