"""review_set joins one rep read twice in an alternating set: side-on alternating rows, the far
arm's pull flickers back mid-rep in the pose model and the counter counts two pulls of that arm in a
row, each with nearly the whole range (so neither is a ``split_piece``), one much shorter than a
usual rep (evalp20_tune dumbbell_rows_side_0: 13.2-14.1 + 14.2-16.3 s for the right arm's pull
12.6-15.9, between left-arm pulls). Only where the set alternates and the two last about one usual
rep together: a one-arm set's quick rep, or two usual-length reps of one arm, stay as they are."""

from __future__ import annotations

from deepfit_coach.counting.review import LiveReps, review_set
from deepfit_coach.events import RepInfo


def rep(t0: float, t1: float, side: str, rom: float = 0.27) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t1, side=side, rom_deg=rom, down_s=0.4 * (t1 - t0),
                   up_s=0.6 * (t1 - t0))


def alternating(pieces: list[RepInfo]) -> list[RepInfo]:
    """Left and right 3 s pulls, one every 3.3 s, ``pieces`` in place of the fourth."""
    sides = ("left", "right")
    return ([rep(3.3 * k, 3.3 * k + 3.0, sides[k % 2]) for k in range(3)] + pieces
            + [rep(3.3 * k, 3.3 * k + 3.0, sides[k % 2]) for k in range(4, 6)])


def test_one_pull_read_twice_in_an_alternating_set_is_one_rep():
    reps = alternating([rep(9.9, 10.8, "right"), rep(10.9, 12.9, "right", rom=0.23)])
    out, _ = review_set(reps, [])
    assert len(out) == 6 and [r.side for r in out] == ["left", "right"] * 3
    assert (out[3].start_s, out[3].end_s) == (9.9, 12.9)
    assert [r.index for r in out] == list(range(1, 7))


def test_two_usual_reps_of_one_arm_stay_two():
    reps = alternating([rep(9.9, 12.0, "right"), rep(12.1, 14.6, "right")])   # each ~ a usual rep
    assert len(review_set(reps, [])[0]) == 7


def test_a_one_arm_sets_quick_rep_stays():
    reps = [rep(3.3 * k, 3.3 * k + 3.0, "right") for k in range(3)]
    reps += [rep(9.9, 10.8, "right"), rep(10.9, 12.9, "right")] + [rep(3.3 * k, 3.3 * k + 3.0, "right")
                                                                 for k in range(4, 6)]
    assert len(review_set(reps, [])[0]) == 7      # not alternating: no side tells a rep was read twice


def test_live_count_joins_it_when_the_second_read_comes():
    # the coach says the count as reps come: the second read of the pull is no new number
    live = LiveReps()
    kinds = []
    for r in alternating([rep(9.9, 10.8, "right"), rep(10.9, 12.9, "right", rom=0.23)]):
        live.raw.append(r)
        kinds.append(live.add(r).kind)
    assert kinds == ["new", "new", "new", "new", "joined", "new", "new"]
    assert len(live.reps) == 6 and (live.reps[3].start_s, live.reps[3].end_s) == (9.9, 12.9)
