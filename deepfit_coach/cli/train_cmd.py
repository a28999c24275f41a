"""`deepfit-coach train`: retrain the exercise classifier (needs the [train] extra)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--seed", default=0, show_default=True, help="Seed of every random choice (data, init).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the models and reports (default: the repository's models/).")
@click.option("--train-clips", default=None, type=click.IntRange(10), help="Synth joint clips for training.")
@click.option("--mediapipe-train-clips", "mptrain", default=None, type=click.IntRange(0),
              help="Rendered clips run through the pose model and added to training.")
@click.option("--val-clips", default=None, type=click.IntRange(1), help="Rendered validation clips.")
@click.option("--weak-cells", is_flag=True,
              help="Add the rendered clips of splits.WEAK_CELLS to training (an experiment, not the shipped models).")
@click.option("--side-arm-cells", is_flag=True,
              help="Also add splits.SIDE_ARM_CELLS (side-on shoulder presses and lateral raises) after the weak "
                   "cells (an experiment).")
@click.option("--epochs", default=25, show_default=True, type=click.IntRange(1))
@click.option("--no-test", is_flag=True, help="Skip the held-out evaluation.")
@click.option("--select-only", is_flag=True,
              help="Only re-run the choice of the temporal settings on validation, for the models already in --out.")
@click.option("--eval-confidence", type=click.FloatRange(0.0, 1.0), default=None,
              help="Pose-model confidences of the validation and test clips, for experiments (default: the "
                   "runtime's; training clips stay at 0.5).")
def train(seed: int, out_dir: Path | None, train_clips: int | None, mptrain: int | None, val_clips: int | None,
          weak_cells: bool, side_arm_cells: bool, epochs: int, no_test: bool, select_only: bool,
          eval_confidence: float | None) -> None:
    """Generate data from the synth (joints + rendered frames through the real pose
    model, cached in .classifier_cache/), fit the per-frame and window models, export
    .tflite, choose the temporal-decision settings on validation and report held-out
    accuracy. Reproducible: the same seed gives the same models."""
    import importlib.util
    from dataclasses import replace

    from deepfit_coach.cli.common import check_output
    from deepfit_coach.errors import UserError

    if out_dir is not None:
        check_output(out_dir, folder=True)
    # found, not imported: TensorFlow must first be imported by the trainer (training.fit),
    # which sets the environment it reads once at import (oneDNN), or runs differ in bytes
    if not select_only and importlib.util.find_spec("tensorflow") is None:
        raise UserError("training needs TensorFlow: pip install 'deepfit-coach[train]'", exit_code=2)
    from deepfit_coach.training.pipeline import TrainConfig, reselect, run
    from deepfit_coach.training.splits import SIDE_ARM_CELLS, WEAK_CELLS, Budget

    cells = (WEAK_CELLS if weak_cells else ()) + (SIDE_ARM_CELLS if side_arm_cells else ())
    budget = Budget(mptrain_cells=cells) if cells else Budget()
    changes = {k: v for k, v in (("train_clips", train_clips), ("mptrain_clips", mptrain),
                                 ("val_clips", val_clips)) if v is not None}
    cfg = TrainConfig(seed=seed, budget=replace(budget, **changes), epochs=epochs, evaluate_test=not no_test,
                      eval_confidence=eval_confidence)
    if out_dir is not None:
        cfg.out_dir = out_dir
    out_dir = cfg.out_dir
    if select_only:
        from deepfit_coach.classifier.runtime import FRAME_MODEL, WINDOW_MODEL

        if not ((out_dir / FRAME_MODEL).is_file() and (out_dir / WINDOW_MODEL).is_file()):
            raise UserError(f"--select-only needs {FRAME_MODEL} and {WINDOW_MODEL} in {out_dir}", exit_code=2)
        report = reselect(cfg, log=lambda m: click.echo(m, err=True))
        click.echo(f"validation scores {report['val_scores']} -> {out_dir}")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    report = run(cfg, log=lambda m: click.echo(m, err=True))
    test = report.get("test", {}).get("shipped")
    if test:
        click.echo(f"held-out: video {test['video_accuracy']:.1%}, frame {test['frame_accuracy']:.1%}, "
                   f"rest {test['rest_recall']:.1%} -> {out_dir}")
