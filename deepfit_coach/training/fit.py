"""Fit the two small MLPs with Keras and export them as float32 .tflite files.

The only module that imports TensorFlow (the ``[train]`` extra). A Normalization layer
fitted on the training data is baked into each model, so the runtime feeds raw inputs.
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


def _tf(seed: int):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    import tensorflow as tf

    tf.keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(2)
    return tf


def fit_mlp(x: np.ndarray, y: np.ndarray, x_val: np.ndarray | None, y_val: np.ndarray | None,
            cfg: FitConfig, log=print):
    """Train ``n_in -> hidden... -> 11 softmax``; returns the Keras model."""
    tf = _tf(cfg.seed)
    norm = tf.keras.layers.Normalization()
    norm.adapt(x.astype(np.float32))
    layers = [tf.keras.Input((x.shape[1],)), norm, tf.keras.layers.GaussianNoise(cfg.input_noise)]
    for h in cfg.hidden:
        layers += [tf.keras.layers.Dense(h, activation="relu"), tf.keras.layers.Dropout(cfg.dropout)]
    layers.append(tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"))
    model = tf.keras.Sequential(layers)
    steps = cfg.epochs * int(np.ceil(len(x) / cfg.batch))
    sched = tf.keras.optimizers.schedules.CosineDecay(cfg.lr, steps)
    model.compile(tf.keras.optimizers.Adam(sched), "sparse_categorical_crossentropy", metrics=["accuracy"])

    class _Log(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            val = f" val_acc {logs['val_accuracy']:.3f}" if "val_accuracy" in logs else ""
            log(f"epoch {epoch + 1}/{cfg.epochs} loss {logs.get('loss', 0):.3f} acc {logs.get('accuracy', 0):.3f}{val}")

    val = (x_val.astype(np.float32), y_val) if x_val is not None and len(x_val) else None
    model.fit(x.astype(np.float32), y, batch_size=cfg.batch, epochs=cfg.epochs, validation_data=val,
              class_weight=class_weights(y), shuffle=True, verbose=0, callbacks=[_Log()])
    return model


def export_tflite(model, path: Path) -> int:
    """Write the float32 LiteRT flatbuffer; returns its size in bytes."""
    import tensorflow as tf

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    data = conv.convert()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)
