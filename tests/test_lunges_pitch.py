"""Lunges and camera pitch: facing a camera that looks up (a phone on the floor or leaning against a wall).

From below, MediaPipe's 3D misses a lunge facing the camera: the feet's 3D distance stays at the
standing 0.4-0.7 hip-knee lengths and the knees read 155-170 deg at the bottom, so the feet's
spread (the level camera's count) saw 0 of 7 lunges (/work/data/lead23/pitch/pm15, seed 99006).
The picture still sees the hips drop toward the feet. The legs' 3D lean against vertical while
standing tells the camera's pitch (level: >= 6 deg toward the camera; looking up 15: -5..+4):
there lunges are counted on the feet's 3D spread minus the legs' length in the picture
(``drop``, lunges.yaml), a variant chained after the side-on one (``CountingSpec.variants``).
"""

from pathlib import Path

import numpy as np
import pytest

from deepfit_coach.counting.tracker import ExerciseTracker
from deepfit_coach.exercises import load_exercise_file
from deepfit_coach.exercises.catalogue import get_exercise
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.yamlfile import YamlValidationError

DATA = Path(__file__).parent / "data"
PITCH_UP = np.load(DATA / "lunges_pitch_up_poses.npz")  # lunges facing a camera looking up 15 deg (7 reps)
LEAN = np.load(DATA / "lunges_lean_poses.npz")          # lunges facing a level camera (seed 21506)


def replay(data, key: str) -> tuple[ExerciseTracker, list[str]]:
    w, h = (int(x) for x in data[key + "_size"])
    tr = ExerciseTracker(get_exercise("lunges"))
    used = []
    for t_ms, found, img, world in zip(data[key + "_t_ms"], data[key + "_found"], data[key + "_image"],
                                       data[key + "_world"]):
        tr.update(Skeleton(int(t_ms), img, world, w, h) if found else None, int(t_ms) / 1000.0)
        used.append(tr.counter.spec.signal.name)
    return tr, used


def test_lunges_facing_a_camera_looking_up_are_counted():
    tr, used = replay(PITCH_UP, "lunges_front_pm15")
    assert used[-1] == "drop"
    assert 5 <= tr.reps <= 8   # 7 lunges (the old count on the feet's 3D spread: 0)


PITCH_UP10 = np.load(DATA / "lunges_pitch_up10_poses.npz")  # 7 lunges facing a camera looking up 10 deg (seed 86002)


def test_a_lunge_whose_knee_bend_only_the_picture_sees_is_confirmed():
    """From below MediaPipe's 3D reads the front knee 158-166 deg at the bottom of real lunges, which
    the knee-bend confirm rejected (3 of these 7 counted); the picture's leg shortens to 0.45-0.94
    torso lengths (standing 1.55), which now confirms the bend."""
    w, h = (int(x) for x in PITCH_UP10["lunges_front_pm10_size"])
    skels = [Skeleton(int(t), img, world, w, h) if found else None
             for t, found, img, world in zip(PITCH_UP10["lunges_front_pm10_t_ms"], PITCH_UP10["lunges_front_pm10_found"],
                                             PITCH_UP10["lunges_front_pm10_image"], PITCH_UP10["lunges_front_pm10_world"])]
    times = [int(t) / 1000.0 for t in PITCH_UP10["lunges_front_pm10_t_ms"]]
    from deepfit_coach.analysis import track_segment

    seg = track_segment(get_exercise("lunges"), skels, times, 0.0, times[-1])
    assert 6 <= len(seg.reps) <= 7


def test_a_level_camera_keeps_the_feet_spread():
    tr, used = replay(LEAN, "lunges_front_lean")
    assert set(used[len(used) // 3:]) == {"stance"}


def test_the_variant_chain_is_parsed_in_order():
    spec = get_exercise("lunges")
    chain = spec.counting.variants()
    assert [v.signal.name for _, v in chain] == ["stance_x", "drop"]
    assert spec.counting.variant_window_s == 2.0
    assert {"stance", "stance_x", "drop"} <= spec.all_signals().keys()


BASE = """
name: hops
required: [torso]
signals:
  a: {distance: [left_ankle, right_ankle], source: world}
  b: {distance: [left_ankle, right_ankle], source: image}
  c: {distance: [left_hip, left_ankle], source: image}
counting:
  signal: a
  start: 0.5
  turn: 2.0
  min_rom: 0.4
  %s
  variant:
    if: b < 0.25
    signal: b
    start: 0.1
    turn: 1.0
    min_rom: 0.3
    variant:
      if: c < 1.0
      signal: %s
      start: 1.6
      turn: 0.8
      min_rom: 0.2
"""


def test_a_nested_variant_and_its_window_are_validated(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(BASE % ("variant_window_s: 2.5", "c"))
    (spec,) = load_exercise_file(good)
    assert [v.signal.name for _, v in spec.counting.variants()] == ["b", "c"]
    assert spec.counting.variant_window_s == 2.5
    assert get_exercise("squats").counting.variant_window_s is None  # opt-in
    for i, (text, msg) in enumerate(((BASE % ("variant_window_s: -1", "c"), "variant_window_s"),
                                     (BASE % ("", "nope"), "nope"))):
        bad = tmp_path / f"bad{i}.yaml"
        bad.write_text(text)
        with pytest.raises(YamlValidationError, match=msg):
            load_exercise_file(bad)


CLEAN = np.load(DATA / "lunges_front_clean_poses.npz")  # six clean lunges facing a level camera (eval_tune4)


@pytest.mark.parametrize("pitch", [-15, 0, 15])
def test_knee_past_toes_is_not_cued_on_clean_lunges_whatever_the_camera_pitch(pitch):
    """A camera looking down adds its pitch to the front shin's 3D lean: with the world skeleton
    pitched +15 the shin's absolute lean cued two of these six clean lunges. The rule now judges
    the shin's lean against the legs' (``shin_rel``), which the pitch turns alike."""
    from deepfit_coach.analysis import track_segment

    key = "lunges_front_clean"
    w, h = (int(x) for x in CLEAN[key + "_size"])
    skels = [Skeleton(int(t), img, world, w, h).pitched(pitch) if found else None
             for t, found, img, world in zip(CLEAN[key + "_t_ms"], CLEAN[key + "_found"], CLEAN[key + "_image"],
                                             CLEAN[key + "_world"])]
    times = [int(t) / 1000.0 for t in CLEAN[key + "_t_ms"]]
    seg = track_segment(get_exercise("lunges"), skels, times, 0.0, times[-1])
    assert len(seg.reps) == 6
    assert not [r.start_s for r in seg.reps if "knee_past_toes" in r.issues]
