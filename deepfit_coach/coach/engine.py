"""The coach: a state machine over the plan's sets, fed skeleton frames and time.

No I/O here: ``update(skeleton, t_s, decision)`` and ``command(name, t_s)`` return coach
events (each may carry an utterance); ``status()`` is what the dashboard shows. Time is
the source's time, so a video file runs the same workout as a camera, just faster.

Flow per set: [announce] -> wait until in view -> [countdown] -> active (count reps,
form cues, out-of-view pause, classifier mismatch) -> set complete -> rest (spoken
countdown) -> next set; the end emits a summary.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Protocol

import numpy as np

from deepfit_coach.coach import phrases
from deepfit_coach.coach.events import (
    BackInView, CoachEvent, CountdownTick, ExerciseAnnounced, ExerciseMismatch, FormCue, InPosition, OutOfView,
    Nudge, PartialRep, Paused, PositionHint, RepCounted, RepsRevised, RestEnded, RestStarted, RestTick, Resumed, SetCompleted, SetResult,
    SetStarted, Skipped, TempoTip, TimeCheck, Utterance, WorkoutCompleted, WorkoutStarted, WorkoutSummary, WrongView)
from deepfit_coach.coach.visibility import describe_missing, facing_ratio, hidden_arm, missing_parts, poor_view
from deepfit_coach.counting.review import review_set
from deepfit_coach.events import FormEvent, PartialRepEvent, RepEvent, RepInfo, RepMergedEvent
from deepfit_coach.plan import Plan, PlannedSet
from deepfit_coach.skeleton import Skeleton


class Tracker(Protocol):
    """Per-exercise rep counter and form checker (``deepfit_coach.counting``)."""

    def update(self, skeleton: Skeleton | None, t_s: float) -> list[Any]: ...
    def reset(self) -> None: ...


class Phase(str, Enum):
    INTRO = "intro"
    ANNOUNCE = "announce"
    POSITIONING = "positioning"
    COUNTDOWN = "countdown"
    ACTIVE = "active"
    REST = "rest"
    DONE = "done"


@dataclass
class CoachTiming:
    """How long the coach waits; defaults suit a person at a camera."""

    intro_s: float = 5.0            # at least; longer when the intro takes longer to say
    announce_s: float = 4.0         # likewise for the exercise announcement
    words_per_minute: float = 180.0 # speaking rate assumed when the plan sets none
    in_view_s: float = 1.0          # continuously in view before the countdown starts
    hint_after_s: float = 2.0       # first "I can't see your legs" after waiting this long
    hint_every_s: float = 8.0
    out_of_view_s: float = 1.0      # missing this long during a set pauses it
    # in view this long in a set without a rep: say the camera advice once (six tuning sets: the
    # first rep comes within 6.5 s in view; a hidden far working arm never counts)
    no_rep_hint_s: float = 10.0
    view_window_s: float = 2.0      # a set filmed from a view its exercise is not counted well from this long: say so
    back_in_view_s: float = 0.5
    mismatch_confidence: float = 0.8
    mismatch_hold_s: float = 2.5
    mismatch_clear_s: float = 1.0
    rest_ticks: tuple[int, ...] = (10, 3, 2, 1)
    timed_ticks: tuple[int, ...] = (10,)
    warning_s: float = 4.0          # how long a form cue stays on the dashboard
    tempo_ratio: float = 0.5        # lowering faster than this share of the target tempo -> tip
    # full reps of the next set seen before "Go!" (intro, announcement, positioning, countdown; not
    # a rest, which is the plan's) that start it there, counted: someone who did not wait, or a
    # recorded video that cannot (0: off)
    early_start_reps: int = 2
    # a rep-target set with reps done, then none for this long in view: "N more to go" (once per stall) ...
    stall_nudge_s: float = 12.0
    # ... and for this long: the set ends with the reps done (the person stopped; hands-free, no key to
    # press)
    stall_end_s: float = 40.0
    # a set without a rep in which another exercise has been seen this long ("you seem to be doing X")
    # ends too: the person is doing something else
    mismatch_end_s: float = 20.0


@dataclass
class CoachStatus:
    """A snapshot for the dashboard (cheap to build, safe to read from another thread)."""

    phase: str
    plan_name: str
    block_name: str = ""
    block_number: int = 0
    blocks_total: int = 0
    exercise: str = ""
    set_number: int = 0
    sets_total: int = 0
    circuit: bool = False
    reps: int = 0
    target: int | None = None
    partial_reps: int = 0
    timed_total_s: float | None = None
    timed_left_s: float | None = None
    rest_left_s: float | None = None
    rest_total_s: float | None = None
    countdown: int | None = None
    next_exercise: str = ""
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    paused: bool = False
    out_of_view: bool = False
    recognised: str = ""
    recognised_confidence: float = 0.0
    mismatch: bool = False
    set_index: int = 0
    sets_in_plan: int = 0
    total_reps: int = 0
    elapsed_s: float = 0.0
    last_said: str = ""


_CLASSIFIER_IGNORES = {"rest", "unknown", ""}
_WAITING = (Phase.INTRO, Phase.ANNOUNCE, Phase.POSITIONING, Phase.COUNTDOWN)   # before a set's start, not resting


class Coach:
    """Walks a :class:`Plan`; one tracker per exercise, reset at each set."""

    def __init__(self, plan: Plan, make_tracker: Callable[[PlannedSet], Tracker],
                 timing: CoachTiming | None = None, classifier_labels: tuple[str, ...] | None = None,
                 intro_notes: list[str] | tuple[str, ...] = ()) -> None:
        if not plan.sets:
            raise ValueError("plan has no sets")
        self.plan = plan
        self.timing = timing or CoachTiming()
        self._make_tracker = make_tracker
        self._trackers: dict[str, Tracker] = {}
        self._classifier_labels = classifier_labels
        self._intro_notes = [n.strip() for n in intro_notes if n and n.strip()]  # e.g. progression news
        self.phase: Phase | None = None
        self.index = 0
        self.results: list[SetResult] = []
        self._t0: float | None = None
        self._t = 0.0
        self._phase_t = 0.0            # time spent in the current phase (pauses excluded)
        self._phase_len = 0.0          # how long intro/announce last
        self._user_paused = False
        self._out_of_view = False
        self._seen_since: float | None = None
        self._missing_since: float | None = None
        self._last_hint: float | None = None
        self._missing: list[str] = []
        self._spoken_ticks: set[int] = set()
        self._countdown_from = 0
        self._after_rest = False
        self._set: _SetState | None = None
        self._warnings: list[tuple[float, str]] = []
        self._recognised = ("", 0.0)
        self._mismatch_since: float | None = None
        self._match_since: float | None = None
        self._mismatch = False
        self._last_said = ""
        self._summary: WorkoutSummary | None = None
        self._view_said: set[str] = set()   # exercises whose camera advice was said for a wrong view
        self._early_for: int | None = None  # the set whose tracker runs before its start (_look_ahead)
        self._early_events: list[Any] = []
        self._rest_len = 0.0                # this rest: the plan's, or longer to say what comes next
        self._rest_talk_s = 0.0             # how long the rest's words take

    # ------------------------------------------------------------------ public API

    @property
    def current(self) -> PlannedSet:
        return self.plan.sets[min(self.index, len(self.plan.sets) - 1)]

    @property
    def done(self) -> bool:
        return self.phase == Phase.DONE

    @property
    def paused(self) -> bool:
        """Paused by the user (space): a recording should wait too, or its reps play on unseen."""
        return self._user_paused

    @property
    def summary(self) -> WorkoutSummary | None:
        return self._summary

    def update(self, skeleton: Skeleton | None, t_s: float, decision: Any = None) -> list[CoachEvent]:
        """Advance to ``t_s`` with this frame's skeleton (None: nobody seen) and the
        classifier's decision (anything with ``label`` and ``confidence``, or None)."""
        out: list[CoachEvent] = []
        if self.phase == Phase.DONE:
            return out
        if self._t0 is None:
            self._t0 = t_s
            self._t = t_s
            self._enter_intro(t_s, out)
        dt = max(0.0, t_s - self._t)
        self._t = max(self._t, t_s)
        if decision is not None:
            self._recognised = (str(getattr(decision, "label", "")), float(getattr(decision, "confidence", 0.0)))
        self._missing = missing_parts(skeleton, self.current.required_parts)
        in_view = not self._missing
        if in_view:
            self._missing_since = None
            self._seen_since = t_s if self._seen_since is None else self._seen_since
        else:
            self._seen_since = None
            self._missing_since = t_s if self._missing_since is None else self._missing_since

        if self._user_paused:
            if self.phase == Phase.ACTIVE:  # a rep in progress must not span the pause
                self._tracker(self.current).update(None, t_s)
            return self._said(out)
        if self._look_ahead(skeleton, t_s, out):
            return self._said(out)
        handler = getattr(self, f"_on_{self.phase.value}")
        handler(skeleton, t_s, dt, out)
        return self._said(out)

    def command(self, name: str, t_s: float | None = None) -> list[CoachEvent]:
        """Keyboard commands: "pause" (toggles), "resume", "skip", "quit"."""
        t = self._t if t_s is None else t_s
        out: list[CoachEvent] = []
        if self.phase in (None, Phase.DONE):
            if name == "quit" and self.phase is None:
                self._t0 = t
                self._finish(t, out, completed=False)
            return self._said(out)
        if name in ("pause", "toggle_pause"):
            name = "resume" if self._user_paused else "pause"
        if name == "pause" and not self._user_paused:
            self._user_paused = True
            out.append(Paused(t, "user", say=phrases.paused(t)))
        elif name == "resume" and self._user_paused:
            self._user_paused = False
            out.append(Resumed(t, say=phrases.resumed(t)))
        elif name == "skip":
            self._user_paused = False
            self._skip(t, out)
        elif name == "quit":
            self._finish(t, out, completed=False)
        return self._said(out)

    def finish(self, t_s: float | None = None) -> list[CoachEvent]:
        """End now (Ctrl-C, end of the video): records the set in progress, emits the summary."""
        out: list[CoachEvent] = []
        if self.phase != Phase.DONE:
            self._finish(self._t if t_s is None else t_s, out, completed=False)
        return self._said(out)

    def status(self) -> CoachStatus:
        s = self.current
        st = CoachStatus(phase=(self.phase or Phase.INTRO).value, plan_name=self.plan.name,
                         block_name=s.block_name, block_number=s.block_index + 1,
                         blocks_total=len(self.plan.block_names), exercise=s.display_name,
                         set_number=s.set_number, sets_total=s.sets_total, circuit=s.circuit,
                         target=s.reps, set_index=self.index, sets_in_plan=len(self.plan.sets),
                         paused=self._user_paused, out_of_view=self._out_of_view, missing=list(self._missing),
                         recognised=self._recognised[0], recognised_confidence=self._recognised[1],
                         mismatch=self._mismatch, last_said=self._last_said,
                         elapsed_s=(self._t - self._t0) if self._t0 is not None else 0.0)
        st.total_reps = sum(r.reps for r in self.results) + (self._set.reps if self._set else 0)
        if self._set is not None:
            st.reps, st.partial_reps = self._set.reps, self._set.partial
        if s.timed:
            st.timed_total_s = s.duration_s
            active = self._phase_t if self.phase == Phase.ACTIVE else 0.0
            st.timed_left_s = max(0.0, (s.duration_s or 0.0) - active)
        if self.phase == Phase.REST and self.index > 0:
            st.rest_total_s = self._rest_len
            st.rest_left_s = max(0.0, self._rest_len - self._phase_t)
            # during rest, show the set just finished and its reps
            if self.results:
                self._show_result(st, self.results[-1])
            st.next_exercise = f"{s.display_name} ({'round' if s.circuit else 'set'} {s.set_number}/{s.sets_total})"
        elif self.phase == Phase.DONE and self.results:
            self._show_result(st, self.results[-1])   # the last set as it ended, not "Reps 0/6"
        if self.phase == Phase.COUNTDOWN:
            st.countdown = max(0, self._countdown_from - int(self._phase_t))
        st.warnings = [w for t, w in self._warnings if self._t - t <= self.timing.warning_s]
        return st

    @staticmethod
    def _show_result(st: CoachStatus, r: SetResult) -> None:
        """The status of a finished set (in the rest after it, and at the end), its place in the plan too."""
        p = r.planned
        st.reps, st.partial_reps, st.target, st.set_index = r.reps, r.partial_reps, p.reps, r.set_index
        st.exercise, st.set_number, st.sets_total = p.display_name, p.set_number, p.sets_total
        st.block_name, st.block_number, st.circuit = p.block_name, p.block_index + 1, p.circuit

    # ------------------------------------------------------------------ phases

    def _enter(self, phase: Phase) -> None:
        self.phase = phase
        self._phase_t = 0.0
        self._spoken_ticks = set()

    def _enter_intro(self, t: float, out: list[CoachEvent]) -> None:
        self._enter(Phase.INTRO)
        say = phrases.intro(self.plan, t)
        if self._intro_notes:
            say.text = " ".join([say.text, *self._intro_notes])
        self._phase_len = max(self.timing.intro_s, self._speech_s(say.text))
        out.append(WorkoutStarted(t, self.plan.name, len(self.plan.sets), len(self.plan.block_names), say=say))

    def _speech_s(self, text: str) -> float:
        """Roughly how long ``text`` takes to say, so the countdown does not talk over it: words
        (hyphenated ones are two: "Push-ups"), a pause at each punctuation mark, and the engine's
        start. Fitted to espeak-ng at its default rate on the coach's own lines (28 of them: never
        under by more than 0.1 s; the intro was said 0.6 s longer than the words alone allowed)."""
        wpm = float(self.plan.voice.rate or self.timing.words_per_minute)
        words = len(text.replace("-", " ").split())
        pauses = sum(text.count(c) for c in ".,:;!?")
        return words * 60.0 / wpm + 0.1 * pauses + 0.5

    def _on_intro(self, skel, t, dt, out) -> None:
        self._phase_t += dt
        if self._phase_t >= self._phase_len:
            self._enter_announce(t, out)

    def _enter_announce(self, t: float, out: list[CoachEvent]) -> None:
        self._enter(Phase.ANNOUNCE)
        self._after_rest = False
        cur = self.current
        say = phrases.announce(cur, t, with_advice=not (cur.circuit and cur.set_number > 1))
        self._phase_len = max(self.timing.announce_s, self._speech_s(say.text))
        out.append(ExerciseAnnounced(t, self.current, say=say))

    def _on_announce(self, skel, t, dt, out) -> None:
        self._phase_t += dt
        if self._phase_t >= self._phase_len:
            self._enter_positioning(t, out)

    def _enter_positioning(self, t: float, out: list[CoachEvent]) -> None:
        self._enter(Phase.POSITIONING)
        self._last_hint = None

    def _on_positioning(self, skel, t, dt, out) -> None:
        self._phase_t += dt
        tm = self.timing
        if self._seen_since is not None and t - self._seen_since >= tm.in_view_s - 1e-9:
            out.append(InPosition(t))
            # straight after a rest that ended with the person in view, the rest's own "3, 2, 1"
            # was the countdown; someone who had to come back gets a fresh one
            if (self._after_rest and self._phase_t <= 1e-9) or self.plan.countdown_s <= 0:
                self._start_set(t, out)
            else:
                self._enter(Phase.COUNTDOWN)
                self._countdown_from = self.plan.countdown_s
                self._spoken_ticks = {self._countdown_from}
                out.append(CountdownTick(t, self._countdown_from, say=phrases.countdown(self._countdown_from, t)))
            return
        if self._missing and self._phase_t >= tm.hint_after_s and (
                self._last_hint is None or t - self._last_hint >= tm.hint_every_s):
            self._last_hint = t
            out.append(PositionHint(t, list(self._missing),
                                    say=phrases.position_hint(describe_missing(self._missing), t)))

    def _on_countdown(self, skel, t, dt, out) -> None:
        if self._missing_since is not None and t - self._missing_since >= self.timing.out_of_view_s:
            self._enter_positioning(t, out)  # walked off during the countdown: wait again
            return
        self._phase_t += dt
        remaining = self._countdown_from - int(self._phase_t + 1e-9)
        if remaining <= 0:
            self._start_set(t, out, from_countdown=True)
            return
        if remaining not in self._spoken_ticks:
            self._spoken_ticks.add(remaining)
            out.append(CountdownTick(t, remaining, say=phrases.countdown(remaining, t)))

    def _tracker(self, s: PlannedSet) -> Tracker:
        tracker = self._trackers.get(s.exercise)
        if tracker is None:
            tracker = self._trackers[s.exercise] = self._make_tracker(s)
        return tracker

    def _start_set(self, t: float, out: list[CoachEvent], from_countdown: bool = False,
                   early_from: float | None = None) -> None:
        """``early_from``: the set began there, before "Go!" (``_look_ahead``: its tracker keeps
        the reps it has seen)."""
        s = self.current
        self._enter(Phase.ACTIVE)
        self._after_rest = False
        self._out_of_view = False
        self._mismatch = False
        self._mismatch_since = self._match_since = None
        self._warnings.clear()
        self._early_for = None
        if early_from is None:
            self._tracker(s).reset()
        self._set = _SetState(start=t if early_from is None else early_from)
        self._set.active_s = t - self._set.start   # the reps seen before the start were active time
        say = (phrases.early_start(t) if early_from is not None else
               phrases.countdown(0, t) if from_countdown else phrases.set_start(s, t))
        out.append(SetStarted(t, s, self.index, began_s=early_from, say=say))

    def _look_ahead(self, skel: Skeleton | None, t: float, out: list[CoachEvent]) -> bool:
        """Before a set starts (intro, announcement, positioning, countdown), its tracker already
        watches: ``early_start_reps`` full reps there start the set at once, counted. A person who
        does not wait for "Go!" - or a recorded video, which cannot - loses no reps; setting up and
        walking in make no full reps (the counters' set-up rules), and a second rep is asked for,
        so a stray one starts nothing. And the classifier must name the planned exercise then:
        stretching reads as squats or lateral raises to their counters (40-s rest clips: up to 9
        'squats'), and the classifier calls it rest (70 rest clips of the check grids, every
        exercise's counter: 15 reached a second rep, none with the label; in the held-out, fresh8
        and pool_a sets the label agreed at the second rep in 109 of 119). Not in a rest (the
        plan's: reps there are not counted), not for timed sets (their clock is the plan's). A custom
        exercise, which the classifier cannot name, needs one rep more and a classifier not saying rest."""
        s, need = self.current, self.timing.early_start_reps
        if need <= 0 or s.timed or self.phase not in _WAITING:
            return False
        tracker = self._tracker(s)
        if self._early_for != self.index:
            tracker.reset()
            self._early_for, self._early_events = self.index, []
        self._early_events += tracker.update(skel, t) or []
        counted = [e for e in self._early_events if isinstance(e, (RepEvent, RepMergedEvent))]
        known = self._classifier_labels is None or s.exercise in self._classifier_labels
        if not counted or counted[-1].count < need + (not known) or not self._planned_exercise_seen(s):
            return False
        events, self._early_events = self._early_events, []
        # the set begins with its first full rep: a partial rep and its cues before it were getting
        # ready (a 5-deg wobble standing still was cued "Go deeper", then "Better!", and saved)
        k = next(i for i, e in enumerate(events) if isinstance(e, RepEvent))
        self._start_set(t, out, early_from=min(t, events[k].rep.start_s))
        for ev in events[k:]:
            self._tracker_event(ev, s, t, out)
        return True

    def _planned_exercise_seen(self, s: PlannedSet) -> bool:
        """The classifier names the planned exercise now (a coach without one takes the counter's word).
        A custom exercise it does not know cannot be named, but a rest can: the classifier must not
        call it one, and a third rep is asked for (its reps before "Go!" were never counted; QA pass 4)."""
        labels = self._classifier_labels
        if labels is None:
            return True
        if s.exercise in labels:
            return self._recognised[0] == s.exercise
        return self._recognised[0] not in ("rest", "")

    def _other_exercise_seen(self, s: PlannedSet) -> bool:
        """The classifier is sure this frame shows another exercise than the planned one."""
        label, conf = self._recognised
        labels = self._classifier_labels
        if labels is not None and s.exercise not in labels:
            return False  # custom exercise the classifier does not know: nothing to compare
        return label not in _CLASSIFIER_IGNORES and label != s.exercise and conf >= self.timing.mismatch_confidence

    def _on_active(self, skel, t, dt, out) -> None:
        s, st, tm = self.current, self._set, self.timing
        assert st is not None
        tracker = self._tracker(s)
        # person left: pause the set (no counting, timer stops) until they are back
        if not self._out_of_view and self._missing_since is not None and t - self._missing_since >= tm.out_of_view_s:
            self._out_of_view = True
            out.append(OutOfView(t, list(self._missing), say=phrases.out_of_view(t, timed=s.timed)))
            out.append(Paused(t, "out_of_view"))
        if self._out_of_view:
            if self._seen_since is not None and t - self._seen_since >= tm.back_in_view_s:
                self._out_of_view = False
                left = (s.duration_s or 0.0) - self._phase_t if s.timed else None
                out.append(BackInView(t, say=phrases.back_in_view(t, left)))
                out.append(Resumed(t))
            else:
                tracker.update(None, t)
                return
        self._phase_t += dt
        st.active_s += dt
        self._check_mismatch(s, t, out)
        for ev in tracker.update(skel, t) or []:
            self._tracker_event(ev, s, t, out)
        st.seen_s += dt if not self._missing else 0.0
        st.idle_s += dt if not self._missing else 0.0
        st.other_s += dt if self._mismatch else 0.0   # set time (not paused, in view) another exercise was seen
        self._check_view(s, skel, t, out)
        if self._stalled(s, t, out):
            return
        if not s.timed and st.reps == 0 and not st.no_rep_said:
            # the frames the hint looks back over: which arm, if one, the camera could not see
            st.recent.append((t, skel))
            while st.recent[0][0] <= t - tm.no_rep_hint_s:
                st.recent.popleft()
            if st.seen_s >= tm.no_rep_hint_s:
                st.no_rep_said = True
                arm = (hidden_arm([k for _, k in st.recent], [u for u, _ in st.recent], t - tm.no_rep_hint_s, t)
                       if "{side}_arm" in s.required_parts else None)
                st.recent.clear()
                if st.mismatch_said:   # not the camera: another exercise (the coach said which)
                    out.append(PositionHint(t, [], say=phrases.planned_reminder(s, t)))
                else:
                    out.append(PositionHint(t, [], say=phrases.no_reps_seen(s, t, hidden_arm=arm)))
        if s.timed:
            left = (s.duration_s or 0.0) - self._phase_t
            for tick in tm.timed_ticks:
                if left <= tick and tick not in self._spoken_ticks and (s.duration_s or 0) > tick + 3:
                    self._spoken_ticks.add(tick)
                    out.append(TimeCheck(t, tick, say=phrases.time_left(tick, t)))
            if left <= 1e-9:
                self._complete_set(t, out)
        elif s.reps is not None and st.reps >= s.reps and not self._short_on_review(t, out):
            self._complete_set(t, out)

    def _stalled(self, s: PlannedSet, t: float, out: list[CoachEvent]) -> bool:
        """A rep-target set that stopped short: reps done, then none for ``stall_nudge_s`` in view
        ("N more to go"), then for ``stall_end_s`` (the set ends with the reps done: a person who
        stopped there should not have to walk to the keyboard). A set without a rep in which another
        exercise has been seen for ``mismatch_end_s`` ends too. True when the set ended."""
        st, tm = self._set, self.timing
        if s.timed or s.reps is None or st is None or st.reps >= s.reps:
            return False
        if st.reps == 0:
            if st.other_s >= tm.mismatch_end_s:
                self._complete_set(t, out, why="other exercise")
                return True
            return False
        if not st.nudged and st.idle_s >= tm.stall_nudge_s:
            st.nudged = True
            say = phrases.keep_going(s.reps - st.reps, t) if s.cues.encouragement else None
            out.append(Nudge(t, s, s.reps - st.reps, say=say))
        if st.idle_s >= tm.stall_end_s:
            self._complete_set(t, out, why="stalled")
            return True
        return False

    def _check_view(self, s: PlannedSet, skel, t: float, out: list[CoachEvent]) -> None:
        """Head-on push-ups or rows are counted badly whatever the counter does: when the set
        has been filmed from one of the exercise's ``poor_views`` for ``view_window_s`` (the
        median of the frames' facing ratio), say its camera advice, once per exercise."""
        st = self._set
        poor = tuple(getattr(s.spec, "poor_views", ()) or ())
        if st is None or not poor or s.exercise in self._view_said:
            return
        ratio = facing_ratio(skel) if not self._missing else None
        if ratio is not None:
            st.facing.append((t, ratio))
        st.facing = [(u, r) for u, r in st.facing if u > t - self.timing.view_window_s]
        if not st.facing or st.facing[0][0] > t - 0.75 * self.timing.view_window_s:
            return   # not enough of the window seen yet
        med = float(np.median([r for _, r in st.facing]))
        if poor_view(poor, med):
            self._view_said.add(s.exercise)
            out.append(WrongView(t, s, med, say=phrases.wrong_view(s, t)))

    def _check_mismatch(self, s: PlannedSet, t: float, out: list[CoachEvent]) -> None:
        label, conf = self._recognised
        if self._other_exercise_seen(s):
            self._match_since = None
            self._mismatch_since = t if self._mismatch_since is None else self._mismatch_since
            if not self._mismatch and t - self._mismatch_since >= self.timing.mismatch_hold_s:
                self._mismatch = True
                self._set.quiet_from = self._set.reps
                if not self._set.mismatch_said:
                    self._set.mismatch_said = True
                    seen = label.replace("_", " ")
                    out.append(ExerciseMismatch(t, s, label, conf,
                                                say=phrases.mismatch(seen, s.display_name.lower(), t)))
        else:
            self._mismatch_since = None
            if label == s.exercise:
                self._set.quiet_from = None
            if self._mismatch:
                self._match_since = t if self._match_since is None else self._match_since
                if label == s.exercise or t - self._match_since >= self.timing.mismatch_clear_s:
                    self._mismatch = False

    def _tracker_event(self, ev: Any, s: PlannedSet, t: float, out: list[CoachEvent]) -> None:
        st = self._set
        assert st is not None
        if isinstance(ev, RepEvent):
            if self._mismatch or self._mismatch_since is not None and t - self._mismatch_since >= 1.0:
                return  # the classifier sees another exercise: do not count it
            if not s.timed and s.reps is not None and st.reps >= s.reps:
                return  # the set is full (several reps in one frame): the rest is not this set's
            if ev.from_partial:   # its partial reps stay in partial_infos, where the set's review counts them again;
                # the rep takes its place in time (it may be from a few reps ago: LiveReps.gap_reps)
                st.gap_counted += [p for p in st.partial_infos if ev.rep.start_s <= p.start_s and p.end_s <= ev.rep.end_s]
                st.rep_infos.insert(sum(r.start_s <= ev.rep.start_s for r in st.rep_infos), ev.rep)
            else:
                st.raw.append(ev.raw or ev.rep)
                st.rep_infos.append(ev.rep)
            st.reps = len(st.rep_infos)
            st.idle_s, st.nudged = 0.0, False
            # a number is said once: after two counted reps were joined, the next rep takes
            # the number already said and passes silently (counts go 1, 2, 3 without gaps)
            say = phrases.rep(st.reps, s.reps, s.cues.counts, s.cues.encouragement, t) if st.reps > st.said else None
            st.said = max(st.said, st.reps)
            out.append(RepCounted(t, s, st.reps, s.reps, ev.rep, say=say))
            if ev.from_partial:   # the partial rep saved before is this rep now (history, dashboard)
                out.append(RepsRevised(t, s, st.reps, list(st.rep_infos), st.shown_partials(), "counted"))
            if s.tempo is not None and s.tempo.down_s > 0 and not st.tempo_said and ev.rep.down_s > 0 \
                    and ev.rep.down_s < self.timing.tempo_ratio * s.tempo.down_s:
                st.tempo_said = True
                text = f"Slower on the way down: {s.tempo.down_s:g} seconds."
                out.append(TempoTip(t, s, text, say=phrases.tempo_tip(text, t) if s.cues.tips else None))
        elif isinstance(ev, RepMergedEvent):
            # the tracker joined a rep broken in two: the count does not go up, nothing is said
            at = [k for k, r in enumerate(st.rep_infos) if any(r is x for x in ev.replaced)]
            if not at:
                return  # it joins reps this set never counted (another exercise was seen)
            st.rep_infos[at[0]:at[-1] + 1] = [ev.rep]
            if ev.raw is not None:
                st.raw.append(ev.raw)
            st.reps = len(st.rep_infos)
            out.append(RepsRevised(t, s, st.reps, list(st.rep_infos), st.shown_partials(), "joined"))
        elif isinstance(ev, PartialRepEvent):
            if not self._mismatch:
                st.partial_infos.append(ev.rep)
                out.append(PartialRep(t, s, ev.rep))
        elif isinstance(ev, FormEvent):
            if self._mismatch or self._mismatch_since is not None and t - self._mismatch_since >= 1.0:
                return  # cues for the planned exercise make no sense while doing another one
            if st.quiet_from is not None and st.reps < st.quiet_from + 2:
                # nor after "you seem to be doing X" until the planned exercise is back: the classifier
                # naming it, or two reps counted (a lunge cue came on the squats the coach said it saw)
                return
            if ev.corrected:
                say = phrases.form(ev.cue, "tip", t) if (s.cues.tips and ev.cue) else None
                out.append(FormCue(t, s, ev.rule, ev.cue, ev.severity, True, say=say))
                return
            st.cued.add(ev.rule)
            self._warnings.append((t, ev.cue))
            speak = ev.severity == "safety" or s.cues.form
            out.append(FormCue(t, s, ev.rule, ev.cue, ev.severity, False,
                               say=phrases.form(ev.cue, ev.severity, t) if speak else None))

    def _short_on_review(self, t: float, out: list[CoachEvent]) -> bool:
        """The live count reached the target: the set-end review (what is saved, as analyze
        counts) may find fewer reps (a tiny last rep, two halves of one rep). Then the set goes
        on and the coach asks for the missing reps now, rather than saving fewer than it said
        with the person already resting. Once per set: the second time the target is reached
        the set ends and the review's count is saved and said."""
        s, st = self.current, self._set
        assert st is not None and s.reps is not None
        if st.review_extended:
            return False
        reps, partials = self._review()
        if len(reps) >= s.reps:
            return False
        st.review_extended = True
        # the reps the review set aside stay aside: the person made up for them
        known = {(p.start_s, p.end_s) for p in st.partial_infos}
        st.set_aside = [p for p in partials if (p.start_s, p.end_s) not in known]
        st.rep_infos = reps
        st.reps = st.said = len(reps)
        out.append(RepsRevised(t, s, st.reps, list(reps), list(partials), "review",
                               say=phrases.short_on_review(st.reps, s.reps - st.reps, t)))
        return True

    def _review(self) -> tuple[list[RepInfo], list[RepInfo]]:
        """The review analyze runs on a whole set (split reps joined, a tiny first or last rep
        kept as a partial), over the set so far; unlike a video, a coached set is known to be
        a set, so a lone rep stays a rep."""
        st = self._set
        assert st is not None
        aside = {(r.start_s, r.end_s) for r in st.set_aside}
        raw = [r for r in st.raw if (r.start_s, r.end_s) not in aside]
        spec = getattr(self._tracker(self.current), "spec", None)   # its set_up conditions, if any
        reps, partials = review_set(raw, sorted(st.partial_infos + st.set_aside, key=lambda r: r.start_s),
                                    keep_lone_rep=True, set_up=getattr(spec, "set_up", ()),
                                    put_down=getattr(spec, "put_down", ()))
        return [dataclasses.replace(r, index=k + 1) for k, r in enumerate(reps)], partials

    def _complete_set(self, t: float, out: list[CoachEvent], skipped: bool = False, stopped: bool = False,
                      why: str = "") -> None:
        """End the set in progress (``why``: the coach ended it, "stalled" or "other exercise": said so)."""
        s, st = self.current, self._set
        assert st is not None
        flush = getattr(self._tracker(s), "flush", None)
        for ev in (flush(t) if flush is not None else []):  # a rep the tracker still held
            self._tracker_event(ev, s, t, out)
        reps, partials = self._review()   # the set is over: the review decides what is saved
        if _shape(reps) != _shape(st.rep_infos) or len(partials) != len(st.shown_partials()):
            out.append(RepsRevised(t, s, len(reps), list(reps), list(partials), "review"))
        result = SetResult(planned=s, set_index=self.index, reps=len(reps), partial_reps=len(partials),
                           start_s=st.start, end_s=t, active_s=st.active_s, rep_infos=reps, partial_infos=partials,
                           form_issues=st.issue_counts(reps), skipped=skipped, stopped=stopped, ended_by=why)
        self.results.append(result)
        self._set = None
        self._out_of_view = False
        said = st.said if st.said != len(reps) else None   # the review changed what was said
        out.append(SetCompleted(t, result, say=None if stopped else phrases.set_complete(s, len(reps), t, said, why)))
        if not stopped:
            self._next(t, out, rest_s=s.rest_after_s)

    def _next(self, t: float, out: list[CoachEvent], rest_s: float) -> None:
        prev = self.current
        self.index += 1
        if self.index >= len(self.plan.sets):
            self._finish(t, out, completed=True)
            return
        nxt = self.current
        new_exercise = nxt.first_of_block or nxt.exercise != prev.exercise
        if rest_s > 0:
            self._enter(Phase.REST)
            say, self._rest_len, self._rest_talk_s = self._rest_words(prev, nxt, rest_s, t)
            out.append(RestStarted(t, self._rest_len, nxt, say=say))
            if new_exercise:
                out.append(ExerciseAnnounced(t, nxt))  # spoken inside the rest message
        elif new_exercise:
            self._enter_announce(t, out)
        else:
            self._after_rest = True
            self._enter_positioning(t, out)

    def rest_after(self, index: int) -> float:
        """How long the rest after set ``index`` lasts: the plan's, or longer to say what comes next."""
        rest_s = self.plan.sets[index].rest_after_s
        if rest_s <= 0 or index + 1 >= len(self.plan.sets):
            return 0.0
        return self._rest_words(self.plan.sets[index], self.plan.sets[index + 1], rest_s, 0.0)[1]

    def _rest_words(self, prev: PlannedSet, nxt: PlannedSet, rest_s: float,
                    t: float) -> tuple[Utterance | None, float, float]:
        """What the rest says, how long it lasts and how long its words take. They are said whole
        before its "3, 2, 1" (a count cuts speech short): a short rest before a new exercise, its
        name and camera advice, took 8 s of a 6-s rest. Between sets of one exercise the plan's
        rest is kept as written (the person chose it): a count the words would cut is left out."""
        new_exercise = nxt.first_of_block or nxt.exercise != prev.exercise
        if not (prev.cues.rest_countdown or new_exercise):
            return None, rest_s, 0.0
        say = phrases.rest(rest_s, nxt, new_exercise, t)
        talk = self._speech_s(say.text) - 0.5
        if not new_exercise:
            return say, rest_s, talk
        room = min(3, max(self.timing.rest_ticks, default=0)) if prev.cues.rest_countdown else 0
        if talk + room <= rest_s:
            return say, rest_s, talk
        # lengthened: the rest says the length it will last ("Rest 6 seconds" began a 12-s rest)
        length = float(math.ceil(talk + room))
        say = phrases.rest(length, nxt, new_exercise, t)
        talk = self._speech_s(say.text) - 0.5
        return say, max(length, talk + room), talk

    def _on_rest(self, skel, t, dt, out) -> None:
        self._phase_t += dt
        prev = self.plan.sets[self.index - 1]
        left = self._rest_len - self._phase_t
        if left <= 1e-9:
            self._end_rest(t, out)
            return
        for tick in self.timing.rest_ticks:
            if left <= tick and tick not in self._spoken_ticks:
                self._spoken_ticks.update(k for k in self.timing.rest_ticks if k >= tick)
                talking = self._phase_t < self._rest_talk_s   # "10 seconds" would cut the rest's words short
                if self._rest_len >= tick + 2 and prev.cues.rest_countdown and not talking:
                    out.append(RestTick(t, tick, say=phrases.rest_tick(tick, t)))
                break

    def _end_rest(self, t: float, out: list[CoachEvent]) -> None:
        out.append(RestEnded(t))
        self._after_rest = True
        self._enter_positioning(t, out)
        self._on_positioning(None, t, 0.0, out)  # in view already: go straight on

    def _skip(self, t: float, out: list[CoachEvent]) -> None:
        if self.phase == Phase.ACTIVE:
            out.append(Skipped(t, "set"))
            self._complete_set(t, out, skipped=True)
        elif self.phase == Phase.REST:
            out.append(Skipped(t, "rest"))
            self._end_rest(t, out)
        elif self.phase == Phase.INTRO:
            out.append(Skipped(t, "intro"))
            self._enter_announce(t, out)
        else:  # announce / positioning / countdown: skip this set entirely
            s = self.current
            out.append(Skipped(t, "set"))
            self.results.append(SetResult(planned=s, set_index=self.index, reps=0, partial_reps=0, start_s=t,
                                          end_s=t, active_s=0.0, skipped=True))
            self._next(t, out, rest_s=0.0)

    def _finish(self, t: float, out: list[CoachEvent], completed: bool) -> None:
        if self.phase == Phase.ACTIVE and self._set is not None:
            self._complete_set(t, out, stopped=True)
        self._enter(Phase.DONE)
        self.index = min(self.index, len(self.plan.sets) - 1)
        duration = t - (self._t0 if self._t0 is not None else t)
        self._summary = WorkoutSummary(self.plan.name, list(self.results), duration, completed)
        out.append(WorkoutCompleted(t, self._summary,
                                    say=phrases.summary(self._summary.total_reps, duration / 60.0, completed, t)))

    def _said(self, out: list[CoachEvent]) -> list[CoachEvent]:
        for ev in out:
            if ev.say is not None:
                self._last_said = ev.say.text
        return out


@dataclass
class _SetState:
    start: float
    reps: int = 0
    active_s: float = 0.0
    rep_infos: list = field(default_factory=list)              # counted reps, as they stand live
    raw: list = field(default_factory=list)                    # the same as the counter saw them
    partial_infos: list = field(default_factory=list)
    said: int = 0                                              # highest count said
    cued: set = field(default_factory=set)                      # rules the checker cued
    mismatch_said: bool = False
    tempo_said: bool = False
    seen_s: float = 0.0                                        # in view during the set
    no_rep_said: bool = False
    recent: deque = field(default_factory=deque)               # (t, skeleton) while no rep is counted (no_rep_hint_s)
    review_extended: bool = False                              # the review asked for more reps
    set_aside: list = field(default_factory=list)              # reps that review made partial
    facing: list = field(default_factory=list)                 # (t, facing ratio) over the view window
    gap_counted: list = field(default_factory=list)            # partial reps counted live (RepEvent.from_partial)
    quiet_from: int | None = None                              # another exercise was seen at this count: cues wait
    idle_s: float = 0.0                                        # in view since the last rep counted
    nudged: bool = False                                       # "N more to go" said in this stall
    other_s: float = 0.0                                       # set time in which another exercise was seen

    def shown_partials(self) -> list:
        """The partial reps as they stand live: those counted since (``gap_counted``) left out."""
        return [p for p in self.partial_infos if all(p is not q for q in self.gap_counted)]

    @property
    def partial(self) -> int:
        """How many partial reps the set shows live."""
        return len(self.shown_partials())

    def issue_counts(self, reps: list) -> dict[str, int]:
        """Reps showing each fault (at least 1 for a fault that was cued)."""
        out: dict[str, int] = {}
        for r in reps:
            for issue in r.issues:
                out[issue] = out.get(issue, 0) + 1
        for rule in self.cued:
            out[rule] = max(out.get(rule, 0), 1)
        return out


def _shape(reps: list) -> list[tuple[float, float]]:
    return [(r.start_s, r.end_s) for r in reps]
