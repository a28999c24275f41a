"""End to end: `deepfit-coach start` on a rendered workout video through the real pose model.

The mannequin does two exercises, two sets each, with rests; two squats of the second set
lean far forward (a form fault); during the first set of jumping jacks it leaves the frame
(empty frames) and comes back. The voice is the recording backend; we check the exact
spoken sequence, the reps per set, and that no rep is counted during rests or while the
person is out of frame. Each set has one rep more than the plan asks for: the extra rep
falls into the rest and must not be counted.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from deepfit_coach.cli import main

FPS = 10.0
PLAN = """\
name: Test workout
countdown: 3
blocks:
  - exercise: squats
    sets: 2
    reps: 4
    rest: 6
    rest_after: 6
  - exercise: jumping_jacks
    sets: 2
    reps: 4
    rest: 6
"""


@pytest.fixture(scope="module")
def workout_video(tmp_path_factory):
    import cv2

    from deepfit_coach.synth import SetSpec, WorkoutSpec, iter_frames, plan

    spec = WorkoutSpec(sets=[SetSpec("squats", 5), SetSpec("squats", 5, rep_faults={1: ("torso_lean",), 2: ("torso_lean",)}),
                             SetSpec("jumping_jacks", 7), SetSpec("jumping_jacks", 5)],
                       rest_s=9.0, rest_before=18.0, rest_after=2.0, rest_kinds=("standing",),
                       view="front", fps=FPS, width=320, height=240, seed=3)
    p = plan(spec)
    jacks = [r for r in p.truth.reps if p.truth.labels[r.start_frame] == "jumping_jacks"]
    blank = (jacks[1].end_frame + 1, jacks[4].start_frame - 1)   # reps 3 and 4 of that set happen unseen
    path = tmp_path_factory.mktemp("e2e") / "workout.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, (spec.width, spec.height))
    for i, (img, _) in enumerate(iter_frames(p)):
        writer.write(np.full_like(img, 120) if blank[0] <= i <= blank[1] else img)
    writer.release()
    return path, (blank[0] / FPS, blank[1] / FPS), p.truth


@pytest.mark.slow
def test_start_on_rendered_workout(workout_video, pose_model_path, tmp_path, capsys):
    video, (blank0, blank1), truth = workout_video
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN)
    said_path = tmp_path / "said.jsonl"
    with pytest.raises(SystemExit) as exit_info:
        main(["start", str(plan), "--source", str(video), "--voice", f"record:{said_path}", "--speed", "0",
              "--dashboard", "log", "--no-history", "--pose-model", str(pose_model_path)])
        raise SystemExit(0)
    out = capsys.readouterr().out
    assert exit_info.value.code == 0, out
    said = [json.loads(line)["text"] for line in said_path.read_text().splitlines()]

    from deepfit_coach.exercises import load_catalogue

    cues = {r.cue for name in ("squats", "jumping_jacks") for r in load_catalogue().get(name).form} | {"Better!"}
    flow = [s for s in said if s not in cues]
    counts = ["1", "2, two more", "3, last one", "4"]
    m, sec = re.search(r"summary: 16 reps, 4 sets, (\d+):(\d+)", out).groups()
    minutes = max(1, round((int(m) * 60 + int(sec)) / 60))
    assert flow == [  # the whole spoken workout, in order
        "Welcome to Test workout. Today: Squats and Jumping Jacks. About 1 minute.",
        "Squats: 2 sets of 4 reps. " + load_catalogue().get("squats").camera_advice,
        "3", "2", "1", "Go!", *counts, "Set complete.",
        "Rest 6 seconds. Next: set 2 of 2.", "3", "2", "1",
        "Squats, set 2. Go!", *counts, "Set complete.",
        "Rest 12 seconds. Next: Jumping Jacks, 4 reps. " + load_catalogue().get("jumping_jacks").camera_advice,
        "3", "2", "1",
        "Jumping Jacks, set 1. Go!", "1", "2, two more", "Step back into view.", "Welcome back.", "3, last one", "4",
        "Set complete.",
        "Rest 6 seconds. Next: set 2 of 2.", "3", "2", "1",
        "Jumping Jacks, set 2. Go!", *counts, "Set complete.",
        f"Workout complete. 16 reps in {minutes} minute{'s' if minutes != 1 else ''}. Great work!",
    ]
    # the leaning squats of the second set are cued while that set runs; the clean first set is not
    squat_cues = {r.cue for r in load_catalogue().get("squats").form}
    set1, set2 = said.index("Go!"), said.index("Squats, set 2. Go!")
    set1_end, set2_end = said.index("Set complete.", set1), said.index("Set complete.", set2)
    assert any(s in squat_cues for s in said[set2:set2_end]), out
    assert not any(s in squat_cues for s in said[set1:set1_end]), out

    # reps per set, from the log lines, and when they were counted
    log = re.findall(r"^\[(\d+):(\d+)\.(\d)\] (\w+) set (\d)/2: rep (\d)/4$", out, re.M)
    reps = [(int(m) * 60 + int(s) + int(d) / 10, ex, int(n), int(r)) for m, s, d, ex, n, r in log]
    # the recording says when each line was said (the log's clock) and what it is
    lines = [json.loads(line) for line in said_path.read_text().splitlines()]
    spoken_counts = [x["t_s"] for x in lines if x["kind"] == "count" and x["text"][0].isdigit()
                     and x["text"] not in ("3", "2", "1")]   # reps 2-4 (rep 1 says "1" as the countdown does)
    later_reps = [t for t, _, _, r in reps if r > 1]
    assert len(spoken_counts) == len(later_reps) == 12
    assert all(abs(a - b) <= 0.051 for a, b in zip(spoken_counts, later_reps)), (spoken_counts, later_reps)
    assert [x["t_s"] for x in lines] == sorted(x["t_s"] for x in lines)
    assert {x["kind"] for x in lines if x["text"] in squat_cues} == {"safety"}
    per_set: dict[tuple[str, int], int] = {}
    for _, ex, n, r in reps:
        per_set[(ex, n)] = max(per_set.get((ex, n), 0), r)
    assert per_set == {("squats", 1): 4, ("squats", 2): 4, ("jumping_jacks", 1): 4, ("jumping_jacks", 2): 4}
    rests = [(float(a) * 60 + float(b), None) for a, b in re.findall(r"^\[(\d+):(\d+\.\d)\] set complete", out, re.M)]
    ends = [float(a) * 60 + float(b) for a, b in re.findall(r"^\[(\d+):(\d+\.\d)\] rest over", out, re.M)]
    assert len(ends) == 3
    for (r0, _), r1 in zip(rests, ends):
        assert not any(r0 < t < r1 for t, *_ in reps), "a rep was counted during a rest"
    # out of frame: the set pauses about a second after the person vanished and resumes once
    # they are back; nothing is counted in between
    paused = [float(a) * 60 + float(b) for a, b in re.findall(r"^\[(\d+):(\d+\.\d)\] paused", out, re.M)]
    resumed = [float(a) * 60 + float(b) for a, b in re.findall(r"^\[(\d+):(\d+\.\d)\] resumed", out, re.M)]
    assert len(paused) == len(resumed) == 1
    assert blank0 < paused[0] < blank0 + 2.5 and blank1 < resumed[0] < blank1 + 2.5
    assert not any(paused[0] <= t <= resumed[0] for t, *_ in reps), "a rep was counted while out of frame"
    assert "summary: 16 reps, 4 sets" in out
