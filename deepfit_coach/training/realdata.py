"""The ML Kit real-pose samples (../shared/real): push-ups and squats of real people.

Never copied into the repository; callers skip when the file is absent.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.window import frame_features


def default_real_csv() -> Path:
    """``$DEEPFIT_REAL_DIR``, else ``<repo>/../shared/real`` (where CI puts the shared data)."""
    env = os.environ.get("DEEPFIT_REAL_DIR", "").strip()
    name = "mlkit_fitness_pose_samples.csv"
    if env:
        return Path(env) / name
    return Path(__file__).resolve().parents[2].parent / "shared" / "real" / name


def load_mlkit(path: Path) -> tuple[np.ndarray, list[str]]:
    """(N, 33, 3) landmarks in pixels and the labels (pushups_up, squats_down ...)."""
    rows, labels = [], []
    with open(path, newline="") as fh:
        for row in csv.reader(fh):
            if len(row) < 101:
                continue
            try:
                values = [float(v) for v in row[2:101]]
            except ValueError:
                continue  # a header line
            rows.append(values)
            labels.append(row[1])
    return np.array(rows, dtype=np.float64).reshape(-1, 33, 3), labels


def mlkit_features(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(N, 36) classifier inputs and (N,) exercise names ("pushups" / "squats")."""
    lm, labels = load_mlkit(path)
    feats, _ = frame_features(lm[..., :2])  # pixels already: width = height = 1
    return feats, np.array([lab.split("_")[0] for lab in labels])


def pushup_vs_squat(probs: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Accuracy of push-up vs squat (which of the two is more likely) and of the 11-way argmax.

    In the 11-way check every frame is judged against its exercise, so a standing
    squat-top frame called "rest" counts as wrong (a single frame cannot know better).
    """
    from deepfit_coach.classifier.labels import CLASS_INDEX, CLASSES

    two = np.where(probs[:, CLASS_INDEX["pushups"]] >= probs[:, CLASS_INDEX["squats"]], "pushups", "squats")
    top = np.array([CLASSES[i] for i in np.argmax(probs, axis=1)])
    out = {"binary": float(np.mean(two == truth)), "argmax": float(np.mean(top == truth)), "n": int(len(truth))}
    for ex in ("pushups", "squats"):
        sel = truth == ex
        out[f"binary_{ex}"] = float(np.mean(two[sel] == ex))
        out[f"argmax_{ex}"] = float(np.mean(top[sel] == ex))
    return out
