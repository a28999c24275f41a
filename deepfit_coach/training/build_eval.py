"""Render and pose the MediaPipe splits ahead of training (cached; safe to interrupt).

    python -m deepfit_coach.training.build_eval --split test --split val
"""

from __future__ import annotations


import click

from deepfit_coach.training.splits import split_items


@click.command()
@click.option("--split", "splits", multiple=True, default=("val", "test"))
@click.option("--seed", default=0, show_default=True)
def main(splits: tuple[str, ...], seed: int) -> None:
    from rich.progress import Progress

    from deepfit_coach.training.dataset import rendered_clips

    from deepfit_coach.model_store import resolve_pose_model

    model = str(resolve_pose_model("full"))
    with Progress() as bar:
        for split in splits:
            items = split_items(split, seed)
            task = bar.add_task(split, total=len(items))
            rendered_clips(items, split, model, progress=lambda: bar.advance(task))


if __name__ == "__main__":
    main()
