"""The counter alone on generated signals: uneven tempo, pauses, depth and noise."""

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deepfit_coach.counting.counter import RepCounter
from deepfit_coach.exercises import get_exercise
from deepfit_coach.exercises.catalogue import parse_exercise

# The counter's logic on a knee-angle trace (degrees): squats counted on the knee angle, as a
# custom exercise would define them (the shipped squats count the hips' drop in the picture).
KNEE = parse_exercise({
    "name": "knee_squats",
    "signals": {"knee": {"angle": ["{side}_hip", "{side}_knee", "{side}_ankle"], "source": "world", "side": "both"}},
    "counting": {"signal": "knee", "start": 170, "turn": 80, "start_gate": 145, "turn_gate": 150, "min_rom": 12,
                 "first_rom": 30, "partial_below": 0.15, "rep_duration": [0.5, 10]},
}).counting


def signal(reps: list[tuple[float, float, float]], start: float, fps: float, noise: float, seed: int,
           lead_in: float = 1.0, tail: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Angle trace: rest, then reps of (duration_s, depth_degrees, pause_s), then rest."""
    rng = np.random.default_rng(seed)
    parts = [np.full(int(lead_in * fps), start)]
    for dur, depth, pause in reps:
        n = max(int(dur * fps), 4)
        phase = np.linspace(0, 1, n)
        parts.append(start - depth * 0.5 * (1 - np.cos(2 * math.pi * phase)))
        parts.append(np.full(int(pause * fps), start))
    parts.append(np.full(int(tail * fps), start))
    v = np.concatenate(parts) + rng.normal(0, noise, sum(len(p) for p in parts))
    return np.arange(len(v)) / fps, v


# Reps of 0.9 s and more: a set's first rep must take 0.5 s from leaving the start to half way back
# (rep_duration), and a 0.8-0.875 s rep of the least depth reads just under it with some noise draws
# (single reps of 55 deg: 2, 1, 1 of 300 seeds at 0.8, 0.85, 0.875 s; none from 0.9 s), by design:
# quicker reps count once the set's own reps show that pace (tests/test_quick_reps.py)
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0.9, 4.0), st.floats(55, 100), st.floats(0.0, 1.5)), min_size=1, max_size=12),
       st.integers(0, 10_000))
@example([(1.0, 55.0, 0.0)], 708)  # jitter before the first rep once kept restarting the start hold
def test_counts_every_rep_despite_uneven_tempo_depth_and_pauses(reps, seed):
    spec = KNEE
    t, v = signal(reps, 170.0, 30.0, 1.5, seed)
    c = RepCounter(spec)
    cycles = [c.update(float(x), float(ti), "both", True) for ti, x in zip(t, v)]
    full = [x for x in cycles if x is not None and x.full]
    assert len(full) == len(reps)


def test_shallow_reps_among_deep_ones_are_partial_and_small_wobbles_nothing():
    spec = KNEE
    partial = 0.5 * (0.5 * spec.min_rom + min(spec.min_rom, spec.partial_below * 90))  # below both limits
    reps = [(2.0, 90, 0.3), (2.0, 90, 0.3), (2.0, partial, 0.3), (2.0, 90, 0.3), (1.5, 0.3 * spec.min_rom, 0.3)]
    t, v = signal(reps, 170.0, 30.0, 0.3, 1)
    c = RepCounter(spec)
    out = [c.update(float(x), float(ti), "both", True) for ti, x in zip(t, v)]
    cycles = [x for x in out if x is not None]
    assert [x.full for x in cycles] == [True, True, False, True]


def test_a_set_starts_with_a_full_size_rep_then_smaller_ones_count():
    """``first_rom``: a lone small knee bend is no squat (a stray movement in a rest), but
    the same depth after real squats is a shallow squat, counted (and flagged by form)."""
    spec = KNEE
    small = 0.5 * (spec.min_rom + spec.first_rom)
    assert spec.min_rom < small < spec.first_rom
    t, v = signal([(2.0, small, 0.5), (2.0, 80, 0.5), (2.0, 80, 0.5), (2.0, small, 0.5)], 170.0, 30.0, 0.3, 3)
    c = RepCounter(spec)
    cycles = [x for x in (c.update(float(x), float(ti), "both", True) for ti, x in zip(t, v)) if x is not None]
    assert [x.full for x in cycles] == [False, True, True, True]


def test_a_glitch_of_a_frame_or_two_is_not_a_return():
    """The pose model sometimes throws a limb back for a frame or two mid-rep (a left-right
    mix-up): the return must last ``return_hold_s`` to end the rep."""
    spec = KNEE
    t, v = signal([(3.0, 90, 0.5)] * 2, 170.0, 30.0, 0.3, 4)
    bottom = int(30 * 1.0 + 45)  # the first rep's bottom
    v[bottom:bottom + 2] = 170.0  # two frames (67 ms) back at the top
    c = RepCounter(spec)
    cycles = [x for x in (c.update(float(x), float(ti), "both", True) for ti, x in zip(t, v)) if x is not None]
    assert [x.full for x in cycles] == [True, True]


def test_settling_into_the_start_position_is_not_a_rep():
    """Right after the body comes into position (e.g. weights brought up to the shoulders
    and overshooting), the movement is the set-up until the start is held ``start_hold_s``."""
    spec = KNEE
    fps = 30.0
    away = np.full(int(0.5 * fps), 170.0)   # not yet in position (ok=False): coming into it
    settle = 170.0 - 40 * np.sin(np.linspace(0, math.pi, int(0.7 * fps)))  # a 40 deg dip at once, no hold
    t, v = signal([(2.0, 80, 0.5)] * 2, 170.0, fps, 0.3, 5, lead_in=0.5)
    v = np.concatenate([away, settle, v])
    t = np.arange(len(v)) / fps
    ok = np.arange(len(v)) >= len(away)
    c = RepCounter(spec)
    cycles = [x for x in (c.update(float(x), float(ti), "both", bool(o)) for ti, x, o in zip(t, v, ok)) if x is not None]
    assert [x.full for x in cycles] == [True, True]
    c2 = RepCounter(spec, start_hold_s=0.0)  # without the hold the set-up would count
    n = sum(bool(x and x.full) for x in (c2.update(float(x), float(ti), "both", bool(o)) for ti, x, o in zip(t, v, ok)))
    assert n == 3


def test_a_clip_cut_to_the_set_counts_its_first_and_last_reps():
    """A clip that starts as the first rep starts (the body at the start position from its first
    frame, moving at once) and ends as the last rep gets back: both reps count. The start hold
    is for a body coming into position, and a rep seen back at its start when the stream ends was
    seen whole (``finish``). Tuning pool cut to [first rep start, last rep end]: given MAE 0.087 -> 0.052."""
    fps = 15.0
    t, v = signal([(1.5, 80, 0.2)] * 4, 170.0, fps, 0.3, 3, lead_in=0.0, tail=0.0)

    def run() -> list[bool]:
        c, full = RepCounter(KNEE), []
        for ti, x in zip(t, v):
            cycle = c.update(float(x), float(ti), "both", True)
            if cycle is not None:
                full.append(cycle.full)
            if len(full) == 3 and c.returning:
                break   # the clip ends on the first frame the last rep is back
        end = c.finish()
        assert c.finish() is None   # judged once
        return full + ([end.full] if end is not None else [])

    assert run() == [True] * 4
    # a body coming into position (out of position for the clip's first 0.5 s, then moving at
    # once) still holds the start first: test_settling_into_the_start_position_is_not_a_rep


def test_out_of_position_mid_rep_abandons_it():
    spec = KNEE
    t, v = signal([(2.0, 90, 0.5)] * 3, 170.0, 30.0, 0.5, 2)
    c = RepCounter(spec)
    n = 0
    for i, (ti, x) in enumerate(zip(t, v)):
        hidden = 30 + 75 < i < 30 + 75 + 40  # the middle rep's bottom half is out of position
        cyc = c.update(float(x), float(ti), "both", not hidden)
        n += bool(cyc and cyc.full)
    assert n == 2


def _count_with_body_lost(lost_s: float) -> int:
    """Three 3 s reps; the pose model loses the body around the middle rep's bottom."""
    fps = 30.0
    t, v = signal([(3.0, 90, 0.5)] * 3, 170.0, fps, 0.5, 6)
    bottom = int(fps * (1.0 + 3.5 + 1.5))
    c = RepCounter(KNEE)
    n = 0
    for i, (ti, x) in enumerate(zip(t, v)):
        lost = abs(i - bottom) <= lost_s * fps / 2
        cyc = c.update(math.nan if lost else float(x), float(ti), "both", not lost, seen=not lost)
        n += bool(cyc and cyc.full)
    return n


def test_the_body_lost_from_sight_at_the_bottom_of_a_rep_does_not_abandon_it():
    """Push-ups facing the camera: the pose model loses the person at the bottom of most
    reps for 0.5-1.5 s. Seen leaving the start and coming back, the rep counts; out of
    sight for longer than ``lost_tolerance_s`` it does not (walked off)."""
    assert _count_with_body_lost(1.5) == 3
    assert _count_with_body_lost(2.6) == 2


def test_a_rep_lasting_the_minimum_duration_to_the_millisecond_counts():
    """Frame times are whole milliseconds (7.733 - 7.333 s is not >= 0.4 in floating point)."""
    spec = get_exercise("lateral_shoulder_raises").counting
    fps = 15.0
    c = RepCounter(spec)
    start, top = spec.start, spec.turn
    mid = 0.5 * (start + top)
    frames = [start] * 16 + [mid, top, top, top, top, mid, start] + [start] * 10  # 6 frames away: 0.4 s
    cycles = []
    for i, x in enumerate(frames):
        ti = round(1000 * (6.3333 + i / fps)) / 1000.0   # 7.333 s at the start, back at 7.733 s
        cyc = c.update(x, ti, "both", True)
        if cyc is not None:
            cycles.append(cyc)
    assert [x.full for x in cycles] == [True], [x.reason for x in cycles]


def _full_reps(values: np.ndarray, fps: float = 30.0) -> int:
    c = RepCounter(KNEE)
    n = 0
    for i, x in enumerate(values):
        cyc = c.update(float(x), i / fps, "both", bool(x == x))
        n += cyc is not None and cyc.full
    return n


def test_a_rep_back_at_the_start_just_before_the_body_is_lost_counts():
    """Seen whole (down and back up), then out of view before the return was held for
    ``return_hold_s``: the rep happened and is counted; losing the body mid-rep is not."""
    _, v = signal([(2.0, 90, 0.0), (2.0, 90, 0.0)], 170.0, 30.0, 0.0, 0, tail=0.0)
    lost = np.full(30, np.nan)
    bottom = 30 + 60 + 30       # the bottom of the second rep
    back = bottom + int(np.argmax(v[bottom:] >= 170.0 - 0.4 * 90))  # most of the way back up
    assert _full_reps(np.concatenate([v[:back + 2], lost])) == 2
    assert _full_reps(np.concatenate([v[:bottom], lost])) == 1


def test_an_exercises_longer_return_hold_starts_with_the_first_rep():
    """A return held longer (lunges: the legs fold together for a few frames at the bottom) is
    only asked for once a rep is counted: before it, quick steps walking in would be joined
    into one slow 'rep' that is no longer too fast to count."""
    import dataclasses

    spec = dataclasses.replace(KNEE, return_hold_s=0.3)
    c = RepCounter(spec)
    assert c.return_hold == 0.12
    t, v = signal([(2.0, 90, 0.5)], 170.0, 30.0, 0.0, 0)
    full = [x for x in (c.update(float(a), float(b), "both", True) for b, a in zip(t, v)) if x is not None and x.full]
    assert len(full) == 1 and c.return_hold == 0.3
    # mid-rep, a dip back toward the start lasting 0.2 s no longer ends the rep
    t0 = float(t[-1]) + 1 / 30
    trace = [170.0] * 15 + list(np.linspace(170, 80, 20)) + [150.0] * 6 + [80.0] * 10 + list(np.linspace(80, 170, 20)) + [170.0] * 15
    out = [c.update(x, t0 + k / 30, "both", True) for k, x in enumerate(trace)]
    assert len([x for x in out if x is not None and x.full]) == 1


def test_a_start_level_drifting_past_the_leave_line_does_not_stall_the_first_rep():
    """The arms hanging a little higher than their lowest reading (a 0.11 drift, just past
    leave_start x min_rom) for longer than the exercise's longest rep, then a brisk jack: the
    rep's clock starts when the signal comes away from the start, so the jack counts (it
    was abandoned as stalled, fresh5 jumping_jacks_front_1's first rep)."""
    spec = get_exercise("jumping_jacks").counting
    fps = 15.0
    low = np.full(int(1.0 * fps), -1.0)
    drift = np.full(int(1.2 * spec.max_rep_s * fps), -1.0 + 0.32 * spec.min_rom)   # past the 0.3 leave line
    jack = -1.0 + 1.8 * 0.5 * (1 - np.cos(2 * math.pi * np.linspace(0, 1, int(1.2 * fps))))
    rest = np.full(int(1.0 * fps), -1.0)
    v = np.concatenate([low, drift, jack, rest])
    t = np.arange(len(v)) / fps
    c = RepCounter(spec)
    cycles = [x for x in (c.update(float(x), float(ti), "both", True) for ti, x in zip(t, v)) if x is not None]
    assert [x.full for x in cycles] == [True]
    assert cycles[0].t_turn > (len(low) + len(drift)) / fps


def test_a_rep_begins_where_the_body_leaves_its_resting_level_not_the_clips_first_frames():
    """QA pass 4: standing fully straight for half a second, then 2 s a few degrees off that
    (a knee not quite straight), then the first squat: the rep was timed from the first frames (its
    down time 2.9 s, truly 1.1 s). A slow descent from the start level still begins where it began."""
    spec = KNEE
    fps, rng = 30.0, np.random.default_rng(3)
    lead = np.concatenate([np.full(15, 170.0), np.full(60, 170.0 - 0.33 * spec.min_rom)])   # 0.5 s, then 2 s off
    down, up = 170.0 - 90 * np.sin(np.linspace(0, math.pi / 2, 33)), 80 + 90 * np.sin(np.linspace(0, math.pi / 2, 36))
    v = np.concatenate([lead, down, up, np.full(30, 170.0)]) + rng.normal(0, 0.02 * spec.min_rom, 174)
    c = RepCounter(spec)
    cycles = [c.update(float(x), i / fps, "both", True) for i, x in enumerate(v)]
    (rep,) = [x for x in cycles if x is not None and x.full]
    assert abs(rep.t_start - 75 / fps) <= 0.1, rep   # 2.5 s: where the descent begins
    assert abs((rep.t_turn - rep.t_start) - 1.1) <= 0.15, rep

    slow = np.concatenate([np.full(30, 170.0), 170.0 - 90 * np.sin(np.linspace(0, math.pi / 2, 90)),
                           np.linspace(80, 170, 40), np.full(30, 170.0)])   # 3 s down from a standstill
    c = RepCounter(spec)
    cycles = [c.update(float(x), i / fps, "both", True) for i, x in enumerate(slow)]
    (rep,) = [x for x in cycles if x is not None and x.full]
    assert abs(rep.t_start - 30 / fps) <= 0.2, rep
