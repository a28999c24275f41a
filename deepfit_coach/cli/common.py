"""Options and helpers shared by several commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from deepfit_coach.errors import UserError

POSE_VARIANTS = ("lite", "full", "heavy")
ALONE_HELP = ("You are alone in the picture: skip the once-a-second check for other people (about 5% faster; "
              "someone walking past may then be followed instead of you).")


def pose_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--pose-model PATH, --model-variant, --pose-fallback, --pose-recover and --alone, for every command
    that runs the pose model."""
    f = click.option("--alone", "alone", is_flag=True, default=False, help=ALONE_HELP)(f)
    f = click.option("--pose-recover/--no-pose-recover", "pose_recover", default=None,
                     help="Where the pose model loses you (e.g. push-ups facing the camera), follow your last "
                     "known body with its landmark model (after 0.55 s; counted, form judged only on the pose "
                     "model's own frames). On by default (not with --pose-fallback).")(f)
    f = click.option("--pose-fallback", "pose_fallback", type=click.FloatRange(0.0, 1.0), default=None,
                     metavar="CONF", help="Where the pose model finds nobody, ask a second one at this confidence "
                     "(e.g. 0.2; used once the loss lasts 0.55 s) instead of the pose recovery. Off by default.")(f)
    f = click.option("--pose-model", "pose_model", type=click.Path(dir_okay=False), default=None,
                     help="Pose model .task file (default: cached download; see `models list`).")(f)
    f = click.option("--model-variant", "variant", type=click.Choice(POSE_VARIANTS), default="full",
                     show_default=True, help="Pose model size: lite is fastest, heavy most accurate.")(f)
    return f


def check_pose_options(pose_fallback: float | None, pose_recover: bool | None) -> None:
    """The fallback landmarker and the recovery both fill the frames the pose model misses: one at a time
    (``pose_recover`` None: not said, the default - on, or off with a fallback)."""
    if pose_fallback is not None and pose_recover:
        raise UserError("--pose-fallback and --pose-recover both fill the frames the pose model misses: "
                        "choose one", exit_code=2)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".pdf")    # what matplotlib writes
VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".avi")             # what the H.264 writer's containers take


def check_output(path: str | Path, *, folder: bool = False, reads: tuple[str | Path | None, ...] = (),
                 suffixes: tuple[str, ...] = (), option: str = "") -> Path:
    """Fail with one clear line, before any slow work, where ``path`` cannot be written.

    Policy for every command that writes a file the user named: the folder it goes into must
    exist (it is never created: a typo must not leave folders behind). A ``folder`` output
    (a cache directory) may itself be created, inside an existing folder. An output that is one
    of the files the command ``reads`` is refused (``--annotate`` naming the video overwrote the
    recording while it was read), and one whose name does not end in ``suffixes`` too (found
    only after the whole analysis, with a traceback).
    """
    path = Path(path).expanduser()
    name = f"{option} {path}" if option else str(path)
    if suffixes and path.suffix.lower() not in suffixes:
        kinds = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
        raise UserError(f"{name}: end the name in {kinds}")
    for src in reads:
        src = str(src).removeprefix("replay:") if src else src   # a pose recording replayed is read too
        if src and _same_file(path, Path(src).expanduser()):
            raise UserError(f"{name} is the file being read: it would be overwritten; choose another name")
    if folder and path.exists() and not path.is_dir():
        raise UserError(f"{path} is a file, not a folder")
    if not folder and path.is_dir():
        raise UserError(f"{path} is a folder; give a file name")
    if not folder and path.is_file() and not os.access(path, os.W_OK):
        raise UserError(f"{name} is write-protected: choose another name, or allow writing it")
    parent = path.parent
    existing = next(p for p in (parent, *parent.parents) if p.exists() or p == p.parent)
    if not existing.is_dir():
        raise UserError(f"{existing} is a file, not a folder")
    if existing != parent:
        raise UserError(f"{parent} does not exist (create it first)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"cannot write to folder {parent} ({_why_not_writable(parent)})")
    return path


def _why_not_writable(folder: Path) -> str:
    """A read-only mount (a card, a network share) is no matter of permissions: say which it is."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except (OSError, AttributeError):   # no statvfs on Windows
        pass
    return "permission denied"


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` is the existing file ``b`` (a camera index "0" is no file being read)."""
    try:
        return b.is_file() and (os.path.samefile(a, b) if a.exists() else a.resolve() == b.resolve())
    except OSError:
        return False


def table_console(width: int):
    """A Rich console for wide tables: the terminal's width, or ``width`` when piped into a file
    or a pager (Rich falls back to 80 columns there and would squeeze the tables' columns)."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=width)


ROTATE_HELP = ("Turn the video this many degrees clockwise first (a phone video stored sideways or upside down). "
               "An upside-down video is turned upright by itself; 0 keeps it as stored.")


def rotate_option(help: str = ROTATE_HELP) -> Callable[[Callable], Callable]:
    """``--rotate DEG``: a picture stored (or a camera mounted) sideways or upside down, turned clockwise."""
    from deepfit_coach.rotation import ROTATIONS

    return click.option("--rotate", type=click.Choice(ROTATIONS), default=None, metavar="0|90|180|270", help=help)


def poses_cache_option(f: Callable) -> Callable:
    """``--poses FILE``: the pose cache of ``analyze`` and ``classify`` (the pose model runs once per video)."""
    return click.option("--poses", "pose_cache", type=click.Path(dir_okay=False), default=None,
                        help="Pose cache (.jsonl): reused if it exists, written otherwise.")(f)


def load_poses_with_bar(video: str, pose_cache: str | None, *, enabled: bool, pose_model: str | None, variant: str,
                        pose_fallback: float | None, pose_recover: bool | None, alone: bool):
    """The video's poses (through the pose model, or from ``pose_cache``) under a progress bar on stderr."""
    from deepfit_coach.analysis import load_poses

    bar, task = progress_bar(None, "pose", enabled=enabled)

    def step(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total or None)

    with bar:
        return load_poses(video, model_path=pose_model, cache=pose_cache, progress=step, variant=variant,
                          fallback=pose_fallback, recover=pose_recover, scan_people=not alone)


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


def run_and_report(plan, opts, *, plan_path: str, stream=None):
    """Run a coached session with history (if ``opts.history``) and print how it went.

    A history database that cannot be used (damaged, not writable, from a newer version) stops the
    workout before it begins, with what to do and how to train unsaved (--no-history): a warning that
    scrolled away under the dashboard lost a whole session unsaid. With a saved session the end is the full session report
    (achieved vs planned, time under tension, rest, form issues, last time's numbers);
    otherwise the coach's own summary table. Ctrl-C exits 130 after the report, as shells expect.
    """
    from rich.console import Console

    from deepfit_coach.coach.session import print_summary, run_session

    store = None
    if opts.history:
        from deepfit_coach.history import HistoryStore
        from deepfit_coach.history.store import HistoryError

        try:
            store = HistoryStore.open()
        except HistoryError as exc:
            raise UserError(f"{exc.message}; or pass --no-history to train without saving", exit_code=2) from None
    try:
        result = run_session(plan, opts, stream=stream, history_store=store, plan_path=plan_path)
        if store is not None and result.session_id is not None:
            from deepfit_coach.report import build_report, render_rich

            Console().print(render_rich(build_report(store, result.session_id)))
        else:
            print_summary(result.summary)
    finally:
        if store is not None:
            store.close()
    if result.interrupted:
        click.echo("stopped with Ctrl-C; the sets so far are saved" if store is not None else "stopped with Ctrl-C",
                   err=True)
        sys.exit(130)   # everything is saved and shown, but scripts should see the stop
    return result
