"""Events emitted by the analysis stages (rep counter, form checker, classifier).

These dataclasses are the contract between the per-exercise trackers and everything
downstream (coach, voice, dashboard, history, ``analyze --json``). Times are seconds
from the start of the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RepInfo:
    """One repetition, full or partial."""

    index: int              # 1-based count within the set (partial reps: 0)
    start_s: float
    end_s: float
    side: str               # "left", "right", "both"
    rom_deg: float          # range of motion of the driving signal
    down_s: float           # time from start to the bottom (eccentric)
    up_s: float             # time from the bottom to the end (concentric)
    issues: list[str] = field(default_factory=list)  # form rule names seen during the rep
    partial: bool = False
    unjudged: list[str] = field(default_factory=list)  # rules whose judge_if (the view) did not hold
    # the signals the exercise's ``set_up`` conditions name, at the rep's turn (the set's review)
    turn_values: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    during: list[str] = field(default_factory=list)  # of ``issues``, those found over the movement's frames
    # (``throughout`` rules), not at its start or turn or on its range: what a fragment of a rep broken
    # in two still tells about the whole rep (``review.join_split``)
    from_edge: bool = field(default=False, compare=False, repr=False)  # begun at the stream's first frames,
    # without the start hold (``RepCounter.edge_s``; the set's review: ``review.edge_first_rep``)
    count_s: float = field(default=float("nan"), compare=False, repr=False)  # from leaving the start to the
    # count (part way back): the time the counter holds against the minimum rep time
    quick: bool = field(default=False, compare=False, repr=False)  # a partial rep only too quick
    # (``Cycle.quick``; the set's review: ``review.count_quick_reps``)
    lone: bool = field(default=False, compare=False, repr=False)  # a full rep set aside as a partial one
    # for being alone, no set (``review.lone_rep_is_no_set``): said so, a single rep is otherwise a puzzle

    def to_dict(self) -> dict:
        return {"start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3), "side": self.side,
                "rom_deg": round(self.rom_deg, 3), "down_s": round(self.down_s, 3),
                "up_s": round(self.up_s, 3), "issues": list(self.issues)}


@dataclass
class RepEvent:
    """A full rep was counted (``count``: the set's live count, now; ``rep.index``: its place in
    the set, which is the count except for a partial rep counted late, ``from_partial``)."""

    t_s: float
    exercise: str
    count: int
    rep: RepInfo
    raw: RepInfo | None = None   # the rep as the counter saw it (for the set's review), when not ``rep``
    from_partial: bool = False   # partial reps already reported (PartialRepEvent) that the set's review
    # will count, known once the next rep is (``LiveReps.gap_reps``): the review finds them among the partials


@dataclass
class RepMergedEvent:
    """A counted rep changed shape, the count did not go up: a rep broken in two was
    joined (``replaced``: the counted reps ``rep`` stands for now; ``raw``: the new piece
    as the counter saw it, None when two counted reps were joined). ``count``: the live
    count right after the join (``rep.index``)."""

    t_s: float
    exercise: str
    count: int
    rep: RepInfo
    replaced: list[RepInfo] = field(default_factory=list)
    raw: RepInfo | None = None


@dataclass
class PartialRepEvent:
    """A movement started like a rep but did not reach the full range."""

    t_s: float
    exercise: str
    rep: RepInfo


@dataclass
class FormEvent:
    """A form rule fired (``corrected=False``) or a fault was fixed (``corrected=True``)."""

    t_s: float
    exercise: str
    rule: str
    cue: str               # what to say, e.g. "Keep your hips up"
    severity: str          # "safety" or "tip"
    corrected: bool = False


@dataclass
class ExerciseEvent:
    """The classifier's temporal decision changed (label may be "rest" or "unknown")."""

    t_s: float
    label: str
    confidence: float


Event = RepEvent | RepMergedEvent | PartialRepEvent | FormEvent | ExerciseEvent
