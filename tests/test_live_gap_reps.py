"""Partial reps between two counted reps that the set's review will count (a shallow rep, pieces
of one rep) are counted live as soon as the next rep is: the count said aloud no longer waits for
the set's end (LiveReps.gap_reps, the tracker's RepEvent.from_partial, the coach's "counted"
revision). Stored pose-model output of two tuning-pool sets whose live count fell one short."""

from __future__ import annotations

import pytest

import stored_poses
from coach_helpers import coach_set, five_squats
from deepfit_coach.coach import events as cev
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.counting.review import LiveReps, review_set
from deepfit_coach.events import PartialRepEvent, RepEvent, RepInfo, RepMergedEvent
from deepfit_coach.exercises import get_exercise

DATA = stored_poses.load("live_gap_poses.npz")


@pytest.mark.parametrize("key,exercise", [("jacks", "jumping_jacks"), ("raises", "lateral_shoulder_raises")])
def test_a_shallow_rep_is_counted_live_when_the_next_rep_is(key, exercise):
    tracker = ExerciseTracker(get_exercise(exercise))
    skeletons, times = stored_poses.clip(DATA, key)
    events = [e for sk, t in zip(skeletons, times) for e in tracker.update(sk, t)] + tracker.flush(times[-1])
    counted = [e for e in events if isinstance(e, RepEvent)]
    truth = int(DATA[key + "_truth"][0])
    assert [e.count for e in counted] == list(range(1, truth + 1))   # said without gaps, up to the truth
    assert any(e.from_partial for e in counted)
    reviewed, _ = review_set(list(tracker.rep_log), list(tracker.partial_log))
    assert tracker.reps == len(reviewed) == truth


def _rep(start: float, dur: float, rom: float) -> RepInfo:
    return RepInfo(0, start, start + dur, "both", rom, dur / 2, dur / 2, partial=rom < 0.5)


def test_gap_reps_takes_only_a_usual_length_partial_between_counted_reps():
    live = LiveReps()
    for k in range(3):
        live.raw.append(_rep(2.5 * k, 2.0, 1.0))
        live.add(live.raw[-1])
    nxt = _rep(10.0, 2.0, 1.0)
    live.raw.append(nxt)
    shallow, twitch = _rep(7.6, 1.5, 0.3), _rep(8.0, 0.4, 0.3)
    assert [(r.start_s, r.partial) for r in live.gap_reps([shallow], nxt)] == [(7.6, False)]
    assert live.gap_reps([twitch], nxt) == []
    assert live.gap_reps([_rep(-2.0, 1.5, 0.3)], nxt) == []        # before the set: setting up
    rep = live.count_gap_rep(live.gap_reps([shallow], nxt)[0])
    assert rep.index == 4 and live.add(nxt).rep.index == 5


def test_a_partial_rep_from_an_earlier_gap_is_counted_once_the_usual_rep_is_known():
    """Two counted reps are no usual rep yet: a partial rep between them is judged when the third
    rep is counted, and takes its place in time (the reps after it numbered again)."""
    live = LiveReps()
    for start in (0.0, 4.5):
        live.raw.append(_rep(start, 2.0, 1.0))
        live.add(live.raw[-1])
    shallow = _rep(2.3, 1.5, 0.3)
    third = _rep(7.0, 2.0, 1.0)
    live.raw.append(third)
    gap = live.gap_reps([shallow], third)
    assert [(r.start_s, r.partial) for r in gap] == [(2.3, False)]
    rep = live.count_gap_rep(gap[0])
    assert live.add(third).rep.index == 4
    assert [r.start_s for r in live.reps] == [0.0, 2.3, 4.5, 7.0] and [r.index for r in live.reps] == [1, 2, 3, 4]
    assert rep.index == 2
    fourth = _rep(9.5, 2.0, 1.0)
    live.raw.append(fourth)
    assert live.gap_reps([shallow], fourth) == []     # counted once


def test_a_brisk_sets_first_quick_reps_are_counted_live():
    """Brisk push-ups side-on (fast_tempo.py, seed 39010): the first rep (begun with the set-up) counts,
    the next two are quicker than push-ups' minimum time, with one full rep no pace yet (counter.QUICK_AFTER),
    so partial; the set's review counts both. Live they were counted only between the last rep and the
    next one, so the count said aloud stayed two short (10 of 12) to the set's end; now they are counted
    when the third rep is, and the count said aloud reaches the set's 12."""
    data = stored_poses.load("quick_reps_poses.npz")
    tracker = ExerciseTracker(get_exercise("pushups"))
    skeletons, times = stored_poses.clip(data, "pushups_side_b")
    events = [e for sk, t in zip(skeletons, times) for e in tracker.update(sk, t)] + tracker.flush(times[-1])
    counted = [e for e in events if isinstance(e, RepEvent)]
    assert [e.count for e in counted] == list(range(1, 13))
    late = [e for e in counted if e.from_partial]
    assert late and all(e.rep.end_s < e.t_s - 2.0 for e in late)    # reps from a few reps back
    reviewed, _ = review_set(list(tracker.rep_log), list(tracker.partial_log))
    assert tracker.reps == len(reviewed) == 12
    assert [r.index for r in tracker.live_log] == list(range(1, 13))
    assert all(a.start_s < b.start_s for a, b in zip(tracker.live_log, tracker.live_log[1:]))


class _GapSet:
    """Three reps, a shallow partial rep, then the tracker counts it with the next rep (as
    ExerciseTracker does), then one more rep."""

    exercise = "squats"

    def __init__(self, join_last: bool = False) -> None:
        self.t0: float | None = None
        self.join_last = join_last

    def reset(self) -> None:
        self.t0 = None

    def update(self, skeleton, t_s):
        self.t0 = t_s if self.t0 is None else self.t0
        k = round((t_s - self.t0) / 0.05)
        full = [RepInfo(i + 1, self.t0 + 2.5 * i, self.t0 + 2.5 * i + 2.0, "both", 1.0, 1.0, 1.0) for i in range(3)]
        shallow = RepInfo(0, self.t0 + 7.6, self.t0 + 9.1, "both", 0.3, 0.7, 0.8, issues=["shallow"], partial=True)
        if k in (40, 90, 140):
            return [RepEvent(t_s, self.exercise, k // 50 + 1, full[k // 50])]
        if k == 185:
            return [PartialRepEvent(t_s, self.exercise, shallow)]
        if k == 245:
            nxt = RepInfo(5, self.t0 + 10.0, self.t0 + 12.0, "both", 1.0, 1.0, 1.0)
            out = [RepEvent(t_s, self.exercise, 4, RepInfo(**{**shallow.__dict__, "index": 4, "partial": False}),
                            from_partial=True), RepEvent(t_s, self.exercise, 5, nxt)]
            if self.join_last:   # the fifth rep's rest, known in the same frame: joined, no new count
                joined = RepInfo(5, nxt.start_s, nxt.end_s + 0.3, "both", 1.0, 1.0, 1.3)
                out.append(RepMergedEvent(t_s, self.exercise, 5, joined, replaced=[nxt]))
            return out
        return []


def test_the_coach_says_a_rep_counted_from_a_partial_and_saves_it_once():
    events = coach_set(five_squats(), lambda s: _GapSet())
    counted = [e for e in events if isinstance(e, cev.RepCounted)]
    assert [e.count for e in counted] == [1, 2, 3, 4, 5] and all(e.say is not None for e in counted)
    revised = [e for e in events if isinstance(e, cev.RepsRevised)]
    assert [(e.reason, e.count, len(e.partials)) for e in revised] == [("counted", 4, 0)]
    done = [e for e in events if isinstance(e, cev.SetCompleted)][0].result
    assert (done.reps, done.partial_reps) == (5, 0)   # the set's review counts the partial as the coach did


def test_a_later_join_does_not_bring_the_counted_partial_back():
    """After the partial rep was counted, a rep broken in two is joined: the set's reps as they
    then stand (what history rewrites) hold no partial rep."""
    events = coach_set(five_squats(), lambda s: _GapSet(join_last=True))
    revised = [(e.reason, e.count, len(e.partials)) for e in events if isinstance(e, cev.RepsRevised)]
    assert revised[:2] == [("counted", 4, 0), ("joined", 5, 0)]

