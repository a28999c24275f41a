"""How long `deepfit-coach --help` takes (lazy imports keep MediaPipe out of it).

Usage: python benchmarks/cli_startup.py [--runs 20]
Prints the median and worst wall time of a fresh process, and what modules it imported.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    exe = shutil.which("deepfit-coach")
    cmd = [exe, "--help"] if exe else [sys.executable, "-m", "deepfit_coach", "--help"]
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, deepfit_coach.cli as c; c.cli.main(['--help'], standalone_mode=False); "
         "print('HEAVY:' + ','.join(m for m in ('mediapipe', 'cv2', 'ai_edge_litert', 'matplotlib', 'pyttsx3') if m in sys.modules))"],
        capture_output=True, text=True).stdout.split("HEAVY:")[-1].strip()
    print(f"`{' '.join(cmd[-2:]) if not exe else 'deepfit-coach --help'}`: median {statistics.median(times) * 1000:.0f} ms, "
          f"worst {max(times) * 1000:.0f} ms over {args.runs} runs; heavy modules imported: {heavy or 'none'}")


if __name__ == "__main__":
    main()
