"""The catalogue's up/down gates against 812 labelled poses of real people (ML Kit)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT.parent / "shared" / "real" / "mlkit_fitness_pose_samples.csv"


@pytest.mark.skipif(not CSV.exists(), reason="real pose samples not available (../shared/real/)")
def test_real_up_and_down_poses_fall_on_the_right_side_of_the_gates():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from real_thresholds import check

    results = check(CSV)
    assert set(results) == {"pushups_up", "pushups_down", "squats_up", "squats_down"}
    assert sum(r["n"] for r in results.values()) == 812
    for label, r in results.items():
        assert r["share"] >= 0.9, (label, r)
