"""Speech: a worker thread behind a priority queue so the frame loop never waits.

Counts beat safety cues beat tips beat chatter. A queued utterance is dropped when a newer
one with the same ``key`` arrives (the count "4" supersedes a queued "3") or when it has
waited longer than its ``max_age_s``: late words are worse than none.

Backends: ``pyttsx3`` (espeak-ng on Linux, SAPI on Windows, NSSpeech on macOS), ``print``
(text lines to a callback: log or dashboard), ``none``, and ``record`` (keeps what would
have been said, for tests; optionally as JSON lines in a file).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from deepfit_coach.coach.events import Priority, Utterance

BACKENDS = ("pyttsx3", "print", "none")
INTERRUPTS = 1  # Priority.SAFETY: counts and safety cues may cut tips and chatter short


class Backend(Protocol):
    name: str
    instant: bool          # speak() returns at once (print/none/record): no audio time

    def open(self) -> None: ...
    def speak(self, text: str) -> None: ...
    def close(self) -> None: ...


class NoneBackend:
    name, instant = "none", True

    def open(self) -> None: ...
    def speak(self, text: str) -> None: ...
    def close(self) -> None: ...


class PrintBackend:
    """Text instead of sound: to a callback (the dashboard's log) or stderr."""

    name, instant = "print", True

    def __init__(self, sink: Callable[[str], None] | None = None) -> None:
        self.sink = sink or (lambda text: print(f"coach: {text}", file=sys.stderr, flush=True))

    def open(self) -> None: ...

    def speak(self, text: str) -> None:
        self.sink(text)

    def close(self) -> None: ...


@dataclass
class Spoken:
    text: str
    priority: int
    key: str | None
    t_s: float              # coach time of the utterance
    latency_s: float        # submit -> speech start (wall clock)


def _priority_name(priority: int) -> str:
    try:
        return Priority(priority).name.lower()
    except ValueError:
        return str(priority)


class RecordingBackend:
    """Keeps every spoken text (for tests); with ``path``, appends JSON lines as it goes.

    ``speak_s`` simulates speaking time; ``interrupt()`` cuts it short like a real player.
    """

    name, instant = "record", True

    def __init__(self, path: str | Path | None = None, speak_s: float = 0.0) -> None:
        self.texts: list[str] = []
        self.interrupted: list[str] = []
        self.path = Path(path) if path else None
        self.speak_s = speak_s
        self.instant = speak_s == 0.0
        self._fh = None
        self._cut = threading.Event()

    def open(self) -> None:
        if self.path is not None:
            self._fh = self.path.open("a", encoding="utf-8")

    def speak(self, text: str) -> None:
        self._keep({"text": text})

    def speak_timed(self, text: str, t_s: float, priority: int) -> None:
        """``speak`` from the voice queue, which knows when in the session the words belong
        (``t_s``, the coach's clock, as in the log) and what they are (count, safety, tip ...):
        a recording read next to the session's log or a video must say when each line was said."""
        self._keep({"t_s": round(float(t_s), 2), "kind": _priority_name(priority), "text": text})

    def _keep(self, line: dict) -> None:
        text = line["text"]
        self.texts.append(text)
        if self._fh is not None:
            self._fh.write(json.dumps(line) + "\n")
            self._fh.flush()
        if self.speak_s:
            if self._cut.wait(self.speak_s):
                self.interrupted.append(text)
            self._cut.clear()

    def interrupt(self) -> None:
        self._cut.set()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


class Pyttsx3Backend:
    """pyttsx3 on the voice thread (its engines are not thread-safe: created and used there).

    On Linux the espeak driver plays through ``aplay`` with ``os.system``, which cannot be
    stopped; there we synthesise to a WAV ourselves and run ``aplay`` as a child process,
    so a count can cut a long announcement short (``interrupt()``).
    """

    name, instant = "pyttsx3", False

    def __init__(self, rate: int | None = None, volume: float | None = None, voice: str | None = None,
                 player: str | None = None) -> None:
        self.rate, self.volume, self.voice = rate, volume, voice
        self.engine = None
        self.player = player if player is not None else (
            shutil.which("aplay") if sys.platform.startswith("linux") else None)
        self._proc = None
        self._cut = False
        self._tmp: Path | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        import tempfile

        self.engine = _engine()
        configure(self.engine, self.rate, self.volume, self.voice)
        if self.player:
            self._tmp = Path(tempfile.mkdtemp(prefix="deepfit-voice-"))

    def speak(self, text: str) -> None:
        if not self.player or self._tmp is None:
            self.engine.say(text)
            self.engine.runAndWait()
            return
        import subprocess

        with self._lock:
            self._cut = False
        wav = self._tmp / "say.wav"
        with contextlib.suppress(FileNotFoundError):
            wav.unlink()
        _save_wav(self.engine, text, wav)
        with self._lock:
            if self._cut:  # interrupted while synthesising: do not start playing
                return
            proc = self._proc = subprocess.Popen([self.player, "-q", str(wav)], stdin=subprocess.DEVNULL,
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.wait()
        with self._lock:
            self._proc = None

    def interrupt(self) -> None:
        with self._lock:
            self._cut = True
            if self._proc is not None and self._proc.poll() is None:
                self._proc.terminate()

    def close(self) -> None:
        self.interrupt()
        self.engine = None  # runAndWait already returned; stop() would poison pyttsx3's cached engine
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def configure(engine, rate: int | None, volume: float | None, voice: str | None) -> None:
    """Apply plan voice settings; ``voice`` matches an engine voice id or part of its name."""
    if rate:
        engine.setProperty("rate", int(rate))
    if volume is not None:
        engine.setProperty("volume", float(volume))
    if voice:
        want = voice.lower()
        for v in engine.getProperty("voices") or []:
            if want == str(v.id).lower() or want in str(getattr(v, "name", "")).lower():
                engine.setProperty("voice", v.id)
                break


def synthesize_to_wav(texts: list[str], path: str | Path, rate: int | None = None, volume: float | None = None,
                      voice: str | None = None) -> Path:
    """Speak ``texts`` into one WAV file with the real TTS engine (works without a sound card)."""
    engine = _engine()
    configure(engine, rate, volume, voice)
    path = Path(path)
    _save_wav(engine, " ".join(t.rstrip(".") + "." for t in texts), path)
    return path


_ENGINE_LOCK = threading.Lock()


def _save_wav(engine, text: str, path: Path, timeout_s: float = 3.0, attempts: int = 3) -> None:
    """``engine.save_to_file`` made dependable: pyttsx3's espeak driver can return from
    runAndWait before its callback has written (and closed) the file, and now and then a
    run produces nothing; wait for a complete WAV, and try again if none comes."""
    for _ in range(attempts):
        with _ENGINE_LOCK:
            engine.save_to_file(text, str(path))
            engine.runAndWait()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if _wav_complete(path):  # the header's frame count is filled in when the writer closes
                return
            time.sleep(0.005)


def _wav_complete(path: Path) -> bool:
    import wave

    try:
        with wave.open(str(path)) as w:
            frames = w.getnframes()
            expected = 44 + frames * w.getsampwidth() * w.getnchannels()
        return frames > 0 and path.stat().st_size >= expected
    except (OSError, EOFError, wave.Error):
        return False


_ENGINES: list = []
atexit.register(_ENGINES.clear)  # let engines go while modules still exist (quiet shutdown)


def _engine():
    """pyttsx3's engine, kept alive: its espeak driver clears the *global* synthesis callback
    when any engine instance is garbage-collected, which would cut off later speech."""
    import pyttsx3

    engine = pyttsx3.init()
    if not any(e is engine for e in _ENGINES):
        _ENGINES.append(engine)
    # the espeak driver prints "Audio saved to ..." for every file; silence that module's
    # print only (redirecting sys.stdout from the voice thread would swallow the dashboard)
    driver = sys.modules.get("pyttsx3.drivers.espeak")
    if driver is not None:
        driver.print = lambda *args, **kwargs: None
    return engine


def pyttsx3_problem() -> str | None:
    """Why pyttsx3 cannot be heard here, or None when it should work."""
    try:
        import pyttsx3  # noqa: F401 - only checking that it is installed
    except ImportError:
        return "pyttsx3 is not installed"
    try:
        engine = _engine()
    except Exception as exc:  # noqa: BLE001 - missing espeak-ng, no SAPI, ...
        detail = str(exc) or type(exc).__name__
        hint = " (install espeak-ng: sudo apt install espeak-ng)" if sys.platform.startswith("linux") else ""
        return f"no text-to-speech engine: {detail}{hint}"
    del engine  # not stop(): that would leave the shared (cached) engine cancelling its next utterance
    if sys.platform.startswith("linux") and shutil.which("aplay") is None:
        return "'aplay' not found, so speech would be silent (install alsa-utils: sudo apt install alsa-utils)"
    return None


@dataclass(order=True)
class _Item:
    priority: int
    seq: int
    utterance: Utterance = field(compare=False)
    submitted: float = field(compare=False, default=0.0)


class Voice:
    """The queue and its worker thread. ``say()`` never blocks (beyond a short lock)."""

    def __init__(self, backend: Backend, clock: Callable[[], float] = time.monotonic,
                 default_max_age_s: float | None = None) -> None:
        self.backend = backend
        self.clock = clock
        self.default_max_age_s = default_max_age_s
        self._queue: list[_Item] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()
        self._busy = False
        self._current: _Item | None = None
        self._stop = False
        self.spoken: list[Spoken] = []
        self.dropped: list[tuple[str, str]] = []  # (text, reason)
        self.interrupted: list[str] = []
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="deepfit-voice", daemon=True)
        self._opened = threading.Event()
        self._thread.start()
        self._opened.wait(10.0)

    @property
    def name(self) -> str:
        return self.backend.name

    def say(self, utterance: Utterance | None) -> None:
        if utterance is not None:
            self.say_many([utterance])

    def say_many(self, utterances: list[Utterance]) -> None:
        """Queue several at once, so the worker picks the most urgent of them first."""
        now = self.clock()
        with self._cond:
            for u in utterances:
                if u is None:
                    continue
                if u.key is not None:
                    for old in [i for i in self._queue if i.utterance.key == u.key]:
                        self._queue.remove(old)
                        self.dropped.append((old.utterance.text, "superseded"))
                self._queue.append(_Item(int(u.priority), next(self._seq), u, now))
            self._queue.sort()
            cur = self._current
            if cur is not None and self._queue and self._queue[0].priority < cur.priority \
                    and self._queue[0].priority <= INTERRUPTS and cur.priority > INTERRUPTS:
                interrupt = getattr(self.backend, "interrupt", None)
                if interrupt is not None:  # a count or safety cue cuts a tip or chatter short
                    interrupt()
                    self.interrupted.append(cur.utterance.text)
            self._cond.notify()

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + (1 if self._busy else 0)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until everything queued was spoken or dropped (tests, end of workout)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def close(self, drain_s: float = 0.0) -> None:
        """Stop the worker, first letting it finish what is queued for up to ``drain_s``."""
        if drain_s > 0:
            self.wait_idle(drain_s)
        with self._cond:
            self._stop = True
            self._queue.clear()
            self._cond.notify_all()
        self._thread.join(timeout=5.0)

    def latencies(self) -> list[float]:
        return [s.latency_s for s in self.spoken]

    # ------------------------------------------------------------------ worker
    def _run(self) -> None:
        try:
            self.backend.open()
        except Exception as exc:  # noqa: BLE001 - reported by the caller, never crashes the loop
            self.error = f"{type(exc).__name__}: {exc}"
            self.backend = NoneBackend()
        finally:
            self._opened.set()
        try:
            while True:
                with self._cond:
                    while not self._queue and not self._stop:
                        self._cond.wait()
                    if self._stop:
                        return
                    item = self._queue.pop(0)
                    now = self.clock()
                    max_age = item.utterance.max_age_s if item.utterance.max_age_s is not None else self.default_max_age_s
                    if max_age is not None and now - item.submitted > max_age:
                        self.dropped.append((item.utterance.text, "stale"))
                        self._cond.notify_all()
                        continue
                    self._busy = True
                    self._current = item
                u = item.utterance
                self.spoken.append(Spoken(u.text, int(u.priority), u.key, u.t_s, now - item.submitted))
                try:
                    timed = getattr(self.backend, "speak_timed", None)
                    if timed is not None:
                        timed(u.text, u.t_s, int(u.priority))
                    else:
                        self.backend.speak(u.text)
                except Exception as exc:  # noqa: BLE001
                    self.error = f"{type(exc).__name__}: {exc}"
                finally:
                    with self._cond:
                        self._busy = False
                        self._current = None
                        self._cond.notify_all()
        finally:
            with contextlib.suppress(Exception):
                self.backend.close()


def make_voice(kind: str, rate: int | None = None, volume: float | None = None, voice: str | None = None,
               print_sink: Callable[[str], None] | None = None,
               warn: Callable[[str], None] | None = None) -> Voice:
    """``pyttsx3`` | ``print`` | ``none`` | ``record:FILE``; pyttsx3 that cannot be heard
    falls back to ``print`` with one warning."""
    warn = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))
    if kind.startswith("record"):
        _, _, path = kind.partition(":")
        return Voice(RecordingBackend(path or None))
    if kind == "none":
        return Voice(NoneBackend())
    if kind == "print":
        return Voice(PrintBackend(print_sink))
    if kind != "pyttsx3":
        raise ValueError(f"unknown voice backend {kind!r}")
    problem = pyttsx3_problem()
    if problem is None:
        v = Voice(Pyttsx3Backend(rate, volume, voice))
        if v.error is None:
            return v
        v.close()
        problem = v.error
    warn(f"{problem}; showing the coach's words as text instead (--voice print)")
    return Voice(PrintBackend(print_sink))
