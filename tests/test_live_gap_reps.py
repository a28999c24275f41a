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

