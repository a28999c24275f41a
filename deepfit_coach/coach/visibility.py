"""Is the person in frame with the body parts an exercise needs?

An exercise's ``required`` list names body parts (``torso``, ``left_leg``), landmarks
(``left_wrist``) or either side (``{side}_arm``: left or right will do).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from deepfit_coach.features import BODY_PARTS, VISIBILITY_THRESHOLD, landmarks_in_view, presence_in_picture
from deepfit_coach.skeleton import LM, Skeleton

DEFAULT_REQUIRED = ("torso",)
_LANDMARKS = {m.name.lower(): int(m) for m in LM}


def _ok(name: str, visible) -> bool | None:
    if name in BODY_PARTS:
        return bool(all(visible[i] for i in BODY_PARTS[name]))
    if name in _LANDMARKS:
        return bool(visible[_LANDMARKS[name]])
    plural = name.rstrip("s")  # "legs", "arms": both sides
    if f"left_{plural}" in BODY_PARTS:
        return bool(_ok(f"left_{plural}", visible) and _ok(f"right_{plural}", visible))
    return None  # unknown name: not our business to block on it


def readable(name: str) -> str:
    """``{side}_leg`` -> "leg", ``left_arm`` -> "left arm"."""
    return name.replace("{side}_", "").replace("_", " ")


def missing_parts(skeleton: Skeleton | None, required: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Readable names of required parts not visible; ``["body"]`` when nobody is seen."""
    if skeleton is None:
        return ["body"]
    return _missing(landmarks_in_view(skeleton.image), required)


def _missing(visible, required: tuple[str, ...] | list[str]) -> list[str]:
    missing = []
    for name in tuple(required) or DEFAULT_REQUIRED:
        if "{side}" in name:
            ok = [_ok(name.replace("{side}", s), visible) for s in ("left", "right")]
            if any(v is True for v in ok) or all(v is None for v in ok):
                continue
        elif _ok(name, visible) in (True, None):
            continue
        missing.append(readable(name))
    return missing


# an exercise whose required parts were out of the picture in this share of a stretch's frames with a
# person could not be done as filmed (analysis.pick_seen, classifier.segment.seen_labels)
UNSEEN_SHARE = 0.5


def unseen_share(skeletons, times, start_s: float, end_s: float,
                 required: tuple[str, ...] | list[str] = ()) -> float:
    """The share of the frames with start_s <= t <= end_s in which a person was found but a
    required part was out of the picture (``in_frame``, as the counters read it; frames without
    a person left out: there every exercise is equally unseen). 0 when nobody was found at all."""
    found = [_missing(in_frame(sk), required)
             for sk, t in zip(skeletons, times) if start_s <= t <= end_s and sk is not None]
    return sum(1 for m in found if m) / len(found) if found else 0.0


def in_frame(skeleton: Skeleton) -> np.ndarray:
    """(33,) bool: landmarks inside the picture as the counters read it (``presence_in_picture``):
    a far limb hidden behind the body side-on is in the frame."""
    return presence_in_picture(skeleton.image) >= VISIBILITY_THRESHOLD


def describe_missing(missing: list[str]) -> str:
    """Words for a spoken hint: "your legs", "your left arm and torso"."""
    if not missing or missing == ["body"]:
        return "you"
    legs = [m for m in missing if "leg" in m or "ankle" in m or "knee" in m or "foot" in m]
    arms = [m for m in missing if "arm" in m or "wrist" in m or "elbow" in m]
    words: list[str] = []
    if legs:
        # "knee" is either knee ({side}_knee): the legs, as a person would say it
        words.append("your legs" if len(legs) > 1 or legs[0] in ("leg", "legs", "knee") else f"your {legs[0]}")
    if arms:
        words.append("your arms" if len(arms) > 1 or arms[0] in ("arm", "arms") else f"your {arms[0]}")
    words += [f"your {m}" for m in missing if m not in legs and m not in arms]
    return " and ".join(words)


# Which way the person faces the camera, from the picture alone: shoulder width per torso
# length. Ten tuning sets, median per clip: side-on 0.02-0.45 (lying sit-ups the widest),
# standing facing the camera or at 45 deg 0.55-0.82, and a body lying or bent over toward the
# lens (push-ups, rows, sit-ups filmed head-on) 0.63-4.2, 0.86 and up but for two push-up clips:
# the torso shortens in the picture (a squat's bottom facing the camera reads up to ~0.9 too,
# but squats count well from the front: only exercises that name a view in ``poor_views`` check).
SIDE_ON_BELOW = 0.25
HEAD_ON_ABOVE = 0.85


def _in_pixels(skeleton: Skeleton) -> tuple[np.ndarray, float]:
    """The landmarks in pixels and the torso's length in the picture (mid-shoulder to mid-hip;
    readable where > 1 pixel): lengths in the picture per torso length do not depend on the
    person's size or distance."""
    p = skeleton.image[:, :2] * np.array([skeleton.width, skeleton.height], dtype=np.float32)
    ls, rs, lh, rh = (p[int(m)] for m in (LM.LEFT_SHOULDER, LM.RIGHT_SHOULDER, LM.LEFT_HIP, LM.RIGHT_HIP))
    return p, float(np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2))


def facing_ratio(skeleton: Skeleton | None) -> float | None:
    """Shoulder width per torso length in the picture (None without a readable torso)."""
    if skeleton is None:
        return None
    p, torso = _in_pixels(skeleton)
    return float(np.linalg.norm(p[int(LM.LEFT_SHOULDER)] - p[int(LM.RIGHT_SHOULDER)])) / torso if torso > 1.0 else None


def poor_view(poor_views: tuple[str, ...] | list[str], ratio: float) -> bool:
    """Whether a person reading ``ratio`` is filmed from one of an exercise's ``poor_views``
    (catalogue): "head_on" (lying or bent over toward the lens), "side_on"."""
    return ("head_on" in poor_views and ratio > HEAD_ON_ABOVE) or ("side_on" in poor_views and ratio < SIDE_ON_BELOW)


def view_of(skeletons, times, start_s: float, end_s: float) -> float | None:
    """The median facing ratio of the frames with start_s <= t <= end_s (None if none is readable)."""
    ratios = [r for r in (facing_ratio(sk) for sk, t in zip(skeletons, times) if start_s <= t <= end_s and sk is not None)
              if r is not None]
    return float(np.median(ratios)) if ratios else None


def out_of_view(skeletons, times, start_s: float, end_s: float,
                required: tuple[str, ...] | list[str] = ()) -> tuple[float, list[str]]:
    """Why a span could not be counted: the share of its frames in which the person or a
    required part was out of view, and the readable parts missing in at least half of them
    (``["body"]`` when mostly nobody was found). A phone propped close films the upper body
    only: squats then count nothing, and the person should hear that the legs were not seen."""
    missing = [missing_parts(sk, required) for sk, t in zip(skeletons, times) if start_s <= t <= end_s]
    if not missing:
        return 0.0, []
    gone = [m for m in missing if m]
    if not gone:
        return 0.0, []
    counts = Counter(p for m in gone for p in dict.fromkeys(m))   # frames each part was missing in
    often = [p for p, n in counts.most_common() if n >= 0.5 * len(gone)]
    if "body" in often:
        often = ["body"]
    return len(gone) / len(missing), often


def unseen_stretches(skeletons, times, start_s: float, end_s: float, required: tuple[str, ...] | list[str] = (),
                     min_s: float = 1.0) -> list[tuple[float, float, list[str]]]:
    """The stretches inside start_s..end_s, ``min_s`` or longer, in which the person or a part the
    exercise needs was out of view, with the parts missing (``["body"]``: nobody found): reps there
    cannot be counted, and a count that comes out short should say why (a person who stepped out
    mid-set). Parts are read as the counters read them (``in_frame``): a far limb hidden behind
    the body side-on is in the frame."""
    out: list[tuple[float, float, list[str]]] = []
    since, gone, n = None, Counter(), 0
    for sk, t in zip(skeletons, times):
        if not start_s <= t <= end_s:
            continue
        missing = ["body"] if sk is None else _missing(in_frame(sk), required)
        if missing:
            since = t if since is None else since
            gone.update(missing)
            n += 1
            continue
        if since is not None and t - since >= min_s:
            out.append((since, t, _most_missing(gone, n)))
        since, gone, n = None, Counter(), 0
    if since is not None and end_s - since >= min_s:
        out.append((since, end_s, _most_missing(gone, n)))
    return out


def _most_missing(counts: Counter, frames: int) -> list[str]:
    """``["body"]`` when nobody was found in half the frames or more, else the parts missing most often."""
    if counts["body"] >= 0.5 * frames:
        return ["body"]
    parts = Counter({p: n for p, n in counts.items() if p != "body"})
    top = max(parts.values(), default=0)
    return [p for p, n in parts.most_common() if n >= 0.5 * top] or ["body"]


# Upside down: a phone mounted upside down, or a video whose rotation tag a messaging app stripped.
# The pose model finds the person in every frame and the classifier calls the clip sit-ups; no exercise of
# the catalogue has the head below the hips and the hips below the feet in the picture.
UPSIDE_DOWN_SHARE = 0.9


def upside_down(skeletons) -> bool:
    """Whether the person is upside down in most frames with a person (head below the hips, the hips
    below the feet, each by a good part of a torso length)."""
    seen = flipped = 0
    for sk in skeletons:
        if sk is None:
            continue
        p, torso = _in_pixels(sk)
        if torso <= 1.0:
            continue
        seen += 1
        nose = p[int(LM.NOSE), 1]
        hips = (p[int(LM.LEFT_HIP), 1] + p[int(LM.RIGHT_HIP), 1]) / 2
        feet = (p[int(LM.LEFT_ANKLE), 1] + p[int(LM.RIGHT_ANKLE), 1]) / 2
        flipped += nose - hips > 0.5 * torso and hips - feet > 0.3 * torso
    return seen >= 5 and flipped >= UPSIDE_DOWN_SHARE * seen


# One arm hidden behind the body (side-on, the far arm): the pose model reads its elbow and wrist at a
# median visibility of 0.05-0.24 through a set, the near arm at 0.72-0.96 (tricep extensions with the far arm
# working, 15 rendered grids; a camera looking down 20 deg sees the far arm: 0.87). The near arm hanging
# still, its wrist's distance from its shoulder in the picture spans 0.04-0.2 torso lengths (5-95%);
# working, 0.6-0.9.
HIDDEN_ARM_BELOW = 0.35
SEEN_ARM_ABOVE = 0.7
STILL_ARM_BELOW = 0.3


def hidden_arm(skeletons, times, start_s: float, end_s: float) -> str | None:
    """"left" or "right": the arm hidden behind the body through the span while the other, in
    view, stayed still - so the movement, if there was one, was the hidden arm's (None otherwise).
    Why nothing was counted for a one-arm exercise filmed side-on with the far arm working."""
    frames = [sk for sk, t in zip(skeletons, times) if start_s <= t <= end_s and sk is not None]
    if len(frames) < 5:
        return None
    img = np.stack([sk.image for sk in frames])
    vis = {s: float(np.median(img[:, [_LANDMARKS[f"{s}_elbow"], _LANDMARKS[f"{s}_wrist"]], 3].mean(axis=1)))
           for s in ("left", "right")}
    for hidden, seen in (("left", "right"), ("right", "left")):
        if vis[hidden] < HIDDEN_ARM_BELOW and vis[seen] > SEEN_ARM_ABOVE:
            return hidden if _still_arm(frames, seen) else None
    return None


def _still_arm(frames, side: str) -> bool:
    """The arm's wrist kept its place by its shoulder: 5-95% range of their distance in the picture
    under ``STILL_ARM_BELOW`` torso lengths."""
    wrist, shoulder = _LANDMARKS[f"{side}_wrist"], _LANDMARKS[f"{side}_shoulder"]
    dist = []
    for sk in frames:
        p, torso = _in_pixels(sk)
        if torso > 1.0:
            dist.append(float(np.linalg.norm(p[wrist] - p[shoulder])) / torso)
    if len(dist) < 5:
        return False
    lo, hi = np.percentile(dist, [5, 95])
    return hi - lo < STILL_ARM_BELOW
