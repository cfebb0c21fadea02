"""External load containers: hand load, ground reactions, insole pressures (SI units,
Z-up world frame unless a field says otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from liftrisk.core.limits import check
from liftrisk.errors import DataQualityError


def _ro(a, shape_tail: tuple, name: str) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    if a.shape[1:] != shape_tail:
        raise DataQualityError(f"{name} has shape {a.shape}; expected (frames, {', '.join(map(str, shape_tail))})")
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class HandLoad:
    """What the hands hold.

    Either a box of `box_mass_kg` (its acceleration is taken from the hands' midpoint
    motion) or a measured external force on the hands `force_n` (T, 3), world frame, the
    force the load applies to the body.

    Attributes
    ----------
    box_mass_kg : float
        Mass of the object in the hands (kg); 0 = nothing held.
    force_n : numpy.ndarray, optional
        (T, 3) measured force of the load on the hands (N, world frame), instead of a box.
    time_s : numpy.ndarray, optional
        (T,) times of ``force_n`` (s).
    split : float
        Share of the load carried by the right hand (0-1; 0.5 = equal, the default for a
        two-handed symmetric lift).

    Examples
    --------
    >>> HandLoad(box_mass_kg=10.0).box_mass_kg
    10.0
    """

    box_mass_kg: float = 0.0
    force_n: np.ndarray | None = None
    time_s: np.ndarray | None = None
    split: float = 0.5

    def __post_init__(self) -> None:
        m = check("box_mass_kg", self.box_mass_kg)
        if not 0.0 <= float(self.split) <= 1.0:
            raise DataQualityError(f"split is {self.split}; expected a share 0-1 for the right hand")
        object.__setattr__(self, "box_mass_kg", m)
        if self.force_n is not None:
            object.__setattr__(self, "force_n", _ro(self.force_n, (3,), "force_n"))
            if self.time_s is None or len(self.time_s) != self.force_n.shape[0]:
                raise DataQualityError("a measured hand force needs time_s with one time per frame")
            object.__setattr__(self, "time_s", np.asarray(self.time_s, float))


@dataclass(frozen=True, eq=False)
class GroundReaction:
    """One force plate or one foot's ground reaction.

    Attributes
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s).
    force_n : numpy.ndarray
        (T, 3) force of the ground on the body (N, world frame).
    cop_m : numpy.ndarray
        (T, 3) centre of pressure (m, world frame; NaN when unloaded).
    free_moment_nm : numpy.ndarray, optional
        (T, 3) free moment about the vertical at the COP (N·m; only Z non-zero for a plate).
    foot : str
        "right", "left", "both" (one plate under both feet: the kinetics share it between the
        feet) or "" when not assigned (each frame goes to the nearer foot).
    name : str
        Label of the plate, for messages.
    """

    time_s: np.ndarray
    force_n: np.ndarray
    cop_m: np.ndarray
    free_moment_nm: np.ndarray | None = None
    foot: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        t = np.array(self.time_s, float).reshape(-1)
        object.__setattr__(self, "time_s", t)
        object.__setattr__(self, "force_n", _ro(self.force_n, (3,), "force_n"))
        object.__setattr__(self, "cop_m", _ro(self.cop_m, (3,), "cop_m"))
        fm = np.zeros_like(self.force_n) if self.free_moment_nm is None else self.free_moment_nm
        object.__setattr__(self, "free_moment_nm", _ro(fm, (3,), "free_moment_nm"))
        for n in ("force_n", "cop_m", "free_moment_nm"):
            if getattr(self, n).shape[0] != t.size:
                raise DataQualityError(f"ground reaction {self.name!r}: {n} has "
                                       f"{getattr(self, n).shape[0]} frames, time_s has {t.size}")
        if self.foot not in ("", "right", "left", "both"):
            raise DataQualityError(f"foot is {self.foot!r}; expected 'right', 'left', 'both' or ''")

    @property
    def rate_hz(self) -> float:
        """Sampling rate in Hz."""
        return float(1.0 / np.median(np.diff(self.time_s))) if self.time_s.size > 1 else 0.0


@dataclass(frozen=True, eq=False)
class ObjectSupport:
    """A force plate under the object that is lifted (e.g. a box standing on the plate).

    `liftrisk.kinetics.object_plate` turns it into the measured hand load and the grasp /
    lift-off / set-down / release times.

    Attributes
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s).
    force_n : numpy.ndarray
        (T, 3) force of the plate on the object (N, world frame; Z up: positive while the
        object rests on the plate, in whatever zero the plate had: a plate zeroed with the
        object on it reads 0 at rest and minus the object's weight once it is lifted).
    cop_m : numpy.ndarray
        (T, 3) centre of pressure (m, world frame; NaN when unloaded or unknown).
    name : str
        Label of the plate, for messages.

    Examples
    --------
    >>> ObjectSupport(np.arange(3) * 0.02, np.zeros((3, 3)), np.full((3, 3), np.nan), name="box").rate_hz
    50.0
    """

    time_s: np.ndarray
    force_n: np.ndarray
    cop_m: np.ndarray
    name: str = ""

    def __post_init__(self) -> None:
        t = np.array(self.time_s, float).reshape(-1)
        object.__setattr__(self, "time_s", t)
        object.__setattr__(self, "force_n", _ro(self.force_n, (3,), "force_n"))
        object.__setattr__(self, "cop_m", _ro(self.cop_m, (3,), "cop_m"))
        for n in ("force_n", "cop_m"):
            if getattr(self, n).shape[0] != t.size:
                raise DataQualityError(f"object plate {self.name!r}: {n} has {getattr(self, n).shape[0]} frames, "
                                       f"time_s has {t.size}")

    @property
    def rate_hz(self) -> float:
        """Sampling rate in Hz."""
        return float(1.0 / np.median(np.diff(self.time_s))) if self.time_s.size > 1 else 0.0


@dataclass(frozen=True, eq=False)
class ForcePlates:
    """The force plates of one recording, by role.

    Attributes
    ----------
    ground : tuple of GroundReaction
        One per plate under the feet (``foot`` "left"/"right", "both" for a plate under both
        feet, or "" when not assigned).
    objects : tuple of ObjectSupport
        One per plate under a lifted object.
    source : str
        Where they came from (file), for messages.

    Examples
    --------
    >>> ForcePlates().ground, ForcePlates().objects
    ((), ())
    """

    ground: tuple = ()
    objects: tuple = ()
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "ground", tuple(self.ground))
        object.__setattr__(self, "objects", tuple(self.objects))
        for g in self.ground:
            if not isinstance(g, GroundReaction):
                raise DataQualityError(f"ForcePlates.ground holds GroundReaction; got {type(g).__name__}")
        for o in self.objects:
            if not isinstance(o, ObjectSupport):
                raise DataQualityError(f"ForcePlates.objects holds ObjectSupport; got {type(o).__name__}")


@dataclass(frozen=True, eq=False)
class InsolePressure:
    """A pressure insole: pressure per sensor (kPa at the file edge, stored in Pa here).

    The vertical force is sum(pressure * area) (Int J Intell Syst 2023, eq. 6).

    Attributes
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s).
    pressure_pa : numpy.ndarray
        (T, S) pressure of each sensor (Pa).
    sensor_area_m2 : numpy.ndarray
        (S,) sensor areas (m²).
    sensor_xy_m : numpy.ndarray
        (S, 2) sensor positions in the insole frame (m; x forward from the heel, y to the left).
    foot : str
        "right" or "left".
    meta : Mapping
        File metadata (kept as read).
    """

    time_s: np.ndarray
    pressure_pa: np.ndarray
    sensor_area_m2: np.ndarray
    sensor_xy_m: np.ndarray
    foot: str
    meta: Mapping = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = np.array(self.pressure_pa, float)
        a = np.array(self.sensor_area_m2, float).reshape(-1)
        xy = np.array(self.sensor_xy_m, float)
        if p.ndim != 2 or p.shape[1] != a.size or xy.shape != (a.size, 2):
            raise DataQualityError(f"insole: pressure {p.shape}, areas {a.shape}, positions {xy.shape}; "
                                   "expected (T, S), (S,), (S, 2)")
        if np.any(a <= 0) or np.any(a > 0.01):
            raise DataQualityError("insole sensor_area_m2 must be in m² (0 < area <= 0.01); "
                                   "were cm² or mm² given?")
        if self.foot not in ("right", "left"):
            raise DataQualityError(f"insole foot is {self.foot!r}; expected 'right' or 'left'")
        for name, arr in (("pressure_pa", p), ("sensor_area_m2", a), ("sensor_xy_m", xy)):
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "time_s", np.array(self.time_s, float).reshape(-1))

    def vertical_force_n(self) -> np.ndarray:
        """(T,) vertical force in N = Σ pressure × area (Int J Intell Syst 2023, eq. 6)."""
        return np.nansum(self.pressure_pa * self.sensor_area_m2, axis=1)

    def cop_xy_m(self) -> np.ndarray:
        """(T, 2) centre of pressure in the insole frame, m (NaN when unloaded)."""
        f = self.pressure_pa * self.sensor_area_m2
        tot = f.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, (f @ self.sensor_xy_m) / tot, np.nan)


@dataclass(frozen=True, eq=False)
class InsoleForce:
    """A pressure insole exported as its total force (and, when the export has it, its centre
    of pressure) instead of one pressure per sensor - the per-foot summary most insole software
    writes (e.g. Moticon "total force" and "COP", pedar "force" columns).

    Same interface as `InsolePressure` (``vertical_force_n``, ``cop_xy_m``), so
    `liftrisk.kinetics.insole_ground_reaction` places either under the foot.

    Attributes
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s).
    force_n : numpy.ndarray
        (T,) vertical force under the foot (N, >= 0).
    cop_m : numpy.ndarray or None
        (T, 2) centre of pressure in the insole frame (m; x forward from the heel, y to the
        left; NaN when unloaded), or None when the export has none.
    foot : str
        "right" or "left".
    meta : Mapping
        File metadata (kept as read).

    Examples
    --------
    >>> InsoleForce([0.0, 0.01], [400.0, 410.0], None, "left").cop_xy_m().shape
    (2, 2)
    """

    time_s: np.ndarray
    force_n: np.ndarray
    cop_m: np.ndarray | None
    foot: str
    meta: Mapping = field(default_factory=dict)

    def __post_init__(self) -> None:
        t = np.array(self.time_s, float).reshape(-1)
        f = np.array(self.force_n, float).reshape(-1)
        if f.size != t.size:
            raise DataQualityError(f"insole force has {f.size} samples, time_s {t.size}; expected one per time")
        if self.foot not in ("right", "left"):
            raise DataQualityError(f"insole foot is {self.foot!r}; expected 'right' or 'left'")
        cop = None
        if self.cop_m is not None:
            cop = np.array(self.cop_m, float)
            if cop.shape != (t.size, 2):
                raise DataQualityError(f"insole cop_m has shape {cop.shape}; expected ({t.size}, 2)")
            cop.setflags(write=False)
        for arr in (t, f):
            arr.setflags(write=False)
        object.__setattr__(self, "time_s", t)
        object.__setattr__(self, "force_n", f)
        object.__setattr__(self, "cop_m", cop)

    @property
    def has_cop(self) -> bool:
        """Whether the export gave a centre of pressure."""
        return self.cop_m is not None

    def vertical_force_n(self) -> np.ndarray:
        """(T,) vertical force in N."""
        return self.force_n

    def cop_xy_m(self) -> np.ndarray:
        """(T, 2) centre of pressure in the insole frame, m (all NaN when the export has none)."""
        return np.full((self.time_s.size, 2), np.nan) if self.cop_m is None else self.cop_m
