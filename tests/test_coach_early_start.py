"""A set started before "Go!": someone who does not wait for the coach, or a recorded video,
which cannot. Two full reps of the coming set seen during the intro, the announcement or the
countdown start it there, counted; one stray rep starts nothing, and a rest stays the plan's."""

from __future__ import annotations

import json

import numpy as np
import pytest
from coach_helpers import ScriptedTracker, small_catalogue, standing

from deepfit_coach.cli import main
from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as ev
from deepfit_coach.events import FormEvent, PartialRepEvent, RepInfo
from deepfit_coach.plan import loads_plan

PLAN = """
name: Early
countdown: 3
blocks:
  - exercise: squats
    sets: 2
    reps: 4
    rest: 12
"""


def _run(rep_times: list[float], timing: CoachTiming | None = None, until: float = 80.0,
         decision=None, labels: tuple[str, ...] | None = None) -> tuple[list, ScriptedTracker]:
    plan = loads_plan(PLAN, "t.yaml", small_catalogue())
    made: dict[str, ScriptedTracker] = {}

    def factory(ps):
        made[ps.exercise] = ScriptedTracker(ps.exercise, list(rep_times))
        return made[ps.exercise]

    coach = Coach(plan, factory, timing or CoachTiming(), classifier_labels=labels)
    out, t = [], 0.0
    while not coach.done and t < until:
        out += coach.update(standing(t), t, decision)
        t = round(t + 0.1, 6)
    return out, made["squats"]


def _said(events) -> list[str]:
    return [e.say.text for e in events if e.say is not None]


def test_two_reps_during_the_intro_start_the_set_and_count():
    # the welcome and the announcement take ~10 s; this person is already squatting at 2 s
    events, _ = _run([2.0, 4.0, 6.0, 8.0, 40.0, 42.0, 44.0, 46.0])
    started = [e for e in events if isinstance(e, ev.SetStarted)]
    assert started[0].t_s == pytest.approx(4.0, abs=0.11)   # at the second rep, not after a countdown
    assert started[0].start_s == pytest.approx(0.5)          # the history's set start: its first rep's (QA pass 4)
    text = _said(events)
    assert "You've started - I'm counting." in text and "Go!" not in text[:text.index("1")]
    done = [e.result for e in events if isinstance(e, ev.SetCompleted)]
    assert [r.reps for r in done] == [4, 4]
    assert done[0].start_s == pytest.approx(0.5)             # the first rep's start (2.0 - 1.5 s)
    counted = [e.t_s for e in events if isinstance(e, ev.RepCounted)][:4]
    assert counted[0] == pytest.approx(4.0, abs=0.11) and counted[2:] == pytest.approx([6.0, 8.0], abs=0.11)


class WobbleFirst(ScriptedTracker):
    """A partial rep (and its cue) while standing still before the reps, as a real counter may read a wobble."""

    def update(self, skeleton, t_s):
        out = super().update(skeleton, t_s)
        if abs(t_s - 1.0) < 1e-6:
            out += [PartialRepEvent(t_s, self.exercise, RepInfo(0, 0.2, 1.0, "both", 5.0, 0.4, 0.4, partial=True)),
                    FormEvent(t_s, self.exercise, "shallow", "Go deeper", "tip")]
        return out


def test_a_wobble_before_the_first_rep_is_not_part_of_the_set():
    plan = loads_plan(PLAN, "t.yaml", small_catalogue())
    coach = Coach(plan, lambda ps: WobbleFirst(ps.exercise, [2.0, 4.0, 6.0, 8.0]), CoachTiming())
    events, t = [], 0.0
    while t < 12.0:
        events += coach.update(standing(t), t, None)
        t = round(t + 0.1, 6)
    assert any(isinstance(e, ev.SetStarted) and e.t_s < 5 for e in events)
    assert not any(isinstance(e, (ev.PartialRep, ev.FormCue)) for e in events)
    assert "Go deeper" not in _said(events)


def test_one_stray_rep_before_go_starts_nothing():
    events, _ = _run([3.0, 30.0, 32.0, 34.0, 36.0])
    assert not any(e.say is not None and e.say.text.startswith("You've started") for e in events)
    go = next(e.t_s for e in events if isinstance(e, ev.SetStarted))
    assert go > 10.0                                          # the usual countdown
    assert not any(isinstance(e, ev.RepCounted) and e.t_s < go for e in events)


def test_reps_during_a_rest_do_not_end_it():
    # set 1 at 20-26 s, then the person keeps going through the 12-s rest
    events, _ = _run([20.0, 22.0, 24.0, 26.0, 28.0, 30.0, 32.0, 34.0, 36.0, 38.0])
    rest0 = next(e.t_s for e in events if isinstance(e, ev.RestStarted))
    rest1 = next(e.t_s for e in events if isinstance(e, ev.RestEnded))
    assert rest1 - rest0 == pytest.approx(12.0, abs=0.11)
    assert not any(isinstance(e, ev.RepCounted) and rest0 < e.t_s < rest1 for e in events)


def test_with_a_classifier_only_the_planned_exercise_starts_it():
    """Stretching reads as squats to the squat counter (up to 9 'reps' in a 40-s rest clip); the
    classifier calls it rest. Off switch, rest, another exercise: the usual countdown."""
    from types import SimpleNamespace

    reps, names = [2.0, 4.0, 6.0, 8.0], ("squats", "jumping_jacks")
    off, _ = _run(reps, CoachTiming(early_start_reps=0), until=30.0)
    runs = [off] + [_run(reps, until=30.0, labels=names, decision=SimpleNamespace(label=label, confidence=0.95))[0]
                    for label in ("rest", "jumping_jacks")]
    for events in runs:
        assert next(e.t_s for e in events if isinstance(e, ev.SetStarted)) > 10.0
    squats, _ = _run(reps, until=30.0, labels=names, decision=SimpleNamespace(label="squats", confidence=0.6))
    assert next(e.t_s for e in squats if isinstance(e, ev.SetStarted)) == pytest.approx(4.0, abs=0.11)


def test_an_exercise_the_classifier_does_not_know_starts_at_a_third_rep_unless_it_says_rest():
    """A plan's own exercise: the classifier cannot name it (its reps before "Go!" were never
    counted, QA pass 4), but it can tell a rest. A third rep is asked for; a rest starts nothing."""
    from types import SimpleNamespace

    reps, names = [2.0, 4.0, 6.0, 8.0], ("jumping_jacks", "rest")   # squats: not among its labels
    custom, _ = _run(reps, until=30.0, labels=names, decision=SimpleNamespace(label="unknown", confidence=0.5))
    started = next(e for e in custom if isinstance(e, ev.SetStarted))
    assert started.t_s == pytest.approx(6.0, abs=0.11) and started.start_s == pytest.approx(0.5)
    assert [e.result.reps for e in custom if isinstance(e, ev.SetCompleted)][0] == 4
    resting, _ = _run(reps, until=30.0, labels=names, decision=SimpleNamespace(label="rest", confidence=0.9))
    assert next(e.t_s for e in resting if isinstance(e, ev.SetStarted)) > 10.0


@pytest.mark.slow
def test_start_on_a_video_whose_set_begins_before_the_coach_is_ready(pose_model_path, tmp_path):
    """`start --source VIDEO` on a recording that starts squatting 1.5 s in: every rep is counted
    (the coach's welcome and announcement alone take ~10 s of the video)."""
    import cv2

    from deepfit_coach.synth import SetSpec, WorkoutSpec, iter_frames, plan

    spec = WorkoutSpec(sets=[SetSpec("squats", 5)], rest_s=0.0, rest_before=1.5, rest_after=2.0,
                       rest_kinds=("standing",), view="45", fps=10.0, width=320, height=240, seed=11)
    p = plan(spec)
    video = tmp_path / "early.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (spec.width, spec.height))
    for img, _ in iter_frames(p):
        writer.write(img)
    writer.release()
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text("name: Early video\ncountdown: 3\nblocks:\n  - exercise: squats\n    sets: 1\n    reps: 5\n")
    said = tmp_path / "said.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        main(["start", str(plan_file), "--source", str(video), "--voice", f"record:{said}", "--speed", "0",
              "--dashboard", "log", "--no-history", "--pose-model", str(pose_model_path)])
        raise SystemExit(0)
    assert exit_info.value.code == 0
    texts = [json.loads(line)["text"] for line in said.read_text().splitlines()]
    assert "You've started - I'm counting." in texts
    assert "5" in texts and texts[-1].startswith("Workout complete. 5 reps")
    assert len(p.truth.reps) == 5 and np.isclose(p.truth.reps[0].start_frame / 10.0, 1.5, atol=1.0)
