"""review_set counts the other arm's rep read small in a set that alternates sides: two counted
reps in a row on one side with a partial rep of the other side between them (side-on the pose
model barely follows the far arm; a short pull of it reads a fifth of a usual rep's range).
From OTHER_SIDE_LONG (0.3x) a usual rep's time, where count_shallow_reps asks 0.5x of any partial."""

from __future__ import annotations

from deepfit_coach.counting.review import count_other_side_rep, review_set
from deepfit_coach.events import RepInfo


def rep(t0: float, t1: float, rom: float, side: str, partial: bool = False) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t1, side=side, rom_deg=rom, down_s=0.4 * (t1 - t0),
                   up_s=0.6 * (t1 - t0), issues=["short_range"] if partial else [], partial=partial)


def alternating(sides: str) -> list[RepInfo]:
    """3 s reps of range 0.3 from 3.0 s, one per letter (l / r / b), a 3.2 s step; "." is a rep
    the counter missed (a hole 12.6-15.6 s in "lrl.lr")."""
    name = {"l": "left", "r": "right", "b": "both"}
    return [rep(3.0 + 3.2 * k, 6.0 + 3.2 * k, 0.3, name[c]) for k, c in enumerate(sides) if c != "."]


def test_the_far_arms_short_pull_between_two_reps_of_the_other_arm_counts():
    reps = alternating("lrl.lr")                      # the second r (12.6-15.6) was read small
    far = rep(12.8, 14.1, 0.057, "right", True)       # 0.43x the usual time, 0.19x the range
    out, partials = review_set(reps, [far])
    assert len(out) == 6 and partials == []
    assert [r.side for r in out] == ["left", "right", "left", "right", "left", "right"]
    assert not out[3].partial and out[3].issues == ["short_range"] and [r.index for r in out] == list(range(1, 7))


def test_without_the_broken_alternation_the_partial_stays_partial():
    p = rep(12.8, 14.1, 0.057, "right", True)
    for sides in ("lrr.lr",    # neighbours on different sides
                  "lll.ll",    # one arm only: the other arm's jitter is no rep
                  "bbb.bb"):   # both arms together
        reps = alternating(sides)
        out, partials = review_set(reps, [p])
        assert len(out) == len(reps) and partials == [p], sides


def test_a_set_whose_sides_come_in_blocks_does_not_alternate():
    """Both arms at once (or one arm, then the other): the arm further toward the turn flips
    between the two now and then, so the counted reps hold both sides without alternating. A
    flicker of the other side between two reps of one side is no missed rep there (eval_tune16
    tricep_extensions_front_0, both arms facing the camera: 9 for 6; pool eval_tune5
    dumbbell_rows_front_1: 9 for 8)."""
    p = rep(12.8, 14.1, 0.057, "right", True)
    reps = alternating("lll.llrrr")                    # one switch in seven reps
    out, partials = review_set(reps, [p])
    assert len(out) == len(reps) and partials == [p]
    reps = alternating("lrl.lrlr")                     # the same gap in a set that alternates
    out, partials = review_set(reps, [p])
    assert len(out) == len(reps) + 1 and partials == []


def test_the_same_side_a_quick_one_or_a_tiny_one_stays_partial():
    reps = alternating("lrl.lr")
    for p in [rep(12.8, 13.5, 0.057, "right", True),   # 0.23x the usual time: a piece, no rep
              rep(12.8, 14.1, 0.03, "right", True)]:   # 0.1x the range
        out, partials = review_set(reps, [p])
        assert len(out) == 5 and partials == [p], p
    # the same side as its neighbours is not the other arm's rep; the whole review counts it all the
    # same, 0.43x a usual rep where the hole has room for one (count_shallow_reps, SHALLOW_ROOM)
    same = rep(12.8, 14.1, 0.057, "left", True)
    out, partials = count_other_side_rep(reps, [same])
    assert len(out) == 5 and partials == [same]
    assert len(review_set(reps, [same])[0]) == 6


def test_one_partial_per_gap_the_biggest():
    reps = alternating("lrl.lr")
    a, b = rep(12.7, 13.8, 0.05, "right", True), rep(13.9, 15.1, 0.07, "right", True)
    out, partials = review_set(reps, [a, b])
    assert len(out) == 6 and partials == [a] and out[3].rom_deg == 0.07


def test_not_at_a_sets_edge():
    reps = alternating("lrlr")
    before, after = rep(0.5, 2.0, 0.06, "left", True), rep(16.0, 17.5, 0.06, "left", True)
    out, partials = review_set(reps, [before, after])
    assert len(out) == 4 and len(partials) == 2
