"""The log's time stamps: a clock's m:ss.t, never rounded up (the rest countdown's "3" at 31.5 s
was printed at 0:32.5, beside the "2" at 32.5 s, and its "1" at 33.5 s at 0:34.5)."""

from __future__ import annotations

import io

from deepfit_coach.coach import events as ev
from deepfit_coach.coach import phrases
from deepfit_coach.dashboard import LogReporter


def test_rest_ticks_a_second_apart_are_logged_a_second_apart():
    out = io.StringIO()
    ticks = [ev.RestTick(t, n, say=phrases.rest_tick(n, t)) for t, n in ((31.5, 3), (32.5, 2), (33.5, 1))]
    LogReporter(out)(ticks + [ev.RestEnded(59.96)])
    assert out.getvalue().splitlines() == ["[0:31.5] coach: 3", "[0:32.5] coach: 2", "[0:33.5] coach: 1",
                                           "[0:59.9] rest over"]
