"""Batched forward kinematics and the analytic marker Jacobian of a `BodyModel`.

Everything is evaluated for all frames at once (first dimension = time); the only Python
loop runs over the model's 21 joints.

Pose state: the root (pelvis) as a rotation matrix ``R0`` (T, 3, 3) and origin ``o0`` (T, 3)
in the Z-up world frame, and the joint coordinates ``q`` (T, n) in rad (order of
``BodyModel.coordinates``). A joint coordinate k of joint j turns the subtree of j's child
about the world axis ``w_k = R_parent R(a_1, q_1) ... R(a_(k-1), q_(k-1)) a_k`` through the
joint centre ``c_j``, so for a point p of that subtree ``dp/dq_k = w_k x (p - c_j)``;
for the root, ``dp/do0 = I`` and, for a small world rotation ``dphi`` applied as
``R0 <- exp([dphi]x) R0``, ``dp/dphi = -[p - o0]x``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from liftrisk.bodymodel.model import BodyModel

__all__ = ["KinematicTree", "Pose", "rodrigues"]


def rodrigues(axis: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """(..., 3, 3) rotations by `angle_rad` (...) about a fixed unit `axis` (3,).

    Parameters
    ----------
    axis : array (3,)
        Unit rotation axis (dimensionless).
    angle_rad : array (...)
        Angles, rad.

    Returns
    -------
    array (..., 3, 3)
        Rotation matrices (Rodrigues' formula).

    Examples
    --------
    >>> np.round(rodrigues(np.array([0, 0, 1.0]), np.array(np.pi / 2)) @ [1, 0, 0], 6).tolist()
    [0.0, 1.0, 0.0]
    """
    a = np.asarray(axis, float)
    k = np.array([[0.0, -a[2], a[1]], [a[2], 0.0, -a[0]], [-a[1], a[0], 0.0]])
    q = np.asarray(angle_rad, float)[..., None, None]
    return np.eye(3) + np.sin(q) * k + (1.0 - np.cos(q)) * (k @ k)


@dataclass
class Pose:
    """Result of forward kinematics for all frames (world frame, m).

    Attributes
    ----------
    rotation : dict body -> (T, 3, 3)
        Body axes (columns) in the world.
    origin : dict body -> (T, 3)
    axes : (T, n, 3)
        World axis of every joint coordinate.
    centres : (T, n, 3)
        Joint centre of every joint coordinate.
    """

    rotation: dict
    origin: dict
    axes: np.ndarray
    centres: np.ndarray


class KinematicTree:
    """Precomputed structure of a model for fast batched evaluation.

    Parameters
    ----------
    model : BodyModel
    points : dict name -> (body, (3,) local m)
        The points to evaluate (markers and/or landmarks).

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.bodymodel.model import build_model
    >>> m = build_model(Subject("male", 80.0, 1.78))
    >>> tree = KinematicTree(m, m.landmarks())
    >>> p = tree.points(np.eye(3)[None], np.zeros((1, 3)), np.zeros((1, tree.n_coords)))
    >>> round(float(p[0, tree.point_names.index("l_hip"), 1] * 2), 3) == round(m.geometry.hip_width, 3)
    True
    """

    def __init__(self, model: BodyModel, points: dict):
        self.model = model
        self.point_names = tuple(points)
        self.bodies = model.body_names
        self._joint_of_body = {j.child: j for j in model.joints}
        coords = model.coordinates
        self.n_coords = len(coords)
        self.lower = np.array([c.lower_rad for c in coords])
        self.upper = np.array([c.upper_rad for c in coords])
        self._point_body = [points[n][0] for n in self.point_names]
        self._point_local = np.array([points[n][1] for n in self.point_names], float).reshape(-1, 3)
        # which coordinates move which bodies (ancestors)
        col = 0
        self._joint_cols: dict[str, list[int]] = {}
        for j in model.joints:
            self._joint_cols[j.name] = list(range(col, col + len(j.coordinates)))
            col += len(j.coordinates)
        moved_by: dict[str, list[int]] = {"pelvis": []}
        for j in model.joints:
            moved_by[j.child] = moved_by[j.parent] + self._joint_cols[j.name]
        self.mask = np.zeros((len(self.point_names), self.n_coords))
        for i, b in enumerate(self._point_body):
            self.mask[i, moved_by[b]] = 1.0
        self._by_body = {b: [i for i, pb in enumerate(self._point_body) if pb == b] for b in self.bodies}
        self._pair_point, self._pair_coord = np.nonzero(self.mask)
        self._axis = np.array([np.asarray(c.axis, float) for c in coords]).reshape(-1, 3)
        ax = self._axis
        zero = np.zeros(len(coords))
        self._k = np.stack([np.stack([zero, -ax[:, 2], ax[:, 1]], -1), np.stack([ax[:, 2], zero, -ax[:, 0]], -1),
                            np.stack([-ax[:, 1], ax[:, 0], zero], -1)], axis=1)  # (n, 3, 3) [a]x
        self._kk = self._k @ self._k
        self._eye = np.eye(3)
        self._chain = [(j, self._joint_cols[j.name], np.asarray(j.offset_m, float)) for j in model.joints]

    def pose(self, R0: np.ndarray, o0: np.ndarray, q: np.ndarray) -> Pose:
        """Body rotations/origins and coordinate axes/centres for all frames."""
        T = q.shape[0]
        rot, org = {"pelvis": R0}, {"pelvis": o0}
        axes = np.empty((T, self.n_coords, 3))
        centres = np.empty((T, self.n_coords, 3))
        # every coordinate's rotation at once (Rodrigues, as `rodrigues`), then only products
        # along the chain: the per-joint Python loop does no trigonometry
        s, c1 = np.sin(q)[..., None, None], (1.0 - np.cos(q))[..., None, None]
        turn = self._eye + s * self._k + c1 * self._kk          # (T, n, 3, 3)
        for j, cols, offset in self._chain:
            Rp = rot[j.parent]
            o = org[j.parent] + Rp @ offset
            R = Rp
            for k in cols:
                axes[:, k] = R @ self._axis[k]
                centres[:, k] = o
                R = R @ turn[:, k]
            rot[j.child], org[j.child] = R, o
        return Pose(rot, org, axes, centres)

    def points_from_pose(self, pose: Pose) -> np.ndarray:
        """(T, P, 3) world positions of the tree's points."""
        T = next(iter(pose.origin.values())).shape[0]
        out = np.empty((T, len(self.point_names), 3))
        for b, idx in self._by_body.items():
            if idx:
                out[:, idx] = pose.origin[b][:, None, :] + np.einsum("tij,pj->tpi", pose.rotation[b],
                                                                     self._point_local[idx])
        return out

    def points(self, R0, o0, q) -> np.ndarray:
        """(T, P, 3) world positions of the tree's points at the given poses."""
        return self.points_from_pose(self.pose(np.asarray(R0, float), np.asarray(o0, float),
                                               np.asarray(q, float)))

    def jacobian(self, pose: Pose, p: np.ndarray) -> np.ndarray:
        """(T, P, 3, 6 + n) d(point)/d(root translation, root rotation, coordinates)."""
        T, P = p.shape[:2]
        nc = 6 + self.n_coords
        J = np.zeros((T, P, 3, nc))
        J[:, :, :, :3] = np.eye(3)
        d = p - pose.origin["pelvis"][:, None, :]
        # -[d]x columns: e_i x d
        J[:, :, 1, 3], J[:, :, 2, 3] = -d[..., 2], d[..., 1]
        J[:, :, 0, 4], J[:, :, 2, 4] = d[..., 2], -d[..., 0]
        J[:, :, 0, 5], J[:, :, 1, 5] = -d[..., 1], d[..., 0]
        ip, ik = self._pair_point, self._pair_coord   # only (point, coordinate) pairs that move
        r = p[:, ip] - pose.centres[:, ik]
        w = pose.axes[:, ik]
        cross = np.empty((T, ip.size, 3))
        cross[..., 0] = w[..., 1] * r[..., 2] - w[..., 2] * r[..., 1]
        cross[..., 1] = w[..., 2] * r[..., 0] - w[..., 0] * r[..., 2]
        cross[..., 2] = w[..., 0] * r[..., 1] - w[..., 1] * r[..., 0]
        # one scatter through the flat (point, component, column) index of each pair
        flat = ((ip[:, None] * 3 + np.arange(3)[None, :]) * nc + 6 + ik[:, None]).ravel()
        J.reshape(T, P * 3 * nc)[:, flat] = cross.reshape(T, -1)
        return J
