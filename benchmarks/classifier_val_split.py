"""The temporal settings search on a bigger VALIDATION split -> BENCHMARKS.md (## Exercise
classifier, ### Bigger validation split).

    python benchmarks/classifier_val_split.py [--clips 240] [--tols 0,0.01,0.02] [--save R.json | --load R.json]
        [--pool BASE_05 CAND_05 BASE_02 CAND_02] [--no-write]

Why: the shipped settings were chosen on 60 validation clips, where the search's scores are
within their own noise. This runs the pipeline's search (``select_temporal``'s two stages and
scores, at near-tie tolerances ``--tols``, ``pipeline.pick``) on the first ``--clips`` clips of
the validation split, and a halves check (chosen on one half, every clip kind alternating
between the halves, scored on the other), against the shipped settings (chosen on the first
60, which lie in both halves). ``--pool``: pooled auto-mode figures of the tuning pool from
``eval --json`` outputs (SET.json per dir; base and candidate, pose confidences 0.5 and 0.2).
Validation only: the held-out test split is never read. Missing clips are rendered and posed
once into .classifier_cache/val (~5 s each on 2 shared cores); the search takes ~40 min at 240.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from deepfit_coach.classifier import ExerciseClassifier, TemporalClassifier, WindowClassifier
from deepfit_coach.classifier.runtime import FRAME_MODEL, MODELS_DIR, WINDOW_MODEL
from deepfit_coach.classifier.segment import timeline_settings
from deepfit_coach.classifier.temporal import DEFAULTS
from deepfit_coach.classifier.window import WINDOW_S
from deepfit_coach.training import pipeline as P
from deepfit_coach.training.dataset import rendered_clips
from deepfit_coach.training.evaluate import evaluate
from deepfit_coach.training.report import write_benchmarks
from deepfit_coach.training.splits import Budget, split_items

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classifier_confidence import split_halves  # noqa: E402  (every clip kind alternating between halves)

KEYS = ("video_accuracy", "frame_accuracy", "timeline_frame_accuracy", "timeline_rest_recall", "rest_clips",
        "rest_clips_with_exercise_segment")
POOL = ("eval_tune", "eval_tune2", "eval_tune3", "eval_tune4", "eval_tune5", "eval_tune6", "eval_tune7", "form_tune",
        "eval_tune8", "eval_tune9", "eval_tune10")


# What the figures decided (stop 17); the tables are measured, this is the reading of them.
DECISION = ("**Not shipped: the split stays at 60 clips and the settings as they are.** On the halves the "
            "shipped settings score at least as well as every re-selection, in both directions and on both "
            "scores, and the re-selected settings (NEAR_TIE 0) are worse on the tuning pool's auto mode at both pose "
            "confidences (table below). Growing `Budget.val_clips` alone is not possible either: at 240 clips "
            "`deepfit-coach train --seed 0` would write the re-selected settings, not the shipped ones. `NEAR_TIE` "
            "stays 0: with 4x the clips a near-tie rule still does not beat the plain argmax on the halves "
            "(their mean above). What the "
            "bigger split does show is that the search's choice, not the clip count, is the weak point: a "
            "two-stage greedy argmax over settings within ~0.01 of each other.")


class Study:
    """The models' answers recorded once per clip; settings compared by replaying them."""

    def __init__(self, clips: list) -> None:
        self.frame, self.window = ExerciseClassifier(MODELS_DIR / FRAME_MODEL), WindowClassifier(MODELS_DIR / WINDOW_MODEL)
        self.parts = dict(zip(map(id, clips), P.record_parts(clips, TemporalClassifier(self.frame, self.window,
                                                                                       window_weight=1.0))))

    def clf(self, st: dict) -> TemporalClassifier:
        return TemporalClassifier(self.frame, self.window if st["window_weight"] > 0 else None, **P._kwargs(st))

    def decisions(self, clips: list, clf: TemporalClassifier) -> list:
        return P.replay([self.parts[id(c)] for c in clips], clips, clf)

    def measure(self, clips: list, settings: dict) -> dict:
        """Validation figures of one settings file and the search's two scores for it."""
        t = timeline_settings(settings)
        clf = self.clf(t)
        dec = self.decisions(clips, clf)
        live = P._score(evaluate(clips, clf, {"lag_s": 0.6}, decisions=dec))
        r = evaluate(clips, clf, t, decisions=dec)
        tl = P._score(r, ("timeline_frame_accuracy", "video_accuracy")) - r["rest_clips_with_exercise_segment"] / max(
            r["rest_clips"], 1)
        return {**{k: r[k] for k in KEYS}, "live_score": live, "timeline_score": tl}

    def search(self, clips: list, tols: list[float]) -> dict[float, dict]:
        """``select_temporal``'s two stages (same scores), its pick at each tolerance."""
        live = []
        for params in P.GRID:
            clf = self.clf(params)
            live.append(P._score(evaluate(clips, clf, {"lag_s": 0.6}, decisions=self.decisions(clips, clf))))
        cands, tl_cache, out = P.timeline_candidates(), {}, {}
        for tol in tols:
            i = P.pick(P.GRID, live, DEFAULTS, tol)
            if i not in tl_cache:
                clf = self.clf(P.GRID[i])
                dec = self.decisions(clips, clf)
                tl_cache[i] = []
                for st in cands:
                    r = evaluate(clips, clf, st, decisions=dec)
                    tl_cache[i].append(round(P._score(r, ("timeline_frame_accuracy", "video_accuracy"))
                                             - r["rest_clips_with_exercise_segment"] / max(r["rest_clips"], 1), 4))
            j = P.pick(cands, tl_cache[i], P.timeline_defaults(), tol)
            out[tol] = {"window_s": WINDOW_S, **P.GRID[i], **{k: float(v) for k, v in cands[j].items()}}
        return out


def run(n: int, tols: list[float]) -> dict:
    clips = rendered_clips(split_items("val", 0, Budget(val_clips=n)), "val", P._pose_model())
    study, shipped = Study(clips), json.loads((MODELS_DIR / P.TEMPORAL_CONFIG).read_text())
    res: dict = {"clips": n, "shipped": shipped, "full": [("shipped", shipped, study.measure(clips, shipped))]}
    for tol, st in study.search(clips, tols).items():
        res["full"].append((f"searched, NEAR_TIE {tol}", st, study.measure(clips, st)))
    halves, res["halves"] = split_halves(clips), []
    for a in (0, 1):
        on, off = "AB"[a], "BA"[a]
        res["halves"].append((f"shipped, scored on {off}", shipped, study.measure(halves[1 - a], shipped)))
        for tol, st in study.search(halves[a], tols).items():
            res["halves"].append((f"chosen on {on} (NEAR_TIE {tol}), scored on {off}", st,
                                  study.measure(halves[1 - a], st)))
    return res


def _pool_auto(d: Path) -> dict:
    """Pooled auto-mode figures of a pool's ``eval --json`` outputs (tools' formulas)."""
    sets, frames = [], []
    for name in POOL:
        j = json.loads((d / f"{name}.json").read_text())
        sets += j["sets"]
        frames.append(np.array(j["confusion"]))
    t, a = (np.array([s[k] for s in sets], float) for k in ("truth", "auto"))
    cm = sum(frames)
    return {"n": len(sets), "mae": float(np.mean(abs(a - t) / np.maximum(t, 1))), "obo": float(np.mean(abs(a - t) <= 1)),
            "exact": float(np.mean(a == t)), "cls": float(np.mean([s["accuracy"] for s in sets])),
            "rest": float(cm[-1, -1] / cm[-1].sum())}


def _row(name: str, st: dict, r: dict, shipped: dict) -> str:
    diff = ", ".join(f"{k} {v:g}" for k, v in st.items() if shipped.get(k) != v) or "= shipped"
    return (f"| {name} | {diff} | {r['video_accuracy']:.1%} | {r['frame_accuracy']:.1%} | "
            f"{r['timeline_frame_accuracy']:.1%} | {r['timeline_rest_recall']:.1%} | "
            f"{r['rest_clips_with_exercise_segment']} of {r['rest_clips']} | {r['live_score']:.3f} / {r['timeline_score']:.3f} |")


def body(res: dict, pool: list[Path] | None) -> str:
    head = ("| settings | differ from shipped | video | live frames | timeline frames | rest, timeline | "
            "rest clips with a segment | search score live / timeline |\n|---|---|---|---|---|---|---|---|")
    sh = res["shipped"]
    text = (f"Validation split only ({res['clips']} clips, seeds 2,000,000+, the first 60 being the shipped "
            "split; shipped models; the held-out split is not read), `python benchmarks/classifier_val_split.py "
            f"--clips {res['clips']}`. The pipeline's settings search (`select_temporal`'s scores; `pipeline.pick` "
            "at near-tie tolerance NEAR_TIE) against the shipped settings (chosen on the first 60 clips):\n\n"
            + head + "\n" + "\n".join(_row(*r, sh) for r in res["full"])
            + "\n\nHalves check (settings chosen on one half, every clip kind alternating between the halves, "
              "scored on the other; the shipped settings were chosen on the first 60 clips, 30 of which lie in "
              "each half):\n\n" + head + "\n" + "\n".join(_row(*r, sh) for r in res["halves"]))
    views = Counter(i.view for i in split_items("val", 0, Budget(val_clips=res["clips"])))
    mean = {}
    for name, _, r in res["halves"]:
        key = "shipped" if name.startswith("shipped") else name.split("(")[1].split(")")[0]
        mean.setdefault(key, []).append((r["live_score"], r["timeline_score"]))
    means = "; ".join(f"{k} {np.mean([a for a, _ in v]):.3f} / {np.mean([b for _, b in v]):.3f}" for k, v in mean.items())
    (_, _, ship), (_, sel, top) = res["full"][0], res["full"][1]
    text += (f"\n\nViews of the {res['clips']} clips (the training distribution's yaw): "
             + ", ".join(f"{v} {n}" for v, n in views.most_common()) + " (each view weighs the same in the scores). "
             f"Halves, mean of the two directions, live / timeline score: {means}. The search is greedy: its live "
             f"stage picks by {top['live_score'] - ship['live_score']:+.4f} over the shipped live settings, and its "
             f"timeline stage, searched under that pick, ends {top['timeline_score'] - ship['timeline_score']:+.4f} "
             "against the shipped pair in-sample.")
    text += ("\n\n" + DECISION)
    if pool:
        lines = ["| tuning pool, auto mode | sets | MAE | OBO | exact | frames classified right | rest frames as rest |",
                 "|---|---|---|---|---|---|---|"]
        for conf, (base, cand) in zip(("0.5", "0.2"), (pool[:2], pool[2:])):
            for name, d in (("shipped", base), ("searched, NEAR_TIE 0", cand)):
                p = _pool_auto(d)
                lines.append(f"| {name}, pose confidence {conf} | {p['n']} | {p['mae']:.3f} | {p['obo']:.1%} | "
                             f"{p['exact']:.1%} | {p['cls']:.1%} | {p['rest']:.1%} |")
        text += ("\n\nTuning pool (11 sets, `python -m deepfit_coach eval DIR --cache DIR/poses[_c02] --json`, "
                 "models by DEEPFIT_CLASSIFIER_DIR):\n\n" + "\n".join(lines))
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clips", type=int, default=240)
    ap.add_argument("--tols", default="0,0.01,0.02")
    ap.add_argument("--save", type=Path, help="also keep the measured results here (JSON)")
    ap.add_argument("--load", type=Path, help="write from results saved by --save instead of measuring")
    ap.add_argument("--pool", nargs=4, type=Path, metavar=("BASE_05", "CAND_05", "BASE_02", "CAND_02"))
    ap.add_argument("--no-write", action="store_true", help="print only, leave BENCHMARKS.md alone")
    args = ap.parse_args()
    res = json.loads(args.load.read_text()) if args.load else run(args.clips, [float(x) for x in args.tols.split(",")])
    if args.save:
        args.save.write_text(json.dumps(res, indent=1) + "\n")
    text = body(res, args.pool)
    print(text)
    if not args.no_write:
        write_benchmarks(text, subheading="Bigger validation split")


if __name__ == "__main__":
    main()
