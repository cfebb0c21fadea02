"""Force plates from a described CSV: units, frames, clocks, roles, and one clear error per
mistake; the real VU Amsterdam table against the subject's weight (skipped without data)."""

import numpy as np
import pytest

from liftrisk.errors import DataQualityError, InputFileError, UnitsError
from liftrisk.io import (
    Y_UP_TO_Z_UP,
    check_plate_timing,
    plate_spec,
    read_force_plates_csv,
    read_plate_spec,
)

FEET = {"name": "floor", "role": "feet", "force": [2, 3, 4], "cop": [5, 6, 7], "free_moment": 8}
BOX = {"name": "box", "role": "object", "force": [9, 10, 11]}


def _table(tmp_path, n=5, fz=800.0, box=-10.0, scale_f=1.0, scale_l=1.0, header=None, name="p.csv"):
    t = np.arange(n) * 0.01
    rows = np.column_stack([t, np.full(n, 5.0), np.full(n, -3.0), np.full(n, fz), np.full(n, 0.10), np.full(n, 0.02),
                            np.zeros(n), np.full(n, 1.5), np.zeros(n), np.zeros(n), np.full(n, box)])
    rows[:, 1:4] *= scale_f
    rows[:, 8:11] *= scale_f
    rows[:, 4:7] *= scale_l
    f = tmp_path / name
    text = "\n".join(",".join(f"{v:.6g}" for v in r) for r in rows)
    f.write_text((header + "\n" if header else "") + text + "\n")
    return f


def test_reads_roles_units_and_free_moment(tmp_path):
    fp = read_force_plates_csv(_table(tmp_path), plate_spec([FEET, BOX], time_column=1))
    (g,), (o,) = fp.ground, fp.objects
    assert g.foot == "both" and g.name == "floor" and o.name == "box"
    np.testing.assert_allclose(g.force_n[0], [5.0, -3.0, 800.0])
    np.testing.assert_allclose(g.cop_m[0], [0.10, 0.02, 0.0])
    np.testing.assert_allclose(g.free_moment_nm[0], [0.0, 0.0, 1.5])
    np.testing.assert_allclose(o.force_n[:, 2], -10.0)
    assert g.rate_hz == pytest.approx(100.0)


def test_kilonewtons_millimetres_and_force_on_the_plate(tmp_path):
    """kN x 1000, mm x 0.001; 'plate' reverses forces and moments (reaction = -action)."""
    f = _table(tmp_path, fz=-0.8, box=0.01, scale_f=1.0, scale_l=1000.0)
    fp = read_force_plates_csv(f, plate_spec([FEET, BOX], time_column=1, force_unit="kN", length_unit="mm",
                                             force_on="plate", moment_unit="N.mm"))
    np.testing.assert_allclose(fp.ground[0].force_n[0], [-5000.0, 3000.0, 800.0])
    np.testing.assert_allclose(fp.ground[0].cop_m[0], [0.10, 0.02, 0.0])
    np.testing.assert_allclose(fp.ground[0].free_moment_nm[0, 2], -1.5e-3)
    np.testing.assert_allclose(fp.objects[0].force_n[0, 2], -10.0)


def test_y_up_frame_is_rotated(tmp_path):
    f = _table(tmp_path)
    fp = read_force_plates_csv(f, plate_spec([{**FEET, "force": [2, 4, 3]}], time_column=1, frame="y_up"))
    # columns (Fx, Fz, Fy) = (5, 800, -3) in a Y-up lab -> Z-up (x, -z, y)
    np.testing.assert_allclose(fp.ground[0].force_n[0], Y_UP_TO_Z_UP @ [5.0, 800.0, -3.0])


def test_header_names_and_rate_only(tmp_path):
    head = "t,fx,fy,fz,cx,cy,cz,tz,bx,by,bz"
    f = _table(tmp_path, header=head)
    spec = plate_spec([{"name": "f", "role": "left_foot", "force": ["fx", "fy", "fz"], "cop": ["cx", "cy", "cz"]}],
                      rate_hz=100, header_rows=1)
    fp = read_force_plates_csv(f, spec, motion_start_s=2.0)
    assert fp.ground[0].foot == "left"
    np.testing.assert_allclose(fp.ground[0].time_s, np.arange(5) * 0.01)   # "file" clock: rows from 0
    fp2 = read_force_plates_csv(f, plate_spec([{**FEET, "free_moment": None}], rate_hz=100, header_rows="auto",
                                              time_base="start"), motion_start_s=2.0)
    np.testing.assert_allclose(fp2.ground[0].time_s, 2.0 + np.arange(5) * 0.01)


def test_toml_description(tmp_path):
    f = tmp_path / "plates.toml"
    f.write_text('time_column = 1\nrate_hz = 100\n[[plate]]\nname = "floor"\nrole = "feet"\nforce = [2, 3, 4]\n'
                 'cop = [5, 6, 7]\n')
    fp = read_force_plates_csv(_table(tmp_path), read_plate_spec(f))
    assert fp.ground[0].force_n[0, 2] == 800.0


@pytest.mark.parametrize("kw, err, match", [
    ({"plates": [FEET], "time_column": 1, "rate_hz": 50}, DataQualityError, "runs at 100 Hz but rate_hz is 50"),
    ({"plates": [{**FEET, "force": [2, 3, 40]}], "time_column": 1}, InputFileError, "column 40 does not exist"),
    ({"plates": [FEET], "time_column": 1, "force_unit": "kN"}, None, None),
])
def test_mismatched_rate_and_columns(tmp_path, kw, err, match):
    f = _table(tmp_path)
    spec = plate_spec(kw.pop("plates"), **kw)
    if err is None:
        assert read_force_plates_csv(f, spec).ground[0].force_n[0, 2] == 800_000.0
        return
    with pytest.raises(err, match=match):
        read_force_plates_csv(f, spec)


def test_units_that_look_wrong(tmp_path):
    with pytest.raises(UnitsError, match="look like kN"):
        read_force_plates_csv(_table(tmp_path, fz=0.8, scale_f=1.0), plate_spec([FEET], time_column=1))
    with pytest.raises(UnitsError, match="millimetres"):
        read_force_plates_csv(_table(tmp_path, scale_l=1000.0), plate_spec([FEET], time_column=1))
    with pytest.raises(DataQualityError, match="force_on"):
        read_force_plates_csv(_table(tmp_path, fz=-800.0), plate_spec([FEET], time_column=1))


@pytest.mark.parametrize("plates, kw, match", [
    ([{**FEET, "role": "hands"}], {"time_column": 1}, "role"),
    ([{k: v for k, v in FEET.items() if k != "cop"}], {"time_column": 1}, "centre-of-pressure"),
    ([FEET], {}, "neither time_column nor rate_hz"),
    ([], {"rate_hz": 50}, "no plate described"),
    ([FEET], {"rate_hz": 50, "time_unit": "min"}, "time_unit"),
    ([FEET], {"rate_hz": 50, "speed": 3}, "unknown key"),
    ([{**FEET, "force": [2, 3]}], {"rate_hz": 50}, "three columns"),
])
def test_bad_descriptions(plates, kw, match):
    with pytest.raises((InputFileError, UnitsError), match=match):
        plate_spec(plates, **kw)


def test_text_cell_and_ragged_rows(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("0,1,2,800,0,0,0\n0.01,1,x,800,0,0,0\n")
    with pytest.raises(InputFileError, match="'x' is not a number"):
        read_force_plates_csv(f, plate_spec([{**FEET, "free_moment": None}], time_column=1))
    f.write_text("0,1,2,800,0,0,0\n0.01,1,800,0,0,0\n")
    with pytest.raises(InputFileError, match="columns"):
        read_force_plates_csv(f, plate_spec([{**FEET, "free_moment": None}], time_column=1))


def test_timing_check_names_both_spans(tmp_path):
    fp = read_force_plates_csv(_table(tmp_path), plate_spec([FEET], time_column=1))
    check_plate_timing(fp, np.arange(5) * 0.01)
    with pytest.raises(DataQualityError, match="time_base"):
        check_plate_timing(fp, 12.4 + np.arange(5) * 0.01)
    with pytest.raises(DataQualityError, match="covers 0.000-0.040 s"):
        check_plate_timing(fp, np.arange(10) * 0.01)


def test_vua_table_weighs_the_subject(shared_data):
    """Plate 2 (feet) of the VU Amsterdam stoop trial against the subject's weight, 81.7 kg x
    9.81 = 801 N: the mean vertical force over the bend down and up without the box (0-1.8 s,
    starting and ending at rest, so the mean acceleration is about 0) is the body weight
    within 2 %."""
    d = shared_data / "vua_stoop_lifts" / "3D"
    csv = d / "stoop1_t169_f620f800_F1Cop1F2Cop2.csv"
    if not csv.exists():
        pytest.skip("vua stoop trial not available")
    spec = plate_spec([{"name": "box", "role": "object", "force": [2, 3, 4], "cop": [5, 6, 7]},
                       {"name": "floor", "role": "feet", "force": [8, 9, 10], "cop": [11, 12, 13]}],
                      time_column=1, rate_hz=50, time_base="start")
    fp = read_force_plates_csv(csv, spec)
    g = fp.ground[0]
    assert g.time_s[0] == 0.0 and g.rate_hz == pytest.approx(50.0)
    quiet = g.force_n[g.time_s < 1.8, 2].mean()
    assert abs(quiet - 81.7 * 9.81) < 0.02 * 81.7 * 9.81
