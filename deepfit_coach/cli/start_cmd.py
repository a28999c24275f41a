"""`deepfit-coach start PLAN.yaml`: the hands-free workout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from deepfit_coach.cli.common import check_output, check_pose_options, pose_options, rotate_option, run_and_report
from deepfit_coach.errors import SourceError, UserError


@click.command()
@click.argument("plan_file", metavar="PLAN.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-s", "--source", default="0", show_default=True,
              help="Camera index, video file, stream URL, or replay:poses.jsonl.")
@click.option("--voice", default="pyttsx3", show_default=True, metavar="pyttsx3|print|none",
              help="Speech backend: pyttsx3 (spoken), print (text lines), none. record:FILE keeps a JSON-lines "
                   "log of what would be said: session time t_s, kind (count, safety, tip, chatter), text.")
@click.option("--preview", is_flag=True, help="Also show the camera image with the skeleton (needs a display).")
@click.option("--mirror", is_flag=True, help="Mirror the preview and the terminal skeleton (selfie view).")
@click.option("--speed", type=float, default=1.0, show_default=True,
              help="Files only: playback speed; 0 runs as fast as possible.")
@click.option("--dashboard", type=click.Choice(["auto", "live", "log", "none"]), default="auto", show_default=True,
              help="auto: live dashboard on a terminal, log lines otherwise.")
@click.option("--no-history", is_flag=True, help="Do not save this session in the history.")
@click.option("--no-classifier", is_flag=True, help="Do not check which exercise is being done.")
@rotate_option("Turn the picture this many degrees clockwise (a camera or phone mounted sideways or upside down, "
               "a video stored so). An upside-down picture is turned upright by itself; 0 keeps it as it comes.")
@pose_options
def start(plan_file: Path, source: str, voice: str, preview: bool, mirror: bool, speed: float, dashboard: str,
          no_history: bool, no_classifier: bool, rotate: str | None, pose_model: str | None, variant: str,
          pose_fallback: float | None, pose_recover: bool | None, alone: bool) -> None:
    """Run the workout in PLAN.yaml hands-free: spoken counts, cues and rests.

    Keys (when this is a terminal): space pause/resume, n skip, q quit. Ctrl-C stops
    and shows the summary.
    """
    from deepfit_coach.coach.session import SessionOptions
    from deepfit_coach.plan import load_plan
    from deepfit_coach.rotation import quarter_turns
    from deepfit_coach.yamlfile import YamlValidationError

    if voice not in ("pyttsx3", "print", "none") and not voice.startswith("record"):
        raise click.BadParameter(f"'{voice}': choose pyttsx3, print, none or record:FILE", param_hint="--voice")
    if voice.startswith("record:"):
        check_output(voice[len("record:"):])   # a log nobody can write is a mistake to say now
    if speed < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--speed")
    check_pose_options(pose_fallback, pose_recover)
    try:
        plan = load_plan(plan_file)
    except YamlValidationError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        click.echo(f"{plan_file}: not started; fix the plan (deepfit-coach validate {plan_file})", err=True)
        sys.exit(1)
    opts = SessionOptions(source=source, voice=voice, pose_model=pose_model, variant=variant, preview=preview,
                          mirror=mirror, speed=speed, dashboard=dashboard, history=not no_history,
                          classifier=not no_classifier, pose_fallback=pose_fallback,
                          pose_recover=pose_recover, scan_people=not alone, rotate=quarter_turns(rotate))
    try:
        run_and_report(plan, opts, plan_path=str(plan_file))
    except SourceError as exc:
        if str(source).strip().isdigit() and "demo" not in exc.message:
            raise SourceError(f"{exc.message.rstrip('.')}, or try `deepfit-coach demo`", exc.exit_code) from None
        raise


__all__ = ["start", "UserError"]
