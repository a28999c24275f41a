"""`deepfit-coach classify VIDEO`: the timeline of exercises in a video."""

from __future__ import annotations

import json
import sys

import click

from deepfit_coach.cli.common import check_pose_options, pose_options, progress_bar


@click.command()
@click.argument("video")
@click.option("--json", "as_json", is_flag=True, help="Print the timeline as JSON.")
@click.option("--all", "show_all", is_flag=True, help="Also list rest and unknown stretches.")
@click.option("--min-segment", default=None, type=click.FloatRange(0.0),
              help="Shorter exercise stretches (seconds) are merged into their neighbours "
                   "(default: the value chosen on validation, models/exercise_classifier.json).")
@pose_options
def classify(video: str, as_json: bool, show_all: bool, min_segment: float | None, pose_model: str | None,
             variant: str, pose_fallback: float | None, pose_recover: bool | None, alone: bool) -> None:
    """Recognise the exercises in VIDEO (a file, or replay:poses.jsonl) and print
    segments of (exercise, start, end, confidence)."""
    from deepfit_coach.classifier import TemporalClassifier, segment_exercises
    from deepfit_coach.posestream import open_pose_stream
    from deepfit_coach.posetrack import PoseTrack

    check_pose_options(pose_fallback, pose_recover)
    clf = TemporalClassifier()
    skeletons, times = PoseTrack(), []   # float32 rows, not Skeleton objects: long videos stay small
    with open_pose_stream(video, pose_model=pose_model, variant=variant, fallback=pose_fallback,
                          recover=pose_recover, scan_people=not alone) as stream:
        bar, task = progress_bar(stream.frame_count, "classify", enabled=sys.stderr.isatty())
        with bar:
            for pf in stream:
                skeletons.append(pf.skeleton)
                times.append(pf.t_s)
                bar.update(task, advance=1)
    segments = segment_exercises(skeletons, times, classifier=clf, min_segment_s=min_segment,
                                 include_rest=show_all, include_unknown=show_all)
    if as_json:
        click.echo(json.dumps({"video": video, "frames": len(times),
                               "duration_s": round(times[-1], 2) if times else 0.0,
                               "segments": [s.to_dict() for s in segments]}, indent=2))
        return
    if not segments:
        click.echo("no exercise recognised")
        return
    for s in segments:
        click.echo(f"{_clock(s.start)} - {_clock(s.end)}  {s.exercise:<24} {s.confidence:5.0%}")


def _clock(t: float) -> str:
    m, s = divmod(max(t, 0.0), 60)
    return f"{int(m):02d}:{s:04.1f}"
