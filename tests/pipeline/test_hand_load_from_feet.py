"""The hand load measured from the feet (insoles or floor plates) through the whole assessment.

References, independent of the method under test (whole-body centre of mass of the fitted
model, Newton's second law):
- a synthetic lift of a box of known mass (`liftrisk.synthetic`), whose ground reaction is the
  segment-by-segment Newton sum of the generator's own joint centres with the box (known mass,
  the hands' acceleration) in the hands from grasp to release
  (`whole_body_ground_reaction`), turned into per-sensor insole pressures written as a CSV in
  kPa at 100 Hz (the motion is at 60 Hz), read back with its TOML layout;
- a static analytic case: standing still holding 8 kg on two floor plates, whose forces sum to
  (body + box) x g: the load is exactly 8 kg;
- NIOSH: the RWL does not depend on the load, so LI(measured load) / LI(known load) must equal
  the ratio of the loads.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from liftrisk.assessment import load_per_frame_kg
from liftrisk.cli.main import main
from liftrisk.core import ForcePlates, GroundReaction, HandLoad, InsoleForce, Subject
from liftrisk.io import read_insole_spec, read_insoles, write_trc
from liftrisk.kinetics.inverse_dynamics import whole_body_ground_reaction
from liftrisk.kinetics.load_from_feet import held_mass_kg
from liftrisk.pipeline import AssessmentSettings, assess_motion
from liftrisk.synthetic.body import neutral_body
from liftrisk.synthetic.lift import synthetic_lift

SUBJ = Subject("male", 80.0, 1.78)
BOX = 12.0
G = 9.81
# 8 sensors per insole (cm², mm in the insole frame: x forward from the heel, y to the left)
AREAS = np.array([12.0, 12.0, 10.0, 10.0, 9.0, 9.0, 8.0, 8.0])
XY = np.array([[30, -15], [30, 15], [90, -20], [90, 20], [160, -25], [160, 25], [220, -15], [220, 15]], float)
SHARE = np.array([0.18, 0.16, 0.10, 0.08, 0.14, 0.12, 0.12, 0.10])   # of the foot's force, sums to 1


def _spec_text() -> str:
    def foot(tag):
        return (f"pressure = {[f'{tag}{k + 1}' for k in range(8)]}\nsensor_area = {AREAS.tolist()}\n"
                f"sensor_x = {XY[:, 0].tolist()}\nsensor_y = {XY[:, 1].tolist()}\n").replace("'", '"')
    return ('time_column = "time"\nrate_hz = 100\npressure_unit = "kPa"\narea_unit = "cm2"\nlength_unit = "mm"\n'
            f"[left]\n{foot('L')}[right]\n{foot('R')}")


def _write_insoles(folder: Path, t: np.ndarray, fz: np.ndarray) -> tuple[Path, Path]:
    """Per-sensor pressures (kPa, 100 Hz) whose sum of pressure x area is the given total
    vertical force, shared unevenly and time-varyingly between the feet."""
    t100 = np.arange(t[0], t[-1] + 1e-9, 0.01)
    f = np.interp(t100, t, fz)
    left_share = 0.5 + 0.1 * np.sin(2 * np.pi * t100 / 3.0)
    cols = [t100]
    for share in (left_share, 1.0 - left_share):
        foot = (f * share)[:, None] * SHARE[None, :]                  # N per sensor
        cols += list((foot / (AREAS * 1e-4) / 1e3).T)                 # kPa
    header = "time," + ",".join([f"L{k + 1}" for k in range(8)] + [f"R{k + 1}" for k in range(8)])
    csv = folder / "insoles.csv"
    np.savetxt(csv, np.column_stack(cols), delimiter=",", header=header, comments="", fmt="%.6f")
    toml = folder / "insoles.toml"
    toml.write_text(_spec_text(), encoding="utf-8")
    return csv, toml


@pytest.fixture(scope="module")
def lift(tmp_path_factory):
    m = synthetic_lift(SUBJ, BOX, n_lifts=2, rate_hz=60.0, still_s=1.0)
    body = m.select([n for n in m.point_names if n != "box"])
    holds = [(h["grasp_s"], h["release_s"]) for h in m.meta["handlings"]]
    gr = whole_body_ground_reaction(body, SUBJ, HandLoad(box_mass_kg=BOX), hold_intervals_s=holds)
    folder = tmp_path_factory.mktemp("insoles")
    csv, toml = _write_insoles(folder, gr.time_s, gr.force_n[:, 2])
    settings = AssessmentSettings(lift_times_s=tuple(holds))
    measured = assess_motion(body, SUBJ, None, settings, insoles=read_insoles(csv, read_insole_spec(toml)))
    known = assess_motion(body, SUBJ, BOX, settings)
    return body, holds, measured, known, folder, csv, toml


def _held(t, holds, margin=0.0):
    held = np.zeros(t.size, bool)
    for g, r in holds:
        held |= (t >= g + margin) & (t <= r - margin)
    return held


def test_recovered_mass_is_the_box_mass_while_held_and_zero_otherwise(lift):
    body, holds, a, _, *_ = lift
    assert a.summary["hand_load"] == "insoles"
    assert any("hand load measured from the insoles" in w for w in a.warnings)
    # NIOSH's one load per lift: the box mass within 2 %
    assert a.summary["lift_loads_kg"] == pytest.approx([BOX] * len(holds), rel=0.02)
    t = a.hand_load.time_s
    # the held mass per frame (the box's inertia taken out with the hands' acceleration): the box mass
    kg = load_per_frame_kg(a.hand_load, a.motion, None)
    inner = _held(t, holds, margin=0.15)   # away from the grasp and release steps (filtered over ~0.1 s)
    assert np.median(np.abs(kg[inner] - BOX)) < 0.25
    assert np.sqrt(np.mean((kg[inner] - BOX) ** 2)) < 0.6
    outside = ~_held(t, [(g - 0.15, r + 0.15) for g, r in holds])
    assert np.percentile(kg[outside], 95) < 1.0 and np.median(kg[outside]) < 0.2
    # the force itself carries the box's inertia: m_box (g + a_hands_z)
    hands_z = 0.5 * (body["l_hand"] + body["r_hand"])[:, 2]
    force = BOX * (G + np.gradient(np.gradient(hands_z, t), t))
    assert np.median(np.abs(-a.hand_load.force_n[inner, 2] - force[inner])) < 0.5 * G


def test_niosh_li_with_recovered_load_equals_li_with_known_load(lift):
    _, holds, a, b, *_ = lift
    assert len(a.lifts) == len(b.lifts) == len(holds)
    for la, lb, load in zip(a.lifts, b.lifts, a.summary["lift_loads_kg"], strict=True):
        assert la.niosh_origin.rwl == pytest.approx(lb.niosh_origin.rwl, rel=1e-9)   # RWL: no load in it
        assert la.li == pytest.approx(lb.li * load / BOX, rel=1e-9)
        assert la.li == pytest.approx(lb.li, rel=0.02)


def test_kinetics_and_reba_with_the_measured_load(lift):
    _, holds, a, b, *_ = lift
    t = a.kinetics.index.to_numpy()
    inner = _held(t, holds, margin=0.15)
    ma, mb = (x.kinetics["l5s1_extension_moment_nm"].to_numpy() for x in (a, b))
    rms = np.sqrt(np.mean((ma[inner] - mb[inner]) ** 2))
    assert rms < 0.05 * np.max(np.abs(mb[inner]))                     # < 5 % of the peak while held
    # REBA/RULA with the per-frame load: the box's 12 kg (load score 2: > 10 kg) while held
    ra, rb = a.posture["reba"].to_numpy(), b.posture["reba"].to_numpy()
    assert np.mean(ra[inner] == rb[inner]) > 0.9
    far = ~_held(t, [(g - 0.2, r + 0.2) for g, r in holds])
    none = assess_motion(lift[0], SUBJ, 0.0,
                         AssessmentSettings(lift_times_s=tuple(holds)))
    assert np.array_equal(ra[far], none.posture["reba"].to_numpy()[far])   # nothing held: load score 0


def _static(mass_box=8.0, left_share=0.6, n=60):
    body = neutral_body(SUBJ, n_frames=n, rate_hz=60.0)
    t = body.time_s
    total = (SUBJ.mass_kg + mass_box) * G
    plates = []
    for foot, share in (("left", left_share), ("right", 1 - left_share)):
        side = foot[0]
        cop = 0.5 * (body[f"{side}_heel"] + body[f"{side}_toe"])
        cop[:, 2] = 0.0
        plates.append(GroundReaction(t, np.tile([0.0, 0.0, share * total], (n, 1)), cop, foot=foot, name=foot))
    return body, ForcePlates(tuple(plates))


def test_static_analytic_plates_give_the_box_exactly():
    body, plates = _static()
    a = assess_motion(body, SUBJ, None, AssessmentSettings(hand_load_from_feet=True), force_plates=plates)
    assert a.summary["hand_load"] == "force plates under the feet"
    assert held_mass_kg(a.hand_load) == pytest.approx(np.full(body.n_frames, 8.0), abs=1e-6)
    b = assess_motion(body, SUBJ, 8.0, AssessmentSettings(), force_plates=plates)
    assert np.array_equal(a.posture["reba"].to_numpy(), b.posture["reba"].to_numpy())
    assert np.array_equal(a.posture["rula"].to_numpy(), b.posture["rula"].to_numpy())
    assert a.kinetics["l5s1_extension_moment_nm"].to_numpy() == pytest.approx(
        b.kinetics["l5s1_extension_moment_nm"].to_numpy(), abs=1e-6)


def test_the_setting_decides_between_box_and_feet():
    body, plates = _static()
    # plates without the setting: the given box mass, no measured load
    a = assess_motion(body, SUBJ, 5.0, AssessmentSettings(), force_plates=plates)
    assert a.hand_load.force_n is None and "lift_loads_kg" not in a.summary
    # the setting without anything under the feet: a note, the box mass stays
    b = assess_motion(body, SUBJ, 5.0, AssessmentSettings(hand_load_from_feet=True))
    assert b.hand_load.box_mass_kg == 5.0 and any("nothing under the feet" in w for w in b.warnings)


def test_insoles_with_a_box_mass_need_the_setting(lift):
    body, holds, *_, csv, toml = lift
    insoles = read_insoles(csv, read_insole_spec(toml))
    a = assess_motion(body, SUBJ, 8.0, AssessmentSettings(lift_times_s=tuple(holds)), insoles=insoles)
    assert a.hand_load.box_mass_kg == 8.0 and any("--hand-load-from-feet" in w for w in a.warnings)
    assert a.summary["ground_reaction"] == "insoles"                  # they still give the bottom-up moments
    b = assess_motion(body, SUBJ, 8.0, AssessmentSettings(lift_times_s=tuple(holds), hand_load_from_feet=True),
                      insoles=insoles)
    assert b.summary["lift_loads_kg"] == pytest.approx([BOX] * len(holds), rel=0.02)


def test_cli_assess_with_insoles(lift, tmp_path, capsys):
    body, holds, *_, csv, toml = lift
    trc = tmp_path / "lift.trc"
    write_trc(body, trc)
    out = tmp_path / "r.html"
    times = ";".join(f"{g:.4f}-{r:.4f}" for g, r in holds)
    with pytest.raises(SystemExit) as e:
        main(["assess", str(trc), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--insoles", str(csv),
              "--insole-spec", str(toml), "--lift-times-s", times, "-o", str(out)])
    assert e.value.code in (0, None)
    html = out.read_text()
    assert "Hand load measured from the feet (insoles)" in html and "lift 1: 1" in html
    assert "hand load measured from the insoles" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:       # a spec without the CSV
        main(["assess", str(trc), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--insole-spec",
              str(toml), "-o", str(tmp_path / "x.html")])
    assert e.value.code == 2 and "without --insoles" in capsys.readouterr().err


def test_holds_and_lifts_come_from_the_measured_load(lift):
    body, holds, *_, csv, toml = lift
    a = assess_motion(body, SUBJ, None, AssessmentSettings(), insoles=read_insoles(csv, read_insole_spec(toml)))
    assert len(a.lifts) == len(holds)
    for (g, r), (hg, hr) in zip(holds, a.holds_s, strict=True):
        assert abs(hg - g) < 0.2 and abs(hr - r) < 0.2          # lift-off / set-down vs grasp / release
    assert a.summary["lift_loads_kg"] == pytest.approx([BOX] * len(holds), rel=0.03)
    assert a.hand_load.box_mass_kg == pytest.approx(BOX, rel=0.03)   # the typical held mass, for the bands


def test_quiet_standing_cancels_an_insole_gain_error(lift):
    body, holds, *_ = lift
    gr = whole_body_ground_reaction(body, SUBJ, HandLoad(box_mass_kg=BOX), hold_intervals_s=holds)
    t, fz = gr.time_s, gr.force_n[:, 2]
    high = [InsoleForce(t, 1.04 * 0.5 * fz, None, f) for f in ("left", "right")]   # reading 4 % high
    times = tuple(holds)
    raw = assess_motion(body, SUBJ, None, AssessmentSettings(lift_times_s=times), insoles=high)
    cal = assess_motion(body, SUBJ, None, AssessmentSettings(lift_times_s=times, quiet_standing_s=(0.1, 0.9)),
                        insoles=high)
    # uncalibrated: 4 % of body + box weight lands in the hands (about 0.04 x 92 kg = 3.7 kg)
    assert np.all(np.array(raw.summary["lift_loads_kg"]) > BOX + 3.0)
    # calibrated on quiet standing: only the gain error on the box itself remains (4 %)
    assert cal.summary["lift_loads_kg"] == pytest.approx([BOX * 1.04] * len(holds), rel=0.01)
    assert any("quiet standing 0.1-0.9 s" in w for w in cal.warnings)


def test_insoles_and_plates_give_the_same_bottom_up_moments():
    """Static: the same vertical forces at the same centres of pressure as two plates or as two
    insoles (total force + COP in the insole frame) give the same hip, knee and ankle moments."""
    body, plates = _static()
    ins = []
    for g in plates.ground:
        side = g.foot[0]
        heel, toe = body[f"{side}_heel"], body[f"{side}_toe"]
        fwd = toe - heel
        fwd[:, 2] = 0.0
        x = np.einsum("ij,ij->i", g.cop_m - heel, fwd / np.linalg.norm(fwd, axis=1, keepdims=True))
        ins.append(InsoleForce(g.time_s, g.force_n[:, 2], np.column_stack([x, 0 * x]), g.foot))
    a = assess_motion(body, SUBJ, 8.0, AssessmentSettings(), force_plates=plates)
    b = assess_motion(body, SUBJ, 8.0, AssessmentSettings(), insoles=ins)
    assert b.summary["ground_reaction"] == "insoles"
    cols = [c for c in a.lower.columns if c.endswith("_nm") and ("knee" in c or "hip" in c or "ankle" in c)]
    assert cols
    np.testing.assert_allclose(b.lower[cols].to_numpy(), a.lower[cols].to_numpy(), atol=1e-4)   # N·m


def test_settings_file_turns_it_on_for_insoles_with_a_box(lift, tmp_path, capsys):
    body, holds, *_, csv, toml = lift
    trc = tmp_path / "lift.trc"
    write_trc(body, trc)
    settings = tmp_path / "liftrisk.toml"
    times = ", ".join(f"[{g:.4f}, {r:.4f}]" for g, r in holds)
    settings.write_text(f"[assessment]\nhand_load_from_feet = true\nlift_times_s = [{times}]\n", encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["assess", str(trc), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--box-kg", "5",
              "--insoles", str(csv), "--insole-spec", str(toml), "--settings", str(settings), "-o",
              str(tmp_path / "r.html"), "--csv", str(tmp_path / "csv")])
    assert e.value.code in (0, None)
    html = (tmp_path / "r.html").read_text()
    assert "Hand load measured from the feet (insoles)" in html and "hand_load_from_feet" in html
    lifts = np.genfromtxt(tmp_path / "csv" / "r_lifts.csv", delimiter=",", names=True, dtype=None, encoding=None)
    assert "li" in lifts.dtype.names


# ----------------------------------------------------------------------------- real data
VUA_TRIALS = ("stoop1_t169_f620f800", pytest.param("stoop2_t169_f1395f1590", marks=pytest.mark.slow),
              pytest.param("stoop3_t169_f2101f2300", marks=pytest.mark.slow))
VUA_SPEC = """time_column = 1
rate_hz = 50
time_base = "start"
[[plate]]
name = "floor"
role = "feet"
force = [8, 9, 10]
cop = [11, 12, 13]
"""


@pytest.mark.parametrize("trial", VUA_TRIALS)
def test_real_stoop_lift_feet_plate_gives_the_box(shared_data, tmp_path, trial):
    """VU Amsterdam (Millard et al. 2017): the plate under the feet alone (the plate under the
    15.09 kg box left out). Measured: 14.33 / 13.99 / 14.06 kg with the entered body mass,
    15.62 / 15.51 / 15.22 kg with the weight of the first 0.2 s; during the empty-handed bend
    (0-1.9 s) 1.2-1.6 kg at the 95th percentile, the static form 5.8-6.9 kg."""
    from liftrisk.io import read_force_plates_csv, read_motion, read_plate_spec
    from liftrisk.kinetics.load_from_feet import hand_load_from_feet

    d = shared_data / "vua_stoop_lifts" / "3D"
    if not (d / "neu_t169_f250f350.c3d").exists():
        pytest.skip("vua_stoop_lifts not available")
    spec = tmp_path / "plates.toml"
    spec.write_text(VUA_SPEC)
    m = read_motion(d / f"{trial}.c3d")
    plates = read_force_plates_csv(d / f"{trial}_F1Cop1F2Cop2.csv", read_plate_spec(spec), float(m.time_s[0]))
    subj = Subject("male", 81.7, 1.73)
    static = read_motion(d / "neu_t169_f250f350.c3d")
    a = assess_motion(m, subj, None, AssessmentSettings(hand_load_from_feet=True), force_plates=plates, static=static)
    assert len(a.lifts) == 1
    assert a.summary["lift_loads_kg"][0] == pytest.approx(15.09, rel=0.10)
    b = assess_motion(m, subj, None, AssessmentSettings(hand_load_from_feet=True, quiet_standing_s=(0.0, 0.2)),
                      force_plates=plates, static=static)
    assert b.summary["lift_loads_kg"][0] == pytest.approx(15.09, rel=0.05)
    t = a.motion.time_s
    bend = t < 1.9
    dyn = np.percentile(np.abs(a.hand_load.force_n[bend, 2]) / G, 95)
    static_form = hand_load_from_feet(plates.ground, a.motion, subj, dynamic=False)
    assert dyn < 2.0 < 5.0 < np.percentile(np.abs(static_form.force_n[bend, 2]) / G, 95)


def test_time_series_export_has_the_per_frame_load(lift, tmp_path):
    _, holds, a, b, *_ = lift
    ts = a.timeseries()
    t = ts.index.to_numpy()
    inner = _held(t, holds, margin=0.15)
    assert np.median(ts["load_kg"].to_numpy()[inner]) == pytest.approx(BOX, rel=0.02)
    assert np.all(ts["load_kg"].to_numpy()[~_held(t, [(g - 0.2, r + 0.2) for g, r in holds])] == 0.0)
    assert "load_kg" not in b.timeseries()                          # a given box mass: no per-frame column


def test_cli_insoles_on_another_clock_or_with_video_are_clear_errors(lift, tmp_path, capsys):
    body, holds, *_, csv, toml = lift
    trc = tmp_path / "lift.trc"
    write_trc(body, trc)
    late = tmp_path / "late.csv"
    lines = csv.read_text().splitlines()
    late.write_text("\n".join([lines[0]] + [",".join([f"{float(r.split(',')[0]) + 5.0:.6f}"] + r.split(",")[1:])
                                            for r in lines[1:]]) + "\n")
    base = ["--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--insole-spec", str(toml)]
    with pytest.raises(SystemExit) as e:
        main(["assess", str(trc), *base, "--insoles", str(late), "-o", str(tmp_path / "a.html")])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "late.csv" in err and "time_base" in err
    with pytest.raises(SystemExit) as e:
        main(["assess", str(tmp_path / "clip.mp4"), *base, "--insoles", str(csv), "-o", str(tmp_path / "b.html")])
    assert e.value.code == 2 and "not with video" in capsys.readouterr().err
