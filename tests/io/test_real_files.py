"""Readers on the real shared files (skipped when ../shared/data is absent).

References: the raw file text / bytes parsed independently here, ezc3d's own force-platform
module (a second implementation), and physics (body weight from the subject's mass).
"""

import struct

import ezc3d
import numpy as np
import pytest

from liftrisk.io import read_c3d, read_mot, read_motion, read_opensim_grf, read_sto, read_trc, write_mot, write_trc
from liftrisk.processing import resample


def need(path):
    """Skip when one shared file is missing (the folder itself is checked by `shared_data`)."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


G = 9.81
MASS_KG = 72.6  # subject01_Setup_Scale.xml (see opensim_gait2354/SOURCE.md)


@pytest.fixture(scope="module")
def gait(shared_data):
    return shared_data / "opensim_gait2354"


def _raw_trc_first_frame(path):
    """Marker name -> first-frame (X, Y, Z) in file units, parsed from the text by hand."""
    lines = path.read_text().splitlines()
    names = [n for n in lines[3].split("\t")[2:] if n.strip()]
    row = next(ln for ln in lines[5:] if ln.strip()).split("\t")
    vals = [float(v) for v in row[2:2 + 3 * len(names)]]
    return {n: vals[3 * i:3 * i + 3] for i, n in enumerate(names)}


def test_trc_gait2354_first_frame_units_and_frame(gait):
    f = need(gait / "subject01_walk1.trc")
    m = read_trc(f)
    assert (m.n_frames, m.n_points, m.rate_hz) == (151, 41, 60.0)
    assert m.duration_s == pytest.approx(2.5)
    assert m.meta["file_units"] == "mm" and m.meta["file_frame"] == "y_up"
    raw = _raw_trc_first_frame(f)
    # file text, mm, Y-up: R.ASIS 617.247620 1055.275020 170.781980; L.ASIS 639.606380 1044.258420 -88.909790
    assert raw["R.ASIS"] == [617.24762, 1055.27502, 170.78198]
    assert raw["L.ASIS"] == [639.60638, 1044.25842, -88.90979]
    for name in ("R.ASIS", "L.ASIS"):
        x, y, z = raw[name]
        assert np.allclose(m[name][0], [x / 1000, -z / 1000, y / 1000], atol=1e-9)
    # anatomy in liftrisk's frame: pelvis ~1 m up, the right ASIS on the right (-Y), head on top
    assert m["R.ASIS"][0, 1] < 0 < m["L.ASIS"][0, 1]
    assert 0.9 < m["R.ASIS"][0, 2] < 1.2 and m["Top.Head"][0, 2] > m["Sternum"][0, 2] > m["R.ASIS"][0, 2]
    assert read_motion(f).n_points == 41


def test_trc_gait2354_write_read_round_trip(gait, tmp_path):
    m = read_trc(need(gait / "subject01_walk1.trc"))
    out = tmp_path / "copy.trc"
    write_trc(m, out)
    back = read_trc(out)
    assert back.point_names == m.point_names
    assert np.allclose(back.positions_m, m.positions_m, atol=1e-9, equal_nan=True)  # 1e-6 mm written
    assert np.allclose(back.time_s, m.time_s, atol=1e-6)


def test_mot_sto_gait2354(gait, tmp_path):
    grf, h = read_mot(need(gait / "subject01_walk1_grf.mot"))
    assert grf.shape == (1501, 18) and h["nRows"] == "1501"
    assert 1.0 / np.median(np.diff(grf.index)) == pytest.approx(600, rel=0.02)
    ik, h = read_mot(need(gait / "subject01_walk1_ik.mot"))
    assert ik.shape == (73, 23) and h["inDegrees"] == "yes"
    assert ik.index[0] == pytest.approx(0.4) and ik["pelvis_tilt"].iloc[0] == pytest.approx(5.18629404)
    ids, h = read_sto(need(gait / "inverse_dynamics.sto"))
    assert "lumbar_extension_moment" in ids.columns and h["inDegrees"] == "no"
    out = tmp_path / "ik_copy.mot"
    write_mot(ik, out, in_degrees=True, description="Units are S.I. units (second, meters, Newtons, ...)")
    back, h2 = read_mot(out)
    assert np.allclose(back.to_numpy(), ik.to_numpy(), rtol=1e-9) and np.allclose(back.index, ik.index)
    assert list(back.columns) == list(ik.columns) and h2["inDegrees"] == "yes"


def test_grf_gait2354_vertical_force_is_body_weight(gait):
    grfs = read_opensim_grf(need(gait / "subject01_walk1_grf.mot"), external_loads=gait / "subject01_walk1_grf.xml")
    assert [g.foot for g in grfs] == ["right", "left"]
    assert grfs[0].rate_hz == pytest.approx(600.0, rel=1e-6)
    fz = grfs[0].force_n[:, 2] + grfs[1].force_n[:, 2]
    assert np.all(fz > 0)  # the ground pushes up in liftrisk's Z-up frame
    bw = MASS_KG * G
    # over the whole trial the vertical momentum barely changes: mean vertical force = body weight
    assert fz.mean() == pytest.approx(bw, rel=0.03)
    # double support (both feet loaded): total near body weight (weight transfer adds <= ~25 %)
    both = (grfs[0].force_n[:, 2] > 50) & (grfs[1].force_n[:, 2] > 50)
    assert both.sum() > 100
    assert fz[both].mean() == pytest.approx(bw, rel=0.25)
    # the COP lies under the feet: between the heel and toe markers' X range during stance
    m = read_trc(gait / "subject01_walk1.trc")
    g60 = resample(grfs[0], time_s=m.time_s)
    loaded = np.isfinite(g60.cop_m[:, 0]) & (g60.force_n[:, 2] > 300)
    heel, toe = m["R.Heel"][loaded, 0], m["R.Toe.Tip"][loaded, 0]
    cop = g60.cop_m[loaded, 0]
    assert np.mean((cop > np.minimum(heel, toe) - 0.05) & (cop < np.maximum(heel, toe) + 0.05)) > 0.9


def test_grf_resampled_to_marker_time_base(gait):
    grf = read_opensim_grf(need(gait / "subject01_walk1_grf.mot"))[0]
    m = read_trc(gait / "subject01_walk1.trc")
    g60 = resample(grf, time_s=m.time_s, antialias=False)
    assert g60.force_n.shape == (151, 3)
    # marker times are multiples of 1/60 s = every 10th GRF sample: values must coincide
    assert np.allclose(g60.force_n, grf.force_n[::10], atol=1e-6)


def _c3d_first_frame_raw(path, n_points):
    """First 3D frame from the bytes (PC REAL format: little-endian float32 x, y, z, residual)."""
    b = path.read_bytes()
    assert b[1] == 0x50  # C3D key
    words = struct.unpack("<12H", b[:24])
    assert words[1] == n_points
    start = (words[8] - 1) * 512  # word 9: first block of the 3D data
    vals = np.frombuffer(b[start:start + 16 * n_points], "<f4").reshape(n_points, 4)
    n_analog = words[2]  # analog values per 3D frame (channels x samples per frame)
    analog = np.frombuffer(b[start + 16 * n_points:start + 16 * n_points + 4 * n_analog], "<f4")
    return vals[:, :3].astype(float), struct.unpack("<f", b[20:24])[0], analog.astype(float)


def test_c3dorg_sample_points_and_plates(shared_data):
    f = need(shared_data / "kineticstoolkit" / "c3dorg_sample01_Eb015pr.c3d")
    rec = read_c3d(f)
    m = rec.motion
    assert (m.n_frames, m.n_points, m.rate_hz, rec.analog_rate_hz) == (450, 26, 50.0, 200.0)
    assert rec.point_units == "mm" and rec.subject_mass_kg == pytest.approx(82.7, abs=0.01)
    raw, rate, analog = _c3d_first_frame_raw(f, 26)
    assert rate == 50.0
    # analog scale factors, C3D formula: (raw - ANALOG:OFFSET) * ANALOG:SCALE * ANALOG:GEN_SCALE, first sample
    scale, offset = rec.parameters["ANALOG"]["SCALE"], rec.parameters["ANALOG"]["OFFSET"]
    gen = float(np.ravel(rec.parameters["ANALOG"]["GEN_SCALE"])[0])
    assert (analog[0], analog[2]) == (2110.0, 2076.0)  # FX1, FZ1 raw counts
    for ch, name in ((0, "FX1"), (2, "FZ1"), (4, "MY1")):
        assert rec.analogs[name].iloc[0] == pytest.approx((analog[ch] - offset[ch]) * scale[ch] * gen, rel=1e-6)
    # bytes: RFT1 (248.583, 226.833, 37.417) mm, RFT2 (212.667, 218.333, 88.917) mm, lab Z-up kept
    assert np.allclose(raw[0], [248.58334, 226.83334, 37.416668], atol=1e-4)
    assert np.allclose(m["RFT1"][0], raw[0] / 1000, atol=1e-7)
    assert np.allclose(m["RFT2"][0], raw[1] / 1000, atol=1e-7)
    assert len(rec.ground_reactions) == 2
    # second implementation: ezc3d's platform module (no baseline removal there)
    ref = ezc3d.c3d(str(f), extract_forceplat_data=True)["data"]["platform"]
    mine = read_c3d(f, zero_baseline=False).ground_reactions
    for g, r in zip(mine, ref, strict=True):
        assert np.allclose(g.force_n, r["force"].T, atol=1e-6)
        ok = np.isfinite(g.cop_m[:, 0])
        assert ok.sum() > 50
        assert np.allclose(g.cop_m[ok], r["center_of_pressure"].T[ok] / 1000, atol=1e-6)
        assert np.allclose(g.free_moment_nm[:, 2], r["Tz"].T[:, 2] / 1000, atol=1e-6)
    for g in rec.ground_reactions:
        fz = g.force_n[:, 2]
        assert fz.max() > 600 and np.median(fz[fz > 100]) > 0  # up, ~body weight in stance
        assert abs(np.median(fz[:40])) < 5  # ZERO baseline removed the ~20-30 N offset
        loaded = np.isfinite(g.cop_m[:, 0])
        assert np.nanmax(np.abs(g.cop_m[loaded, 2])) < 0.01  # COP on the plate surface
