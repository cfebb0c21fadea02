"""Where the thigh turns about on the VU Amsterdam stoop lifts (needs
../shared/data/vua_stoop_lifts; a few seconds): a diagnostic of the 3 cm thigh and knee marker
misfit of the body model registered on the static trial (docs/bodymodel.md).

Run: python benchmarks/vua_hip_pivot.py [../shared/data/vua_stoop_lifts/3D]

In the pelvis frame of the markers (origin mid-ASIS, Y left, X forward from the mid-PSIS),
the centre about which each thigh's THI and KNE markers turn during the stoop (a sphere fit
of both markers with one centre, its medio-lateral coordinate held at the regression's: a
flexion-only motion does not determine it, Ehrig et al. 2006) against the Davis et al. (1991)
hip centre that liftrisk uses for Plug-in Gait; and the RMS change of each marker's distance to
either centre over the trial (0 for a rigid thigh turning about that centre). Then, as an
independent check, the lab's own hip centres of the static trial (`neu_*_vuaTraj.mat`, from
pointer-digitised bony landmarks) in the same frame. Nothing here is fitted to a reference
result.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

TRIALS = ("stoop1_t169_f620f800", "stoop2_t169_f1395f1590", "stoop3_t169_f2101f2300")


def _pelvis_frame(m):
    """(rotation (T, 3, 3), origin (T, 3)) of the pelvis markers' frame."""
    o = 0.5 * (m["LASI"] + m["RASI"])
    y = m["LASI"] - m["RASI"]
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    x = o - 0.5 * (m["LPSI"] + m["RPSI"])
    x -= np.sum(x * y, axis=1, keepdims=True) * y
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return np.stack([x, y, np.cross(x, y)], axis=2), o


def _lab_hips(folder: Path, static, jc) -> None:
    import scipy.io as sio

    mat = folder / "neu_t169_f250f350_vuaTraj.mat"
    if not mat.exists():
        return
    seg = {s.name: s for s in sio.loadmat(mat, squeeze_me=True, struct_as_record=False)["trajSnippet"].segment}
    pelvis = seg["Pelvis"]
    names = list(np.atleast_1d(pelvis.joint_name))
    rot, o = _pelvis_frame(static)
    for side, joint in (("right", "Rhip"), ("left", "Lhip")):
        i = names.index(joint)
        labp = np.asarray(pelvis.joint)[:, 3 * i:3 * i + 3]
        dv = np.nanmedian(np.einsum("tji,tj->ti", rot, labp - jc[f"{side[0]}_hip"]), axis=0)
        print(f"static trial, {side}: the lab's hip is {100 * dv[0]:+.1f} cm anterior, {100 * dv[2]:+.1f} cm superior "
              "of the Davis hip")


def main(folder: Path) -> None:
    from liftrisk.io import read_motion
    from liftrisk.kinematics.joint_centres import joint_centres_from_markers
    from liftrisk.processing import fill_and_lowpass

    static = read_motion(folder / "neu_t169_f250f350.c3d")
    for trial in TRIALS:
        m = fill_and_lowpass(read_motion(folder / f"{trial}.c3d"), 0.25, 6.0)
        jc = joint_centres_from_markers(m, "plugin_gait", static=static)
        rot, o = _pelvis_frame(m)

        def local(p, rot=rot, o=o):
            return np.einsum("tji,tj->ti", rot, p - o)

        print(trial)
        for side, names in (("right", ("RTHI", "RKNE")), ("left", ("LTHI", "LKNE"))):
            pts = [local(m[n]) for n in names]
            hip = np.nanmedian(local(jc[f"{side[0]}_hip"]), axis=0)

            def residual(v, pts=pts, hip=hip):
                c = np.array([v[0], hip[1], v[1]])
                return np.concatenate([np.linalg.norm(p - c, axis=1) - r for p, r in zip(pts, v[2:], strict=True)])

            v0 = [hip[0], hip[2], *(float(np.nanmedian(np.linalg.norm(p - hip, axis=1))) for p in pts)]
            fit = least_squares(residual, v0)
            dx, dz = 100 * (fit.x[0] - hip[0]), 100 * (fit.x[1] - hip[2])
            print(f"  {side}: pivot {dx:+.1f} cm anterior, {dz:+.1f} cm superior of the Davis hip; marker distance "
                  f"change RMS {100 * np.sqrt(np.mean(fit.fun ** 2)):.2f} cm about the pivot, "
                  f"{100 * np.sqrt(np.mean(residual(v0) ** 2)):.2f} cm about the Davis hip")
    _lab_hips(folder, static, joint_centres_from_markers(static, "plugin_gait", static=static))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/vua_stoop_lifts/3D"))
