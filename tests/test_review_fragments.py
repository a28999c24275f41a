"""review_set joins partial reps that are pieces of one rep the pose model lost the person
in (push-ups facing the camera): RepInfo lists as the tracker logs them."""

from __future__ import annotations

from deepfit_coach.counting.review import review_set
from deepfit_coach.events import RepInfo


def rep(t0: float, t1: float, rom: float, partial: bool = False, issues: list[str] | None = None) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t1, side="both", rom_deg=rom, down_s=0.4 * (t1 - t0),
                   up_s=0.6 * (t1 - t0), issues=issues or [], partial=partial)


def usual_set(gap_at: float) -> list[RepInfo]:
    """Seven 1.5 s reps of range 40 with a 1.8 s hole at ``gap_at``."""
    out, t = [], 1.0
    while len(out) < 7:
        if abs(t - gap_at) < 0.01:
            t += 1.8
        out.append(rep(t, t + 1.5, 40.0))
        t += 1.6
    return out


def test_fragments_between_reps_are_one_rep():
    reps = usual_set(gap_at=5.8)    # reps end 4.1 and 5.7, the next starts 7.6
    pieces = [rep(5.85, 6.1, 12.0, True, ["hips_sag"]), rep(6.3, 6.75, 30.0, True)]
    out, partials = review_set(reps, pieces)
    assert len(out) == 8 and partials == []
    joined = [r for r in out if r.start_s == 5.85][0]
    assert not joined.partial and joined.end_s == 6.75 and joined.rom_deg == 30.0
    assert joined.issues == [] and joined.unjudged == ["hips_sag"] and [r.index for r in out] == list(range(1, 9))


def test_what_is_not_a_rep_stays_partial():
    reps = usual_set(gap_at=5.8)
    cases = [
        [rep(5.85, 6.5, 30.0, True)],                                 # one partial (too quick for a shallow rep): the
                                                                      # counter judged it whole
        [rep(5.85, 6.1, 12.0, True), rep(6.3, 6.5, 10.0, True)],      # together far smaller than a usual rep
        [rep(5.85, 6.0, 30.0, True), rep(6.1, 6.3, 30.0, True)],      # together far quicker than a usual rep
        [rep(5.85, 6.1, 30.0, True), rep(6.9, 7.3, 30.0, True)],      # too far apart to be one movement
        [rep(0.1, 0.4, 30.0, True), rep(0.5, 0.95, 30.0, True)],      # before the set: setting up
        [rep(14.0, 14.3, 30.0, True), rep(14.4, 14.9, 30.0, True)],   # after the set: winding down
    ]
    for pieces in cases:
        out, partials = review_set(reps, pieces)
        assert len(out) == 7 and len(partials) == len(pieces), pieces


def test_no_usual_rep_no_join():
    """With fewer than three counted reps nothing is usual: rest-only clips stay at 0."""
    pieces = [rep(1.0, 1.3, 30.0, True), rep(1.4, 1.9, 30.0, True)]
    assert review_set([], pieces) == ([], pieces)
    two = [rep(0.0, 0.9, 30.0), rep(2.5, 3.4, 30.0)]
    out, _ = review_set(two, pieces)
    assert len(out) == 2


def test_a_shallow_rep_mid_set_counts():
    """A partial rep between two counted reps, taking about a usual rep's time, is a rep done
    shallow (a form fault, judged and kept on it); a flicker, a tiny movement, or a slow one at
    the set's edges stays partial."""
    reps = usual_set(gap_at=5.8)    # reps 1.5 s, range 40; a hole from 5.7 to 7.6
    out, partials = review_set(reps, [rep(5.9, 7.1, 12.0, True, ["half_rep"])])
    assert len(out) == 8 and partials == []
    shallow = [r for r in out if r.start_s == 5.9][0]
    assert not shallow.partial and shallow.issues == ["half_rep"] and [r.index for r in out] == list(range(1, 9))
    for p in [rep(5.9, 6.3, 12.0, True),      # a flicker: a quarter of a usual rep's time (from 0.3x
                                              # a partial counts where the hole has room for a rep)
              rep(5.9, 7.1, 4.0, True),       # a tenth of the usual range
              rep(0.0, 0.95, 12.0, True),     # before the first rep: setting up
              rep(14.5, 15.7, 12.0, True)]:   # after the last: winding down
        out, partials = review_set(reps, [p])
        assert len(out) == 7 and partials == [p], p


def test_a_shallow_rep_taking_half_a_usual_rep_counts():
    """Rows' far arm and head-on push-ups: true reps the counter kept partial lasted from 0.5x a
    usual rep (nine tuning sets, both pose realisations); 0.65x left them out."""
    reps = usual_set(gap_at=5.8)    # reps 1.5 s, range 40; a hole from 5.7 to 7.6
    out, partials = review_set(reps, [rep(6.0, 6.85, 12.0, True)])   # 0.57x the usual time
    assert len(out) == 8 and partials == []


def test_a_piece_nearly_a_usual_rep_long_joins_its_neighbour():
    """A side-on lunge the pose model broke in two: a piece of 0.8x the usual time and half
    the usual range right after a shortened rep, together about one rep (0.7x kept both)."""
    reps = [rep(t, t + 2.0, 40.0) for t in (1.0, 3.2, 5.4, 7.6, 9.8)]
    reps.insert(3, rep(7.6, 8.3, 40.0))              # the first part of the broken rep
    reps[4] = rep(8.4, 10.0, 20.0)                   # its second part: 1.6 s, half the range
    reps[5:] = [rep(t, t + 2.0, 40.0) for t in (10.2, 12.4)]
    out, _ = review_set(reps, [])
    assert len(out) == 6, [(r.start_s, r.end_s) for r in out]
