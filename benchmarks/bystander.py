"""A second person in the picture: does the count stay with the person exercising?

Real rooms and gyms have other people in them. Each clip of this grid is rendered twice from
the same seed (45000+, outside every tuning and held-out range): once with a bystander
(``ClipSpec.bystander``: walking past behind, walking past in front, standing behind) and
once without, the exerciser, camera and look identical. Both grids go through
``deepfit-coach eval`` (given and auto mode, real pose model), so the difference is the
bystander's alone. Rest clips (the exerciser standing) check that a passer-by is no rep.

    python benchmarks/bystander.py render --dir DIR [--jobs 2]
    python benchmarks/bystander.py eval --dir DIR [--cache NAME]   # prints the table, per set
    python benchmarks/bystander.py scan GRID_DIR... [--cache poses_rec]   # one-person clips: does a scan see two?

Rendering and the pose model take about 12 minutes on two shared cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deepfit_coach.synth import EXERCISES_ORDER, ClipSpec, write_clip  # noqa: E402
from deepfit_coach.synth.bystander import BYSTANDER_KINDS  # noqa: E402

SEED0 = 45000
VIEWS = ("front", "45", "side")


def specs() -> list[tuple[str, dict]]:
    """(file stem, ClipSpec fields) of the grid, bystander included."""
    out = []
    i = 0
    for ex in EXERCISES_ORDER:
        for k, kind in enumerate(BYSTANDER_KINDS):
            view = VIEWS[(k + EXERCISES_ORDER.index(ex)) % len(VIEWS)]
            out.append((f"{ex}_{view}_{kind}", dict(exercise=ex, reps=6 + i % 3, view=view, seed=SEED0 + i,
                                                    fault_prob=0.0, tempo=0.8 + 0.2 * (i % 3), rest_before=2.0,
                                                    rest_after=1.5, bystander=kind)))
            i += 1
    for kind in BYSTANDER_KINDS:
        out.append((f"rest_standing_{kind}", dict(exercise="standing", duration=10.0, view="front",
                                                  seed=SEED0 + i, bystander=kind)))
        i += 1
    return out


def render_one(root: Path, stem: str, fields: dict, with_bystander: bool) -> str:
    d = root / ("with" if with_bystander else "without")
    out = d / f"{stem}.mp4"
    if out.exists() and out.with_suffix(".truth.json").exists():
        return f"{stem}: cached"
    spec = ClipSpec(**{**fields, "bystander": fields["bystander"] if with_bystander else None})
    write_clip(spec, out)
    return f"{stem}: rendered"


def render(root: Path, jobs: int) -> None:
    todo = [(stem, f, w) for stem, f in specs() for w in (True, False)]
    with ProcessPoolExecutor(jobs) as pool:
        for msg in pool.map(render_one, [root] * len(todo), *zip(*todo)):
            print(msg, flush=True)


def evaluate(root: Path, cache: str = "poses") -> dict:
    """eval --json of both halves; the pose model's output cached in each half's ``cache`` folder
    (a new name for new pose-stage code: a cache is reused as it is)."""
    res = {}
    for sub in ("with", "without"):
        d = root / sub
        cmd = [sys.executable, "-m", "deepfit_coach", "eval", str(d), "--cache", str(d / cache), "--json"]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if out.returncode:
            sys.exit(f"eval {d} failed: {out.stderr.strip().splitlines()[-1:]}")
        res[sub] = json.loads(out.stdout)
    return res


def table(res: dict) -> list[str]:
    rows = ["| clip | truth | without: given / auto | with a bystander: given / auto |", "|---|---|---|---|"]
    by = {s["video"]: s for s in res["with"]["sets"]}
    for s in res["without"]["sets"]:
        w = by.get(s["video"], {})
        rows.append(f"| {s['video'].removesuffix('.mp4')} | {s['truth']} | {s['given']} / {s['auto']} | "
                    f"{w.get('given')} / {w.get('auto')} |")
    for sub in ("without", "with"):
        o = res[sub]["overall"]
        rows.append(f"\n{sub}: given MAE {o['given_mae']:.3f} OBO {o['given_obo']:.1%} exact {o['given_exact']:.1%}; "
                    f"auto MAE {o['auto_mae']:.3f} OBO {o['auto_obo']:.1%}; rest clips' reps given "
                    f"{res[sub]['rest_false_reps_given']}, auto {res[sub]['rest_false_reps_auto']}")
    return rows


def _dropped(line: str, frames: set[int]) -> str:
    """A pose file's line, made 'nobody found' if its frame is one of ``frames``."""
    rec = json.loads(line)
    return json.dumps({"t_ms": rec["t_ms"], "frame": rec["frame"], "person": None}) if rec.get("frame") in frames else line


def scan(dirs: list[Path], cache: str = "poses_rec", out: str | None = None) -> None:
    """Every clip through the decisions ``PoseEstimator`` makes while it follows one person
    (``people.Follower``: its scans, real, and the frames it drops after a jump of the person followed),
    fed the clip's cached poses (``cache``: the single-person landmarker's output, which on one-person
    clips is what ``PoseEstimator`` gets). On clips of one person a switch to following several would
    change that clip's poses (a clip is followed up to such a switch only). With ``out`` the poses with
    the dropped frames are written to each grid's ``out`` folder, to be evaluated like any pose cache."""
    import cv2

    from deepfit_coach import people
    from deepfit_coach.model_store import resolve_pose_model
    from deepfit_coach.pose import DEFAULT_CONFIDENCES, MAX_PEOPLE, _landmarker, _xy
    from deepfit_coach.posefile import PoseFile
    from deepfit_coach.quiet import native_stderr_silenced

    with native_stderr_silenced():
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision
        scanner = _landmarker(vision, BaseOptions, resolve_pose_model("full", None), DEFAULT_CONFIDENCES,
                              num_poses=MAX_PEOPLE, video=False)

    clips = frames = fired = jumps = dropped = 0
    try:
        for d in dirs:
            for video in sorted(d.glob("*.mp4")):
                posefile = d / cache / f"{video.stem}.poses.jsonl"
                lines = posefile.read_text().splitlines() if posefile.exists() else []
                poses = {r.index: r for r in PoseFile(posefile)} if lines else {}
                cap = cv2.VideoCapture(str(video))
                fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
                follower, i, hits, switched, gone = people.Follower(), 0, 0, False, set()

                def look(img, t_ms: int) -> list[np.ndarray]:
                    nonlocal hits, frames, switched
                    with native_stderr_silenced():
                        res = scanner.detect(mp.Image(image_format=mp.ImageFormat.SRGB,
                                                      data=cv2.cvtColor(img, cv2.COLOR_BGR2RGB)))
                    found = [_xy(p) for p in res.pose_landmarks]
                    frames, hits = frames + 1, hits + people.several(found, img.shape[1], img.shape[0])
                    switched = follower.scanned(found, t_ms, img.shape[1], img.shape[0])
                    return found

                while not switched:   # as PoseEstimator.process while one person is followed
                    ok, img = cap.read()
                    if not ok:
                        break
                    h, w = img.shape[:2]
                    t_ms = int(round(i * 1000 / fps))
                    if follower.scans.due(t_ms):
                        look(img, t_ms)
                    rec = poses.get(i)
                    if rec is not None and rec.skeleton is not None and not switched:
                        before = follower.scans.last_ms
                        if not follower.take(rec.skeleton.image[:, :2].astype(np.float64), t_ms, w, h,
                                             lambda: look(img, t_ms)):
                            gone.add(rec.index)
                        jumps += follower.scans.last_ms != before
                    i += 1
                cap.release()
                clips += 1
                fired += switched
                dropped += len(gone)
                if hits or gone:
                    print(f"{video}: {hits} scans saw several people{' (switched)' if switched else ''}, "
                          f"{len(gone)} frames dropped", flush=True)
                if out and lines:
                    (d / out).mkdir(exist_ok=True)
                    (d / out / posefile.name).write_text("\n".join([lines[0]] + [_dropped(ln, gone) for ln in lines[1:]]) + "\n")
    finally:
        with native_stderr_silenced():
            scanner.close()
    print(f"{clips} clips, {frames} scans ({jumps} out of turn, after a jump): {fired} clips switched to "
          f"following several people (two scans seeing several within {people.CONFIRM_WITHIN_S} s), "
          f"{dropped} frames dropped as maybe someone else")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("render", "eval", "scan"))
    ap.add_argument("dirs", type=Path, nargs="*", help="scan: grid directories of one-person clips")
    ap.add_argument("--dir", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", help="scan: write the poses with the dropped frames to this folder in each grid")
    ap.add_argument("--cache", help="the pose caches' folder name (eval: in each half, default poses; "
                                    "scan: in each grid, default poses_rec)")
    a = ap.parse_args()
    if a.what == "scan":
        scan(a.dirs, a.cache or "poses_rec", a.out)
        return
    if a.dir is None:
        ap.error("--dir is needed")
    if a.what == "render":
        render(a.dir, a.jobs)
    else:
        res = evaluate(a.dir, a.cache or "poses")
        (a.dir / "eval.json").write_text(json.dumps(res))
        print("\n".join(table(res)))


if __name__ == "__main__":
    main()
