"""Rows are counted on the hand's 3D drop side-on and, facing the camera, on the elbow's rise in
the picture (the catalogue's counting ``variant``); a ``per`` of two segments for a body scale
that holds from any view."""

import dataclasses
import math

import numpy as np
import pytest

import stored_poses
from counting_synth import ideal_clip
from deepfit_coach.analysis import track_segment
from deepfit_coach.counting import ExerciseTracker
from deepfit_coach.counting.counter import FullRep
from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.exercises import get_exercise, parse_exercise
from deepfit_coach.skeleton import LM
from deepfit_coach.yamlfile import YamlValidationError

# eval_tune12 dumbbell_rows_front_0 (both arms, facing the camera): the true reps (s)
TRUTH_FRONT = [(3.2, 5.27), (5.67, 8.0), (8.0, 10.33), (10.33, 12.4), (12.8, 14.93), (15.33, 17.13),
               (17.53, 19.67)]


def _without_variant(spec):
    return dataclasses.replace(spec, counting=dataclasses.replace(spec.counting, variant=None, variant_if=None))


def test_rows_facing_the_camera_are_counted_on_the_elbow_in_the_picture():
    """MediaPipe (confidence 0.5) on a rendered set of 7 rows facing the camera. Its 3D reads
    the arms hanging between reps as raised toward the lens, so the hand's 3D drop swings back
    up at every hang: 8 'reps' (9 before rows' ``settle`` kept bending into the hinge out). The elbow's
    rise in the picture counts 7, one over each true rep."""
    spec = get_exercise("dumbbell_rows")
    sk, t = stored_poses.clip(stored_poses.load("rows_facing_poses.npz"), "rows_front")
    seg = track_segment(spec, sk, t, t[0], t[-1])
    assert seg.signal == "elbow_rise"
    assert len(seg.reps) == 7, [(r.start_s, r.end_s) for r in seg.reps]
    for (a, b), r in zip(TRUTH_FRONT, seg.reps):
        assert r.start_s < b and r.end_s > a, (a, b, r.start_s, r.end_s)
    old = track_segment(_without_variant(spec), sk, t, t[0], t[-1])
    assert old.signal == "wrist_drop" and len(old.reps) == 8


@pytest.mark.parametrize("view,signal", [("side", "wrist_drop"), ("front", "elbow_rise"), ("45", "elbow_rise")])
def test_the_view_before_the_set_chooses_how_rows_are_counted(view, signal):
    sk, tl = ideal_clip("dumbbell_rows", reps=5, view=view, seed=7, noise_px=1.0)
    tr = ExerciseTracker(get_exercise("dumbbell_rows"))
    for s in sk:
        tr.update(s, s.timestamp_ms / 1000.0)
    assert tr.counter.spec.signal.name == signal
    assert tr.reps == len(tl.reps) == 5
    tr.reset()   # a new set starts from the exercise's own way again
    assert tr.counter.spec.signal.name == "wrist_drop"


def _frame(points: dict[str, tuple[float, float]]):
    px = np.zeros((33, 2))
    for name, xy in points.items():
        px[int(LM[name.upper()])] = xy
    return px, np.zeros((33, 3)), np.ones(33)


def test_a_per_of_two_segments_is_their_root_sum_square():
    spec = parse_exercise({
        "name": "reach", "signals": {
            "drop": {"distance": ["left_shoulder", "left_wrist"], "axis": "y", "signed": True, "source": "image",
                     "per": ["left_shoulder", "right_shoulder", "mid_shoulder", "mid_hip"]},
            "drop_torso": {"distance": ["left_shoulder", "left_wrist"], "axis": "y", "signed": True,
                           "source": "image", "per": ["mid_shoulder", "mid_hip"]}},
        "counting": {"signal": "drop", "start": 1.0, "turn": 0.5, "min_rom": 0.1}})
    # shoulders 30 px apart, torso 40 px long, the wrist 100 px below the left shoulder
    px, world, vis = _frame({"left_shoulder": (100, 100), "right_shoulder": (130, 100), "left_hip": (100, 140),
                             "right_hip": (130, 140), "left_wrist": (100, 200)})
    values, _, _ = SignalExtractor(spec).compute(px, world, vis)
    assert values["drop"] == pytest.approx(100 / 50)         # hypot(30, 40) = 50
    assert values["drop_torso"] == pytest.approx(100 / 40)   # two points: as before
    many, _ = SignalExtractor(spec).compute_many(px[None], world[None], vis[None])
    assert many[0]["drop"] == pytest.approx(values["drop"])


ROWISH = {
    "name": "rowish",
    "signals": {
        "drop": {"distance": ["{side}_shoulder", "{side}_wrist"], "axis": "y", "signed": True, "side": "alternating"},
        "elbow_up": {"distance": ["{side}_shoulder", "{side}_elbow"], "axis": "y", "signed": True,
                     "source": "image", "side": "alternating"},
        "facing": {"distance": ["left_shoulder", "right_shoulder"], "source": "image"}},
    "counting": {"signal": "drop", "start": 1.1, "turn": 0.5, "min_rom": 0.09, "return_share": 0.45,
                 "variant": {"if": "facing > 0.3", "signal": "elbow_up", "start": 0.65, "turn": 0.35,
                             "min_rom": 0.065}}}


def test_a_counting_variant_has_its_own_values_and_the_blocks_unitless_ones():
    c = parse_exercise(ROWISH).counting
    v = c.variant
    assert v.signal.name == "elbow_up" and (v.start, v.turn, v.min_rom) == (0.65, 0.35, 0.065)
    assert v.return_share == 0.45                      # left out: the block's
    assert v.start_gate == pytest.approx(0.5)          # gates default half way, in its own units
    assert c.variant_if.text == "facing > 0.3" and v.variant is None


@pytest.mark.parametrize("change,message", [
    ({"if": "facin > 0.3"}, "variant condition uses unknown signal 'facin' (did you mean 'facing'?)"),
    ({"signal": "elbow"}, "counting signal 'elbow' is not defined under signals"),
    ({"min_rom": None}, "missing required key 'min_rom'"),
])
def test_a_bad_counting_variant_is_reported(change, message):
    d = {**ROWISH, "counting": {**ROWISH["counting"], "variant": dict(ROWISH["counting"]["variant"])}}
    for k, v in change.items():
        if v is None:
            d["counting"]["variant"].pop(k)
        else:
            d["counting"]["variant"][k] = v
    with pytest.raises(YamlValidationError) as err:
        parse_exercise(d)
    assert message in str(err.value)


def test_rows_usual_range_is_forgotten_when_the_way_of_counting_changes():
    """Another signal is another unit: a set started facing the camera does not judge its reps
    against a range measured side-on."""
    tr = ExerciseTracker(get_exercise("dumbbell_rows"))
    tr.counter.full_reps[:] = [FullRep(0.4, 2.0), FullRep(0.45, 2.0)]
    # a level camera's hinge facing it (the choice also reads the torso, the hips and the elbow's
    # hang: from below, dumbbell_rows.yaml counts on the hand's 3D drop)
    tr._choose_counting({"facing": 1.0, "torso": 60.0, "hip": 110.0, "elbow_rise": 0.65}, 0.0)
    assert tr.counter.spec.signal.name == "elbow_rise" and tr.counter.full_reps == []
    assert not math.isnan(tr.counter.spec.min_rom)


def test_a_variant_inherits_the_blocks_checked_values_not_its_errors():
    """An invalid unitless value of the block is reported once, at the block; the variant then
    keeps the default, and a variant's own value wins over the block's."""
    bad = {**ROWISH, "counting": {**ROWISH["counting"], "return_share": 1.5}}
    with pytest.raises(YamlValidationError) as err:
        parse_exercise(bad)
    assert str(err.value).count("return_share must be at most 1") == 1
    own = {**ROWISH, "counting": {**ROWISH["counting"], "partial_below": 0.3,
                                  "variant": {**ROWISH["counting"]["variant"], "partial_below": 0.25}}}
    c = parse_exercise(own).counting
    assert (c.partial_below, c.variant.partial_below, c.variant.return_share) == (0.3, 0.25, 0.45)


@pytest.mark.parametrize("cut_s,reps_after", [(5.6, 6), (7.2, 5)])
def test_a_set_cut_to_start_in_the_hinge_is_not_counted_the_way_its_first_frame_chose(cut_s, reps_after):
    """The same facing set, cut to start between reps, bent over: the counter arms on the first
    frame. That frame alone used to choose the hand's 3D drop (its elbow read a little under the
    hang's 0.52); the choice now goes on for a second of frames, which pick the elbow in the picture. Counted:
    the true reps that begin after the cut."""
    spec = get_exercise("dumbbell_rows")
    sk, t = stored_poses.clip(stored_poses.load("rows_facing_poses.npz"), "rows_front")
    i = int(np.searchsorted(t, cut_s))
    seg = track_segment(spec, sk[i:], t[i:], t[i], t[-1])
    assert seg.signal == "elbow_rise"
    assert len(seg.reps) == reps_after == sum(a >= cut_s for a, _ in TRUTH_FRONT)
