"""Options and helpers shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

POSE_VARIANTS = ("lite", "full", "heavy")


def pose_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--pose-model PATH and --model-variant, for every command that runs the pose model."""
    f = click.option("--pose-model", "pose_model", type=click.Path(dir_okay=False), default=None,
                     help="Pose model .task file (default: cached download; see `models list`).")(f)
    f = click.option("--model-variant", "variant", type=click.Choice(POSE_VARIANTS), default="full",
                     show_default=True, help="Pose model size: lite is fastest, heavy most accurate.")(f)
    return f


def progress_bar(total: int | None, description: str, enabled: bool = True):
    """A Rich progress bar on stderr (so stdout stays clean for JSON), transient."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeRemainingColumn)

    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TimeRemainingColumn(),
                        console=Console(stderr=True), disable=not enabled, transient=True)
    task = progress.add_task(description, total=total)
    return progress, task
