"""`deepfit-coach eval DIR`: counting, form and recognition accuracy on labelled videos."""

from __future__ import annotations

import json
import math
import sys

import click

from deepfit_coach.cli.common import pose_options

EVAL_TABLE_WIDTH = 180  # characters: the per-exercise table's width when not printing to a terminal


def _fmt(x: float, pct: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:.0%}" if pct else f"{x:.3f}"


@click.command("eval")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
@click.option("--confusion", type=click.Path(dir_okay=False), default=None,
              help="Write the auto-mode confusion matrix (frames) as PNG.")
@click.option("--no-auto", is_flag=True, help="Given mode only (no classifier).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None,
              help="Directory for pose caches (.jsonl), reused on the next run.")
@click.option("--exercises", "extra", type=click.Path(dir_okay=False), default=None,
              help="YAML file with custom exercises.")
@pose_options
def eval_cmd(directory: str, as_json: bool, confusion: str | None, no_auto: bool, cache_dir: str | None,
             extra: str | None, pose_model: str | None, variant: str, pose_fallback: float | None,
             pose_recover: bool | None, alone: bool) -> None:
    """Evaluate every video in DIRECTORY that has a VIDEO.truth.json beside it (the synth
    truth schema) or rows in DIRECTORY/counts.csv (your own videos, counted by hand): MAE,
    OBO and exact counts in given and auto mode, form-fault recall, false alarms per clean rep
    and classification accuracy, per exercise. Pose caches (--cache) record the pose model and
    its settings: caches made otherwise are refused, never mixed in.

    \b
    counts.csv, one row per set (times optional, seconds or m:ss; rest: a clip with no reps):
      video,exercise,reps,start_s,end_s
      garden.mp4,squats,12,,
      gym.mp4,bicep curls,10,4.5,31
      hall.mp4,rest,0,,
    A video of two exercises needs its sets' times; a rotate column (0, 90, 180, 270) turns a
    video stored sideways, as analyze --rotate. Hand counts give no form figures; without times,
    class. acc. is whether auto mode named the exercise (the main one, for a video of one exercise)."""
    from deepfit_coach.cli.common import IMAGE_SUFFIXES, check_output, check_pose_options, progress_bar
    from deepfit_coach.evaluation import evaluate
    from deepfit_coach.exercises import load_catalogue

    check_pose_options(pose_fallback, pose_recover)
    cat = load_catalogue(extra)
    if confusion:
        check_output(confusion, suffixes=IMAGE_SUFFIXES, option="--confusion")
    if cache_dir:
        check_output(cache_dir, folder=True).mkdir(exist_ok=True)
    bar, task = progress_bar(None, "eval", enabled=sys.stderr.isatty())

    def step(done: int, total: int, name: str) -> None:
        bar.update(task, completed=done, total=total, description=f"eval {name}")

    with bar:
        report = evaluate(directory, cat, auto=not no_auto, cache_dir=cache_dir, model_path=pose_model,
                          variant=variant, progress=step, pose_fallback=pose_fallback, pose_recover=pose_recover,
                          scan_people=not alone)
    # the result first: a confusion matrix that cannot be written then loses nothing of it
    if as_json:
        click.echo(json.dumps(report.to_json()))
    else:
        _print_report(report, directory)
    if confusion and report.confusion is None:
        click.echo(f"{confusion} not written: the confusion matrix counts frames by their labels in truth files "
                   f"(auto mode only), and {'auto mode was off' if no_auto or not report.auto_available else 'no clip had one'}",
                   err=True)
    if confusion and report.confusion is not None:
        from deepfit_coach.outfile import written_whole
        from deepfit_coach.report_plots import plot_confusion

        with written_whole(confusion, "the confusion matrix") as part:
            plot_confusion(report.confusion, report.labels, part, "auto mode: frames by truth and prediction")
        click.echo(f"wrote {confusion}", err=True)


def _print_report(report, directory: str) -> None:
    from rich.table import Table

    from deepfit_coach.cli.common import table_console

    table = Table(title=f"eval {directory}")
    cols = ("exercise", "sets", "reps", "MAE", "OBO", "exact", "auto MAE", "auto OBO", "fault recall",
            "judged recall", "advised-view recall", "false alarms/clean rep", "class. acc.")
    for c in cols:
        table.add_column(c, justify="left" if c == "exercise" else "right")
    rows = list(report.per_exercise.values()) + [report.overall()]
    for s in rows:
        table.add_row(s.exercise, str(s.sets), str(s.truth_reps), _fmt(s.given_mae), _fmt(s.given_obo, True),
                      _fmt(s.given_exact, True), _fmt(s.auto_mae), _fmt(s.auto_obo, True),
                      _fmt(s.fault_recall, True), _fmt(s.judged_recall, True), _fmt(s.advised_recall, True),
                      _fmt(s.false_alarms_per_clean_rep),
                      _fmt(s.classification_accuracy, True))
    # piped into a file or a pager the table keeps its 13 columns readable (Rich falls back to 80 columns there)
    console = table_console(EVAL_TABLE_WIDTH)
    console.print(table)
    auto = "n/a" if report.rest_false_reps_auto is None else str(report.rest_false_reps_auto)
    console.print(f"rest-only clips: {report.rest_clips}, reps counted in them: given mode (all exercises) "
                  f"{report.rest_false_reps_given}, auto mode {auto}")
    if not report.auto_available:
        console.print("auto mode skipped: no exercise classifier model available")
    if not math.isnan(report.overhead_ratio):
        console.print(f"analysis overhead: {report.overhead_ratio:.1%} of pose-model time")
