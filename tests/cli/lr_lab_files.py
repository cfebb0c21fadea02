"""Builds lab-style files from the VU Amsterdam stoop lifts for the CLI tests: Plug-in Gait C3Ds
whose plates (from the CSV table) are stored as C3D TYPE-2 force platforms."""

from __future__ import annotations

import ezc3d
import numpy as np

LOWER_PIG = ("LASI", "RASI", "LPSI", "RPSI", "LTHI", "RTHI", "LKNE", "RKNE", "LTIB", "RTIB", "LANK", "RANK",
             "LHEE", "RHEE", "LTOE", "RTOE")


def _wrench(f: np.ndarray, cop: np.ndarray, z0: float) -> np.ndarray:
    """(6, T) Fx Fy Fz (N) and the moment about the surface centre at height z0, M = cop x F (N·mm)."""
    rel = np.nan_to_num(cop) - [0.0, 0.0, z0]
    return np.concatenate([f, np.cross(rel, f) * 1000.0], axis=1).T


def pig_c3d_with_plates(c3d_in, plates_csv, c3d_out, markers=None, box_rest_n: float | None = None) -> None:
    """Copy `markers` (default: all) of `c3d_in` and the CSV's plates into a new C3D with TYPE-2
    platforms in the lab frame (corners around the lab origin at the COP height, no free
    moment, analogs at the point rate in N and N·mm): the floor plate (columns 8-13) always,
    first; with `box_rest_n` also the box plate (columns 2-7) as platform 2, its vertical force
    raised by `box_rest_n` so that it reads the box's weight at rest (a plate not zeroed with
    the box on it) and its COP taken under the box."""
    src = ezc3d.c3d(str(c3d_in))
    labels = list(src["parameters"]["POINT"]["LABELS"]["value"])
    names = list(markers) if markers is not None else labels
    pts = np.asarray(src["data"]["points"])[:, [labels.index(n) for n in names], :]
    rate = float(src["header"]["points"]["frame_rate"])
    d = np.loadtxt(plates_csv, delimiter=",")
    z0 = float(np.median(d[:, 12]))
    wrenches = [_wrench(d[:, 7:10], d[:, 10:13], z0)]
    if box_rest_n is not None:
        fb = d[:, 1:4] + [0.0, 0.0, box_rest_n]
        cop = np.tile(np.median(d[:, 4:7], axis=0), (len(d), 1))
        cop[:, 2] = z0
        wrenches.append(_wrench(fb, cop, z0))
    n_pl = len(wrenches)
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [rate]
    c["parameters"]["POINT"]["LABELS"]["value"] = tuple(names)
    c["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    c["data"]["points"] = pts
    c["parameters"]["ANALOG"]["RATE"]["value"] = [rate]
    c["parameters"]["ANALOG"]["LABELS"]["value"] = tuple(f"{q}{k}" for k in range(1, n_pl + 1)
                                                         for q in ("Fx", "Fy", "Fz", "Mx", "My", "Mz"))
    c["parameters"]["ANALOG"]["UNITS"]["value"] = ("N", "N", "N", "Nmm", "Nmm", "Nmm") * n_pl
    c["data"]["analogs"] = np.concatenate(wrenches, axis=0)[None]
    zmm = z0 * 1000.0
    one = np.array([[300, 300, zmm], [-300, 300, zmm], [-300, -300, zmm], [300, -300, zmm]], float).T
    c.add_parameter("FORCE_PLATFORM", "USED", [n_pl])
    c.add_parameter("FORCE_PLATFORM", "TYPE", [2] * n_pl)
    c.add_parameter("FORCE_PLATFORM", "ZERO", [1, 0])
    c.add_parameter("FORCE_PLATFORM", "CHANNEL", np.arange(1.0, 6 * n_pl + 1).reshape(n_pl, 6).T)
    c.add_parameter("FORCE_PLATFORM", "CORNERS", np.stack([one] * n_pl, axis=2))
    c.add_parameter("FORCE_PLATFORM", "ORIGIN", np.zeros((3, n_pl)))
    c.write(str(c3d_out))


def lower_body_c3d_with_plate(c3d_in, plates_csv, c3d_out) -> None:
    """The lower-body markers and the floor plate only."""
    pig_c3d_with_plates(c3d_in, plates_csv, c3d_out, markers=LOWER_PIG)
