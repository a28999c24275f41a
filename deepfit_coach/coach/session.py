"""One workout: frames -> pose -> classifier -> coach -> voice, dashboard, history.

This is the frame loop behind ``deepfit-coach start``. The coach decides, the voice
speaks on its own thread, the dashboard refreshes on its own thread; the loop itself
only moves data, so its overhead stays small next to the pose model (BENCHMARKS.md).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

from deepfit_coach.coach import events as ev
from deepfit_coach.coach.engine import Coach, CoachTiming
from deepfit_coach.dashboard import Dashboard, LogReporter, View, fps_meter
from deepfit_coach.errors import UserError
from deepfit_coach.history.records import OUTCOMES
from deepfit_coach.plan import Plan, PlannedSet
from deepfit_coach.rotation import CAMERA_SIDEWAYS, CAMERA_TURNED, UprightWatch
from deepfit_coach.text import plural


@dataclass
class SessionOptions:
    source: str = "0"
    voice: str = "pyttsx3"
    pose_model: str | None = None
    variant: str = "full"
    preview: bool = False
    mirror: bool = False
    rotate: int | None = None       # quarter turns clockwise that make the picture upright (--rotate);
                                    # None: an upside-down picture is turned by itself
    speed: float = 1.0              # files: 1 = real time, 0 = as fast as possible
    dashboard: str = "auto"         # auto | live | log | none
    history: bool = True
    classifier: bool = True
    pose_fallback: float | None = None  # pose.PoseEstimator's fallback confidence (off: None)
    pose_recover: bool | None = None    # pose.PoseEstimator's recovery on missed frames (None: the default, on)
    scan_people: bool = True            # pose.PoseEstimator's once-a-second check for other people (--alone: off)
    timing: CoachTiming = field(default_factory=CoachTiming)


@dataclass
class SessionResult:
    summary: ev.WorkoutSummary
    spoken: list[str]
    frames: int
    loop_s: float                   # time spent in the loop outside the pose model and I/O
    pose_s: float
    voice_latencies: list[float]
    interrupted: bool = False
    session_id: int | None = None   # the history entry, when one was saved


def tracker_factory(plan: Plan) -> Callable[[PlannedSet], Any]:
    from deepfit_coach.counting import ExerciseTracker

    def make(s: PlannedSet):
        return ExerciseTracker(s.spec)

    return make


def make_classifier(enabled: bool, warn: Callable[[str], None]):
    if not enabled:
        return None
    try:
        from deepfit_coach.classifier import TemporalClassifier

        return TemporalClassifier()
    except Exception as exc:  # noqa: BLE001 - the coach works without it (no mismatch hints)
        warn(f"exercise recognition unavailable ({getattr(exc, 'message', None) or exc}); counting the plan's "
             "exercises without the 'you seem to be doing X' check")
        return None


class _Preview:
    """Optional OpenCV window, only where a display exists."""

    def __init__(self, enabled: bool, mirror: bool, warn: Callable[[str], None]) -> None:
        import os

        self.enabled = enabled
        self.mirror = mirror
        if enabled and sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or
                                                                 os.environ.get("WAYLAND_DISPLAY")):
            warn("--preview needs a display (DISPLAY is not set); continuing without the window")
            self.enabled = False

    def show(self, image, skeleton, status) -> str | None:
        if not self.enabled or image is None:
            return None
        import cv2

        from deepfit_coach.skeleton import CONNECTIONS

        img = cv2.flip(image, 1) if self.mirror else image.copy()
        if skeleton is not None:
            pts = skeleton.pixels.astype(int)
            if self.mirror:
                pts[:, 0] = img.shape[1] - 1 - pts[:, 0]
            vis = skeleton.visibility
            for a, b in CONNECTIONS:
                if vis[a] > 0.5 and vis[b] > 0.5:
                    cv2.line(img, tuple(int(v) for v in pts[a]), tuple(int(v) for v in pts[b]), (0, 255, 0), 2)
        text = f"{status.exercise} {status.set_number}/{status.sets_total}  reps {status.reps}/{status.target or '-'}"
        cv2.putText(img, text, (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
        cv2.imshow("deepfit-coach", img)
        key = cv2.waitKey(1) & 0xFF
        return {ord(" "): "pause", ord("n"): "skip", ord("q"): "quit", 27: "quit"}.get(key)

    def close(self) -> None:
        if self.enabled:
            import cv2

            cv2.destroyAllWindows()


def run_session(plan: Plan, opts: SessionOptions, *, stream=None, out: TextIO | None = None,
                warn: Callable[[str], None] | None = None, history_store: Any = None,
                plan_path: str | None = None) -> SessionResult:
    """Run ``plan`` on ``opts.source`` (or a ready pose ``stream``) until done, quit or Ctrl-C.

    Ctrl-C asks the loop to stop between two frames (``StopRequest``), so the set, the summary,
    the voice and the pose model all end in order wherever the signal landed; a second one
    raises at once."""
    from deepfit_coach.coach.interrupt import StopRequest

    with StopRequest() as stop:
        return _run(plan, opts, stop, stream=stream, out=out, warn=warn, history_store=history_store,
                    plan_path=plan_path)


def _run(plan: Plan, opts: SessionOptions, stop: Any, *, stream, out: TextIO | None,
         warn: Callable[[str], None] | None, history_store: Any, plan_path: str | None) -> SessionResult:
    from deepfit_coach.coach.keys import KeyReader
    from deepfit_coach.features import landmarks_in_view
    from deepfit_coach.voice import make_voice

    out = out or sys.stdout
    if stream is None:  # first, so a missing camera fails before anything else starts
        from deepfit_coach.posestream import open_pose_stream

        stream = open_pose_stream(opts.source, opts.pose_model, opts.variant, realtime=False,
                                  progress=sys.stderr.isatty(), fallback=opts.pose_fallback,
                                  recover=opts.pose_recover, scan_people=opts.scan_people, turns=opts.rotate or 0)
    warned: list[str] = []
    base_warn = warn or (lambda m: print(f"warning: {m}", file=sys.stderr, flush=True))

    def warn(message: str) -> None:
        warned.append(message)
        base_warn(message)

    said: list[str] = []
    mode = opts.dashboard
    if mode == "auto":
        mode = "live" if out.isatty() else "log"
    voice_kind = opts.voice if plan.voice.enabled or opts.voice.startswith("record") else "none"
    voice = make_voice(voice_kind, plan.voice.rate, plan.voice.volume, plan.voice.voice,
                       print_sink=(said.append if mode == "live" else
                                   (lambda t: None) if mode == "log" else
                                   (lambda t: print(f"coach: {t}", file=out, flush=True))),
                       warn=warn)
    classifier = make_classifier(opts.classifier, warn)
    from deepfit_coach.classifier import EXERCISES

    notes: list[str] = []
    saved_blocks = None
    if history_store is not None and any(s.progression is not None for s in plan.sets):
        from deepfit_coach.progression import progress_plan

        # raise targets after good sessions; the coach says so in its intro
        plan, notes, saved_blocks = progress_plan(plan, history_store.plan_history(plan.name))
    # without a classifier nothing can name the exercise: the coach goes by the counters alone (labels None)
    coach = Coach(plan, tracker_factory(plan), opts.timing, intro_notes=notes,
                  classifier_labels=tuple(EXERCISES) if classifier is not None else None)
    # history before voice and log: a rep is committed before it is announced, so
    # whatever the user heard or read survives a kill -9
    sinks: list[Callable[[list[ev.CoachEvent]], None]] = []
    history_sink = None
    if history_store is not None:
        from deepfit_coach.coach.history_sink import HistorySink

        history_sink = HistorySink(history_store, plan, plan_path, planned=saved_blocks)
    if mode == "log":
        sinks.append(LogReporter(out))
    tick = fps_meter()
    preview = _Preview(opts.preview, opts.mirror, warn)
    latest: dict[str, View | None] = {"view": None}
    frames, loop_s, pose_s, interrupted, source_ended = 0, 0.0, 0.0, False, False
    last_image = None
    t_last = 0.0
    live = bool(getattr(stream, "live", False))
    pace = opts.speed if (opts.speed and not live) else 0.0
    watch = UprightWatch() if opts.rotate is None else None
    spoken_texts: list[str] = []

    saving = {"failed": False}

    def emit(events: list[ev.CoachEvent]) -> None:
        if history_sink is not None and not saving["failed"]:
            try:
                history_sink(events)
            except (sqlite3.Error, OSError, UserError) as exc:
                # the disk filled up, the file was moved, another process held it too long: the workout
                # goes on (a traceback mid-set helps nobody), and the user is told what was kept
                saving["failed"] = True
                warn(f"history: could not save ({getattr(exc, 'message', None) or exc}); the sets so far are "
                     "saved, the rest of this session is not")
        utts = [e.say for e in events if e.say is not None]
        if utts:
            voice.say_many(utts)
            spoken_texts.extend(u.text for u in utts)
            if voice.backend.instant and not live:
                voice.wait_idle(5.0)  # files run faster than speech: keep the spoken order exact
        for sink in sinks:
            sink(events)

    dashboard = Dashboard(lambda: latest["view"]) if mode == "live" else None
    t_wall0 = time.monotonic()
    try:
        with KeyReader() as keys:
            if dashboard is not None:
                dashboard.__enter__()
            try:
                it = iter(stream)
                while not coach.done and not stop.requested:
                    if coach.paused and not live:   # a recording waits while the user has paused
                        w0 = time.monotonic()
                        time.sleep(0.05)
                        t_wall0 += time.monotonic() - w0   # and its pacing picks up where it stopped
                        for cmd in keys.poll():
                            emit(coach.command(cmd, t_last))
                        if latest["view"] is not None:
                            latest["view"] = dataclasses.replace(latest["view"], status=coach.status())
                            cmd = preview.show(last_image, latest["view"].skeleton, latest["view"].status)
                            if cmd:
                                emit(coach.command(cmd, t_last))
                        continue
                    p0 = time.perf_counter()
                    try:
                        frame = next(it)
                    except StopIteration:
                        source_ended = True
                        break
                    seen_as = watch.update(frame.skeleton) if watch is not None else None
                    if seen_as == "upside_down" and hasattr(stream, "turns"):
                        stream.turns = 2            # this frame on, upright
                        frame = stream.turned(frame)
                        warn(CAMERA_TURNED)
                    elif seen_as == "lying":
                        warn(CAMERA_SIDEWAYS)
                    p1 = time.perf_counter()
                    pose_s += p1 - p0
                    t = frame.t_s
                    t_last = t
                    if pace:
                        delay = t / pace - (time.monotonic() - t_wall0)
                        if delay > 0:
                            time.sleep(delay)
                    c0 = time.perf_counter()
                    decision = classifier.update(frame.skeleton, t) if classifier is not None else None
                    events = coach.update(frame.skeleton, t, decision)
                    for cmd in keys.poll():
                        events += coach.command(cmd, t)
                    emit(events)
                    frames += 1
                    fps = tick()
                    skel = frame.skeleton
                    vis = float(landmarks_in_view(skel.image).mean()) if skel is not None else 0.0
                    latest["view"] = View(coach.status(), skel, fps=fps, visibility=vis,
                                          source=getattr(stream, "name", ""), voice=voice.name,
                                          said=list(said[-3:]) if said else [x.text for x in voice.spoken[-3:]],
                                          mirror=opts.mirror)
                    loop_s += time.perf_counter() - c0
                    last_image = getattr(frame, "image", None)
                    cmd = preview.show(last_image, skel, latest["view"].status)
                    if cmd:
                        emit(coach.command(cmd, t))
            except KeyboardInterrupt:
                interrupted = True
            finally:
                if dashboard is not None:
                    dashboard.__exit__(None, None, None)
                    for message in warned:   # the live screen covered them (no 'aplay': the voice is text only)
                        base_warn(message)
    finally:
        preview.close()
        close = getattr(stream, "close", None)
        if close:
            close()
    interrupted = interrupted or stop.requested
    if not coach.done:
        if history_sink is not None:
            history_sink.source_ended = source_ended and not interrupted
        emit(coach.finish(t_last))
        if source_ended:   # not the user's doing: say so, or "quit" in the history is all they see
            done = sum(1 for r in coach.results if not (r.stopped or r.skipped))
            warn(f"{'the camera stopped sending frames' if live else 'the video ended'} at {t_last:.0f} s, "
                 f"before the workout did: {done} of {plural(len(plan.sets), 'set')} finished")
    # let the summary be heard (bounded), then stop the voice thread; a second Ctrl-C skips the wait
    try:
        voice.close(drain_s=8.0 if not voice.backend.instant else 2.0)
    except KeyboardInterrupt:
        interrupted = True
        voice.close()
    summary = coach.summary
    assert summary is not None
    return SessionResult(summary, spoken=[s.text for s in voice.spoken], frames=frames, loop_s=loop_s,
                         pose_s=pose_s, voice_latencies=voice.latencies(), interrupted=interrupted,
                         session_id=(history_sink.session_id if history_sink is not None and not saving["failed"]
                                     else None))


def print_summary(summary: ev.WorkoutSummary, out: TextIO | None = None) -> None:
    """The end-of-workout table (also after Ctrl-C)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out or sys.stdout)
    state = "complete" if summary.completed else "stopped early"
    m, s = divmod(int(summary.duration_s), 60)
    table = Table(title=f"{summary.plan_name}: {state}, {plural(summary.total_reps, 'rep')} in {m}:{s:02d}")
    for col in ("exercise", "set", "reps", "target", "partial", "form"):
        table.add_column(col)
    for r in summary.results:
        p = r.planned
        target = str(p.reps) if p.reps else f"{p.duration_s:g} s"
        flag = f" ({OUTCOMES[r.outcome]})" if r.outcome else ""
        form = ", ".join(f"{k} x{v}" for k, v in r.form_issues.items())
        table.add_row(p.display_name, f"{p.set_number}/{p.sets_total}{flag}", str(r.reps), target,
                      str(r.partial_reps), form)
    console.print(table)
