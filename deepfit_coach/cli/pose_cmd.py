"""`deepfit-coach pose`: record a source's poses to JSONL, or replay a recording."""

from __future__ import annotations

import sys

import click

from deepfit_coach.cli.common import check_output, check_pose_options, pose_options, progress_bar


@click.command()
@click.argument("source", required=False)
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the JSON Lines (one object per frame).")
@click.option("--replay", "replay", type=click.Path(dir_okay=False), default=None,
              help="Feed a recorded poses.jsonl through the pipeline as if it were live.")
@click.option("--realtime/--no-realtime", default=False, help="Replay at the recording's pace.")
@pose_options
def pose(source: str | None, output: str, replay: str | None, realtime: bool, pose_model: str | None,
         variant: str, pose_fallback: float | None, pose_recover: bool | None, alone: bool) -> None:
    """Dump one JSON line per frame of SOURCE (video file, camera index or URL):
    timestamp, 33 landmarks, 33 world landmarks, or null when nobody is found."""
    from deepfit_coach.errors import UserError

    if replay:
        _replay(replay, realtime)
        return
    if source is None:
        raise UserError("give a video file (or camera index) to read, or --replay poses.jsonl", exit_code=2)

    check_pose_options(pose_fallback, pose_recover)
    if output != "-":
        check_output(output, reads=(source,), option="-o")
    from deepfit_coach.pose import DEFAULT_CONFIDENCES, FALLBACK_AFTER_S
    from deepfit_coach.posefile import PoseWriter
    from deepfit_coach.posestream import open_pose_stream

    with open_pose_stream(source, pose_model=pose_model, variant=variant, fallback=pose_fallback,
                          recover=pose_recover, scan_people=not alone) as stream:
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
        try:
            # the container's frame count too: a run killed half way keeps what it saw (a camera's recording),
            # and reusing that file for the video (--poses) then says it ends early
            writer = PoseWriter(out, stream.name, stream.fps, DEFAULT_CONFIDENCES,
                                None if pose_fallback is None else (pose_fallback, FALLBACK_AFTER_S), stream.recover,
                                stream.scan_people, source_frames=stream.frame_count, model=stream.model,
                                source_seconds=stream.announced_s)
            bar, task = progress_bar(stream.frame_count, "pose", enabled=sys.stderr.isatty() or output != "-")
            detected = total = 0
            with bar:
                for pf in stream:
                    writer.write(pf.timestamp_ms, pf.index, pf.skeleton)
                    total += 1
                    detected += pf.skeleton is not None
                    bar.update(task, advance=1)
        finally:
            if out is not sys.stdout:
                out.close()
    if output != "-":
        click.echo(f"{total} frames, person found in {detected} ({detected / max(total, 1):.0%}) -> {output}", err=True)


def _replay(path: str, realtime: bool) -> None:
    """Print what the pipeline sees in a recording, frame by frame."""
    from deepfit_coach.features import joint_angles, visibility_summary
    from deepfit_coach.posestream import REPLAY_PREFIX, open_pose_stream

    with open_pose_stream(REPLAY_PREFIX + path, realtime=realtime) as stream:
        for pf in stream:
            if pf.skeleton is None:
                click.echo(f"{pf.t_s:8.3f}s  frame {pf.index:5d}  no person")
                continue
            vis = visibility_summary(pf.skeleton.image)
            ang = joint_angles(pf.skeleton.pixels)
            shown = " ".join(f"{k}={ang[k]:.0f}" for k in ("left_elbow", "right_elbow", "left_knee", "right_knee"))
            missing = ",".join(vis.missing()) or "-"
            click.echo(f"{pf.t_s:8.3f}s  frame {pf.index:5d}  {shown}  hidden: {missing}")
