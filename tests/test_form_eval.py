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


def _situp(fc, nose_to_shoulders: float, t: float) -> list[str]:
    """One sit-up from the feet through the form checker: the nose's distance to the
    shoulders over the movement, a top with the nose level with the ears (at its lowest in
    the rep 0.15 shoulder widths below them)."""
    fc.begin_rep()
    for _ in range(5):
        fc.during({"nose_to_shoulders": nose_to_shoulders, "facing": 1.3}, t, 0.1)
    turn = {"nose_to_shoulders": nose_to_shoulders, "nose_below_ears": 0.0, "facing": 1.3}
    rep = {"rom": 1.0, "relative_rom": 1.0, "facing_max": 1.3, "nose_below_ears_max": 0.15}
    issues, _ = fc.finish({"facing": 1.3}, turn, rep, t, True)
    return issues


def test_review_judges_the_first_reps_against_the_set():
    """Live, the second rep has no usual to compare with yet (NAME_dev needs two full reps), so
    a chin tucked on it passes; offline, review() judges it against the person's next reps and
    adds the fault to that rep's issues - and to nothing else. The set's first rep starts from
    the set-up and is not re-judged."""
    from deepfit_coach.counting.form import FormChecker
    from deepfit_coach.exercises import load_catalogue

    fc = FormChecker(load_catalogue().get("situps"))
    fc.reset()
    reps = [_situp(fc, x, float(k)) for k, x in enumerate([0.30, 0.30, 0.46, 0.44, 0.45, 0.45])]
    assert reps == [[], [], [], [], [], []]      # live: nothing to compare the first two with
    assert fc.review() == 1
    assert reps == [[], ["neck_pull"], [], [], [], []]
    assert fc.review() == 0                      # idempotent: a fault is added once


def _side_situp(fc, neck_img: float, t: float, setup: bool = False, nose: float = 0.1) -> list[str]:
    """One sit-up side-on through the form checker: its top's neck angle in the picture, the
    nose a little below the ears (``nose``, shoulder widths); ``setup``: the rep's start and its
    movement still hold the set-up (lying down: the torso far off the others')."""
    fc.begin_rep()
    for _ in range(5):
        fc.during({"torso": 80.0 if setup else 40.0, "facing": 0.4}, t, 0.1)
    turn = {"neck_img": neck_img, "neck": 130.0, "nose_below_ears": nose, "nose_to_shoulders": 1.2, "facing": 0.4}
    start = {"torso": 80.0 if setup else 40.0, "facing": 0.4}
    issues, _ = fc.finish(start, turn, {"rom": 1.0, "relative_rom": 1.0, "facing_max": 0.45}, t, True)
    return issues


def test_review_judges_the_first_rep_at_its_turn_only():
    """The set's first rep has no usual live; offline its turn (a top 17 deg more bent in the
    picture than the person's next tops, the nose further below the ears) is judged against the
    next reps, while its start and its movement, which may still hold the set-up, are not."""
    from deepfit_coach.counting.form import FormChecker
    from deepfit_coach.exercises import load_catalogue

    fc = FormChecker(load_catalogue().get("situps"))
    fc.reset()
    reps = [_side_situp(fc, x, float(k), setup=(k == 0), nose=0.13 if k == 0 else 0.1)
            for k, x in enumerate([128.0, 145.0, 146.0, 144.0])]
    assert reps == [[], [], [], []]
    assert fc.review() == 1
    assert reps == [["neck_pull"], [], [], []]
    # a first rep whose top was like the others stays clean, however its set-up looked
    fc = FormChecker(load_catalogue().get("situps"))
    fc.reset()
    reps = [_side_situp(fc, x, float(k), setup=(k == 0)) for k, x in enumerate([145.0, 145.0, 146.0, 144.0])]
    assert fc.review() == 0 and reps == [[], [], [], []]
