"""``analyze`` holds a clip's poses compactly (``PoseTrack``) and keeps only a bounded share of
its smoothed frames (``ClipFrames``' run budget): the same numbers must come back, the same
results must come out, and the held poses must cost ~1.1 KB a frame, not a list of Skeletons' ~1.9 KB."""

import gc
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import stored_poses
from deepfit_coach.analysis import ClipFrames, Poses, analyze_poses, load_poses, track_segment
from deepfit_coach.exercises import load_catalogue
from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.posetrack import BLOCK, PoseTrack

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def pushups():
    # head-on push-ups with 40 frames where nobody was found
    return stored_poses.clip(stored_poses.load("auto_pick_poses.npz"), "pushups")


@pytest.fixture(scope="module")
def replay(pushups, tmp_path_factory) -> Path:
    """The clip over and over, as a pose file of exactly three blocks of frames."""
    skeletons, times = pushups
    path = tmp_path_factory.mktemp("posetrack") / "long.poses.jsonl"
    step = int(round(1000 * (times[-1] - times[0]))) + 67
    with open(path, "w", encoding="utf-8") as f:
        w = PoseWriter(f, "long", stored_poses.FPS, (0.5, 0.5, 0.5))
        for k in range(3 * BLOCK):
            i, lap = k % len(skeletons), k // len(skeletons)
            s = skeletons[i]
            t_ms = int(round(1000 * times[i])) + lap * step
            if s is not None:
                s = type(s)(t_ms, s.image, s.world, s.width, s.height, k)
            w.write(t_ms, k, s)
    return path


def test_a_pose_track_gives_back_exactly_what_went_in(replay):
    track = load_poses("replay:" + str(replay)).skeletons
    records = [r.skeleton for r in PoseFile(replay)]
    assert isinstance(track, PoseTrack) and len(track) == len(records) == 3 * BLOCK
    assert any(s is None for s in records)
    for got, want in zip(track, records):
        assert (got is None) == (want is None)
        if want is None:
            continue
        assert got.image.dtype == want.image.dtype and got.image.tobytes() == want.image.tobytes()
        assert got.world.dtype == want.world.dtype and got.world.tobytes() == want.world.tobytes()
        assert (got.timestamp_ms, got.frame_index, got.width, got.height, got.extra) == \
               (want.timestamp_ms, want.frame_index, want.width, want.height, want.extra)
    assert track[-1].frame_index == records[-1].frame_index
    assert [s is None for s in track[BLOCK - 2:BLOCK + 2]] == [s is None for s in records[BLOCK - 2:BLOCK + 2]]
    assert np.array_equal(track.seen(), [s is not None for s in records])
    with pytest.raises(IndexError):
        track[len(track)]


def test_held_poses_cost_about_a_kilobyte_a_frame(replay):
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        poses = load_poses("replay:" + str(replay))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    per_frame = held / len(poses.skeletons)
    # 33 x 8 float32 landmarks (1056 B) + size, time, index (~50 B); a list of Skeletons holds ~1.9 KB
    assert per_frame < 1300, f"{per_frame:.0f} B per frame held"


def _result(seg):
    return ([r.to_dict() for r in seg.reps], [r.to_dict() for r in seg.partial], [repr(c) for c in seg.cues],
            seg.live_reps)


def test_run_budget_drops_smoothing_but_not_results(pushups):
    """Windows over a clip whose shared smoothing exceeds a tiny budget: the runs held stay
    within it (but for the newest), and a dropped run smoothed again gives the same reps."""
    skeletons, times = pushups
    spec = CATALOGUE.get("pushups")
    n = len(times)
    windows = [(times[0], times[n // 2]), (times[n // 3], times[-1]), (times[0], times[-1]),
               (times[n // 3], times[-1]), (times[0], times[n // 2])]
    roomy, tight = ClipFrames(skeletons, times), ClipFrames(skeletons, times, budget=n // 2)
    for lo, hi in windows:
        want = track_segment(spec, skeletons, times, lo, hi, clip=roomy)
        got = track_segment(spec, skeletons, times, lo, hi, clip=tight)
        assert _result(got) == _result(want) == _result(track_segment(spec, skeletons, times, lo, hi))
        held = [r.n for r in tight._runs.values()]
        assert sum(held) <= tight.budget or len(held) == 1
    assert len(roomy._runs) == 2 and len(tight._runs) == 1


def test_analysis_of_a_pose_track_equals_that_of_a_list(pushups):
    skeletons, times = pushups
    as_list = Poses("mem", stored_poses.FPS, list(skeletons), list(times))
    as_track = Poses("mem", stored_poses.FPS, PoseTrack(skeletons), list(times))
    for exercise in ("pushups", None):
        assert analyze_poses(as_track, exercise).to_json() == analyze_poses(as_list, exercise).to_json()


def test_classifier_gets_the_track_itself(pushups):
    """``decide_all`` hands a PoseTrack to the batch classifier as it is (no list of Skeletons
    built beside it: `classify` on a long video held both), and an iterator still works."""
    from deepfit_coach.classifier.segment import decide_all

    class Recorder:
        seen: list = []

        def reset(self) -> None:
            pass

        def decide_clip(self, skeletons, times):
            self.seen.append(skeletons)
            return [None] * len(times)

    skeletons, times = pushups
    track = PoseTrack(skeletons)
    clf = Recorder()
    assert len(decide_all(track, times, clf)) == len(times)
    assert clf.seen[-1] is track
    assert len(decide_all(iter(skeletons), times, clf)) == len(times)
    assert list(clf.seen[-1]) == list(skeletons)
