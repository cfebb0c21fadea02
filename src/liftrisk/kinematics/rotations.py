"""Rotation matrices, Euler/Cardan angles, axis-angle and homogeneous transforms.

Everything is vectorised over frames: a stack of rotation matrices has shape (T, 3, 3),
a stack of homogeneous transforms (T, 4, 4), angles are in radians. Conversions use
`scipy.spatial.transform.Rotation` (Shoemake's quaternion algorithms), wrapped so that
frames with NaN (missing points) stay NaN instead of raising.

Sequence strings follow scipy: upper case = intrinsic (rotating axes, the usual
biomechanics Cardan convention, e.g. ``"YXZ"`` = flexion about Y, then lateral bend about
the new X, then axial rotation about the new Z), lower case = extrinsic (fixed axes).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from liftrisk.errors import DataQualityError

__all__ = [
    "matrix_from_euler", "euler_from_matrix", "matrix_from_axis_angle", "axis_angle_from_matrix",
    "rotation_about", "homogeneous", "invert_transform", "relative_rotation", "angle_between",
    "is_rotation_matrix", "unit",
]


def _check_seq(seq: str) -> str:
    if len(seq) != 3 or not (seq.isupper() or seq.islower()) or set(seq.lower()) - set("xyz"):
        raise DataQualityError(f"rotation sequence {seq!r} is not valid; expected three letters of x/y/z, "
                               "all upper case (intrinsic, e.g. 'YXZ') or all lower case (extrinsic)")
    if seq[0].lower() == seq[1].lower() or seq[1].lower() == seq[2].lower():
        raise DataQualityError(f"rotation sequence {seq!r}: consecutive axes must differ")
    return seq


def unit(v: np.ndarray, axis: int = -1) -> np.ndarray:
    """Vectors divided by their norm along `axis` (NaN where the norm is 0 or NaN).

    Parameters
    ----------
    v : numpy.ndarray
        Vectors (any unit).
    axis : int
        Axis along which the norm is taken.

    Returns
    -------
    numpy.ndarray
        Unit vectors (dimensionless), same shape.

    Examples
    --------
    >>> unit(np.array([3.0, 0.0, 4.0])).tolist()
    [0.6, 0.0, 0.8]
    """
    v = np.asarray(v, dtype=float)
    n = np.linalg.norm(v, axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = v / n
    return np.where(n > 1e-12, out, np.nan)


def _valid_rows(m: np.ndarray) -> np.ndarray:
    return np.isfinite(m.reshape(m.shape[0], -1)).all(axis=1)


def matrix_from_euler(angles_rad, seq: str = "YXZ") -> np.ndarray:
    """Rotation matrices from Euler/Cardan angles.

    Parameters
    ----------
    angles_rad : array (T, 3) or (3,)
        Angles in rad, in the order of `seq`.
    seq : str
        scipy sequence; upper case = intrinsic (default ``"YXZ"``: flexion, lateral bend,
        axial rotation in liftrisk's X anterior / Y left / Z up segment frames).

    Returns
    -------
    array (T, 3, 3) or (3, 3)
        Rotation matrices (NaN where an angle is NaN).

    Examples
    --------
    >>> r = matrix_from_euler([np.pi / 2, 0, 0], "YXZ")
    >>> np.round(r @ [0, 0, 1.0], 6).tolist()   # Z (up) tilts forward to +X
    [1.0, 0.0, 0.0]
    """
    _check_seq(seq)
    a = np.asarray(angles_rad, dtype=float)
    single = a.ndim == 1
    a = np.atleast_2d(a)
    if a.shape[-1] != 3:
        raise DataQualityError(f"angles have shape {np.shape(angles_rad)}; expected (T, 3) or (3,)")
    out = np.full((a.shape[0], 3, 3), np.nan)
    ok = np.isfinite(a).all(axis=1)
    if ok.any():
        out[ok] = Rotation.from_euler(seq, a[ok]).as_matrix()
    return out[0] if single else out


def euler_from_matrix(matrices, seq: str = "YXZ") -> np.ndarray:
    """Euler/Cardan angles (rad) of rotation matrices (inverse of `matrix_from_euler`).

    The first and third angles are in (-pi, pi], the second in [-pi/2, pi/2] (Tait-Bryan
    sequences). At gimbal lock (second angle = +-pi/2) the split between the first and
    third angle is arbitrary; the matrix is still reproduced.

    Parameters
    ----------
    matrices : array_like
        (3, 3) or (T, 3, 3) rotation matrices.
    seq : str
        scipy sequence (upper case = intrinsic), as in `matrix_from_euler`.

    Returns
    -------
    numpy.ndarray
        (3,) or (T, 3) angles (rad) in the order of `seq`.

    Examples
    --------
    >>> a = euler_from_matrix(matrix_from_euler([0.3, -0.2, 0.1], "YXZ"), "YXZ")
    >>> np.round(a, 6).tolist()
    [0.3, -0.2, 0.1]
    """
    _check_seq(seq)
    m = np.asarray(matrices, dtype=float)
    single = m.ndim == 2
    m = m.reshape(-1, 3, 3) if not single else m[None]
    out = np.full((m.shape[0], 3), np.nan)
    ok = _valid_rows(m)
    if ok.any():
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # gimbal-lock warning: handled above
            out[ok] = Rotation.from_matrix(m[ok]).as_euler(seq)
    return out[0] if single else out


def matrix_from_axis_angle(rotvec_rad) -> np.ndarray:
    """Rotation matrices from rotation vectors (axis times angle in rad), (T, 3) -> (T, 3, 3).

    Parameters
    ----------
    rotvec_rad : array_like
        (3,) or (T, 3) rotation vectors: unit axis times angle (rad).

    Returns
    -------
    numpy.ndarray
        (3, 3) or (T, 3, 3) rotation matrices.

    Examples
    --------
    >>> np.round(matrix_from_axis_angle([0, 0, np.pi / 2]) @ [1.0, 0, 0], 6).tolist()
    [0.0, 1.0, 0.0]
    """
    v = np.asarray(rotvec_rad, dtype=float)
    single = v.ndim == 1
    v = np.atleast_2d(v)
    out = np.full((v.shape[0], 3, 3), np.nan)
    ok = np.isfinite(v).all(axis=1)
    if ok.any():
        out[ok] = Rotation.from_rotvec(v[ok]).as_matrix()
    return out[0] if single else out


def axis_angle_from_matrix(matrices) -> np.ndarray:
    """Rotation vectors (unit axis times angle in [0, pi], rad) of rotation matrices.

    Parameters
    ----------
    matrices : array_like
        (3, 3) or (T, 3, 3) rotation matrices.

    Returns
    -------
    numpy.ndarray
        (3,) or (T, 3) rotation vectors (rad).

    Examples
    --------
    >>> np.round(axis_angle_from_matrix(rotation_about("z", np.pi / 3)), 6).tolist()
    [0.0, 0.0, 1.047198]
    """
    m = np.asarray(matrices, dtype=float)
    single = m.ndim == 2
    m = m[None] if single else m.reshape(-1, 3, 3)
    out = np.full((m.shape[0], 3), np.nan)
    ok = _valid_rows(m)
    if ok.any():
        out[ok] = Rotation.from_matrix(m[ok]).as_rotvec()
    return out[0] if single else out


def rotation_about(axis: str, angle_rad) -> np.ndarray:
    """Elementary rotation(s) about a coordinate axis ``"x"``, ``"y"`` or ``"z"`` (right-hand rule).

    `angle_rad` scalar -> (3, 3); array (T,) -> (T, 3, 3).

    Parameters
    ----------
    axis : {"x", "y", "z"}
        Coordinate axis.
    angle_rad : float or array_like
        Angle(s) (rad).

    Returns
    -------
    numpy.ndarray
        (3, 3) or (T, 3, 3) rotation matrices.

    Examples
    --------
    >>> np.round(rotation_about("y", np.pi / 2) @ [0, 0, 1.0], 6).tolist()
    [1.0, 0.0, 0.0]
    """
    ax = axis.lower()
    if ax not in ("x", "y", "z"):
        raise DataQualityError(f"axis {axis!r}; expected 'x', 'y' or 'z'")
    a = np.asarray(angle_rad, dtype=float)
    c, s = np.cos(a), np.sin(a)
    o, z = np.ones_like(a), np.zeros_like(a)
    if ax == "x":
        m = [[o, z, z], [z, c, -s], [z, s, c]]
    elif ax == "y":
        m = [[c, z, s], [z, o, z], [-s, z, c]]
    else:
        m = [[c, -s, z], [s, c, z], [z, z, o]]
    m = np.array(m, dtype=float)  # (3, 3, ...)
    return np.moveaxis(m, (0, 1), (-2, -1))


def homogeneous(rotation, origin_m) -> np.ndarray:
    """(T, 4, 4) homogeneous transforms from rotations (T, 3, 3) and origins (T, 3).

    Parameters
    ----------
    rotation : array_like
        (3, 3) or (T, 3, 3) rotation matrices.
    origin_m : array_like
        (3,) or (T, 3) origins (m).

    Returns
    -------
    numpy.ndarray
        (4, 4) or (T, 4, 4) homogeneous transforms.

    Examples
    --------
    >>> homogeneous(np.eye(3), [1.0, 2.0, 3.0])[:3, 3].tolist()
    [1.0, 2.0, 3.0]
    """
    r = np.asarray(rotation, dtype=float)
    o = np.asarray(origin_m, dtype=float)
    shape = np.broadcast_shapes(r.shape[:-2], o.shape[:-1])
    out = np.zeros(shape + (4, 4))
    out[..., :3, :3] = r
    out[..., :3, 3] = o
    out[..., 3, 3] = 1.0
    return out


def invert_transform(transforms) -> np.ndarray:
    """Inverse of rigid homogeneous transforms (T, 4, 4): [R^T, -R^T t].

    Parameters
    ----------
    transforms : array_like
        (4, 4) or (T, 4, 4) rigid transforms (translation in m).

    Returns
    -------
    numpy.ndarray
        The inverse transforms, same shape.

    Examples
    --------
    >>> t = homogeneous(rotation_about("z", 0.5), [1.0, 0, 0])
    >>> np.allclose(invert_transform(t) @ t, np.eye(4))
    True
    """
    t = np.asarray(transforms, dtype=float)
    rt = np.swapaxes(t[..., :3, :3], -1, -2)
    return homogeneous(rt, -np.einsum("...ij,...j->...i", rt, t[..., :3, 3]))


def relative_rotation(parent, child) -> np.ndarray:
    """Rotation of `child` expressed in `parent`: R_parent^T R_child (both (T, 3, 3) or (T, 4, 4)).

    Parameters
    ----------
    parent, child : array_like
        (T, 3, 3) rotations or (T, 4, 4) transforms in the same (world) frame.

    Returns
    -------
    numpy.ndarray
        (T, 3, 3) rotation of the child in the parent frame.

    Examples
    --------
    >>> r = relative_rotation(rotation_about("z", 0.2), rotation_about("z", 0.5))
    >>> round(float(euler_from_matrix(r, "ZXY")[0]), 6)
    0.3
    """
    p = np.asarray(parent, dtype=float)[..., :3, :3]
    c = np.asarray(child, dtype=float)[..., :3, :3]
    return np.swapaxes(p, -1, -2) @ c


def angle_between(a, b) -> np.ndarray:
    """Angle (rad, in [0, pi]) between vectors a and b (..., 3), robust near 0 and pi.

    Parameters
    ----------
    a, b : array_like
        (..., 3) vectors (any unit).

    Returns
    -------
    numpy.ndarray
        (...) angles (rad).

    Examples
    --------
    >>> round(float(angle_between([1.0, 0, 0], [0, 1.0, 0])), 6)
    1.570796
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    cr = np.linalg.norm(np.cross(a, b), axis=-1)
    dt = np.sum(a * b, axis=-1)
    return np.arctan2(cr, dt)


def is_rotation_matrix(m, tol: float = 1e-9) -> np.ndarray:
    """True for each (3, 3) that is orthonormal with determinant +1 (within `tol`).

    Parameters
    ----------
    m : array_like
        (3, 3) or (T, 3, 3) matrices.
    tol : float
        Tolerance on orthonormality and determinant (dimensionless).

    Returns
    -------
    numpy.ndarray
        (bool or (T,) bool) True where the matrix is a rotation.

    Examples
    --------
    >>> bool(is_rotation_matrix(rotation_about("x", 1.0)))
    True
    """
    m = np.asarray(m, dtype=float)[..., :3, :3]
    eye = np.swapaxes(m, -1, -2) @ m
    orth = np.all(np.abs(eye - np.eye(3)) < tol, axis=(-2, -1))
    return orth & (np.abs(np.linalg.det(m) - 1.0) < tol)
