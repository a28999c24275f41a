"""A rep broken in two and joined again (``review.join_split``: offline ``merge_split_reps`` and
live ``LiveReps``) keeps both pieces' issues, except that of a piece lasting well under the other
(a fragment: a tail, a glitch's quick swing) only what the throughout rules found over its frames
(``RepInfo.during``) counts. A fragment's own start, turn and range are a fragment's: judged as a
rep it is short by nature (a sit-up's or a row's short_range, a squat's shallow tail), and those
false alarms came with the joins (30-fps renders split more reps than 15-fps ones of the same people)."""

from __future__ import annotations

from counting_synth import ideal_clip
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.counting.review import LiveReps, merge_split_reps, review_set
from deepfit_coach.events import RepInfo
from deepfit_coach.exercises import get_exercise


def rep(a: float, b: float, rom: float, issues=(), during=()) -> RepInfo:
    return RepInfo(index=0, start_s=a, end_s=b, side="both", rom_deg=rom, down_s=(b - a) / 2, up_s=(b - a) / 2,
                   issues=list(issues), during=list(during))


USUAL = [rep(0, 2, 1.0), rep(2.2, 4.2, 1.0), rep(4.4, 6.4, 1.0)]


def _joined(piece: RepInfo, big: RepInfo, piece_first: bool = True) -> RepInfo:
    pair = [piece, big] if piece_first else [big, piece]
    out = merge_split_reps(USUAL + pair)
    assert len(out) == 4
    return out[-1]


def test_the_small_piece_s_turn_and_range_issues_are_not_the_joined_rep_s():
    # the piece (0.6 s, 0.4 of the usual range) called short at its own turn; the rest of the rep clean
    j = _joined(rep(6.5, 7.1, 0.4, ["short_range"]), rep(7.2, 8.6, 1.0))
    assert (j.start_s, j.end_s, j.rom_deg) == (6.5, 8.6, 1.0) and j.issues == []
    # the same piece after the rep's turn (a squat's shallow tail)
    j = _joined(rep(8.6, 9.2, 0.3, ["shallow"]), rep(6.6, 8.5, 1.0), piece_first=False)
    assert (j.start_s, j.end_s) == (6.6, 9.2) and j.issues == []


def test_the_piece_holding_the_turn_keeps_its_issues_and_throughout_faults_of_either_piece_stay():
    j = _joined(rep(6.5, 7.1, 0.4, ["short_range"]), rep(7.2, 8.6, 1.0, ["neck_pull"]))
    assert j.issues == ["neck_pull"]
    # a fault held over the small piece's frames (hips sagging) happened in the rep
    j = _joined(rep(6.5, 7.1, 0.4, ["hips_sag", "half_rep"], ["hips_sag"]), rep(7.2, 8.6, 1.0, ["elbow_flare"]))
    assert j.issues == ["hips_sag", "elbow_flare"] and j.during == ["hips_sag"]
    # both pieces found it: kept once
    j = _joined(rep(6.5, 7.1, 0.4, ["knees_cave"]), rep(7.2, 8.6, 1.0, ["knees_cave"]))
    assert j.issues == ["knees_cave"]
    reps, _ = review_set(USUAL + [rep(6.5, 7.1, 0.4, ["short_range"]), rep(7.2, 8.6, 1.0)], [])
    assert len(reps) == 4 and reps[-1].issues == []


def test_pieces_lasting_alike_keep_their_issues():
    """Two pieces of about one length may be two reps the count took for one (a half push-up
    then a full one): each was judged as a rep, and keeps what it was found."""
    j = _joined(rep(6.5, 7.6, 0.4, ["half_rep"]), rep(7.7, 8.9, 1.0))
    assert j.issues == ["half_rep"]
    j = _joined(rep(6.5, 7.2, 0.4, ["half_rep"]), rep(7.3, 8.9, 1.0))   # 0.7 s against 1.6 s: a fragment
    assert j.issues == []


def test_a_quick_swing_holding_the_bigger_range_is_a_fragment_too():
    """A sit-up's top, then a glitch's quick swing wider than the rep (the joined rep takes its
    turn and range): what the swing was judged on at its own turn is not the rep's."""
    j = _joined(rep(6.5, 7.9, 0.4, ["short_range"]), rep(8.0, 8.4, 1.0, ["neck_pull"]))
    assert j.rom_deg == 1.0 and j.issues == ["short_range"]


def test_live_the_same():
    live = LiveReps()
    # (the piece 0.5 s after the last rep: closer, live would join it to that one)
    for r in USUAL + [rep(6.9, 7.5, 0.4, ["short_range"]), rep(7.6, 9.0, 1.0, ["torso_swing"], ["torso_swing"])]:
        live.raw.append(r)
        change = live.add(r)
    assert change.kind == "joined" and len(live.reps) == 4
    assert live.reps[-1].issues == ["torso_swing"] and live.reps[-1].during == ["torso_swing"]


def _rep_log(exercise: str, fault: str, view: str) -> list[RepInfo]:
    sk, _ = ideal_clip(exercise, reps=4, view=view, seed=3, rep_faults={1: (fault,)})
    tr = ExerciseTracker(get_exercise(exercise))
    for s in sk:
        tr.update(s, s.timestamp_ms / 1000.0)
    assert tr.reps == 4
    return tr.rep_log


def test_the_tracker_tells_which_issues_were_found_over_the_movement():
    # pushups hips_sag: a throughout rule
    log = _rep_log("pushups", "hips_sag", "side")
    assert "hips_sag" in log[1].issues and "hips_sag" in log[1].during
    assert all(set(r.during) <= set(r.issues) for r in log)
    # tricep extensions elbow_flare: judged at the turn, not over the movement
    log = _rep_log("tricep_extensions", "elbow_flare", "front")
    assert "elbow_flare" in log[1].issues and "elbow_flare" not in log[1].during
