"""Exercise classifier cost and real-pose check -> BENCHMARKS.md (## Exercise classifier).

    python benchmarks/classifier_speed.py

Measures per-frame LiteRT inference (batch 1, one thread) in microseconds, the window
model, a full ``TemporalClassifier.update`` (features + both models + decision), and the
push-up vs squat accuracy on the real ML Kit poses in ../shared/real when present.
"""

from __future__ import annotations

import platform
import time

import numpy as np

from deepfit_coach.classifier import ExerciseClassifier, TemporalClassifier, WindowClassifier
from deepfit_coach.classifier.window import NUM_WINDOW_FEATURES
from deepfit_coach.skeleton import Skeleton
from deepfit_coach.training.realdata import default_real_csv, mlkit_features, pushup_vs_squat
from deepfit_coach.training.report import write_benchmarks


def _time_us(fn, n: int = 3000) -> float:
    for _ in range(100):
        fn()
    best = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best.append((time.perf_counter() - t0) / n * 1e6)
    return min(best)


def main() -> None:
    rng = np.random.default_rng(0)
    frame = ExerciseClassifier()
    x = rng.normal(0, 0.2, (1, 36)).astype(np.float32)
    frame_us = _time_us(lambda: frame.predict_proba(x))
    lines = ["Measured by `python benchmarks/classifier_speed.py` "
             f"({platform.processor() or platform.machine()}, 2 shared cores, LiteRT, 1 thread, batch 1; "
             "best of 3 runs).", "", "| what | µs per call |", "|---|---|",
             f"| per-frame model (36 -> 11), `ExerciseClassifier.predict_proba` | {frame_us:.1f} |"]
    if WindowClassifier.available():
        window = WindowClassifier()
        w = rng.normal(0, 0.2, (1, NUM_WINDOW_FEATURES)).astype(np.float32)
        lines.append(f"| window model ({NUM_WINDOW_FEATURES} -> 11), `WindowClassifier.predict_proba` | "
                     f"{_time_us(lambda: window.predict_proba(w)):.1f} |")
    clf = TemporalClassifier()
    lm = np.zeros((33, 5), dtype=np.float32)
    lm[:, 0] = rng.uniform(0.3, 0.7, 33)
    lm[:, 1] = np.linspace(0.1, 0.9, 33)
    lm[:, 3:] = 1.0
    world = rng.normal(0, 0.3, (33, 3)).astype(np.float32)
    t = [0.0]

    def step() -> None:
        t[0] += 1 / 30
        clf.update(Skeleton(0, lm + rng.normal(0, 0.003, lm.shape).astype(np.float32),
                            world + rng.normal(0, 0.01, world.shape).astype(np.float32), 640, 480), t[0])

    lines.append(f"| `TemporalClassifier.update` at 30 fps (2D + 3D features, both models, decision) | "
                 f"{_time_us(step, 1000):.1f} |")
    csv = default_real_csv()
    if csv.is_file():
        feats, truth = mlkit_features(csv)
        r = pushup_vs_squat(frame.predict_proba(feats), truth)
        lines += ["", f"Real people (ML Kit samples, {r['n']} single frames, ../shared/real): push-up vs squat "
                  f"**{r['binary']:.1%}** (push-ups {r['binary_pushups']:.1%}, squats {r['binary_squats']:.1%}); "
                  f"11-way argmax of one frame {r['argmax']:.1%} (push-ups {r['argmax_pushups']:.1%}, "
                  f"squats {r['argmax_squats']:.1%}; a standing squat-top frame is often called rest, "
                  "which a single frame cannot rule out)."]
    text = "\n".join(lines)
    print(text)
    write_benchmarks(text, subheading="Speed and real poses")


if __name__ == "__main__":
    main()
