"""A set whose live count reaches the target but whose review (what is saved) counts fewer:
the coach says so and asks for the missing reps, instead of saying "set complete" and saving
fewer reps than it counted aloud. Whatever the review decides is what is said at the end."""

from __future__ import annotations

from coach_helpers import ScriptedSet, coach_set, five_squats
from deepfit_coach.coach import events as cev
from deepfit_coach.coach.history_sink import HistorySink
from deepfit_coach.counting.review import WINDING_ABRUPT, WINDING_SMALL, review_set
from deepfit_coach.events import RepInfo
from deepfit_coach.history import HistoryStore

USUAL = (2.0, 90.0)                               # (s, range)
ABRUPT = (0.5 * WINDING_ABRUPT * 2.0, 90.0)        # a last rep this quick is getting up, not a rep
TUG = (0.5 * 2.0, 0.5 * WINDING_SMALL * 90.0)      # a small quick first rep is setting up


def _rep(start: float, shape: tuple[float, float]) -> RepInfo:
    dur, rom = shape
    return RepInfo(0, start, start + dur, "both", rom, dur / 2, dur / 2)


def _run(shapes: list[tuple[float, float]], tmp_path):
    plan = five_squats()
    store = HistoryStore.open(tmp_path / "history.db")
    sink = HistorySink(store, plan)
    events = coach_set(plan, lambda s: ScriptedSet([_rep(0.0, sh) for sh in shapes]), sink)
    saved = store.get_session(sink.session_id).sets[0]
    store.close()
    return events, saved


def _said(events, kind) -> list[str]:
    return [e.say.text for e in events if isinstance(e, kind) and e.say is not None]


def test_the_review_premises():
    """The review keeps four of: a setting-up tug and four usual reps; four usual reps and an
    abrupt fifth (the review judges a set's first and last reps)."""
    tug = [_rep(0.0, TUG)] + [_rep(1.3 + 2.3 * k, USUAL) for k in range(4)]
    abrupt = [_rep(2.3 * k, USUAL) for k in range(4)] + [_rep(9.2, ABRUPT)]
    assert len(review_set(tug, [], keep_lone_rep=True)[0]) == 4
    assert len(review_set(abrupt, [], keep_lone_rep=True)[0]) == 4


def test_fewer_reps_on_review_asks_for_the_missing_one(tmp_path):
    events, saved = _run([TUG] + [USUAL] * 5, tmp_path)
    counts = [e.count for e in events if isinstance(e, cev.RepCounted)]
    assert counts == [1, 2, 3, 4, 5, 5], "the set goes on after the review took one away"
    revised = [e for e in events if isinstance(e, cev.RepsRevised) and e.reason == "review"]
    assert revised and revised[0].count == 4 and revised[0].say is not None
    assert "one more" in revised[0].say.text and "4" in revised[0].say.text
    done = [e for e in events if isinstance(e, cev.SetCompleted)]
    assert len(done) == 1 and done[0].result.reps == 5 and saved.reps == 5
    assert _said(events, cev.SetCompleted) == ["Set complete."]


def test_the_set_ends_the_second_time_and_says_the_saved_count(tmp_path):
    events, saved = _run([TUG] + [USUAL] * 4 + [ABRUPT], tmp_path)
    done = [e for e in events if isinstance(e, cev.SetCompleted)]
    assert len(done) == 1 and done[0].result.reps == saved.reps == 4
    said = _said(events, cev.SetCompleted)
    assert said == ["Set done: 4 reps. I make that 4, not 5."]


def test_a_clean_set_ends_at_the_target_without_review_words(tmp_path):
    events, saved = _run([USUAL] * 6, tmp_path)
    assert [e.count for e in events if isinstance(e, cev.RepCounted)] == [1, 2, 3, 4, 5]
    assert not [e for e in events if isinstance(e, cev.RepsRevised)]
    assert saved.reps == 5 and _said(events, cev.SetCompleted) == ["Set complete."]
