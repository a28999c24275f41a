"""The exercise catalogue: one YAML file per exercise, validated into ExerciseSpec."""

from deepfit_coach.exercises.catalogue import (
    BUILTIN_NAMES, Catalogue, builtin_exercises, get_exercise, load_catalogue, load_exercise_file, parse_exercise,
)
from deepfit_coach.exercises.spec import CountingSpec, ExerciseSpec, FormRule, SignalSpec

__all__ = ["BUILTIN_NAMES", "Catalogue", "CountingSpec", "ExerciseSpec", "FormRule", "SignalSpec",
           "builtin_exercises", "get_exercise", "load_catalogue", "load_exercise_file", "parse_exercise"]
