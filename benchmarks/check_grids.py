"""The counting check grids: render them, evaluate a version of the code on them, compare two versions.

Every stop measures a change on the same rendered grids (BENCHMARKS.md, "Stop NN" sections): the
level tuning pool, two pitched tuning grids, the held-out front/side and 45-degree grids and the
fresh grids of new people. Machines here are new at each stop, so the grids are rendered again
from their seeds (the pose model's output is cached beside the clips), and two versions of the
code are then compared on the same cached poses.

    python benchmarks/check_grids.py list
    python benchmarks/check_grids.py render [GRID...] [--root DIR] [--jobs 2]
    python benchmarks/check_grids.py eval TAG [GRID...] [--rev REV] [--cache NAME] [--root DIR]
    python benchmarks/check_grids.py compare BASE FINAL [GRID...] [--root DIR]

``render`` runs ``benchmarks/eval_rendered.py --no-write`` (``fast_tempo.py`` for the brisk
grids), ``--jobs`` grids at a time (about 7-9 minutes a grid on two shared cores). ``eval`` runs
``deepfit-coach eval --json`` in both modes on each grid's cached poses with the code of ``REV``
(a ``git archive`` of that revision, kept in ROOT/code/REV; default: this checkout) into
ROOT/runs/TAG/GRID.json (about 20 s a grid). ``compare`` prints the sets whose counts, faults
found or false alarms differ, and the markdown table the "Stop NN" sections hold. Always take
the baseline by ``eval`` of the old revision on the same caches: eval_rendered.py's own first
report reads unrounded poses and is not comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GRIDS_ROOT = Path(os.environ.get("DEEPFIT_GRIDS", "/work/data"))


@dataclass(frozen=True)
class Grid:
    name: str
    seed0: int
    args: tuple[str, ...] = ()
    brisk: bool = False     # fast_tempo.py, not eval_rendered.py


# group, then grid; the table pools a group's grids
GRIDS: tuple[tuple[str, tuple[Grid, ...]], ...] = (
    ("Level tuning pool", tuple(Grid(f"pool_{c}", s) for c, s in zip("abcd", (9100, 9500, 9700, 9900))),),
    ("Pitch tuning, 15 deg up", (Grid("evalpm15_tune", 28500, ("--pitch", "-15")),)),
    ("Pitch tuning, 20 deg down", (Grid("evalp20_tune", 27500, ("--pitch", "20")),)),
    ("Held-out front/side", (Grid("eval_heldout", 10300),)),
    ("Held-out 45 deg", (Grid("eval45_heldout", 16500, ("--views", "45")),)),
    ("Fresh level fresh4", (Grid("fresh4", 41000),)),
    ("Fresh level fresh5", (Grid("fresh5", 42000),)),
    ("Fresh level fresh6", (Grid("fresh6", 43000),)),
    ("Fresh level fresh7", (Grid("fresh7", 44000),)),
    ("Fresh level fresh8", (Grid("fresh8", 45000),)),
    ("Brisk reps 38500+", (Grid("fastA", 38500, brisk=True),)),
    ("Brisk reps 39000+", (Grid("fastB", 39000, brisk=True),)),
)
BY_NAME = {g.name: g for _, grids in GRIDS for g in grids}


def chosen(names: list[str]) -> list[Grid]:
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        sys.exit(f"unknown grid {', '.join(unknown)}: `python benchmarks/check_grids.py list` names them")
    return [BY_NAME[n] for n in names] if names else list(BY_NAME.values())


def render(grid: Grid, root: Path) -> str:
    script = "fast_tempo.py" if grid.brisk else "eval_rendered.py"
    cmd = [sys.executable, str(ROOT / "benchmarks" / script), "--dir", str(root / grid.name),
           "--seed0", str(grid.seed0), *grid.args] + ([] if grid.brisk else ["--no-write"])
    log = root / f"render_{grid.name}.log"
    with open(log, "w") as fh:
        rc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT).returncode
    return f"{grid.name}: {'rendered' if rc == 0 else f'FAILED (exit {rc}, see {log})'}"


def code_tree(rev: str | None, root: Path) -> Path:
    """This checkout, or a ``git archive`` of ``rev`` (kept, so a second eval reuses it)."""
    if rev is None:
        return ROOT
    out = root / "code" / rev
    if not (out / "deepfit_coach").is_dir():
        out.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def evaluate(grid: Grid, tag: str, code: Path, root: Path, cache_name: str = "poses_rec") -> str:
    d = root / grid.name
    cache = d / cache_name
    if not cache.is_dir():
        return f"{grid.name}: no cached poses in {cache} (render it first)"
    out = root / "runs" / tag / f"{grid.name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(code)}
    res = subprocess.run([sys.executable, "-m", "deepfit_coach", "eval", str(d), "--cache", str(cache), "--json"],
                         capture_output=True, text=True, env=env, cwd=root)
    if res.returncode != 0:
        return f"{grid.name}: eval FAILED: {res.stderr.strip().splitlines()[-1] if res.stderr.strip() else res.returncode}"
    out.write_text(res.stdout)
    o = json.loads(res.stdout)["overall"]
    return f"{grid.name}: given MAE {o['given_mae']:.3f} OBO {o['given_obo']:.1%}, auto MAE {o['auto_mae']:.3f}"


def load_sets(root: Path, tag: str, grids: list[Grid]) -> list[dict] | None:
    sets = []
    for g in grids:
        p = root / "runs" / tag / f"{g.name}.json"
        if not p.is_file():
            return None
        sets += [{**s, "grid": g.name} for s in json.loads(p.read_text())["sets"]]
    return sets


def summary(sets: list[dict]) -> dict:
    """A group's figures over its sets pooled, by eval's own definitions (``evaluation.exercise_stats``),
    with the faults found and the false alarms as counts."""
    from deepfit_coach.evaluation import SetOutcome, exercise_stats

    st = exercise_stats("all", [SetOutcome(**{k: v for k, v in s.items() if k != "grid"}) for s in sets])
    in_view = [s for s in sets if advised(s)]
    return {"sets": st.sets, "given": (st.given_mae, st.given_obo, st.given_exact),
            "auto": (st.auto_mae, st.auto_obo, st.auto_exact),
            "recall": (sum(sum(s["faults_found"].values()) for s in sets), st.faults),
            "alarms": (sum(s["false_alarms"] for s in sets), st.clean_reps),
            "advised": (sum(sum(s["faults_found"].values()) for s in in_view),
                        sum(sum(s["faults_total"].values()) for s in in_view))}


def advised(s: dict) -> bool:
    """Whether a set was filmed from one of its exercise's advised views, by today's catalogue (so that
    runs made before a view was added to the advice compare alike): the set's ``view`` as eval recorded
    it, or, for runs made before eval recorded it, the view read from the clip's name, as the grids name
    their clips."""
    from deepfit_coach.evaluation import in_advised_view
    from deepfit_coach.exercises import get_exercise

    views = get_exercise(s["exercise"]).views
    if s.get("view"):
        return in_advised_view(views, s["view"])
    return any(in_advised_view(views, part) for part in Path(s["video"]).stem[len(s["exercise"]) + 1:].split("_"))


def _counts(t: tuple[float, float, float]) -> str:
    return f"{t[0]:.3f} / {t[1]:.1%} / {t[2]:.1%}"


def _share(t: tuple[int, int]) -> str:
    return f"{t[0]} of {t[1]}"


def cell(a, b, fmt) -> str:
    return f"identical: {fmt(a)}" if fmt(a) == fmt(b) else f"{fmt(a)} -> {fmt(b)}"


def compare(base: str, final: str, names: list[str], root: Path) -> None:
    wanted = set(names) if names else None
    rows, changed = [], []
    for title, grids in GRIDS:
        grids = tuple(g for g in grids if wanted is None or g.name in wanted)
        a, b = load_sets(root, base, list(grids)), load_sets(root, final, list(grids))
        if not grids or a is None or b is None:
            continue
        for x, y in zip(a, b):
            keys = ("given", "auto", "faults_found", "false_alarms")
            if [x[k] for k in keys] != [y[k] for k in keys]:
                changed.append(f"{x['grid']}/{x['video']} (truth {x['truth']}): given {x['given']} -> {y['given']}, "
                               f"auto {x['auto']} -> {y['auto']}, faults found {sum(x['faults_found'].values())} -> "
                               f"{sum(y['faults_found'].values())}, false alarms {x['false_alarms']} -> {y['false_alarms']}")
        sa, sb = summary(a), summary(b)
        rows.append(f"| {title} ({sa['sets']}) | {cell(sa['given'], sb['given'], _counts)} | "
                    f"{cell(sa['auto'], sb['auto'], _counts)} | {cell(sa['recall'], sb['recall'], _share)} | "
                    f"{cell(sa['alarms'], sb['alarms'], _share)} | {cell(sa['advised'], sb['advised'], _share)} |")
    print("Changed sets:" if changed else "No set changed.")
    for line in changed:
        print("  " + line)
    print("\n| check set | given MAE / OBO / exact | auto MAE / OBO / exact | fault recall | false alarms / clean rep "
          "| fault recall, advised view |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", type=Path, default=DEFAULT_GRIDS_ROOT,
                    help="where the grids live (default $DEEPFIT_GRIDS or /work/data)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    r = sub.add_parser("render")
    r.add_argument("grids", nargs="*")
    r.add_argument("--jobs", type=int, default=2)
    e = sub.add_parser("eval")
    e.add_argument("tag")
    e.add_argument("grids", nargs="*")
    e.add_argument("--rev", help="a git revision (default: this checkout as it is)")
    e.add_argument("--cache", default="poses_rec", help="the pose caches' folder in each grid (default poses_rec; "
                                                       "e.g. poses made by `bystander.py scan --out`)")
    c = sub.add_parser("compare")
    c.add_argument("base")
    c.add_argument("final")
    c.add_argument("grids", nargs="*")
    args = ap.parse_args()
    from rich.progress import Progress

    if args.cmd == "list":
        for title, grids in GRIDS:
            for g in grids:
                print(f"{g.name:16s} --seed0 {g.seed0} {' '.join(g.args):14s} {title}")
        return
    if args.cmd == "compare":
        compare(args.base, args.final, args.grids, args.root)
        return
    grids = chosen(args.grids)
    args.root.mkdir(parents=True, exist_ok=True)
    with Progress(transient=False) as bar:
        task = bar.add_task(args.cmd, total=len(grids))
        if args.cmd == "render":
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                for line in pool.map(lambda g: render(g, args.root), grids):
                    bar.console.print(line)
                    bar.advance(task)
        else:
            code = code_tree(args.rev, args.root)
            for g in grids:
                bar.console.print(evaluate(g, args.tag, code, args.root, args.cache))
                bar.advance(task)


if __name__ == "__main__":
    main()
