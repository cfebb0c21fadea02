"""Accuracy of the hand load measured from the feet (insoles or floor plates) through the whole
assessment (`liftrisk.pipeline.assess_motion`), the centre-of-mass dynamics on and off.

1. Synthetic lifts (`liftrisk.synthetic.synthetic_lift`: squat and stoop, 5/12/20 kg boxes, two
   lifts and a lowering each): the feet's total force is the segment-by-segment Newton sum of the
   generator's joint centres with the box (known mass) in the hands from grasp to release
   (`whole_body_ground_reaction`), given as two insoles' total force; optionally read 4 % high
   (an insole gain error, the fuzzy-REBA paper's sec. 3.3 quotes up to 5 %) with and without the
   quiet-standing calibration. Figures: per-lift load error (kg; NIOSH's input), the held mass per
   frame while held (RMS, kg, 0.15 s from grasp and release), the 95th percentile of the held mass
   outside the holds (kg), the NIOSH LI error (%).
2. Real stoop lifts (VU Amsterdam, Millard et al. 2017; ../shared/data/vua_stoop_lifts, skipped when
   absent): the plate under the feet alone (the plate under the box left out, it is the
   reference), body mass 81.7 kg as entered, or the body weight from the first 0.2 s of quiet
   standing; the box is 15.09 kg. Figures: per-lift load, RMS of the held mass against the box
   plate's measured load while held, and the 95th percentile of |load| during the empty-handed
   bend (0-1.9 s), the paper's static form (total force minus body weight) beside it.

3. Reading speed: a Novel pedar-sized export (99 sensors per foot, 100 Hz, 10 min: 60 000 rows x
   199 columns, kPa) through `read_insoles`.

    PYTHONPATH=src python benchmarks/hand_load_from_feet.py [--synthetic-only] [--speed-only]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from liftrisk.assessment import load_per_frame_kg
from liftrisk.core import ForcePlates, HandLoad, InsoleForce, Subject
from liftrisk.io import plate_spec, read_force_plates_csv, read_motion
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.kinetics.load_from_feet import hand_load_from_feet, held_mass_kg
from liftrisk.pipeline import AssessmentSettings, assess_motion
from liftrisk.synthetic.lift import synthetic_lift

G = 9.81
SUBJ = Subject("male", 80.0, 1.78)
VUA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vua_stoop_lifts" / "3D"


def _mask(t, spans):
    m = np.zeros(t.size, bool)
    for a, b in spans:
        m |= (t >= a) & (t <= b)
    return m


def synthetic() -> None:
    print("synthetic lifts (insoles' total force; per-lift error = NIOSH load error)")
    print(f"{'style':6} {'box':>4} {'gain':>5} {'quiet':>5} | {'lift load err kg (max)':>22} {'held RMS kg':>11} "
          f"{'outside p95 kg':>14} {'LI err %':>8} | static: {'lift err kg':>11} {'outside p95':>11}")
    for style in ("squat", "stoop"):
        for box in (5.0, 12.0, 20.0):
            m = synthetic_lift(SUBJ, box, n_lifts=2, rate_hz=60.0, still_s=1.0, style=style)
            body = m.select([n for n in m.point_names if n != "box"])
            holds = [(h["grasp_s"], h["release_s"]) for h in m.meta["handlings"]]
            gr = whole_body_ground_reaction(body, SUBJ, HandLoad(box_mass_kg=box), hold_intervals_s=holds)
            t, fz = gr.time_s, gr.force_n[:, 2]
            known = assess_motion(body, SUBJ, box, AssessmentSettings(lift_times_s=tuple(holds)))
            for gain, quiet in ((1.0, ()), (1.04, ()), (1.04, (0.1, 0.9))):
                ins = [InsoleForce(t, gain * 0.5 * fz, None, f) for f in ("left", "right")]
                st = AssessmentSettings(lift_times_s=tuple(holds), quiet_standing_s=quiet)
                a = assess_motion(body, SUBJ, None, st, insoles=ins)
                loads = np.array(a.summary["lift_loads_kg"])
                kg = load_per_frame_kg(a.hand_load, a.motion, None)
                inner = _mask(t, [(g + 0.15, r - 0.15) for g, r in holds])
                out = ~_mask(t, [(g - 0.15, r + 0.15) for g, r in holds])
                li = max(abs(x.li / y.li - 1) for x, y in zip(a.lifts, known.lifts, strict=True))
                static = hand_load_from_feet(ins, a.motion, SUBJ, dynamic=False,
                                             quiet_window_s=quiet or None)
                skg = held_mass_kg(static)
                s_lift = max(abs(np.median(skg[_mask(t, [(g + 0.15, r - 0.15)])]) - box) for g, r in holds)
                print(f"{style:6} {box:4.0f} {gain:5.2f} {'yes' if quiet else 'no':>5} | "
                      f"{np.max(np.abs(loads - box)):22.2f} {np.sqrt(np.mean((kg[inner] - box) ** 2)):11.2f} "
                      f"{np.percentile(kg[out], 95):14.2f} {100 * li:8.1f} | {s_lift:19.2f} "
                      f"{np.percentile(np.abs(skg[out]), 95):11.2f}")


def real() -> None:
    if not (VUA / "neu_t169_f250f350.c3d").exists():
        print("vua_stoop_lifts not available: real-data figures skipped")
        return
    subj = Subject("male", 81.7, 1.73)
    box = 15.09
    spec = plate_spec([{"name": "box", "role": "object", "force": [2, 3, 4], "cop": [5, 6, 7]},
                       {"name": "floor", "role": "feet", "force": [8, 9, 10], "cop": [11, 12, 13]}],
                      time_column=1, rate_hz=50, time_base="start")
    static = read_motion(VUA / "neu_t169_f250f350.c3d")
    print(f"\nreal stoop lifts, {box} kg box, feet plate only (box plate = reference)")
    print(f"{'trial':22} {'weight from':12} | {'lift load kg':>12} {'RMS vs box plate kg':>19} "
          f"{'bend p95 |kg|':>13} {'LI / LI(box)':>12} | static: {'held kg':>7} {'bend p95':>8}")
    for trial in ("stoop1_t169_f620f800", "stoop2_t169_f1395f1590", "stoop3_t169_f2101f2300"):
        m = read_motion(VUA / f"{trial}.c3d")
        plates = read_force_plates_csv(VUA / f"{trial}_F1Cop1F2Cop2.csv", spec, float(m.time_s[0]))
        ref = assess_motion(m, subj, box, force_plates=plates, static=static)
        for label, quiet in (("body mass", ()), ("0-0.2 s", (0.0, 0.2))):
            st = AssessmentSettings(hand_load_from_feet=True, quiet_standing_s=quiet)
            a = assess_motion(m, subj, None, st, force_plates=ForcePlates(plates.ground), static=static)
            t = a.motion.time_s
            kg = held_mass_kg(a.hand_load, None)
            mass = load_per_frame_kg(a.hand_load, a.motion, None)
            grasp = ref.lifts[0].lift.grasp_s
            held = t > grasp + 0.3
            plate_kg = np.interp(t, plates.objects[0].time_s, -plates.objects[0].force_n[:, 2] / G)
            bend = t < 1.9
            stat = held_mass_kg(hand_load_from_feet(ForcePlates(plates.ground).ground, a.motion, subj,
                                                    dynamic=False, quiet_window_s=quiet or None))
            loads = ", ".join(f"{x:.2f}" for x in a.summary["lift_loads_kg"])
            ratio = ", ".join(f"{x.li / y.li:.3f}" for x, y in zip(a.lifts, ref.lifts, strict=False))
            print(f"{trial:22} {label:12} | {loads:>12} {np.sqrt(np.mean((mass[held] - plate_kg[held]) ** 2)):19.2f} "
                  f"{np.percentile(np.abs(-a.hand_load.force_n[bend, 2] / G), 95):13.2f} {ratio:>12} | "
                  f"{np.median(stat[held]):7.2f} {np.percentile(np.abs(kg[bend] * 0 + stat[bend]), 95):8.2f}")


def speed() -> None:
    import tempfile
    import time

    from liftrisk.io import insole_spec, read_insoles

    n, k = 60_000, 99
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "pedar.csv"
        data = np.column_stack([np.arange(n) / 100.0, rng.uniform(0, 300, (n, 2 * k))])
        np.savetxt(csv, data, delimiter=",", fmt="%.2f",
                   header="time," + ",".join([f"L{i}" for i in range(k)] + [f"R{i}" for i in range(k)]), comments="")
        feet = {f: {"pressure": [f"{f[0].upper()}{i}" for i in range(k)], "sensor_area": 1.5,
                    "sensor_x": list(np.linspace(10, 250, k)), "sensor_y": [0.0] * k} for f in ("left", "right")}
        spec = insole_spec(feet, time_column="time", rate_hz=100)
        best = np.inf
        for _ in range(3):
            t0 = time.perf_counter()
            left, right = read_insoles(csv, spec)
            left.vertical_force_n(), right.cop_xy_m()
            best = min(best, time.perf_counter() - t0)
    print(f"\nreading speed: {n} rows x {2 * k + 1} columns (pedar-sized, 10 min at 100 Hz) read, forces and "
          f"COPs in {best:.2f} s (best of 3; {n / best:,.0f} rows/s)")


if __name__ == "__main__":
    if "--speed-only" not in sys.argv:
        synthetic()
        if "--synthetic-only" not in sys.argv:
            real()
    speed()
