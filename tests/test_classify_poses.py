"""`classify --poses FILE`: the pose cache `analyze` has, so a video is posed once for both
(the same cache file serves either command), and a cache of another video is refused."""

from __future__ import annotations

import json

from conftest import run_cli, write_video


def test_classify_writes_reuses_and_guards_its_pose_cache(tmp_path, clip_video, pose_model_path, capsys):
    cache = tmp_path / "clip.poses.jsonl"
    args = ["classify", str(clip_video), "--json", "--poses", str(cache), "--pose-model", str(pose_model_path)]
    code, first, err = run_cli(args, capsys)
    assert code == 0, err
    header = json.loads(cache.read_text().splitlines()[0])
    assert header["source"].endswith("clip.mp4") and len(cache.read_text().splitlines()) == 1 + 2
    code, again, err = run_cli(args, capsys)
    assert code == 0 and json.loads(again) == json.loads(first)
    code, out, err = run_cli(["analyze", str(clip_video), "--json", "--poses", str(cache)], capsys)
    assert code == 0, err                                  # the same cache serves analyze
    other = write_video(tmp_path / "other.mp4", frames=3)
    code, out, err = run_cli(["classify", str(other), "--poses", str(cache)], capsys)
    assert code == 2 and out == "" and f"{cache} was made from clip.mp4, not other.mp4" in err
