"""Workout history: sessions, sets, reps and form events in SQLite (see ``store``)."""

from deepfit_coach.history.records import (FormEventRecord, PlannedBlock, RepRecord, SessionRecord,
                                           SetRecord)
from deepfit_coach.history.store import HistoryError, HistoryStore, UnknownSessionError

__all__ = ["HistoryStore", "HistoryError", "UnknownSessionError", "PlannedBlock", "SessionRecord",
           "SetRecord", "RepRecord", "FormEventRecord"]
