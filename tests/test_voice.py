"""Voice queue: priorities, superseded and stale items, never blocking; real espeak-ng to WAV."""

from __future__ import annotations

import shutil
import time
import wave

import pytest

from deepfit_coach.coach.events import Priority, Utterance
from deepfit_coach.voice import RecordingBackend, Voice, make_voice, pyttsx3_problem, synthesize_to_wav


def U(text, p=Priority.CHATTER, key=None, max_age=None):
    return Utterance(text, p, key, max_age)


def test_priorities_counts_first_then_safety_tips_chatter():
    backend = RecordingBackend(speak_s=0.15)
    v = Voice(backend)
    v.say(U("Welcome"))                      # starts speaking at once
    time.sleep(0.03)
    v.say_many([U("nice weather", Priority.CHATTER), U("slow down", Priority.TIP),
                U("knees out", Priority.SAFETY), U("5", Priority.COUNT, key="count")])
    assert v.wait_idle(5)
    v.close()
    assert backend.texts == ["Welcome", "5", "knees out", "slow down", "nice weather"]


def test_newer_count_supersedes_queued_count_and_stale_items_drop():
    backend = RecordingBackend(speak_s=0.2)
    v = Voice(backend)
    v.say(U("Rest 30 seconds"))
    time.sleep(0.03)
    v.say(U("3", Priority.COUNT, key="count"))
    v.say(U("4", Priority.COUNT, key="count"))
    v.say(U("old tip", Priority.TIP, max_age=0.05))
    assert v.wait_idle(5)
    v.close()
    assert backend.texts == ["Rest 30 seconds", "4"]
    assert ("3", "superseded") in v.dropped and ("old tip", "stale") in v.dropped


def test_say_never_blocks_the_frame_loop():
    v = Voice(RecordingBackend(speak_s=0.5))
    t0 = time.perf_counter()
    for i in range(50):
        v.say(U(str(i), Priority.COUNT, key="count"))
    elapsed = time.perf_counter() - t0
    v.close()
    assert elapsed < 0.05


def test_latency_is_measured_per_utterance():
    v = Voice(RecordingBackend())
    for i in range(20):
        v.say(U(str(i), Priority.COUNT))
        v.wait_idle(2)
    v.close()
    lat = v.latencies()
    assert len(lat) == 20 and max(lat) < 0.05


def test_missing_aplay_falls_back_to_print_with_one_warning(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "aplay" else real_which(name))
    warnings, printed = [], []
    v = make_voice("pyttsx3", print_sink=printed.append, warn=warnings.append)
    v.say(U("hello"))
    v.wait_idle(2)
    v.close()
    assert v.name == "print" and printed == ["hello"]
    assert len(warnings) == 1 and "aplay" in warnings[0]


_TTS = pyttsx3_problem()


@pytest.mark.skipif(_TTS is not None and "aplay" not in _TTS, reason=f"no TTS engine: {_TTS}")
def test_real_espeak_speaks_a_short_session_to_wav(tmp_path):
    texts = ["Squats: 2 sets of 5 reps.", "3", "2", "1", "Go!", "1", "2", "3, two more", "4, last one", "5",
             "Set complete.", "Rest 30 seconds."]
    out = synthesize_to_wav(texts, tmp_path / "session.wav", rate=180)
    with wave.open(str(out)) as w:
        seconds = w.getnframes() / w.getframerate()
        frames = w.readframes(w.getnframes())
    assert len(frames) > 0 and any(b != 0 for b in frames[:200000])
    # ~25 words at 180 wpm plus pauses: well over 4 s, well under 30 s
    assert 4.0 < seconds < 30.0


def test_interrupt_lets_a_count_cut_chatter_short():
    backend = RecordingBackend(speak_s=2.0)
    v = Voice(backend)
    v.say(U("A long announcement about the camera", Priority.CHATTER))
    time.sleep(0.1)
    v.say(U("Keep going", Priority.TIP))          # a tip does not interrupt
    v.say(U("1", Priority.COUNT, key="count"))     # a count does
    assert v.wait_idle(10)
    v.close()
    assert backend.texts[:2] == ["A long announcement about the camera", "1"]
    assert backend.interrupted[0] == "A long announcement about the camera"
    assert v.spoken[1].latency_s < 0.3


FAKE_APLAY = """#!{python}
import os, sys, time, wave
path = sys.argv[-1]
with wave.open(path) as w:
    seconds = w.getnframes() / w.getframerate()
with open(os.environ["FAKE_APLAY_LOG"], "a") as log:
    log.write(f"{{seconds:.3f}}\\n")
time.sleep(seconds)
"""


@pytest.mark.skipif(_TTS is not None and "aplay" not in _TTS, reason=f"no TTS engine: {_TTS}")
def test_real_espeak_through_a_player_process_can_be_interrupted(tmp_path, monkeypatch):
    """The sound card is the only fake: a stand-in `aplay` that 'plays' for the WAV's length."""
    import os
    import sys

    player = tmp_path / "aplay"
    player.write_text(FAKE_APLAY.format(python=sys.executable))
    player.chmod(0o755)
    log = tmp_path / "played.txt"
    monkeypatch.setenv("FAKE_APLAY_LOG", str(log))
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    warnings: list[str] = []
    v = make_voice("pyttsx3", rate=180, warn=warnings.append)
    assert v.name == "pyttsx3" and warnings == []
    long = "Welcome to the beginner full body workout. Today: squats, push-ups, curls and sit-ups. About twenty minutes."
    with wave.open(str(synthesize_to_wav([long], tmp_path / "long.wav", rate=180))) as w:
        long_s = w.getnframes() / w.getframerate()
    assert long_s > 4.0
    t0 = time.monotonic()
    v.say(U(long))
    time.sleep(0.8)
    v.say(U("1", Priority.COUNT, key="count"))
    assert v.wait_idle(20)
    elapsed = time.monotonic() - t0
    v.close()
    played = [float(x) for x in log.read_text().split()]
    # the count cut the announcement short (or, on a busy machine, stopped it before it started)
    assert v.interrupted == [long] and elapsed < long_s
    assert played[-1] < 1.5 and len(played) in (1, 2)
    assert v.spoken[1].text == "1" and v.spoken[1].latency_s < 0.5
