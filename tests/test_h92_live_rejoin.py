"""Two counted reps that the reps known later show are one rep broken in two are joined live
whichever two they are, not only the last two (LiveReps._rejoin_at): a set's first rep counted as
two before anything was usual is joined once the set's usual rep is known, as the set's review
(merge_split_reps) joins it, and the count said aloud reaches the saved one before the set ends.
Stored pose-model output (with the pose recovery) of tuning pool_a's situps_front_0, whose first
sit-up the counter read as two reps ("one" at its turn, "two" at its end): live 8, analyze 7,
truth 7 before."""

from __future__ import annotations

import copy

import stored_poses
from coach_helpers import small_catalogue, standing
from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as cev
from deepfit_coach.counting.review import LiveReps, merge_split_reps, review_set
from deepfit_coach.events import RepEvent, RepInfo, RepMergedEvent
from deepfit_coach.plan import loads_plan

DATA = stored_poses.load("h92_live_rejoin_poses.npz")


def test_a_first_situp_counted_as_two_is_joined_live_as_the_review_joins_it():
    tracker = stored_poses.replay(DATA, "situps", "situps")
    tracker.flush(stored_poses.clip(DATA, "situps")[1][-1])
    truth = int(DATA["situps_truth"][0])
    reviewed, _ = review_set(list(tracker.rep_log), list(tracker.partial_log))
    assert len(tracker.rep_log) == truth + 1                        # the counter's reps: the first in two
    assert tracker.reps == len(reviewed) == truth
    assert [(r.start_s, r.end_s) for r in tracker.live_log] == [(r.start_s, r.end_s) for r in reviewed]
    # joined further back than the last two counted reps, silently: the numbers said go 1, 2, ... once each
    merged = [e for e in tracker.events if isinstance(e, RepMergedEvent) and e.raw is None]
    assert len(merged) == 1 and merged[0].rep.start_s == tracker.rep_log[0].start_s
    counts = [e.count for e in tracker.events if isinstance(e, RepEvent)]
    said = [c for k, c in enumerate(counts) if c > max(counts[:k], default=0)]
    assert said == list(range(1, truth + 1)) and len(counts) == truth + 1   # one rep passes silently
    assert counts[-1] == truth


def _rep(a: float, b: float, rom: float) -> RepInfo:
    return RepInfo(index=0, start_s=a, end_s=b, side="both", rom_deg=rom, down_s=(b - a) / 2, up_s=(b - a) / 2)


def test_two_reps_counted_before_a_usual_rep_was_known_are_joined_later():
    # a first rep in two pieces, then usual reps: with three reps known nothing looks split
    # yet; the fourth makes the first two pieces of one rep (the last two are not)
    reps = [_rep(0, 0.6, 0.5), _rep(0.7, 2.0, 0.6), _rep(2.2, 4.2, 1.0), _rep(4.4, 6.4, 1.0), _rep(6.6, 8.6, 1.0)]
    live, kinds = LiveReps(), []
    for r in reps:
        live.raw.append(r)
        kinds.append(live.add(r).kind)
    assert kinds == ["new", "new", "new", "rejoined", "new"]
    assert [(r.start_s, r.end_s) for r in live.reps] == [(r.start_s, r.end_s) for r in merge_split_reps(reps)]
    assert [r.index for r in live.reps] == [1, 2, 3, 4]


class _RejoinFirst:
    """Counts four reps, then (as ExerciseTracker does once the reps so far show the first two
    were one) joins reps 1 and 2 and counts the new rep as 4, then one more rep as 5."""

    exercise = "squats"

    def __init__(self) -> None:
        self.reps = [_rep(k * 2.0, k * 2.0 + 1.8, 1.0) for k in range(6)]
        self.sent = 0

    def reset(self) -> None:
        pass

    def update(self, skeleton, t_s):
        if skeleton is None or self.sent >= 6 or t_s < 2.0 * (self.sent + 1):
            return []
        k, self.sent = self.sent, self.sent + 1
        rep = copy.copy(self.reps[k])
        self.reps[k] = rep
        if k != 4:
            rep.index = k + 1 if k < 4 else 5
            return [RepEvent(t_s, self.exercise, rep.index, rep)]
        joined = copy.copy(self.reps[0])
        joined.end_s = self.reps[1].end_s
        joined.index = 1
        rep.index = 4
        return [RepMergedEvent(t_s, self.exercise, 1, joined, replaced=[self.reps[0], self.reps[1]]),
                RepEvent(t_s, self.exercise, 4, rep)]


PLAN = """
name: Squats
countdown: 0
blocks:
  - exercise: squats
    sets: 1
    reps: 20
"""


def test_the_coach_joins_the_first_two_reps_late_and_says_no_number_twice():
    coach = Coach(loads_plan(PLAN, "p.yaml", small_catalogue()), lambda s: _RejoinFirst(),
                  CoachTiming(intro_s=0.5, announce_s=0.5))
    events: list[cev.CoachEvent] = []
    t = 0.0
    while t < 30:
        events += coach.update(standing(t), t)
        t = round(t + 0.1, 3)
    said = [e.say.text for e in events if isinstance(e, cev.RepCounted) and e.say is not None]
    assert said == ["1", "2", "3", "4", "5"]
    revised = [e for e in events if isinstance(e, cev.RepsRevised) and e.reason == "joined"]
    assert len(revised) == 1 and revised[0].count == 3             # the dashboard's count drops by one
    assert [(r.start_s, r.end_s) for r in revised[0].reps] == [(0.0, 3.8), (4.0, 5.8), (6.0, 7.8)]
    assert coach.status().reps == 5
