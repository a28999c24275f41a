"""``deepfit-coach train``: data -> two models -> selection on val -> held-out report.

Steps (all deterministic in ``seed``): synth joints with MediaPipe-like noise for
training (plus rendered clips through the real pose model, when ``mptrain`` > 0); fit
the per-frame and window MLPs; export .tflite; pick the temporal-decision settings on
the validation split; evaluate on the held-out test split; write the model card numbers,
the confusion matrix and the BENCHMARKS.md section.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.runtime import FRAME_MODEL, MODELS_DIR, WINDOW_MODEL
from deepfit_coach.classifier.window import WINDOW_S
from deepfit_coach.training.clips import Clip, stack_arrays
from deepfit_coach.training.splits import Budget, split_items

TEMPORAL_CONFIG = "exercise_classifier.json"
# The pose model's confidences (detection, presence, tracking) for the rendered clips added to
# training: pinned, whatever the runtime's default (pose.DEFAULT_CONFIDENCE), so that the
# shipped models stay what ``train --seed 0`` gives (made at 0.5) and their cache stays valid.
# Validation and test run at the runtime's default instead: the settings search and the
# held-out report judge the landmarks the product sees.
TRAIN_CONFIDENCE = 0.5


@dataclass
class TrainConfig:
    seed: int = 0
    budget: Budget = field(default_factory=Budget)
    epochs: int = 25
    mp_repeat: int = 8
    members: int = 5    # MLPs per exported model, probabilities averaged (fit.FitConfig.members)
    out_dir: Path = MODELS_DIR
    pose_model: str = ""
    evaluate_test: bool = True
    members_dir: Path | None = None  # also export each ensemble member alone here (m0/, m1/, ...)
    train_confidence: float = TRAIN_CONFIDENCE  # pose-model confidences of the mptrain clips
    eval_confidence: float | None = None  # ... of val and test; None: pose.DEFAULT_CONFIDENCE (the runtime's)
    eval_recover: bool = False  # val and test with the pose recovery (PoseEstimator(recover=True)), for experiments


def split_confidence(split: str, cfg: TrainConfig) -> float:
    """The pose-model confidences a rendered split is made at (see TRAIN_CONFIDENCE)."""
    if split == "mptrain":
        return cfg.train_confidence
    from deepfit_coach import pose

    return pose.DEFAULT_CONFIDENCE if cfg.eval_confidence is None else cfg.eval_confidence


def _bar():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True))


def build_train(cfg: TrainConfig, log) -> list[Clip]:
    from deepfit_coach.training.dataset import synth_clip

    items = split_items("train", cfg.seed, cfg.budget)
    rng = np.random.default_rng(cfg.seed)
    clips: list[Clip] = []
    with _bar() as bar:
        task = bar.add_task("synth training clips", total=len(items))
        for item in items:
            clips += synth_clip(item, rng, cfg.budget.train_copies)
            bar.advance(task)
    log(f"train: {len(clips)} noised joint clips, {sum(len(c.times) for c in clips)} frames")
    return clips


def build_rendered(split: str, cfg: TrainConfig, log) -> list[Clip]:
    from deepfit_coach.training.dataset import rendered_clips

    items = split_items(split, cfg.seed, cfg.budget)
    if not items:
        return []
    with _bar() as bar:
        task = bar.add_task(f"{split}: render + pose model (cached)", total=len(items))
        clips = rendered_clips(items, split, cfg.pose_model, progress=lambda: bar.advance(task),
                               confidence=split_confidence(split, cfg), recover=cfg.eval_recover and split != "mptrain")
    found = sum(int(c.valid.sum()) for c in clips)
    total = sum(len(c.times) for c in clips)
    log(f"{split}: {len(clips)} rendered clips (pose confidence {split_confidence(split, cfg)}), {total} frames, "
        f"person found in {found / max(total, 1):.1%}")
    return clips


def fit_models(train: list[Clip], mptrain: list[Clip], val: list[Clip], cfg: TrainConfig, log) -> tuple[Path, Path]:
    """Fit both models; pose-model clips are repeated ``mp_repeat`` times so that the
    detector's own noise weighs as much as the far more numerous synth joints."""
    from deepfit_coach.training.fit import ONEDNN_ENV, FitConfig, export_tflite, fit_mlp, onednn_enabled

    t0 = time.time()
    tr = stack_arrays(train, window_stride=2)
    if mptrain:
        mp = stack_arrays(mptrain)
        tr = {k: np.concatenate([tr[k]] + [mp[k]] * cfg.mp_repeat) for k in tr}
    va = stack_arrays(val) if val else None
    log(f"arrays: {len(tr['y_frame'])} frames, {len(tr['y_window'])} windows ({time.time() - t0:.0f}s)")
    if onednn_enabled() is False:
        log(f"note: TensorFlow runs without oneDNN ({ONEDNN_ENV}=0 when it was imported): the models "
            "differ in float rounding from ones trained with it (the shipped ones)")
    paths, fitted = [], []
    for kind, name in (("frame", FRAME_MODEL), ("window", WINDOW_MODEL)):
        log(f"fitting the {kind} model")
        model, members = fit_mlp(tr[f"x_{kind}"], tr[f"y_{kind}"], va[f"x_{kind}"] if va else None,
                                 va[f"y_{kind}"] if va else None, FitConfig(epochs=cfg.epochs, seed=cfg.seed,
                                                                         members=cfg.members),
                                 log=lambda m: log("  " + m))
        path = cfg.out_dir / name
        size = export_tflite(model, path)
        log(f"  -> {path} ({size / 1024:.0f} KiB, average of {len(members)} members)")
        paths.append(path)
        fitted.append((name, members))
    # debugging output only after both fits, so that asking for it can never change what is trained
    for name, members in fitted if cfg.members_dir else []:
        for k, member in enumerate(members):
            export_tflite(member, cfg.members_dir / f"m{k}" / name)
    return paths[0], paths[1]


GRID = [{"window_weight": w, "min_confidence": c, "switch_s": s, "first_s": f} for w in (0.0, 0.7, 0.85, 1.0)
        for c in (0.4, 0.5, 0.6) for s in (0.3, 0.5) for f in (0.0, 0.3)]
LAGS = (0.0, 0.3, 0.6, 0.9, 1.2)
END_LAGS = (0.0, 0.3, 0.6, 0.9)
MIN_SEGMENTS = (2.0, 3.0, 4.0)
# How much more an exercise must be likely than rest for the offline timeline to call it one
# (segment.timeline_labels). Capped at 1.5: the 60-clip validation search chose 3.0 for three
# retrains (weak-cell candidates A, B, C), whose side-on arm sets were then read as rest in the
# tuning pool's auto mode; with the cap, auto MAE 0.075 -> 0.069 (A), 0.068 -> 0.059 (B), 0.064 =
# (C), while the shipped models' search chose 1.0 either way (BENCHMARKS, Weak-cell clips)
REST_WEIGHTS = (1.0, 1.5)
# offline re-decision of the timeline (segment.timeline_labels): smoothing 0 = the live labels
OFFLINE = [{"offline_smooth_s": 0.0, "offline_shift_s": 0.0, "rest_weight": 1.0}] + [
    {"offline_smooth_s": sm, "offline_shift_s": sh, "rest_weight": rw}
    for sm in (0.3, 0.5, 0.8) for sh in (0.0, 0.3) for rw in REST_WEIGHTS]


def _score(r: dict, keys: tuple[str, ...] = ("frame_accuracy", "timeline_frame_accuracy", "video_accuracy")) -> float:
    """Sum of ``keys``, averaged over the camera views (each view counts the same, however
    many validation clips it has: side and back views must not be traded for front ones)."""
    views = r["by_view"].values()
    return float(np.mean([sum(v[k] for k in keys) for v in views]))


def record_parts(clips: list[Clip], clf) -> list[list]:
    """Per clip and frame, the models' answers (``TemporalClassifier.parts``): the
    decision settings can then be compared by replaying them, without the models."""
    from deepfit_coach.training.evaluate import clip_skeletons

    out = []
    for c in clips:
        clf.reset()
        parts = []
        for skel, t in zip(clip_skeletons(c), c.times):
            clf.add(skel, float(t))
            parts.append(clf.parts(float(t)))
        out.append(parts)
    return out


def replay(parts: list[list], clips: list[Clip], clf) -> list[list]:
    """The decisions ``clf`` (its settings) takes on recorded ``parts``."""
    out = []
    for p, c in zip(parts, clips):
        clf.reset()
        out.append([clf.decide(clf.blend(x), float(t)) for x, t in zip(p, c.times)])
    return out


# Validation scores closer than NEAR_TIE to the best would be a tie (pick). Two window models
# that differ only in float rounding (oneDNN on / off) scored the same settings up to 0.03
# apart, so 0.02 made such runs choose alike; but on the shipped models the near-tie choice
# scored lower in-sample on validation (timeline 1.931 -> 1.911) and on the issue-5 tuning
# pool's auto mode (OBO 91.7 -> 91.4%), and lower on the held-out split (timeline 90.6 ->
# 88.0%, video 97.1 -> 95.2%). Off (plain argmax) until more validation clips make the
# scores less noisy; the documented command then reproduces the shipped settings. With 240
# validation clips the halves check still favoured the argmax (BENCHMARKS, Bigger validation split).
NEAR_TIE = 0.0


def grid_steps(settings: list[dict], defaults: dict) -> list[int]:
    """Per setting, how many grid steps it lies from ``defaults`` (summed over the keys; a
    default missing from a key's values counts from the nearest value)."""
    values = {k: sorted({float(st[k]) for st in settings}) for k in settings[0]}
    home = {k: min(range(len(v)), key=lambda i: abs(v[i] - float(defaults[k]))) for k, v in values.items()}
    return [sum(abs(values[k].index(float(st[k])) - home[k]) for k in values) for st in settings]


def pick(settings: list[dict], scores: list[float], defaults: dict, tol: float = NEAR_TIE) -> int:
    """Index of the setting to ship: of those scoring within ``tol`` of the best, the one
    fewest grid steps from ``defaults``, then the higher score, then the first. Near-ties go
    to the defaults, so retrains that differ by noise choose alike (an argmax over hundreds
    of noisy scores otherwise jumps between far-apart settings)."""
    best = max(scores)
    steps = grid_steps(settings, defaults)
    near = [i for i, sc in enumerate(scores) if sc >= best - tol - 1e-12]
    return min(near, key=lambda i: (steps[i], -scores[i], i))


def timeline_candidates() -> list[dict]:
    """The offline timeline settings searched on validation (lags, minimum segment, offline
    re-decision; smoothing 0 = the live labels)."""
    out = []
    for off in OFFLINE:
        for lag in LAGS:
            for lag_end in END_LAGS:
                for min_seg in MIN_SEGMENTS:
                    if off["offline_smooth_s"] > 0 and (lag > 0.9 or min_seg > 3.0):
                        continue  # centred probabilities need less lag correction
                    out.append({"lag_s": lag, "lag_end_s": lag_end, "min_segment_s": min_seg, **off})
    return out


def timeline_defaults() -> dict:
    """Where near-ties of the timeline search go: the live labels with the runtime's lags."""
    from deepfit_coach.classifier.segment import TIMELINE_DEFAULTS

    return {"lag_end_s": TIMELINE_DEFAULTS["lag_s"], **TIMELINE_DEFAULTS, **OFFLINE[0]}


def select_temporal(val: list[Clip], out_dir: Path, log) -> dict:
    """Pick window weight, confidence threshold, holds (live score), then the timeline's lags,
    minimum segment and offline re-decision (timeline score) on the validation split (scores
    averaged over views; near-ties go to the runtime's defaults, see ``pick``)."""
    from deepfit_coach.classifier import ExerciseClassifier, TemporalClassifier, WindowClassifier
    from deepfit_coach.classifier.temporal import DEFAULTS
    from deepfit_coach.training.evaluate import evaluate

    frame = ExerciseClassifier(out_dir / FRAME_MODEL)
    window = WindowClassifier(out_dir / WINDOW_MODEL)
    parts = record_parts(val, TemporalClassifier(frame, window, window_weight=1.0))
    rows, live = [], []
    for params in GRID:
        clf = TemporalClassifier(frame, window if params["window_weight"] > 0 else None, **params)
        r = evaluate(val, clf, {"lag_s": 0.6}, decisions=replay(parts, val, clf))
        rows.append({**params, "frame_accuracy": r["frame_accuracy"], "video_accuracy": r["video_accuracy"],
                     "timeline_frame_accuracy": r["timeline_frame_accuracy"], "rest_recall": r["rest_recall"]})
        live.append(_score(r))
        log(f"  val {params}: live frame {r['frame_accuracy']:.3f} timeline frame {r['timeline_frame_accuracy']:.3f} "
            f"video {r['video_accuracy']:.3f} rest {r['rest_recall']:.3f}")
    i = pick(GRID, live, DEFAULTS)
    best = dict(GRID[i])
    clf = TemporalClassifier(frame, window if best["window_weight"] > 0 else None, **best)
    decisions = replay(parts, val, clf)
    candidates, tl_scores, lag_scores = timeline_candidates(), [], {}
    for st in candidates:
        r = evaluate(val, clf, st, decisions=decisions)
        # timeline frames, plus the "no exercise segment in a rest clip"
        tl_scores.append(round(_score(r, ("timeline_frame_accuracy", "video_accuracy"))
                               - r["rest_clips_with_exercise_segment"] / max(r["rest_clips"], 1), 4))
        if st["offline_smooth_s"] == 0:
            lag_scores.setdefault(st["lag_s"], r["timeline_frame_accuracy"])
        log(f"  val {st}: timeline frame {r['timeline_frame_accuracy']:.3f} video {r['video_accuracy']:.3f} "
            f"rest {r['timeline_rest_recall']:.3f} rest clips with a segment {r['rest_clips_with_exercise_segment']}")
    j = pick(candidates, tl_scores, timeline_defaults())
    best.update({k: float(v) for k, v in candidates[j].items()})
    scores = {"live": round(live[i], 4), "timeline": tl_scores[j],
              "best_live": round(max(live), 4), "best_timeline": max(tl_scores)}
    log(f"selected {best}; validation scores {scores}")
    timeline_grid = {"/".join(f"{st[k]}" for k in st): sc for st, sc in zip(candidates, tl_scores)}
    return {"selected": best, "grid": rows, "lags": lag_scores, "timeline_grid": timeline_grid, "scores": scores}


def run(cfg: TrainConfig, log=print) -> dict:
    """The whole pipeline; returns the report also written to models/."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    cfg.pose_model = cfg.pose_model or _pose_model()
    t_start = time.time()
    train = build_train(cfg, log)
    mptrain = build_rendered("mptrain", cfg, log) if cfg.budget.mptrain_clips else []
    val = build_rendered("val", cfg, log)
    fit_models(train, mptrain, val, cfg, log)
    selection = select_temporal(val, cfg.out_dir, log)
    temporal = write_temporal(cfg.out_dir, selection)
    report = {"seed": cfg.seed, "budget": asdict(cfg.budget), "epochs": cfg.epochs, "mp_repeat": cfg.mp_repeat,
              "members": cfg.members, "pose_confidence": {s: split_confidence(s, cfg) for s in ("mptrain", "val")},
              "temporal": temporal,
              "val_grid": selection["grid"], "val_scores": selection["scores"], "train_seconds": round(time.time() - t_start)}
    from deepfit_coach.training.fit import onednn_enabled

    report["onednn"] = onednn_enabled()
    report["real"] = real_check(cfg.out_dir)
    if cfg.evaluate_test:
        report["test"] = evaluate_test(cfg, log)
        report["pose_confidence"]["test"] = split_confidence("test", cfg)
    (cfg.out_dir / "exercise_classifier_eval.json").write_text(json.dumps(report, indent=1) + "\n")
    if cfg.evaluate_test:
        write_reports(report, cfg.out_dir)
    return report


def reselect(cfg: TrainConfig, log=print) -> dict:
    """Only the temporal-settings search, on the models already in ``cfg.out_dir`` (no
    TensorFlow): rewrites exercise_classifier.json and the validation part of the report,
    which keeps the previous settings and scores. When the settings change, the held-out
    split is measured again with them (unless ``evaluate_test`` is off), so the model card
    and BENCHMARKS describe what is shipped."""
    cfg.pose_model = cfg.pose_model or _pose_model()
    val = build_rendered("val", cfg, log)
    selection = select_temporal(val, cfg.out_dir, log)
    cfg_path, report_path = cfg.out_dir / TEMPORAL_CONFIG, cfg.out_dir / "exercise_classifier_eval.json"
    previous = json.loads(cfg_path.read_text()) if cfg_path.is_file() else None
    temporal = write_temporal(cfg.out_dir, selection)
    changed = previous != temporal
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    if changed:
        report["reselected"] = {"previous_temporal": previous, "previous_val_scores": report.get("val_scores"),
                                "test_measured_with": "previous_temporal" if "test" in report else None}
    report.update({"temporal": temporal, "val_grid": selection["grid"], "val_scores": selection["scores"]})
    report["pose_confidence"] = {**pose_confidences(report), "val": split_confidence("val", cfg)}
    if changed and cfg.evaluate_test:
        # the held-out numbers must describe what is shipped: measured again (not chosen on)
        report["test"] = evaluate_test(cfg, log)
        report["reselected"]["test_measured_with"] = "temporal"
        report["pose_confidence"]["test"] = split_confidence("test", cfg)
        write_reports(report, cfg.out_dir)
    report_path.write_text(json.dumps(report, indent=1) + "\n")
    log(f"settings {'changed' if changed else 'unchanged'}: {previous} -> {temporal}")
    return report


def pose_confidences(report: dict) -> dict:
    """The confidences a report's splits were made at; reports from before they were recorded
    were all made at 0.5 (posecache.LEGACY_CONFIDENCE)."""
    from deepfit_coach.training.posecache import LEGACY_CONFIDENCE

    known = dict(report.get("pose_confidence") or {})
    splits = ("mptrain", "val") + (("test",) if "test" in report else ())
    return {s: known.get(s, LEGACY_CONFIDENCE) for s in splits}


def write_temporal(out_dir: Path, selection: dict) -> dict:
    """The runtime's settings file (exercise_classifier.json) from ``select_temporal``'s choice."""
    temporal = {"window_s": WINDOW_S, **selection["selected"]}
    (out_dir / TEMPORAL_CONFIG).write_text(json.dumps(temporal, indent=2) + "\n")
    return temporal


def real_check(out_dir: Path) -> dict | None:
    """Push-up vs squat on the real ML Kit poses, when ../shared/real is there."""
    from deepfit_coach.classifier import ExerciseClassifier
    from deepfit_coach.training.realdata import default_real_csv, mlkit_features, pushup_vs_squat

    csv = default_real_csv()
    if not csv.is_file():
        return None
    feats, truth = mlkit_features(csv)
    return pushup_vs_squat(ExerciseClassifier(out_dir / FRAME_MODEL).predict_proba(feats), truth)


def write_reports(report: dict, out_dir: Path) -> None:
    """MODEL_CARD.md beside the models; BENCHMARKS.md only for the shipped models/."""
    from deepfit_coach.training.card import benchmarks_body, write_card
    from deepfit_coach.training.report import write_benchmarks

    write_card(report, out_dir / "MODEL_CARD.md", report.get("real"))
    if out_dir.resolve() == MODELS_DIR.resolve():
        write_benchmarks(benchmarks_body(report), subheading="Held-out accuracy (rendered clips, real pose model)")


def evaluate_test(cfg: TrainConfig, log, split: str = "test", plots: bool = True) -> dict:
    """The models and settings in ``cfg.out_dir`` on the held-out split, live decision and
    offline timeline (``segment.timeline_segments``), with the confusion plots (into
    ``cfg.out_dir`` unless ``plots`` is False); ``split`` "val" measures the validation split
    the same way (a check; no plots)."""
    from deepfit_coach.classifier import ExerciseClassifier, TemporalClassifier, WindowClassifier
    from deepfit_coach.classifier.segment import timeline_settings
    from deepfit_coach.training.evaluate import evaluate, plot_confusion

    test = build_rendered(split, cfg, log)
    frame = ExerciseClassifier(cfg.out_dir / FRAME_MODEL)
    window = WindowClassifier(cfg.out_dir / WINDOW_MODEL)
    temporal = timeline_settings(json.loads((cfg.out_dir / TEMPORAL_CONFIG).read_text()))
    shipped = evaluate(test, TemporalClassifier(frame, window, **_kwargs(temporal)), temporal)
    voting = evaluate(test, TemporalClassifier(frame, None, **{**_kwargs(temporal), "window_weight": 0.0}), temporal)
    if split != "test":
        log(f"{split}: video {shipped['video_accuracy']:.3f} frame {shipped['frame_accuracy']:.3f} "
            f"timeline frame {shipped['timeline_frame_accuracy']:.3f} rest {shipped['timeline_rest_recall']:.3f}")
        return {"shipped": shipped, "voting_only": voting}
    if plots:
        plot_confusion(np.array(shipped["confusion"]), cfg.out_dir / "confusion_matrix.png",
                       f"held-out test, live temporal decision ({shipped['frames']} frames, {shipped['clips']} clips)")
        plot_confusion(np.array(shipped["confusion_timeline"]), cfg.out_dir / "confusion_matrix_timeline.png",
                       f"held-out test, offline timeline ({shipped['frames']} frames, {shipped['clips']} clips)")
    log(f"test: video {shipped['video_accuracy']:.3f} frame {shipped['frame_accuracy']:.3f} "
        f"timeline frame {shipped['timeline_frame_accuracy']:.3f} "
        f"(per-frame voting {voting['frame_accuracy']:.3f}, raw {shipped['frame_accuracy_raw']:.3f}) "
        f"rest {shipped['rest_recall']:.3f}")
    return {"shipped": shipped, "voting_only": voting}


def _kwargs(temporal: dict) -> dict:
    return {k: temporal[k] for k in ("window_weight", "min_confidence", "switch_s", "window_s", "first_s")
            if k in temporal}


def _pose_model() -> str:
    from deepfit_coach.model_store import resolve_pose_model

    return str(resolve_pose_model("full", os.environ.get("DEEPFIT_POSE_MODEL") or None))
