"""The ``travel`` signal (a point's travel in the picture per body length) and the gate it
gives the catalogue: someone walking across the picture is not counted."""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from counting_synth import ideal_clip
from deepfit_coach.counting.signals import SignalExtractor
from deepfit_coach.exercises import load_exercise_file, parse_exercise
from deepfit_coach.skeleton import LM
from deepfit_coach.yamlfile import YamlValidationError

PROBE = {"name": "probe", "signals": {"knee": {"angle": ["left_hip", "left_knee", "left_ankle"]},
                                      "hip_travel": {"travel": "mid_hip", "axis": "x"}},
         "counting": {"signal": "knee", "start": 170, "turn": 90, "min_rom": 30}}


def _standing_pixels() -> np.ndarray:
    """A standing person in the picture (pixels, ideal synth joints)."""
    sk, _ = ideal_clip("squats", reps=1, view="side", seed=3, after="")
    return sk[0].image[:, :2].astype(float) * np.array([sk[0].width, sk[0].height])


def _run(frames: list[np.ndarray], vis: list[np.ndarray] | None = None) -> list[float]:
    ex = SignalExtractor(parse_exercise(PROBE))
    world = np.zeros((33, 3))
    out = []
    for k, px in enumerate(frames):
        values, _, _ = ex.compute(px, world, np.ones(33) if vis is None else vis[k])
        out.append(values["hip_travel"])
    return out


def _torso(px: np.ndarray) -> float:
    mid_sh = 0.5 * (px[LM.LEFT_SHOULDER] + px[LM.RIGHT_SHOULDER])
    mid_hip = 0.5 * (px[LM.LEFT_HIP] + px[LM.RIGHT_HIP])
    return float(np.linalg.norm(mid_sh - mid_hip))


def test_walking_reads_as_body_lengths_wherever_and_however_big_the_person_is():
    base = _standing_pixels()
    step = np.array([0.05 * _torso(base), 0.0])        # 0.05 torso lengths a frame
    walk = [base + k * step for k in range(31)]
    near = [2.0 * p + np.array([-400.0, -150.0]) for p in walk]   # twice as big, elsewhere
    far = [0.5 * p + np.array([900.0, 60.0]) for p in walk]
    for frames in (walk, near, far):
        v = _run(frames)
        assert v[0] == 0.0 and v[-1] == pytest.approx(1.5, abs=1e-6)
    back = _run([base - k * step for k in range(11)])
    assert back[-1] == pytest.approx(-0.5, abs=1e-6)   # signed along the axis


def test_standing_still_is_no_travel_though_the_torso_shortens_in_the_picture():
    """A torso tilting toward the lens (facing the camera, a squat's lean) shortens in the
    picture: a position divided by the body length of the moment would read that as
    travel for a person standing far from the picture's origin; summed moves do not."""
    base = _standing_pixels() + np.array([1200.0, 0.0])
    frames = []
    for k in range(60):
        px = base.copy()
        shorten = 0.4 * math.sin(k / 6.0) ** 2
        for i in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER):
            px[i, 1] += shorten * _torso(base)
        frames.append(px)
    assert max(abs(v) for v in _run(frames)) < 1e-9


def test_a_moment_of_foreshortened_torso_does_not_inflate_the_travel():
    """The body length is a running median: three frames of a torso at a fifth of its length
    (a pose-model glitch, a lean toward the lens) leave a step's travel as it was."""
    base = _standing_pixels()
    t = _torso(base)
    frames = [base.copy() for _ in range(20)]
    for k in range(10):
        px = base + np.array([0.1 * t * (k + 1), 0.0])
        if 3 <= k < 6:
            px[[LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER], 1] += 0.8 * t
        frames.append(px)
    v = _run(frames)
    assert v[-1] == pytest.approx(1.0, abs=0.02)


def test_a_hidden_point_reads_nan_and_its_move_counts_on_its_return():
    base = _standing_pixels()
    t = _torso(base)
    frames = [base, base + [0.5 * t, 0], base + [1.0 * t, 0], base + [1.2 * t, 0]]
    vis = [np.ones(33) for _ in frames]
    vis[1][[LM.LEFT_HIP, LM.RIGHT_HIP]] = 0.0
    v = _run(frames, vis)
    assert v[0] == 0.0 and math.isnan(v[1]) and v[2] == pytest.approx(1.0) and v[3] == pytest.approx(1.2)


def test_reset_starts_the_travel_again():
    base = _standing_pixels()
    ex = SignalExtractor(parse_exercise(PROBE))
    for k in range(5):
        ex.compute(base + [30.0 * k, 0.0], np.zeros((33, 3)), np.ones(33))
    ex.reset()
    values, _, _ = ex.compute(base + [500.0, 0.0], np.zeros((33, 3)), np.ones(33))
    assert values["hip_travel"] == 0.0


BAD = """\
name: probe
signals:
  knee: {angle: [left_hip, left_knee, left_ankle]}
  a: {travel: "{side}_hip", axis: x}
  b: {travel: mid_hip, source: world}
  c: {travel: mid_hip, axis: xy}
  d: {travel: mid_hip, axis: x, side: best}
  e: {travel: mid_hipp}
counting: {signal: knee, start: 170, turn: 90, min_rom: 30}
confirm: [a_span < 0.9, f_span < 0.9]
"""


def test_travel_signals_are_validated_with_file_and_line(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(BAD)
    with pytest.raises(YamlValidationError) as err:
        load_exercise_file(p)
    msgs = [str(i) for i in err.value.issues]
    text = "\n".join(msgs)
    assert all(re.match(rf"{re.escape(str(p))}:\d+:\d+: ", m) for m in msgs), msgs
    assert f"{p}:4:15: travel of signal 'a' follows one point" in text
    assert f"{p}:5:32: travel of signal 'b' is measured in the picture" in text
    assert f"{p}:6:30: travel of signal 'c' is along one image axis" in text
    assert f"{p}:7:39: 'side' does not apply to travel signals" in text
    assert "unknown landmark 'mid_hipp' (did you mean 'mid_hip'?)" in text
    assert "condition uses unknown signal 'f_span'" in text and "'a_span'" not in text
    with pytest.raises(YamlValidationError, match="counting signal 'hip_travel' is a travel signal"):
        parse_exercise({**PROBE, "counting": {**PROBE["counting"], "signal": "hip_travel"}})
    good = parse_exercise(PROBE)
    sig = good.signals["hip_travel"]
    assert (sig.kind, sig.points, sig.source, sig.axis) == ("travel", ("mid_hip",), "image", "x")


WALK = np.load(Path(__file__).parent / "data" / "walk_across_poses.npz")  # tune8 rest clip, both realisations


def _replay(key: str, exercise: str):
    from deepfit_coach.counting import ExerciseTracker
    from deepfit_coach.exercises import get_exercise
    from deepfit_coach.skeleton import Skeleton

    w, h = (int(x) for x in WALK[key + "_size"])
    tr = ExerciseTracker(get_exercise(exercise))
    for t_ms, found, img, world in zip(WALK[key + "_t_ms"], WALK[key + "_found"], WALK[key + "_image"],
                                       WALK[key + "_world"]):
        tr.update(Skeleton(int(t_ms), img.astype(np.float64), world.astype(np.float64), w, h) if found else None,
                  int(t_ms) / 1000.0)
    return tr


@pytest.mark.parametrize("key", ["walk", "walk_c02"])
def test_walking_across_the_picture_is_no_squat_nor_any_standing_exercise(key):
    """Real pose-model output of someone walking across the picture (eval_tune8's rest clip,
    MediaPipe at confidence 0.5 and 0.2): each stride dips the hips like a shallow squat, and
    without the travel gate the squat counter counted 4 reps in both. Truth: 0."""
    from deepfit_coach.exercises import load_catalogue

    for spec in load_catalogue():
        tr = _replay(key, spec.name)
        assert tr.reps == 0 and not tr.rep_log, (spec.name, [(r.start_s, r.end_s) for r in tr.rep_log])
