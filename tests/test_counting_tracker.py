"""The counter, form checker and tracker on exact synth motion (no pose model: fast)."""

import math

import numpy as np
import pytest

from counting_synth import ideal_clip
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.counting.review import review_set
from deepfit_coach.counting.smoothing import OneEuroFilter
from deepfit_coach.events import FormEvent, PartialRepEvent, RepEvent
from deepfit_coach.exercises import BUILTIN_NAMES, get_exercise
from deepfit_coach.synth.exercises import FAULTS


# faults the synth once drew wrongly (inverted or barely visible), now drawn as the rules
# expect: each must be found on its rep (see test_corrected_synth_faults_are_found)
CORRECTED = [("squats", "knees_cave", "front"), ("tricep_extensions", "elbow_flare", "front"),
             ("pushups", "hips_pike", "side"), ("pushups", "half_rep", "side")]


# judged in the picture facing the camera (side-on they are end-on); found front-on in
# test_corrected_synth_faults_are_found. Jacks' feet spread in depth side-on: there narrow_legs is
# judged only against the person's own jacks (feet_dy_med_dev; side-on the pose model's 3D width
# reads clean and narrow jacks alike), so live it cannot be found on a set's second rep
# (side-on a flare shortens the upper arm in the picture by only ~0.04 torso lengths on exact joints:
# the side-on clause needs 0.12, which only the pose model's misread flared elbows reach)
NOT_SEEN_SIDE_ON = {("tricep_extensions", "elbow_flare"), ("jumping_jacks", "narrow_legs")}


def run(spec, skeletons):
    tr = ExerciseTracker(spec)
    events = []
    for s in skeletons:
        events += tr.update(s, s.timestamp_ms / 1000.0)
    return tr, events


@pytest.mark.parametrize("exercise", BUILTIN_NAMES)
def test_counts_every_exercise_exactly_between_rests(exercise):
    view = "side" if exercise in ("squats", "pushups", "situps", "lunges", "dumbbell_rows") else "front"
    sk, tl = ideal_clip(exercise, reps=5, view=view, seed=7, noise_px=1.0)
    tr, events = run(get_exercise(exercise), sk)
    assert tr.reps == len(tl.reps) == 5
    counts = [e.count for e in events if isinstance(e, RepEvent)]
    assert counts == [1, 2, 3, 4, 5]
    fps = tl.fps
    for rep, truth in zip(tr.rep_log, tl.reps):
        # each counted rep lies over its true rep, and is counted before the next one ends
        assert rep.start_s < truth.end_frame / fps and rep.end_s > truth.bottom_frame / fps
        assert rep.down_s > 0 and rep.up_s > 0 and rep.rom_deg > 0


# (push-ups: the half rep 4 comes after a sagging rep 2 whose drop into the sag adds to the
# usual range; it moves 0.29 of it and must still count, with its half_rep fault)
@pytest.mark.parametrize("exercise", [e for e in BUILTIN_NAMES if e != "squats"])
def test_faults_are_named_on_the_faulty_reps_only(exercise):
    faults = list(FAULTS[exercise])
    faults = [f for f in faults if (exercise, f) not in NOT_SEEN_SIDE_ON]
    rep_faults = {1: (faults[0],), 3: (faults[-1],)}
    sk, tl = ideal_clip(exercise, reps=5, view="side", seed=3, rep_faults=rep_faults)
    tr, events = run(get_exercise(exercise), sk)
    assert tr.reps == 5
    for i, rep in enumerate(tr.rep_log):
        expected = set(rep_faults.get(i, ()))
        assert expected <= set(rep.issues), (i, rep.issues)
    clean_issues = [x for i, r in enumerate(tr.rep_log) if i not in rep_faults for x in r.issues]
    assert len(clean_issues) <= 1, clean_issues
    spoken = [e for e in events if isinstance(e, FormEvent) and not e.corrected]
    assert spoken and all(e.cue and e.severity in ("safety", "tip") for e in spoken)


@pytest.mark.parametrize("exercise,fault,view", CORRECTED)
def test_corrected_synth_faults_are_found(exercise, fault, view):
    # (elbow_flare is judged in the picture, facing the camera: side-on it is end-on)
    rep_faults = {1: (fault,), 3: (fault,)}
    sk, tl = ideal_clip(exercise, reps=5, view=view, seed=3, rep_faults=rep_faults)
    tr, _ = run(get_exercise(exercise), sk)
    assert tr.reps == 5
    for i, rep in enumerate(tr.rep_log):
        assert (fault in rep.issues) == (i in rep_faults), (i, rep.issues)


def test_cue_cooldown_and_better_event():
    spec = get_exercise("lateral_shoulder_raises")
    sk, _ = ideal_clip("lateral_shoulder_raises", reps=6, view="front", seed=5,
                       rep_faults={0: ("arms_too_high",), 1: ("arms_too_high",), 2: ("arms_too_high",)})
    tr, events = run(spec, sk)
    assert [r.issues for r in tr.rep_log[:3]] == [["arms_too_high"]] * 3
    said = [e for e in events if isinstance(e, FormEvent) and e.rule == "arms_too_high" and not e.corrected]
    assert len(said) < 3  # recorded on every rep, not spoken every rep (cooldown)
    better = [e for e in events if isinstance(e, FormEvent) and e.corrected]
    assert len(better) == 1 and better[0].rule == "arms_too_high" and better[0].t_s > said[-1].t_s



def test_a_fault_on_every_other_rep_is_not_praised_each_time_it_goes():
    """Arms too high on reps 1, 3, 5 and 7: once the fault came back after a "better!", only two
    clean reps in a row earn another one (it alternated 'Arms lower' - 'Better!' all set long).
    The fault is still cued when it comes back and recorded on every faulty rep."""
    spec = get_exercise("lateral_shoulder_raises")
    faulty = (0, 2, 4, 6)
    sk, _ = ideal_clip("lateral_shoulder_raises", reps=10, view="front", seed=5,
                       rep_faults={k: ("arms_too_high",) for k in faulty})
    tr, events = run(spec, sk)
    assert [k for k, r in enumerate(tr.rep_log) if "arms_too_high" in r.issues] == list(faulty)
    better = [e for e in events if isinstance(e, FormEvent) and e.corrected]
    said = [e for e in events if isinstance(e, FormEvent) and e.rule == "arms_too_high" and not e.corrected]
    assert len(said) >= 2                      # the fault that came back is cued again
    # one "better!" after rep 1's fault went, one after reps 8 and 9 were both clean
    assert len(better) == 2, [e.t_s for e in better]
    assert better[0].t_s < tr.rep_log[2].start_s and better[1].t_s > tr.rep_log[8].start_s   # with rep 9, not 8

def test_the_fault_cue_is_spoken_during_the_rep_not_after_the_set():
    sk, tl = ideal_clip("pushups", reps=4, view="side", seed=2, rep_faults={1: ("hips_sag",)})
    tr, events = run(get_exercise("pushups"), sk)
    cue = next(e for e in events if isinstance(e, FormEvent) and e.rule == "hips_sag")
    rep = tl.reps[1]
    assert rep.start_frame / tl.fps <= cue.t_s <= (rep.end_frame + 1) / tl.fps


@pytest.mark.parametrize("kind", ["walk_in_place", "walk_across", "stretching", "pick_up_weights"])
@pytest.mark.parametrize("exercise", ["squats", "lunges", "bicep_curls", "jumping_jacks", "dumbbell_rows"])
def test_rest_motion_is_never_counted(exercise, kind):
    if (exercise, kind) == ("squats", "pick_up_weights"):
        pytest.skip("bending down to pick weights up is a squat; squats are done without weights")
    # a clip of only rest motion: use the synth's rest by asking for a 1-rep set of
    # something else far away and cutting it off
    sk, tl = ideal_clip("situps" if exercise != "situps" else "squats", reps=1, before=kind, after="",
                        rest_s=8.0, seed=11)
    rest = [s for s, label in zip(sk, tl.labels) if label == "rest"][: int(6.5 * tl.fps)]
    tr, _ = run(get_exercise(exercise), rest)
    assert tr.reps == 0


def test_nothing_counted_while_key_landmarks_are_out_of_view():
    spec = get_exercise("squats")
    sk, tl = ideal_clip("squats", reps=6, view="side", seed=4)
    hidden_from, hidden_to = tl.reps[2].start_frame, tl.reps[3].end_frame
    for s in sk[hidden_from:hidden_to + 1]:
        s.image[23:33, 1] = 1.4  # hips down out of the bottom of the frame
    tr = ExerciseTracker(spec)
    missing_seen = False
    for i, s in enumerate(sk):
        tr.update(s, s.timestamp_ms / 1000.0)
        if hidden_from + 5 < i < hidden_to:
            missing_seen |= "knee" in tr.missing and not tr.in_position   # squats need the knees (feet: optional)
    assert missing_seen
    assert tr.reps == 4  # reps 3 and 4 were not seen


def test_a_clip_starting_mid_rep_does_not_count_the_first_half():
    sk, tl = ideal_clip("squats", reps=4, view="side", seed=6)
    cut = tl.reps[0].bottom_frame
    tr, _ = run(get_exercise("squats"), sk[cut:])
    assert tr.reps == 3


def test_half_rep_between_full_reps_is_partial_then_counted_as_the_review_does():
    """A curl at 40% of the range between full ones: partial when it ends; once the next rep
    shows it took a usual rep's time, counted as a rep done shallow (review.count_shallow_reps,
    live through LiveReps.gap_reps) - the count said and the count saved agree."""
    spec = get_exercise("bicep_curls")
    sk, tl = ideal_clip("bicep_curls", reps=5, view="front", seed=8, side="both")
    # replay rep 2 at a quarter of its range by squashing the elbow motion toward the start
    start, end = tl.reps[2].start_frame, tl.reps[2].end_frame
    ref = sk[start - 1]
    for s in sk[start:end + 1]:
        for idx in (13, 14, 15, 16, 17, 18, 19, 20, 21, 22):
            s.image[idx, :2] = ref.image[idx, :2] + 0.4 * (s.image[idx, :2] - ref.image[idx, :2])
            s.world[idx] = ref.world[idx] + 0.4 * (s.world[idx] - ref.world[idx])
    tr, events = run(spec, sk)
    assert tr.partial_reps == 1 and any(isinstance(e, PartialRepEvent) for e in events)
    assert [(e.count, e.from_partial) for e in events if isinstance(e, RepEvent)] == [
        (1, False), (2, False), (3, True), (4, False), (5, False)]
    assert tr.reps == len(review_set(list(tr.rep_log), list(tr.partial_log))[0]) == 5


def test_reset_starts_a_new_set_and_live_values():
    spec = get_exercise("squats")
    sk, _ = ideal_clip("squats", reps=3, view="side", seed=9)
    tr, _ = run(spec, sk)
    assert tr.reps == 3
    live = tr.live
    assert live.signal == spec.counting.signal.name and live.phase in ("start", "moving", "not_ready")
    assert live.start_gate == spec.counting.start_gate and math.isfinite(live.value)
    tr.reset()
    assert tr.reps == 0 and tr.partial_reps == 0 and tr.live.phase == "not_ready"
    assert tr.update(None, 0.0) == [] and tr.missing == ["body"]


def test_one_euro_filter_removes_jitter_but_follows_motion():
    rng = np.random.default_rng(0)
    f = OneEuroFilter()
    t = np.arange(0, 4, 1 / 30)
    clean = np.where(t < 2, 0.0, 1.0)
    noisy = clean + rng.normal(0, 0.01, t.shape)
    out = np.array([f(np.array([x]), ti)[0] for x, ti in zip(noisy, t)])
    still = slice(10, 55)
    assert np.std(out[still]) < 0.7 * np.std(noisy[still])
    assert out[-1] == pytest.approx(1.0, abs=0.02)  # caught up after the step


def test_rows_count_on_the_hand_when_the_elbow_barely_moves():
    """Side-on the pose model's far elbow rises only ~0.07 torso lengths in a row (near its
    noise) while the hand still lifts: the row is counted on the hand's height."""
    sk, tl = ideal_clip("dumbbell_rows", reps=5, view="side", seed=3, side="right")
    pairs = ((13, 11), (14, 12))  # elbows and their shoulders
    rest = {e: sk[0].world[e] - sk[0].world[sh] for e, sh in pairs}
    for s in sk:  # each elbow moves 15% of its true way from where it hung
        for e, sh in pairs:
            s.world[e] = s.world[sh] + rest[e] + 0.15 * (s.world[e] - s.world[sh] - rest[e])
    tr, _ = run(get_exercise("dumbbell_rows"), sk)
    assert tr.reps == len(tl.reps) == 5


def test_offline_a_lone_rep_is_no_set_but_two_are():
    """analyze/eval see the whole clip: a single rep-like movement (a stretch with the arms
    overhead, squatting down for the weights) is reported as a partial rep, not a set of 1;
    live counting (the tracker) still counts it at once."""
    from deepfit_coach.analysis import track_segment

    spec = get_exercise("lateral_shoulder_raises")
    for reps in (1, 2):
        sk, _ = ideal_clip("lateral_shoulder_raises", reps=reps, view="front", seed=11)
        times = [s.timestamp_ms / 1000.0 for s in sk]
        tr, _ = run(spec, sk)
        assert tr.reps == reps
        seg = track_segment(spec, sk, times, times[0], times[-1])
        assert len(seg.reps) == (0 if reps == 1 else reps)
        assert len(seg.partial) == tr.partial_reps + (reps == 1)


def test_offline_a_rep_broken_in_two_is_joined_but_a_fast_full_rep_is_not():
    """merge_split_reps: a short, small rep right next to another, the two lasting about one
    usual rep, is one rep; a fast rep of the usual range, or a small rep after a pause, stays."""
    from deepfit_coach.counting.review import merge_split_reps
    from deepfit_coach.events import RepInfo

    def rep(a, b, rom):
        return RepInfo(index=0, start_s=a, end_s=b, side="both", rom_deg=rom, down_s=(b - a) / 2, up_s=(b - a) / 2)

    usual = [rep(0, 2, 1.0), rep(2.2, 4.2, 1.0), rep(4.4, 6.4, 1.0)]
    split = usual + [rep(6.5, 7.1, 0.4), rep(7.2, 8.6, 1.0)]
    out = merge_split_reps(split)
    assert [(r.start_s, r.end_s, r.index) for r in out][-1] == (6.5, 8.6, 4) and len(out) == 4
    fast_full = usual + [rep(6.5, 7.1, 1.0), rep(7.2, 8.6, 1.0)]
    assert len(merge_split_reps(fast_full)) == 5
    after_pause = usual + [rep(7.0, 7.6, 0.4), rep(8.4, 9.8, 1.0)]
    assert len(merge_split_reps(after_pause)) == 5


def test_offline_a_small_quick_rep_is_winding_down_only_at_the_edge_of_a_set():
    """edge_reps_winding: a first or last rep both much smaller and quicker than usual is
    setting up or winding down; the same rep mid-set, or a small rep taking its time at
    the end, still counts."""
    from deepfit_coach.counting.review import edge_reps_winding
    from deepfit_coach.events import RepInfo

    def rep(a, b, rom):
        return RepInfo(index=0, start_s=a, end_s=b, side="both", rom_deg=rom, down_s=(b - a) / 2, up_s=(b - a) / 2)

    usual = [rep(0, 2, 1.0), rep(2.2, 4.2, 1.0), rep(4.4, 6.4, 1.0)]
    reps, partials = edge_reps_winding(usual + [rep(6.6, 7.4, 0.15)], [])
    assert [r.index for r in reps] == [1, 2, 3] and len(partials) == 1 and partials[0].partial
    mid = usual[:2] + [rep(4.4, 5.2, 0.15)] + [rep(5.4, 7.4, 1.0), rep(7.6, 9.6, 1.0)]
    assert len(edge_reps_winding(mid, [])[0]) == 5
    slow_small = usual + [rep(6.6, 8.6, 0.15)]
    assert len(edge_reps_winding(slow_small, [])[0]) == 4


def test_offline_an_abrupt_last_rep_is_getting_up():
    """edge_reps_winding: a full-range last rep over in a fraction of the set's usual rep time
    (sitting up off the floor to stand after sit-ups) is kept as a partial rep; a quick first
    rep, a quick rep mid-set, or a last rep at half the usual time still count."""
    from deepfit_coach.counting.review import edge_reps_winding
    from deepfit_coach.events import RepInfo

    def rep(a, b, rom):
        return RepInfo(index=0, start_s=a, end_s=b, side="both", rom_deg=rom, down_s=(b - a) / 2, up_s=(b - a) / 2)

    usual = [rep(2.0, 6.0, 1.0), rep(6.2, 10.2, 1.0), rep(10.4, 14.4, 1.0)]
    reps, partials = edge_reps_winding(usual + [rep(14.6, 15.4, 1.3)], [])
    assert len(reps) == 3 and len(partials) == 1 and partials[0].start_s == 14.6 and partials[0].partial
    assert len(edge_reps_winding([rep(0.8, 1.6, 1.3)] + usual, [])[0]) == 4
    assert len(edge_reps_winding(usual[:2] + [rep(10.4, 11.2, 1.3), rep(11.4, 15.4, 1.0)], [])[0]) == 4
    assert len(edge_reps_winding(usual + [rep(14.6, 16.6, 1.0)], [])[0]) == 4
