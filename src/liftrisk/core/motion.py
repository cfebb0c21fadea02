"""`Motion`: the one container of 3D point trajectories that every module takes.

Frame: world, right-handed, **Z up, X forward, Y to the worker's left**; positions in
metres, time in seconds, the first dimension of every array is time. NaN marks a missing
point; gap filling is explicit (`liftrisk.processing.gaps`). Readers convert from other
frames (Y-up OpenSim/TRC, mm) before building a Motion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from liftrisk.errors import DataQualityError, MissingPointError


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Motion:
    """Immutable named 3D point trajectories in the Z-up world frame.

    Parameters
    ----------
    time_s : array (T,)
        Strictly increasing sample times in s.
    positions_m : array (T, K, 3)
        Point positions in m, world frame (Z up, X forward, Y left). NaN = missing.
    point_names : sequence of str (K,)
        Unique point names (canonical names from `liftrisk.core.skeletons` or the
        file's own marker names).
    rate_hz : float, optional
        Sampling rate; inferred from `time_s` when omitted.
    confidence : array (T, K), optional
        Detector confidence in [0, 1] per point and frame.
    source : str
        Where the data came from (file path or description), for messages.
    meta : mapping
        Free metadata (original units, original frame, skeleton name, ...).

    Examples
    --------
    >>> import numpy as np
    >>> m = Motion.from_points({"r_wrist": np.zeros((3, 3))}, rate_hz=100.0)
    >>> m["r_wrist"].shape, m.duration_s
    ((3, 3), 0.02)
    """

    time_s: np.ndarray
    positions_m: np.ndarray
    point_names: tuple
    rate_hz: float = 0.0
    confidence: np.ndarray | None = None
    source: str = ""
    meta: Mapping = field(default_factory=dict)

    def __post_init__(self) -> None:
        t = _frozen(self.time_s).reshape(-1)
        p = _frozen(self.positions_m)
        names = tuple(str(n) for n in self.point_names)
        src = self.source or "motion"
        if p.ndim != 3 or p.shape[2] != 3:
            raise DataQualityError(f"{src}: positions_m has shape {p.shape}; expected (frames, points, 3)")
        if p.shape[0] != t.shape[0]:
            raise DataQualityError(f"{src}: {t.shape[0]} time stamps but {p.shape[0]} frames of positions")
        if p.shape[1] != len(names):
            raise DataQualityError(f"{src}: {len(names)} point names but {p.shape[1]} points of positions")
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise DataQualityError(f"{src}: duplicate point names {dup}; names must be unique")
        if t.size == 0:
            raise DataQualityError(f"{src}: the motion has no frames; expected at least one")
        if not np.all(np.isfinite(t)):
            raise DataQualityError(f"{src}: time_s contains NaN or inf; expected finite times in s")
        if t.size > 1 and np.any(np.diff(t) <= 0):
            raise DataQualityError(f"{src}: time_s is not strictly increasing (repeated or missing "
                                   "frames out of order); sort or drop the repeated frames")
        rate = float(self.rate_hz)
        if rate <= 0:
            rate = float(1.0 / np.median(np.diff(t))) if t.size > 1 else 1.0
        conf = None
        if self.confidence is not None:
            conf = _frozen(self.confidence)
            if conf.shape != p.shape[:2]:
                raise DataQualityError(f"{src}: confidence has shape {conf.shape}; expected {p.shape[:2]}")
        object.__setattr__(self, "time_s", t)
        object.__setattr__(self, "positions_m", p)
        object.__setattr__(self, "point_names", names)
        object.__setattr__(self, "rate_hz", rate)
        object.__setattr__(self, "confidence", conf)
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))
        object.__setattr__(self, "_index", {n: i for i, n in enumerate(names)})

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_points(cls, points: Mapping[str, np.ndarray], time_s=None, rate_hz: float = 0.0,
                    **kwargs) -> Motion:
        """Build a Motion from a mapping name -> (T, 3) array in m (world frame).

        Either `time_s` or `rate_hz` must be given (time then starts at 0).
        """
        if not points:
            raise DataQualityError("no points given; expected at least one named (T, 3) array")
        arrays = [np.asarray(v, dtype=float) for v in points.values()]
        n = arrays[0].shape[0]
        for name, a in zip(points, arrays, strict=True):
            if a.shape != (n, 3):
                raise DataQualityError(f"point {name!r} has shape {a.shape}; expected ({n}, 3)")
        if time_s is None:
            if rate_hz <= 0:
                raise DataQualityError("give time_s or a positive rate_hz")
            time_s = np.arange(n) / rate_hz
        return cls(time_s=np.asarray(time_s, float), positions_m=np.stack(arrays, axis=1),
                   point_names=tuple(points), rate_hz=rate_hz, **kwargs)

    # ----------------------------------------------------------------- access
    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.time_s.shape[0])

    @property
    def n_points(self) -> int:
        """Number of points K."""
        return len(self.point_names)

    @property
    def duration_s(self) -> float:
        """Time from the first to the last frame, s."""
        return float(self.time_s[-1] - self.time_s[0])

    def __contains__(self, name: object) -> bool:
        return name in self._index

    def has(self, *names: str) -> bool:
        """True when every name is a point of this motion."""
        return all(n in self._index for n in names)

    def index(self, name: str) -> int:
        """Column of a point (for the skeleton registry and readers only)."""
        try:
            return self._index[name]
        except KeyError:
            raise MissingPointError(
                f"{self.source or 'motion'} has no point {name!r}; it has "
                f"{', '.join(self.point_names[:40])}{' ...' if self.n_points > 40 else ''}"
            ) from None

    def __getitem__(self, name: str) -> np.ndarray:
        """(T, 3) read-only positions of one point in m (world frame)."""
        return self.positions_m[:, self.index(name), :]

    def points(self, names: Iterable[str]) -> np.ndarray:
        """(T, len(names), 3) positions of several points."""
        return self.positions_m[:, [self.index(n) for n in names], :]

    def point_confidence(self, name: str) -> np.ndarray:
        """(T,) confidence of a point (ones when the source gave none)."""
        if self.confidence is None:
            return np.ones(self.n_frames)
        return self.confidence[:, self.index(name)]

    # ----------------------------------------------------------------- new objects
    def replace(self, **changes) -> Motion:
        """A copy with some fields changed (inputs are never modified)."""
        kw = dict(time_s=self.time_s, positions_m=self.positions_m, point_names=self.point_names,
                  rate_hz=self.rate_hz, confidence=self.confidence, source=self.source,
                  meta=dict(self.meta))
        kw.update(changes)
        if "time_s" in changes and "rate_hz" not in changes:
            kw["rate_hz"] = 0.0
        return Motion(**kw)

    def select(self, names: Iterable[str]) -> Motion:
        """A motion with only the given points, in the given order."""
        names = list(names)
        idx = [self.index(n) for n in names]
        conf = None if self.confidence is None else self.confidence[:, idx]
        return self.replace(positions_m=self.positions_m[:, idx], point_names=tuple(names),
                            confidence=conf)

    def with_points(self, points: Mapping[str, np.ndarray]) -> Motion:
        """A motion with points added or replaced (each (T, 3) in m, world frame)."""
        pos = list(np.moveaxis(self.positions_m, 1, 0))
        names = list(self.point_names)
        conf = None if self.confidence is None else list(self.confidence.T)
        for name, arr in points.items():
            arr = np.asarray(arr, float)
            if arr.shape != (self.n_frames, 3):
                raise DataQualityError(f"point {name!r} has shape {arr.shape}; expected ({self.n_frames}, 3)")
            if name in self._index:
                pos[self._index[name]] = arr
            else:
                names.append(name)
                pos.append(arr)
                if conf is not None:
                    conf.append(np.where(np.isfinite(arr).all(axis=1), 1.0, 0.0))
        return self.replace(positions_m=np.stack(pos, axis=1), point_names=tuple(names),
                            confidence=None if conf is None else np.stack(conf, axis=1))

    def rename(self, mapping: Mapping[str, str]) -> Motion:
        """A motion whose points are renamed old -> new (others keep their names)."""
        return self.replace(point_names=tuple(mapping.get(n, n) for n in self.point_names))

    def slice_frames(self, start: int, stop: int | None = None) -> Motion:
        """Frames start:stop (Python slice semantics)."""
        sl = slice(start, stop)
        conf = None if self.confidence is None else self.confidence[sl]
        return self.replace(time_s=self.time_s[sl], positions_m=self.positions_m[sl],
                            confidence=conf, rate_hz=self.rate_hz)

    def slice_time(self, t0_s: float, t1_s: float) -> Motion:
        """Frames with t0_s <= t <= t1_s."""
        keep = (self.time_s >= t0_s) & (self.time_s <= t1_s)
        idx = np.flatnonzero(keep)
        if idx.size == 0:
            raise DataQualityError(f"{self.source or 'motion'}: no frames between {t0_s} s and "
                                   f"{t1_s} s; the motion spans {self.time_s[0]:.3f}-{self.time_s[-1]:.3f} s")
        return self.slice_frames(int(idx[0]), int(idx[-1]) + 1)

    def transformed(self, rotation: np.ndarray, translation_m=(0.0, 0.0, 0.0)) -> Motion:
        """Apply a rigid transform p' = R p + t to every point (R: 3x3 rotation)."""
        r = np.asarray(rotation, float)
        new = self.positions_m @ r.T + np.asarray(translation_m, float)
        return self.replace(positions_m=new)

    def missing_fraction(self) -> dict[str, float]:
        """Fraction of frames in which each point is missing (NaN)."""
        miss = ~np.isfinite(self.positions_m).all(axis=2)
        return {n: float(miss[:, i].mean()) for i, n in enumerate(self.point_names)}

    def __repr__(self) -> str:
        return (f"Motion({self.n_frames} frames, {self.n_points} points, {self.rate_hz:g} Hz, "
                f"{self.duration_s:.2f} s, source={self.source!r})")
