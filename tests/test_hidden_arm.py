"""A one-arm set filmed side-on with the far arm working: the pose model reads that arm hidden
(visibility ~0.1) and mostly still, so little or nothing is counted; `analyze` says which arm it
could not see (with no rep counted, instead of an empty table; with some, that the count may be
off). Stored pose-model output of two rendered tricep sets (tuning grid pool_b, seeds 9523/9524:
the same set with the near and the far arm working)."""

from __future__ import annotations

import dataclasses
import re
from importlib.resources import files

from click.testing import CliRunner

from deepfit_coach.cli import cli
from deepfit_coach.coach.visibility import hidden_arm
from deepfit_coach.posefile import PoseWriter

from stored_poses import clip, load

DATA = load("hidden_arm_poses.npz")


def test_far_arm_hidden_and_near_arm_still():
    sk, ts = clip(DATA, "far")
    assert hidden_arm(sk, ts, 0.0, ts[-1]) == "right"


def test_near_arm_working_is_not_hidden():
    # the near arm moves through the set: the hidden far arm is not why anything went uncounted
    sk, ts = clip(DATA, "near")
    assert hidden_arm(sk, ts, 0.0, ts[-1]) is None


def test_too_few_frames_say_nothing():
    sk, ts = clip(DATA, "far")
    assert hidden_arm(sk[:3], ts[:3], 0.0, ts[-1]) is None


def _analyze(name: str, tmp_path, *extra: str, exercise: str = "tricep_extensions") -> str:
    sk, ts = clip(DATA, name)
    path = tmp_path / f"{name}.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        w = PoseWriter(fh, name, 15.0)
        for i, (s, t) in enumerate(zip(sk, ts)):
            w.write(int(round(t * 1000)), i, s)
    res = CliRunner().invoke(cli, ["analyze", f"replay:{path}", "-e", exercise, *extra],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_analyze_names_the_hidden_arm(tmp_path):
    # side-on the far arm's bottoms read as the arm hanging count (tricep_extensions.yaml), 3 of its 6
    # reps here: the count is said to be doubtful, and why
    out = _analyze("far", tmp_path)
    assert " 0 reps" not in out and "no reps counted" not in out
    assert "your right arm was hidden behind your body and your left arm stayed still" in out.lower()
    assert "the count may be off" in out
    assert "turn so that it is nearer the camera" in out


def test_analyze_names_the_hidden_arm_when_nothing_is_counted(tmp_path):
    # the built-in exercise as before its side-on clause, as a custom exercise of its own (a custom
    # one may not take a built-in's name or aliases): hanging elbows out of position
    text = (files("deepfit_coach.exercises") / "tricep_extensions.yaml").read_text(encoding="utf-8")
    side_on = "- elbow_rise > -0.3 or facing < 0.25\n"
    assert side_on in text and "\nname: tricep_extensions\n" in text
    text = re.sub(r"\naliases: .*\n", "\n", text.replace("\nname: tricep_extensions\n", "\nname: strict_triceps\n"))
    strict = tmp_path / "strict.yaml"
    strict.write_text(text.replace(side_on, "- elbow_rise > -0.3\n"), encoding="utf-8")
    out = _analyze("far", tmp_path, "--exercises", str(strict), exercise="strict_triceps")
    assert "0 reps" in out
    assert "No tricep extensions counted: your right arm was hidden behind your body" in out
    assert "turn so that it is nearer the camera" in out


def test_analyze_counted_set_has_no_hint(tmp_path):
    out = _analyze("near", tmp_path)
    assert "hidden behind" not in out and " 0 reps" not in out


def _coach_hints(name: str) -> list[str]:
    """The coach through a 6-rep tricep set fed the clip's set (from 3 s: the weights picked up) over
    and over for 30 s, its counter scripted to count nothing, as the real one did on the far arm
    before its side-on bottoms read hanging counted (3 of 6 now): the hint it says after 10 s in
    view (the set starts after the intro and countdown, at ~12 s)."""
    from coach_helpers import ScriptedTracker

    from deepfit_coach.coach import Coach
    from deepfit_coach.coach import events as cev
    from deepfit_coach.plan import ExerciseCatalogue, ExerciseInfo, loads_plan

    cat = ExerciseCatalogue([ExerciseInfo("tricep_extensions", "Tricep extensions", "Face the camera.",
                                          ("torso", "{side}_arm"))])
    plan = loads_plan("name: T\ncountdown: 3\nblocks:\n  - exercise: tricep_extensions\n    reps: 6\n", "t.yaml", cat)
    coach = Coach(plan, lambda ps: ScriptedTracker(ps.exercise, []))
    sk, ts = clip(DATA, name)
    frames = [k for k, t in zip(sk, ts) if t >= 3.0]
    out = []
    for i in range(30 * 15):
        k, t = frames[i % len(frames)], i / 15
        if k is not None:
            k = dataclasses.replace(k, timestamp_ms=int(round(t * 1000)))
        out += coach.update(k, t, None)
    return [e.say.text for e in out if isinstance(e, cev.PositionHint) and e.say is not None]


def test_coach_names_the_hidden_arm_live():
    assert _coach_hints("far") == ["I haven't counted a rep yet, and I can't see your right arm. If it's your "
                                   "working arm, turn so that it is nearer the camera."]


def test_coach_gives_its_camera_advice_when_no_arm_is_hidden():
    assert _coach_hints("near") == ["I haven't counted a rep yet. Face the camera."]
