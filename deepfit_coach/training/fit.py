"""Fit the two small MLP ensembles with Keras and export them as float32 .tflite files.

The only module that imports TensorFlow (the ``[train]`` extra). A Normalization layer
fitted on the training data is baked into each model, so the runtime feeds raw inputs.

Each model is ``members`` MLPs with their own initial weights, dropout and input noise,
trained side by side on the same batches and exported as ONE .tflite that averages their
probabilities (same 1 input / 1 output contract). Why: a single MLP's end point depends
chaotically on its seed (the same renders differing only by float32 rounding moved
held-out video accuracy 4 points); the average of independent members varies far less,
which is what "retraining reproduces the shipped accuracy" needs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from deepfit_coach.classifier.labels import NUM_CLASSES
from deepfit_coach.training.clips import class_weights


@dataclass
class FitConfig:
    hidden: tuple[int, ...] = (128, 64)
    dropout: float = 0.2
    input_noise: float = 0.02   # Gaussian noise on the normalised inputs during training
    epochs: int = 30
    batch: int = 256
    lr: float = 2e-3
    seed: int = 0
    members: int = 5            # independently initialised MLPs whose probabilities are averaged


# oneDNN on is TensorFlow's own default on x86 and what the shipped models were trained with.
# It is read once, when TensorFlow is first imported: its kernels round differently from
# Eigen's on some shapes (measured: the window fit's last batch of 10 rows), so a run with
# it off (TF_ENABLE_ONEDNN_OPTS=0 at import) gets another window model from the same seed.
ONEDNN_ENV = "TF_ENABLE_ONEDNN_OPTS"


def _tf(seed: int):
    _tf_import()
    import tensorflow as tf

    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(2)
    return tf


def onednn_enabled() -> bool | None:
    """Whether this process's TensorFlow runs oneDNN kernels (fixed at its import; None if
    TensorFlow cannot tell). Recorded in the report: runs that differ in it differ in bytes."""
    _tf_import()
    try:
        from tensorflow.python.util import _pywrap_util_port

        return bool(_pywrap_util_port.IsMklEnabled())
    except (ImportError, AttributeError):
        return None


def _tf_import() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault(ONEDNN_ENV, "1")
    import tensorflow  # noqa: F401


def fit_mlp(x: np.ndarray, y: np.ndarray, x_val: np.ndarray | None, y_val: np.ndarray | None,
            cfg: FitConfig, log=print):
    """Train ``cfg.members`` MLPs ``n_in -> hidden... -> 11 softmax`` on the same batches (one
    graph, disjoint weights, one loss each: independent fits); returns the Keras model that
    averages their probabilities (dropout and noise are off at inference) and the members alone."""
    tf = _tf(cfg.seed)
    norm = tf.keras.layers.Normalization()
    norm.adapt(x.astype(np.float32))
    inp = tf.keras.Input((x.shape[1],))
    base = norm(inp)
    outs = []
    for k in range(cfg.members):
        h = tf.keras.layers.GaussianNoise(cfg.input_noise)(base)
        for width in cfg.hidden:
            h = tf.keras.layers.Dense(width, activation="relu")(h)
            h = tf.keras.layers.Dropout(cfg.dropout)(h)
        outs.append(tf.keras.layers.Dense(NUM_CLASSES, activation="softmax", name=f"member{k}")(h))
    train_model = tf.keras.Model(inp, outs)
    steps = cfg.epochs * int(np.ceil(len(x) / cfg.batch))
    sched = tf.keras.optimizers.schedules.CosineDecay(cfg.lr, steps)
    train_model.compile(tf.keras.optimizers.Adam(sched), ["sparse_categorical_crossentropy"] * cfg.members,
                        metrics=[["accuracy"]] * cfg.members)

    def _mean(logs: dict, val: bool) -> float:
        vals = [v for k, v in logs.items() if k.endswith("accuracy") and k.startswith("val_") == val]
        return float(np.mean(vals)) if vals else 0.0

    class _Log(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            val = f" val_acc {_mean(logs, True):.3f}" if any(k.startswith("val_") for k in logs) else ""
            log(f"epoch {epoch + 1}/{cfg.epochs} loss {logs.get('loss', 0) / cfg.members:.3f} "
                f"acc {_mean(logs, False):.3f}{val} (mean of {cfg.members} members)")

    weights = class_weights(y)
    sample_w = np.array([weights[i] for i in range(NUM_CLASSES)], np.float32)[y]
    val = None
    if x_val is not None and len(x_val):
        val = (x_val.astype(np.float32), tuple([y_val] * cfg.members))
    train_model.fit(x.astype(np.float32), tuple([y] * cfg.members), sample_weight=sample_w,
                    batch_size=cfg.batch, epochs=cfg.epochs, validation_data=val, shuffle=True, verbose=0,
                    callbacks=[_Log()])
    avg = outs[0] if cfg.members == 1 else tf.keras.layers.Average()(outs)
    return tf.keras.Model(inp, avg), [tf.keras.Model(inp, o) for o in outs]


def export_tflite(model, path: Path) -> int:
    """Write the float32 LiteRT flatbuffer; returns its size in bytes."""
    import tensorflow as tf

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    data = conv.convert()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)
