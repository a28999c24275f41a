"""Videos stored sideways or upside down: turning the poses (and pictures) upright.

A phone held upside down, or a clip whose rotation tag an editor or a messaging app dropped,
shows the person turned in the picture. The pose model finds them anyway (it aligns its crop
with the body), but every measure that knows where "up" is - a torso's lean, a squat's hips
dropping in the picture, the classifier's 3D body frame - reads them wrong: an upside-down squat
set was called five sit-ups. ``--rotate DEG`` turns a video clockwise before it is counted;
an upside-down one (``coach.visibility.upside_down``) is turned by itself.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

ROTATIONS = ("0", "90", "180", "270")   # --rotate: degrees clockwise
UPSIDE_DOWN_TURNED = ("You look upside down in this video (a phone held upside down, or a rotation the file lost): "
                      "I turned it upright (--rotate 0 keeps it as stored).")


def quarter_turns(degrees: str | int | None) -> int | None:
    """``--rotate``'s degrees as clockwise quarter turns (None: not given)."""
    return None if degrees is None else int(degrees) // 90 % 4


def turn_image(image: np.ndarray, turns: int) -> np.ndarray:
    """A picture turned ``turns`` quarter turns clockwise (as ``Skeleton.rotated`` turns a pose)."""
    return np.ascontiguousarray(np.rot90(image, -turns)) if turns % 4 else image


def turn_poses(poses, turns: int):
    """``analysis.Poses`` with every skeleton turned (``Poses.mapped``)."""
    return poses if turns % 4 == 0 else poses.mapped(lambda s: s.rotated(turns))


def upright(poses, rotate: str | None) -> tuple[object, int, bool]:
    """(poses as counted, quarter turns applied, whether they were turned because they looked upside
    down): ``rotate`` as given, else half a turn for a video in which the person is upside down."""
    from deepfit_coach.coach.visibility import upside_down

    turns = quarter_turns(rotate)
    if turns is not None:
        return turn_poses(poses, turns), turns, False
    if upside_down(poses.skeletons):
        return turn_poses(poses, 2), 2, True
    return poses, 0, False


LYING_DEG = 50        # the torso this far from upright in the picture ...
LYING_SHARE = 0.6     # ... in this share of the frames with a person: lying, or a video stored sideways


def lying(skeletons) -> bool:
    """Whether the person lies in the picture (the torso more than LYING_DEG from upright) in most frames:
    a floor exercise, or a standing one in a video stored a quarter turn off."""
    from deepfit_coach.features import inclination
    from deepfit_coach.skeleton import LM

    seen = flat = 0
    for sk in skeletons:
        if sk is None:
            continue
        p = sk.pixels
        shoulders = (p[int(LM.LEFT_SHOULDER)] + p[int(LM.RIGHT_SHOULDER)]) / 2
        hips = (p[int(LM.LEFT_HIP)] + p[int(LM.RIGHT_HIP)]) / 2
        incline = float(inclination(shoulders, hips))
        if incline == incline:
            seen += 1
            flat += incline > LYING_DEG
    return seen >= 5 and flat >= LYING_SHARE * seen


SURE_TURNED = 0.9     # the classifier's confidence in the turned video's set (below: no hint)


SURE_STORED = 0.95    # a set counted as stored (2+ reps) the classifier is this sure of: not tried turned


def sideways_hint(poses, reps: int, count: Callable[[object], tuple[int, str | None, float]],
                  sure: float = 0.0) -> str | None:
    """``sideways_turn`` said as analyze's hint, or None."""
    found = sideways_turn(poses, reps, count, sure)
    if found is None:
        return None
    turns, n, exercise = found
    what = f"{n} {exercise.replace('_', ' ')}" if exercise else f"{n} reps"
    counted = "Nothing counted" if reps == 0 else f"{reps} rep{'s' if reps != 1 else ''} counted"
    return (f"{counted} as the video is stored, but turned {90 * turns} degrees clockwise it counts {what}: "
            f"it may be stored sideways. Count it so with --rotate {90 * turns}.")


def sideways_turn(poses, reps: int, count: Callable[[object], tuple[int, str | None, float]],
                  sure: float = 0.0) -> tuple[int, int, str | None] | None:
    """For a person lying in the picture (``lying``): the turn (90 or 270 degrees clockwise) under which
    ``count`` (poses -> reps, exercise, the classifier's confidence in it) finds a set the classifier is
    sure of (SURE_TURNED) with more reps than the ``reps`` counted as stored, at least two: (quarter
    turns, reps, exercise), None if neither turn does. A video stored sideways shows a standing person lying: a rendered
    squat set read as sit-ups without a rep, or as two push-ups; turned upright, squats at 0.99. Lying is
    also what push-ups and rows look like, and turned they can read as curls (0.71-0.79 on the grids'
    push-ups): the turn is only suggested, never made, and only tried where the person lies (an upright
    video costs nothing more, nor does a set counted as stored that the classifier is ``sure`` of: the
    grids' push-ups and rows, 0.99; two analyses more cost 10% of the pose model's time)."""
    from deepfit_coach.coach.visibility import upside_down

    if (reps >= 2 and sure >= SURE_STORED) or not lying(poses.skeletons):
        return None
    best: tuple[int, int, str | None] | None = None
    for turns in (1, 3):
        turned = turn_poses(poses, turns)
        if upside_down(turned.skeletons):   # the wrong way round: a standing body upside down reads as push-ups
            continue
        n, exercise, sure = count(turned)
        if n >= 2 and n > reps and sure >= SURE_TURNED and (best is None or n > best[1]):
            best = (turns, n, exercise)
    return best


def main_confidence(result) -> float:
    """The classifier's confidence in an analysis's main exercise (its surest segment of it; 1 in
    given mode, where nothing was recognised)."""
    if result.mode != "auto":
        return 1.0
    return max((s.confidence for s in result.segments if s.exercise == result.exercise), default=0.0)


CAMERA_TURNED = "The camera's picture is upside down: I turned it upright (--rotate 0 keeps it as it comes)."
CAMERA_SIDEWAYS = ("You are lying in the camera's picture: if the camera is on its side, start again with --rotate 90 "
                   "or --rotate 270 (for push-ups or sit-ups, carry on).")


class UprightWatch:
    """Live (``start``): the first frames with a person tell whether the camera is upside down (a phone
    on a stand the wrong way up, a video stored so), before anyone exercises; the stream is then turned."""

    def __init__(self, frames: int = 20) -> None:
        self.frames = frames
        self._seen: list = []
        self.decided = False

    def update(self, skeleton) -> str | None:
        """Once, on the frame that decides: "upside_down" (the picture must be turned half a turn) or
        "lying" (the person lies in the picture: a camera on its side, or a floor exercise; said, not
        turned); None otherwise."""
        from deepfit_coach.coach.visibility import upside_down

        if self.decided or skeleton is None:
            return None
        self._seen.append(skeleton)
        if len(self._seen) < self.frames:
            return None
        self.decided = True
        seen, self._seen = self._seen, []
        return "upside_down" if upside_down(seen) else "lying" if lying(seen) else None
