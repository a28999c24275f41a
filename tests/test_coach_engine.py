"""The coach state machine on scripted frames: order of events, pauses, rest, skip, quit."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from coach_helpers import ScriptedTracker, small_catalogue, standing

from deepfit_coach.coach import Coach, CoachTiming
from deepfit_coach.coach import events as ev
from deepfit_coach.plan import loads_plan

PLAN = """
name: Test
countdown: 3
blocks:
  - exercise: squats
    sets: 2
    reps: 4
    rest: 12
    rest_after: 5
  - exercise: pushups
    sets: 1
    duration: 20
"""


def run(coach, frames, fps=10.0):
    """frames: callable t -> (skeleton|None, decision|None); returns all events."""
    out, t = [], 0.0
    while not coach.done and t < 400:
        skel, dec = frames(t)
        out += coach.update(skel, t, dec)
        t = round(t + 1 / fps, 6)
    return out


def said(events):
    return [e.say.text for e in events if e.say is not None]


def make(plan_text=PLAN, rep_times=None, faults=None, **timing):
    plan = loads_plan(plan_text, "t.yaml", small_catalogue())
    trackers = {}

    def factory(ps):
        trackers[ps.exercise] = ScriptedTracker(ps.exercise, list(rep_times.get(ps.exercise, [])),
                                                (faults or {}).get(ps.exercise))
        return trackers[ps.exercise]

    return Coach(plan, factory, CoachTiming(**timing)), trackers


def test_full_flow_spoken_sequence_and_counts():
    # reps happen at these times; the ones during rest (40-52) must never be counted
    reps = {"squats": [15, 17, 19, 21, 30, 31, 32, 33, 34, 35, 36], "pushups": []}
    coach, trackers = make(rep_times=reps)
    events = run(coach, lambda t: (standing(t), None))
    text = said(events)
    assert text[0].startswith("Welcome to Test. Today: Squats and Pushups.")
    assert text[1] == "Squats: 2 sets of 4 reps. Stand side-on to the camera."
    i = text.index("3")
    assert text[i:i + 8] == ["3", "2", "1", "Go!", "1", "2, two more", "3, last one", "4"]
    assert text[i + 8] == "Set complete."
    assert text[i + 9] == "Rest 12 seconds. Next: set 2 of 2."
    # "10 seconds", 2 s into the rest, would cut its words short (a count interrupts speech)
    assert text[i + 10:i + 13] == ["3", "2", "1"]
    assert text[i + 13] == "Squats, set 2. Go!"
    done = [e for e in events if isinstance(e, ev.SetCompleted)]
    assert [d.result.reps for d in done] == [4, 4, 0]
    # set 2 starts after the rest; reps scripted during the rest were not counted as they happened
    rest = next(e for e in events if isinstance(e, ev.RestStarted))
    end_rest = next(e for e in events if isinstance(e, ev.RestEnded))
    assert not any(isinstance(e, ev.RepCounted) and rest.t_s < e.t_s < end_rest.t_s for e in events)
    assert "20 seconds" not in text
    assert any(t.startswith("Time!") or t == "Time!" for t in text)
    assert text[-1].startswith("Workout complete. 8 reps")
    # one reset per set, and one when the first set's tracker starts watching before "Go!" (early start)
    assert trackers["squats"].resets == 3


def test_walk_out_of_frame_pauses_counting_and_timer():
    reps = {"squats": [15, 16, 25, 26, 27, 28], "pushups": []}
    coach, trackers = make(rep_times=reps)
    # out of frame from 20 to 30 s: the reps at 25..28 happen "off camera"
    events = run(coach, lambda t: (None if 20 <= t < 30 else standing(t), None))
    text = said(events)
    assert "Step back into view." in text and "Welcome back." in text
    ooo = next(e for e in events if isinstance(e, ev.OutOfView))
    assert 21.0 <= ooo.t_s <= 21.2
    counted = [e.t_s for e in events if isinstance(e, ev.RepCounted)]
    assert not any(20 <= t < 30 for t in counted)


def test_walk_out_of_a_timed_set_says_the_clock_stopped_and_what_is_left():
    plan = "name: T\ncountdown: 3\nblocks:\n  - exercise: pushups\n    duration: 20\n"
    coach, _ = make(plan, rep_times={"pushups": []})
    go = []

    def frames(t):
        if go and 5 <= t - go[0] < 12:   # away from 5 s into the set for 7 s
            return None, None
        return standing(t), None

    events, t = [], 0.0
    while not coach.done and t < 200:
        skel, dec = frames(t)
        new = coach.update(skel, t, dec)
        if not go and any(isinstance(e, ev.SetStarted) for e in new):
            go.append(t)
        events += new
        t = round(t + 0.1, 6)
    text = said(events)
    assert "Step back into view. The clock is paused." in text
    back = next(x for x in text if x.startswith("Welcome back."))
    # 20 s set, ~6 s of it run when the pause began: 14 or 15 s left, not the 8 s a wall clock would leave
    assert back in ("Welcome back. 14 seconds left.", "Welcome back. 15 seconds left.")
    done = next(e for e in events if isinstance(e, ev.SetCompleted))
    assert done.t_s - go[0] >= 26


def test_classifier_mismatch_one_hint_and_no_counting():
    reps = {"squats": [15, 16, 20, 21, 22, 23, 24, 30, 31], "pushups": []}
    coach, trackers = make(rep_times=reps, faults={"squats": {23.5: "Knees out"}})
    lunges = SimpleNamespace(label="lunges", confidence=0.95)
    squats = SimpleNamespace(label="squats", confidence=0.9)
    events = run(coach, lambda t: (standing(t), lunges if 17 <= t < 27 else squats))
    text = said(events)
    hints = [s for s in text if s.startswith("You seem to be doing lunges")]
    assert len(hints) == 1
    counted = [e.t_s for e in events if isinstance(e, ev.RepCounted) and e.planned.set_number == 1]
    assert not any(19.4 < t < 27 for t in counted)
    assert "Knees out" not in text  # the squat cue fired during the lunges: not spoken


def test_after_a_mismatch_cues_wait_for_the_planned_exercise():
    """Lunges from 17 s, the classifier sure of them only now and then (below its 0.8 the mismatch
    clears after 1 s): a squat cue at 26 s came straight after "I'll count squats only". Cues wait
    until the classifier names squats again or two reps are counted; then they are said."""
    reps = {"squats": [15, 16, 30, 31, 32], "pushups": []}
    coach, _ = make(rep_times=reps, faults={"squats": {26.0: "Knees out", 33.5: "Chest up"}})
    sure, unsure = SimpleNamespace(label="lunges", confidence=0.95), SimpleNamespace(label="lunges", confidence=0.6)
    unknown = SimpleNamespace(label="unknown", confidence=0.3)

    def frames(t):
        return standing(t), (sure if 17 <= t < 22 else unsure if 22 <= t < 29 else unknown)
    text = said(run(coach, frames))
    assert sum(s.startswith("You seem to be doing lunges") for s in text) == 1
    assert "Knees out" not in text
    assert "Chest up" in text          # reps at 30 and 31 counted: the planned exercise is back
    # the classifier naming squats lifts the quiet at once
    coach, _ = make(rep_times=reps, faults={"squats": {26.0: "Knees out"}})
    back = SimpleNamespace(label="squats", confidence=0.9)
    text = said(run(coach, lambda t: (standing(t), sure if 17 <= t < 22 else unsure if 22 <= t < 25 else back)))
    assert "Knees out" in text


def test_waits_for_person_and_hints():
    coach, _ = make(rep_times={"squats": [], "pushups": []})
    events = run(coach, lambda t: (None if t < 20 else standing(t), None))
    hints = [e for e in events if isinstance(e, ev.PositionHint)]
    assert hints and hints[0].say.text == "I can't see you. Step into the frame."
    go = next(e for e in events if isinstance(e, ev.CountdownTick))
    assert go.t_s >= 21.0


def test_pause_skip_quit_commands():
    coach, _ = make(rep_times={"squats": [], "pushups": []})
    for i in range(140):  # 14 s: into the first set
        coach.update(standing(i / 10), i / 10)
    assert coach.phase.value == "active"
    out = coach.command("pause", 14.0)
    assert isinstance(out[0], ev.Paused)
    left = coach.status()
    for i in range(140, 240):
        coach.update(standing(i / 10), i / 10)
    assert coach.phase.value == "active" and coach.status().paused
    coach.command("pause", 24.0)  # toggles back
    out = coach.command("skip", 24.0)
    assert any(isinstance(e, ev.Skipped) for e in out) and coach.phase.value == "rest"
    out = coach.command("quit", 25.0)
    summary = [e for e in out if isinstance(e, ev.WorkoutCompleted)][0].summary
    assert not summary.completed and summary.results[0].skipped
    assert coach.done and left.reps == 0


def test_finish_records_set_in_progress():
    coach, _ = make(rep_times={"squats": [15, 16], "pushups": []})
    for i in range(170):
        coach.update(standing(i / 10), i / 10)
    out = coach.finish()
    res = [e for e in out if isinstance(e, ev.SetCompleted)][0].result
    assert res.reps == 2 and res.stopped
    assert out[-1].say.text == "Workout stopped. You did 2 reps. See you next time."


def test_back_after_rest_gets_a_countdown():
    reps = {"squats": [15, 16, 17, 18, 50, 51, 52, 53], "pushups": []}
    coach, _ = make(rep_times=reps)
    # away from the end of set 1 until 45 s: the rest ends while nobody is in view
    events = run(coach, lambda t: (None if 22 <= t < 45 else standing(t), None))
    text = said(events)
    i = text.index("Rest 12 seconds. Next: set 2 of 2.")
    after = text[i + 1:]
    assert "I can't see you. Step into the frame." in after
    j = max(k for k, x in enumerate(after) if x == "I can't see you. Step into the frame.")
    assert after[j + 1:j + 5] == ["3", "2", "1", "Go!"]


def test_circuit_rounds_announce_camera_advice_only_in_the_first_round():
    plan_text = """
name: Circuit
countdown: 0
blocks:
  - name: C
    rounds: 2
    rest: 0
    rest_after_round: 5
    circuit:
      - {exercise: squats, reps: 2}
      - {exercise: lunges, reps: 2}
"""
    reps = {"squats": [t for t in range(8, 200, 2)], "lunges": [t for t in range(8, 200, 2)]}
    coach, _ = make(plan_text, rep_times=reps)
    text = said(run(coach, lambda t: (standing(t), None)))
    advice = [s for s in text if "Stand side-on" in s]
    assert len(advice) == 2        # squats and lunges, round 1 only
    assert "Lunges, 2 reps." in text and text.count("Set complete.") == 4


def test_missing_parts_and_their_words():
    from deepfit_coach.coach.visibility import describe_missing, missing_parts
    from deepfit_coach.skeleton import LM

    sk = standing(0)
    assert missing_parts(sk, ("torso", "{side}_leg")) == []
    sk.image[[LM.LEFT_KNEE, LM.RIGHT_KNEE], 3] = 0.1          # both knees hidden: no leg on either side
    assert missing_parts(sk, ("torso", "{side}_leg")) == ["leg"]
    assert describe_missing(["leg"]) == "your legs"
    sk.image[LM.LEFT_WRIST, 1] = 1.4                          # a wrist below the frame
    assert missing_parts(sk, ("left_arm",)) == ["left arm"]
    assert describe_missing(["left arm", "torso"]) == "your left arm and your torso"
    assert missing_parts(None, ()) == ["body"] and describe_missing(["body"]) == "you"


def test_tempo_tip_once_per_set_when_lowering_too_fast():
    plan_text = PLAN.replace("    rest: 12\n", "    rest: 12\n    tempo: 3-0-1\n")
    reps = {"squats": [15, 17, 19, 21, 30, 31, 32, 33], "pushups": []}
    coach, _ = make(plan_text, rep_times=reps)
    events = run(coach, lambda t: (standing(t), None))
    tips = [e for e in events if isinstance(e, ev.TempoTip)]
    # scripted reps take 0.8 s down: well under half of the 3 s target
    assert [e.planned.set_number for e in tips] == [1, 2]
    assert said(events).count("Slower on the way down: 3 seconds.") == 2


def test_a_workout_under_half_a_minute_is_said_in_seconds():
    from deepfit_coach.coach import phrases

    assert phrases.summary(6, 23 / 60, True, 0.0).text == "Workout complete. 6 reps in 23 seconds. Great work!"
    assert phrases.summary(30, 1.4, True, 0.0).text == "Workout complete. 30 reps in 1 minute. Great work!"


def test_the_status_shows_the_finished_set_in_its_rest_and_at_the_end():
    """During a rest the panel shows the set just done - its place in the plan too (it said 'set 2 of 3
    in plan' beside 'Set 1/2') - and the last screen shows the last set's reps, not 'Reps 0/6'."""
    reps = {"squats": [15, 17, 19, 21, 30, 31, 32, 33], "pushups": []}
    coach, _ = make(rep_times=reps)
    t, seen_rest = 0.0, None
    while not coach.done and t < 400:
        coach.update(standing(t), t, None)
        st = coach.status()
        if st.phase == "rest" and seen_rest is None:
            seen_rest = st
        t = round(t + 0.1, 6)
    assert (seen_rest.set_number, seen_rest.set_index, seen_rest.reps, seen_rest.target) == (1, 0, 4, 4)
    squats_only = "name: Test\ncountdown: 3\nblocks:\n  - exercise: squats\n    sets: 1\n    reps: 4\n"
    coach, _ = make(plan_text=squats_only, rep_times={"squats": [15, 17, 19, 21]})
    run(coach, lambda t: (standing(t), None))
    end = coach.status()
    assert (end.phase, end.reps, end.target, end.set_number) == ("done", 4, 4, 1)


def test_a_short_rest_before_a_new_exercise_lasts_until_its_words_are_said():
    """"Rest 5 seconds. Next: Pushups, 20 seconds. <camera advice>" takes longer than 5 s to say;
    its "3, 2, 1" came on top of it and cut the advice (a count interrupts speech). The rest
    lasts until the words are said and the 3 s of its count; the set then starts by name."""
    reps = {"squats": [15, 17, 19, 21, 40, 41, 42, 43], "pushups": []}
    coach, _ = make(rep_times=reps)
    events = run(coach, lambda t: (standing(t), None))
    rests = [e for e in events if isinstance(e, ev.RestStarted)]
    assert rests[0].seconds == 12.0                      # its words fit before its count: the plan's
    words = rests[1].say.text
    assert "Next: Pushups" in words and "side-on" in words
    talk = coach._speech_s(words) - 0.5
    assert rests[1].seconds == pytest.approx(talk + 3, abs=1.0) and rests[1].seconds > 5.0
    assert coach.rest_after(1) == rests[1].seconds and coach.rest_after(0) == 12.0
    # the lengthened rest says how long it lasts, not the plan's 5 s
    assert [r.say.text.split(".")[0] for r in rests] == ["Rest 12 seconds", f"Rest {rests[1].seconds:g} seconds"]
    ticks = [e for e in events if isinstance(e, ev.RestTick) and e.t_s > rests[1].t_s]
    assert [k.remaining for k in ticks] == [3, 2, 1] and ticks[0].t_s >= rests[1].t_s + talk
    end = next(e for e in events if isinstance(e, ev.RestEnded) and e.t_s > rests[1].t_s)
    assert end.t_s - rests[1].t_s == pytest.approx(rests[1].seconds, abs=0.11)
    started = [e for e in events if isinstance(e, ev.SetStarted)]
    assert started[-1].say.text == "Pushups, set 1. Go!"


def test_spoken_durations_agree_in_number():
    from deepfit_coach.coach.phrases import seconds

    # "1 minute 1 seconds left" was said in a timed set of a minute and more
    assert [seconds(n) for n in (1, 45, 60, 61, 62, 120, 121)] == [
        "1 second", "45 seconds", "1 minute", "1 minute 1 second", "1 minute 2 seconds", "2 minutes",
        "2 minutes 1 second"]
