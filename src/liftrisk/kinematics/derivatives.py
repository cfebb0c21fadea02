"""Linear and angular velocities and accelerations of points and segments (world frame).

Positions should be low-pass filtered first (`liftrisk.processing`); differentiation
amplifies noise by about 2 pi f per derivative. Two differentiators:

* ``"savgol"`` (default): Savitzky-Golay local polynomial fit and its derivative
  (Savitzky A, Golay MJE (1964) Anal Chem 36:1627-1639), `scipy.signal.savgol_filter`
  with ``mode="interp"`` (the edges use the fit of the first/last window). Exact for
  polynomials up to `polyorder`.
* ``"central"``: second-order central differences (`numpy.gradient`, second-order
  one-sided at the edges). Exact for quadratics.

Angular velocity of a segment frame R(t) (columns = segment axes in world coordinates):
the skew-symmetric part of R^T dR/dt is [omega_local]x, the angular velocity in the
segment's own axes; omega_world = R omega_local. The angular acceleration is the time
derivative of omega_world (the same vector whichever frame it is differentiated in,
since alpha = d omega / dt and omega x omega = 0).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import savgol_filter

from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError
from liftrisk.kinematics.frames import segment_frames

__all__ = ["time_derivative", "point_kinematics", "angular_velocity", "angular_acceleration", "segment_kinematics"]

METHODS = ("savgol", "central")


def time_derivative(x, rate_hz: float, order: int = 1, method: str = "savgol", window_s: float = 0.1,
                    polyorder: int = 3) -> np.ndarray:
    """Time derivative of samples (first axis = time) at a constant rate.

    Parameters
    ----------
    x : array (T, ...)
        Samples (NaN propagates to the frames whose window contains it).
    rate_hz : float
        Sampling rate, Hz.
    order : {1, 2}
        Derivative order.
    method : {"savgol", "central"}
    window_s : float
        Savitzky-Golay window length in s (rounded to an odd number of samples >=
        polyorder + 2, shortened to the record when needed).
    polyorder : int
        Savitzky-Golay polynomial order.

    Returns
    -------
    array, same shape as `x`
        d^order x / dt^order in units of x per s^order.

    Examples
    --------
    >>> t = np.arange(0, 1, 0.01)
    >>> v = time_derivative(3.0 * t ** 2, 100.0)   # exact for a cubic fit
    >>> round(float(v[50]), 6), round(float(time_derivative(3.0 * t ** 2, 100.0, order=2)[0]), 6)
    (3.0, 6.0)
    """
    a = np.asarray(x, dtype=float)
    if rate_hz <= 0:
        raise DataQualityError(f"rate_hz is {rate_hz}; expected a positive sampling rate in Hz")
    if order not in (1, 2):
        raise DataQualityError(f"order is {order}; expected 1 or 2")
    if method not in METHODS:
        raise DataQualityError(f"method is {method!r}; expected one of {', '.join(METHODS)}")
    n = a.shape[0]
    dt = 1.0 / rate_hz
    if n < 3:
        raise DataQualityError(f"{n} frames are too few to differentiate; expected at least 3")
    if method == "central":
        out = a
        for _ in range(order):
            out = np.gradient(out, dt, axis=0, edge_order=2)
        return out
    win = int(round(window_s * rate_hz)) | 1
    win = max(win, polyorder + 2 + ((polyorder + 2) % 2 == 0))
    if win > n:
        win = n if n % 2 else n - 1
    p = min(polyorder, win - 1)
    if order > p:
        raise DataQualityError(f"derivative order {order} needs a polynomial order >= {order}; got {p}")
    return savgol_filter(a, win, p, deriv=order, delta=dt, axis=0, mode="interp")


def point_kinematics(motion: Motion, names=None, **kwargs) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Velocities (m/s) and accelerations (m/s^2) of points, world frame.

    Parameters
    ----------
    motion : Motion
    names : iterable of str, optional
        Points (default all).
    **kwargs
        `time_derivative` options (method, window_s, polyorder).

    Returns
    -------
    (dict, dict)
        name -> (T, 3) velocity, name -> (T, 3) acceleration.

    Examples
    --------
    >>> t = np.arange(0, 1, 0.01)
    >>> p = np.stack([2 * t, 0 * t, 5 - 4.905 * t ** 2], axis=1)
    >>> v, a = point_kinematics(Motion.from_points({"ball": p}, rate_hz=100.0))
    >>> np.round(a["ball"][10], 6).tolist()[2]
    -9.81
    """
    names = list(motion.point_names if names is None else names)
    pos = motion.points(names)
    v = time_derivative(pos, motion.rate_hz, 1, **kwargs)
    a = time_derivative(pos, motion.rate_hz, 2, **kwargs)
    return ({n: v[:, i] for i, n in enumerate(names)}, {n: a[:, i] for i, n in enumerate(names)})


def _vee(w: np.ndarray) -> np.ndarray:
    """Vector of the skew-symmetric part of (T, 3, 3) matrices."""
    return 0.5 * np.stack([w[:, 2, 1] - w[:, 1, 2], w[:, 0, 2] - w[:, 2, 0], w[:, 1, 0] - w[:, 0, 1]], axis=1)


def angular_velocity(frames, rate_hz: float, expressed_in: str = "world", **kwargs) -> np.ndarray:
    """Angular velocity (T, 3), rad/s, of segment frames (T, 3, 3) or (T, 4, 4).

    omega_local = vee(skew(R^T dR/dt)); omega_world = R omega_local.

    Parameters
    ----------
    frames : array_like
        (T, 3, 3) rotations or (T, 4, 4) transforms of a segment in the world frame.
    rate_hz : float
        Sampling rate (Hz).
    expressed_in : {"world", "local"}
        Axes of the result: world, or the segment's own frame.
    **kwargs
        Passed to `time_derivative` (``method``, ``window_s``, ...).

    Returns
    -------
    numpy.ndarray
        (T, 3) angular velocity (rad/s).

    Examples
    --------
    >>> from liftrisk.kinematics.rotations import rotation_about
    >>> r = rotation_about("z", 2.0 * np.arange(0, 1, 0.01))   # 2 rad/s about Z
    >>> np.round(angular_velocity(r, 100.0)[50], 4).tolist()
    [0.0, 0.0, 2.0]
    """
    f = np.asarray(frames, dtype=float)
    r = f[:, :3, :3]
    if expressed_in not in ("world", "local"):
        raise DataQualityError(f"expressed_in is {expressed_in!r}; expected 'world' or 'local'")
    dr = time_derivative(r, rate_hz, 1, **kwargs)
    w_local = _vee(np.swapaxes(r, 1, 2) @ dr)
    if expressed_in == "local":
        return w_local
    return np.einsum("tij,tj->ti", r, w_local)


def angular_acceleration(frames, rate_hz: float, **kwargs) -> np.ndarray:
    """Angular acceleration (T, 3), rad/s^2, world frame: d omega_world / dt.

    Parameters
    ----------
    frames : array_like
        (T, 3, 3) rotations or (T, 4, 4) transforms of a segment in the world frame.
    rate_hz : float
        Sampling rate (Hz).
    **kwargs
        Passed to `time_derivative`.

    Returns
    -------
    numpy.ndarray
        (T, 3) angular acceleration in world axes (rad/s^2).

    Examples
    --------
    >>> from liftrisk.kinematics.rotations import rotation_about
    >>> t = np.arange(0, 1, 0.01)
    >>> r = rotation_about("x", 1.5 * t ** 2)   # alpha = 3 rad/s^2 about X
    >>> np.round(angular_acceleration(r, 100.0)[50], 4).tolist()
    [3.0, 0.0, 0.0]
    """
    w = angular_velocity(frames, rate_hz, "world", **kwargs)
    return time_derivative(w, rate_hz, 1, **kwargs)


def segment_kinematics(motion: Motion, segments=None, **kwargs) -> dict[str, dict[str, np.ndarray]]:
    """Frames and their linear/angular velocities and accelerations, world frame, SI.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (m, Z-up world frame).
    segments : sequence of str, optional
        Segment names (default: every segment the motion can give).
    **kwargs
        Passed to `time_derivative`.

    Returns
    -------
    dict
        Segment name -> dict of ``frames`` (T, 4, 4), ``origin_velocity`` (m/s),
        ``origin_acceleration`` (m/s^2), ``angular_velocity`` (rad/s) and
        ``angular_acceleration`` (rad/s^2), the last four (T, 3) in world axes.

    Examples
    --------
    >>> from liftrisk.synthetic import synthetic_lift
    >>> from liftrisk.core import Subject
    >>> k = segment_kinematics(synthetic_lift(Subject("male", 75.0, 1.75), rate_hz=60), ["trunk"])
    >>> k["trunk"]["angular_velocity"].shape
    (145, 3)
    """
    frames = segment_frames(motion, segments)
    out = {}
    for name, f in frames.items():
        o = f[:, :3, 3]
        out[name] = {
            "frames": f,
            "origin_velocity": time_derivative(o, motion.rate_hz, 1, **kwargs),
            "origin_acceleration": time_derivative(o, motion.rate_hz, 2, **kwargs),
            "angular_velocity": angular_velocity(f, motion.rate_hz, **kwargs),
            "angular_acceleration": angular_acceleration(f, motion.rate_hz, **kwargs),
        }
    return out
