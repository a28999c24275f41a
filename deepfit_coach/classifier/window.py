"""Per-frame and window features shared by training and the runtime.

A static frame often cannot tell exercises apart (the top of a curl, standing rest and
the top of a press look alike), so the window model sees how each keypoint moves over
the last ~1.5 s: the mean and spread of the 36 per-frame inputs plus how much the body's
centre travels (walking, jumping jacks) relative to the body's size.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from deepfit_coach.classifier.body3d import NUM_BODY_FEATURES, NUM_WINDOW_BODY_FEATURES, window_body_features
from deepfit_coach.features import keypoints18, normalize_matec_parts

WINDOW_S = 1.5            # seconds of history the window model looks at
RECENT_S = 0.5            # ... and its most recent part, so starts and stops show quickly
MIN_SPAN_S = 0.3          # a window needs valid frames spanning at least this long
LONG_S = 4.0              # history for the repetition features (a slow rep takes ~2.5 s)
GRID_S = 0.1              # the long history is resampled on this grid (any frame rate)
MAX_LAG = 25              # repetition periods looked for: MIN_LAG..MAX_LAG grid steps
MIN_LAG = 5
MIN_OVERLAP = 8           # grid points a lag must compare to count
NUM_FRAME_FEATURES = 36
NUM_2D_WINDOW_FEATURES = 36 * 4 + 4
NUM_LONG_FEATURES = 9
NUM_WINDOW_FEATURES = NUM_2D_WINDOW_FEATURES + NUM_WINDOW_BODY_FEATURES + NUM_LONG_FEATURES
NUM_EXTRAS = 3 + NUM_BODY_FEATURES   # centre x, y, body length (pixels), then ``body_features``


def frame_features(landmarks: np.ndarray, width: int = 1, height: int = 1,
                   world: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(..., 33, >=2) normalised landmarks -> ((..., 36) inputs, (..., 3) extras).

    Extras are the centre of the present keypoints in pixels (x, y) and the body length
    in pixels, which the window features need to measure whole-body motion. With
    ``world`` ((..., 33, 3) world landmarks) the extras also carry ``body_features``
    ((..., NUM_EXTRAS) in all).
    """
    feats, extras, _ = frame_features_present(landmarks, width, height, world)
    return feats, extras


def frame_features_present(landmarks: np.ndarray, width: int | np.ndarray = 1, height: int | np.ndarray = 1,
                           world: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``frame_features`` and the (..., 18) mask of present keypoints it used (scaling to
    pixels keeps which keypoints are present), so the caller need not find them again."""
    lm = np.asarray(landmarks, dtype=np.float64).copy()
    lm[..., 0] *= width
    lm[..., 1] *= height
    kp, present = keypoints18(lm)
    feats, centre, length = normalize_matec_parts(kp, present)
    extras = np.concatenate([centre, length[..., None]], axis=-1)
    if world is not None:
        from deepfit_coach.classifier.body3d import body_features

        extras = np.concatenate([extras, body_features(world)], axis=-1)
    return feats, extras.astype(np.float32), present


def _motion(centre_std: np.ndarray, length: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(length[..., None] > 1e-9, centre_std / length[..., None], 0.0)


# columns of a frame's inputs and extras side by side (36 + NUM_EXTRAS): the inputs, the body
# centre (x, y), the body length, then the 3D body-frame features
_INPUTS = slice(0, NUM_FRAME_FEATURES)
_CENTRE = slice(NUM_FRAME_FEATURES, NUM_FRAME_FEATURES + 2)
_LENGTH = NUM_FRAME_FEATURES + 2
_BODY = slice(NUM_FRAME_FEATURES + 3, None)


def _window_stats(mean: np.ndarray, std: np.ndarray, rng: np.ndarray, r_std: np.ndarray,
                  length: np.ndarray) -> np.ndarray:
    """The window inputs but the repetition features, for Q windows: from the (Q, 36 +
    NUM_EXTRAS) mean, std and range of each window, the std of its recent part (zeros where
    it has none) and its (Q,) mean body length. One assembly for the live, the offline and
    the training path, so the three cannot drift apart."""
    body = window_body_features({"mean": mean[:, _BODY], "std": std[:, _BODY], "range": rng[:, _BODY]},
                                r_std[:, _BODY])
    return np.concatenate([mean[:, _INPUTS], std[:, _INPUTS], rng[:, _INPUTS], _motion(std[:, _CENTRE], length),
                           r_std[:, _INPUTS], _motion(r_std[:, _CENTRE], length), body], axis=1)


def window_features(feats: np.ndarray, extras: np.ndarray, times: np.ndarray,
                    now: float | None = None, window_s: float = WINDOW_S) -> np.ndarray:
    """(T, 36) frame inputs, (T, 3 or NUM_EXTRAS) extras and (T,) times of the recent
    history (up to ``LONG_S``) -> (NUM_WINDOW_FEATURES,) inputs.

    The window statistics use the frames of the last ``window_s`` only, the repetition
    features (``long_features``, the last NUM_LONG_FEATURES) the whole history.

    Mean, standard deviation and range (max - min) of each per-frame input, the standard
    deviation of the body centre (x, y) divided by the mean body length, then the same
    standard deviations over the last ``RECENT_S`` seconds only (148 numbers); then the
    same statistics of the 3D body-frame features (``body3d``), made left/right
    symmetric (zeros when the extras carry no world landmarks). Frames whose pose had
    no usable body length must be dropped by the caller.
    """
    f_all = np.asarray(feats, dtype=np.float64)
    e_all = _full_extras(np.asarray(extras, dtype=np.float64))
    t_all = np.asarray(times, dtype=np.float64)
    if len(f_all) == 0:
        return np.zeros(NUM_WINDOW_FEATURES, dtype=np.float32)
    now_t = float(t_all[-1] if now is None else now)
    keep = t_all >= now_t - window_s + 1e-9
    if not keep.any():
        return np.zeros(NUM_WINDOW_FEATURES, dtype=np.float32)
    # inputs and extras as one matrix: numpy reduces each column alone, row after row, so
    # one call per statistic gives the numbers separate calls gave, for less overhead
    x, t = np.concatenate([f_all, e_all], axis=1)[keep], t_all[keep]
    rep = long_features(f_all, e_all, t_all, np.ones(len(t_all), bool), np.array([now_t]))[0]
    recent = t >= now_t - RECENT_S + 1e-9
    r_std = x[recent].std(axis=0) if recent.any() else np.zeros(x.shape[1])
    stats = _window_stats(x.mean(axis=0)[None], x.std(axis=0)[None], (x.max(axis=0) - x.min(axis=0))[None],
                          r_std[None], np.array([np.mean(x[:, _LENGTH])]))[0]
    return np.concatenate([stats, rep]).astype(np.float32)


def history_window_features(feats: np.ndarray, extras: np.ndarray, times: np.ndarray, nows: np.ndarray,
                            stops: np.ndarray, window_s: float = WINDOW_S, chunk: int = 64) -> np.ndarray:
    """``window_features`` at many moments of one clip at once, value for value: row q is
    ``window_features(feats[h], extras[h], times[h], now=nows[q], window_s)`` over the
    history ``h = first:stops[q]`` that ``TemporalClassifier`` keeps, the frames before
    ``stops[q]`` with time >= ``nows[q] - max(window_s, LONG_S)`` (+1e-9).

    Offline ``analyze`` knows the whole clip, so the repetition features are computed
    in one batch and the window statistics over padded (moments, frames, inputs) arrays
    summed frame by frame in the same order as numpy sums one window, so the model sees
    exactly the numbers the live path gives it. ``times`` must increase (by > 1e-9), and
    the frame after ``stops[q]`` must come after ``nows[q]``.
    """
    f_all = np.asarray(feats, dtype=np.float64)
    e_all = _full_extras(np.asarray(extras, dtype=np.float64))
    t = np.asarray(times, dtype=np.float64)
    nows = np.asarray(nows, dtype=np.float64)
    stops = np.asarray(stops, dtype=np.int64)
    out = np.zeros((len(nows), NUM_WINDOW_FEATURES), dtype=np.float32)
    if len(t) == 0 or len(nows) == 0:
        return out
    x = np.concatenate([f_all, e_all], axis=1)                 # (T, 36 + NUM_EXTRAS)
    first = np.searchsorted(t, nows - max(window_s, LONG_S) + 1e-9, side="left")
    lo = np.maximum(first, np.searchsorted(t, nows - window_s + 1e-9, side="left"))
    recent_lo = np.maximum(lo, np.searchsorted(t, nows - RECENT_S + 1e-9, side="left"))
    ok = lo < stops
    for a in range(0, len(nows), chunk):
        q = np.arange(a, min(a + chunk, len(nows)))
        q = q[ok[q]]
        if len(q) == 0:
            continue
        rows = _window_rows(x, lo[q], recent_lo[q], stops[q])
        rep = long_features(f_all, e_all, t, np.ones(len(t), bool), nows[q])
        out[q] = np.concatenate([rows, rep], axis=1).astype(np.float32)
    return out


def _window_rows(x: np.ndarray, lo: np.ndarray, recent_lo: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """The window statistics of ``window_features`` (all but the repetition features) for
    windows ``x[lo:stops]`` with recent parts ``x[recent_lo:stops]`` (Q windows, none empty)."""
    mean, std, hi, low = _padded_stats(x, lo, stops, extremes=True)
    _, r_std, _, _ = _padded_stats(x, recent_lo, stops)
    r_std = np.where((recent_lo < stops)[:, None], r_std, 0.0)
    # np.mean of one column is a pairwise sum: taken window by window, as the live path does
    length = np.array([np.mean(x[a:b, _LENGTH]) for a, b in zip(lo, stops)])
    return _window_stats(mean, std, hi - low, r_std, length)


def _padded_stats(x: np.ndarray, lo: np.ndarray, stops: np.ndarray, extremes: bool = False
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Mean, standard deviation (and max, min) of the rows ``x[lo[q]:stops[q]]`` for each q.

    The rows are gathered into a zero-padded (Q, K, D) array and summed over K, which
    numpy does row after row exactly as it sums one window's (k, D) rows over axis 0,
    so the numbers equal ``x[lo:stop].mean(axis=0)`` / ``.std(axis=0)`` bit for bit.
    """
    k = max(int((stops - lo).max()), 1)
    idx = lo[:, None] + np.arange(k)[None]                      # (Q, K)
    inside = (idx < stops[:, None])[..., None]
    g = x[np.minimum(idx, len(x) - 1)]                          # (Q, K, D)
    n = np.maximum(stops - lo, 1)[:, None]
    mean = np.where(inside, g, 0.0).sum(axis=1) / n
    dev = np.where(inside, g - mean[:, None], 0.0)
    std = np.sqrt(np.sum(dev * dev, axis=1) / n)
    if not extremes:
        return mean, std, None, None
    return mean, std, np.where(inside, g, -np.inf).max(axis=1), np.where(inside, g, np.inf).min(axis=1)


_BODY3D = slice(3, 3 + NUM_BODY_FEATURES - 1)   # body features in the extras, without the flag


@lru_cache(maxsize=4)
def _lag_pairs(g: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices into a (g, g) matrix of the pairs i - j = k, grouped by k = 1..MAX_LAG,
    and where each group starts (for ``np.add.reduceat``)."""
    groups = [np.flatnonzero((np.subtract.outer(np.arange(g), np.arange(g)) == k).ravel()) for k in range(1, MAX_LAG + 1)]
    return np.concatenate(groups), np.cumsum([0] + [len(x) for x in groups[:-1]])


def _repetition(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """(Q, G, D) grid signals with (Q, G) presence -> (Q, 4): prominence, lag, peak, energy.

    Normalised autocorrelation r(k) of the centred signals (all D together, so the
    largest motions dominate); a repetition is a peak of r after a dip (a trend or a
    single slow move only decays, noise stays near 0). Prominence = max over periods k of
    r(k) - min r(1..k); lag = the period in seconds; energy = RMS distance from the mean.
    """
    q = len(x)
    n = np.maximum(m.sum(axis=1), 1)[:, None]
    mean = np.sum(x * m[..., None], axis=1) / n
    xc = (x - mean[:, None]) * m[..., None]
    sq = np.sum(xc * xc, axis=2)                                            # (Q, G)
    mf = m.astype(np.float64)
    g = x.shape[1]
    flat, starts = _lag_pairs(g)   # sums over the pairs (i, j) with i - j = k, k = 1..MAX_LAG
    i, j = flat // g, flat % g     # only those pairs' products are formed
    sq_i, sq_j, m_i, m_j = (np.take(a, k, axis=1) for a, k in ((sq, i), (sq, j), (mf, i), (mf, j)))
    # each sum on its own (the same sums as over the four stacked, without the copy)
    num = np.add.reduceat(np.matmul(xc, xc.transpose(0, 2, 1)).reshape(q, g * g)[:, flat], starts, axis=-1)
    s1, s2, cnt = (np.add.reduceat(a * b, starts, axis=-1) for a, b in ((sq_i, m_j), (m_i, sq_j), (m_i, m_j)))
    den = np.sqrt(s1 * s2)
    r = np.full((q, MAX_LAG + 1), np.nan)
    r[:, 1:] = np.where((cnt >= MIN_OVERLAP) & (den > 1e-12), num / np.maximum(den, 1e-12), np.nan)
    run_min = np.fmin.accumulate(np.where(np.isnan(r[:, 1:]), np.inf, r[:, 1:]), axis=1)
    prom = r[:, 1:] - run_min
    prom[:, :MIN_LAG - 1] = np.nan
    prom = np.where(np.isfinite(prom), prom, -np.inf)
    best = np.argmax(prom, axis=1)
    has = np.isfinite(prom[np.arange(q), best])
    energy = np.sqrt(np.sum(sq, axis=1) / n[:, 0])
    return np.stack([np.where(has, prom[np.arange(q), best], 0.0), np.where(has, (best + 1) * GRID_S, 0.0),
                     np.where(has, r[np.arange(q), best + 1], 0.0), energy], axis=1)


def long_features(feats: np.ndarray, extras: np.ndarray, times: np.ndarray, valid: np.ndarray,
                  nows: np.ndarray) -> np.ndarray:
    """Repetition features at each time of ``nows`` over the last ``LONG_S``: (Q, NUM_LONG_FEATURES).

    Whether the body repeats a motion (an exercise) or not (standing, walking up, setting
    up, stretching) shows over a rep or two, longer than the window. The valid frames
    are sampled on a ``GRID_S`` grid back from each time (last frame at or before each
    grid point, so any frame rate gives the same numbers) and ``_repetition`` measures
    the 36 2D inputs and the 3D body features separately; plus the share of LONG_S the
    history covers (short at a start, when no rep can have been seen yet).
    """
    t = np.asarray(times, dtype=np.float64)[valid]
    nows = np.asarray(nows, dtype=np.float64)
    out = np.zeros((len(nows), NUM_LONG_FEATURES))
    if len(t) == 0:
        return out.astype(np.float32)
    f = np.asarray(feats, dtype=np.float64)[valid]
    e = _full_extras(np.asarray(extras, dtype=np.float64))[valid]
    steps = int(round(LONG_S / GRID_S))
    grid = nows[:, None] - GRID_S * np.arange(steps)[None]                  # (Q, G), newest first
    idx = np.searchsorted(t, grid + 1e-9, side="right") - 1
    m = idx >= 0
    idx = np.maximum(idx, 0)
    m &= t[idx] >= nows[:, None] - LONG_S + 1e-9
    world = e[:, -1] > 0.5
    m3 = m & world[idx]
    out[:, 0:4] = _repetition(f[idx], m)
    has3 = m3.sum(axis=1) >= 0.5 * np.maximum(m.sum(axis=1), 1)
    out[:, 4:8] = np.where(has3[:, None], _repetition(e[idx][..., _BODY3D], m3), 0.0)
    out[:, 8] = m.sum(axis=1) / steps
    return out.astype(np.float32)


def _full_extras(e: np.ndarray) -> np.ndarray:
    """Extras without body features (3 columns) get zero body features."""
    if e.ndim == 2 and e.shape[1] < NUM_EXTRAS:
        e = np.concatenate([e, np.zeros((len(e), NUM_EXTRAS - e.shape[1]))], axis=1)
    return e


def _sliding_stats(x: np.ndarray, t: np.ndarray, valid: np.ndarray, window_s: float) -> dict[str, np.ndarray]:
    """Mean, std, max, min, count and time span of the valid rows in each trailing window."""
    n = len(t)
    start = np.searchsorted(t, t - window_s + 1e-9, side="left")
    span = int((np.arange(n) - start).max()) + 1 if n else 0
    d = x.shape[1]
    s1, s2 = np.zeros((n, d)), np.zeros((n, d))
    hi, lo = np.full((n, d), -np.inf), np.full((n, d), np.inf)
    cnt = np.zeros(n)
    first, last = np.full(n, np.inf), np.full(n, -np.inf)
    rows = np.arange(n)
    for k in range(span):
        idx = rows - k
        ok = (idx >= start) & (idx >= 0)
        idx = np.where(ok, idx, 0)
        ok &= valid[idx]
        v = x[idx]
        m = ok[:, None]
        s1 += np.where(m, v, 0.0)
        s2 += np.where(m, v * v, 0.0)
        hi = np.where(m, np.maximum(hi, v), hi)
        lo = np.where(m, np.minimum(lo, v), lo)
        cnt += ok
        first = np.where(ok, np.minimum(first, t[idx]), first)
        last = np.where(ok, np.maximum(last, t[idx]), last)
    c = np.maximum(cnt, 1)[:, None]
    mean = s1 / c
    std = np.sqrt(np.maximum(s2 / c - mean * mean, 0.0))
    return {"mean": mean, "std": std, "hi": hi, "lo": lo, "cnt": cnt, "span": last - first}


def sliding_window_features(feats: np.ndarray, extras: np.ndarray, times: np.ndarray,
                            valid: np.ndarray, window_s: float = WINDOW_S,
                            min_frames: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Window inputs ending at every frame of one clip: ((T, NUM_WINDOW_FEATURES), (T,) bool usable).

    Same numbers as ``window_features`` over the valid frames within ``window_s`` of each
    frame (vectorised over frames). A window is usable (``window_usable``) when it holds
    at least ``min_frames`` valid frames spanning at least ``MIN_SPAN_S``.
    """
    t = np.asarray(times, dtype=np.float64)
    valid = np.asarray(valid, dtype=bool)
    x = np.concatenate([np.asarray(feats, np.float64), _full_extras(np.asarray(extras, np.float64))], axis=1)
    w = _sliding_stats(x, t, valid, window_s)
    r = _sliding_stats(x, t, valid, RECENT_S)
    out = np.concatenate([_window_stats(w["mean"], w["std"], w["hi"] - w["lo"], r["std"], w["mean"][:, _LENGTH]),
                          long_features(feats, extras, t, valid, t)], axis=1)
    # the recent part is taken only from frames of this window (same as the live path)
    usable = (w["cnt"] >= min_frames) & (w["span"] >= MIN_SPAN_S - 1e-6)
    out = np.where(usable[:, None], out, 0.0)
    return out.astype(np.float32), usable


# Keypoint order of the 18 with left and right exchanged (nose, neck stay; eyes, ears swap).
_LR18 = np.array([0, 1, 5, 6, 7, 2, 3, 4, 11, 12, 13, 8, 9, 10, 15, 14, 17, 16])


def _frame_perm_sign(flip_x: bool, swap_lr: bool) -> tuple[np.ndarray, np.ndarray]:
    """Index and sign of the 36 per-frame inputs after mirroring and/or a left/right relabel."""
    k = _LR18 if swap_lr else np.arange(18)
    perm = np.concatenate([k, 18 + k])
    sign = np.concatenate([np.full(18, -1.0 if flip_x else 1.0), np.ones(18)])
    return perm, sign


def symmetric_variants(x: np.ndarray, window: bool) -> np.ndarray:
    """(N, n) inputs -> (4, N, n): as is, x negated, left/right relabelled, both (= mirrored).

    Every class is symmetric (a left-arm curl mirrored is a right-arm curl), and MediaPipe
    often relabels left and right when it sees a back, so the models are trained on all
    four; averaging their answers over the four removes a source of flicker.
    """
    x = np.asarray(x, dtype=np.float32)
    out = []
    for flip_x, swap_lr in ((False, False), (True, False), (False, True), (True, True)):
        perm, sign = _frame_perm_sign(flip_x, swap_lr)
        if not window:
            out.append(x[:, perm] * sign)
            continue
        blocks = [x[:, :36][:, perm] * sign,                  # mean: mirrored like a frame
                  x[:, 36:72][:, perm], x[:, 72:108][:, perm],  # std, range: only permuted
                  x[:, 108:110], x[:, 110:146][:, perm], x[:, 146:148],
                  x[:, NUM_2D_WINDOW_FEATURES:]]       # body-frame block: symmetric already
        out.append(np.concatenate(blocks, axis=1))
    return np.stack(out)
