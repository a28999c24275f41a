"""``analyze`` tracks a window in one pass (``track_segment``: the smoothing shared through
``ClipFrames``, the signals of all frames at once by ``SignalExtractor.compute_many``, the
body parts out of view by ``missing_many``); it must give exactly what the live tracker
gives frame by frame (``ExerciseTracker.update``), for every exercise, on stored pose-model
output with frames where nobody was found."""

import math

import numpy as np
import pytest

import stored_poses
from deepfit_coach.analysis import ClipFrames, track_segment
from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.counting.tracker import ExerciseTracker, FrameSmoother
from deepfit_coach.events import FormEvent
from deepfit_coach.exercises import load_catalogue, parse_exercise

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def pushups():
    # head-on push-ups with 40 frames where nobody was found (the lost path, the smoothing restarting)
    return stored_poses.clip(stored_poses.load("auto_pick_poses.npz"), "pushups")


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _framewise(spec, skeletons, times, lo, hi):
    """The live tracker, frame by frame, over [lo, hi] (what ``track_segment`` did before). As
    there, only the clip's first frame starts a stream and only its last ends one (the counter's
    clip edges: ``edge_s``, ``flush``)."""
    from deepfit_coach.counting.review import review_set

    tr = ExerciseTracker(spec, record=True)
    if lo > times[0]:
        tr.counter.edge_s = -1.0
    cues = []
    for skel, t in zip(skeletons, times):
        if lo <= t <= hi:
            cues += [repr(e) for e in tr.update(skel, t) if isinstance(e, FormEvent)]
    if hi >= times[-1]:
        cues += [repr(e) for e in tr.flush(times[-1]) if isinstance(e, FormEvent)]
    tr.form.review()
    reps, partials = review_set(list(tr.rep_log), list(tr.partial_log))
    return ([r.to_dict() for r in reps], [r.to_dict() for r in partials], cues,
            [(p.t_s, p.value, p.phase) for p in tr.trace], tr.reps)


def _batched(seg):
    return ([r.to_dict() for r in seg.reps], [r.to_dict() for r in seg.partial], [repr(c) for c in seg.cues],
            [(p.t_s, p.value, p.phase) for p in seg.trace], seg.live_reps)


def _smoothed(skeletons, times):
    sm = FrameSmoother()
    return [sm(s, t) for s, t in zip(skeletons, times) if s is not None]


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_signals_of_a_window_at_once_equal_frame_by_frame(name, pushups):
    skeletons, times = pushups
    frames = _smoothed(skeletons, times)
    one, many = SignalExtractor(CATALOGUE.get(name)), SignalExtractor(CATALOGUE.get(name))
    stack = [np.array([getattr(f, k) for f in frames]) for k in ("pixels", "world", "vis", "seen")]
    values, used = many.compute_many(*stack)
    assert len(values) == len(frames) > 200
    for f, v, u in zip(frames, values, used):
        v1, u1, _ = one.compute(f.pixels, f.world, f.vis, f.seen)
        assert _same(v, v1) and u == u1
    tr = ExerciseTracker(CATALOGUE.get(name))
    assert tr.missing_many(stack[2]) == [tr.missing_parts(f.vis) for f in frames]


def test_best_side_and_travel_carry_on_across_calls(pushups):
    """The sticky 'best' side (no built-in exercise uses it) and a travel signal keep their state
    from one ``compute_many`` call to the next, as from frame to frame."""
    spec = parse_exercise({"name": "probe", "signals": {
        "elbow": {"angle": ["{side}_shoulder", "{side}_elbow", "{side}_wrist"], "side": "best"},
        "wrist_up": {"distance": ["{side}_wrist", "{side}_shoulder"], "axis": "y", "signed": True, "side": "best"},
        "hip_travel": {"travel": "mid_hip", "axis": "x"}},
        "counting": {"signal": "elbow", "start": 160, "turn": 60, "min_rom": 30}})
    skeletons, times = pushups
    frames = _smoothed(skeletons, times)
    one, many = SignalExtractor(spec), SignalExtractor(spec)
    got_values, got_used = [], []
    for a, b in ((0, 7), (7, 120), (120, len(frames))):
        part = frames[a:b]
        v, u = many.compute_many(*[np.array([getattr(f, k) for f in part]) for k in ("pixels", "world", "vis", "seen")])
        got_values += v
        got_used += u
    sides = set()
    for f, v, u in zip(frames, got_values, got_used):
        v1, u1, _ = one.compute(f.pixels, f.world, f.vis, f.seen)
        assert _same(v, v1) and u == u1
        sides.add(u["elbow"])
    assert sides == {"left", "right"}    # the best side changed on the way


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_track_segment_equals_the_live_tracker(name, pushups, monkeypatch):
    """Whole clip, and windows sharing one ``ClipFrames`` in an order where a later window
    reuses (and extends) smoothing begun by an earlier one; a tracker of its own measures the
    window in chunks (a few here), carrying the smoothing and the signals' state across them."""
    import deepfit_coach.analysis as analysis

    monkeypatch.setattr(analysis, "CHUNK", 37)
    skeletons, times = pushups
    spec = CATALOGUE.get(name)
    clip = ClipFrames(skeletons, times)
    t0, t1 = times[0], times[-1]
    mid = times[len(times) // 2]
    for lo, hi in ((t0, mid), (t0, t1), (times[30], t1)):
        shared = track_segment(spec, skeletons, times, lo, hi, record=True, clip=clip)
        alone = track_segment(spec, skeletons, times, lo, hi, record=True)
        assert _same(_batched(shared), _batched(alone))
        assert _same(_batched(alone), _framewise(spec, skeletons, times, lo, hi))


def test_a_window_that_is_not_one_run_of_frames(pushups):
    """Times that jump back (a recording glued together): the window's frames are not one run of
    frames, and are smoothed on their own, in order, as the live tracker would see them."""
    skeletons, times = pushups
    times = list(times)
    for i in range(50, 60):
        times[i] -= 3.0        # before the window below starts: left out of it
    spec = CATALOGUE.get("pushups")
    clip = ClipFrames(skeletons, times)
    lo, hi = times[40], times[120]
    assert len(clip.window(lo, hi)) < 81
    alone = track_segment(spec, skeletons, times, lo, hi, record=True)
    assert _same(_batched(alone), _framewise(spec, skeletons, times, lo, hi))
    track_segment(spec, skeletons, times, times[40], times[49], clip=clip)   # a run that starts there
    shared = track_segment(spec, skeletons, times, lo, hi, record=True, clip=clip)
    assert _same(_batched(shared), _framewise(spec, skeletons, times, lo, hi))
