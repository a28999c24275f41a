"""Plan commands: ``validate``, ``new``, ``exercises``, ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from deepfit_coach.cli.common import check_output
from deepfit_coach.errors import UserError
from deepfit_coach.text import plural
from deepfit_coach.yamlfile import YamlValidationError

TEMPLATE = """\
# A deepfit-coach workout plan. Check it with:  deepfit-coach validate {file}
# Run it with:                                  deepfit-coach start {file}
# Format reference: docs/plans.md   ·   exercise names: deepfit-coach exercises

name: My workout                  # shown on the dashboard and spoken in the intro
description: Legs, push and a short cardio circuit.

voice:
  enabled: true                   # false: no speech (the dashboard still shows everything)
  rate: 175                       # words per minute (50-400)
  volume: 0.9                     # 0.0-1.0
  # voice: english                # an installed voice id or part of its name

countdown: 5                      # seconds counted down before the first set of each exercise

defaults:                         # used by every block that does not say otherwise
  sets: 3
  reps: 10
  rest: 45                        # seconds of rest after each set
  rest_after: 60                  # seconds of rest after the last set of a block
  cues:
    counts: true                  # say every rep count
    encouragement: true           # "two more", "last one"
    form: true                    # form tips from the checker (safety cues are always spoken)
    tips: true                    # tempo tips, "better!"
    rest_countdown: true          # "10 seconds", "3, 2, 1"

blocks:
  - exercise: squats
    sets: 3
    reps: 12
    tempo: 2-0-1                  # seconds down - hold - up; "slower" tip when much faster

  - exercise: pushups
    reps: 8
    rest: 60

  - name: Cardio finisher         # a circuit: every exercise once per round
    rounds: 2
    rest: 10                      # between the exercises of a round
    rest_after_round: 45
    circuit:
      - exercise: jumping_jacks
        duration: 30              # a timed set, in seconds
      - exercise: lunges
        reps: 10
"""


def _print_issues(exc: YamlValidationError) -> None:
    for issue in exc.issues:
        click.echo(str(issue), err=True)
    click.echo(f"{plural(len(exc.issues), 'problem')} found", err=True)


@click.command()
@click.argument("plans", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print problems only.")
def validate(plans: tuple[Path, ...], quiet: bool) -> None:
    """Check workout plans (or custom exercise files) and report every problem as file:line:col (exit code 1)."""
    from deepfit_coach.plan import ExerciseCatalogue, load_plan

    bad = 0
    for path in plans:
        if _is_exercise_file(path):
            bad += not _validate_exercises(path, quiet)
            continue
        try:
            plan = load_plan(path, ExerciseCatalogue.load())
        except YamlValidationError as exc:
            _print_issues(exc)
            bad += 1
            continue
        except UserError as exc:
            click.echo(exc.message if str(path) in exc.message else f"{path}: {exc.message}", err=True)
            bad += 1
            continue
        if not quiet:
            exercises = sorted({s.display_name for s in plan.sets})
            minutes = plan.estimated_minutes()
            click.echo(f"ok: {path}: '{plan.name}', {plural(len(plan.block_names), 'block')}, "
                       f"{plural(len(plan.sets), 'set')}, "
                       f"{'under a minute' if minutes < 0.5 else f'~{minutes:.0f} min'} ({', '.join(exercises)})")
    if bad:
        sys.exit(1)


def _is_exercise_file(path: Path) -> bool:
    """A custom exercise file (one exercise or a list of them: ``counting`` and ``signals``), not a plan."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False   # load_plan says what is wrong with it
    # an exercise with its counting missing or misspelt is still an exercise: it has keys only an exercise has
    from deepfit_coach.exercises.catalogue import TOP_KEYS as EXERCISE_KEYS
    from deepfit_coach.plan import TOP_KEYS as PLAN_KEYS

    own, plans = set(EXERCISE_KEYS) - set(PLAN_KEYS), set(PLAN_KEYS) - set(EXERCISE_KEYS)

    def exercise(d: object) -> bool:
        return isinstance(d, dict) and any(k in own for k in d) and not any(k in plans for k in d)

    # a list of exercises (a plan is a mapping: a list of blocks is a plan written wrong, said as one)
    return any(exercise(d) for d in data) if isinstance(data, list) else exercise(data)


def _validate_exercises(path: Path, quiet: bool) -> bool:
    """``validate`` on a custom exercise file checks it as one (a plan's checks found 17 'unknown keys')."""
    from deepfit_coach.exercises import load_exercise_file

    try:
        specs = load_exercise_file(path)
    except YamlValidationError as exc:
        _print_issues(exc)
        return False
    if not quiet:
        click.echo(f"ok: {path}: custom {'exercise' if len(specs) == 1 else 'exercises'} "
                   f"{', '.join(s.name for s in specs)}")
    return True


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--force", is_flag=True, help="Overwrite an existing file.")
def new(path: Path, force: bool) -> None:
    """Write a commented workout plan template to PATH."""
    check_output(path)
    if path.exists() and not force:
        raise UserError(f"{path} already exists (use --force to overwrite)", exit_code=1)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{path}: plans are YAML files; use a .yaml name", exit_code=1)
    path.write_text(TEMPLATE.format(file=path.name), encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then: deepfit-coach validate {path}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--exercises", "--custom", "custom", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Also list (and so check) the custom exercises of this YAML file, as analyze and eval take "
                   "them (repeatable).")
def exercises(as_json: bool, custom: tuple[str, ...]) -> None:
    """List the exercise catalogue with each exercise's camera advice."""
    from deepfit_coach.exercises import load_catalogue

    try:
        cat = load_catalogue(list(custom) or None)
    except YamlValidationError as exc:
        _print_issues(exc)
        sys.exit(1)
    specs = list(cat)
    if as_json:
        click.echo(json.dumps([{"name": s.name, "display_name": s.display_name, "aliases": list(s.aliases),
                                "view": s.view, "views": list(s.views), "camera_advice": s.camera_advice, "required": list(s.required)}
                               for s in specs], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    # rendered clips with the camera looking down 20 deg (a shelf): squats facing it counted one rep
    # short in 4 of 4 sets and their faults went unseen (BENCHMARKS.md, "Camera pitch and forward lean")
    table = Table(title="Exercises (use the name in plans; aliases work too)", show_lines=True, expand=True,
                  caption="For every exercise: the camera level, at about hip height. Looking down at you "
                          "(from a shelf) or up (from the floor) it misreads depth.")
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("camera placement", ratio=3)
    table.add_column("also called", style="dim", ratio=2, overflow="fold")
    for s in specs:   # every alias, one a line: each is a name a plan may use, none cut with an ellipsis
        table.add_row(s.name, s.camera_advice, "\n".join(s.aliases))
    Console().print(table)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of workout plans (for editor completion and checks)."""
    from deepfit_coach.plan import plan_json_schema

    if output:
        check_output(output)
    try:
        from deepfit_coach.exercises import load_catalogue

        names = [s.name for s in load_catalogue()]
    except Exception:  # noqa: BLE001 - the schema is still useful without the names
        names = []
    text = json.dumps(plan_json_schema(names), indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(text)
