"""The terminal dashboard: a pure render function over the coach's status, shown by Rich Live.

``render(view)`` builds the renderable (tested on a fixed-size Console); ``Dashboard``
refreshes it ~10 times a second from its own thread, whatever the camera's frame rate.
When stdout is not a terminal, ``LogReporter`` prints plain lines for events instead.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, TextIO

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from deepfit_coach.coach.engine import CoachStatus
from deepfit_coach.coach import events as ev
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.term_skeleton import render_skeleton


@dataclass
class View:
    """Everything on screen at one instant (built by the frame loop, read by the renderer)."""

    status: CoachStatus
    skeleton: Skeleton | None = None
    fps: float = 0.0
    visibility: float = 0.0              # share of landmarks visible and in frame
    source: str = ""
    voice: str = ""
    said: list[str] = field(default_factory=list)   # most recent last
    mirror: bool = False


PHASE_TITLES = {"intro": "Get ready", "announce": "Next exercise", "positioning": "Get into position",
                "countdown": "Starting", "active": "Go", "rest": "Rest", "done": "Done"}


def _mmss(s: float) -> str:
    s = max(0, int(round(s)))
    return f"{s // 60}:{s % 60:02d}"


def _bar(done: float, total: float, width: int = 24) -> ProgressBar:
    return ProgressBar(total=max(total, 1e-9), completed=min(done, total), width=width)


def _info_table(v: View) -> Table:
    s = v.status
    t = Table.grid(padding=(0, 1))
    t.add_column(style="bold cyan", no_wrap=True)
    t.add_column(overflow="fold")
    t.add_row("Plan", f"{s.plan_name}  [dim]({_mmss(s.elapsed_s)})[/]")
    t.add_row("Block", f"{s.block_number}/{s.blocks_total} {s.block_name}")
    t.add_row("Exercise", Text(s.exercise, style="bold"))
    t.add_row("Round" if s.circuit else "Set", f"{s.set_number}/{s.sets_total}   [dim]set {s.set_index + 1} of "
              f"{s.sets_in_plan} in plan[/]")
    if s.target:
        t.add_row("Reps", Group(Text(f"{s.reps}/{s.target}" + (f"  (+{s.partial_reps} partial)" if s.partial_reps else ""),
                                     style="bold green"), _bar(s.reps, s.target)))
    else:
        t.add_row("Reps", Text(str(s.reps), style="bold green"))
    if s.timed_total_s and s.phase == "active":
        t.add_row("Time left", Group(Text(_mmss(s.timed_left_s or 0)), _bar((s.timed_total_s - (s.timed_left_s or 0)),
                                                                          s.timed_total_s)))
    if s.phase == "rest" and s.rest_total_s:
        t.add_row("Rest", Group(Text(f"{_mmss(s.rest_left_s or 0)} left", style="bold yellow"),
                                _bar(s.rest_total_s - (s.rest_left_s or 0), s.rest_total_s)))
        t.add_row("Next", s.next_exercise)
    if s.countdown is not None and s.phase == "countdown":
        t.add_row("Countdown", Text(str(s.countdown), style="bold yellow"))
    warn = list(s.warnings)
    if s.out_of_view:
        warn.insert(0, "Out of view: step back in")
    elif s.missing and s.phase in ("positioning", "countdown", "active"):
        warn.append("Not visible: " + ", ".join(s.missing))
    if s.mismatch:
        warn.append(f"Looks like {s.recognised.replace('_', ' ')}, not {s.exercise.lower()}")
    t.add_row("Form", Text("\n".join(warn), style="bold red") if warn else Text("ok", style="green"))
    rec = s.recognised.replace("_", " ") or "-"
    t.add_row("Seen", f"{rec} ({s.recognised_confidence:.0%})" if s.recognised else "-")
    t.add_row("Pose", f"{v.visibility:.0%} visible   {v.fps:.1f} fps")
    return t


def render(v: View, width: int = 100, height: int = 24) -> Panel:
    """The whole screen for a terminal of ``width`` x ``height`` cells."""
    s = v.status
    title = PHASE_TITLES.get(s.phase, s.phase)
    if s.paused:
        title = "Paused (space to resume)"
    info = _info_table(v)
    body_rows = max(6, height - 6)
    skel_cols = max(10, min(40, width // 3))
    if width >= 70:
        lines = render_skeleton(v.skeleton, skel_cols, body_rows - 2, mirror=v.mirror)
        skel = Panel(Text("\n".join(lines), style="white"), title="camera", width=skel_cols + 4,
                     height=body_rows, padding=(0, 1))
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1)
        grid.add_column(width=skel_cols + 4)
        grid.add_row(info, skel)
        main = grid
    else:  # narrow terminal: no skeleton
        main = info
    said = v.said[-2:]
    footer = Text()
    for line in said:
        footer.append("» " + line + "\n", style="italic magenta")
    footer.append("space pause · n skip · q quit", style="dim")
    return Panel(Group(main, footer), title=f"deepfit-coach · {title}", subtitle=v.source or None,
                 width=width, height=height)


class Dashboard:
    """Rich Live at ~10 Hz, pulling the latest :class:`View` from ``get_view``."""

    def __init__(self, get_view: Callable[[], View | None], console: Console | None = None, hz: float = 10.0) -> None:
        self.console = console or Console()
        self.get_view = get_view
        self.hz = hz
        self._live: Live | None = None
        self.renders = 0

    def _renderable(self):
        v = self.get_view()
        self.renders += 1
        if v is None:
            return Text("starting...")
        return render(v, self.console.size.width, min(self.console.size.height, 30))

    def __enter__(self) -> "Dashboard":
        self._live = Live(get_renderable=self._renderable, console=self.console, refresh_per_second=self.hz,
                          screen=False, transient=False, redirect_stderr=False)
        self._live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._live is not None:
            self._live.__exit__(*exc)
            self._live = None


class LogReporter:
    """Plain lines for logs and pipes: one per spoken line and per milestone event."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, events: list[ev.CoachEvent]) -> None:
        for e in events:
            line = self.line(e)
            if line:
                self.out.write(f"[{_mmss(e.t_s)}.{int((e.t_s % 1) * 10)}] {line}\n")
        self.out.flush()

    @staticmethod
    def line(e: ev.CoachEvent) -> str | None:
        if isinstance(e, ev.RepCounted):
            return f"{e.planned.exercise} set {e.planned.set_number}/{e.planned.sets_total}: rep {e.count}" + (
                f"/{e.target}" if e.target else "")
        if isinstance(e, ev.SetCompleted):
            r = e.result
            flag = " (skipped)" if r.skipped else " (stopped)" if r.stopped else ""
            return f"set complete: {r.planned.exercise} {r.planned.set_number}/{r.planned.sets_total}: {r.reps} reps{flag}"
        if isinstance(e, ev.FormCue):
            return f"form: {e.cue} [{e.severity}{', corrected' if e.corrected else ''}]"
        if isinstance(e, ev.WorkoutCompleted):
            s = e.summary
            return f"summary: {s.total_reps} reps, {s.sets_done} sets, {_mmss(s.duration_s)}"
        if e.say is not None:
            return f"coach: {e.say.text}"
        if isinstance(e, (ev.Paused, ev.Resumed, ev.RestEnded)):
            return e.kind.lower()
        return None


class SaidLog:
    """The last few spoken lines, shown in the dashboard footer (thread-safe enough: deque)."""

    def __init__(self, n: int = 4) -> None:
        self.lines: deque[str] = deque(maxlen=n)

    def add(self, text: str) -> None:
        self.lines.append(text)


def fps_meter() -> Callable[[], float]:
    """Returns a function to call once per frame; it gives the frame rate over ~1 s."""
    times: deque[float] = deque(maxlen=60)

    def tick() -> float:
        now = time.perf_counter()
        times.append(now)
        while len(times) > 2 and now - times[0] > 1.0:
            times.popleft()
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 and times[-1] > times[0] else 0.0

    return tick
