"""Bands of a mocap recording through the raw-marker fit vs through the frame-by-frame joint centres.

The VU Amsterdam stoop lift (``vua_stoop_lifts/3D/stoop1_t169_f620f800.c3d``, Plug-in Gait, 181
frames at 50 Hz, its static trial ``neu_t169_f250f350.c3d``, male 81.7 kg, 1.73 m, 15 kg; needs
../shared/data or ``LIFTRISK_SHARED_DATA``) is assessed with the body model fitted to the raw
markers; its bands are then drawn twice with position noise only (100 draws): through the marker
fit linearised at its solution (the assessment's ``body_fit``) and, as the previous version did,
through the frame-by-frame joint centres (``body_fit=None``). Prints per reading the seconds, the
median |p50 - reported| as a share of the band's width (L5/S1 extension moment, compression) and
the median compression band width (N); then the default bands' (all sources) peak compression
interval and median compression band width. Under the previous version (main at 0bdc622) only the
last line applies (its draws always used the frame-by-frame joint centres).
Measured 2026-12-06 (docs/uncertainty.md)::

    python benchmarks/marker_bands.py
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from liftrisk.core import Subject
from liftrisk.core.settings import AssessmentSettings
from liftrisk.io import read_motion
from liftrisk.pipeline import assess_motion
from liftrisk.uncertainty import propagate


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    d = Path(os.environ.get("LIFTRISK_SHARED_DATA", here.parent / "shared" / "data")) / "vua_stoop_lifts" / "3D"
    if not d.is_dir():
        raise SystemExit(f"{d} not found (set LIFTRISK_SHARED_DATA)")
    static, motion = read_motion(d / "neu_t169_f250f350.c3d"), read_motion(d / "stoop1_t169_f620f800.c3d")
    subject = Subject("male", 81.7, 1.73)
    settings = AssessmentSettings(uncertainty_draws=100)
    a = assess_motion(motion, subject, 15.0, settings, static=static)
    kw = dict(kind=a.input_kind, holds_s=a.holds_s, lifts=[la.lift for la in a.lifts])
    for fit, name in ((a.body_fit, "through the marker fit"), (None, "frame-by-frame joint centres")):
        t = time.perf_counter()
        u = propagate(a.raw_points, subject, a.hand_load, settings, body_fit=fit, vary=frozenset({"positions"}), **kw)
        el = time.perf_counter() - t
        b = u.bands
        off = {q: float(np.nanmedian(np.abs(b[f"{q}_p50"].to_numpy() - ref[q].to_numpy())
                                     / (b[f"{q}_p95"] - b[f"{q}_p05"]).to_numpy()))
               for q, ref in (("l5s1_extension_moment_nm", a.kinetics), ("compression_n", a.spine))}
        width = float(np.nanmedian(b["compression_n_p95"] - b["compression_n_p05"]))
        print(f"{name}: {el:.1f} s; |p50 - reported| / width: moment {100 * off['l5s1_extension_moment_nm']:.1f} %, "
              f"compression {100 * off['compression_n']:.1f} %; median compression band {width:.0f} N")
    u = a.uncertainty
    lo, hi = u.interval("compression_n", a.summary.get("peak_compression_n"))
    width = float(np.nanmedian(u.bands["compression_n_p95"] - u.bands["compression_n_p05"]))
    print(f"default bands: peak compression {a.summary.get('peak_compression_n'):.0f} N, 90 % interval "
          f"{lo:.0f}-{hi:.0f} N; median compression band {width:.0f} N")


if __name__ == "__main__":
    main()
