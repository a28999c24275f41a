"""``deepfit-coach synth``: render a mannequin doing exercises, with an exact truth file."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from deepfit_coach.cli.common import check_output
from deepfit_coach.errors import UserError

VIEW_CHOICES = ("front", "side", "45", "back")
DEFAULT_WORKOUT = ("squats:5", "pushups:5", "bicep_curls:6", "jumping_jacks:8")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size must look like 640x480, got {text!r}") from None
    if not (32 <= w <= 3840 and 32 <= h <= 2160):
        raise UserError(f"--size {text} is out of range (32x32 .. 3840x2160)")
    return w, h


def _exercise_name(name: str) -> str:
    """The catalogue's name for an alias ('curls' -> 'bicep_curls'), as every other command takes it."""
    from deepfit_coach.plan import ExerciseCatalogue

    info = ExerciseCatalogue.load().find(name)
    return info.name if info is not None else name


def _parse_set(item: str, reps: int, side: str | None, faults: tuple[str, ...]):
    """``name[:reps[:fault+fault]]`` -> SetSpec."""
    from deepfit_coach.synth import SetSpec

    parts = item.split(":")
    name = _exercise_name(parts[0])
    n = reps
    if len(parts) > 1 and parts[1]:
        try:
            n = int(parts[1])
        except ValueError:
            raise UserError(f"bad set {item!r}: reps must be a number (format NAME[:REPS[:FAULT+FAULT]])") from None
    fs = tuple(f for f in parts[2].split("+") if f) if len(parts) > 2 else faults
    return SetSpec(name, n, side, fs)


@click.command("synth")
@click.argument("exercises", nargs=-1)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Video to write (.mp4); the truth goes to <name>.truth.json beside it.")
@click.option("--reps", type=click.IntRange(1, 200), default=5, show_default=True, help="Reps per set.")
@click.option("--view", type=click.Choice(VIEW_CHOICES), default="front", show_default=True,
              help="Where the camera stands relative to the person.")
@click.option("--yaw", type=float, default=None, help="Camera yaw in degrees (overrides --view; 90 = left side).")
@click.option("--pitch", type=float, default=8.0, show_default=True, help="Camera looks down by this many degrees.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same video and truth.")
@click.option("--fault", "faults", multiple=True, metavar="NAME",
              help="Form fault on every rep (repeatable); see the list in TRUTH_SCHEMA.md.")
@click.option("--fault-prob", type=click.FloatRange(0, 1), default=0.0, help="Chance of a random fault per rep.")
@click.option("--side", type=click.Choice(["both", "left", "right", "alternating"]), default=None,
              help="Working side (default: the exercise's usual one).")
@click.option("--rest-before", type=click.FloatRange(0, 600), default=1.0, show_default=True,
              help="Seconds of rest motion before the set.")
@click.option("--rest-after", type=click.FloatRange(0, 600), default=0.5, show_default=True,
              help="Seconds of rest motion after the set.")
@click.option("--rest-kind", type=click.Choice(["standing", "walk_in_place", "walk_across", "stretching",
                                                "pick_up_weights"]), default="standing", show_default=True,
              help="The rest motion; in a workout every rest before a set (without this option the first is "
                   "standing and each later one is drawn from standing, walk_in_place, walk_across, stretching).")
@click.option("--workout", is_flag=True,
              help="String several sets (EXERCISES as NAME[:REPS[:FAULT+FAULT]]) with rests into one clip.")
@click.option("--rest", "rest_s", type=click.FloatRange(0, 600), default=4.0, show_default=True,
              help="Seconds of rest between sets in a workout.")
@click.option("--fps", type=click.FloatRange(1, 120), default=30.0, show_default=True)
@click.option("--size", default="640x480", show_default=True, help="Frame size WIDTHxHEIGHT.")
@click.option("--fill", type=click.FloatRange(0.2, 3.0), default=0.8, show_default=True,
              help="Share of the frame the motion spans (> 1 crops the body).")
@click.option("--mirror", is_flag=True, help="Mirror the image like a selfie camera.")
@click.option("--noise", type=click.FloatRange(0, 50), default=0.0, help="Pixel noise (std of grey levels).")
@click.option("--blur", type=click.IntRange(0, 31), default=0, help="Horizontal blur in pixels (defocus, shake).")
@click.option("--motion-blur", type=click.IntRange(0, 16), default=0,
              help="Sub-frames averaged per frame so moving limbs smear (e.g. 4).")
@click.option("--gallery", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write a contact sheet PNG of every exercise instead of a video.")
def synth(exercises: tuple[str, ...], output: Path | None, reps: int, view: str, yaw: float | None, pitch: float,
          seed: int, faults: tuple[str, ...], fault_prob: float, side: str | None, rest_before: float,
          rest_after: float, rest_kind: str, workout: bool, rest_s: float, fps: float, size: str, fill: float,
          mirror: bool, noise: float, blur: int, motion_blur: int, gallery: Path | None) -> None:
    """Render a mannequin doing EXERCISE with exact rep, fault and joint truth.

    \b
    Examples:
      deepfit-coach synth squats --reps 5 -o squats.mp4
      deepfit-coach synth pushups --view side --fault hips_sag -o sag.mp4
      deepfit-coach synth --workout squats:5 lunges:6 pushups:8 -o workout.mp4
      deepfit-coach synth --gallery gallery.png
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if gallery is not None:
        from deepfit_coach.synth.gallery import gallery as make_gallery

        if gallery.suffix.lower() != ".png":
            raise UserError(f"--gallery writes a PNG; use a .png name, not {gallery.name!r}")
        check_output(gallery)
        with Progress(TextColumn("gallery"), BarColumn(), MofNCompleteColumn(), console=console) as progress:
            task = progress.add_task("gallery", total=11)
            make_gallery(gallery, seed=seed, on_row=lambda i, n: progress.update(task, completed=i, total=n))
        click.echo(f"wrote {gallery}")
        return
    if output is None:
        raise UserError("say where to write the video: -o out.mp4")
    if output.suffix.lower() not in (".mp4", ".avi"):
        raise UserError(f"the video must be .mp4 or .avi, not {output.name!r}")
    check_output(output)
    width, height = _size(size)

    from deepfit_coach.synth import ClipSpec, WorkoutSpec, validate, write_clip
    from deepfit_coach.synth.clip import exercise_choices

    common = dict(view=view, yaw=yaw, pitch=pitch, seed=seed, fps=fps, width=width, height=height, fill=fill,
                  mirror=mirror, noise=noise, blur=blur, motion_blur=motion_blur)
    if workout:
        sets = [_parse_set(item, reps, side, faults) for item in (exercises or DEFAULT_WORKOUT)]
        for s in sets:
            s.fault_prob = fault_prob
        given = click.get_current_context().get_parameter_source("rest_kind") is not ParameterSource.DEFAULT
        spec = WorkoutSpec(sets=sets, rest_s=rest_s, rest_before=rest_before, rest_after=rest_after,
                           rest_kinds=(rest_kind,) if given else None, **common)
    else:
        if len(exercises) != 1:
            raise UserError(f"name one exercise (or use --workout for several); {exercise_choices()}")
        spec = ClipSpec(_exercise_name(exercises[0]), reps=reps, side=side, faults=tuple(faults), fault_prob=fault_prob,
                        rest_before=rest_before, rest_after=rest_after, rest_kind=rest_kind, **common)
    try:
        validate(spec)
    except ValueError as exc:
        raise UserError(str(exc)) from None

    columns = (TextColumn("rendering"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("render", total=None)
        try:
            truth = write_clip(spec, output, on_frame=lambda i, n: progress.update(task, completed=i, total=n))
        except OSError as exc:
            raise UserError(str(exc)) from None
    from deepfit_coach.synth import truth_path

    faults_seen = sorted({f for r in truth.reps for f in r.faults})
    counts = ", ".join(f"{k} {v}" for k, v in truth.counts().items()) or "no reps"
    click.echo(f"wrote {output} ({truth.frame_count} frames, {truth.fps:g} fps, {width}x{height}) and "
               f"{truth_path(output)}: {counts}" + (f"; faults: {', '.join(faults_seen)}" if faults_seen else ""))
