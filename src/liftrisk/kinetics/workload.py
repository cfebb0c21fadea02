"""Workload of every major joint: net joint torque over the worker's capacity at that joint.

`joint_workload` collects the torques of the top-down (L5/S1, shoulders, elbows) and
bottom-up (hips, knees, ankles) inverse dynamics and rates them with
`liftrisk.kinetics.strength.workload_ratio`; `peak_workload` finds the most loaded joint.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liftrisk.core.subject import Subject
from liftrisk.errors import LiftriskError
from liftrisk.kinetics.strength import workload_ratio

LEG_JOINTS = ("hip", "knee", "ankle")


def joint_workload(kinetics: pd.DataFrame, lower: pd.DataFrame | None, angles_rad: pd.DataFrame,
                   subject: Subject) -> pd.DataFrame | None:
    """Workload ratio |tau| / tau_max of every major joint (Int J Intell Syst 2023, sec. 3.3).

    L5/S1, shoulders and elbows from the top-down table, hips, knees and ankles from the
    bottom-up table (joined on time), rated by `liftrisk.kinetics.strength.workload_ratio`:
    L5/S1 capacities of Rantanen et al. (1994) / Kamon (1978), shoulder and elbow of Harbo et
    al. (2012), hip, knee and ankle of Anderson et al. (2007) at the current joint angle.

    Parameters
    ----------
    kinetics : top-down table (`top_down_l5s1`), N·m.
    lower : bottom-up table (`bottom_up`) or None.
    angles_rad : joint angles (`liftrisk.kinematics.joint_angles`), rad.
    subject : Subject

    Returns
    -------
    pandas.DataFrame or None
        ``<joint>_workload_ratio`` columns (1.0 = maximum voluntary torque), index of
        `kinetics`; None when no torque column is known.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"l5s1_extension_moment_nm": [100.0]})
    >>> w = joint_workload(k, None, pd.DataFrame(index=k.index), Subject("male", 80, 1.78))
    >>> list(w.columns)
    ['l5s1_workload_ratio']
    """
    up = [c for c in kinetics.columns if c == "l5s1_extension_moment_nm"
          or c.endswith(("shoulder_flexion_moment_nm", "elbow_flexion_moment_nm"))]
    parts = [kinetics[up]]
    if lower is not None:
        cols = [c for c in lower.columns if c.endswith(("hip_extension_moment_nm", "knee_extension_moment_nm",
                                                        "ankle_plantarflexion_moment_nm"))]
        parts.append(lower[cols].set_axis(kinetics.index))
    torques = pd.concat(parts, axis=1)
    if not torques.shape[1]:
        return None
    ang = {f"{s}_{j}": angles_rad[f"{s}_{c}"].to_numpy() for s in ("l", "r")
           for j, c in (("hip", "hip_flexion"), ("knee", "knee_flexion"), ("ankle", "ankle_dorsiflexion"))
           if f"{s}_{c}" in angles_rad}
    try:
        return workload_ratio(torques, subject, angles_rad=ang)
    except LiftriskError:
        return None


def peak_workload(workload: pd.DataFrame | None, leg_frames_left_out=None) -> tuple[str, float] | None:
    """(joint, ratio) of the largest workload ratio over the recording.

    Parameters
    ----------
    workload : pandas.DataFrame or None
        ``<joint>_workload_ratio`` columns (`joint_workload`).
    leg_frames_left_out : array (T,) of bool, optional
        Frames whose hip, knee and ankle ratios are not counted (e.g. off-balance frames,
        whose leg loads rest on a clipped centre of pressure).

    Returns
    -------
    (joint, ratio) or None
        Joint name without the ``_workload_ratio`` suffix ("" and nan when every value is
        missing); None without a workload table or column.

    Examples
    --------
    >>> w = pd.DataFrame({"l5s1_workload_ratio": [0.2, 0.4], "l_knee_workload_ratio": [0.9, 0.1]})
    >>> peak_workload(w), peak_workload(w, np.array([True, False]))
    (('l_knee', 0.9), ('l5s1', 0.4))
    """
    if workload is None or not workload.shape[1]:
        return None
    wl = workload.copy()
    if leg_frames_left_out is not None and np.any(leg_frames_left_out):
        legs = [c for c in wl.columns if c[2:].startswith(LEG_JOINTS)]
        wl.loc[np.asarray(leg_frames_left_out, bool), legs] = np.nan
    w = wl.max()
    if not w.notna().any():
        return "", float("nan")
    return str(w.idxmax()).removesuffix("_workload_ratio"), float(w.max())
