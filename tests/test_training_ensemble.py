"""The exported classifier is an ensemble: one .tflite (36 in, 11 out) whose probabilities are the
mean of independently initialised members, read by the real LiteRT runtime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow")


def test_exported_ensemble_is_the_mean_of_its_members(tmp_path: Path) -> None:
    from deepfit_coach.classifier import ExerciseClassifier
    from deepfit_coach.classifier.labels import NUM_CLASSES
    from deepfit_coach.training.fit import FitConfig, export_tflite, fit_mlp

    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 36)).astype(np.float32)
    y = (np.abs(x[:, 0]) * 4).astype(int) % NUM_CLASSES
    model, members = fit_mlp(x, y, None, None, FitConfig(hidden=(16,), epochs=1, batch=64, members=3),
                             log=lambda m: None)
    assert len(members) == 3
    export_tflite(model, tmp_path / "ens.tflite")
    probs = [ExerciseClassifier(tmp_path / "ens.tflite").predict_proba(x[:20])]
    for k, member in enumerate(members):
        export_tflite(member, tmp_path / f"m{k}.tflite")
        probs.append(ExerciseClassifier(tmp_path / f"m{k}.tflite").predict_proba(x[:20]))
    ens, singles = probs[0], np.stack(probs[1:])
    assert ens.shape == (20, NUM_CLASSES)
    np.testing.assert_allclose(ens.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(ens, singles.mean(axis=0), atol=1e-5)
    # members start from their own weights: they must not answer alike
    assert np.abs(singles[0] - singles[1]).max() > 1e-3
