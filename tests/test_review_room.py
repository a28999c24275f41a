"""A short partial rep where the counted reps either side leave room for a whole rep is a rep the
count missed (review.count_shallow_reps, SHALLOW_ROOM_LONG / SHALLOW_ROOM), and rows' put-down
after the set is no rep (``put_down``, review.last_rep_put_down) - together on one set.

Real poses: tests/data/rows_room_poses.npz = pool eval_tune4 dumbbell_rows_front_0, 4.7-17.5 s
(recovered cache, MediaPipe at 0.5). Truth reps in the window (clip time - 4.7): 0.57-2.03,
2.03-3.77, 3.77-5.23, 5.50-7.03 (a short pull, short_range), 7.03-8.63 (short_range), 9.03-10.77;
then the weights are put down. Facing the camera the pose model read the short pull at 5.5 s as
0.047 (the elbow in the picture; min_rom 0.065, the usual pull 0.32) over 0.67 s: a partial rep
0.35x the usual rep's time, kept partial by the 0.5x rule, though the counted reps either side lie
1.53 s (0.8x a usual rep) apart. Counted before: the put-down 11.1-12.2 s in its place."""

from __future__ import annotations

import pytest

import stored_poses
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.review import review_set
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises import get_exercise

POSES = stored_poses.load("rows_room_poses.npz")


def test_the_short_pull_facing_the_camera_is_counted_and_the_put_down_is_not():
    sk, t = stored_poses.clip(POSES, "rows_front")
    seg = track_segment(get_exercise("dumbbell_rows"), sk, t, t[0], t[-1])
    spans = [(round(r.start_s, 2), round(r.end_s, 2)) for r in seg.reps]
    assert len(seg.reps) == 6, spans
    short = [r for r in seg.reps if 5.5 - 0.5 < r.start_s < 7.03]
    assert len(short) == 1 and "short_range" in short[0].issues, spans
    assert seg.reps[-1].end_s < 11.1, spans          # the put-down stays partial
    assert any(p.start_s >= 11.0 for p in seg.partial)


def rep(t0: float, dur: float = 2.0, rom: float = 0.3, partial: bool = False) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t0 + dur, side="left", rom_deg=rom, down_s=dur / 2,
                   up_s=dur / 2, partial=partial)


def counted(reps, partials):
    return [r.start_s for r in review_set(reps, partials)[0]]


def test_a_short_partial_with_room_for_a_rep_is_counted():
    # usual rep 2.0 s; the reps either side of the partial 1.8 s apart (0.9x): room for a rep
    reps = [rep(0.0), rep(2.2), rep(4.4), rep(8.2), rep(10.4)]
    p = rep(6.8, dur=0.7, rom=0.06, partial=True)   # 0.35x the time, 0.2x the range
    assert counted(reps, [p]) == [0.0, 2.2, 4.4, 6.8, 8.2, 10.4]


@pytest.mark.parametrize("reps, partials", [
    # the reps either side too close for a whole rep between them (1.2 s = 0.6x)
    ([rep(0.0), rep(2.2), rep(4.4), rep(7.6), rep(9.8)], [rep(6.5, dur=0.7, rom=0.06, partial=True)]),
    # room, but the partial too short (0.2x the usual time): a flicker
    ([rep(0.0), rep(2.2), rep(4.4), rep(8.2), rep(10.4)], [rep(6.8, dur=0.4, rom=0.06, partial=True)]),
    # room, but too small (< SHALLOW_ROM of the range)
    ([rep(0.0), rep(2.2), rep(4.4), rep(8.2), rep(10.4)], [rep(6.8, dur=0.7, rom=0.03, partial=True)]),
    # after the last counted rep: winding down, not a missed rep
    ([rep(0.0), rep(2.2), rep(4.4)], [rep(6.8, dur=0.7, rom=0.06, partial=True)]),
])
def test_kept_partial(reps, partials):
    assert len(review_set(reps, partials)[0]) == len(reps)


def test_one_rep_a_gap():
    """Two short partials in one gap are (at most) one missed rep: the larger is counted."""
    reps = [rep(0.0), rep(2.2), rep(4.4), rep(8.2), rep(10.4)]
    ps = [rep(6.5, dur=0.7, rom=0.05, partial=True), rep(7.3, dur=0.7, rom=0.08, partial=True)]
    out, partials = review_set(reps, ps)
    assert [r.start_s for r in out] == [0.0, 2.2, 4.4, 7.3, 8.2, 10.4]
    assert [p.start_s for p in partials] == [6.5]
