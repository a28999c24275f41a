"""How eval credits form faults: a truth rep the counter kept as a partial rep (too short a
range to count) is matched to that partial rep, whose issues the form checker judged and
cued live ("go all the way"); counted reps are matched first."""

from types import SimpleNamespace

from deepfit_coach.evaluation import match_reps
from deepfit_coach.events import RepInfo


def _rep(a: float, b: float, issues=(), partial=False) -> RepInfo:
    return RepInfo(index=0 if partial else 1, start_s=a, end_s=b, side="both", rom_deg=0.5, down_s=0.5,
                   up_s=0.5, issues=list(issues), partial=partial)


def _truth(a: float, b: float, fps: float = 10.0):
    return SimpleNamespace(start_frame=int(a * fps), end_frame=int(b * fps) - 1, faults=["partial_range"])


def test_an_uncounted_partial_rep_is_matched_with_its_issues():
    counted = [_rep(0.0, 2.0), _rep(4.0, 6.0)]
    partial = [_rep(2.2, 3.8, ["partial_range"], partial=True), _rep(9.0, 9.5, partial=True)]
    truths = [_truth(0.0, 2.0), _truth(2.0, 4.0), _truth(4.0, 6.0), _truth(7.0, 8.0)]
    pairs = match_reps(counted, partial, truths, 10.0)
    assert [p for _, p in pairs] == [counted[0], partial[0], counted[1], None]
    assert "partial_range" in pairs[1][1].issues


def test_counted_reps_come_first():
    """A partial rep overlapping a truth rep more than the counted rep does not take it."""
    counted = [_rep(0.0, 1.0)]
    partial = [_rep(0.5, 2.0, ["partial_range"], partial=True)]
    pairs = match_reps(counted, partial, [_truth(0.0, 2.0)], 10.0)
    assert pairs[0][1] is counted[0]
