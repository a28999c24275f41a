"""Several people in the picture: which of them is the one exercising.

MediaPipe's landmarker set to one person follows whoever it found first. With someone
standing behind the user from the start it can follow them instead and count nothing
(benchmarks/bystander.py: a side-on squat set with a person standing behind, 0 of 8). So
``pose.PoseEstimator`` looks for other people now and then (``SCAN_EVERY_S``) and, once two
scans within a few seconds have seen two, follows everyone and keeps the exerciser with these
rules: the person nearest the one followed so far (a passer-by walking through keeps nobody's
place), or, with nobody followed for ``LOST_S``, the one nearest the middle of the picture
among the larger people (people frame themselves to exercise; others stand aside or walk past).

Before that switch, a person walking close by can take the single-person landmarker with
them for a few frames: its person then jumps further than a body moves in a frame
(``jumped``). Such a jump is checked at once by a scan (``take_jump``): the jumped-to person is
not taken for the exerciser while the scan shows someone where the exerciser was, or, when it
shows neither, while scans have lately seen several people. ``Follower`` holds these decisions
frame by frame (``pose.PoseEstimator`` runs the landmarkers; benchmarks/bystander.py replays it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from deepfit_coach.skeleton import LM

SCAN_EVERY_S = 1.0     # how often the single-person landmarker's picture is checked for others
# two scans seeing several people within CONFIRM_WITHIN_S: the landmarker now and then reads one person
# twice for a frame (two of 132 one-person grid clips, one scan each, benchmarks/bystander.py scan), and
# a person side-on is not found in every scan. After a scan that saw several the next comes sooner
CONFIRM_WITHIN_S = 3.0
CONFIRM_AFTER_S = 0.2
LOST_S = 1.0           # nobody matched this long: choose again, from the picture alone
MATCH_TORSOS = 1.0     # the followed person's hips move less than this many torso lengths per frame
SIZE_RATIO = (0.6, 1.7)   # ... and their torso's length changes less than this between matches
MIN_SHARE = 0.5        # when choosing afresh, people under half the largest one's size are bystanders
MIDDLE = 0.25          # hips this share of the picture's width from its middle, or nearer: where people exercise


class ScanSchedule:
    """When to scan the picture for other people, and when the scans say to follow several."""

    def __init__(self) -> None:
        self.next_ms = 0
        self.last_ms: int | None = None       # the last scan
        self.several_ms: int | None = None    # the last scan that saw several people

    def due(self, t_ms: int) -> bool:
        return t_ms >= self.next_ms

    def may_check(self, t_ms: int) -> bool:
        """Whether a scan out of turn (after a jump) is allowed: not within ``CONFIRM_AFTER_S`` of the
        last one (a misread pose can jump every frame for a second: head-on push-ups)."""
        return self.last_ms is None or t_ms - self.last_ms >= 1000 * CONFIRM_AFTER_S

    def others_about(self, t_ms: int) -> bool:
        """Whether a scan within ``CONFIRM_WITHIN_S`` before ``t_ms`` saw several people."""
        return self.several_ms is not None and 0 <= t_ms - self.several_ms <= 1000 * CONFIRM_WITHIN_S

    def saw(self, t_ms: int, found_several: bool) -> bool:
        """Record a scan at ``t_ms``; True when it and one before it within ``CONFIRM_WITHIN_S``
        saw several people."""
        self.last_ms = t_ms
        if not found_several:
            self.next_ms = t_ms + int(1000 * SCAN_EVERY_S)
            return False
        if self.several_ms is not None and t_ms - self.several_ms <= 1000 * CONFIRM_WITHIN_S:
            return True
        self.several_ms, self.next_ms = t_ms, t_ms + int(1000 * CONFIRM_AFTER_S)
        return False


def _mid(points: np.ndarray, a: int, b: int) -> np.ndarray:
    return 0.5 * (points[a, :2] + points[b, :2])


def hips_px(points: np.ndarray, width: int, height: int) -> np.ndarray:
    """The mid-hip in pixels (``points``: (33, >=2) normalised image landmarks)."""
    return _mid(points, LM.LEFT_HIP, LM.RIGHT_HIP) * (width, height)


def torso_px(points: np.ndarray, width: int, height: int) -> float:
    """Shoulders to hips in pixels: a person's size in the picture, whatever they do with their limbs."""
    d = (_mid(points, LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER) - _mid(points, LM.LEFT_HIP, LM.RIGHT_HIP)) * (width, height)
    return float(np.hypot(*d))


def hips_apart(a: np.ndarray, b: np.ndarray, width: int, height: int) -> float:
    """How far apart two people's mid-hips are, in pixels."""
    return float(np.hypot(*(hips_px(a, width, height) - hips_px(b, width, height))))


def match(candidates: Sequence[np.ndarray], last: np.ndarray, width: int, height: int) -> int | None:
    """Index of the candidate who is the person ``last`` showed, or None (they are not among them)."""
    size = max(torso_px(last, width, height), 1.0)
    best, best_d = None, MATCH_TORSOS
    for i, c in enumerate(candidates):
        ratio = torso_px(c, width, height) / size
        d = hips_apart(c, last, width, height) / size
        if SIZE_RATIO[0] <= ratio <= SIZE_RATIO[1] and d < best_d:
            best, best_d = i, d
    return best


def jumped(points: np.ndarray, last: np.ndarray, width: int, height: int) -> bool:
    """Whether the person in ``points`` cannot be the one ``last`` showed a frame before: hips moved
    ``MATCH_TORSOS`` torso lengths or more (the larger of the two). By place only: a torso facing the
    camera foreshortens to a fifth of its length as the person leans into a squat (pool_a squats_front_1:
    37 -> 8 px in 0.27 s), which ``match``'s size test reads as someone else."""
    size = max(torso_px(points, width, height), torso_px(last, width, height), 1.0)
    return hips_apart(points, last, width, height) >= MATCH_TORSOS * size


def take_jump(points: np.ndarray, last: np.ndarray, found: Sequence[np.ndarray], others_about: bool,
              width: int, height: int) -> bool:
    """Whether the single-person landmarker's person, having jumped from ``last`` to ``points``, is taken
    for the exerciser, by a scan of the picture (``found``): not when it shows someone where ``last`` was
    (the landmarker went to someone else, or misread); yes when it shows someone at ``points`` and nobody
    at ``last`` (the person moved); when it shows neither, only with no others about lately."""
    if match(found, last, width, height) is not None:
        return False
    return match(found, points, width, height) is not None or not others_about


def choose(candidates: Sequence[np.ndarray], width: int, height: int) -> int | None:
    """Index of the likeliest exerciser with nobody followed: among people at least ``MIN_SHARE``
    of the largest one's size, the one whose hips are nearest the middle of the picture."""
    if not candidates:
        return None
    sizes = [torso_px(c, width, height) for c in candidates]
    big = max(sizes)
    centre = np.array([width / 2, height / 2])
    ok = [i for i, s in enumerate(sizes) if s >= MIN_SHARE * big]
    return min(ok, key=lambda i: float(np.hypot(*(hips_px(candidates[i], width, height) - centre))))


def still_followed(found: Sequence[np.ndarray], last: np.ndarray | None, width: int, height: int) -> bool:
    """Whether the person the single-person landmarker followed (``last``) stays followed when a scan
    (``found``) shows several people: if they could be the exerciser (near the middle of the picture,
    or the one ``choose`` picks); else (a bystander found first) the exerciser is chosen afresh."""
    if last is None:
        return False
    if abs(hips_px(last, width, height)[0] / width - 0.5) < MIDDLE:
        return True
    chosen = choose(found, width, height)
    return chosen is not None and match([found[chosen]], last, width, height) == 0


def several(candidates: Sequence[np.ndarray], width: int, height: int) -> bool:
    """Whether a scan shows two or more distinct people (not two readings of one)."""
    if len(candidates) < 2:
        return False
    a = candidates[0]
    return any(match([c], a, width, height) is None for c in candidates[1:])


class Follower:
    """Whom the pose stage follows, frame by frame: the scans' schedule, the person followed (their
    last landmarks and when), and the moment several people were confirmed. The landmarkers stay with
    ``pose.PoseEstimator``; these are its decisions, so a benchmark can replay them on cached poses."""

    def __init__(self) -> None:
        self.scans = ScanSchedule()
        self.points: np.ndarray | None = None   # the person followed: normalised landmarks (x, y)
        self.t_ms = -1                          # ... when they were last seen
        self.found: list[np.ndarray] = []       # the people the last scan found
        self.several_since_ms: int | None = None   # when two scans confirmed several people

    def recent(self, t_ms: int) -> bool:
        """Whether the person followed was seen within ``LOST_S``."""
        return self.points is not None and t_ms - self.t_ms <= 1000 * LOST_S

    def scanned(self, found: list[np.ndarray], t_ms: int, width: int, height: int) -> bool:
        """Record a scan's people; True when it confirms several people (follow everyone from here on:
        the person followed stays followed if ``still_followed``, else the exerciser is chosen afresh)."""
        self.found = found
        if not self.scans.saw(t_ms, several(found, width, height)):
            return False
        self.several_since_ms = t_ms
        if still_followed(found, self.points, width, height):
            self.t_ms = t_ms
        else:
            self.points, self.t_ms = None, -1
        return True

    def take(self, points: np.ndarray, t_ms: int, width: int, height: int,
             scan: Callable[[], list[np.ndarray]]) -> bool:
        """Whether the single-person landmarker's person is taken for the exerciser (and followed). A jump
        from the person followed is checked by ``scan()`` (the picture's people now; it records itself
        through ``scanned``) when one is allowed, else by the last scan's people (at most
        ``CONFIRM_AFTER_S`` old)."""
        if self.recent(t_ms) and jumped(points, self.points, width, height):
            found = scan() if self.scans.may_check(t_ms) else self.found
            if self.several_since_ms is not None or not take_jump(points, self.points, found,
                                                                  self.scans.others_about(t_ms), width, height):
                return False
        self.points, self.t_ms = points, t_ms
        return True

    def pick(self, found: Sequence[np.ndarray], t_ms: int, width: int, height: int) -> int | None:
        """With several people followed: the index of the exerciser among ``found`` (``match`` with the
        person followed, or ``choose`` after ``LOST_S`` without them), or None."""
        k = match(found, self.points, width, height) if self.recent(t_ms) else choose(found, width, height)
        if k is not None:
            self.points, self.t_ms = found[k], t_ms
        return k
