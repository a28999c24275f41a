"""LiteRT runtime for the exercise models (no TensorFlow at run time).

``ExerciseClassifier`` is the seed's per-frame contract: 36 inputs -> 11 class
probabilities. ``WindowClassifier`` is the optional window model: statistics of the 2D
inputs and of 3D body-frame features over the last ~1.5 s (``window.NUM_WINDOW_FEATURES``)
-> 11 probabilities. Both load ``.tflite`` files via ai-edge-litert, with
``tflite_runtime`` as a fallback only if it is importable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.labels import CLASSES, NUM_CLASSES
from deepfit_coach.classifier.window import (NUM_2D_WINDOW_FEATURES, NUM_FRAME_FEATURES, NUM_WINDOW_FEATURES,
                                             frame_features, symmetric_variants)
from deepfit_coach.errors import ModelError

# A checkout (or editable install) keeps the models in the repository's models/; a wheel
# install puts the same files under <prefix>/share/deepfit-coach/models (pyproject data-files).
_REPO_MODELS = Path(__file__).resolve().parents[2] / "models"
_INSTALLED_MODELS = Path(sys.prefix) / "share" / "deepfit-coach" / "models"
MODELS_DIR = _REPO_MODELS if (_REPO_MODELS / "exercise_classifier.tflite").is_file() else _INSTALLED_MODELS
FRAME_MODEL = "exercise_classifier.tflite"
WINDOW_MODEL = "exercise_window.tflite"


def interpreter_class():
    """LiteRT's ``Interpreter`` (ai-edge-litert; ``tflite_runtime`` only if that is missing), or a
    ModelError saying what to install."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:  # pragma: no cover - depends on the install
        try:
            from tflite_runtime.interpreter import Interpreter  # type: ignore[no-redef]
        except ImportError as exc:
            raise ModelError("no LiteRT runtime: pip install ai-edge-litert") from exc
    return Interpreter


def default_model_path(name: str = FRAME_MODEL) -> Path:
    """``$DEEPFIT_CLASSIFIER_DIR/name`` if set, else the repository's ``models/name``."""
    env = os.environ.get("DEEPFIT_CLASSIFIER_DIR", "").strip()
    return (Path(env).expanduser() if env else MODELS_DIR) / name


class TFLiteModel:
    """A float32 (batch, n_in) -> (batch, n_out) LiteRT model, resized to the batch.

    ``n_in``: the input size, or the sizes accepted (the file's own is used)."""

    def __init__(self, path: str | Path, n_in: int | tuple[int, ...], n_out: int = NUM_CLASSES) -> None:
        self.path = Path(path)
        accepted = (n_in,) if isinstance(n_in, int) else tuple(n_in)
        if not self.path.is_file():
            raise ModelError(f"classifier model not found: {self.path}")
        from deepfit_coach.quiet import native_stderr_silenced

        try:
            with native_stderr_silenced():  # LiteRT logs its delegate set-up on stderr
                self._interp = interpreter_class()(model_path=str(self.path), num_threads=1)
                self._interp.allocate_tensors()
                self._interp.invoke()
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"cannot load classifier model {self.path}: {exc}") from exc
        inp = self._interp.get_input_details()[0]
        out = self._interp.get_output_details()[0]
        if inp["shape"][-1] not in accepted or out["shape"][-1] != n_out:
            raise ModelError(f"{self.path.name}: expected {' or '.join(map(str, accepted))} inputs -> {n_out} "
                             f"outputs, got {inp['shape'][-1]} -> {out['shape'][-1]}")
        self._in, self._out = inp["index"], out["index"]
        self._batch = int(inp["shape"][0])
        self.n_in = int(inp["shape"][-1])

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(np.asarray(x, dtype=np.float32).reshape(-1, self.n_in))
        if len(x) != self._batch:
            self._interp.resize_tensor_input(self._in, [len(x), self.n_in])
            self._interp.allocate_tensors()
            self._batch = len(x)
        self._interp.set_tensor(self._in, x)
        self._interp.invoke()
        return np.array(self._interp.get_tensor(self._out))


class ExerciseClassifier:
    """Per-frame exercise probabilities from the seed's 36 normalised inputs."""

    classes = CLASSES

    def __init__(self, model_path: str | Path | None = None) -> None:
        self.model = TFLiteModel(model_path or default_model_path(FRAME_MODEL), NUM_FRAME_FEATURES)

    def predict_proba(self, features: np.ndarray, symmetric: bool = False) -> np.ndarray:
        """(36,) or (N, 36) inputs -> (N, 11) probabilities.

        ``symmetric``: average over the mirrored / left-right relabelled inputs.
        """
        if not symmetric:
            return self.model(features)
        v = symmetric_variants(np.asarray(features, np.float32).reshape(-1, NUM_FRAME_FEATURES), window=False)
        return self.model(v.reshape(-1, NUM_FRAME_FEATURES)).reshape(4, -1, NUM_CLASSES).mean(axis=0)

    def predict_landmarks(self, landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
        """(N, 33, 5) normalised landmarks of width x height frames -> (N, 11)."""
        feats, _ = frame_features(landmarks, width, height)
        return self.predict_proba(feats)

    def predict(self, features: np.ndarray) -> list[str]:
        """Most likely class name per row (no temporal decision: see TemporalClassifier)."""
        return [CLASSES[i] for i in np.argmax(self.predict_proba(features), axis=-1)]


class WindowClassifier:
    """Window-model probabilities from ``window_features`` (NUM_WINDOW_FEATURES inputs)."""

    def __init__(self, model_path: str | Path | None = None) -> None:
        # a model of the 2D inputs only (the first NUM_2D_WINDOW_FEATURES) is still usable
        self.model = TFLiteModel(model_path or default_model_path(WINDOW_MODEL),
                                 (NUM_WINDOW_FEATURES, NUM_2D_WINDOW_FEATURES))

    def predict_proba(self, window_inputs: np.ndarray, symmetric: bool = False) -> np.ndarray:
        """(n,) or (N, n) window inputs -> (N, 11); ``symmetric`` as in ExerciseClassifier."""
        x = np.asarray(window_inputs, np.float32).reshape(-1, NUM_WINDOW_FEATURES)
        if symmetric:
            x = symmetric_variants(x, window=True).reshape(-1, NUM_WINDOW_FEATURES)
        p = self.model(x[:, :self.model.n_in])
        return p.reshape(4, -1, NUM_CLASSES).mean(axis=0) if symmetric else p

    @staticmethod
    def available(model_path: str | Path | None = None) -> bool:
        return Path(model_path or default_model_path(WINDOW_MODEL)).is_file()
