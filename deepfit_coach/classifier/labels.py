"""Class labels of the exercise classifier, in the seed's output order plus ``rest``."""

from __future__ import annotations

CLASSES: tuple[str, ...] = (
    "squats", "lunges", "bicep_curls", "situps", "pushups", "tricep_extensions",
    "dumbbell_rows", "jumping_jacks", "dumbbell_shoulder_press", "lateral_shoulder_raises",
    "rest",
)
EXERCISES: tuple[str, ...] = CLASSES[:10]
REST = "rest"
UNKNOWN = "unknown"
NUM_CLASSES = len(CLASSES)
CLASS_INDEX: dict[str, int] = {name: i for i, name in enumerate(CLASSES)}
