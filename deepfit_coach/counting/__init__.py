"""Rep counting and form checking: smoothing, signals, counter, form rules, tracker."""

from deepfit_coach.counting.tracker import ExerciseTracker, LiveValues, Readiness

__all__ = ["ExerciseTracker", "LiveValues", "Readiness"]
