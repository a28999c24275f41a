"""Brisk reps count: a rep quicker than the catalogue's minimum counts mid-set when the set's own reps
are that quick (counter.QUICK_*), while the set's first reps, the set-up and getting up keep the minimum.

The clips: MediaPipe poses (pose recovery on) of rendered sets of 12 clean reps at a brisk pace, 30 fps
(benchmarks/fast_tempo.py, seeds 38510 and 38512): push-ups side-on at 0.77-1.0 s a rep, which measure
0.43-0.55 s from leaving the top to the count (half way back up) against push-ups' minimum 0.6 s - the old
code counted 6 of 12; tricep extensions side-on at 0.63-1.07 s (6 of 12 before).
"""

import pytest

from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import counter, review, tracker
from deepfit_coach.counting.counter import FullRep, RepCounter
from deepfit_coach.counting.review import count_quick_reps
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises.catalogue import get_exercise
from stored_poses import clip, load

DATA = load("quick_reps_poses.npz")


@pytest.mark.parametrize("key,exercise,at_least", [("pushups_side", "pushups", 12), ("tricep_side", "tricep_extensions", 12)])
def test_brisk_set_counts(key, exercise, at_least, monkeypatch):
    sk, ts = clip(DATA, key)
    seg = track_segment(get_exercise(exercise), sk, ts, ts[0], ts[-1])
    assert at_least <= len(seg.reps) <= 12, [(r.start_s, r.end_s, r.rom_deg) for r in seg.reps]
    # every rep must meet the minimum, and the set's review counts no quick partial rep: fewer counted (the
    # review finds some of the quick partials as shallow reps)
    monkeypatch.setattr(counter, "QUICK_AFTER", 10 ** 6)
    monkeypatch.setattr(review, "count_quick_reps", lambda reps, partials: (reps, partials))
    assert len(track_segment(get_exercise(exercise), sk, ts, ts[0], ts[-1]).reps) < len(seg.reps)
    # ... and a rep rising back to the start stretched over the partials after it (the old code): half lost
    monkeypatch.setattr(tracker, "EXTEND_STOP", float("inf"))
    assert len(track_segment(get_exercise(exercise), sk, ts, ts[0], ts[-1]).reps) <= 7


def _counter(fulls):
    c = RepCounter(get_exercise("pushups").counting)   # min_rep_s 0.6
    c.full_reps[:] = [FullRep(rom, dur) for rom, dur in fulls]
    return c


BRISK = [(0.55, 0.70), (0.53, 0.62), (0.57, 0.66)]   # three full reps, the quickest 0.62 s


@pytest.mark.parametrize("fulls,rom,dur,counts", [
    (BRISK, 0.53, 0.50, True),     # like the set's reps, >= 0.65 x its quickest rep
    (BRISK, 0.53, 0.38, False),    # far quicker than the set's reps: a twitch
    (BRISK, 0.90, 0.50, False),    # much bigger than the set's reps: getting up at its end
    (BRISK, 0.30, 0.50, False),    # much smaller
    (BRISK[:1], 0.53, 0.50, False),    # one full rep is no pace yet: the set's first reps keep the minimum
    ([(0.55, 0.40)] * 3, 0.53, 0.29, False),   # never under half the minimum
    (BRISK, 0.53, 0.65, True),     # over the minimum: a rep whatever the pace
])
def test_quick_rep_rule(fulls, rom, dur, counts):
    c = _counter(fulls)
    c._t0, c._turn, c._s0, c._t_turn = 10.0, -1.0 + rom, -1.0, 10.2   # at the top (u = -height), then down by rom
    cyc = c._judge(rom, 10.0 + dur)
    assert cyc is not None and cyc.full == counts, cyc


def test_a_rep_does_not_end_past_a_rep_sized_partial(monkeypatch):
    """Brisk push-ups (seed 39010): the set's first rep, begun with the set-up, was followed by two quick
    reps judged partial (one full rep is no pace yet). Rising back to the top, the first rep was stretched
    over both (1.97-6.3 s), so the set's review saw no room for them; it ends at 4.17 s now, and the review
    counts both as the set's reps (10 of 12 before, 12 now)."""
    sk, ts = clip(DATA, "pushups_side_b")
    seg = track_segment(get_exercise("pushups"), sk, ts, ts[0], ts[-1])
    assert len(seg.reps) == 12, [(r.start_s, r.end_s) for r in seg.reps]
    assert seg.reps[0].end_s <= 4.2
    monkeypatch.setattr(tracker, "EXTEND_STOP", float("inf"))   # the old rule: any partial is the rep's tail
    old = track_segment(get_exercise("pushups"), sk, ts, ts[0], ts[-1])
    assert len(old.reps) == 10 and old.reps[0].end_s > 6.0


def test_the_sets_review_counts_the_quick_reps_made_before_its_pace_was_known(monkeypatch):
    """Tricep extensions side-on (seed 38512): a 2.1-s first rep (begun with the set-up), then three
    0.5-s reps the counter kept partial (one full rep is no pace yet): the review counts them now that
    the set's later reps show that pace (12 of 12; 10 before, one of them as a shallow rep)."""
    sk, ts = clip(DATA, "tricep_side")
    seg = track_segment(get_exercise("tricep_extensions"), sk, ts, ts[0], ts[-1])
    assert len(seg.reps) == 12
    assert sum(4.0 <= r.start_s and r.end_s <= 6.4 for r in seg.reps) == 3, [(r.start_s, r.end_s) for r in seg.reps]
    monkeypatch.setattr(review, "count_quick_reps", lambda reps, partials: (reps, partials))
    assert len(track_segment(get_exercise("tricep_extensions"), sk, ts, ts[0], ts[-1]).reps) == 10


def _r(start: float, dur: float, rom: float = 0.5, quick: bool = False, count_s: float | None = None) -> RepInfo:
    return RepInfo(0, start, start + dur, "both", rom, dur / 2, dur / 2, partial=quick,
                   count_s=dur * 0.8 if count_s is None else count_s, quick=quick)


SET = [_r(0.0, 2.0), _r(4.0, 0.8), _r(5.0, 0.8), _r(6.0, 0.8), _r(7.0, 0.8)]   # counted: pace 0.64 s


@pytest.mark.parametrize("partial,counts", [
    (_r(2.2, 0.6, quick=True), True),                  # like the set's quick reps
    (_r(2.2, 0.6, quick=False), False),               # partial for another reason (too small, a gate)
    (_r(2.2, 0.6, rom=0.8, quick=True), False),       # much bigger than the set's reps
    (_r(2.2, 0.6, rom=0.3, quick=True), False),       # much smaller
    (_r(2.2, 0.6, quick=True, count_s=0.35), False),  # far quicker than the set's reps
    (_r(-1.0, 0.6, quick=True), False),               # before the set's first counted rep: setting up
    (_r(8.0, 0.6, quick=True), False),                # after its last: getting up
])
def test_quick_partial_rule(partial, counts):
    reps, partials = count_quick_reps(list(SET), [partial])
    assert (len(reps), len(partials)) == ((6, 0) if counts else (5, 1))
