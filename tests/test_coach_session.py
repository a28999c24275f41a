"""The frame loop without the pose model: ideal skeletons of a rendered workout's truth.

Checks the log output, the history written as the workout goes, Ctrl-C ending cleanly
with a summary, and the keyboard reader on a real pseudo-terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3

import pytest

from deepfit_coach.coach import CoachTiming
from deepfit_coach.coach.session import SessionOptions, print_summary, run_session
from deepfit_coach.history import HistoryStore
from deepfit_coach.plan import loads_plan
from deepfit_coach.posestream import PoseFrame

PLAN = """\
name: Session test
countdown: 2
blocks:
  - exercise: squats
    sets: 2
    reps: 3
    rest: 4
    rest_after: 8
  - exercise: jumping_jacks
    sets: 1
    duration: 10
"""


@pytest.fixture(scope="module")
def truth():
    from deepfit_coach.synth import SetSpec, WorkoutSpec, joints_only

    spec = WorkoutSpec(sets=[SetSpec("squats", 4), SetSpec("squats", 4), SetSpec("jumping_jacks", 8)],
                       rest_s=7.0, rest_before=16.0, rest_after=2.0, rest_kinds=("standing",), view="front",
                       fps=15.0, seed=4)
    return joints_only(spec)


class TruthStream:
    """A pose stream made of the truth's ideal skeletons (same interface as PoseStream)."""

    name, live = "truth", False

    def __init__(self, truth, stop_at: int | None = None) -> None:
        self.truth, self.stop_at, self.closed = truth, stop_at, False

    def __iter__(self):
        for i in range(self.truth.frame_count):
            if self.stop_at is not None and i == self.stop_at:
                raise KeyboardInterrupt
            yield PoseFrame(self.truth.timestamp_ms(i), i, self.truth.skeleton(i))

    def close(self) -> None:
        self.closed = True


def opts(**kw) -> SessionOptions:
    return SessionOptions(voice="record", speed=0, dashboard="log", classifier=False,
                          timing=CoachTiming(intro_s=3.0, announce_s=3.0), **kw)


def test_session_logs_speaks_and_records_history(truth, tmp_path):
    plan = loads_plan(PLAN, "s.yaml")
    out = io.StringIO()
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    stream = TruthStream(truth)
    result = run_session(plan, opts(), stream=stream, out=out, history_store=store, plan_path="s.yaml")
    log = out.getvalue()
    assert stream.closed
    assert result.summary.completed and not result.interrupted
    assert [r.reps for r in result.summary.results][:2] == [3, 3]
    assert result.summary.results[2].planned.timed and result.summary.results[2].reps >= 3
    assert "squats set 1/2: rep 3/3" in log and "set complete: squats 2/2: 3 reps" in log
    assert result.spoken[0].startswith("Welcome to Session test")
    assert "10 seconds left" not in result.spoken      # too short a set for a time check
    assert "Time! " + str(result.summary.results[2].reps) + " jumping jacks." in result.spoken
    assert result.spoken[-1].startswith("Workout complete.")
    session = store.get_session(store.latest_session_id())
    assert session.status == "complete"
    # the workout's own clock, not the ~1 s the replay took (--speed 0): durations as the person lived them
    assert session.duration_s == pytest.approx(result.summary.duration_s, abs=0.01)
    assert result.summary.duration_s > 30
    assert [(s.exercise, s.set_number, s.reps) for s in session.sets] == [
        ("squats", 1, 3), ("squats", 2, 3), ("jumping_jacks", 1, result.summary.results[2].reps)]
    assert session.sets[0].rest_s == pytest.approx(4.0, abs=0.2)
    assert len(session.sets[0].rep_list) == 3
    store.close()
    buf = io.StringIO()
    print_summary(result.summary, buf)
    assert "Session test: complete" in buf.getvalue()


def test_ctrl_c_ends_cleanly_with_summary_and_saved_sets(truth, tmp_path):
    plan = loads_plan(PLAN, "s.yaml")
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    # stop in the middle of the second squat set (after its first rep)
    stream = TruthStream(truth, stop_at=int(truth.reps[5].end_frame + 8))
    result = run_session(plan, opts(), stream=stream, out=io.StringIO(), history_store=store)
    assert result.interrupted and stream.closed
    s = result.summary
    assert not s.completed and s.results[-1].stopped and s.results[-1].reps >= 1
    assert result.spoken[-1].startswith("Workout stopped.")
    session = store.get_session(store.latest_session_id())
    assert session.status == "quit" and session.sets[-1].reps == s.results[-1].reps
    store.close()


def test_key_reader_on_a_pty():
    import pty
    import time

    from deepfit_coach.coach.keys import KeyReader

    master, slave = pty.openpty()
    with os.fdopen(slave, "r") as tty_in:
        with KeyReader(tty_in) as keys:
            assert keys.enabled
            os.write(master, b" nxq")
            deadline = time.time() + 2
            got: list[str] = []
            while len(got) < 3 and time.time() < deadline:
                got += keys.poll()
                time.sleep(0.02)
    os.close(master)
    assert got == ["pause", "skip", "quit"]


def test_no_keys_without_a_terminal():
    from deepfit_coach.coach.keys import KeyReader

    with KeyReader(io.StringIO()) as keys:
        assert not keys.enabled and keys.poll() == []


def test_progression_raises_the_target_after_a_clean_session_and_says_so(tmp_path):
    from deepfit_coach.synth import SetSpec, WorkoutSpec, joints_only

    truth = joints_only(WorkoutSpec(sets=[SetSpec("squats", 5), SetSpec("squats", 5)], rest_s=9.0,
                                    rest_before=20.0, rest_after=2.0, rest_kinds=("standing",), view="front",
                                    fps=15.0, seed=4))
    text = """\
name: Progress
countdown: 2
blocks:
  - exercise: squats
    sets: 2
    reps: 3
    rest: 4
    progression: {add_reps: 1, when: all_sets_complete}
"""
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    first = run_session(loads_plan(text, "p.yaml"), opts(), stream=TruthStream(truth), out=io.StringIO(),
                        history_store=store)
    assert [r.reps for r in first.summary.results] == [3, 3] and first.summary.completed
    second = run_session(loads_plan(text, "p.yaml"), opts(), stream=TruthStream(truth), out=io.StringIO(),
                         history_store=store)
    assert "4 reps per set today." in second.spoken[0]             # said in the intro
    assert [r.planned.reps for r in second.summary.results] == [4, 4]
    assert [r.reps for r in second.summary.results] == [4, 4]
    session = store.get_session(store.latest_session_id())
    squats = [b for b in session.planned if b.exercise == "squats"][0]
    assert squats.reps == 4 and squats.base_reps == 3
    store.close()


def test_preview_draws_mirrored_skeleton_and_maps_keys(monkeypatch):
    """No display here: OpenCV's window calls are the only stand-ins."""
    import cv2
    import numpy as np

    from coach_helpers import standing
    from deepfit_coach.coach.session import _Preview

    shown = {}
    monkeypatch.setattr(cv2, "imshow", lambda name, img: shown.update(img=img))
    monkeypatch.setattr(cv2, "waitKey", lambda ms: ord(" "))
    monkeypatch.setenv("DISPLAY", ":99")
    preview = _Preview(True, mirror=True, warn=lambda m: None)
    status = type("S", (), {"exercise": "Squats", "set_number": 1, "sets_total": 2, "reps": 3, "target": 10})()
    sk = standing(0)
    sk.image[:, 0] = 0.25                                       # the person stands left of centre
    assert preview.show(np.zeros((480, 640, 3), np.uint8), sk, status) == "pause"
    img = shown["img"]
    green = (img[:, :, 0] == 0) & (img[:, :, 1] == 255) & (img[:, :, 2] == 0)   # bones, not the white text
    cols = np.nonzero(green.any(axis=0))[0]
    assert cols.min() > 320                                    # mirrored: drawn on the right half
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    warned = []
    assert not _Preview(True, False, warned.append).enabled and warned


class SignalStream(TruthStream):
    """Sends this process a real SIGINT at frame ``at`` - or, with ``in_close``, while the
    session closes the stream, outside the frame loop (where Ctrl-C used to escape as
    "aborted", with no summary and the pose model left open)."""

    def __init__(self, truth, at: int | None = None, in_close: bool = False) -> None:
        super().__init__(truth)
        self.at, self.in_close = at, in_close

    def __iter__(self):
        import signal

        for i, frame in enumerate(super().__iter__()):
            if i == self.at:
                os.kill(os.getpid(), signal.SIGINT)
            yield frame

    def close(self) -> None:
        import signal

        if self.in_close:
            os.kill(os.getpid(), signal.SIGINT)
        super().close()


@pytest.mark.parametrize("where", ["mid-set", "while closing"])
def test_a_real_ctrl_c_anywhere_ends_the_session_in_order(truth, where):
    stream = SignalStream(truth, at=400) if where == "mid-set" else SignalStream(truth, in_close=True)
    result = run_session(loads_plan(PLAN, "p.yaml"), opts(), stream=stream, out=io.StringIO())
    assert stream.closed and result.interrupted and result.summary is not None
    if where == "mid-set":
        assert result.frames == 401 and not result.summary.completed   # stopped at the next frame
    else:
        assert result.summary.completed                               # it had already finished


def test_a_second_ctrl_c_raises_at_once():
    import signal

    from deepfit_coach.coach.interrupt import StopRequest

    old = signal.getsignal(signal.SIGINT)
    with StopRequest() as stop:
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.requested
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is old


def test_a_video_that_ends_before_the_plan_says_so(truth, tmp_path):
    warned: list[str] = []
    plan = loads_plan(PLAN.replace("sets: 2", "sets: 5"), "p.yaml")   # more squat sets than the video holds
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    result = run_session(plan, opts(), stream=TruthStream(truth), out=io.StringIO(), warn=warned.append,
                         history_store=store)
    assert not result.summary.completed and not result.interrupted
    assert len(warned) == 1 and warned[0].startswith("the video ended at ")
    assert warned[0].endswith(f"before the workout did: 2 of {len(plan.sets)} sets finished")
    # not the user's "quit": the workout was left incomplete
    assert store.get_session(store.latest_session_id()).status == "incomplete"
    store.close()


def test_without_the_classifier_a_set_begun_before_go_is_counted_by_the_counter():
    """--no-classifier: nothing can name the exercise, so the early start goes by the counter alone
    (it waited for a label that never came: the video's 4 squats were lost and what followed was
    counted as squats)."""
    from deepfit_coach.synth import SetSpec, WorkoutSpec, joints_only

    early = joints_only(WorkoutSpec(sets=[SetSpec("squats", 4)], rest_s=0.0, rest_before=1.0, rest_after=2.0,
                                    rest_kinds=("standing",), view="front", fps=15.0, seed=7))
    plan = loads_plan("name: Early\ncountdown: 3\nblocks:\n  - exercise: squats\n    sets: 1\n    reps: 4\n", "e.yaml")
    result = run_session(plan, opts(), stream=TruthStream(early), out=io.StringIO())
    assert result.summary.completed and result.summary.results[0].reps == 4
    assert "You've started - I'm counting." in result.spoken


class ScriptedKeys:
    """The keyboard: "pause" after frame 100 has been read, "resume" on the 20th poll after that."""

    def __init__(self, stream: "CountingStream") -> None:
        self.stream, self.polls_paused = stream, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def poll(self) -> list[str]:
        if self.stream.pulled == 100 and self.polls_paused == 0:
            self.polls_paused = 1
            self.stream.at_pause = self.stream.pulled
            return ["pause"]
        if self.polls_paused:
            self.polls_paused += 1
            if self.polls_paused == 20:
                self.stream.at_resume = self.stream.pulled
                self.polls_paused = 0
                return ["resume"]
        return []


class CountingStream(TruthStream):
    def __init__(self, truth) -> None:
        super().__init__(truth)
        self.pulled, self.at_pause, self.at_resume = 0, None, None

    def __iter__(self):
        for frame in super().__iter__():
            self.pulled += 1
            yield frame


def test_pausing_a_recording_holds_it(truth, monkeypatch):
    """Space paused the coach but the video played on: its reps went by unseen and the plan fell out
    of step with it. Now no frame is read while paused, and the workout counts as without the pause."""
    import deepfit_coach.coach.keys as keys_module

    stream = CountingStream(truth)
    monkeypatch.setattr(keys_module, "KeyReader", lambda: ScriptedKeys(stream))
    result = run_session(loads_plan(PLAN, "p.yaml"), opts(), stream=stream, out=io.StringIO())
    assert stream.at_pause == 100 and stream.at_resume == 100    # nothing read in between
    assert "Paused. Press space to continue." in result.spoken and "Let's continue." in result.spoken
    assert result.summary.completed and [r.reps for r in result.summary.results][:2] == [3, 3]


def test_warnings_the_live_screen_covered_are_said_again_after_it(truth, monkeypatch):
    """The live dashboard drew over a warning printed as the session began (no 'aplay': the voice
    is text only) within a quarter of a second; it is repeated once the screen is gone."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    warned: list[str] = []
    o = opts()
    o.dashboard, o.preview = "live", True      # --preview without a display: a warning at the start
    run_session(loads_plan(PLAN, "p.yaml"), o, stream=TruthStream(truth, stop_at=40), out=io.StringIO(),
                warn=warned.append)
    assert len(warned) == 2 and warned[0] == warned[1] and "needs a display" in warned[0]
    o.dashboard = "log"
    warned.clear()
    run_session(loads_plan(PLAN, "p.yaml"), o, stream=TruthStream(truth, stop_at=40), out=io.StringIO(),
                warn=warned.append)
    assert len(warned) == 1                   # a log keeps it in view: said once


def test_a_skipped_and_a_stopped_set_are_saved_as_such(tmp_path):
    """The end-of-session table said '(skipped)' and '(stopped)'; the history showed two ordinary sets."""
    from coach_helpers import ScriptedTracker, small_catalogue, standing

    from deepfit_coach.coach import Coach
    from deepfit_coach.coach.history_sink import HistorySink

    plan = loads_plan("name: K\ncountdown: 0\nblocks:\n  - exercise: squats\n    sets: 2\n    reps: 4\n    rest: 0\n",
                      "k.yaml", small_catalogue())
    coach = Coach(plan, lambda ps: ScriptedTracker(ps.exercise, [12.0, 13.0, 30.0]), CoachTiming())
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    sink = HistorySink(store, plan)
    t = 0.0
    while t < 40.0 and not coach.done:
        sink(coach.update(standing(t), t, None))
        if t == 14.0:
            sink(coach.command("skip", t))       # set 1 after 2 of 4 reps
        if t == 31.0:
            sink(coach.command("quit", t))       # set 2 after 1 rep
        t = round(t + 0.1, 6)
    session = store.get_session(store.latest_session_id())
    assert [(s.set_number, s.reps, s.outcome) for s in session.sets] == [(1, 2, "skipped"), (2, 1, "stopped")]
    assert session.status == "quit"
    store.close()


CUSTOM_PLAN = """\
name: Custom units
countdown: 2
exercises:
  - name: knee_bends
    display_name: Knee Bends
    camera_advice: Face the camera.
    view: front
    required: [torso, "{side}_leg"]
    signals:
      knee: {angle: ["{side}_hip", "{side}_knee", "{side}_ankle"], source: world, side: both}
    counting:
      signal: knee
      start: 170
      turn: 90
      min_rom: 30
      rep_duration: [0.5, 10]
blocks:
  - exercise: knee_bends
    sets: 1
    reps: 3
"""


def test_a_custom_exercise_keeps_its_range_of_motion_unit_in_history(truth, tmp_path, monkeypatch, capsys):
    """The built-in catalogue does not hold a plan's own exercise: its sets record their unit, so the
    report, `history show`, `progress` and the CSV say "°" (they printed a bare number)."""
    import csv

    from conftest import run_cli

    monkeypatch.setenv("DEEPFIT_HOME", str(tmp_path / "home"))
    store = HistoryStore.open()
    plan = loads_plan(CUSTOM_PLAN, "c.yaml")
    result = run_session(plan, opts(), stream=TruthStream(truth), out=io.StringIO(), history_store=store,
                         plan_path="c.yaml")
    store.close()
    assert result.summary.results[0].reps == 3
    capsys.readouterr()
    checks = {("report", "last"): r"ROM\s*│?\s*.*\d+°|\d+°",
              ("history", "show", "last"): r"\d+°", ("progress", "knee_bends"): r"\d+°"}
    for args, pattern in checks.items():
        code, out, err = run_cli(list(args), capsys)
        assert code == 0, err
        assert re.search(pattern, out), (args, out)
    code, out, err = run_cli(["report", "last", "--json"], capsys)
    assert json.loads(out)["exercises"][0]["rom_unit"] == "°"
    code, out, err = run_cli(["history", "export", "--format", "csv"], capsys)
    assert list(csv.DictReader(io.StringIO(out)))[0]["rom_unit"] == "°"


def test_a_history_that_fails_mid_workout_does_not_stop_it(truth, tmp_path):
    """A write that fails mid-session (disk full, the file moved, a lock held too long) is one warning; the
    workout goes on to its summary, and the sets saved before the failure stay saved."""
    plan = loads_plan(PLAN, "s.yaml")
    store = HistoryStore.open(tmp_path / "h.sqlite3")
    real = store.add_rep
    calls = {"n": 0}

    def add_rep(set_id, rep):   # the fourth rep's write fails as a full disk does
        calls["n"] += 1
        if calls["n"] == 4:
            raise sqlite3.OperationalError("database or disk is full")
        return real(set_id, rep)

    store.add_rep = add_rep
    warnings: list[str] = []
    result = run_session(plan, opts(), stream=TruthStream(truth), out=io.StringIO(), history_store=store,
                         plan_path="s.yaml", warn=warnings.append)
    assert result.summary.completed and [r.reps for r in result.summary.results][:2] == [3, 3]
    assert [w for w in warnings if "could not save" in w] == [
        "history: could not save (database or disk is full); the sets so far are saved, the rest of this "
        "session is not"]
    assert result.session_id is None
    (session,) = store.all_sessions()
    assert [s.reps for s in session.sets] == [3, 0]   # the first set whole; the second began, then nothing
    store.close()
