"""What the coach engine emits: structured events, each optionally carrying an utterance.

The engine has no I/O; the voice speaks ``event.say``, the dashboard reads the engine's
status, and a history sink records sets and reps from these same events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from deepfit_coach.events import RepInfo
from deepfit_coach.plan import PlannedSet


class Priority(IntEnum):
    """Lower is more urgent: counts > safety cues > tips > chatter."""

    COUNT = 0
    SAFETY = 1
    TIP = 2
    CHATTER = 3


@dataclass
class Utterance:
    """Something to say. ``key``: a newer utterance with the same key supersedes queued
    older ones (counts, countdown ticks); ``max_age_s``: drop it if it waited that long."""

    text: str
    priority: Priority = Priority.CHATTER
    key: str | None = None
    max_age_s: float | None = None
    t_s: float = 0.0


@dataclass
class CoachEvent:
    t_s: float
    say: Utterance | None = field(default=None, kw_only=True)

    @property
    def kind(self) -> str:
        return type(self).__name__


@dataclass
class WorkoutStarted(CoachEvent):
    plan_name: str
    n_sets: int
    n_blocks: int


@dataclass
class ExerciseAnnounced(CoachEvent):
    planned: PlannedSet


@dataclass
class PositionHint(CoachEvent):
    """Waiting for the person to be in frame with the body parts the exercise needs."""

    missing: list[str]


@dataclass
class WrongView(CoachEvent):
    """The person is filmed from a view the exercise is not counted well from (head-on push-ups
    or rows, side-on jacks): the camera advice is said once per exercise."""

    planned: PlannedSet
    ratio: float              # visibility.facing_ratio, median over CoachTiming.view_window_s


@dataclass
class InPosition(CoachEvent):
    pass


@dataclass
class CountdownTick(CoachEvent):
    remaining: int            # 0 = "Go"


@dataclass
class SetStarted(CoachEvent):
    planned: PlannedSet
    set_index: int            # 0-based position in the plan's flat list of sets
    began_s: float | None = None   # a set started early (reps before "Go!"): where its first rep began

    @property
    def start_s(self) -> float:
        """When the set began: its first rep for an early start, else when it was started."""
        return self.t_s if self.began_s is None else min(self.t_s, self.began_s)


@dataclass
class RepCounted(CoachEvent):
    planned: PlannedSet
    count: int
    target: int | None
    rep: RepInfo


@dataclass
class RepsRevised(CoachEvent):
    """The set's reps changed without a new count (nothing is said): a rep broken in two
    was joined as it happened (``reason`` "joined"), partial reps were counted once the next
    rep showed what they were (``reason`` "counted", after its RepCounted), or the set's review
    at its end (``reason`` "review", the same review ``analyze`` runs) joined, dropped or moved reps.
    ``reps``/``partials``: the set's reps as they now stand; ``count``: len(reps)."""

    planned: PlannedSet
    count: int
    reps: list[RepInfo]
    partials: list[RepInfo]
    reason: str               # "joined" | "counted" | "review"


@dataclass
class PartialRep(CoachEvent):
    planned: PlannedSet
    rep: RepInfo


@dataclass
class FormCue(CoachEvent):
    planned: PlannedSet
    rule: str
    cue: str
    severity: str             # "safety" | "tip"
    corrected: bool = False


@dataclass
class TempoTip(CoachEvent):
    planned: PlannedSet
    text: str


@dataclass
class Nudge(CoachEvent):
    """A set stopped short: no rep for a while with reps still to do ("3 more to go")."""

    planned: PlannedSet
    left: int


@dataclass
class ExerciseMismatch(CoachEvent):
    planned: PlannedSet
    seen: str
    confidence: float


@dataclass
class OutOfView(CoachEvent):
    missing: list[str]


@dataclass
class BackInView(CoachEvent):
    pass


@dataclass
class TimeCheck(CoachEvent):
    """Spoken time left in a timed set."""

    remaining_s: int


@dataclass
class SetResult:
    """One finished set: what the history stores."""

    planned: PlannedSet
    set_index: int
    reps: int
    partial_reps: int
    start_s: float
    end_s: float
    active_s: float                       # time spent exercising (pauses excluded)
    rep_infos: list[RepInfo] = field(default_factory=list)
    partial_infos: list[RepInfo] = field(default_factory=list)
    form_issues: dict[str, int] = field(default_factory=dict)
    skipped: bool = False
    stopped: bool = False                 # quit during the set
    ended_by: str = ""                    # the coach ended it short: "stalled" | "other exercise" ("" not)

    @property
    def target(self) -> int | None:
        return self.planned.reps

    @property
    def outcome(self) -> str | None:
        """How the set ended when it did not run its course, as the history saves it (None: it did)."""
        if self.skipped or self.stopped:
            return "skipped" if self.skipped else "stopped"
        return self.ended_by.replace(" ", "_") or None


@dataclass
class SetCompleted(CoachEvent):
    result: SetResult


@dataclass
class RestStarted(CoachEvent):
    seconds: float
    next_set: PlannedSet | None


@dataclass
class RestTick(CoachEvent):
    remaining: int


@dataclass
class RestEnded(CoachEvent):
    pass


@dataclass
class Paused(CoachEvent):
    reason: str               # "user" | "out_of_view"


@dataclass
class Resumed(CoachEvent):
    pass


@dataclass
class Skipped(CoachEvent):
    what: str                 # "set" | "rest" | "exercise"


@dataclass
class WorkoutSummary:
    plan_name: str
    results: list[SetResult]
    duration_s: float
    completed: bool           # False when the user quit early

    @property
    def total_reps(self) -> int:
        return sum(r.reps for r in self.results)

    @property
    def sets_done(self) -> int:
        return sum(1 for r in self.results if not r.skipped)

    def reps_by_exercise(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            out[r.planned.display_name] = out.get(r.planned.display_name, 0) + r.reps
        return out

    def form_issues(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.results:
            for k, v in r.form_issues.items():
                out[k] = out.get(k, 0) + v
        return out


@dataclass
class WorkoutCompleted(CoachEvent):
    summary: WorkoutSummary
