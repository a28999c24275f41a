"""Rendered ground truth: a mannequin performing the 10 exercises (and resting) on video,
with exact labels, rep boundaries, form faults and joint positions.

See ``clip`` for the API and ``TRUTH_SCHEMA.md`` for the truth file.
"""

from deepfit_coach.synth.body import Body, sample_body
from deepfit_coach.synth.clip import (Clip, ClipSpec, Plan, Shot, WorkoutSpec, frame_source, iter_frames, joints_only,
                                      plan, render_clip, validate, write_clip)
from deepfit_coach.synth.exercises import EXERCISES, EXERCISES_ORDER, FAULTS
from deepfit_coach.synth.motion import REST_KINDS, RepTruth, SetSpec
from deepfit_coach.synth.scene import Look
from deepfit_coach.synth.truth import Truth, TruthFrame, truth_path

__all__ = ["Body", "Clip", "ClipSpec", "EXERCISES", "EXERCISES_ORDER", "FAULTS", "Look", "Plan", "REST_KINDS",
           "RepTruth", "SetSpec", "Shot", "Truth", "TruthFrame", "WorkoutSpec", "frame_source", "iter_frames", "joints_only",
           "plan", "render_clip", "sample_body", "truth_path", "validate", "write_clip"]
