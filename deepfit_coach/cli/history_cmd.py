"""``history``, ``progress`` and ``report``: read the history database and print it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from deepfit_coach.cli.common import IMAGE_SUFFIXES, check_output, table_console
from deepfit_coach.errors import UserError
from deepfit_coach.history.records import OUTCOMES

PROGRESS_TABLE_WIDTH = 140  # characters: the progress tables' width when not printing to a terminal
NARROW_HEADERS = {"Sessions": "Sess.", "Partial": "Part."}  # below PROGRESS_TABLE_WIDTH: "Top fault" keeps 10+


def _store():
    from deepfit_coach.history import HistoryStore

    return HistoryStore.open(read_only=True)


def _console():
    from rich.console import Console

    return Console()


def _session_id(store, value: str | None) -> int:
    """An id, or 'last'/'latest'/nothing for the most recent session."""
    if value is None or value.lower() in ("last", "latest"):
        latest = store.latest_session_id()
        if latest is None:
            raise UserError("no sessions yet; try `deepfit-coach demo`", exit_code=1)
        return latest
    try:
        return int(value)
    except ValueError:
        raise UserError(f"session id must be a number or 'last', got '{value}'", exit_code=1) from None


def _write(text: str, out: Path | None) -> None:
    """``text`` to ``out`` (checked with ``check_output`` beforehand), else to stdout."""
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


def _check_plan_name(name: str, plans: list[str]) -> None:
    """``history --plan NAME`` matched nothing while other plans have sessions: say so (not "no
    sessions yet"), with the nearest plan name or the list of them."""
    from deepfit_coach.yamlfile import did_you_mean

    if not plans:
        return   # nothing recorded at all: the usual "No sessions yet"
    hint = did_you_mean(name, plans) or f"; plans so far: {', '.join(repr(p) for p in plans)}"
    raise UserError(f"no sessions of plan '{name}'{hint}", exit_code=1)


# ---------------------------------------------------------------------- history
@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON array on stdout.")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=None, help="Only the N most recent sessions.")
@click.option("--plan", "plan_name", default=None, help="Only sessions of this plan (its name).")
@click.pass_context
def history(ctx: click.Context, as_json: bool, limit: int | None, plan_name: str | None) -> None:
    """Past sessions, newest first; `history show ID` for sets, reps and form issues."""
    if ctx.invoked_subcommand is not None:
        return
    from deepfit_coach.report import fmt_duration, fmt_when

    with _store() as store:
        if plan_name:   # the plan's name however it is typed ("leg day" for "Leg day")
            plans = sorted({s.plan_name for s in store.list_sessions()})
            plan_name = next((p for p in plans if p.casefold() == plan_name.strip().casefold()), plan_name)
        sessions = store.list_sessions(limit=limit, plan_name=plan_name)
        if plan_name and not sessions:
            _check_plan_name(plan_name, plans)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in sessions]))
        return
    if not sessions:
        click.echo("No sessions yet. Try `deepfit-coach demo`, or `deepfit-coach start PLAN.yaml`.")
        return
    from rich.table import Table

    styles = {"complete": "green", "quit": "yellow", "incomplete": "red", "running": "cyan"}
    table = Table(title="Sessions", show_edge=False, header_style="bold")
    for col, justify in (("ID", "right"), ("Started", "left"), ("Plan", "left"), ("Status", "left"),
                         ("Time", "right"), ("Sets", "right"), ("Reps", "right"), ("Exercises", "left")):
        wraps = col in ("Plan", "Exercises")
        table.add_column(col, justify=justify, no_wrap=not wraps, min_width=9 if wraps else None,  # type: ignore[arg-type]
                         ratio=1 if wraps else None)
    for s in sessions:
        table.add_row(str(s.id), fmt_when(s.started_at), s.plan_name, f"[{styles.get(s.status, '')}]{s.status}[/]",
                      fmt_duration(s.duration_s), str(s.n_sets), str(s.total_reps),
                      ", ".join(e.replace("_", " ") for e in s.exercises))
    _console().print(table)


@history.command("show")
@click.argument("session_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
def show(session_id: str, as_json: bool) -> None:
    """One session: its sets, reps (tempo, range of motion) and form issues. ID may be 'last'."""
    from deepfit_coach.exercises.rom import fmt_rom
    from deepfit_coach.report import fmt_duration, fmt_when

    with _store() as store:
        session = store.get_session(_session_id(store, session_id))
    if as_json:
        click.echo(json.dumps(session.to_dict(with_sets=True)))
        return
    from rich.table import Table

    console = _console()
    console.print(f"[bold]Session {session.id}[/] · {session.plan_name} · {fmt_when(session.started_at)} · "
                  f"{fmt_duration(session.duration_s)} · {session.status}")
    if not session.sets:
        console.print("No sets were started in this session.")
        return
    for s in session.sets:
        if s.target_reps is None and s.target_seconds is not None:
            done = f" {s.reps} reps in {fmt_duration(s.duration_s)} of {fmt_duration(s.target_seconds)}"
        else:
            done = f" {s.reps} of {s.target_reps} reps" if s.target_reps is not None else f" {s.reps} reps"
        rest = f", rest {fmt_duration(s.rest_s)}" if s.rest_s is not None else ""
        unfinished = f" [yellow]({OUTCOMES.get(s.outcome, s.outcome)})[/]" if s.outcome else "" if s.finished else " [red](not finished)[/]"
        console.print(f"\n[bold]{s.exercise.replace('_', ' ')}[/] set {s.set_number} (block {s.block_index + 1}):"
                      f"{done}"
                      f"{f', {s.partial_reps} partial' if s.partial_reps else ''}{unfinished}{rest}")
        if s.rep_list:
            table = Table(show_edge=False, header_style="bold")
            for col in ("Rep", "Start", "Time", "Down", "Up", "ROM", "Side", "Issues"):
                table.add_column(col, justify="left" if col in ("Side", "Issues") else "right")
            for r in s.rep_list:
                table.add_row("partial" if r.partial else str(r.index), f"{r.start_s:.1f}s", f"{r.duration_s:.1f}s",
                              f"{r.down_s:.1f}s", f"{r.up_s:.1f}s", fmt_rom(s.exercise, r.rom_deg, s.rom_unit), r.side,
                              ", ".join(i.replace("_", " ") for i in r.issues) or "–")
            console.print(table)
        for e in s.form_events:
            mark = "fixed" if e.corrected else e.severity
            console.print(f"  {e.t_s:6.1f}s  [{'green' if e.corrected else 'yellow'}]{mark}[/]  {e.rule}: {e.cue}")


@history.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE instead of stdout.")
def export(fmt: str, out: str | None) -> None:
    """Every session, set and rep: JSON (nested) or CSV (one row per set)."""
    from deepfit_coach.history.export import to_csv, to_json

    path = check_output(out) if out else None
    with _store() as store:
        sessions = store.all_sessions()
    _write(to_csv(sessions) if fmt == "csv" else to_json(sessions), path)


# ---------------------------------------------------------------------- progress
def _exercise_name(name: str, known: list[str]) -> str:
    """The trained exercise ``name`` means: its name, a catalogue alias ("air squats"), or a slip."""
    from deepfit_coach.exercises import load_catalogue

    wanted = name.strip().lower().replace("-", "_").replace(" ", "_")
    if wanted in known:
        return wanted
    spec = load_catalogue().find(name)
    if spec is not None and spec.name in known:
        return spec.name
    for candidate in known:  # plural/singular slips: "squat", "pushup"
        if candidate.rstrip("s") == wanted.rstrip("s"):
            return candidate
    import difflib

    close = difflib.get_close_matches(wanted, known, n=1)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif known:
        hint = f"; trained so far: {', '.join(known)}"
    else:
        hint = "; no sessions recorded yet"
    raise UserError(f"no history for exercise '{name}'{hint}", exit_code=1)


def _fault(name: str | None, count: int) -> str:
    return f"{name.replace('_', ' ')} ×{count}" if name else "–"


def _progress_column(table, col: str, left: tuple[str, ...], narrow: bool = False) -> None:
    """Numbers never wrap; names, ranges of motion and faults fold onto more lines, and in a
    ``narrow`` terminal (80 columns) the long headers of short numbers are abbreviated, so that
    every column, "Top fault" last, stays readable."""
    wraps = col in ("Exercise", "ROM", "Top fault")
    table.add_column(NARROW_HEADERS.get(col, col) if narrow else col, justify="left" if col in left else "right",
                     no_wrap=not wraps)


def _totals_table(result, exercise: str | None, width: int):
    """Per exercise: sessions, sets, reps, best set, partial reps, tension, range of motion, top fault."""
    from rich.table import Table

    from deepfit_coach.exercises.rom import fmt_rom
    from deepfit_coach.report import fmt_duration

    table = Table(title=f"Totals: {exercise.replace('_', ' ') if exercise else 'all exercises'}", show_edge=False,
                  pad_edge=False, header_style="bold")
    for col in ("Exercise", "Sessions", "Sets", "Reps", "Best", "Partial", "TUT", "ROM", "Top fault"):
        _progress_column(table, col, ("Exercise", "Top fault"), narrow=width < PROGRESS_TABLE_WIDTH)
    for t in result.totals:
        table.add_row(t.exercise.replace("_", " "), str(t.sessions), str(t.sets), str(t.reps), str(t.best_set_reps),
                      str(t.partial_reps), fmt_duration(t.time_under_tension_s), fmt_rom(t.exercise, t.avg_rom_deg, t.rom_unit),
                      _fault(*t.top_fault) if t.top_fault else "–")
    return table


def _weeks_table(result):
    """Per week: sessions, sets, reps, range of motion, top fault."""
    from rich.table import Table

    from deepfit_coach.exercises.rom import fmt_rom

    table = Table(title="Per week", show_edge=False, pad_edge=False, header_style="bold")
    for col in ("Week", "Sessions", "Sets", "Reps", "ROM", "Top fault"):
        _progress_column(table, col, ("Week", "Top fault"))
    for w in result.weeks:
        table.add_row(w.week, str(w.sessions), str(w.sets), str(w.reps),
                      fmt_rom(result.rom_exercise, w.avg_rom_deg, result.rom_unit) if result.rom_exercise else "–",
                      _fault(w.top_fault, w.top_fault_count))
    return table


@click.command()
@click.argument("exercise", required=False)
@click.option("--plot", "plot", type=click.Path(dir_okay=False), default=None,
              help="Also write a PNG chart (reps per week, average range of motion).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
def progress(exercise: str | None, plot: str | None, as_json: bool) -> None:
    """Totals and weekly trends: reps, range of motion, most frequent form fault."""
    from deepfit_coach.history.trends import compute_progress, plot_progress
    from deepfit_coach.exercises.rom import fmt_rom

    if plot:
        check_output(plot, suffixes=IMAGE_SUFFIXES, option="--plot")
    with _store() as store:
        if exercise is not None:
            exercise = _exercise_name(exercise, store.exercises())
        sessions = store.all_sessions()
    result = compute_progress(sessions, exercise)
    if plot and result.weeks:
        from deepfit_coach.outfile import written_whole

        with written_whole(plot, "the plot") as part:
            plot_progress(result, part)
        click.echo(f"wrote {plot}", err=True)
    elif plot:
        click.echo(f"nothing to plot yet; {plot} not written", err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict()))
        return
    if not result.totals:
        click.echo("No sets recorded yet. Try `deepfit-coach demo`.")
        return
    console = table_console(PROGRESS_TABLE_WIDTH)
    console.print(_totals_table(result, exercise, console.width))
    console.print(_weeks_table(result))
    lines = []
    if len(result.weeks) >= 2:
        first, last = result.weeks[0].reps, result.weeks[-1].reps
        lines.append(f"Reps this week vs first week: {last} vs {first} ({last - first:+d}).")
    if result.rom_change_deg is not None and result.rom_exercise:
        change = fmt_rom(result.rom_exercise, abs(result.rom_change_deg), result.rom_unit)
        lines.append(f"Average range of motion changed by {'-' if result.rom_change_deg < 0 else '+'}{change}"
                     " since the first week.")
    if result.top_fault:
        lines.append(f"Most frequent form fault: {_fault(*result.top_fault)}.")
    for line in lines:
        console.print(line)


# ---------------------------------------------------------------------- report
@click.command()
@click.argument("session_id", metavar="[ID]", required=False)
@click.option("--html", "html", type=click.Path(dir_okay=False), default=None, help="Also write an HTML report.")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object on stdout.")
def report(session_id: str | None, html: str | None, as_json: bool) -> None:
    """Summary of one session (default: the last): planned vs done, tension, rest, form."""
    from deepfit_coach.report import build_report, render_html, render_rich

    path = check_output(html) if html else None
    with _store() as store:
        result = build_report(store, _session_id(store, session_id))
    if path:
        _write(render_html(result), path)
    if as_json:
        click.echo(json.dumps(result.to_dict()))
        return
    _console().print(render_rich(result))
