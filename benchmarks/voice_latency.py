"""Event-to-speech-start latency of the voice, with the real espeak-ng engine.

1. Engine: for typical utterances, the time from the coach's event to the moment audio can
   start = queue hand-off (submit -> the worker calls the engine) + synthesis (pyttsx3's
   espeak driver synthesises the whole utterance, then starts playback). Synthesis is
   measured with ``save_to_file`` (no sound card needed; playback itself adds the audio
   device's latency, not measured here).
2. A workout set under load: announcement, countdown, 10 counts 2.4 s apart, a form cue,
   "set complete" and a rest message, pushed through the real queue with a backend that
   takes as long as the real espeak audio of each text (measured from the WAV) plus its
   synthesis time. Reports how late counts and cues start, and what was dropped as stale.
   Run time-compressed (--compress, default 4x); latencies are reported in real seconds.

Usage: python benchmarks/voice_latency.py [--rate 175] [--compress 4] [--no-write]
Writes the "### Voice latency" part of "## Coach, voice and dashboard" in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import contextlib
import io
import os
import statistics
import tempfile
import threading
import time
import wave
from pathlib import Path

from coach_overhead import write_section

TYPICAL = {"count": "7", "count + encouragement": "8, two more", "safety cue": "Push your knees out over your toes",
           "rest message": "Rest 60 seconds. Next: set 2 of 3."}


def synth_times(texts: list[str], rate: int, repeats: int = 5) -> dict[str, tuple[float, float]]:
    """text -> (median synthesis seconds, audio seconds)."""
    from deepfit_coach.voice import _engine, configure

    engine = _engine()
    configure(engine, rate, 1.0, None)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for text in texts:
            times, audio = [], 0.0
            for k in range(repeats):
                path = Path(tmp) / f"u{k}.wav"
                t0 = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                while not path.exists():
                    time.sleep(0.001)
                times.append(time.perf_counter() - t0)
                with contextlib.suppress(Exception), wave.open(str(path)) as w:
                    audio = w.getnframes() / w.getframerate()
            out[text] = (statistics.median(times), audio)
    return out


class TimedBackend:
    """Takes as long as the real engine would: synthesis, then the audio's duration; like the
    real Linux backend (aplay as a child process) it can be interrupted."""

    name, instant = "timed", False

    def __init__(self, table: dict[str, tuple[float, float]], compress: float) -> None:
        self.table, self.compress = table, compress
        self.starts: list[tuple[str, float]] = []   # (text, when its audio would start)
        self._cut = threading.Event()

    def open(self) -> None: ...
    def close(self) -> None: ...

    def interrupt(self) -> None:
        self._cut.set()

    def speak(self, text: str) -> None:
        synth, audio = self.table[text]
        time.sleep(synth / self.compress)
        self.starts.append((text, time.monotonic()))
        self._cut.clear()
        self._cut.wait(audio / self.compress)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=175)
    ap.add_argument("--compress", type=float, default=4.0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    from deepfit_coach.coach.events import Priority, Utterance
    from deepfit_coach.voice import Pyttsx3Backend, RecordingBackend, Voice

    # ---- 1. hand-off latency through the queue (worker wake-up), many samples
    v = Voice(RecordingBackend())
    handoff = []
    for i in range(200):
        v.say(Utterance(str(i), Priority.COUNT))
        v.wait_idle(1.0)
    handoff = v.latencies()
    v.close()
    # and with the real pyttsx3 engine on the worker thread (playback: aplay if present)
    real = None
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        saved = os.dup(2)
        os.dup2(devnull, 2)  # espeak driver's os.system("aplay ...") complains where aplay is missing
        try:
            v = Voice(Pyttsx3Backend(rate=args.rate))
            if v.error is None:
                for text in TYPICAL.values():
                    for _ in range(3):
                        v.say(Utterance(text, Priority.COUNT))
                        v.wait_idle(10.0)
                real = v.latencies()
            v.close()
        finally:
            os.dup2(saved, 2)
            os.close(devnull)
    except Exception:  # noqa: BLE001
        real = None

    # ---- 2. synthesis time per utterance with espeak-ng
    texts = list(TYPICAL.values())
    script_texts = ["Squats: 3 sets of 10 reps. Turn side-on to the camera.", "3", "2", "1", "Go!",
                    "1", "2", "3", "4", "5", "6", "7", "8, two more", "9, last one", "10",
                    "Push your knees out over your toes", "Keep your chest up", "Set complete.",
                    "Rest 60 seconds. Next: set 2 of 3."]
    table = synth_times(sorted(set(texts + script_texts)), args.rate)

    # ---- 3. a set under load, time-compressed
    c = args.compress
    events: list[tuple[float, Utterance]] = [(0.0, Utterance(script_texts[0], Priority.CHATTER, max_age_s=15))]
    for k, n in enumerate(["3", "2", "1", "Go!"]):
        events.append((5.0 + k, Utterance(n, Priority.COUNT, key="countdown", max_age_s=1.0)))
    for k, n in enumerate(script_texts[5:15]):
        events.append((9.0 + 2.4 * (k + 1), Utterance(n, Priority.COUNT, key="count", max_age_s=2.0)))
        if k == 3:
            events.append((9.0 + 2.4 * (k + 1) + 0.01, Utterance("Push your knees out over your toes", Priority.SAFETY,
                                                                 key="form:knees", max_age_s=2.5)))
        if k == 6:
            events.append((9.0 + 2.4 * (k + 1) + 0.01, Utterance("Keep your chest up", Priority.SAFETY,
                                                                 key="form:chest", max_age_s=2.5)))
    end = events[-1][0]
    events.append((end + 0.02, Utterance("Set complete.", Priority.CHATTER, max_age_s=6)))
    events.append((end + 0.03, Utterance("Rest 60 seconds. Next: set 2 of 3.", Priority.CHATTER, max_age_s=10)))
    backend = TimedBackend(table, c)
    starts = backend.starts
    v = Voice(backend, clock=lambda: time.monotonic() * c)  # ages in real seconds
    t0 = time.monotonic()
    submitted: dict[str, float] = {}
    for t, u in events:
        delay = t / c - (time.monotonic() - t0)
        if delay > 0:
            time.sleep(delay)
        submitted[u.text] = time.monotonic()
        v.say(u)
    v.wait_idle(60)
    v.close()
    late = {text: (ts - submitted[text]) * c for text, ts in starts}
    counts = [late[t] for t in script_texts[1:15] if t in late]
    cues = [late[t] for t in ("Push your knees out over your toes", "Keep your chest up") if t in late]
    dropped = [f"{text} ({why})" for text, why in v.dropped]

    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    def ms1(x: float) -> str:
        return f"{x * 1000:.2f} ms"

    def pct(vals: list[float], q: float) -> float:
        vals = sorted(vals)
        return vals[min(len(vals) - 1, int(round(q * (len(vals) - 1))))]

    lines = [f"`python benchmarks/voice_latency.py --rate {args.rate}` (espeak-ng through pyttsx3 "
             f"{importlib.metadata.version('pyttsx3')}; {os.cpu_count()} shared cores).", "",
             "Queue hand-off (event submitted -> engine called), 200 utterances: "
             f"median {ms1(statistics.median(handoff))}, p95 {ms1(pct(handoff, 0.95))}, max {ms1(max(handoff))}."]
    if real:
        lines.append(f"Same with the real pyttsx3 engine on the worker: median {ms1(statistics.median(real))}, "
                     f"max {ms1(max(real))}.")
    lines += ["", "| utterance | synthesis before audio starts | audio length | event -> audio start (idle queue) |",
              "|---|---:|---:|---:|"]
    med_handoff = statistics.median(handoff)
    for kind, text in TYPICAL.items():
        synth, audio = table[text]
        lines.append(f"| {kind}: \"{text}\" | {ms(synth)} | {audio:.2f} s | {ms(med_handoff + synth)} |")
    lines += ["", f"A set under load (announcement, countdown, 10 counts 2.4 s apart, two safety cues, "
                  f"set complete, rest message; real engine timings, run {c:g}x compressed):", "",
              f"- counts and countdown ticks spoken: {len(counts)} of 14; start delay median {ms(statistics.median(counts))}, "
              f"max {ms(max(counts))}" if counts else "- no counts spoken",
              f"- safety cues spoken: {len(cues)} of 2; start delay " + ", ".join(ms(x) for x in cues),
              f"- dropped: {', '.join(dropped) if dropped else 'nothing'}; cut short: "
              f"{', '.join(v.interrupted) if v.interrupted else 'nothing'}",
              "", "Counts and safety cues never wait behind queued tips or chatter (priority) and cut a tip or "
                  "chatter that is already playing short (on Linux the backend plays through an `aplay` child "
                  "process it can stop). A count can still wait for another count or a safety cue that is "
                  "playing. espeak-ng synthesises a whole utterance before playback starts (~10 ms here)."]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_section("### Voice latency", body)


if __name__ == "__main__":
    main()
