"""The exported classifier is an ensemble: one .tflite (36 in, 11 out) whose probabilities are the
mean of independently initialised members, read by the real LiteRT runtime."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow")


CFG = dict(hidden=(16,), epochs=2, batch=64, members=3, lr=0.02)  # 2 epochs: a val-driven rule could act


@pytest.fixture(scope="module")
def fitted():
    """One tiny ensemble fitted without validation data: (x, y, model, members)."""
    from deepfit_coach.classifier.labels import NUM_CLASSES
    from deepfit_coach.training.fit import FitConfig, fit_mlp

    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 36)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int) * 3
    model, members = fit_mlp(x, y, None, None, FitConfig(**CFG), log=lambda m: None)
    return x, y, model, members


def test_validation_data_never_changes_the_fitted_weights(fitted) -> None:
    """The validation split is only logged during the fit (no early stopping, no best-epoch
    restore), so making it at another pose confidence cannot change the trained models."""
    from deepfit_coach.training.fit import FitConfig, fit_mlp

    x, y, model, _ = fitted
    # a class the fit learns away from: its validation loss rises, so a validation-driven
    # rule (early stopping, best-epoch restore) would act
    with_val, _ = fit_mlp(x, y, x[:100], np.full(100, 5), FitConfig(**CFG), log=lambda m: None)
    pairs = list(zip(model.get_weights(), with_val.get_weights()))
    assert pairs and all(np.array_equal(a, b) for a, b in pairs)


def test_exported_ensemble_is_the_mean_of_its_members(tmp_path: Path, fitted) -> None:
    from deepfit_coach.classifier import ExerciseClassifier
    from deepfit_coach.classifier.labels import NUM_CLASSES
    from deepfit_coach.training.fit import export_tflite

    x, y, model, members = fitted
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
