"""L5/S1 compression and antero-posterior shear with a single-equivalent-muscle model.

Model (sagittal, static-equivalent; Chaffin DB, Andersson GBJ, Martin BJ, Occupational
Biomechanics, 4th ed., Wiley 2006, ch. 6 "low-back" model; NIOSH 1981 Work Practices Guide
for Manual Lifting, DHHS (NIOSH) 81-122): the net L5/S1 extension moment M is carried by
one equivalent erector spinae muscle with moment arm ``d = 0.05 m`` behind the disc centre,
pulling along the trunk axis (line of action angle ``beta = 0`` to the compression axis), so
its force is ``F_m = max(M, 0) / d``. The disc reaction is the net joint force minus the
muscle's pull on the upper body:

    compression  C = F_axial + F_m cos(beta)
    anterior shear S = -(F_anterior + F_m sin(beta))

where F_axial and F_anterior are the trunk-frame components of the net force of the pelvis
on the upper body (``l5s1_axial_force_n``, ``l5s1_anterior_force_n`` of
`liftrisk.kinetics.top_down_l5s1`/`bottom_up`). S > 0 means the upper body is pushed
anteriorly (forward) relative to the sacrum. beta > 0 tilts the muscle so that it pulls the
upper body posteriorly. Flexor moments (M < 0), lateral bending and twist moments are not
converted into muscle force (a known underestimate in asymmetric lifts; see docs).

Limits (``data/kinetics/spinal_compression_limits.csv``): 3400 N NIOSH action limit /
3DSSPP back compression design limit, 6400 N NIOSH maximum permissible limit (NIOSH 1981).
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError
from liftrisk.processing import peak

#: Erector spinae moment arm, m (Chaffin et al. 2006; NIOSH 1981 WPG).
ERECTOR_MOMENT_ARM_M = 0.05
#: Angle of the equivalent muscle's line of action to the disc compression axis, deg.
ERECTOR_ANGLE_DEG = 0.0


def compression_limits_n() -> dict[str, float]:
    """NIOSH compression limits from the package data file, N.

    Returns
    -------
    dict
        ``action_limit`` and ``maximum_permissible`` compression (N).

    Examples
    --------
    >>> compression_limits_n()
    {'action_limit': 3400.0, 'maximum_permissible': 6400.0}
    """
    path = resources.files("liftrisk") / "data" / "kinetics" / "spinal_compression_limits.csv"
    with path.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    vals = {("action_limit" if "action limit" in r["limit"] else "maximum_permissible"): float(r["value_N"])
            for r in rows}
    return vals


def compression_exposure(compression_n, time_s) -> dict[str, float]:
    """Peak L5/S1 compression and the time spent above the NIOSH limits (`compression_limits_n`).

    Parameters
    ----------
    compression_n : array (T,)
        Disc compression over time (`spine_load`), N.
    time_s : array (T,)
        Sample times, s.

    Returns
    -------
    dict
        ``peak_compression_n``, ``peak_compression_time_s`` (nan when nothing is finite),
        ``time_above_action_limit_s``, ``time_above_max_permissible_s`` (each sample counts
        for its central-difference time step, s), ``action_limit_n``, ``maximum_permissible_n``.

    Examples
    --------
    >>> e = compression_exposure([1000.0, 3500.0, 7000.0, 3500.0], [0.0, 0.1, 0.2, 0.3])
    >>> e["peak_compression_n"], e["peak_compression_time_s"], round(e["time_above_action_limit_s"], 2)
    (7000.0, 0.2, 0.3)
    """
    lim = compression_limits_n()
    t = np.asarray(time_s, float)
    c = np.asarray(compression_n, float)
    dt = np.gradient(t) if t.size > 1 else np.ones(t.size)
    peak_c, t_c = peak(c, t)
    with np.errstate(invalid="ignore"):
        return {"peak_compression_n": peak_c, "peak_compression_time_s": t_c,
                "time_above_action_limit_s": float(np.sum(dt[c > lim["action_limit"]])),
                "time_above_max_permissible_s": float(np.sum(dt[c > lim["maximum_permissible"]])),
                "action_limit_n": lim["action_limit"], "maximum_permissible_n": lim["maximum_permissible"]}


def spine_load(kinetics: pd.DataFrame, *, moment_arm_m: float = ERECTOR_MOMENT_ARM_M,
               muscle_angle_deg: float = ERECTOR_ANGLE_DEG) -> pd.DataFrame:
    """L5/S1 disc compression and anterior shear over time, with NIOSH limit flags.

    Parameters
    ----------
    kinetics : pandas.DataFrame
        Output of `top_down_l5s1` or `bottom_up` (needs ``l5s1_extension_moment_nm``,
        ``l5s1_axial_force_n``, ``l5s1_anterior_force_n``).
    moment_arm_m : float
        Equivalent extensor moment arm, m (default 0.05, Chaffin et al. 2006).
    muscle_angle_deg : float
        Line-of-action angle to the compression axis, degrees (default 0).

    Returns
    -------
    pandas.DataFrame
        Same index; ``erector_force_n``, ``compression_n``, ``ap_shear_n`` (anterior
        positive), ``above_action_limit`` (> 3400 N), ``above_maximum_permissible`` (> 6400 N).

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"l5s1_extension_moment_nm": [150.0], "l5s1_axial_force_n": [400.0],
    ...                   "l5s1_anterior_force_n": [-100.0]})
    >>> [v.item() for v in spine_load(k)[["compression_n", "ap_shear_n", "above_action_limit"]].iloc[0]]
    [3400.0, 100.0, False]
    """
    need = ("l5s1_extension_moment_nm", "l5s1_axial_force_n", "l5s1_anterior_force_n")
    missing = [c for c in need if c not in kinetics.columns]
    if missing:
        raise DataQualityError(f"spine_load needs the columns {missing}; pass the DataFrame returned by "
                               "liftrisk.kinetics.top_down_l5s1 or bottom_up")
    if not 0.01 <= moment_arm_m <= 0.2:
        raise DataQualityError(f"moment_arm_m is {moment_arm_m}; expected 0.01-0.2 m (give it in metres)")
    beta = np.deg2rad(muscle_angle_deg)
    fm = np.maximum(kinetics["l5s1_extension_moment_nm"].to_numpy(), 0.0) / moment_arm_m
    comp = kinetics["l5s1_axial_force_n"].to_numpy() + fm * np.cos(beta)
    shear = -(kinetics["l5s1_anterior_force_n"].to_numpy() + fm * np.sin(beta))
    lim = compression_limits_n()
    return pd.DataFrame({
        "erector_force_n": fm, "compression_n": comp, "ap_shear_n": shear,
        "above_action_limit": comp > lim["action_limit"],
        "above_maximum_permissible": comp > lim["maximum_permissible"],
    }, index=kinetics.index)
