"""``--alone``: someone alone in the picture turns off the once-a-second check for other people
(``PoseEstimator(scan_people=False)``). The switch must reach the estimator from every command that
runs the pose model, the estimator must then really not scan, and pose caches made with and without
the check must not stand in for each other."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from deepfit_coach.cli import cli
from deepfit_coach.posefile import PoseFile, PoseWriter
from deepfit_coach.skeleton import NUM_LANDMARKS, Skeleton
from conftest import run_cli

RECOVER = (0.9, 0.9, 0.55)   # what PoseEstimator(recover=True).recover records: the default run's cache
PLAN = Path(__file__).resolve().parents[1] / "workouts" / "quick_10_minute.yaml"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A short rendered squat (about 3 s at 15 fps, small frames) with its truth file beside it (for eval)."""
    from deepfit_coach.synth import ClipSpec, write_clip

    out = tmp_path_factory.mktemp("alone") / "squats.mp4"
    write_clip(ClipSpec(exercise="squats", reps=1, view="45", seed=3, fps=15, width=320, height=240,
                        rest_before=0.4, rest_after=0.2), out)
    return out


class _Reached(Exception):
    """Raised by the fake estimator once it has seen its arguments: nothing after it needs to run."""


@pytest.mark.parametrize("command", ["analyze", "classify", "pose", "eval", "start", "demo"])
def test_alone_reaches_the_pose_estimator(command: str, clip: Path, monkeypatch) -> None:
    import deepfit_coach.pose

    seen: list[dict] = []

    def fake(*args, **kwargs):
        seen.append(kwargs)
        raise _Reached

    monkeypatch.setattr(deepfit_coach.pose, "PoseEstimator", fake)
    args = {"analyze": ["analyze", str(clip), "-e", "squats"], "classify": ["classify", str(clip)],
            "pose": ["pose", str(clip), "-o", str(clip.with_suffix(".jsonl"))], "eval": ["eval", str(clip.parent)],
            "start": ["start", str(PLAN), "-s", str(clip), "--no-history", "--voice", "none"],
            "demo": ["demo", "--fast", "--no-history"]}[command]
    for extra, scan in (([], True), (["--alone"], False)):
        res = CliRunner().invoke(cli, [*args, *extra])
        assert isinstance(res.exception, _Reached), (res.output, res.exception)
        assert seen[-1].get("scan_people", True) is scan, (command, extra, seen[-1])
    assert len(seen) == 2


def test_the_estimator_does_not_scan_when_told_not_to(clip: Path, pose_model_path: Path, monkeypatch) -> None:
    """Over >1 s of frames the check runs at least once with the scan on, never with it off."""
    from deepfit_coach.pose import PoseEstimator
    from deepfit_coach.sources import open_source

    with open_source(str(clip)) as src:
        frames = [(f.image, f.timestamp_ms, f.index) for f in src]
    assert frames[-1][1] > 1000
    calls: list[int] = []
    scan = PoseEstimator._scan

    def counted(self, image, ts, width, height):
        calls.append(ts)
        return scan(self, image, ts, width, height)

    monkeypatch.setattr(PoseEstimator, "_scan", counted)
    for scan_people in (True, False):
        calls.clear()
        with PoseEstimator(pose_model_path, progress=False, scan_people=scan_people) as est:
            found = sum(est.process(img, ts, i) is not None for img, ts, i in frames)
        assert found > 0.8 * len(frames)   # the estimator did run on the frames
        if scan_people:
            assert len(calls) >= 1
        else:
            assert calls == []


def test_pose_and_analyze_record_the_scan_off(clip: Path, pose_model_path: Path, tmp_path: Path, capsys) -> None:
    """The real pose model: `pose --alone` and `analyze --alone --poses` write caches saying the scan
    was off; a run without --alone refuses them, a run with it takes them."""
    recorded = tmp_path / "pose.jsonl"
    res = CliRunner().invoke(cli, ["pose", str(clip), "-o", str(recorded), "--alone"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    header = json.loads(recorded.read_text().splitlines()[0])
    assert header["scan_people"] is False and not PoseFile(recorded).scan_people
    cache = tmp_path / "analyze.jsonl"
    code, out, err = run_cli(["analyze", str(clip), "-e", "squats", "--json", "--alone", "--poses", str(cache)],
                             capsys)
    assert code == 0, err
    assert json.loads(cache.read_text().splitlines()[0])["scan_people"] is False
    for made in (recorded, cache):
        code, _, err = run_cli(["analyze", str(clip), "-e", "squats", "--json", "--poses", str(made)], capsys)
        assert code == 2 and "--alone" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
        code, out, err = run_cli(["analyze", str(clip), "-e", "squats", "--json", "--alone", "--poses", str(made)],
                                 capsys)
        assert code == 0, err
        assert json.loads(out)["frames"] == len(made.read_text().splitlines()) - 1


def _skeleton(t_ms: int) -> Skeleton:
    img = np.zeros((NUM_LANDMARKS, 5), np.float32)
    img[:, :2], img[:, 3:] = 0.5, 1.0
    return Skeleton(timestamp_ms=t_ms, image=img, world=np.zeros((NUM_LANDMARKS, 3), np.float32), width=64,
                    height=48, frame_index=0)


def _write(cache: Path, **kwargs) -> dict:
    """A two-frame cache as the default run makes it (pose recovery on), and its header."""
    from deepfit_coach.pose import DEFAULT_CONFIDENCES

    with open(cache, "w") as f:
        w = PoseWriter(f, "clip.mp4", 15.0, DEFAULT_CONFIDENCES, None, RECOVER, **kwargs)
        w.write(0, 0, _skeleton(0))
        w.write(67, 1, None)
    return json.loads(cache.read_text().splitlines()[0])


def test_caches_with_and_without_the_scan_are_not_mixed(tmp_path: Path, clip_video: Path, capsys) -> None:
    from deepfit_coach.analysis import load_poses
    from deepfit_coach.errors import UserError

    video = clip_video   # never read: the cache stands in for its poses
    alone = tmp_path / "alone.poses.jsonl"
    assert _write(alone, scan_people=False)["scan_people"] is False
    before = alone.read_text()
    with pytest.raises(UserError, match=r"without the check for other people, this run with the check for other people: add --alone") as exc:
        load_poses(video, cache=alone)
    assert exc.value.exit_code == 2 and "\n" not in str(exc.value)
    assert len(load_poses(video, cache=alone, scan_people=False).skeletons) == 2
    assert alone.read_text() == before   # refused, not overwritten

    old = tmp_path / "old.poses.jsonl"   # every cache made before the key: the scan was on
    assert "scan_people" not in _write(old)
    assert PoseFile(old).scan_people
    assert len(load_poses(video, cache=old).skeletons) == 2
    with pytest.raises(UserError, match="leave out --alone"):
        load_poses(video, cache=old, scan_people=False)

    code, _, err = run_cli(["analyze", str(video), "--poses", str(alone), "-e", "squats"], capsys)
    assert code == 2 and "--alone" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run_cli(["analyze", str(video), "--poses", str(alone), "-e", "squats", "--alone", "--json"],
                             capsys)
    assert code == 0, err
    assert json.loads(out)["frames"] == 2
