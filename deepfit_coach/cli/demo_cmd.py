"""`deepfit-coach demo`: the coach at work without a camera."""

from __future__ import annotations

import click

from deepfit_coach.cli.common import check_pose_options, pose_options, run_and_report


@click.command()
@click.option("--fast", is_flag=True, help="Small frames, no real-time pacing, printed voice (for CI).")
@click.option("--voice", default=None, metavar="pyttsx3|print|none",
              help="Speech backend (default: pyttsx3, or print with --fast).")
@click.option("--dashboard", type=click.Choice(["auto", "live", "log", "none"]), default="auto", show_default=True,
              help="auto: live dashboard on a terminal, log lines otherwise.")
@click.option("--no-history", is_flag=True, help="Do not save the demo session in the history.")
@pose_options
def demo(fast: bool, voice: str | None, dashboard: str, no_history: bool, pose_model: str | None,
         variant: str, pose_fallback: float | None, pose_recover: bool | None, alone: bool) -> None:
    """Run a one-minute built-in workout on a rendered mannequin, through the real pose
    model, with the dashboard, voice and a saved history entry. No camera needed."""
    from deepfit_coach.coach.session import SessionOptions
    from deepfit_coach.demo import demo_plan, demo_source
    from deepfit_coach.posestream import open_pose_stream

    check_pose_options(pose_fallback, pose_recover)
    plan = demo_plan()
    opts = SessionOptions(source="demo", voice=voice or ("print" if fast else "pyttsx3"), pose_model=pose_model,
                          variant=variant, speed=0.0 if fast else 1.0, dashboard=dashboard,
                          history=not no_history, scan_people=not alone)
    stream = open_pose_stream(demo_source(plan, opts.timing, fast), pose_model, variant, fallback=pose_fallback,
                              recover=pose_recover, scan_people=opts.scan_people)
    result = run_and_report(plan, opts, plan_path="<demo>", stream=stream)
    if result.session_id is not None:
        click.echo("Saved to your history: see `deepfit-coach history`. Next: `deepfit-coach start "
                   "workouts/quick_10_minute.yaml` in front of a webcam, or with --source VIDEO.")
