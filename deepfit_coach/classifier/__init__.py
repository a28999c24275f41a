"""Exercise recognition: per-frame LiteRT model, window model, temporal decision, timeline.

    from deepfit_coach.classifier import TemporalClassifier, segment_exercises
    clf = TemporalClassifier()            # loads models/exercise_classifier.tflite (+ window)
    decision = clf.update(skeleton, t_s)  # Decision(label, confidence); "unknown" if unsure
"""

from deepfit_coach.classifier.labels import CLASSES, EXERCISES, NUM_CLASSES, REST, UNKNOWN
from deepfit_coach.classifier.runtime import ExerciseClassifier, WindowClassifier
from deepfit_coach.classifier.segment import Segment, decide_all, segment_exercises, segments_from_labels
from deepfit_coach.classifier.temporal import Decision, TemporalClassifier

__all__ = [
    "CLASSES", "EXERCISES", "NUM_CLASSES", "REST", "UNKNOWN", "ExerciseClassifier", "WindowClassifier",
    "Segment", "decide_all", "segment_exercises", "segments_from_labels", "Decision", "TemporalClassifier",
]
