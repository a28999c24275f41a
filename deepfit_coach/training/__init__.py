"""Training pipeline of the exercise classifier (needs the ``[train]`` extra for fitting).

dataset generation from the synth (projected joints + MediaPipe-like noise), cached
pose-model runs on rendered validation/test clips, training, LiteRT export, evaluation.
Only ``train.py`` imports TensorFlow.
"""
