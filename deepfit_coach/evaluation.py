"""Measure counting, form checking and recognition against synth truth files and hand counts.

For every ``VIDEO`` with a ``VIDEO.truth.json`` (schema ``deepfit-synth-truth/1``), or with
rows in the folder's ``counts.csv`` (``hand_counts``: real videos a person counted), the
poses are computed once, then analysed in given mode (each truth set's exercise named)
and in auto mode (the classifier decides). Per exercise:

* MAE = mean |pred - truth| / truth over sets, OBO = share of sets within +-1,
  exact = share of sets counted exactly (given and auto mode);
* fault recall = share of faulty truth reps whose matched rep carries the fault: the counted
  rep overlapping it most, else a partial rep (a rep too short to count is still judged and
  cued - "go all the way"); false alarms per clean rep = issues on the counted or partial
  reps matched to fault-free truth reps;
  judged recall = the same over the faulty reps whose rule could judge the view (a rule's
  ``judge_if``, e.g. a knee past the toes is only seen side-on): counted reps that list
  the fault as unjudged leave the denominator, uncounted reps stay in it as misses;
  advised-view recall = fault recall over the sets filmed from the exercise's own ``view``
  (the one the coach's camera advice asks for: what a user who follows it gets);
* classification accuracy = share of the set's frames the auto timeline labels right.

Rest-only clips check that nothing is counted: every catalogue exercise in given mode,
and auto mode.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from deepfit_coach.analysis import Segmenter, analyze_poses, load_poses, track_segment
from deepfit_coach.errors import SourceError, UserError, warn
from deepfit_coach.exercises.catalogue import BUILTIN_NAMES, Catalogue, load_catalogue
from deepfit_coach.hand_counts import COUNTS_FILE, ROTATE_COLUMN, HandTruth, read_counts
from deepfit_coach.rotation import upright
from deepfit_coach.yamlfile import did_you_mean

VIDEO_EXTS = (".mp4", ".avi", ".mov", ".mkv", ".webm")
SET_PAD_S = 2.0
AUTO_SET_MARGIN_S = 1.0   # an auto-mode rep belongs to a truth set when its middle lies within it, this much either side


@dataclass
class SetOutcome:
    video: str
    exercise: str
    truth: int
    given: int
    auto: int | None
    accuracy: float | None = None      # auto-mode frame labels within the set
    faults_total: dict[str, int] = field(default_factory=dict)
    faults_found: dict[str, int] = field(default_factory=dict)
    faults_unjudged: dict[str, int] = field(default_factory=dict)   # counted, but the view hid it
    faults_uncounted: dict[str, int] = field(default_factory=dict)  # the counter missed the rep
    clean_reps: int = 0
    false_alarms: int = 0
    view: str | None = None             # the truth's camera view (front, side, 45, ...)
    advised_view: bool | None = None    # filmed from the view the exercise's camera advice asks for


@dataclass
class ExerciseStats:
    exercise: str
    sets: int = 0
    truth_reps: int = 0
    given_mae: float = math.nan
    given_obo: float = math.nan
    given_exact: float = math.nan
    auto_mae: float = math.nan
    auto_obo: float = math.nan
    auto_exact: float = math.nan
    fault_recall: float = math.nan
    faults: int = 0
    false_alarms_per_clean_rep: float = math.nan
    clean_reps: int = 0
    classification_accuracy: float = math.nan
    recall_by_fault: dict[str, float] = field(default_factory=dict)
    judged_faults: int = 0
    judged_recall: float = math.nan
    judged_recall_by_fault: dict[str, float] = field(default_factory=dict)
    advised_faults: int = 0
    advised_recall: float = math.nan

    def to_json(self) -> dict:
        def r(x):
            return None if isinstance(x, float) and math.isnan(x) else (round(x, 4) if isinstance(x, float) else x)
        return {k: (r(v) if not isinstance(v, dict) else {a: r(b) for a, b in v.items()})
                for k, v in self.__dict__.items()}


@dataclass
class EvalReport:
    per_exercise: dict[str, ExerciseStats]
    sets: list[SetOutcome]
    rest_clips: int = 0
    rest_false_reps_given: int = 0
    rest_false_reps_auto: int | None = 0
    confusion: np.ndarray | None = None
    labels: list[str] = field(default_factory=list)
    auto_available: bool = True
    pose_seconds: float = 0.0
    tracker_seconds: float = 0.0
    frames: int = 0
    skipped: list[str] = field(default_factory=list)   # clips that could not be read (said as they were)

    @property
    def overhead_ratio(self) -> float:
        return self.tracker_seconds / self.pose_seconds if self.pose_seconds else math.nan

    def overall(self) -> ExerciseStats:
        return exercise_stats("all", self.sets)

    def to_json(self) -> dict:
        return {"exercises": {k: v.to_json() for k, v in self.per_exercise.items()},
                "overall": self.overall().to_json(),
                "rest_clips": self.rest_clips, "rest_false_reps_given": self.rest_false_reps_given,
                "rest_false_reps_auto": self.rest_false_reps_auto, "auto_available": self.auto_available,
                "labels": self.labels,
                "confusion": self.confusion.astype(int).tolist() if self.confusion is not None else None,
                "frames": self.frames, "pose_seconds": round(self.pose_seconds, 3),
                "tracker_seconds": round(self.tracker_seconds, 3),
                "overhead_ratio": None if math.isnan(self.overhead_ratio) else round(self.overhead_ratio, 4),
                "sets": [s.__dict__ for s in self.sets], "skipped": list(self.skipped)}


def in_advised_view(advised: tuple[str, ...], view: str) -> bool:
    """Whether a clip filmed from ``view`` is in one of an exercise's advised ``views`` (``any``: every one)."""
    return "any" in advised or view in advised


def find_videos(directory: str | Path, hand: dict[str, HandTruth] | None = None
                ) -> list[tuple[Path, Path | HandTruth]]:
    """(video, truth) pairs in a directory, sorted by name: the truth file beside a video, else
    its rows in the folder's counts.csv (``hand``, from ``hand_counts.read_counts``)."""
    from deepfit_coach.synth.truth import truth_path

    d = Path(directory)
    if not d.is_dir():
        raise UserError(f"{directory}: not a directory", exit_code=2)
    hand = hand or {}
    out, bare = [], []
    for v in sorted(d.iterdir()):
        if v.suffix.lower() in VIDEO_EXTS:
            (out if truth_path(v).is_file() or v.name in hand else bare).append(v)
    paired = {truth_path(v) for v in out}
    lone = [t for t in sorted(d.glob("*.truth.json")) if t not in paired]
    # what is left out is said (it was skipped without a word, exit 0)
    if bare:
        warn(f"skipped {_names(bare)}: no truth file beside {'it' if len(bare) == 1 else 'them'} "
             f"(the truth of {bare[0].name} is {truth_path(bare[0]).name}) and no row in {COUNTS_FILE}")
    if lone:
        warn(f"skipped {_names(lone)}: no video of {'that' if len(lone) == 1 else 'those'} name"
             f"{'' if len(lone) == 1 else 's'} beside {'it' if len(lone) == 1 else 'them'}")
    names = {v.name for v in out}
    for video, truth in hand.items():
        if video not in names:
            warn(f"{truth.source}: no video {video} in {directory}{did_you_mean(video, names)}")
        elif truth_path(d / video).is_file():
            warn(f"{truth.source}: {video} has a truth file ({truth_path(d / video).name}): that is measured, "
                 f"not its rows in {COUNTS_FILE}")
    # folders of clips (a pose cache folder beside them is no such)
    if folders := [f for f in sorted(d.iterdir()) if f.is_dir() and any(
            v.suffix.lower() in VIDEO_EXTS for v in f.iterdir())]:
        warn(f"not searched: {_names(folders)} (eval reads the clips of one folder)")
    if not out:
        raise UserError(f"{directory}: no videos with a .truth.json beside them or a row in {COUNTS_FILE} "
                        "(make some with `deepfit-coach synth EXERCISE -o DIR/clip.mp4`, or count your own: "
                        "see `deepfit-coach eval --help`)", exit_code=2)
    return [(v, truth_path(v) if truth_path(v).is_file() else hand[v.name]) for v in out]


def _names(paths: list[Path], most: int = 5) -> str:
    names = [p.name + ("/" if p.is_dir() else "") for p in paths[:most]]
    return ", ".join(names) + (f" and {len(paths) - most} more" if len(paths) > most else "")


def load_truth(path: Path):
    """A clip's truth file, or one line saying it is not one (a traceback came after the clips before it)."""
    from deepfit_coach.synth.truth import Truth

    try:
        return Truth.load(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        why = f"no '{exc.args[0]}'" if isinstance(exc, KeyError) else str(exc).removeprefix(f"{path}: ")
        raise UserError(f"{path}: not a truth file eval can read ({why}); eval reads the truth files "
                        "`deepfit-coach synth` writes beside its clips", exit_code=1) from None


def in_set(rep, start_s: float, end_s: float) -> bool:
    """Does a counted rep (auto mode: counted wherever its segment lies) belong to the truth set
    spanning start_s..end_s? Its middle within the set, ``AUTO_SET_MARGIN_S`` either side."""
    return start_s - AUTO_SET_MARGIN_S <= 0.5 * (rep.start_s + rep.end_s) <= end_s + AUTO_SET_MARGIN_S


def set_window(sets: list[dict], k: int, fps: float, t_end: float) -> tuple[float, float]:
    """The span (s) the counter sees for truth set ``k`` (``span_window``)."""
    return span_window([(st["start_frame"] / fps, st["end_frame"] / fps) for st in sets], k, t_end)


def span_window(spans: list[tuple[float, float]], k: int, t_end: float) -> tuple[float, float]:
    """The span (s) the counter sees for the set spanning ``spans[k]``: padded by SET_PAD_S, never
    into a neighbouring set, from the clip's start for the first set and to its end for the last."""
    lo = 0.0 if k == 0 else max(spans[k][0] - SET_PAD_S, spans[k - 1][1])
    hi = t_end if k == len(spans) - 1 else min(spans[k][1] + SET_PAD_S, spans[k + 1][0])
    return lo, hi


def _match(pred, truth_reps, fps: float) -> list[tuple[object, object | None]]:
    """Each truth rep -> the counted rep overlapping it most (each counted rep used once)."""
    used: set[int] = set()
    out = []
    for tr in truth_reps:
        a, b = tr.start_frame / fps, (tr.end_frame + 1) / fps
        best, best_ov = None, 0.0
        for k, p in enumerate(pred):
            if k in used:
                continue
            ov = min(b, p.end_s) - max(a, p.start_s)
            if ov > best_ov:
                best, best_ov = k, ov
        if best is not None:
            used.add(best)
        out.append((tr, pred[best] if best is not None else None))
    return out


def match_reps(reps, partials, truth_reps, fps: float) -> list[tuple[object, object | None]]:
    """Each truth rep -> its counted rep, else the partial rep overlapping it most.

    A truth rep the counter kept as a partial rep (too short a range to count) was still
    seen: a fault found on it was cued live (the form rules judge partial reps too), and a
    fault on a clean rep's partial is a false alarm. Counted reps are matched first."""
    pairs = _match(reps, truth_reps, fps)
    left = [tr for tr, pr in pairs if pr is None]
    if not left or not partials:
        return pairs
    second = {id(tr): pr for tr, pr in _match(partials, left, fps)}
    return [(tr, pr if pr is not None else second.get(id(tr))) for tr, pr in pairs]


def judge_set(out: SetOutcome, pairs: list[tuple[object, object | None]]) -> SetOutcome:
    """``out`` with its form figures from the set's (truth rep, counted rep or None) pairs
    (``match_reps``): each fault found, hidden by the view (unjudged) or on a rep the counter
    did not count; the clean reps and the issues cued on them (false alarms)."""
    for tr, pr in pairs:
        if tr.faults:
            for f in tr.faults:
                out.faults_total[f] = out.faults_total.get(f, 0) + 1
                if pr is not None and f in pr.issues:
                    out.faults_found[f] = out.faults_found.get(f, 0) + 1
                elif pr is not None and not pr.partial and f in pr.unjudged:
                    out.faults_unjudged[f] = out.faults_unjudged.get(f, 0) + 1
                elif pr is None or pr.partial:
                    out.faults_uncounted[f] = out.faults_uncounted.get(f, 0) + 1
        else:
            out.clean_reps += 1
            if pr is not None:
                out.false_alarms += len(pr.issues)
    return out


def exercise_stats(name: str, sets: list[SetOutcome]) -> ExerciseStats:
    """Counting, form and classification figures over ``sets`` (one exercise, or all)."""
    s = ExerciseStats(name, sets=len(sets), truth_reps=sum(x.truth for x in sets))
    if not sets:
        return s
    truth = np.array([x.truth for x in sets], float)
    given = np.array([x.given for x in sets], float)
    s.given_mae = float(np.mean(np.abs(given - truth) / np.maximum(truth, 1)))
    s.given_obo = float(np.mean(np.abs(given - truth) <= 1))
    s.given_exact = float(np.mean(given == truth))
    autos = [x for x in sets if x.auto is not None]
    if autos:
        ta = np.array([x.truth for x in autos], float)
        pa = np.array([x.auto for x in autos], float)
        s.auto_mae = float(np.mean(np.abs(pa - ta) / np.maximum(ta, 1)))
        s.auto_obo = float(np.mean(np.abs(pa - ta) <= 1))
        s.auto_exact = float(np.mean(pa == ta))
    accs = [x.accuracy for x in sets if x.accuracy is not None]
    if accs:
        s.classification_accuracy = float(np.mean(accs))
    total: dict[str, int] = {}
    found: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for x in sets:
        for f, n in x.faults_unjudged.items():
            hidden[f] = hidden.get(f, 0) + n
        for f, n in x.faults_total.items():
            total[f] = total.get(f, 0) + n
        for f, n in x.faults_found.items():
            found[f] = found.get(f, 0) + n
    s.faults = sum(total.values())
    if s.faults:
        s.fault_recall = sum(found.values()) / s.faults
        s.recall_by_fault = {f: found.get(f, 0) / n for f, n in sorted(total.items())}
        judged = {f: n - hidden.get(f, 0) for f, n in total.items()}
        s.judged_faults = sum(judged.values())
        if s.judged_faults:
            s.judged_recall = sum(found.values()) / s.judged_faults
        s.judged_recall_by_fault = {f: found.get(f, 0) / n for f, n in sorted(judged.items()) if n}
    advised = [x for x in sets if x.advised_view]
    s.advised_faults = sum(sum(x.faults_total.values()) for x in advised)
    if s.advised_faults:
        s.advised_recall = sum(sum(x.faults_found.values()) for x in advised) / s.advised_faults
    s.clean_reps = sum(x.clean_reps for x in sets)
    if s.clean_reps:
        s.false_alarms_per_clean_rep = sum(x.false_alarms for x in sets) / s.clean_reps
    return s


def _counted(report: EvalReport, spec, poses, lo: float, hi: float, share: float = 1.0):
    """The given-mode count of ``spec`` between ``lo`` and ``hi`` (s), its time in the report's
    tracker seconds (``share`` of it: one of several exercises tried on a rest clip)."""
    t0 = time.perf_counter()
    seg = track_segment(spec, poses.skeletons, poses.times, lo, hi)
    report.tracker_seconds += (time.perf_counter() - t0) * share
    return seg


def _rest_clip(report: EvalReport, cat: Catalogue, poses, auto_res) -> None:
    """A clip of nobody exercising: every exercise's given-mode count and the auto count are false reps."""
    report.rest_clips += 1
    t_end = poses.times[-1] if poses.times else 0.0
    for name in cat.names():
        report.rest_false_reps_given += len(_counted(report, cat.get(name), poses, 0.0, t_end,
                                                     1 / max(len(cat.names()), 1)).reps)
    if auto_res is not None:
        report.rest_false_reps_auto = (report.rest_false_reps_auto or 0) + auto_res.total_reps


def _say_sideways(video: str, truth: HandTruth, spec, poses) -> None:
    """A hand-counted set read as nothing, the person lying in the picture: a video stored sideways (a
    phone's) counted 0 without a word; say the turn that counts it, and the column that applies it."""
    from deepfit_coach.rotation import sideways_turn

    def count(turned) -> tuple[int, str | None, float]:
        t_end = turned.times[-1] if turned.times else 0.0
        return len(track_segment(spec, turned.skeletons, turned.times, 0.0, t_end).reps), spec.name, 1.0

    if found := sideways_turn(poses, 0, count):
        turns, n, _ = found
        warn(f"{truth.source}: {video}: nothing counted as stored, but turned {90 * turns} degrees clockwise it counts "
             f"{n} {spec.name.replace('_', ' ')}: it may be stored sideways; a '{ROTATE_COLUMN}' column of "
             f"{90 * turns} in {COUNTS_FILE} turns it")


def _hand_outcomes(video: str, truth: HandTruth, cat: Catalogue, poses, auto_res,
                   report: EvalReport) -> list[SetOutcome]:
    """The sets of a hand-counted video: given- and auto-mode counts against the person's count;
    recognition over the set's span when it is timed, else whether auto mode named the exercise
    (the main one of a one-exercise video). No faults were labelled: no form figures."""
    if not truth.sets:
        _rest_clip(report, cat, poses, auto_res)
        return []
    t_end = poses.times[-1] if poses.times else 0.0
    sets = truth.merged()
    for hs in sets:
        if hs.timed and hs.end_s > t_end + 1.0:
            warn(f"{COUNTS_FILE}:{hs.line}: the set ends at {hs.end_s:g} s, after the video does ({t_end:.1f} s): "
                 f"its time is measured as far as the video goes")
    spans = [(s.start_s, s.end_s) for s in sets] if truth.timed else []
    out = []
    for k, hs in enumerate(sets):
        spec = cat.get(hs.exercise)
        lo, hi = span_window(spans, k, t_end) if truth.timed else (0.0, t_end)
        o = SetOutcome(video, spec.name, hs.reps, len(_counted(report, spec, poses, lo, hi).reps), None)
        if o.given == 0 and hs.reps > 0 and truth.rotate is None:
            _say_sideways(video, truth, spec, poses)
        if auto_res is not None:
            named = [s for s in auto_res.segments if s.exercise == spec.name]
            if truth.timed:
                o.auto = sum(1 for s in named for r in s.reps if in_set(r, hs.start_s, hs.end_s))
                labelled = [s.label_span or (s.start_s, s.end_s) for s in named]
                inside = [t for t in poses.times if hs.start_s <= t <= hs.end_s]
                o.accuracy = sum(any(a <= t <= b for a, b in labelled) for t in inside) / max(len(inside), 1)
            else:
                o.auto = sum(len(s.reps) for s in named)
                o.accuracy = float(auto_res.exercise == spec.name if len(sets) == 1
                                   else any(s.reps for s in named))
        out.append(o)
    return out


def evaluate(directory: str | Path, catalogue: Catalogue | None = None, auto: bool = True,
             segmenter: Segmenter | None = None, cache_dir: str | Path | None = None,
             model_path: str | Path | None = None, variant: str = "full",
             progress: Callable[[int, int, str], None] | None = None,
             pose_fallback: float | None = None, pose_recover: bool | None = None,
             scan_people: bool = True) -> EvalReport:
    """Evaluate every (video, truth) pair in ``directory`` (``pose_fallback``, ``pose_recover``,
    ``scan_people``, ``model_path``, ``variant``: pose.PoseEstimator's)."""

    cat = catalogue or load_catalogue()
    counts = Path(directory) / COUNTS_FILE
    hand = read_counts(counts, cat) if counts.is_file() else {}
    pairs = find_videos(directory, hand)
    # all read first: a bad one is said before any slow work
    truths = [t if isinstance(t, HandTruth) else load_truth(t) for _, t in pairs]
    labels = list(BUILTIN_NAMES) + ["rest"]
    confusion = np.zeros((len(labels), len(labels)), int)
    outcomes: list[SetOutcome] = []
    report = EvalReport({}, outcomes, labels=labels)
    auto_ok = auto
    for n, (video, tpath) in enumerate(pairs):
        if progress:
            progress(n, len(pairs), video.name)
        truth = truths[n]
        cache = Path(cache_dir) / (video.stem + ".poses.jsonl") if cache_dir else None
        try:
            poses = load_poses(video, model_path=model_path, variant=variant, cache=cache, fallback=pose_fallback,
                               recover=pose_recover, scan_people=scan_people,
                               other_cache="use another --cache directory")
        except SourceError as exc:   # one unreadable clip: the others are still measured, and this one is named
            warn(f"skipped {video.name}: {exc.message}")
            report.skipped.append(video.name)
            continue
        report.pose_seconds += poses.pose_seconds
        report.frames += len(poses.skeletons)
        # as analyze reads it: a video stored upside down turned upright, or as its counts.csv row says
        poses = upright(poses, truth.rotate if isinstance(truth, HandTruth) else None)[0]
        times = poses.times
        t_end = times[-1] if times else 0.0
        auto_res = None
        if auto_ok:
            try:
                auto_res = analyze_poses(poses, None, cat, segmenter=segmenter)
            except UserError:
                auto_ok = False
                report.auto_available = False
        if isinstance(truth, HandTruth):
            outcomes.extend(_hand_outcomes(video.name, truth, cat, poses, auto_res, report))
            continue
        fps = truth.fps
        if not truth.sets:
            _rest_clip(report, cat, poses, auto_res)
        # frame labels of the auto timeline
        if auto_res is not None:
            pred_lab = np.array(["rest"] * truth.frame_count, dtype=object)
            for seg in auto_res.segments:
                # the tracking window is padded: judge recognition on the classifier's own span
                s0, s1 = seg.label_span or (seg.start_s, seg.end_s)
                pred_lab[int(math.ceil(s0 * fps)):int(math.floor(s1 * fps)) + 1] = seg.exercise
            for tl, pl in zip(truth.labels, pred_lab):
                if tl in labels and pl in labels:
                    confusion[labels.index(tl), labels.index(pl)] += 1
        sets = truth.sets
        for k, st in enumerate(sets):
            name = st["exercise"]
            spec = cat.get(name)
            lo, hi = set_window(sets, k, fps, t_end)
            seg = _counted(report, spec, poses, lo, hi)
            t_reps = [r for r in truth.reps if st["start_frame"] <= r.start_frame <= st["end_frame"]]
            view = truth.meta.get("spec", {}).get("view")
            out = judge_set(SetOutcome(str(video.name), name, len(t_reps), len(seg.reps), None, view=view,
                                       advised_view=None if view is None else in_advised_view(spec.views, view)),
                            match_reps(seg.reps, seg.partial, t_reps, fps))
            if auto_res is not None:
                s0, s1 = st["start_frame"] / fps, st["end_frame"] / fps
                out.auto = sum(1 for s in auto_res.segments if s.exercise == name for r in s.reps if in_set(r, s0, s1))
                frames = range(st["start_frame"], st["end_frame"] + 1)
                spans = [s.label_span or (s.start_s, s.end_s) for s in auto_res.segments if s.exercise == name]
                hits = sum(1 for i in frames if any(a <= i / fps <= b for a, b in spans))
                out.accuracy = hits / max(len(frames), 1)
            outcomes.append(out)
    if progress:
        progress(len(pairs), len(pairs), "")
    if len(report.skipped) == len(pairs):
        raise UserError(f"{directory}: none of its {len(pairs)} clip{'s' if len(pairs) != 1 else ''} could be read",
                        exit_code=2)
    if not auto_ok:
        report.rest_false_reps_auto = None
    # frames by truth label come from truth files only (hand counts label sets, not frames)
    report.confusion = confusion if auto_ok and confusion.any() else None
    names = [n for n in BUILTIN_NAMES if any(o.exercise == n for o in outcomes)]
    names += sorted({o.exercise for o in outcomes} - set(names))
    report.per_exercise = {n: exercise_stats(n, [o for o in outcomes if o.exercise == n]) for n in names}
    return report
