"""Builds lab-style files from the VU Amsterdam stoop lifts for the CLI tests: a lower-body-only
Plug-in Gait C3D whose floor plate is stored as a C3D TYPE-2 force platform."""

from __future__ import annotations

import ezc3d
import numpy as np

LOWER_PIG = ("LASI", "RASI", "LPSI", "RPSI", "LTHI", "RTHI", "LKNE", "RKNE", "LTIB", "RTIB", "LANK", "RANK",
             "LHEE", "RHEE", "LTOE", "RTOE")


def lower_body_c3d_with_plate(c3d_in, plates_csv, c3d_out) -> None:
    """Copy the lower-body markers of `c3d_in` and the floor plate (CSV columns 8-13: force N,
    COP m) into a new C3D: one TYPE-2 platform in the lab frame (corners around the lab origin
    at the COP height), its wrench about the surface centre M = cop x F (no free moment),
    analogs at the point rate in N and N·mm."""
    src = ezc3d.c3d(str(c3d_in))
    labels = list(src["parameters"]["POINT"]["LABELS"]["value"])
    idx = [labels.index(n) for n in LOWER_PIG]
    pts = np.asarray(src["data"]["points"])[:, idx, :]
    rate = float(src["header"]["points"]["frame_rate"])
    d = np.loadtxt(plates_csv, delimiter=",")
    f, cop = d[:, 7:10], d[:, 10:13]
    z0 = float(np.median(cop[:, 2]))
    rel = cop - [0.0, 0.0, z0]
    m = np.cross(rel, f) * 1000.0                   # N·mm about the surface centre
    an = np.concatenate([f, m], axis=1).T[None]     # (1, 6, T)
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [rate]
    c["parameters"]["POINT"]["LABELS"]["value"] = LOWER_PIG
    c["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    c["data"]["points"] = pts
    c["parameters"]["ANALOG"]["RATE"]["value"] = [rate]
    c["parameters"]["ANALOG"]["LABELS"]["value"] = ("Fx1", "Fy1", "Fz1", "Mx1", "My1", "Mz1")
    c["parameters"]["ANALOG"]["UNITS"]["value"] = ("N", "N", "N", "Nmm", "Nmm", "Nmm")
    c["data"]["analogs"] = an
    zmm = z0 * 1000.0
    corners = np.array([[300, 300, zmm], [-300, 300, zmm], [-300, -300, zmm], [300, -300, zmm]], float).T
    c.add_parameter("FORCE_PLATFORM", "USED", [1])
    c.add_parameter("FORCE_PLATFORM", "TYPE", [2])
    c.add_parameter("FORCE_PLATFORM", "ZERO", [1, 0])
    c.add_parameter("FORCE_PLATFORM", "CHANNEL", np.arange(1.0, 7.0).reshape(6, 1))
    c.add_parameter("FORCE_PLATFORM", "CORNERS", corners.reshape(3, 4, 1))
    c.add_parameter("FORCE_PLATFORM", "ORIGIN", np.zeros((3, 1)))
    c.write(str(c3d_out))
