"""A shallow squat facing the camera that MediaPipe's 3D barely sees bend is still a squat.

The clip: MediaPipe poses (pose recovery on) of a rendered set facing a camera looking down
20 deg (evalp20_tune squats_front_1, seed 27502, 2.6-22.4 s): five full squats, then a squat
bending the knees 51 deg and the hips 38 (the renderer's truth) that MediaPipe read as 9 and 12
- depth moved 10.5% of the usual rep, under ``partial_below`` (12%), so it was a partial rep (5 reps and 1 partial on the old code).
It took 2.3 s against the usual ~3 s: ``shallow_rep`` counts a rep that slow at >= 8% of the
usual depth, where a step of walking in place as small is quick.
"""

from dataclasses import replace

import pytest

from deepfit_coach.analysis import track_segment
from deepfit_coach.counting.counter import FullRep, RepCounter
from deepfit_coach.counting.tracker import ExerciseTracker
from deepfit_coach.exercises import load_exercise_file
from deepfit_coach.exercises.catalogue import get_exercise
from deepfit_coach.yamlfile import YamlValidationError
from stored_poses import clip, load

DATA = load("h90_shallow_squat_poses.npz")
KEY = "squats_front_p20_shallow"


def test_a_slow_shallow_squat_counts_live_and_offline():
    sk, ts = clip(DATA, KEY)
    tr = ExerciseTracker(get_exercise("squats"))
    for s, t in zip(sk, ts):
        tr.update(s, t)
    tr.flush(ts[-1])
    assert tr.reps == 6, [(r.start_s, r.end_s, r.rom_deg) for r in tr.rep_log]
    seg = track_segment(get_exercise("squats"), sk, ts, ts[0], ts[-1])
    assert len(seg.reps) == 6 and not seg.partial, ([(r.start_s, r.rom_deg) for r in seg.reps],
                                                    [(r.start_s, r.rom_deg) for r in seg.partial])
    assert "shallow" in seg.reps[-1].issues   # and its form: too shallow


def _counter(shallow):
    spec = get_exercise("squats").counting
    c = RepCounter(replace(spec, shallow_rep=shallow))
    c.full_reps[:] = [FullRep(rom, 3.0) for rom in (100.0, 110.0, 120.0)]
    return c


@pytest.mark.parametrize("rom,dur,counts", [
    (10.5, 2.3, True),    # slow and >= 8%: a shallow squat
    (10.5, 1.0, False),   # as small but quick: a step, a twitch
    (7.9, 2.3, False),    # slow but under 8% of the usual depth
    (13.5, 0.6, True),    # over partial_below: a rep whatever its time
])
def test_shallow_rep_rule(rom, dur, counts):
    c = _counter((0.08, 0.5))
    c._t0, c._turn, c._s0 = 10.0, -40.0 + rom, -40.0   # standing at depth 40 (u = -depth), then down by rom
    cyc = c._judge(rom, 10.0 + dur)
    assert cyc is not None and cyc.full == counts, cyc
    old = _counter(None)   # without shallow_rep: only the share of the usual range
    old._t0, old._turn, old._s0 = 10.0, -40.0 + rom, -40.0
    assert old._judge(rom, 10.0 + dur).full == (rom >= 0.12 * 110)


def test_shallow_rep_is_checked(tmp_path):
    text = """
name: folds
required: [torso]
signals:
  knee: {angle: [left_hip, left_knee, left_ankle]}
counting: {signal: knee, start: 170, turn: 90, min_rom: 20, partial_below: 0.5, %s}
"""
    good = tmp_path / "good.yaml"
    good.write_text(text % "shallow_rep: [0.3, 0.6]")
    (spec,) = load_exercise_file(good)
    assert spec.counting.shallow_rep == (0.3, 0.6)
    for i, bad in enumerate(("shallow_rep: [0.3]", "shallow_rep: [0, 0.5]", "shallow_rep: [0.3, 2]")):
        p = tmp_path / f"bad{i}.yaml"
        p.write_text(text % bad)
        with pytest.raises(YamlValidationError, match="shallow_rep"):
            load_exercise_file(p)
