"""The hands-free coach: a pure state machine (engine), its events and its words."""

from deepfit_coach.coach.engine import Coach, CoachStatus, CoachTiming, Phase
from deepfit_coach.coach.events import CoachEvent, Priority, Utterance

__all__ = ["Coach", "CoachStatus", "CoachTiming", "Phase", "CoachEvent", "Priority", "Utterance"]
