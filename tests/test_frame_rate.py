"""Frame-rate independence: the tuning clips are 15 fps, real videos mostly 30. A window given in
seconds (``own_start``, ``seen_gap``'s mean) spans the same time at either rate: the same
movement replayed at 15 fps and at 30 fps (whose every second frame is the 15-fps clip) reads
the same."""

import numpy as np
import pytest

import stored_poses
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.signals import FrameRate, SignalExtractor
from deepfit_coach.exercises import get_exercise
from deepfit_coach.skeleton import Skeleton
from test_oblique_view import _frames, _probe


def _rows_45(fps: int, slow: float) -> tuple[list[Skeleton], list[float]]:
    """eval45_tune3 dumbbell_rows_45_1 (MediaPipe at 0.5, alternating arms, 8 reps) played ``slow``
    times slower, at ``fps``: the stored 15-fps poses linearly interpolated to each frame's time
    (times in whole milliseconds, as a video's)."""
    d = stored_poses.load("rows_45_alternating_poses.npz")
    n = "rows_45_alt"
    w, h = (int(x) for x in d[n + "_size"])
    img, world = d[n + "_image"].astype(np.float64), d[n + "_world"].astype(np.float64)
    last = len(img) - 1
    sk, ts = [], []
    for k in range(int(last / 15 * slow * fps) + 1):
        x = k / fps / slow * 15            # position among the stored frames
        i = min(int(x), last - 1)
        f = x - i
        t_ms = int(round(k * 1000 / fps))
        sk.append(Skeleton(t_ms, (1 - f) * img[i] + f * img[i + 1], (1 - f) * world[i] + f * world[i + 1], w, h))
        ts.append(t_ms / 1000.0)
    return sk, ts


@pytest.mark.parametrize("slow", [1.0, 2.0])
def test_rows_own_start_counts_alike_at_15_and_30_fps(slow):
    """own_start's window is 6 s at either rate. In frames (90) it was 3 s at 30 fps: the rows
    clip played twice as slowly read 11 reps at 30 fps against 9 at 15 (and 1.5 times as slowly
    8 against 9)."""
    spec = get_exercise("dumbbell_rows")
    sk15, t15 = _rows_45(15, slow)
    sk30, t30 = _rows_45(30, slow)
    assert len(sk30[::2]) == len(sk15)   # every second frame at 30 fps: the 15-fps clip
    assert all(np.allclose(x.image, y.image) and x.timestamp_ms == y.timestamp_ms for x, y in zip(sk30[::2], sk15))
    a = track_segment(spec, sk15, t15, t15[0], t15[-1])
    b = track_segment(spec, sk30, t30, t30[0], t30[-1])
    assert a.signal == b.signal == "elbow_rise"
    assert len(a.reps) == len(b.reps), ([(r.start_s, r.end_s) for r in a.reps], [(r.start_s, r.end_s) for r in b.reps])
    assert [r.side for r in a.reps] == [r.side for r in b.reps]
    # each rep begins alike (the first one within 0.5 s: where the set-up ends)
    assert all(abs(x.start_s - y.start_s) < (0.5 if k == 0 else 0.2) for k, (x, y) in enumerate(zip(a.reps, b.reps)))
    if slow == 1.0:
        assert len(a.reps) == 8


def test_seen_gap_mean_is_over_seconds_not_frames():
    """The far arm seen 0.55 for 2 s, then 0.95 for 2 s, and so on: over 4 s its mean is 0.75,
    0.2 below the near arm's (seen_gap 0.15: left out throughout) - at 15 fps and at 30 fps alike.
    Over 60 frames at 30 fps (2 s) the mean swung from 0.55 to 0.95 and the far arm's misread
    tilt came and went."""
    def right_seen(fps: int) -> list[float]:
        return [0.55 if (k // (2 * fps)) % 2 == 0 else 0.95 for k in range(16 * fps)]

    tilts = {}
    for fps in (15, 30):
        seen = right_seen(fps)
        px, world, present, vis = _frames(seen)
        times = [round(k * 1000 / fps) / 1000 for k in range(len(seen))]
        ex = SignalExtractor(_probe(0.15))
        tilts[fps] = [v["tilt"] for v in ex.compute_many(px, world, present, vis, times)[0]]
        assert ex.rate.frame_s == pytest.approx(1 / fps)
    late15, late30 = tilts[15][4 * 15:], tilts[30][4 * 30::2]
    assert late15 == pytest.approx([5.0] * len(late15))    # the near arm's tilt, the far arm left out
    assert late30 == pytest.approx(late15)


def test_frame_rate_from_millisecond_times_and_gaps():
    for fps in (15, 25, 30, 60):
        rate = FrameRate()
        for k in range(100):
            if 40 <= k < 55:
                continue   # nobody seen for a while: no frame interval
            rate.add(round(k * 1000 / fps) / 1000)
        assert rate.frame_s == pytest.approx(1 / fps, rel=1e-3)
        assert rate.frames(4.0) == 4 * fps and rate.frames(6.0) == 6 * fps
    assert FrameRate().frames(6.0) == 90     # no times: as at the tuning clips' 15 fps
