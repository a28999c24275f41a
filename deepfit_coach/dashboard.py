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

from rich.console import Console
from rich.cells import cell_len, set_cell_size
from rich.live import Live
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from deepfit_coach.coach.engine import CoachStatus
from deepfit_coach.coach import events as ev
from deepfit_coach.history.records import OUTCOMES
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.term_skeleton import render_skeleton
from deepfit_coach.text import plural


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


def _stamp(t: float) -> str:
    """m:ss.t of a log line, truncated like a clock (rounding the seconds put 31.5 s at 0:32.5)."""
    tenths = max(0, int(t * 10 + 1e-6))
    return f"{tenths // 600}:{tenths // 10 % 60:02d}.{tenths % 10}"


Piece = tuple[str, str]          # (text, style name)
Line = list[Piece]

_STYLES: dict[str, Style] = {}


def _style(name: str) -> Style:
    st = _STYLES.get(name)
    if st is None:
        st = _STYLES[name] = Style.parse(name) if name else Style.null()
    return st


class Screen:
    """Pre-laid-out lines of styled pieces; renders straight to segments (cheap at 10 Hz)."""

    def __init__(self, lines: list[Line], width: int) -> None:
        self.lines, self.width = lines, width

    def __rich_console__(self, console, options):
        new_line = Segment.line()
        for line in self.lines:
            for text, style in line:
                yield Segment(text, _style(style))
            yield new_line

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(self.width, self.width)

    def plain(self) -> str:
        return "\n".join("".join(t for t, _ in line) for line in self.lines)


def _fit(pieces: Line, width: int) -> Line:
    """Crop/pad pieces to exactly ``width`` cells."""
    out: Line = []
    used = 0
    for text, style in pieces:
        if used >= width:
            break
        n = cell_len(text)
        if used + n > width:
            text = set_cell_size(text, width - used)
            n = width - used
        out.append((text, style))
        used += n
    if used < width:
        out.append((" " * (width - used), ""))
    return out


def _bar(done: float, total: float, width: int = 24) -> Line:
    filled = int(round(width * max(0.0, min(1.0, done / total if total > 0 else 0.0))))
    return [("━" * filled, "green"), ("━" * (width - filled), "grey23")]


def _info_lines(v: View) -> list[tuple[str, Line]]:
    """(label, value pieces) rows of the left column."""
    s = v.status
    rows: list[tuple[str, Line]] = []

    def add(label: str, value: str | Line, style: str = "") -> None:
        rows.append((label, value if isinstance(value, list) else [(value, style)]))

    add("Plan", [(s.plan_name, ""), (f"  ({_mmss(s.elapsed_s)})", "dim")])
    add("Block", f"{s.block_number}/{s.blocks_total} {s.block_name}")
    add("Exercise", s.exercise, "bold")
    add("Round" if s.circuit else "Set", [(f"{s.set_number}/{s.sets_total}", ""),
                                          (f"   set {s.set_index + 1} of {s.sets_in_plan} in plan", "dim")])
    partial = f"  (+{s.partial_reps} partial)" if s.partial_reps else ""
    if s.target:
        add("Reps", f"{s.reps}/{s.target}{partial}", "bold green")
        add("", _bar(s.reps, s.target))
    else:
        add("Reps", f"{s.reps}{partial}", "bold green")
    if s.timed_total_s and s.phase == "active":
        add("Time left", _mmss(s.timed_left_s or 0), "bold")
        add("", _bar(s.timed_total_s - (s.timed_left_s or 0), s.timed_total_s))
    if s.phase == "rest" and s.rest_total_s:
        add("Rest", f"{_mmss(s.rest_left_s or 0)} left", "bold yellow")
        add("", _bar(s.rest_total_s - (s.rest_left_s or 0), s.rest_total_s))
        add("Next", s.next_exercise)
    if s.countdown is not None and s.phase == "countdown":
        add("Countdown", str(s.countdown), "bold yellow")
    warn = list(s.warnings)
    if s.out_of_view:
        warn.insert(0, "Out of view: step back in")
    elif s.missing and s.phase in ("positioning", "countdown", "active"):
        warn.append("Not visible: " + ", ".join(s.missing))
    if s.mismatch:
        warn.append(f"Looks like {s.recognised.replace('_', ' ')}, not {s.exercise.lower()}")
    if warn:
        for i, w in enumerate(warn[:3]):
            add("Form" if i == 0 else "", w, "bold red")
    else:
        add("Form", "ok", "green")
    rec = s.recognised.replace("_", " ")
    add("Seen", f"{rec} ({s.recognised_confidence:.0%})" if rec else "-")
    add("Pose", f"{v.visibility:.0%} visible   {v.fps:.1f} fps")
    add("Total", plural(s.total_reps, "rep"), "bold" if s.phase == "done" else "")
    return rows


def _said_rows(said: list[str], width: int, per_line: int = 2) -> list[str]:
    """The coach's last lines, each folded onto up to ``per_line`` rows: an announcement's camera
    advice comes last and was the part cut off ("... about 3 metres away, with your who")."""
    import textwrap

    rows: list[str] = []
    for text in said:
        rows += textwrap.wrap("» " + text, width, subsequent_indent="  ", max_lines=per_line, placeholder=" …")
    return rows


def render(v: View, width: int = 100, height: int = 24) -> Screen:
    """The whole screen for a terminal of ``width`` x ``height`` cells.

    Laid out by hand into styled pieces rather than nested Rich tables and panels: it is
    redrawn 10 times a second and must stay a small fraction of the pose model's time.
    """
    width, height = max(30, width), max(8, height)
    s = v.status
    title = PHASE_TITLES.get(s.phase, s.phase)
    if s.paused:
        title = "Paused (space to resume)"
    elif s.out_of_view:
        title = "Paused: step back into view"
    inner = width - 4
    said = _said_rows(v.said[-2:], inner)
    body_h = height - 2 - len(said) - 1          # borders, spoken lines, key help
    show_skel = width >= 70 and body_h >= 6
    skel_w = max(10, min(40, width // 3)) if show_skel else 0
    info_w = inner - (skel_w + 3 if show_skel else 0)
    skel_lines = render_skeleton(v.skeleton, skel_w, body_h, mirror=v.mirror) if show_skel else []
    rows = _info_lines(v)
    B = "blue"
    lines: list[Line] = []
    head = f" deepfit-coach · {title} "
    if cell_len(head) > width - 4:
        head = set_cell_size(head, width - 4)
    left = max(1, (width - 2 - cell_len(head)) // 2)
    lines.append([("╭" + "─" * left, B), (head, "bold"), ("─" * max(0, width - 2 - left - cell_len(head)) + "╮", B)])
    for i in range(body_h):
        if i < len(rows):
            label, value = rows[i]
            pieces = [(f"{label:<10}", "bold cyan"), *value]
        else:
            pieces = []
        line = [("│ ", B), *_fit(pieces, info_w)]
        if show_skel:
            line += [(" │ ", "grey37"), (skel_lines[i] if i < len(skel_lines) else " " * skel_w, "")]
        line.append((" │", B))
        lines.append(line)
    for text in said:
        lines.append([("│ ", B), *_fit([(text, "italic magenta")], inner), (" │", B)])
    lines.append([("│ ", B), *_fit([("space pause · n skip · q quit", "dim")], inner), (" │", B)])
    foot = set_cell_size(f" {v.source} ", min(cell_len(v.source) + 2, width - 4)) if v.source else ""
    lines.append([("╰" + "─" * (width - 3 - cell_len(foot)) + foot + "─╯", B)])
    return Screen(lines, width)


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
                self.out.write(f"[{_stamp(e.t_s)}] {line}\n")
        self.out.flush()

    @staticmethod
    def line(e: ev.CoachEvent) -> str | None:
        if isinstance(e, ev.RepCounted):
            return f"{e.planned.exercise} set {e.planned.set_number}/{e.planned.sets_total}: rep {e.count}" + (
                f"/{e.target}" if e.target else "")
        if isinstance(e, ev.RepsRevised):
            if e.reason == "counted":
                return None   # its RepCounted line says it
            why = "a rep broken in two joined" if e.reason == "joined" else "the set reviewed as analyze does"
            return (f"{e.planned.exercise} set {e.planned.set_number}/{e.planned.sets_total}: count now {e.count}"
                    f"{f' (+{len(e.partials)} partial)' if e.partials else ''}: {why}")
        if isinstance(e, ev.SetCompleted):
            r = e.result
            flag = f" ({OUTCOMES[r.outcome]})" if r.outcome else ""
            return (f"set complete: {r.planned.exercise} {r.planned.set_number}/{r.planned.sets_total}: "
                    f"{plural(r.reps, 'rep')}{flag}")
        if isinstance(e, ev.FormCue):
            return f"form: {e.cue} [{e.severity}{', corrected' if e.corrected else ''}]"
        if isinstance(e, ev.WorkoutCompleted):
            s = e.summary
            return f"summary: {plural(s.total_reps, 'rep')}, {plural(s.sets_done, 'set')}, {_mmss(s.duration_s)}"
        if e.say is not None:
            return f"coach: {e.say.text}"
        return _MILESTONES.get(type(e))


_MILESTONES: dict[type, str] = {ev.Paused: "paused", ev.Resumed: "resumed", ev.RestEnded: "rest over"}


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
