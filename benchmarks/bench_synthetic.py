"""Figures of the synthetic demo lift: balance (physical centre of pressure), L5/S1 and ankle moments.

Run: ``python benchmarks/bench_synthetic.py`` (prints figures; a few seconds).

The demo (``liftrisk.synthetic.make_demo.DEMO_SETTINGS``) is regenerated without marker
noise (the bundled TRC has 1 mm noise, whose second differences would swamp the inertial
terms without a low-pass filter). The whole-body ground reaction comes from
`liftrisk.kinetics.whole_body_ground_reaction` (de Leva segments, box while held); its
physical centre of pressure is the floor point where the horizontal moment vanishes; the
ankle moments come from `liftrisk.kinetics.bottom_up` with that ground reaction split
equally under the two feet; L5/S1 from `liftrisk.kinetics.top_down_l5s1`.
"""

from __future__ import annotations

import time

import numpy as np

from liftrisk.core import GroundReaction, HandLoad
from liftrisk.kinetics import bottom_up, top_down_l5s1, whole_body_ground_reaction
from liftrisk.synthetic import synthetic_lift
from liftrisk.synthetic.make_demo import DEMO_SETTINGS, DEMO_SUBJECT


def main() -> None:
    t0 = time.perf_counter()
    m = synthetic_lift(DEMO_SUBJECT, **{**DEMO_SETTINGS, "noise_m": 0.0})
    t_gen = time.perf_counter() - t0
    hold = [(h["grasp_s"], h["release_s"]) for h in m.meta["handlings"]]
    held = np.zeros(m.n_frames, bool)
    for a, b in hold:
        held |= (m.time_s >= a) & (m.time_s <= b)
    hl = HandLoad(box_mass_kg=DEMO_SETTINGS["box_mass_kg"])
    print(f"demo regenerated (no noise): {m.n_frames} frames in {t_gen:.2f} s")
    heel, toe, ankle = m["l_heel"][0, 0], m["l_toe"][0, 0], m["l_ankle"][0, 0]
    for static in (False, True):
        gr = whole_body_ground_reaction(m, DEMO_SUBJECT, hl, static=static, hold_intervals_s=hold)
        f, mo, p = gr.force_n, gr.free_moment_nm, gr.cop_m
        cop = np.stack([p[:, 0] - mo[:, 1] / f[:, 2], p[:, 1] + mo[:, 0] / f[:, 2], np.zeros(len(f))], axis=1)
        mz = mo - np.cross(cop - p, f)
        frac = (cop[:, 0] - heel) / (toe - heel)
        i = int(np.searchsorted(m.time_s, 6.13))
        kind = "static " if static else "dynamic"
        print(f"{kind} COP x - ankle: min {cop[:, 0].min() - ankle:+.3f} m, max {cop[:, 0].max() - ankle:+.3f} m, "
              f"at 6.13 s {cop[i, 0] - ankle:+.3f} m; heel-toe fraction {frac.min():.2f}-{frac.max():.2f}; "
              f"min Fz {f[:, 2].min():.0f} N")
        grs = [GroundReaction(m.time_s, 0.5 * f, cop * [1, 0, 1] + [0, m[f"{s}_ankle"][0, 1], 0], 0.5 * mz,
                              foot=side) for s, side in (("l", "left"), ("r", "right"))]
        bu = bottom_up(m, DEMO_SUBJECT, grs, static=static)
        pf = bu["l_ankle_plantarflexion_moment_nm"] + bu["r_ankle_plantarflexion_moment_nm"]
        print(f"{kind} ankle plantarflexion moment (both ankles): min {pf.min():.1f}, max {pf.max():.1f} N·m; "
              f"at 6.13 s {pf.iloc[i]:.1f}; while holding min {pf[held].min():.1f}")
        td = top_down_l5s1(m, DEMO_SUBJECT, hl, static=static, hold_intervals_s=hold)
        ext = td["l5s1_extension_moment_nm"]
        print(f"{kind} peak L5/S1 extension moment {ext.max():.1f} N·m at {ext.idxmax():.2f} s "
              f"(bottom-up {bu['l5s1_extension_moment_nm'].max():.1f})")
    a = (m.positions_m[2:] - 2 * m.positions_m[1:-1] + m.positions_m[:-2]) * m.rate_hz ** 2
    acc = np.linalg.norm(a, axis=2).max(axis=0)
    body = [k for k, n in enumerate(m.point_names) if n != "box"]
    print(f"peak point accelerations: box {acc[m.point_names.index('box')]:.2f} m/s^2, "
          f"body {acc[body].max():.1f} m/s^2 ({m.point_names[body[int(np.argmax(acc[body]))]]})")


if __name__ == "__main__":
    main()
