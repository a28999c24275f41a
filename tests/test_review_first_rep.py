"""review_set counts a set's first rep done short: the partial rep right before the first
counted rep, about a usual rep long and close before it (a first curl or row the counter
left out as too small). Set-up movements - quick, tiny, slow or further back - stay partial.
And a shallow rep mid-set counts from 0.13x the usual range (SHALLOW_ROM, was 0.15)."""

from __future__ import annotations

from deepfit_coach.counting.review import review_set
from deepfit_coach.events import RepInfo


def rep(t0: float, t1: float, rom: float, partial: bool = False, issues: list[str] | None = None) -> RepInfo:
    return RepInfo(index=0, start_s=t0, end_s=t1, side="both", rom_deg=rom, down_s=0.4 * (t1 - t0),
                   up_s=0.6 * (t1 - t0), issues=issues or [], partial=partial)


def counted_set() -> list[RepInfo]:
    """Six 2 s reps of range 40, the first from 5.0 s."""
    return [rep(5.0 + 2.2 * k, 7.0 + 2.2 * k, 40.0) for k in range(6)]


def test_a_short_first_rep_right_before_the_set_counts():
    # 0.75x the usual time, 0.6x its range, ending 0.4 s (0.2x a rep) before the first counted rep
    first = rep(3.1, 4.6, 24.0, True, ["partial_extension"])
    out, partials = review_set(counted_set(), [first])
    assert len(out) == 7 and partials == []
    assert out[0].start_s == 3.1 and not out[0].partial and out[0].issues == ["partial_extension"]
    assert [r.index for r in out] == list(range(1, 8))


def test_set_up_movements_before_the_set_stay_partial():
    for p in [rep(3.6, 4.6, 24.0, True),    # quick: half a usual rep's time
              rep(3.1, 4.6, 6.0, True),     # tiny: 0.15x the usual range
              rep(1.5, 3.0, 24.0, True),    # a usual rep's time before the set's rhythm: further back
              rep(0.5, 4.6, 24.0, True)]:   # twice a usual rep's time: no rep of this set
        out, partials = review_set(counted_set(), [p])
        assert len(out) == 6 and partials == [p], p


def test_only_the_last_partial_before_the_set_is_taken():
    back, first = rep(0.5, 2.0, 24.0, True), rep(3.1, 4.6, 24.0, True)
    out, partials = review_set(counted_set(), [back, first])
    assert len(out) == 7 and out[0].start_s == 3.1 and partials == [back]


def test_too_few_reps_no_first_rep():
    """Nothing is usual with two counted reps: a rest clip's movements are never counted here."""
    two = counted_set()[:2]
    out, partials = review_set(two, [rep(3.1, 4.6, 24.0, True)])
    assert len(out) == 2 and len(partials) == 1


def test_a_shallow_rep_mid_set_of_an_eighth_of_the_range_counts():
    """SHALLOW_ROM 0.13 (was 0.15): short rows and a triceps partial range the count missed
    moved 0.140-0.145x the usual range; a push-up piece at 0.118x was no rep."""
    reps = [rep(t, t + 2.0, 40.0) for t in (5.0, 7.2, 9.4, 13.8, 16.0, 18.2)]   # a hole 11.4-13.8
    out, partials = review_set(reps, [rep(11.6, 13.0, 5.6, True)])               # 0.7x the time, 0.14x the range
    assert len(out) == 7 and partials == []
    small = rep(11.6, 13.0, 4.7, True)                                           # 0.1175x the range
    out, partials = review_set(reps, [small])
    assert len(out) == 6 and partials == [small]
