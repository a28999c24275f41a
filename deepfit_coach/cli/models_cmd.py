"""`deepfit-coach models`: which pose models are cached, and fetching them."""

from __future__ import annotations

import click


@click.group()
def models() -> None:
    """List or download MediaPipe pose models (lite, full, heavy)."""


@models.command("list")
def list_models() -> None:
    """Each variant, whether an intact copy is cached, and where."""
    from rich.table import Table

    from deepfit_coach import model_store
    from deepfit_coach.cli.common import table_console

    table = Table("variant", "size", "cached", "path")
    table.columns[3].overflow = "fold"   # a path is copied, never cut with an ellipsis
    for st in model_store.status():
        v = model_store.VARIANTS[st.name]
        cached = "[green]yes[/]" if st.cached else ("[red]damaged[/]" if st.problem else "no")
        table.add_row(st.name, f"{v.size / 1e6:.1f} MB", cached, str(st.path))
    table_console(200).print(table)


@models.command("pull")
@click.argument("variant", type=click.Choice(["lite", "full", "heavy"]), default="full")
@click.option("--from", "origin", default=None, metavar="PATH_OR_URL",
              help="A local .task file or folder, or a base URL, instead of the official download.")
def pull(variant: str, origin: str | None) -> None:
    """Download (or copy) a pose model into the cache, checking size and sha256."""
    from deepfit_coach import model_store

    if origin is None:
        cached = model_store.cached_path(variant)
        if cached.is_file() and model_store.check_cached(cached, model_store.variant(variant)) is None:
            click.echo(f"{variant} pose model already cached and intact: {cached}")
            return
    path = model_store.fetch(variant, origin)
    click.echo(f"{variant} pose model ready: {path}")
