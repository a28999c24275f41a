"""review_set joins a rep broken at its turn: the pose model glitches at the far end of a rep
(side-on lunges: the legs read swapped or folded together at the bottom for a few frames), the
counter takes the glitch for the return, and the rest of the rep starts right after as another
rep. The first piece is no smaller than a usual rep (so not a ``split_piece``), but it came back
from its turn at once: in < BROKEN_UP (0.1) of a usual rep's time and < BROKEN_QUICK (0.5) of its
own way there, where a real rep's return takes about as long as its way there. Joined only when the two last about one usual rep together (one_rep_together),
so two real reps in a row, however quick the first one's return, stay two."""

from __future__ import annotations

from deepfit_coach.counting.review import LiveReps, review_set
from deepfit_coach.events import RepInfo


def rep(t0: float, t1: float, rom: float, up: float | None = None) -> RepInfo:
    up = 0.5 * (t1 - t0) if up is None else up
    return RepInfo(index=0, start_s=t0, end_s=t1, side="left", rom_deg=rom, down_s=t1 - t0 - up, up_s=up)


def usual_set(t0: float, n: int) -> list[RepInfo]:
    """``n`` 3 s reps of range 3.0, one every 3.3 s from ``t0``."""
    return [rep(t0 + 3.3 * k, t0 + 3.3 * k + 3.0, 3.0) for k in range(n)]


def test_a_rep_broken_at_its_turn_is_one_rep():
    # a lunge 3.2-6.9 s read as 3.2-4.2 (back 0.1 s after its turn) and 4.3-6.9 (eval_tune8 lunges_side_0)
    broken = [rep(3.2, 4.2, 3.0, up=0.1), rep(4.3, 6.9, 3.1, up=1.7)]
    out, partials = review_set(broken + usual_set(7.1, 5), [])
    assert len(out) == 6 and partials == []
    assert (out[0].start_s, out[0].end_s, out[0].rom_deg) == (3.2, 6.9, 3.1)
    assert abs(out[0].down_s + out[0].up_s - 3.7) < 1e-9
    assert [r.index for r in out] == list(range(1, 7))


def test_mid_set_too():
    reps = usual_set(0.0, 2) + [rep(6.6, 7.4, 3.1, up=0.1), rep(7.7, 9.6, 2.9, up=1.4)] + usual_set(9.9, 3)
    out, _ = review_set(reps, [])
    assert len(out) == 6 and (out[2].start_s, out[2].end_s) == (6.6, 9.6)


def test_two_real_reps_stay_two_however_quick_the_return():
    # back 0.1 s after the turn, but the next rep lasts a usual rep itself: together 2x a usual rep
    reps = [rep(3.0, 6.0, 3.0, up=0.1)] + usual_set(6.2, 5)
    out, _ = review_set(reps, [])
    assert len(out) == 6
    # a return of 0.4 s (0.13x the usual rep) is a rep's own: no join even when close together
    reps = [rep(3.2, 4.2, 3.0, up=0.4), rep(4.3, 6.9, 3.1)] + usual_set(7.1, 5)
    out, _ = review_set(reps, [])
    assert len(out) == 7
    # nor a quick rep quick both ways (down 0.25 s, back 0.2 s): not broken at its turn
    reps = [rep(3.2, 3.65, 3.0, up=0.2), rep(3.8, 6.9, 3.1)] + usual_set(7.1, 5)
    out, _ = review_set(reps, [])
    assert len(out) == 7


def test_live_count_joins_it_when_the_next_rep_comes():
    live = LiveReps()
    kinds = []
    for r in usual_set(0.0, 3) + [rep(9.9, 10.9, 3.0, up=0.1), rep(11.0, 13.6, 3.1)]:
        live.raw.append(r)
        kinds.append(live.add(r).kind)
    assert kinds == ["new", "new", "new", "new", "joined"]
    assert len(live.reps) == 4 and (live.reps[-1].start_s, live.reps[-1].end_s) == (9.9, 13.6)
