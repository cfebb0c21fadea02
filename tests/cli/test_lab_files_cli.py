"""`liftrisk loads` and `liftrisk angles` on a lower-body-only Plug-in Gait C3D with a force
plate (built from the VU Amsterdam stoop lift: its 16 lower-body markers and its floor plate
stored as a C3D TYPE-2 platform; skipped without ../shared/data): exit 0, lower-body angles,
bottom-up moments, one note per missing part."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from liftrisk.cli.main import main

from .lr_lab_files import lower_body_c3d_with_plate


@pytest.fixture(scope="module")
def lower_c3d(shared_data, tmp_path_factory):
    d = shared_data / "vua_stoop_lifts" / "3D"
    src = d / "stoop1_t169_f620f800.c3d"
    if not src.exists():
        pytest.skip("vua_stoop_lifts not available")
    out = tmp_path_factory.mktemp("pig") / "lower.c3d"
    lower_body_c3d_with_plate(src, d / "stoop1_t169_f620f800_F1Cop1F2Cop2.csv", out)
    return out


def _run(args, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def test_angles_on_lower_body_plugin_gait(lower_c3d, tmp_path, capsys):
    code, out, err = _run(["angles", str(lower_c3d), "-o", str(tmp_path / "a.csv")], capsys)
    assert code in (0, None), err
    df = pd.read_csv(tmp_path / "a.csv", index_col=0)
    assert np.isfinite(df[["r_knee_flexion_deg", "l_hip_flexion_deg", "r_ankle_dorsiflexion_deg"]]).all().all()
    assert df["trunk_flexion_deg"].isna().all()
    assert out.count("no upper-body joint centres") == 1


def test_loads_on_lower_body_plugin_gait_with_plates(lower_c3d, tmp_path, capsys):
    """The C3D's own plate is used (under both feet: shared by the lever rule); the L5/S1 loads
    are the bottom-up ones. Reference: the full-body trial's bottom-up L5/S1 through the
    pipeline peaks at 208 N·m (static trial leg length); here 204 N·m (leg length from the
    recording's markers, pelvis frame): within 10 %."""
    code, out, err = _run(["loads", str(lower_c3d), "--mass-kg", "81.7", "--height-m", "1.73", "--sex", "male",
                           "--plates-under-both-feet", "-o", str(tmp_path / "l.csv")], capsys)
    assert code in (0, None), err
    df = pd.read_csv(tmp_path / "l.csv", index_col=0)
    for c in ("bottom_up_r_hip_extension_moment_nm", "bottom_up_l_knee_extension_moment_nm",
              "bottom_up_r_ankle_plantarflexion_moment_nm", "l5s1_extension_moment_nm", "compression_n"):
        assert np.isfinite(df[c]).all(), c
    assert abs(df["l5s1_extension_moment_nm"].max() - 208.0) < 21.0
    assert "top-down loads not computed" in out and out.count("no upper-body joint centres") == 1


def test_assess_on_lower_body_plugin_gait_with_plates(lower_c3d, tmp_path, capsys):
    """A full assessment of a lower-body-only file: report written, L5/S1 from the plate, posture
    scores and top-down loads reported as not available (one note), exit 0."""
    code, out, err = _run(["assess", str(lower_c3d), "--mass-kg", "81.7", "--height-m", "1.73", "--sex", "male",
                           "--plates-under-both-feet", "-o", str(tmp_path / "r.html")], capsys)
    assert code in (0, None), err
    assert (tmp_path / "r.html").exists()
    assert "lower body only" in out and "the top-down loads, REBA/RULA" in out
    assert "REBA, RULA and fuzzy REBA not scored" not in out and "top-down loads not computed" not in out


def test_assess_c3d_with_a_box_platform(shared_data, tmp_path, capsys):
    """The full stoop1 trial as a C3D with two platforms: 1 = floor (both feet), 2 = the box
    (not zeroed: it reads the box's weight, 148 N, at rest). `--object-plate 2` makes the second
    the object plate: the same figures as the CSV route (RMS 2.4 N·m; grasp 1.90 s)."""
    from .lr_lab_files import pig_c3d_with_plates

    d = shared_data / "vua_stoop_lifts" / "3D"
    src = d / "stoop1_t169_f620f800.c3d"
    if not src.exists():
        pytest.skip("vua_stoop_lifts not available")
    f = tmp_path / "stoop1_plates.c3d"
    pig_c3d_with_plates(src, d / "stoop1_t169_f620f800_F1Cop1F2Cop2.csv", f, box_rest_n=15.09 * 9.81)
    code, out, err = _run(["assess", str(f), "--mass-kg", "81.7", "--height-m", "1.73", "--sex", "male", "--box-kg",
                           "15.09", "--plates-under-both-feet", "--object-plate", "2", "--static",
                           str(d / "neu_t169_f250f350.c3d"), "-o", str(tmp_path / "r.html")], capsys)
    assert code in (0, None), err
    assert "Lift 1 (1.90-3.60 s" in out
    rms = float(out.split("RMS difference ")[1].split(" N·m")[0])
    assert rms < 15.0
    code, _, err = _run(["assess", str(f), "--mass-kg", "81.7", "--height-m", "1.73", "--sex", "male",
                         "--object-plate", "3", "-o", str(tmp_path / "r2.html")], capsys)
    assert code == 2 and "--object-plate 3 does not exist" in err
