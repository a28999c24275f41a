"""The camera-less demo: a built-in plan performed by the rendered mannequin, streamed
through the real pose model into the real coach (dashboard, voice, history).

The rendered workout is timed from the plan and the coach's own timing, so the
mannequin starts each set when the coach is ready for it, as a person following the
voice would.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from deepfit_coach.coach.engine import CoachTiming
from deepfit_coach.plan import Plan, loads_plan

PLAN_FILE = "plan.yaml"
# One rep of the demo's squats leans too far forward, so the form coaching is heard.
FAULTS: dict[tuple[int, int], tuple[str, ...]] = {(0, 2): ("torso_lean",)}


def demo_plan() -> Plan:
    text = resources.files(__package__).joinpath(PLAN_FILE).read_text(encoding="utf-8")
    return loads_plan(text, file=f"<demo>/{PLAN_FILE}")


@dataclass(frozen=True)
class DemoVideo:
    """How the demo clip is rendered: ``fast`` trades size and frame rate for speed (CI)."""

    width: int
    height: int
    fps: float

    @classmethod
    def choose(cls, fast: bool) -> "DemoVideo":
        return cls(320, 240, 12.0) if fast else cls(480, 360, 24.0)


class _StandStill:
    """A tracker that never counts: for asking the coach when it would start a set."""

    def update(self, skeleton: object, t_s: float) -> list:
        return []

    def reset(self) -> None:
        pass


def lead_in_s(plan: Plan, timing: CoachTiming, fps: float) -> float:
    """When the real coach engine starts the first set for someone standing in view.

    The engine is pure (no I/O), so the demo simply runs it on a fully visible standing
    skeleton: intro, announcement (as long as they take to say), the wait to be seen and
    the countdown are whatever the coach does, not a copy of its timing here.
    """
    import numpy as np

    from deepfit_coach.coach.engine import Coach
    from deepfit_coach.coach.events import SetStarted
    from deepfit_coach.skeleton import Skeleton

    image = np.zeros((33, 5), np.float32)
    image[:, :2] = np.linspace(0.3, 0.7, 33)[:, None]
    image[:, 3:] = 1.0
    standing = Skeleton(0, image, np.zeros((33, 3)), 640, 480)
    coach = Coach(plan, lambda _s: _StandStill(), timing)
    for i in range(int(600 * fps)):
        t = i / fps
        if any(isinstance(e, SetStarted) for e in coach.update(standing, t)):
            return t
    raise RuntimeError("the coach never started the demo's first set")


def workout_spec(plan: Plan, timing: CoachTiming, video: DemoVideo, seed: int = 7):
    """A synth workout doing exactly the plan's sets, with time for the coach.

    Before the first set the coach introduces the workout, announces the exercise, waits
    to see the person and counts down; between sets it rests. The mannequin stands
    through all of that, with a margin.
    """
    from deepfit_coach.synth import SetSpec, WorkoutSpec
    from deepfit_coach.synth.camera import VIEWS

    margin = 1.5
    lead = lead_in_s(plan, timing, video.fps) + margin
    from deepfit_coach.coach.engine import Coach

    coach = Coach(plan, lambda _s: _StandStill(), timing)   # its rests: the plan's, or as long as their words
    rest = max([coach.rest_after(i) for i in range(len(plan.sets) - 1)] or [0.0]) + timing.in_view_s + margin
    # the mannequin turns the way each exercise's camera advice asks (squats at 45 deg...)
    sets = [SetSpec(s.exercise, int(s.reps or 8), yaw=VIEWS.get(getattr(s.spec, "view", "front"), 0.0),
                    rep_faults={rep: f for (si, rep), f in FAULTS.items() if si == i})
            for i, s in enumerate(plan.sets)]
    return WorkoutSpec(sets=sets, rest_s=rest, rest_before=lead, rest_after=3.0, rest_kinds=("standing",),
                       view="front", pitch=6.0, fill=0.8, fps=video.fps, width=video.width, height=video.height,
                       seed=seed, variation=0.6)


def demo_source(plan: Plan, timing: CoachTiming, fast: bool):
    """The rendered workout as a frame source, drawn lazily frame by frame."""
    from deepfit_coach.sources import IterableSource
    from deepfit_coach.synth import iter_frames
    from deepfit_coach.synth import plan as plan_clip

    video = DemoVideo.choose(fast)
    clip = plan_clip(workout_spec(plan, timing, video))
    frames = (image for image, _ in iter_frames(clip))
    return IterableSource(frames, fps=video.fps, name="demo (rendered mannequin)", frame_count=clip.truth.frame_count)
