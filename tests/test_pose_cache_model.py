"""Pose caches record the pose model that made them (``model_store.ModelIdentity``): the lite model's
poses must never stand in for the full model's (nor a user's own model's), and every command that
writes or reads a cache (`analyze --poses`, `classify --poses`, `eval --cache`, `pose`) says which model
to ask for instead."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from deepfit_coach.cli import cli
from deepfit_coach.errors import UserError
from deepfit_coach.model_store import VARIANTS, ModelIdentity, identify, run_identity
from deepfit_coach.posefile import PoseFile
from conftest import run_cli
from test_alone_option import _write


def _identity(name: str) -> ModelIdentity:
    return ModelIdentity(name, VARIANTS[name].sha256)


def test_a_variant_is_known_by_its_pinned_checksum_and_a_file_by_its_own(tmp_path: Path, pose_model_path: Path) -> None:
    assert run_identity("lite") == _identity("lite") and run_identity() == _identity("full")
    official = identify(pose_model_path)   # the real full model, hashed
    assert official == _identity("full") and official.is_variant
    assert run_identity("lite", pose_model_path) == official   # an explicit file wins over the variant
    mine = tmp_path / "mine.task"
    with zipfile.ZipFile(mine, "w") as z:
        z.writestr("pose.tflite", b"not a real model")
    assert run_identity("full", mine).name == "mine.task" and not run_identity("full", mine).is_variant


def test_header_round_trip(tmp_path: Path) -> None:
    cache = tmp_path / "c.jsonl"
    header = _write(cache, model=_identity("heavy"))
    assert header["model"] == "heavy" and header["model_sha256"] == VARIANTS["heavy"].sha256
    assert PoseFile(cache).model == _identity("heavy")
    assert "model" not in _write(tmp_path / "old.jsonl")   # as every cache made before the key
    assert PoseFile(tmp_path / "old.jsonl").model is None


def test_another_models_cache_is_refused_with_the_option_that_reuses_it(tmp_path: Path, clip_video: Path,
                                                                          capsys) -> None:
    from deepfit_coach.analysis import load_poses

    lite = tmp_path / "lite.poses.jsonl"
    _write(lite, model=_identity("lite"))
    before = lite.read_text()
    with pytest.raises(UserError, match=r"made with the lite pose model, this run with the full pose model: "
                                        r"add --model-variant lite to reuse them") as exc:
        load_poses(clip_video, cache=lite)
    assert exc.value.exit_code == 2
    assert len(load_poses(clip_video, cache=lite, variant="lite").skeletons) == 2
    with pytest.raises(UserError, match="use --model-variant lite instead of --model-variant heavy"):
        load_poses(clip_video, cache=lite, variant="heavy")
    assert lite.read_text() == before   # refused, not overwritten

    old = tmp_path / "old.poses.jsonl"   # made before the model was recorded: the default, full
    _write(old)
    assert len(load_poses(clip_video, cache=old).skeletons) == 2
    with pytest.raises(UserError, match="leave out --model-variant lite"):
        load_poses(clip_video, cache=old, variant="lite")

    mine = tmp_path / "mine.task"
    with zipfile.ZipFile(mine, "w") as z:
        z.writestr("pose.tflite", b"not a real model")
    with pytest.raises(UserError, match=r"this run with pose model mine.task: use --model-variant lite instead "
                                        r"of --pose-model mine.task"):
        load_poses(clip_video, cache=lite, model_path=mine)

    for args in (["analyze", str(clip_video), "-e", "squats"], ["classify", str(clip_video)]):
        code, _, err = run_cli([*args, "--poses", str(lite)], capsys)
        assert code == 2 and "--model-variant lite" in err and len(err.strip().splitlines()) == 1, err
        code, out, err = run_cli([*args, "--poses", str(lite), "--model-variant", "lite", "--json"], capsys)
        assert code == 0, err


def test_eval_takes_the_model_variant(tmp_path: Path, monkeypatch) -> None:
    """`eval` runs the pose model like `analyze` does: --model-variant reaches the estimator."""
    import deepfit_coach.pose

    from deepfit_coach.synth import ClipSpec, write_clip

    write_clip(ClipSpec(exercise="squats", reps=1, seed=3, fps=10, width=160, height=120, rest_before=0.1,
                        rest_after=0.1), tmp_path / "sq.mp4")
    seen: list[dict] = []

    class Reached(Exception):
        pass

    def fake(*args, **kwargs):
        seen.append(kwargs)
        raise Reached

    monkeypatch.setattr(deepfit_coach.pose, "PoseEstimator", fake)
    res = CliRunner().invoke(cli, ["eval", str(tmp_path), "--model-variant", "lite"])
    assert isinstance(res.exception, Reached), res.output
    assert seen[-1]["variant"] == "lite"


def test_the_pose_model_records_itself(tmp_path: Path, clip_video: Path, pose_model_path: Path, capsys) -> None:
    """The real pose model writing a cache (`pose -o`, `analyze --poses`) names itself in its header."""
    out = tmp_path / "p.jsonl"
    code, _, err = run_cli(["pose", str(clip_video), "-o", str(out)], capsys)
    assert code == 0, err
    cache = tmp_path / "a.jsonl"
    code, _, err = run_cli(["analyze", str(clip_video), "-e", "squats", "--json", "--poses", str(cache)], capsys)
    assert code == 0, err
    for made in (out, cache):
        header = json.loads(made.read_text().splitlines()[0])
        assert (header["model"], header["model_sha256"]) == ("full", VARIANTS["full"].sha256), made
