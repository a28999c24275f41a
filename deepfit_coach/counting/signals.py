"""Per-frame signal values of an exercise, from image pixels or world metres.

All of an exercise's signals are compiled once into index arrays so that one frame costs
a handful of vectorised numpy calls (the analysis overhead must stay a few percent of
the pose model). Sides are combined per signal: left, right, both (mean of the visible
sides), best (the more visible side, sticky), alternating (the side further toward the
turn), min, max. ``travel`` signals keep state from frame to frame (``reset`` between sets).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from deepfit_coach.exercises.catalogue import MID_POINTS
from deepfit_coach.exercises.spec import ExerciseSpec, SignalSpec
from deepfit_coach.features import VISIBILITY_THRESHOLD
from deepfit_coach.skeleton import LM

_BASE = {m.name.lower(): int(m) for m in LM}
_MID = {f"mid_{p}": (int(LM[f"LEFT_{p.upper()}"]), int(LM[f"RIGHT_{p.upper()}"])) for p in MID_POINTS}
_INDEX = dict(_BASE)
for _i, _name in enumerate(_MID):
    _INDEX[_name] = 33 + _i
_MID_PAIRS = np.array(list(_MID.values()), dtype=np.int64)  # (6, 2)
N_POINTS = 33 + len(_MID)
SIDES = ("left", "right")
TUNED_FPS = 15.0   # the frame rate the rendered tuning clips have (windows given in seconds were frames there)


class FrameRate:
    """Seconds per frame, from the times of the frames seen: the mean of the last ``KEEP``
    intervals between consecutive frames that lie within half to one and a half times their
    median (a gap where no person was seen is no frame interval). Times are whole milliseconds
    (67, 66, 67 ms at 15 fps): 30 intervals of them average to the true rate. Before two frames
    were seen, ``default_s``. Windows counted in frames are ``frames(seconds)`` long, so they
    span the same time at 15 fps (the tuning clips) and 30 fps (phones, webcams)."""

    KEEP = 30

    def __init__(self, default_s: float = 1.0 / TUNED_FPS) -> None:
        self.default_s = default_s
        self.reset()

    def reset(self) -> None:
        self.last: float | None = None
        self.gaps: deque = deque(maxlen=self.KEEP)
        self._s: float | None = self.default_s

    def add(self, t_s: float | None) -> None:
        if t_s is None:
            return
        if self.last is not None and t_s > self.last:
            self.gaps.append(t_s - self.last)
            self._s = None
        self.last = t_s

    @property
    def frame_s(self) -> float:
        if self._s is None:
            gaps = sorted(self.gaps)
            med = gaps[len(gaps) // 2]
            ok = [g for g in gaps if 0.5 * med <= g <= 1.5 * med]
            self._s = sum(ok) / len(ok)
        return self._s

    def frames(self, seconds: float) -> int:
        """How many frames span ``seconds`` (at least 2)."""
        return frames_spanning(seconds, self.frame_s)


def frames_spanning(seconds: float, frame_s: float) -> int:
    """How many frames of ``frame_s`` seconds span ``seconds`` (at least 2)."""
    return max(2, int(round(seconds / frame_s)))


def point_index(name: str, side: str = "left") -> int:
    return _INDEX[name.replace("{side}", side)]


def extend(points: np.ndarray) -> np.ndarray:
    """(33, d) -> (39, d) with the mid points appended."""
    mids = 0.5 * (points[_MID_PAIRS[:, 0]] + points[_MID_PAIRS[:, 1]])
    return np.concatenate([points, mids], axis=0)


def extend_vis(vis: np.ndarray) -> np.ndarray:
    return np.concatenate([vis, np.minimum(vis[_MID_PAIRS[:, 0]], vis[_MID_PAIRS[:, 1]])])


_HIPS = [int(LM.LEFT_HIP), int(LM.RIGHT_HIP), _INDEX["mid_hip"]]


def world_presence(vis: np.ndarray) -> np.ndarray:
    """(..., 39) presence as world-source measures need it: MediaPipe's world coordinates are
    centred on the hips, which it places from the visible torso even where the picture cuts
    them off (a phone propped close for arm work films head to waist), so the hips count as
    present wherever both shoulders are. Image-source measures keep the hips' own presence."""
    shoulders = np.minimum(vis[..., int(LM.LEFT_SHOULDER)], vis[..., int(LM.RIGHT_SHOULDER)])
    out = vis.copy()
    out[..., _HIPS] = np.maximum(vis[..., _HIPS], shoulders[..., None])
    return out


def extend_many(points: np.ndarray) -> np.ndarray:
    """(F, 33, d) -> (F, 39, d): ``extend`` of each frame."""
    mids = 0.5 * (points[:, _MID_PAIRS[:, 0]] + points[:, _MID_PAIRS[:, 1]])
    return np.concatenate([points, mids], axis=1)


def extend_vis_many(vis: np.ndarray) -> np.ndarray:
    return np.concatenate([vis, np.minimum(vis[:, _MID_PAIRS[:, 0]], vis[:, _MID_PAIRS[:, 1]])], axis=1)


@dataclass
class _Group:
    """All (signal, side) evaluations of one kind from one coordinate source."""

    kind: str
    source: str
    slots: list[tuple[str, str]]           # (signal name, side) per row
    idx: np.ndarray                        # (n, 2|3) point indices
    per: np.ndarray | None = None          # (n, 2) for distances
    axis: np.ndarray | None = None         # (n, 2) mask of x/y (and z) to use
    signed: np.ndarray | None = None
    along: np.ndarray | None = None        # (n, 2) body direction points (distances), -1 = none
    along_axis: np.ndarray | None = None   # (n, dims) the axis mask of a direction taken along one axis only


class _SortedWindow:
    """The last values added (at most ``window`` of them: the caller's current window), kept in
    arrival order and sorted, so a running median or quantile costs a bisect per frame."""

    def __init__(self) -> None:
        self.recent: deque = deque()
        self.ordered: list = []

    def clear(self) -> None:
        self.recent.clear()
        self.ordered.clear()

    def add(self, value: float, window: int) -> None:
        self.recent.append(value)
        bisect.insort(self.ordered, value)
        while len(self.recent) > window:
            del self.ordered[bisect.bisect_left(self.ordered, self.recent.popleft())]


@dataclass
class _Travel:
    """One ``travel`` signal: a point's position along an image axis, in body lengths, summed
    from frame-to-frame moves (each divided by the body length of the moment).

    Why moves and not the position divided by a body length: a position far from the image
    origin times a body length that changes by a few percent (a torso tilting toward the
    lens) would read as travel; summed moves of a point that stands still stay still.
    The body length is the running median of the ``per`` segment over the last
    ``WINDOW_S`` seconds' frames it was seen in, so a torso foreshortened for a moment does not
    inflate the moves, and a person walking closer is followed.
    """

    name: str
    points: list[int]              # one point, or two: their midpoint (e.g. the torso's centre)
    axis: int                      # 0: x, 1: y
    per: tuple[int, int]
    pos: float = 0.0               # body lengths since the point was first seen
    last: float | None = None      # the point's last seen coordinate (pixels)
    lengths: _SortedWindow = field(default_factory=_SortedWindow)   # body lengths seen (median)

    WINDOW_S = 40.0                # seconds of frames (600 at 15 fps)
    window: int = 600              # ... in frames at the clip's frame rate (``SignalExtractor``)

    def reset(self) -> None:
        self.pos, self.last = 0.0, None
        self.lengths.clear()

    def body_length(self, p: np.ndarray, vis: np.ndarray) -> float:
        """Add this frame's body length (when its points are in view); the running median."""
        a, b = self.per
        if vis[a] >= VISIBILITY_THRESHOLD and vis[b] >= VISIBILITY_THRESHOLD:
            length = math.hypot(p[b, 0] - p[a, 0], p[b, 1] - p[a, 1])
            if length > 1e-6:
                self.lengths.add(length, self.window)
        ordered = self.lengths.ordered
        n = len(ordered)
        if not n:
            return math.nan
        return ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])

    def update(self, p: np.ndarray, vis: np.ndarray) -> float:
        """This frame's value (NaN while the point is out of view; its move counts on its return)."""
        length = self.body_length(p, vis)
        if any(vis[i] < VISIBILITY_THRESHOLD for i in self.points):
            return math.nan
        x = sum(p[i, self.axis] for i in self.points) / len(self.points)
        if length != length:
            self.last = x  # no body length yet: travel is measured from here
            return math.nan
        if self.last is not None:
            self.pos += (x - self.last) / length
        self.last = x
        return float(self.pos)


def _per4(per: tuple[str, ...]) -> tuple[str, ...]:
    """A distance's ``per`` as two segments: (a, b) -> (a, b, a, a), the second of length 0."""
    return tuple(per) if len(per) == 4 else (per[0], per[1], per[0], per[0])


class SignalExtractor:
    """Computes every signal of ``spec`` for one frame; keeps the 'best side' choice."""

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        self.signals = spec.all_signals()
        self.direction = {name: 1.0 for name in self.signals}
        self.direction[spec.counting.signal.name] = spec.counting.direction
        for _, var in spec.counting.variants():
            self.direction[var.signal.name] = var.direction
        self._best: dict[str, str] = {}
        self._seen: dict[str, _SeenSides] = {n: _SeenSides() for n, sig in self.signals.items()
                                             if sig.seen_gap is not None}
        self._own: dict[str, _OwnStart] = {n: _OwnStart(round(sig.own_start * TUNED_FPS))
                                           for n, sig in self.signals.items() if sig.own_start is not None}
        groups: dict[tuple[str, str], list[tuple[str, str, SignalSpec]]] = {}
        self._diffs = [(n, s.points[0], s.points[1], s.weights or (1.0, 1.0))
                       for n, s in self.signals.items() if s.kind == "difference"]
        self._travels = [_Travel(n, [point_index(q) for q in s.points], 0 if s.axis == "x" else 1,
                                 tuple(point_index(q) for q in (s.per or ("mid_shoulder", "mid_hip"))))
                         for n, s in self.signals.items() if s.kind == "travel"]
        self._presence = [(n, [point_index(q) for q in s.points]) for n, s in self.signals.items() if s.kind == "presence"]
        for name, sig in self.signals.items():
            if sig.kind in ("difference", "travel", "presence"):
                continue
            sides = SIDES if sig.sided else ("none",)
            for side in sides:
                groups.setdefault((sig.kind, sig.source), []).append((name, side, sig))
        self._groups = []
        for (kind, source), rows in groups.items():
            idx = np.array([[point_index(p, s) for p in sig.points] for _, s, sig in rows], dtype=np.int64)
            g = _Group(kind, source, [(n, s) for n, s, _ in rows], idx)
            if kind == "distance":
                # (n, 4): a second segment's points, or the first point twice (length 0)
                g.per = np.array([[point_index(p, s) for p in _per4(sig.per or ("mid_shoulder", "mid_hip"))]
                                  for _, s, sig in rows], dtype=np.int64)
                dims = 3 if source == "world" else 2
                mask = np.zeros((len(rows), dims))
                for i, (_, _, sig) in enumerate(rows):
                    if "x" in sig.axis:
                        mask[i, 0] = 1
                    if "y" in sig.axis:
                        mask[i, 1] = 1
                    if sig.axis == "xy" and dims == 3:
                        mask[i, 2] = 1
                g.axis = mask
                g.signed = np.array([sig.signed for _, _, sig in rows])
                if any(sig.along for _, _, sig in rows):
                    g.along = np.array([[point_index(p, s) for p in sig.along] if sig.along else [-1, -1]
                                        for _, s, sig in rows], dtype=np.int64)
                    if any(sig.along and sig.axis in ("x", "y") for _, _, sig in rows):
                        g.along_axis = np.array([g.axis[i] if sig.along and sig.axis in ("x", "y") else np.ones(dims)
                                                 for i, (_, _, sig) in enumerate(rows)])
            self._groups.append(g)
        self._sided = {name: sig.sided for name, sig in self.signals.items()}
        self._vis_idx = {}
        for g_i, g in enumerate(self._groups):
            cols = [g.idx] + ([g.per] if g.per is not None else [])
            if g.along is not None:  # rows without a direction repeat their own points
                cols.append(np.where(g.along >= 0, g.along, g.idx[:, :1]))
            if g.kind == "lean":
                cols.append(np.tile(_FACING, (len(g.slots), 1)))
            self._vis_idx[g_i] = np.concatenate(cols, axis=1)
        # windows given in seconds, kept in frames at the frame rate of the frames measured
        self.rate = FrameRate()
        self._timed = bool(self._seen or self._own or self._travels)
        self._frame_s = -1.0

    def _windows(self, t_s: float | None) -> float:
        """Take in a frame's time; the frame interval seen so far (windows follow it)."""
        if not self._timed:
            return 0.0
        self.rate.add(t_s)
        frame_s = self.rate.frame_s
        self._apply(frame_s)
        return frame_s

    def _apply(self, frame_s: float) -> None:
        """The windows given in seconds, in frames of ``frame_s``."""
        if frame_s == self._frame_s:
            return
        self._frame_s = frame_s
        for sv in self._seen.values():
            sv.window = frames_spanning(_SeenSides.WINDOW_S, frame_s)
        for name, ow in self._own.items():
            ow.window = frames_spanning(self.signals[name].own_start, frame_s)
        for tr in self._travels:
            tr.window = frames_spanning(_Travel.WINDOW_S, frame_s)

    def _stepped(self, steps: list[float], items):
        """``items`` (one per frame), each after the windows were set to its frame's interval."""
        for frame_s, item in zip(steps, items):
            if self._timed:
                self._apply(frame_s)
            yield item

    def reset(self) -> None:
        self.rate.reset()
        self._frame_s = -1.0
        self._best.clear()
        for sv in self._seen.values():
            sv.reset()
        for ow in self._own.values():
            ow.reset()
        for tr in self._travels:
            tr.reset()

    def compute(self, pixels: np.ndarray, world: np.ndarray, present: np.ndarray,
                visibility: np.ndarray | None = None, t_s: float | None = None
                ) -> tuple[dict[str, float], dict[str, str], dict[str, dict[str, float]]]:
        """Signal values (NaN when not measurable), the side each came from, and per-side values.

        ``pixels`` (33, 2), ``world`` (33, 3), ``present`` (33,) presence in the frame
        (0 for out-of-frame landmarks): a side is measured when its points are present.
        ``visibility`` (33,) (default: ``present``) weighs the sides: in a side view the
        far limb is present but hidden, and its estimate is worth less. ``t_s``: the frame's
        time, whose intervals give the frame rate that windows in seconds are counted at
        (without times: ``TUNED_FPS``).
        """
        self._windows(t_s)
        both = extend(np.concatenate([pixels, world], axis=1))
        pts = {"image": both[:, :2], "world": both[:, 2:]}
        vis = extend_vis(present)
        pres = {"image": vis, "world": world_presence(vis)}
        seen = vis if visibility is None else extend_vis(visibility)
        per_side: dict[str, dict[str, float]] = {n: {} for n in self.signals}
        side_vis: dict[str, dict[str, float]] = {n: {} for n in self.signals}
        for gi, g in enumerate(self._groups):
            p = pts[g.source]
            vals = _compute(g, p)
            v = pres[g.source][self._vis_idx[gi]].min(axis=1)
            w = seen[self._vis_idx[gi]].min(axis=1)
            for (name, side), val, vv, ww in zip(g.slots, vals.tolist(), v.tolist(), w.tolist()):
                per_side[name][side] = val if vv >= VISIBILITY_THRESHOLD else math.nan
                side_vis[name][side] = ww
        values: dict[str, float] = {}
        used: dict[str, str] = {}
        for name, sig in self.signals.items():
            if sig.kind in ("difference", "travel", "presence"):
                continue
            vals = per_side[name]
            if not self._sided[name]:
                values[name], used[name] = vals["none"], "both"
                continue
            left, right = vals["left"], vals["right"]
            mode = sig.side
            if mode in ("left", "right"):
                values[name], used[name] = vals[mode], mode
            elif mode == "both":
                if left == left and right == right:
                    wl, wr = max(side_vis[name]["left"], 0.05), max(side_vis[name]["right"], 0.05)
                    values[name], used[name] = (wl * left + wr * right) / (wl + wr), "both"
                elif left == left:
                    values[name], used[name] = left, "left"
                else:
                    values[name], used[name] = right, "right"
            elif mode == "best":
                cur = self._best.get(name, "left")
                other = "right" if cur == "left" else "left"
                sv = side_vis[name]
                if vals[cur] != vals[cur] or (vals[other] == vals[other] and sv[other] > sv[cur] + 0.15):
                    cur = other
                self._best[name] = cur
                values[name], used[name] = vals[cur], cur
            else:  # alternating, min, max: the more extreme side
                sign = self.direction[name] if mode == "alternating" else (1.0 if mode == "max" else -1.0)
                if sig.seen_gap is not None:  # a side seen clearly worse of late is left out
                    worse = self._seen[name].update(side_vis[name]["left"], side_vis[name]["right"], sig.seen_gap)
                    if left == left and right == right and worse:
                        left, right = (math.nan, right) if worse == "left" else (left, math.nan)
                if name in self._own:  # each side from its own start (see SignalSpec.own_start)
                    left, right = self._own[name].update(left, right, sign)
                    vals = {"left": left, "right": right}
                if left == left and right == right:
                    pick = "left" if sign * left >= sign * right else "right"
                else:
                    pick = "left" if left == left else "right"
                values[name], used[name] = vals[pick], pick
        for tr in self._travels:
            values[tr.name] = per_side[tr.name]["none"] = tr.update(pts["image"], vis)
            used[tr.name] = "both"
        for name, idx in self._presence:
            values[name] = per_side[name]["none"] = float(vis[idx].min())
            used[name] = "both"
        for name, a, b, (wa, wb) in self._diffs:
            values[name], used[name] = wa * values[a] - wb * values[b], "both"
        return values, used, per_side


    def compute_many(self, pixels: np.ndarray, world: np.ndarray, present: np.ndarray,
                     visibility: np.ndarray | None = None, times: Sequence[float] | None = None
                     ) -> tuple[list[dict[str, float]], list[dict[str, str]]]:
        """``compute`` over a run of frames in order ((F, 33, 2), (F, 33, 3), (F, 33), (F, 33)):
        each frame's values and sides, the same numbers ``compute`` gives frame by frame (the
        sticky 'best' side and ``travel`` carry on from frame to frame as there). What
        ``analyze`` runs on a whole window of smoothed frames: one numpy pass per group for
        all frames instead of one per frame (``tests/test_batch_tracking.py`` holds them equal);
        ``times``: each frame's time (see ``compute``)."""
        n = len(pixels)
        if n == 0:
            return [], []
        # each frame's interval as ``compute`` takes the times in, frame by frame: the windows of
        # the per-frame updates below follow it (``_apply``)
        steps = [self._windows(t) for t in (times if times is not None else [None] * n)]
        both = extend_many(np.concatenate([pixels, world], axis=2))
        image, wpts = both[:, :, :2], both[:, :, 2:]
        pts = {"image": image, "world": wpts}
        vis = extend_vis_many(present)
        pres = {"image": vis, "world": world_presence(vis)}
        seen = vis if visibility is None else extend_vis_many(visibility)
        per_side: dict[str, dict[str, np.ndarray]] = {name: {} for name in self.signals}
        side_vis: dict[str, dict[str, np.ndarray]] = {name: {} for name in self.signals}
        for gi, g in enumerate(self._groups):
            vals = _compute(g, pts[g.source])
            v = pres[g.source][:, self._vis_idx[gi]].min(axis=2)
            w = seen[:, self._vis_idx[gi]].min(axis=2)
            for j, (name, side) in enumerate(g.slots):
                per_side[name][side] = np.where(v[:, j] >= VISIBILITY_THRESHOLD, vals[:, j], math.nan)
                side_vis[name][side] = w[:, j]
        values: dict[str, list[float]] = {}
        used: dict[str, list[str] | str] = {}
        for name, sig in self.signals.items():
            if sig.kind in ("difference", "travel", "presence"):
                continue
            vals = per_side[name]
            if not self._sided[name]:
                values[name], used[name] = vals["none"].tolist(), "both"
                continue
            left, right = vals["left"], vals["right"]
            mode = sig.side
            if mode in ("left", "right"):
                values[name], used[name] = vals[mode].tolist(), mode
                continue
            l_ok, r_ok = left == left, right == right
            if mode == "both":
                wl, wr = np.maximum(side_vis[name]["left"], 0.05), np.maximum(side_vis[name]["right"], 0.05)
                with np.errstate(invalid="ignore"):
                    mean = (wl * left + wr * right) / (wl + wr)
                two = l_ok & r_ok
                values[name] = np.where(two, mean, np.where(l_ok, left, right)).tolist()
                used[name] = np.where(two, "both", np.where(l_ok, "left", "right")).tolist()
            elif mode == "best":
                cur = self._best.get(name, "left")
                lv, rv = left.tolist(), right.tolist()
                lw, rw = side_vis[name]["left"].tolist(), side_vis[name]["right"].tolist()
                out_v, out_s = [], []
                for i in range(n):
                    vals_i = {"left": lv[i], "right": rv[i]}
                    sv = {"left": lw[i], "right": rw[i]}
                    other = "right" if cur == "left" else "left"
                    if vals_i[cur] != vals_i[cur] or (vals_i[other] == vals_i[other] and sv[other] > sv[cur] + 0.15):
                        cur = other
                    out_v.append(vals_i[cur])
                    out_s.append(cur)
                self._best[name] = cur
                values[name], used[name] = out_v, out_s
            else:  # alternating, min, max: the more extreme side
                sign = self.direction[name] if mode == "alternating" else (1.0 if mode == "max" else -1.0)
                if sig.seen_gap is not None:  # a side seen clearly worse of late is left out (as in ``compute``)
                    track = self._seen[name]
                    worse = np.array([track.update(a, b, sig.seen_gap) for a, b in self._stepped(
                        steps, zip(side_vis[name]["left"].tolist(), side_vis[name]["right"].tolist()))])
                    two = l_ok & r_ok
                    l_ok = l_ok & ~(two & (worse == "left"))
                    r_ok = r_ok & ~(two & (worse == "right"))
                if name in self._own:  # each side from its own start (as in ``compute``)
                    own = self._own[name]
                    pairs = [own.update(a, b, sign) for a, b in self._stepped(
                        steps, zip(np.where(l_ok, left, math.nan).tolist(), np.where(r_ok, right, math.nan).tolist()))]
                    left = np.array([a for a, _ in pairs], dtype=np.float64).reshape(-1)
                    right = np.array([b for _, b in pairs], dtype=np.float64).reshape(-1)
                    l_ok, r_ok = left == left, right == right
                pick_left = np.where(l_ok & r_ok, sign * left >= sign * right, l_ok)
                values[name] = np.where(pick_left, left, right).tolist()
                used[name] = np.where(pick_left, "left", "right").tolist()
        for tr in self._travels:
            img = image
            values[tr.name] = [tr.update(img[i], vis[i]) for i in self._stepped(steps, range(n))]
            used[tr.name] = "both"
        for name, idx in self._presence:
            values[name] = vis[:, idx].min(axis=1).tolist()
            used[name] = "both"
        for name, a, b, (wa, wb) in self._diffs:
            values[name] = (wa * np.asarray(values[a], dtype=np.float64)
                            - wb * np.asarray(values[b], dtype=np.float64)).tolist()
            used[name] = "both"
        names = list(values)
        rows = [dict(zip(names, row)) for row in zip(*(values[k] for k in names))]
        fixed = {k: u for k, u in used.items() if isinstance(u, str)}
        varying = [k for k, u in used.items() if not isinstance(u, str)]
        if varying:
            sides = [{**fixed, **dict(zip(varying, row))} for row in zip(*(used[k] for k in varying))]
            order = list(used)
            sides = [{k: d[k] for k in order} for d in sides]
        else:
            sides = [dict(fixed) for _ in range(n)]
        return rows, sides


@dataclass
class _SeenSides:
    """How well each side of a ``seen_gap`` signal was seen of late: the mean of its
    visibility over the frames of the last ``WINDOW_S`` (about a rep), so that a limb hidden for a
    moment facing the camera (a forearm curled toward the lens) does not count, a limb the
    view keeps partly behind the body (at 45 degrees) does. A side seen hardly at all
    (mean under ``FLOOR``: the far limb side-on, where the pose model mirrors the near one)
    is not left out: side-on the rules were measured with both, and auto mode weighs their
    verdicts (a curl counter's on side-on raises)."""

    sums: list = field(default_factory=lambda: [0.0, 0.0])
    recent: deque = field(default_factory=deque)

    WINDOW_S = 4.0                 # a rep or two (60 frames at 15 fps)
    FLOOR = 0.3                    # side-on the far arm reads 0.03-0.07, at 45 deg 0.6-0.9
    window: int = 60               # WINDOW_S in frames at the clip's frame rate (``SignalExtractor``)

    def reset(self) -> None:
        self.sums = [0.0, 0.0]
        self.recent.clear()

    def update(self, left: float, right: float, gap: float) -> str:
        """Add this frame's visibilities; the side seen worse by more than ``gap`` ("" if none)."""
        self.recent.append((left, right))
        self.sums[0] += left
        self.sums[1] += right
        while len(self.recent) > self.window:
            a, b = self.recent.popleft()
            self.sums[0] -= a
            self.sums[1] -= b
        n = len(self.recent)
        left, right = self.sums[0] / n, self.sums[1] / n
        if left < right - gap and left >= self.FLOOR:
            return "left"
        if right < left - gap and right >= self.FLOOR:
            return "right"
        return ""


class _OwnStart:
    """Each side of an ``own_start`` signal measured from its own start level: the ``QUANTILE``
    toward the start of its last ``window`` values (the signal's ``own_start`` seconds in frames
    at the clip's frame rate; an arm hangs for more than that share of the time; a quantile, not
    the extreme, so that a frame or two misread past the hang or a set-up movement does not set
    it). Where one side's level lies further toward the turn than
    the other's by ``ALIKE[1]`` or more, that side is moved by the difference (less ``SHORT``); under
    ``ALIKE[0]`` both stay as they are (facing the camera both arms' hangs read <= 0.06 apart in
    rows), with a ramp between so no frame jumps. Nothing moves before a third of the window
    has been seen on both sides."""

    QUANTILE = 0.1
    ALIKE = (0.06, 0.09)
    SHORT = 0.02   # the moved side stops this far short of the other's level: level with it, the
                   # resting arm's jitter was taken at the working arm's hang (a rep's range read short)

    def __init__(self, window: int) -> None:
        self.window = window
        self.reset()

    def reset(self) -> None:
        self.sides = (_SortedWindow(), _SortedWindow())   # left, right: values toward the turn (sign * v)

    def _level(self, i: int) -> float:
        vals = self.sides[i].ordered
        if 3 * len(vals) < self.window:   # too few values yet for a level (a set's first seconds)
            return math.nan
        pos = self.QUANTILE * (len(vals) - 1)   # numpy's default (linear) percentile
        lo = int(pos)
        hi = min(lo + 1, len(vals) - 1)
        return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)

    def update(self, left: float, right: float, sign: float) -> tuple[float, float]:
        """This frame's values (NaN: not measured, not counted in the window), moved."""
        for i, v in enumerate((left, right)):
            if v == v:
                self.sides[i].add(sign * v, self.window)
        a, b = self._level(0), self._level(1)
        if a != a or b != b:
            return left, right
        gap = a - b   # > 0: the left side's start lies further toward the turn
        lo, hi = self.ALIKE
        shift = (abs(gap) - self.SHORT) * min(1.0, max(0.0, (abs(gap) - lo) / (hi - lo)))
        if gap > 0 and left == left:
            left -= sign * shift
        elif gap < 0 and right == right:
            right -= sign * shift
        return left, right


# points that tell which way a person faces (for ``lean``): hips, nose, ears
_FACING = np.array([_INDEX["left_hip"], _INDEX["right_hip"], _INDEX["nose"], _INDEX["left_ear"],
                    _INDEX["right_ear"]], dtype=np.int64)


def _lean(g: _Group, p: np.ndarray) -> np.ndarray:
    """Signed lean of top-bottom against vertical up, positive toward where the person faces."""
    lh, rh, nose, le, re = p[_FACING]
    v = p[g.idx[:, 0]] - p[g.idx[:, 1]]
    if p.shape[1] == 2:  # image: the angle in the picture, positive toward the image right
        return np.degrees(np.arctan2(v[:, 0], -v[:, 1]))
    face = nose - 0.5 * (le + re)   # the nose is in front of the ears
    up = np.array([0.0, -1.0, 0.0])
    f = np.cross(up, rh - lh)       # facing from the hip line (right-handed, y down)
    f[1] = 0.0
    if float(np.dot(f, face)) < 0:  # a left/right mix-up of the hips flips it: trust the nose
        f = -f
    n = float(np.linalg.norm(f))
    if n < 1e-9:
        return np.full(len(v), np.nan)
    return np.degrees(np.arctan2(v @ (f / n), v @ up))


def _compute(g: _Group, p: np.ndarray) -> np.ndarray:
    """The group's values from points ``p``: one frame (39, d) -> (n,), or many frames
    (F, 39, d) -> (F, n) with the same operations along a leading frame axis (``compute_many``;
    a ``lean`` needs each frame's facing, so it goes frame by frame)."""
    if g.kind == "lean":
        return _lean(g, p) if p.ndim == 2 else np.stack([_lean(g, q) for q in p])
    if g.kind == "angle":
        a, b, c = p[..., g.idx[:, 0], :], p[..., g.idx[:, 1], :], p[..., g.idx[:, 2], :]
        ba, bc = a - b, c - b
        n = np.sqrt((ba * ba).sum(-1) * (bc * bc).sum(-1))
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = (ba * bc).sum(-1) / n
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    if g.kind == "between":
        u = p[..., g.idx[:, 1], :] - p[..., g.idx[:, 0], :]
        v = p[..., g.idx[:, 3], :] - p[..., g.idx[:, 2], :]
        n = np.sqrt((u * u).sum(-1) * (v * v).sum(-1))
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = (u * v).sum(-1) / n
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    if g.kind == "incline":
        v = p[..., g.idx[:, 0], :] - p[..., g.idx[:, 1], :]
        n = np.sqrt((v * v).sum(-1))
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = -v[..., 1] / n
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    # distance
    d = (p[..., g.idx[:, 1], :] - p[..., g.idx[:, 0], :]) * g.axis
    scale_v = p[..., g.per[:, 1], :] - p[..., g.per[:, 0], :]
    scale = np.sqrt((scale_v * scale_v).sum(-1))
    two = g.per[:, 2] != g.per[:, 3]
    if two.any():  # two segments: the root sum square of their lengths
        scale_w = p[..., g.per[:, 3], :] - p[..., g.per[:, 2], :]
        scale = np.where(two, np.sqrt((scale_v * scale_v).sum(-1) + (scale_w * scale_w).sum(-1)), scale)
    mag = np.sqrt((d * d).sum(-1))
    signed_val = d.sum(-1)  # single-axis distances keep their sign
    if g.along is not None:  # along a body direction (e.g. outward from the body's midline)
        u = p[..., g.along[:, 1], :] - p[..., g.along[:, 0], :]
        if g.along_axis is not None:  # only the direction's component along one axis: its sign
            u = u * g.along_axis
        with np.errstate(divide="ignore", invalid="ignore"):
            u = u / np.sqrt((u * u).sum(-1, keepdims=True))
        proj = ((p[..., g.idx[:, 1], :] - p[..., g.idx[:, 0], :]) * u).sum(-1)
        signed_val = np.where(g.along[:, 0] >= 0, proj, signed_val)
        mag = np.where(g.along[:, 0] >= 0, np.abs(proj), mag)
    val = np.where(g.signed, signed_val, mag)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 1e-9, val / scale, np.nan)
