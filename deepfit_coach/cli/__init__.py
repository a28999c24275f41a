"""The ``deepfit-coach`` command line: parses, wires and prints; the work lives elsewhere.

Commands are registered lazily (name -> "module:attribute") so that ``--help`` and
``--version`` never import MediaPipe, OpenCV or LiteRT.
"""

from __future__ import annotations

import importlib
import sys

import click

from deepfit_coach import __version__

# name -> (import path, one-line help shown in --help without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "start": ("deepfit_coach.cli.start_cmd:start", "Run a YAML workout plan hands-free (camera or video)."),
    "demo": ("deepfit_coach.cli.demo_cmd:demo", "Try the coach without a camera on a rendered workout."),
    "analyze": ("deepfit_coach.cli.analyze_cmd:analyze", "Count reps and check form in a video."),
    "classify": ("deepfit_coach.cli.classify_cmd:classify", "Recognise the exercises in a video (timeline)."),
    "eval": ("deepfit_coach.cli.eval_cmd:eval_cmd", "Measure counting/recognition accuracy on labelled videos."),
    "validate": ("deepfit_coach.cli.plan_cmd:validate", "Check a workout plan and report every error."),
    "new": ("deepfit_coach.cli.plan_cmd:new", "Write a commented workout plan template."),
    "exercises": ("deepfit_coach.cli.plan_cmd:exercises", "List the exercise catalogue with camera advice."),
    "schema": ("deepfit_coach.cli.plan_cmd:schema", "Print the JSON Schema of workout plans."),
    "history": ("deepfit_coach.cli.history_cmd:history", "Past sessions, sets and reps."),
    "progress": ("deepfit_coach.cli.history_cmd:progress", "Totals and trends over time."),
    "report": ("deepfit_coach.cli.history_cmd:report", "Summary report of one session."),
    "pose": ("deepfit_coach.cli.pose_cmd:pose", "Dump pose landmarks of a video to JSONL, or replay them."),
    "synth": ("deepfit_coach.cli.synth_cmd:synth", "Render a mannequin doing exercises, with exact truth."),
    "train": ("deepfit_coach.cli.train_cmd:train", "Retrain the exercise classifier (needs the [train] extra)."),
    "models": ("deepfit_coach.cli.models_cmd:models", "List or download pose models."),
}


def _available(name: str) -> bool:
    module = COMMANDS[name][0].split(":")[0]
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module_name, attr = COMMANDS[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def resolve_command(self, ctx, args):  # type: ignore[override]
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            import difflib

            name = args[0] if args else ""
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                raise click.UsageError(f"No such command '{name}'. Did you mean '{close[0]}'?") from exc
            raise


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="deepfit-coach")
def cli() -> None:
    """deepfit-coach: a voice-guided personal trainer in your terminal.

    A webcam (or a video) feeds MediaPipe pose estimation; the coach recognises the
    exercise, counts your reps, checks your form and speaks to you while a dashboard
    shows your progress through a YAML workout plan.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns UserError into one line on stderr and its exit code."""
    from deepfit_coach.errors import UserError

    try:
        cli.main(args=argv, prog_name="deepfit-coach", standalone_mode=False)
    except UserError as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
