"""benchmarks/check_grids.py compare: the sets that changed between two evaluated versions and
the table of a stop's section, from two runs' eval reports (eval's --json shape)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import check_grids  # noqa: E402


def _set(video, truth, given, auto, found=0, faults=1, alarms=0, clean=5):
    return {"video": video, "exercise": "squats", "truth": truth, "given": given, "auto": auto, "faults_found": {"f": found},
            "faults_total": {"f": faults}, "false_alarms": alarms, "clean_reps": clean}


def _write(root, tag, grid, sets):
    p = root / "runs" / tag / f"{grid}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"overall": {}, "sets": sets}))


def test_compare_lists_changed_sets_and_pools_a_group(tmp_path, capsys):
    base = [_set("a.mp4", 8, 8, 0), _set("b.mp4", 6, 5, 5, found=1)]
    final = [_set("a.mp4", 8, 8, 8), _set("b.mp4", 6, 5, 5, found=1)]
    _write(tmp_path, "old", "eval_heldout", base)
    _write(tmp_path, "new", "eval_heldout", final)
    for g in ("pool_a", "pool_b", "pool_c", "pool_d"):       # one group, pooled: 8 sets
        _write(tmp_path, "old", g, base)
        _write(tmp_path, "new", g, base)
    check_grids.compare("old", "new", [], tmp_path)
    out = capsys.readouterr().out
    assert "eval_heldout/a.mp4 (truth 8): given 8 -> 8, auto 0 -> 8" in out
    assert "b.mp4" not in out.split("| check set")[0]          # unchanged sets are not listed
    held = next(line for line in out.splitlines() if line.startswith("| Held-out front/side (2)"))
    # auto MAE (8/8 + 1/6) / 2 = 0.583 -> (0 + 1/6) / 2 = 0.083; within one 50% -> 100%
    assert "| identical: 0.083 / 100.0% / 50.0% | 0.583 / 50.0% / 0.0% -> 0.083 / 100.0% / 50.0% |" in held
    pool = next(line for line in out.splitlines() if line.startswith("| Level tuning pool (8)"))
    assert "identical: 4 of 8" in pool                          # faults found, pooled over the four grids


def test_unknown_grid_is_one_clear_line():
    with pytest.raises(SystemExit) as e:
        check_grids.chosen(["pool_z"])
    assert "unknown grid pool_z" in str(e.value)
