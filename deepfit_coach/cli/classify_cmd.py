"""`deepfit-coach classify VIDEO`: the timeline of exercises in a video."""

from __future__ import annotations

import json
import sys

import click

from deepfit_coach.cli.common import (check_output, check_pose_options, load_poses_with_bar, pose_options,
                                      poses_cache_option, rotate_option)
from deepfit_coach.errors import collected_warnings, warn
from deepfit_coach.rotation import UPSIDE_DOWN_TURNED, upright


@click.command()
@click.argument("video")
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
@click.option("--all", "show_all", is_flag=True, help="Also list rest and unknown stretches.")
@click.option("--min-segment", default=None, type=click.FloatRange(0.0),
              help="Shorter exercise stretches (seconds) are merged into their neighbours "
                   "(default: the value chosen on validation, models/exercise_classifier.json).")
@rotate_option()
@poses_cache_option
@pose_options
def classify(video: str, as_json: bool, show_all: bool, min_segment: float | None, rotate: str | None,
             pose_cache: str | None, pose_model: str | None, variant: str, pose_fallback: float | None,
             pose_recover: bool | None, alone: bool) -> None:
    """Recognise the exercises in VIDEO (a file, or replay:poses.jsonl) and print
    segments of (exercise, start, end, confidence)."""
    from deepfit_coach.classifier import TemporalClassifier, segment_exercises

    check_pose_options(pose_fallback, pose_recover)
    if pose_cache:
        check_output(pose_cache, reads=(video,), option="--poses")
    clf = TemporalClassifier()
    with collected_warnings() as warnings:
        poses = load_poses_with_bar(video, pose_cache, enabled=sys.stderr.isatty(), pose_model=pose_model,
                                    variant=variant, pose_fallback=pose_fallback, pose_recover=pose_recover,
                                    alone=alone)
        poses, _, turned = upright(poses, rotate)
        if turned:   # an upside-down squat set was called sit-ups
            warn(UPSIDE_DOWN_TURNED)
    times = poses.times
    segments = segment_exercises(poses.skeletons, times, classifier=clf, min_segment_s=min_segment,
                                 include_rest=show_all, include_unknown=show_all)
    if as_json:
        click.echo(json.dumps({"video": video, "frames": len(times),
                               # to the last frame's end, as the segments run (16.73 s for 251 frames at 15 fps)
                               "duration_s": round(times[-1] + 1.0 / poses.fps, 2) if times else 0.0,
                               "segments": [s.to_dict() for s in segments],
                               "warnings": warnings}, indent=2))
        return
    if not segments:
        click.echo("no exercise recognised")
        return
    for s in segments:
        click.echo(f"{_clock(s.start)} - {_clock(s.end)}  {s.exercise:<24} {s.confidence:5.0%}")


def _clock(t: float) -> str:
    m, s = divmod(max(t, 0.0), 60)
    return f"{int(m):02d}:{s:04.1f}"
