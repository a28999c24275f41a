"""``own_start`` (a signal option for side ``alternating``): each arm measured from its own hang.
At 45 degrees the pose model reads the far arm's hang nearer the turn than the near arm's, and the
more extreme side then sits on the far arm's hang between an alternating set's reps."""

import dataclasses

import numpy as np
import pytest

import stored_poses
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.signals import SignalExtractor, _OwnStart
from deepfit_coach.counting.tracker import FrameSmoother
from deepfit_coach.exercises import get_exercise, parse_exercise
from deepfit_coach.yamlfile import YamlValidationError

# eval45_tune3 dumbbell_rows_45_1 (camera at 45 deg, alternating arms, 5 of 8 reps with a rounded
# back; MediaPipe at confidence 0.5): the true reps (s) and arms
TRUTH_45 = [(3.27, 5.67, "right"), (6.07, 8.47, "left"), (8.87, 11.87, "right"), (12.27, 14.67, "left"),
            (15.07, 17.67, "right"), (17.8, 20.27, "left"), (20.4, 22.93, "right"), (23.33, 25.67, "left")]


def _plain(spec):
    """The rows spec with the counting variant's signal without own_start."""
    sig = spec.counting.variant.signal
    plain = dataclasses.replace(sig, own_start=None)
    signals = {k: (plain if k == sig.name else s) for k, s in spec.signals.items()}
    return dataclasses.replace(spec, signals=signals, counting=dataclasses.replace(
        spec.counting, variant=dataclasses.replace(spec.counting.variant, signal=plain)))


def test_rows_at_45_degrees_alternating_count_each_arm_from_its_own_hang():
    """The far (right) elbow hangs at ~0.47 upper-body sizes below the shoulder, the near one at
    ~0.65: measured as they are, the far arm's hang is 'more pulled' than the near arm's, the
    signal never returns between two reps and 8 reps read 6 (7 with review's count_other_side_rep,
    which takes one far-arm rep left partial between two near-arm ones back); from each arm's own
    hang, 8."""
    spec = get_exercise("dumbbell_rows")
    sk, t = stored_poses.clip(stored_poses.load("rows_45_alternating_poses.npz"), "rows_45_alt")
    seg = track_segment(spec, sk, t, t[0], t[-1])
    assert seg.signal == "elbow_rise"
    assert len(seg.reps) == 8, [(r.start_s, r.end_s) for r in seg.reps]
    for (a, b, side), r in zip(TRUTH_45, seg.reps):
        assert r.start_s < b and r.end_s > a and r.side == side, (a, b, side, r.start_s, r.end_s, r.side)
    assert len(track_segment(_plain(spec), sk, t, t[0], t[-1]).reps) == 7


def _arms(offset: float, n: int = 200):
    """Two arms taking turns (elbow_rise: hang 0.65, pull 0.35, direction -1); the right arm's
    values read ``offset`` nearer the turn throughout."""
    left, right = [], []
    for i in range(n):
        phase = (i // 15) % 4            # left pulls, hang, right pulls, hang
        left.append(0.35 if phase == 0 else 0.65)
        right.append((0.35 if phase == 2 else 0.65) - offset)
    return left, right


def test_a_side_read_apart_is_moved_to_the_other_sides_hang():
    own = _OwnStart(90)
    out = [own.update(a, b, -1.0) for a, b in zip(*_arms(0.18))]
    late = out[120:]
    assert {round(a, 6) for a, _ in late} == {0.35, 0.65}       # the near arm as it was
    assert {round(b, 6) for _, b in late} == {0.33, 0.63}       # the far arm moved by 0.18 - 0.02:
    # just short of the near arm's hang, so a resting arm's jitter is not taken there


@pytest.mark.parametrize("offset,moved", [(0.03, 0.0), (0.06, 0.0), (0.075, 0.0275), (0.09, 0.07), (0.15, 0.13)])
def test_sides_read_alike_stay_as_they_are_with_a_ramp_between(offset, moved):
    own = _OwnStart(90)
    out = [own.update(a, b, -1.0) for a, b in zip(*_arms(offset))]
    hang = max(b for _, b in out[120:])
    assert hang == pytest.approx(0.65 - offset + moved)


def test_a_side_not_measured_stays_unmeasured_and_out_of_the_window():
    own = _OwnStart(90)
    for a, b in zip(*_arms(0.18, 120)):
        own.update(a, b, -1.0)
    a, b = own.update(0.65, float("nan"), -1.0)
    assert a == 0.65 and b != b
    assert len(own.sides[0].recent) == 90 and len(own.sides[1].recent) == 90
    own.reset()   # a new set: no level until a third of the window is seen
    assert [own.update(0.65, 0.47, -1.0) for _ in range(29)][-1] == (0.65, 0.47)
    assert own.update(0.65, 0.47, -1.0) == pytest.approx((0.65, 0.63))


def test_frame_by_frame_equals_a_window_at_once():
    spec = get_exercise("dumbbell_rows")
    sk, t = stored_poses.clip(stored_poses.load("rows_45_alternating_poses.npz"), "rows_45_alt")
    sm = FrameSmoother()
    frames = [sm(s, ts) for s, ts in zip(sk, t) if s is not None]
    px = np.array([f.pixels for f in frames])
    world = np.array([f.world for f in frames])
    vis = np.array([f.vis for f in frames])
    seen = np.array([f.seen for f in frames])
    times = [ts for s, ts in zip(sk, t) if s is not None]
    for clock in (None, times):   # without times the windows as at 15 fps; with them, at the clip's rate
        one, many = SignalExtractor(spec), SignalExtractor(spec)
        want = [one.compute(px[i], world[i], vis[i], seen[i], clock and clock[i])[0]["elbow_rise"]
                for i in range(len(frames))]
        got = []
        for a, b in ((0, 50), (50, 51), (51, len(frames))):
            got += [v["elbow_rise"] for v in many.compute_many(px[a:b], world[a:b], vis[a:b], seen[a:b],
                                                               clock and clock[a:b])[0]]
        assert got == want
    plain = SignalExtractor(_plain(spec))
    raw = [plain.compute(px[i], world[i], vis[i], seen[i])[0]["elbow_rise"] for i in range(len(frames))]
    assert sum(abs(g - r) > 0.05 for g, r in zip(got, raw)) > 50     # the far arm was moved


def test_own_start_only_for_alternating_sides():
    bad = {"name": "x", "signals": {"a": {"angle": ["{side}_shoulder", "{side}_elbow", "{side}_wrist"],
                                          "side": "min", "own_start": 6}},
           "counting": {"signal": "a", "start": 170, "turn": 90, "min_rom": 10}}
    with pytest.raises(YamlValidationError, match="own_start measures each side"):
        parse_exercise(bad)
    bad["signals"]["a"]["side"] = "alternating"
    assert parse_exercise(bad).signals["a"].own_start == 6.0
    bad["signals"]["a"]["own_start"] = 1.5
    assert parse_exercise(bad).signals["a"].own_start == 1.5
    bad["signals"]["a"]["own_start"] = 90   # frames, as it was once given: 90 s is no window
    with pytest.raises(YamlValidationError, match="own_start is a number of seconds"):
        parse_exercise(bad)


def _short_range_fires(values: dict) -> bool:
    rule = next(r for r in get_exercise("dumbbell_rows").form if r.name == "short_range")
    return bool(rule.when(values))


@pytest.mark.parametrize("facing,fault", [(0.65, False), (1.1, True), (0.1, True)])
def test_rows_absolute_short_range_is_not_judged_at_45_degrees(facing, fault):
    """A full pull of the far arm at 45 deg rises only ~0.12 upper-body sizes in the picture; the
    same small range facing the camera or side-on is a short pull."""
    values = {"rom": 0.12, "relative_rom": 0.6, "elbow": 100.0, "elbow_change": -40.0, "elbow_drop_dev": 0.0,
              "facing": facing}
    assert _short_range_fires(values) == fault
