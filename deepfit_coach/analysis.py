"""Run a video (or recorded poses) through pose -> tracker and summarise it.

Given mode counts one named exercise over the whole clip. Auto mode asks the
classifier for a timeline of exercise segments (``segment_exercises``), joins what is one
set for the person - a set the classifier split with a short blip or "rest" hole
(``merge_segments``), or one bout of movement it gave two labels without a pause between
them (``join_bouts``), or with a pause of a few seconds across which one counter sees one
regular set (``join_guarded``), or a longer hole in the labels through which a counter's reps
go on without a rest (``join_continuous``) - and runs a fresh tracker over each, widened because the
classifier decides a little after a set begins, and grown further while the reps run into
the window's edge (``grow_window``). The counters of the bout's runner-up exercises run
too, and one that clearly finds more full reps than the label's (one more when the
classifier is torn between them), or as many with clearly more clean ones, takes the bout
(``pick_exercise``; the surer the classifier of its label, the more it must show). Reps the
counter found in the rest around the set, which the classifier is sure is rest, are dropped
(``drop_rest_reps``: a stretch's overhead sweep is no raise). A bout where no counter finds a
rep joins the set beside it (``absorb_empty``), or is dropped when the classifier barely told
it from rest or it is too short for a set. The result's ``to_json()`` is the exact
``analyze --json`` object.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from deepfit_coach.coach.visibility import UNSEEN_SHARE, unseen_share
from deepfit_coach.counting.review import review_set
from deepfit_coach.counting.tracker import ExerciseTracker, FrameSmoother, SmoothedFrame
from deepfit_coach.errors import UserError
from deepfit_coach.events import FormEvent, RepInfo
from deepfit_coach.exercises.catalogue import Catalogue, load_catalogue
from deepfit_coach.posetrack import PoseTrack
from deepfit_coach.skeleton import Skeleton


@dataclass
class Timeline:
    """The classifier's view of a clip: (exercise, start_s, end_s, confidence) segments and,
    when known, its per-frame class probabilities (``probs[i]`` at ``times[i]``), which name
    the runner-up exercises of a bout (see ``pick_exercise``)."""

    segments: list[tuple[str, float, float, float]]
    times: np.ndarray | None = None
    probs: np.ndarray | None = None          # (frames, len(classes))
    classes: tuple[str, ...] = ()

    def mean_probs(self, start_s: float, end_s: float) -> dict[str, float]:
        """Each class's mean probability over [start_s, end_s] ({} without probabilities)."""
        if self.times is None or self.probs is None:
            return {}
        sel = (self.times >= start_s) & (self.times <= end_s)
        if not sel.any():
            return {}
        mean = self.probs[sel].mean(axis=0)
        return {c: float(p) for c, p in zip(self.classes, mean)}


# a clip's poses -> its timeline (or just its segments, as (exercise, start_s, end_s, confidence))
Segmenter = Callable[[Sequence[Skeleton | None], Sequence[float]], "Timeline | list[tuple[str, float, float, float]]"]
# Tuned on the six tuning sets' auto counts (seeds 9100+..11000+, form_tune): the counter's
# own gates keep rest movement out, so a wide window loses less than a short one.
SEGMENT_PAD_S = 6.0         # after a segment
SEGMENT_LEAD_S = 10.0       # before it: the classifier often recognises a set only after a few reps
SWITCH_GAP_S = 1.0          # different exercises closer than this are one bout (see join_bouts)
SAME_GAP_S = 6.0            # same-exercise segments closer than this are one set (see merge_segments)
GUARD_GAP_S = 4.0           # different exercises up to this far apart join only if one counter says one set (same_set)
GUARD_ROM = 1.15            # ... its reps either side of the gap agree in median range of motion within 15%
GUARD_DUR = 1.25            # ... and in median rep duration within 25%
CANDIDATE_MIN_P = 0.01      # a runner-up exercise needs this mean probability over the bout,
DOUBT_CLEAN = 1 / 3         # ... unless at most this share of the label counter's full reps is clean: then every counter
CANDIDATE_LIKELY_P = 0.05   # ... below this it is a long shot: it needs mostly clean reps, and is no sign of a set
CANDIDATE_MORE = 0.3        # ... and its counter clearly more full reps: >= 30% (and >= 1) more, times the
                            # classifier's preference for the label (log10 of p(label) / p(runner-up), >= 1)
CANDIDATE_TORN_P = 0.15     # ... or just 1 more when the classifier is torn (runner-up's mean probability >= this)
CANDIDATE_CLEAN_MORE = 2    # ... or as many full reps and this many more clean ones (no form rule fired),
                            # per tenfold preference of the classifier for the label (at least this many)
CANDIDATE_MAX_SPLITS = 1    # ... and at most this many of its reps inside a label rep that holds another (split_reps_of)
ABSORB_GAP_S = SAME_GAP_S   # a bout where no counter finds a rep joins a neighbouring set this close (absorb_empty)
EMPTY_REST_RATIO = 1.5      # ... else it is dropped if its label's mean probability is under this times rest's,
EMPTY_SHORT_S = 4.0         # ... or if it is shorter than this and its counter found not even a partial rep
EDGE_S = 1.0                # a counted bout whose reps run to within EDGE_PERIODS rep periods (>= this) of its
EDGE_PERIODS = 1.5          # window's edge (a tracker started mid-rep first sees a rep from the next start position)
GROW_S = 4.0                # ... so its window grows this much at a time, up to the neighbouring bout (grow_window)
DISTINCT_P = 0.9            # bouts of two different exercises this sure are two sets (distinct_sets)
PAUSE_RATIO = 1.0           # bouts further apart than GUARD_GAP_S join if a counter's reps leave no pause longer than
                            # this times its median rep duration across the gap (join_continuous)
REST_REP_P = 0.7            # a rep outside its bout's label span during which the classifier's mean rest probability
                            # is at least this is rest movement (a stretch before the set), not a rep (drop_rest_reps)
WARM_UP_S = 2.0             # a label span starting this soon after the clip's first frame began with the clip: the
                            # classifier's reading before it is its window filling (WINDOW_S 1.5 s), not rest
REST_REP_SURE = 0.8         # ... when the classifier was sure of the set itself: median probability of the exercise
                            # over its full reps inside the label span at least this
HIDDEN_SET_S = 6.0          # a stretch the classifier calls rest, at least this long, is offered to the counters of
HIDDEN_SET_TRIED = 3        # ... the exercises it gives most there, and becomes a bout of one whose counter finds
HIDDEN_SET_REPS = 3         # ... this many full reps (more than DOUBT_CLEAN of them clean) over which the classifier
HIDDEN_SET_P = 0.25         # ... gave it this mean probability


@dataclass
class Poses:
    """A clip's skeletons (None where nobody was found) and their times in seconds;
    ``load_poses`` holds them as a compact ``PoseTrack``."""

    source: str
    fps: float
    skeletons: Sequence[Skeleton | None]
    times: list[float]
    pose_seconds: float = 0.0  # time spent in the pose model (0 when replayed)

    @property
    def detected_ratio(self) -> float:
        return int(seen_mask(self.skeletons).sum()) / len(self.skeletons) if len(self.skeletons) else 0.0

    def mapped(self, fn: Callable[[Skeleton], Skeleton]) -> "Poses":
        """The same clip with ``fn`` applied to every skeleton (a mirrored or turned reading: the pose
        cache keeps the pose model's own, so one cache serves every way of seeing the video)."""
        return replace(self, skeletons=PoseTrack(None if s is None else fn(s) for s in self.skeletons))


@dataclass
class SegmentResult:
    exercise: str
    start_s: float
    end_s: float
    reps: list[RepInfo]
    partial: list[RepInfo]
    confidence: float = 1.0
    cues: list[FormEvent] = field(default_factory=list)
    trace: list = field(default_factory=list)      # TracePoint per frame (for --plot)
    start_gate: float = math.nan
    turn_gate: float = math.nan
    signal: str = ""
    label_span: tuple[float, float] | None = None   # the classifier's own segment (auto mode)
    live_reps: int = 0      # what the live coach counted before the set's review (benchmarks)

    @property
    def span(self) -> tuple[float, float]:
        """Where the set is, as reported: in auto mode the classifier's span widened to every rep
        counted (full or partial) and no further - the window the counters ran over reaches
        seconds beyond it on both sides (``SEGMENT_LEAD_S``, ``SEGMENT_PAD_S``), which is no part
        of the set; in given mode the whole clip, which is what was counted."""
        if self.label_span is None:
            return self.start_s, self.end_s
        reps = self.reps + self.partial
        lo = min([self.label_span[0], *(r.start_s for r in reps)])
        hi = max([self.label_span[1], *(r.end_s for r in reps)])
        return max(self.start_s, lo), min(self.end_s, hi)

    def to_json(self) -> dict:
        start, end = self.span
        return {"exercise": self.exercise, "start_s": round(start, 3), "end_s": round(end, 3),
                "reps": len(self.reps), "partial_reps": len(self.partial),
                "rep_details": [r.to_dict() for r in self.reps],
                # a half rep's fault ("go lower") is the feedback a user most needs about it
                "partial_rep_details": [r.to_dict() for r in self.partial]}


@dataclass
class AnalysisResult:
    video: str
    fps: float
    frames: int
    pose_detected_ratio: float
    segments: list[SegmentResult]
    mode: str = "given"
    tracker_seconds: float = 0.0
    pose_seconds: float = 0.0

    @property
    def total_reps(self) -> int:
        return sum(len(s.reps) for s in self.segments)

    @property
    def exercise(self) -> str | None:
        """The main exercise: most reps, then longest time; None when nothing was found."""
        if not self.segments:
            return None
        totals: dict[str, tuple[int, float]] = {}
        for s in self.segments:
            reps, dur = totals.get(s.exercise, (0, 0.0))
            totals[s.exercise] = (reps + len(s.reps), dur + s.end_s - s.start_s)
        return max(totals, key=lambda k: totals[k])

    def reps_by_exercise(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.segments:
            out[s.exercise] = out.get(s.exercise, 0) + len(s.reps)
        return out

    def to_json(self) -> dict:
        return {"video": self.video, "fps": round(self.fps, 3), "frames": self.frames,
                "pose_detected_ratio": round(self.pose_detected_ratio, 4), "exercise": self.exercise,
                "total_reps": self.total_reps, "segments": [s.to_json() for s in self.segments]}


# what a user does with a pose cache that is not this run's (eval, whose caches are a directory, says its own)
OTHER_CACHE = "pass another --poses path"


def _check_source(pf, video: str, other_cache: str) -> None:
    """A cache (a ``PoseFile``) made from another video would silently stand in for this one's poses:
    refuse it. Told apart by file name and, where the cache records it, size (older caches: by name)."""
    from deepfit_coach.posefile import file_size

    made, name = Path(pf.source).name, Path(video).name
    if pf.source and made != name:
        raise UserError(f"{pf.path} was made from {made}, not {name}: delete it or {other_cache}", exit_code=2)
    size = file_size(video)
    if pf.source_bytes is not None and pf.source_bytes != size:
        raise UserError(f"{pf.path} was made from another {name} ({pf.source_bytes} bytes, this one {size}): "
                        f"delete it or {other_cache}", exit_code=2)


def _confidence(conf: tuple[float, ...]) -> tuple[str, str | None]:
    """The pose model's thresholds in words (no option sets them: a cache made at others is not reused)."""
    return f"at pose confidence {', '.join(f'{c:g}' for c in conf)}", None


def _filling(recover: bool, fallback: tuple[float, float] | None) -> tuple[str, str | None]:
    """How the frames the pose model misses are filled: (in words, the option that asks for it; None: the default)."""
    from deepfit_coach.pose import FALLBACK_AFTER_S

    if fallback is not None:
        after = "" if fallback[1] == FALLBACK_AFTER_S else f" after {fallback[1]:g} s"
        return f"with the pose fallback at {fallback[0]:g}{after}", f"--pose-fallback {fallback[0]:g}"
    return ("with the pose recovery", None) if recover else ("without the pose recovery", "--no-pose-recover")


def _scanning(scan_people: bool) -> tuple[str, str | None]:
    """Whether the picture is checked for other people: (in words, the option that asks for it)."""
    return ("with the check for other people", None) if scan_people else ("without the check for other people",
                                                                          "--alone")


def _step(made: str | None, run: str | None) -> str:
    """What to type for this run to make poses as the cache's were."""
    return f"use {made} instead of {run}" if made and run else (f"add {made}" if made else f"leave out {run}")


def _modelling(model) -> tuple[str, str | None]:
    """Which pose model (a ``model_store.ModelIdentity``): (in words, the option that asks for it)."""
    from deepfit_coach.model_store import DEFAULT_VARIANT

    if model.is_variant:
        return (f"with the {model.name} pose model",
                None if model.name == DEFAULT_VARIANT else f"--model-variant {model.name}")
    return f"with pose model {model.name}", f"--pose-model {model.name}"


def _check_cache(pf, fallback: tuple[float, float] | None = None, recover: bool = False,
                 scan_people: bool = True, other_cache: str = OTHER_CACHE, model=None) -> None:
    """A cache (a ``PoseFile``) made with other pose-model thresholds (or with/without the pose
    fallback or recovery, or the check for other people, or by another pose model: ``model``, this run's
    ``ModelIdentity``, None to not check) would silently stand in for this run's poses; say in words which
    setting differs and which option reuses it, rather than reuse (or overwrite) it.
    A cache that does not say was made before either was recorded: at the defaults."""
    from deepfit_coach.model_store import run_identity
    from deepfit_coach.pose import DEFAULT_CONFIDENCES

    made_recover = pf.recover is not None
    if not pf.zoom:
        raise UserError(f"{pf.path}: poses made without the zoom on a person small in the picture: {other_cache}",
                        exit_code=2)
    if made_recover and recover and not pf.recovered_marked:
        raise UserError(f"{pf.path}: poses made with pose recovery before its poses were marked as recovered "
                        f"(form is judged on the landmarker's own frames only): {other_cache}", exit_code=2)
    made_conf = tuple(pf.confidence) if pf.confidence is not None else DEFAULT_CONFIDENCES
    differ = [(made, run) for made, run in ((_confidence(made_conf), _confidence(DEFAULT_CONFIDENCES)),
                                            (_filling(made_recover, pf.fallback), _filling(recover, fallback)),
                                            (_scanning(pf.scan_people), _scanning(scan_people))) if made != run]
    made_model = pf.model or run_identity()
    if model is not None and made_model.sha256 != model.sha256:
        differ.append((_modelling(made_model), _modelling(model)))
    if not differ:
        return
    steps = [] if made_conf != DEFAULT_CONFIDENCES else [_step(made[1], run[1]) for made, run in differ]
    fix = f"{' and '.join(steps)} to reuse them, or {other_cache}" if steps else other_cache
    raise UserError(f"{pf.path}: poses made {', '.join(made[0] for made, _ in differ)}, this run "
                    f"{', '.join(run[0] for _, run in differ)}: {fix}", exit_code=2)


def _replayed(pf, name: str) -> Poses:
    """A pose file's poses; when it holds fewer frames than its video announced, say so as a fresh run does."""
    from deepfit_coach.errors import warn
    from deepfit_coach.sources import ends_early

    track, stamps = PoseTrack(), []
    for r in pf:
        track.append(r.skeleton)
        stamps.append(r.timestamp_ms / 1000.0)
    read_s = stamps[-1] + 1.0 / pf.fps if stamps else 0.0
    if (short := ends_early(pf.source or str(pf.path), len(stamps), pf.source_frames, pf.fps, read_s,
                            pf.source_seconds)) is not None:
        warn(short)
    return Poses(name, pf.fps, track, stamps)


def load_poses(source: str | Path, model_path: str | Path | None = None, cache: str | Path | None = None,
               progress: Callable[[int, int], None] | None = None, variant: str = "full",
               fallback: float | None = None, recover: bool | None = None, scan_people: bool = True,
               other_cache: str = OTHER_CACHE) -> Poses:
    """Skeletons of a video file (through the pose model) or of a recorded pose file.

    ``cache``: a ``.jsonl`` pose file to reuse if present and made from this video with this run's
    settings (else refused, saying so with ``other_cache``: what to do instead), else written while
    running - in full or not at all, so an interrupted run leaves nothing to be reused as whole.
    ``fallback``: the pose fallback's confidence (``PoseEstimator``), None for none;
    ``recover``: the pose recovery (``poserecover``) on the frames the pose model misses (None: the
    default, ``pose.recover_setting``: on unless ``fallback``); ``scan_people``: False skips the
    once-a-second check for other people (``PoseEstimator``; a cache made the other way is refused).
    """
    from deepfit_coach.pose import FALLBACK_AFTER_S, recover_setting
    from deepfit_coach.posefile import PoseFile

    recover = recover_setting(recover, fallback)

    fb = None if fallback is None else (float(fallback), FALLBACK_AFTER_S)
    text = str(source)
    replay = text[len("replay:"):] if text.startswith("replay:") else (text if text.endswith(".jsonl") else None)
    if replay is not None:
        return _replayed(PoseFile(replay), text)
    cached = cache is not None and Path(cache).is_file()
    if not Path(text).exists():   # a cache alone is no video: it may be another one's
        alone = f" (to analyse the poses in {cache} alone, pass replay:{cache})" if cached else ""
        raise UserError(f"no such video file: {text}{alone}", exit_code=2)
    if cached:
        pf = PoseFile(cache)
        _check_source(pf, text, other_cache)
        from deepfit_coach.model_store import run_identity

        _check_cache(pf, fb, recover, scan_people, other_cache, model=run_identity(variant, model_path))
        return _replayed(pf, text)
    return _run_pose_model(text, model_path, cache, progress, variant, fallback, recover, scan_people)


def _run_pose_model(video: str, model_path: str | Path | None, cache: str | Path | None,
                    progress: Callable[[int, int], None] | None, variant: str, fallback: float | None,
                    recover: bool, scan_people: bool) -> Poses:
    """``load_poses`` through the pose model; the video is opened (and so checked) before the cache is made."""
    import contextlib

    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.posefile import PoseWriter, replaced_when_done
    from deepfit_coach.sources import open_source

    skeletons = PoseTrack()
    times: list[float] = []
    spent = 0.0
    with open_source(video) as src, PoseEstimator(model_path=model_path, variant=variant,
                                                  fallback_confidence=fallback, recover=recover,
                                                  scan_people=scan_people) as pose, \
            (replaced_when_done(cache) if cache is not None else contextlib.nullcontext()) as out:
        fps = float(getattr(src, "fps", 0) or 30.0)
        total = int(getattr(src, "frame_count", 0) or 0)
        writer = None if out is None else PoseWriter(out, video, fps, pose.confidences, pose.fallback, pose.recover,
                                                     pose.scan_people, source_frames=total, model=pose.model,
                                                     source_seconds=getattr(src, "announced_s", None),
                                                     zoom=pose.zoom)
        for frame in src:
            t0 = time.perf_counter()
            skel = pose.process(frame.image, frame.timestamp_ms, frame.index)
            spent += time.perf_counter() - t0
            skeletons.append(skel)
            times.append(frame.timestamp_ms / 1000.0)
            if writer is not None:
                writer.write(frame.timestamp_ms, frame.index, skel)
            if progress is not None:
                progress(len(skeletons), total)
    return Poses(video, fps, skeletons, times, spent)


RUN_BUDGET = 8192   # smoothed frames ClipFrames keeps (~15 MB): past it the least recently used runs go
CHUNK = 512         # frames measured at once by a tracker (~6 MB of dicts and temporaries), however long the video


@dataclass
class _Run:
    """One smoothing pass from frame ``start`` on: the smoother's state after frame ``end``
    - 1, and the person's frames of [start, end) stacked in the first ``n`` rows of
    (pixels, world, vis, seen) arrays with room to grow."""

    smoother: FrameSmoother
    start: int
    end: int
    n: int
    arrays: tuple[np.ndarray, ...]

    def rows(self, a: int, b: int) -> tuple[np.ndarray, ...]:
        return tuple(x[a:b] for x in self.arrays)


def _empty_stack(rows: int) -> tuple[np.ndarray, ...]:
    return (np.empty((rows, 33, 2)), np.empty((rows, 33, 3)), np.empty((rows, 33)), np.empty((rows, 33)))


class ClipFrames:
    """A clip's frames as the trackers see them, smoothed once per window start: the smoothing
    (``FrameSmoother``) is the same for every exercise, and a window's frames are smoothed
    from its first frame on, so the trackers of a bout's label, its runner-ups and a grown
    window with the same start share one pass (a ``_Run``). A run keeps only the smoothed
    numbers, stacked as ``SignalExtractor.compute_many`` takes them (a window's rows are
    views of them), and runs beyond ``budget`` frames are dropped, least recently used first
    (a run needed again is smoothed again: the same numbers), so memory does not grow with
    the length of the video."""

    def __init__(self, skeletons: Sequence[Skeleton | None], times: Sequence[float], budget: int = RUN_BUDGET
                 ) -> None:
        self.skeletons = skeletons
        self.times = times
        self.budget = budget
        self._runs: dict[int, _Run] = {}     # by start frame, least recently used first
        self.seen = seen_mask(skeletons)      # the frames with a person
        self.recovered = recovered_mask(skeletons)   # ... found by the pose recovery (no form judged on them)
        self._before = np.concatenate([[0], np.cumsum(self.seen)])    # person frames before frame i

    def window(self, start_s: float, end_s: float) -> list[int]:
        """The frames with start_s <= t <= end_s."""
        return [i for i, t in enumerate(self.times) if start_s <= t <= end_s]

    def run(self, i0: int, i1: int) -> _Run:
        """The smoothing run from frame ``i0``, done up to frame ``i1`` (exclusive); the most
        recently used now."""
        r = self._runs.pop(i0, None)
        if r is None:
            r = _Run(FrameSmoother(), i0, i0, 0, _empty_stack(0))
        self._runs[i0] = r
        if i1 > r.end:
            need = int(self._before[i1] - self._before[i0])
            if need > len(r.arrays[0]):
                grown = _empty_stack(max(need, 2 * len(r.arrays[0])))
                for new, old in zip(grown, r.arrays):
                    new[:r.n] = old[:r.n]
                r.arrays = grown
            for i in range(r.end, i1):
                skel = self.skeletons[i]
                if skel is not None:
                    f = r.smoother(skel, self.times[i])
                    for x, v in zip(r.arrays, (f.pixels, f.world, f.vis, f.seen)):
                        x[r.n] = v
                    r.n += 1
            r.end = i1
        self._trim()
        return r

    def _trim(self) -> None:
        """Drop the least recently used runs while they hold more than ``budget`` frames (never the newest)."""
        while len(self._runs) > 1 and sum(r.n for r in self._runs.values()) > self.budget:
            del self._runs[next(iter(self._runs))]

    def rows(self, idx: list[int]) -> Callable[[int, int], tuple[np.ndarray, ...]]:
        """For frames ``idx`` (one run of frames) smoothed from the first one on: ``get(a, b)``,
        the person's frames among ``idx[a:b]`` as (pixels, world, vis, seen) arrays."""
        i0 = idx[0]
        r = self.run(i0, idx[-1] + 1)
        base = self._before[i0]
        return lambda a, b: r.rows(int(self._before[idx[a]] - base), int(self._before[idx[b - 1] + 1] - base))


def seen_mask(skeletons: Sequence[Skeleton | None]) -> np.ndarray:
    """(N,) bool: the frames with a person (a ``PoseTrack`` says without building its Skeletons)."""
    if isinstance(skeletons, PoseTrack):
        return skeletons.seen()
    return np.array([s is not None for s in skeletons], dtype=bool)


def recovered_mask(skeletons: Sequence[Skeleton | None]) -> np.ndarray:
    """(N,) bool: the frames whose pose the pose recovery found (``Skeleton.recovered``)."""
    if isinstance(skeletons, PoseTrack):
        return skeletons.recovered()
    return np.array([s is not None and s.recovered for s in skeletons], dtype=bool)


def _stack(frames: Sequence[SmoothedFrame | None]) -> tuple[np.ndarray, ...]:
    """The person's frames as (pixels, world, vis, seen) arrays, for ``compute_many``."""
    got = [f for f in frames if f is not None]
    return (np.array([f.pixels for f in got]).reshape(-1, 33, 2), np.array([f.world for f in got]).reshape(-1, 33, 3),
            np.array([f.vis for f in got]).reshape(-1, 33), np.array([f.seen for f in got]).reshape(-1, 33))


def track_segment(spec, skeletons: Sequence[Skeleton | None], times: Sequence[float], start_s: float,
                  end_s: float, confidence: float = 1.0, record: bool = False,
                  clip: ClipFrames | None = None) -> SegmentResult:
    """Run one fresh tracker over the frames with start_s <= t <= end_s, as
    ``ExerciseTracker.update`` frame by frame would, with the signals of ``CHUNK`` frames
    measured in one pass: with ``clip`` from the clip's shared smoothing (see ``ClipFrames``),
    without it smoothed here."""
    tr = ExerciseTracker(spec, record=record)
    cues: list[FormEvent] = []

    def recovered(i: int) -> bool:   # found by the pose recovery: counted, no form judged on it
        return bool(clip.recovered[i]) if clip is not None else skeletons[i].recovered

    def feed(idx: list[int], seen: Sequence[bool], stack: tuple[np.ndarray, ...]) -> None:
        values, used = tr.extractor.compute_many(*stack, times=[times[i] for i, p in zip(idx, seen) if p])
        vis = stack[2]
        missing = tr.missing_many(vis)
        k = 0
        for i, person in zip(idx, seen):
            if not person:
                events = tr.update_lost(times[i])
            else:
                events = tr.update_values(times[i], values[k], used[k], vis[k], missing[k],
                                          recovered=recovered(i))
                k += 1
            cues.extend(ev for ev in events if isinstance(ev, FormEvent))

    idx = clip.window(start_s, end_s) if clip is not None else [i for i, t in enumerate(times) if start_s <= t <= end_s]
    if idx and idx[0] > 0:
        tr.counter.edge_s = -1.0   # a window inside the clip: its first frame starts no stream
    if clip is not None and idx and idx[-1] + 1 - idx[0] == len(idx):
        get = clip.rows(idx)
        for a in range(0, len(idx), CHUNK):
            part = idx[a:a + CHUNK]
            feed(part, clip.seen[part[0]:part[-1] + 1].tolist(), get(a, a + len(part)))
    else:   # a tracker of its own (or frames whose times do not increase): smoothed here, CHUNK at a time
        smoother = FrameSmoother()
        for a in range(0, len(idx), CHUNK):
            part = idx[a:a + CHUNK]
            skels = [skeletons[i] for i in part]
            frames = [None if s is None else smoother(s, times[i]) for s, i in zip(skels, part)]
            feed(part, [s is not None for s in skels], _stack(frames))
    if idx and idx[-1] == len(times) - 1:
        # the clip's end: a rep seen back at its start counts (not a window's end inside the clip)
        cues.extend(ev for ev in tr.flush(times[idx[-1]]) if isinstance(ev, FormEvent))
    c = tr.counter.spec   # the way the set was counted (the exercise's or its variant)
    tr.form.review()   # the set seen whole: its first reps against the person's usual
    reps, partials = review_set(list(tr.rep_log), list(tr.partial_log), set_up=spec.set_up, put_down=spec.put_down)
    return SegmentResult(spec.name, start_s, end_s, reps, partials, confidence, cues,
                         tr.trace, c.start_gate, c.turn_gate, c.signal.name, live_reps=tr.reps)


def default_segmenter(skeletons: Sequence[Skeleton | None], times: Sequence[float]) -> Timeline:
    """The classifier's exercise timeline; a UserError if no classifier model is installed."""
    try:
        from deepfit_coach.classifier.labels import CLASSES
        from deepfit_coach.classifier.segment import segments_from_decisions
        from deepfit_coach.classifier.temporal import TemporalClassifier
    except ImportError as exc:  # pragma: no cover - classifier package missing
        raise UserError(f"auto mode needs the exercise classifier ({exc}); pass --exercise NAME") from None
    try:
        clf = TemporalClassifier()
        # what segment.decide_all does, without its list() of the frames: a PoseTrack's
        # Skeletons are made a chunk at a time (clip_features), not all held at once
        decisions = clf.decide_clip(skeletons, list(times))
    except FileNotFoundError as exc:
        raise UserError(f"auto mode needs the exercise classifier model ({exc}); pass --exercise NAME") from None
    segs = segments_from_decisions(list(times), decisions, min_confidence=clf.min_confidence)
    probs = np.zeros((len(decisions), len(CLASSES)))
    for i, d in enumerate(decisions):
        if d.probs is not None:
            probs[i] = d.probs
    return Timeline([(s.exercise, s.start, s.end, s.confidence) for s in segs],
                    np.asarray(times, dtype=float), probs, tuple(CLASSES))


def merge_segments(raw: list[tuple[str, float, float, float]], blip_s: float = 4.0, gap_s: float = SAME_GAP_S
                   ) -> list[tuple[str, float, float, float]]:
    """Join a set the classifier split: a short blip of another label between two
    segments of the same exercise is dropped, and same-exercise neighbours less than
    ``gap_s`` apart (a few seconds of "unknown" mid-set) are merged, so one set is counted
    by one tracker (a fresh tracker would lose the rep in progress)."""
    segs = sorted(raw, key=lambda s: s[1])
    changed = True
    while changed:
        changed = False
        for i in range(1, len(segs) - 1):
            a, b, c = segs[i - 1], segs[i], segs[i + 1]
            if a[0] == c[0] and b[0] != a[0] and b[2] - b[1] < blip_s:
                segs[i - 1:i + 2] = [(a[0], a[1], c[2], min(a[3], c[3]))]
                changed = True
                break
        for i in range(1, len(segs)):
            a, b = segs[i - 1], segs[i]
            if a[0] == b[0] and b[1] - a[2] <= gap_s:
                segs[i - 1:i + 1] = [(a[0], a[1], b[2], min(a[3], b[3]))]
                changed = True
                break
    return segs


def join_bouts(raw: list[tuple[str, float, float, float]], switch_gap_s: float = SWITCH_GAP_S
               ) -> list[tuple[str, float, float, float]]:
    """One bout of movement is one exercise: exercise segments of different labels that
    follow each other with no rest between them (gap <= ``switch_gap_s``) are the
    classifier changing its mind mid-set (a side-on press read as tricep extensions for a
    while), not the person changing exercise - that takes a pause. The bout gets the label
    with the most confidence-weighted time and is counted by one tracker."""
    segs = sorted(raw, key=lambda s: s[1])
    out: list[tuple[str, float, float, float]] = []
    chain: list[tuple[str, float, float, float]] = []

    def flush() -> None:
        if not chain:
            return
        weight: dict[str, float] = {}
        for name, a, b, conf in chain:
            weight[name] = weight.get(name, 0.0) + max(conf, 1e-3) * (b - a)
        best = max(weight, key=lambda k: weight[k])
        dur = sum(b - a for _, a, b, _ in chain)
        conf = sum(c * (b - a) for _, a, b, c in chain) / max(dur, 1e-9)
        out.append((best, chain[0][1], chain[-1][2], conf))
        chain.clear()

    for seg in segs:
        if chain and seg[1] - chain[-1][2] > switch_gap_s:
            flush()
        chain.append(seg)
    flush()
    return out


def split_reps(reps: Sequence[RepInfo], split_s: float) -> tuple[list[RepInfo], list[RepInfo]]:
    """The reps before and after a pause at ``split_s`` (by each rep's middle)."""
    before = [r for r in reps if 0.5 * (r.start_s + r.end_s) < split_s]
    return before, [r for r in reps if 0.5 * (r.start_s + r.end_s) >= split_s]


def same_set(reps: Sequence[RepInfo], split_s: float) -> bool:
    """Whether one counter's reps around a pause at ``split_s`` look like one set: at
    least two full reps either side, alike in median range of motion (``GUARD_ROM``) and
    duration (``GUARD_DUR``). A person's set keeps its range and tempo across a pause; a
    counter that also sees a different exercise mostly sees it with another range or
    tempo, or not at all."""
    before, after = split_reps(reps, split_s)
    if len(before) < 2 or len(after) < 2:
        return False

    def ratio(key: Callable[[RepInfo], float]) -> float:
        a, b = float(np.median([key(r) for r in before])), float(np.median([key(r) for r in after]))
        return max(a, b) / min(a, b) if min(a, b) > 0 else math.inf

    return ratio(lambda r: r.rom_deg) <= GUARD_ROM and ratio(lambda r: r.end_s - r.start_s) <= GUARD_DUR


def one_set_across(reps_a: Sequence[RepInfo], reps_b: Sequence[RepInfo], split_s: float) -> bool:
    """Two labels either side of a pause are one set when one label's counter sees one
    regular set across the pause (``same_set``) and the other's sees its movement on one
    side only (< 2 full reps on the other). When both counters count both sides the two
    exercises look alike to the counters (a press and a triceps extension side-on), and
    the classifier's split stands. Six tuning sets: the two raise sets the classifier split
    2.3 / 3.7 s apart agree within 4% range / 20% duration and the curl counter sees one
    side only; of 40 different-exercise pairs 2 s apart this joins none, while the first
    rule alone joins a side-on press -> triceps pair (range 15%, duration 11% apart)."""
    for x, y in ((reps_a, reps_b), (reps_b, reps_a)):
        if same_set(x, split_s) and min(len(side) for side in split_reps(y, split_s)) < 2:
            return True
    return False


def join_guarded(raw: list[tuple[str, float, float, float]],
                 one_set: Callable[[list[tuple[str, float, float, float]], int], bool],
                 max_gap_s: float = GUARD_GAP_S) -> list[tuple[str, float, float, float]]:
    """Join neighbouring bouts of different labels less than ``max_gap_s`` apart when
    ``one_set(bouts, k)`` (bouts k and k+1 of the list as it stands; see ``one_set_across``)
    says they are one set; the joined bout is labelled as ``join_bouts`` labels one."""
    segs = sorted(raw, key=lambda s: s[1])
    k = 0
    while k + 1 < len(segs):
        a, b = segs[k], segs[k + 1]
        if a[0] != b[0] and b[1] - a[2] <= max_gap_s and one_set(segs, k):
            segs[k:k + 2] = join_bouts([a, b], math.inf)
        else:
            k += 1
    return segs


def longest_pause(reps: Sequence[RepInfo], lo: float, hi: float) -> float:
    """The longest stretch of [lo, hi] that no full rep covers (inf with no reps)."""
    spans = sorted((r.start_s, r.end_s) for r in reps)
    if not spans:
        return math.inf
    longest, reached = 0.0, lo
    for a, b in spans:
        if a > reached:
            longest = max(longest, min(a, hi) - reached)
        reached = max(reached, b)
        if reached >= hi:
            break
    return max(longest, hi - reached)


def continues_across(reps: Sequence[RepInfo], gap_lo: float, gap_hi: float) -> bool:
    """Whether one counter's reps run through a hole in the classifier's labels without a
    rest: at least two full reps either side of the hole's middle, and no stretch of the
    hole without a rep longer than ``PAUSE_RATIO`` times the median rep duration. A person
    rests between sets; reps that go on at the same tempo through the hole are one set the
    classifier stopped naming for a while (a head-on push-up, side-on rows at low pose
    confidence), however long the hole."""
    before, after = split_reps(reps, 0.5 * (gap_lo + gap_hi))
    if len(before) < 2 or len(after) < 2:
        return False
    duration = float(np.median([r.end_s - r.start_s for r in reps]))
    return longest_pause(reps, gap_lo, gap_hi) <= PAUSE_RATIO * duration


def distinct_sets(a: tuple[str, float, float, float], b: tuple[str, float, float, float]) -> bool:
    """Two bouts the classifier names as two different exercises, each surely (mean probability
    >= ``DISTINCT_P``), with a rest between them: two sets, whatever a counter reads in between.
    The squat counter reads a jumping jack's knee bend and the shifting about in the rest as squats
    and ran on 'continuously' from a set of 4 squats through 6 jumping jacks: one set of 12 squats."""
    return a[0] != b[0] and min(a[3], b[3]) >= DISTINCT_P


def join_continuous(raw: list[tuple[str, float, float, float]],
                    continues: Callable[[list[tuple[str, float, float, float]], int], bool],
                    min_gap_s: float = GUARD_GAP_S) -> list[tuple[str, float, float, float]]:
    """Join neighbouring bouts more than ``min_gap_s`` apart (closer ones are join_guarded's
    and merge_segments' to judge) when ``continues(bouts, k)`` says a counter sees reps go on
    through the hole between them (see ``continues_across``); labelled as join_bouts does."""
    segs = sorted(raw, key=lambda s: s[1])
    k = 0
    while k + 1 < len(segs):
        a, b = segs[k], segs[k + 1]
        if b[1] - a[2] > min_gap_s and continues(segs, k):
            segs[k:k + 2] = join_bouts([a, b], math.inf)
        else:
            k += 1
    return segs


def _window(raw: Sequence[tuple[str, float, float, float]], k: int, t_first: float, t_last: float
            ) -> tuple[float, float]:
    """Bout k's tracking window: widened both ways (the classifier decides a little after
    a set starts, and the counter needs to see the start position before the first rep),
    but never past half way to a neighbouring bout, so no rep is counted twice."""
    start, end = raw[k][1], raw[k][2]
    lo = max(t_first, start - SEGMENT_LEAD_S)
    hi = min(t_last, end + SEGMENT_PAD_S)
    if k > 0:
        lo = max(lo, min(start, 0.5 * (raw[k - 1][2] + start)))
    if k + 1 < len(raw):
        hi = min(hi, max(end, 0.5 * (end + raw[k + 1][1])))
    return lo, hi


def _bounds(raw: Sequence[tuple[str, float, float, float]], k: int, t_first: float, t_last: float
            ) -> tuple[float, float]:
    """How far bout k's window may ever reach: the clip's ends, or half way to a neighbour."""
    start, end = raw[k][1], raw[k][2]
    lo = max(t_first, min(start, 0.5 * (raw[k - 1][2] + start))) if k > 0 else t_first
    hi = min(t_last, max(end, 0.5 * (end + raw[k + 1][1]))) if k + 1 < len(raw) else t_last
    return lo, hi


def reaches_edges(seg: SegmentResult) -> tuple[bool, bool]:
    """Whether the counter's reps (full or partial) run up to the window's start / end: within
    ``EDGE_PERIODS`` rep periods (the median time from one full rep's start to the next's; at
    least ``EDGE_S``) of it, so the movement may have gone on past the window there - a tracker
    started mid-rep does not count that rep, nor one cut off at the window's end. One period
    was too tight: a window that opens just after a rep starts finds its first full rep only
    from the next start, 1.1 periods in (side-on raises, eval_tune6, 3 of 6 counted)."""
    if not seg.reps:
        return False, False
    starts = sorted(r.start_s for r in seg.reps)
    period = float(np.median(np.diff(starts))) if len(starts) > 1 else seg.reps[0].end_s - seg.reps[0].start_s
    near = max(EDGE_S, EDGE_PERIODS * period)
    reps = list(seg.reps) + list(seg.partial)
    return (min(r.start_s for r in reps) - seg.start_s <= near,
            seg.end_s - max(r.end_s for r in reps) <= near)


def grow_window(seg: SegmentResult, track: Callable[[float, float], SegmentResult], lo_min: float, hi_max: float
                ) -> SegmentResult:
    """The bout's counter over a window grown (``GROW_S`` at a time, never past ``lo_min`` /
    ``hi_max``) on each side where its reps run into the window's edge, kept when it finds
    more full reps: the classifier names a set a few seconds after it starts, and some
    stretches of a set not at all (a head-on push-up it loses for a while), so a window cut
    from its label alone can start or stop mid-set, and the reps at the cut become partial
    or are lost."""
    best = seg
    while True:
        at_lo, at_hi = reaches_edges(best)
        lo = max(lo_min, best.start_s - GROW_S) if at_lo else best.start_s
        hi = min(hi_max, best.end_s + GROW_S) if at_hi else best.end_s
        if lo >= best.start_s and hi <= best.end_s:
            return best
        wider = track(lo, hi)
        if len(wider.reps) <= len(best.reps):
            return best
        best = wider


def drop_rest_reps(seg: SegmentResult, timeline: Timeline, span: tuple[float, float],
                   t_first: float | None = None) -> SegmentResult:
    """``seg`` without the reps (full or partial) its counter found in the rest around the set:
    a rep whose middle is outside the label span ``span`` (the classifier's own segment) and
    during which the classifier's mean rest probability is at least ``REST_REP_P``. The
    tracking window reaches seconds past the label (``SEGMENT_LEAD_S``, ``grow_window``) so
    that reps the classifier named late or lost are counted (it reads side-on raises it
    loses as rest at 0.3-0.6); but the counters also count rest movement there - arms raised
    overhead in a stretch as a raise, the step into a lunge's start, bending down to pick up
    the dumbbells - which the classifier is sure is rest. Its verdict counts only where it
    recognised the set itself clearly (``REST_REP_SURE``): around a set it is unsure of (a
    head-on push-up, median 0.6-0.8) it also calls the set's own reps rest. The form cues
    given during a dropped rep go with it. Where the label span starts within ``WARM_UP_S`` of
    the clip's first frame ``t_first`` (a clip cut to the set), the reps before it are kept:
    there the classifier's window was still filling, and it reads a set's first second as rest
    (tuning pool clips cut to their reps: the first jumping jack dropped in 7 of 12)."""
    if timeline.probs is None or not seg.reps:
        return seg
    lo, hi = span

    def mid(r: RepInfo) -> float:
        return 0.5 * (r.start_s + r.end_s)

    inside = [timeline.mean_probs(r.start_s, r.end_s).get(seg.exercise, 0.0) for r in seg.reps if lo <= mid(r) <= hi]
    if not inside or float(np.median(inside)) < REST_REP_SURE:
        return seg

    warm_up = t_first is not None and lo - t_first <= WARM_UP_S

    def keep(r: RepInfo) -> bool:
        return (lo <= mid(r) <= hi or warm_up and mid(r) < lo
                or timeline.mean_probs(r.start_s, r.end_s).get("rest", 0.0) < REST_REP_P)

    dropped = [r for r in list(seg.reps) + list(seg.partial) if not keep(r)]
    if not dropped:
        return seg
    return replace(seg, reps=[replace(r, index=i + 1) for i, r in enumerate(r for r in seg.reps if keep(r))],
                   partial=[r for r in seg.partial if keep(r)],
                   cues=[c for c in seg.cues if not any(r.start_s <= c.t_s <= r.end_s for r in dropped)])


def join_picked(segments: list[SegmentResult], track: Callable[[str, float, float], SegmentResult],
                timeline: Timeline, t_first: float) -> list[SegmentResult]:
    """Neighbouring bouts that the pick (``pick_exercise``) gave the same exercise, their label
    spans under ``SAME_GAP_S`` apart, counted as one set over both windows (``track(name, lo, hi)``)
    where that counts at least as many full reps as the two did: before the pick they were two
    exercises' bouts (side-on raises read as raises, then as curls), and a rep running across the
    edge between their windows was seen whole by neither counter (fresh6 raises side_0: 5 of 6).
    Bouts the classifier already named alike were joined before counting (``merge_segments``)."""
    out: list[SegmentResult] = []
    for seg in segments:
        prev = out[-1] if out else None
        if (prev is not None and prev.exercise == seg.exercise and prev.label_span and seg.label_span
                and seg.label_span[0] - prev.label_span[1] < SAME_GAP_S and seg.start_s - prev.end_s < 1e-6):
            both = track(seg.exercise, prev.start_s, seg.end_s)
            span = (prev.label_span[0], seg.label_span[1])
            both = drop_rest_reps(both, timeline, span, t_first)
            if len(both.reps) >= len(prev.reps) + len(seg.reps):
                w = prev.end_s - prev.start_s, seg.end_s - seg.start_s
                both.confidence = (prev.confidence * w[0] + seg.confidence * w[1]) / max(sum(w), 1e-9)
                both.label_span = span
                out[-1] = both
                continue
        out.append(seg)
    return out


def clean_reps(seg: SegmentResult) -> int:
    """Full reps in which none of the exercise's form rules fired."""
    return sum(1 for r in seg.reps if not r.issues)


def split_reps_of(label: SegmentResult, cand: SegmentResult) -> int:
    """How many of ``cand``'s full reps are a second (third...) rep inside one of the label's
    full reps (by their middles): a counter that reads one movement's two phases as two reps."""
    mids = [0.5 * (r.start_s + r.end_s) for r in cand.reps]
    return sum(max(0, sum(1 for m in mids if r.start_s <= m <= r.end_s) - 1) for r in label.reps)


def preference(probs: dict[str, float] | None, label: str, cand: str) -> float:
    """How strongly the classifier prefers the label to a runner-up over the bout: log10 of
    the ratio of their mean probabilities (floored at 0.001; 0 without probabilities)."""
    if not probs:
        return 0.0
    return math.log10(max(probs.get(label, 0.0), 1e-3) / max(probs.get(cand, 0.0), 1e-3))


def runner_up_names(label: SegmentResult, probs: dict[str, float]) -> list[str]:
    """The exercises whose counters are tried on a bout besides its label's: those the classifier
    gives at least ``CANDIDATE_MIN_P`` over the bout - or all of them when the label's own
    counter read the movement as that exercise done badly rep after rep (at most
    ``DOUBT_CLEAN`` of its full reps clean), the sign of a counter on the wrong exercise (see
    ``pick_exercise``). Side-on lateral raises the classifier calls curls can leave the raises
    under 0.01; ``pick_exercise``'s margins, which grow as the classifier rules a runner-up
    out, still decide. Names other than exercises (rest) are left out by the caller's catalogue."""
    doubt = bool(label.reps) and clean_reps(label) <= DOUBT_CLEAN * len(label.reps)
    return [n for n, p in probs.items() if (p >= CANDIDATE_MIN_P or doubt) and n != label.exercise]


def pick_exercise(label: SegmentResult, runners_up: list[SegmentResult],
                  probs: dict[str, float] | None = None) -> SegmentResult:
    """The bout's counted result: the classifier's label, unless a runner-up's counter finds
    clearly more full reps (``CANDIDATE_MORE``) with no more partial ones - a counter of
    the wrong exercise sees only part of the movement and misses reps (a curl counter on
    side-on lateral raises, which the classifier reads as curls), while one that counts
    noise also leaves partial reps. When the classifier is torn (the runner-up's mean
    probability ``probs`` >= ``CANDIDATE_TORN_P``), one more full rep is enough: the
    classifier no longer tells them apart, so the counter that sees more reps decides
    (six tuning sets: the runner-ups with one more rep were right at p 0.17 and 0.43,
    wrong at p <= 0.104).

    The form rules are evidence too: a counter of the wrong exercise reads the movement as
    that exercise done badly, so its rules fire on most reps (the curl counter on side-on
    raises: elbows drift up; a sit-up counter on push-ups filmed head-on: neck pulled), while
    the right one's reps are mostly clean. So a runner-up with more reps but fewer clean
    ones than the label's does not take the bout, and one with as many full reps (no more
    partial ones) and ``CANDIDATE_CLEAN_MORE`` more clean ones does (eight tuning sets: 3
    side-on raise sets the classifier reads as curls with p(raises) 0.07-0.12, curl counter
    5-7 reps, 1-3 clean, raise counter 6-7 reps, 3-6 clean; and 2 head-on push-up sets that a
    sit-up counter with more reps, 0-2 of them clean, took from the push-up counter's 3-4
    clean reps).

    Both margins grow with the classifier's preference for the label (``preference``): a
    runner-up it all but rules out must show more. Counters of similar movements can both
    count a set cleanly (the raise counter on side-on curls: as many reps, all clean), so
    the classifier's word must count for more the surer it is. And a runner-up that splits
    the label's reps (``split_reps_of``) double counts (a squat counter on rows filmed
    head-on: 13-14 reps, two in most of the 7-8 rows), so it never takes the bout. A long
    shot (mean probability under ``CANDIDATE_LIKELY_P``) takes it only with a majority of
    clean reps: the counters of arm exercises find a few faulty reps in most arm movement
    (jumping-jack and raise counters on side-on triceps extensions: 2-6 reps, 1-3 clean)."""
    best = label
    clean = clean_reps(label)
    # a runner-up that splits more than one of the label's reps in two double counts: its
    # extra reps are not ones the label missed (those fall between the label's reps)
    runners_up = [c for c in runners_up if split_reps_of(label, c) <= CANDIDATE_MAX_SPLITS]
    # a long shot (the classifier all but rules it out) must at least see the exercise done well
    if probs:
        runners_up = [c for c in runners_up if probs.get(c.exercise, 0.0) >= CANDIDATE_LIKELY_P
                      or clean_reps(c) > 0.5 * len(c.reps)]
    for cand in runners_up:
        torn = (probs or {}).get(cand.exercise, 0.0) >= CANDIDATE_TORN_P
        more = max(1.0, CANDIDATE_MORE * len(label.reps)) * max(1.0, preference(probs, label.exercise, cand.exercise))
        need = len(label.reps) + (1.0 if torn else more)
        # of two runner-ups with as many reps the one whose reps are cleaner (the other reads the movement done badly)
        if (len(cand.reps) >= need and len(cand.partial) <= len(label.partial)
                and (len(cand.reps), clean_reps(cand)) > (len(best.reps), clean_reps(best)) and clean_reps(cand) >= clean):
            best = cand
    if best is label:
        for cand in runners_up:
            margin = CANDIDATE_CLEAN_MORE * max(1.0, preference(probs, label.exercise, cand.exercise))
            if (len(cand.reps) >= len(label.reps) and len(cand.partial) <= len(label.partial)
                    and clean_reps(cand) >= clean + margin and clean_reps(cand) > clean_reps(best)):
                best = cand
    return best


def pick_seen(seen: list[SegmentResult], probs: dict[str, float] | None) -> SegmentResult | None:
    """A bout whose label's counter found no rep and could not see the body parts it needs
    (out of the picture in ``UNSEEN_SHARE`` of the bout's frames with a person):
    the counted result among the exercises that could be seen (``seen``, each counted over the
    bout), or None. A phone propped close films curls or tricep extensions head to hips, and
    the classifier, trained on whole bodies, can read that as sit-ups (0.5-0.6) - whose
    counter sees no legs and counts nothing whatever the arms do. The likeliest seen exercise
    (mean probability >= ``CANDIDATE_LIKELY_P``) is taken as the label and the others are its
    runner-ups (``pick_exercise``). When the classifier gives every seen exercise less than
    that, it has nothing to say among them, and the counter seeing the most clean reps
    decides (then more full reps, fewer partial ones, the probability), if most of its reps
    are clean: a counter of the wrong exercise reads the movement as that exercise done badly."""
    probs = probs or {}
    likely = [c for c in seen if probs.get(c.exercise, 0.0) >= CANDIDATE_LIKELY_P]
    if likely:
        top = max(likely, key=lambda c: probs.get(c.exercise, 0.0))
        return pick_exercise(top, [c for c in seen if c is not top], probs)
    shown = [c for c in seen if c.reps and clean_reps(c) > 0.5 * len(c.reps)]
    if not shown:
        return None
    return max(shown, key=lambda c: (clean_reps(c), len(c.reps), -len(c.partial), probs.get(c.exercise, 0.0)))


@dataclass
class Bout:
    """A bout's counted result (see ``pick_exercise``) and the most full reps its label's
    counter or a likely runner-up's (mean probability >= ``CANDIDATE_LIKELY_P``) found: 0
    means none saw a set there (a long shot's reps are no sign of a set of its own)."""

    result: SegmentResult
    most_reps: int
    rest_like: bool = False   # the classifier barely preferred the label to rest (see EMPTY_REST_RATIO)
    short: bool = False       # shorter than EMPTY_SHORT_S, its runner-ups' counters tried (the classifier's
                              # probabilities known)

    @property
    def is_rest(self) -> bool:
        """No counter saw a rep, and the classifier was nearly as sure it was rest, or the bout
        is ``short`` and its counter did not see even a partial rep: a person stretching or
        fidgeting, which a segment with 0 reps would report as an exercise."""
        return (self.most_reps == 0 and not self.result.reps
                and (self.rest_like or (self.short and not self.result.partial)))


def absorb_empty(raw: list[tuple[str, float, float, float]],
                 count: Callable[[list[tuple[str, float, float, float]], int], Bout | None],
                 max_gap_s: float = ABSORB_GAP_S) -> list[Bout | None]:
    """Count each bout (``count(bouts, k)``), then give a bout in which no counter finds a
    single full rep to its nearest neighbour (at most ``max_gap_s`` away) that has reps, and
    count that one again over both: the classifier naming a few seconds of a set as another
    exercise (the first reps of side-on raises as jumping jacks) is not a set of its own,
    and its reps belong to the set beside it - a fresh tracker on the neighbour alone starts
    mid-set or stops early and loses them. A bout with reps is never absorbed, so two sets
    stay two; an empty bout with no neighbour that has reps stays as it is (0 reps), unless
    the classifier barely told it from rest (``Bout.is_rest``: then the caller drops it)."""
    bouts = sorted(raw, key=lambda s: s[1])
    done = [count(bouts, k) for k in range(len(bouts))]
    while True:
        best: tuple[float, int, int] | None = None
        for k, b in enumerate(done):
            if b is None or b.most_reps > 0:
                continue
            for j in (k - 1, k + 1):
                if not 0 <= j < len(bouts) or done[j] is None or not (done[j].most_reps or done[j].result.reps):
                    continue
                gap = bouts[k][1] - bouts[j][2] if j < k else bouts[j][1] - bouts[k][2]
                if gap <= max_gap_s and (best is None or gap < best[0]):
                    best = (gap, k, j)
        if best is None:
            return done
        _, k, j = best
        a, b = min(j, k), max(j, k)
        bouts[a:b + 1] = [(bouts[j][0], bouts[a][1], max(bouts[a][2], bouts[b][2]), bouts[j][3])]
        del done[b]
        for i in range(max(a - 1, 0), min(a + 2, len(bouts))):   # the neighbours' windows moved too
            done[i] = count(bouts, i)


def hidden_sets(spans: list[tuple[float, float]], timeline: Timeline, t_first: float, t_last: float,
                reps_of: Callable[[str, float, float], SegmentResult], names: set[str]) -> list[SegmentResult]:
    """Sets the classifier took for rest: in each stretch of the clip outside the counted bouts'
    windows ``spans``, at least ``HIDDEN_SET_S`` long, the counters (``reps_of(name, start, end)``)
    of the ``HIDDEN_SET_TRIED`` exercises (of ``names``) the classifier gives most there, if not
    long shots (``CANDIDATE_LIKELY_P``: in people standing, walking or stretching every exercise
    reads under 0.02, so a rest costs no tracking); one that finds ``HIDDEN_SET_REPS`` full reps or
    more, more than ``DOUBT_CLEAN`` of them clean, over which the classifier gave its exercise
    ``HIDDEN_SET_P`` or more, is a set (its label span: those reps). Counters count nothing in
    people standing, walking or stretching (every check grid's rest clips, each exercise named: 0
    reps), so their word outweighs a classifier torn between rest and the exercise (side-on
    jumping jacks filmed from below: over the set rest 0.40, jacks 0.34, the whole clip called
    rest; the jack counter counts 8 of 8). Outside the windows, not between the classifier's
    labels: a bout's window reaches past its label to the set's last reps."""
    gaps, lo = [], t_first
    for a, b in sorted(spans):   # the stretches outside every window (windows may overlap or nest)
        gaps.append((lo, a))
        lo = max(lo, b)
    gaps.append((lo, t_last))
    found = []
    for lo, hi in gaps:
        if hi - lo < HIDDEN_SET_S:
            continue
        probs = timeline.mean_probs(lo, hi)
        tried = [n for n, q in sorted(probs.items(), key=lambda kv: -kv[1])
                 if n in names and q >= CANDIDATE_LIKELY_P][:HIDDEN_SET_TRIED]
        for name in tried:
            seg = reps_of(name, lo, hi)
            if len(seg.reps) < HIDDEN_SET_REPS or clean_reps(seg) <= DOUBT_CLEAN * len(seg.reps):
                continue
            span = (seg.reps[0].start_s, seg.reps[-1].end_s)
            p = timeline.mean_probs(*span).get(name, 0.0)
            if p >= HIDDEN_SET_P:
                seg.label_span, seg.confidence = span, p
                found.append(seg)
                break
    return found


def analyze_poses(poses: Poses, exercise: str | None = None, catalogue: Catalogue | None = None,
                  segmenter: Segmenter | None = None, record: bool = False) -> AnalysisResult:
    """Count and check a clip's poses: given mode with ``exercise``, else auto mode."""
    cat = catalogue or load_catalogue()
    times = poses.times
    t_first = times[0] if times else 0.0
    t_last = times[-1] if times else 0.0
    t0 = time.perf_counter()
    if exercise is not None:
        spec = cat.get(exercise)
        segments = [track_segment(spec, poses.skeletons, times, t_first, t_last, 1.0, record)]
        mode = "given"
    else:
        timeline = (segmenter or default_segmenter)(poses.skeletons, times)
        if not isinstance(timeline, Timeline):
            timeline = Timeline(list(timeline))
        raw = merge_segments(join_bouts(merge_segments(timeline.segments)))
        clip = ClipFrames(poses.skeletons, times)   # one smoothing pass per window start, for every tracker

        def one_set(bouts: list[tuple[str, float, float, float]], k: int) -> bool:
            # a pause of 1-4 s between two labels: both labels' counters over both bouts
            lo, hi = _window(bouts, k, t_first, t_last)[0], _window(bouts, k + 1, t_first, t_last)[1]
            split = 0.5 * (bouts[k][2] + bouts[k + 1][1])
            specs = [cat.find(bouts[k][0]), cat.find(bouts[k + 1][0])]
            if specs[0] is None or specs[1] is None:
                return False
            a, b = (track_segment(sp, poses.skeletons, times, lo, hi, clip=clip).reps for sp in specs)
            return one_set_across(a, b, split)

        raw = merge_segments(join_guarded(raw, one_set))

        def continues(bouts: list[tuple[str, float, float, float]], k: int) -> bool:
            # a hole of more than GUARD_GAP_S in the labels: each label's counter over both bouts
            if distinct_sets(bouts[k], bouts[k + 1]):
                return False
            lo, hi = _window(bouts, k, t_first, t_last)[0], _window(bouts, k + 1, t_first, t_last)[1]
            for name in dict.fromkeys((bouts[k][0], bouts[k + 1][0])):
                spec = cat.find(name)
                if spec is None:
                    continue
                reps = track_segment(spec, poses.skeletons, times, lo, hi, clip=clip).reps
                if continues_across(reps, bouts[k][2], bouts[k + 1][1]):
                    return True
            return False

        raw = merge_segments(join_continuous(raw, continues))

        def count(bouts: list[tuple[str, float, float, float]], k: int) -> Bout | None:
            # bout k: its label's counter and its runner-ups' over its window; the pick
            name, start, end, conf = bouts[k]
            spec = cat.find(name)
            if spec is None:
                return None
            lo, hi = _window(bouts, k, t_first, t_last)
            seg = track_segment(spec, poses.skeletons, times, lo, hi, conf, record, clip)
            probs = timeline.mean_probs(start, end)
            others = []
            if not seg.reps and unseen_share(poses.skeletons, times, start, end, spec.required) >= UNSEEN_SHARE:
                # the label's counter could not see the body: every exercise that could be seen (if
                # none could - push-ups filmed head-on hide the arms too - the runner-ups as usual)
                others = [o for o in cat if o.name != spec.name
                          and unseen_share(poses.skeletons, times, start, end, o.required) < UNSEEN_SHARE]
            unseen = bool(others)
            if not unseen:
                others = [cat.find(n) for n in runner_up_names(seg, probs)]
            tried = [seg] + [track_segment(o, poses.skeletons, times, lo, hi, conf, record, clip)
                             for o in others if o is not None]
            seg = (pick_seen(tried[1:], probs) or seg) if unseen else pick_exercise(seg, tried[1:], probs)
            picked = cat.get(seg.exercise)
            seg = grow_window(seg, lambda a, b: track_segment(picked, poses.skeletons, times, a, b, conf, record, clip),
                              *_bounds(bouts, k, t_first, t_last))
            seg = drop_rest_reps(seg, timeline, (start, end), t_first)
            seg.label_span = (start, end)
            rest_like = bool(probs) and probs.get(name, 0.0) < EMPTY_REST_RATIO * probs.get("rest", 0.0)
            short = bool(probs) and end - start < EMPTY_SHORT_S
            # a set is seen only by the label's counter or a likely runner-up's, not a long shot's
            likely = [r for r in tried if r is tried[0] or probs.get(r.exercise, 0.0) >= CANDIDATE_LIKELY_P]
            most = max(len(r.reps) for r in likely)
            if unseen or any(r.exercise == seg.exercise for r in likely):
                most = max(most, len(seg.reps))
            return Bout(seg, most, rest_like, short)

        def track_named(name: str, lo: float, hi: float) -> SegmentResult:
            return track_segment(cat.get(name), poses.skeletons, times, lo, hi, 1.0, record, clip)

        segments = [b.result for b in absorb_empty(raw, count) if b is not None and not b.is_rest]
        segments = join_picked(segments, track_named, timeline, t_first)
        segments += hidden_sets([(g.start_s, g.end_s) for g in segments], timeline, t_first, t_last, track_named,
                                set(cat.names()))
        segments.sort(key=lambda g: g.start_s)
        mode = "auto"
    spent = time.perf_counter() - t0
    return AnalysisResult(video=poses.source, fps=poses.fps, frames=len(poses.skeletons),
                          pose_detected_ratio=poses.detected_ratio, segments=segments, mode=mode,
                          tracker_seconds=spent, pose_seconds=poses.pose_seconds)
