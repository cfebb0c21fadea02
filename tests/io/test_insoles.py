"""Insole exports read with a TOML description (`liftrisk.io.read_insoles`): hand-made files whose
force and centre of pressure are known by hand (sum of pressure x area, area-weighted sensor
centroid), and bad files that must fail naming the file, the field and the expected value."""

from pathlib import Path

import numpy as np
import pytest

from liftrisk.core import InsoleForce, InsolePressure
from liftrisk.errors import DataQualityError, InputFileError, LiftriskError, UnitsError
from liftrisk.io import insole_spec, read_insole_spec, read_insoles

# 3 sensors per foot: 2, 3 and 5 cm² at (40, 0), (120, 10), (220, -10) mm from the heel
LAYOUT = {"sensor_area": [2.0, 3.0, 5.0], "sensor_x": [40, 120, 220], "sensor_y": [0, 10, -10]}
SPEC = """\
rate_hz = 100
time_column = "time"
pressure_unit = "{unit}"
area_unit = "cm2"
length_unit = "mm"
[left]
pressure = ["L1", "L2", "L3"]
sensor_area = [2.0, 3.0, 5.0]
sensor_x = [40, 120, 220]
sensor_y = [0, 10, -10]
[right]
pressure = ["R1", "R2", "R3"]
sensor_area = [2.0, 3.0, 5.0]
sensor_x = [40, 120, 220]
sensor_y = [0, 10, -10]
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _both_feet_csv(path: Path, rows: list[list[float]], header="time,L1,L2,L3,R1,R2,R3") -> Path:
    return _write(path, header + "\n" + "\n".join(",".join(f"{v:g}" for v in r) for r in rows) + "\n")


@pytest.fixture
def files(tmp_path):
    # left: 100, 200, 300 kPa -> 100e3*2e-4 + 200e3*3e-4 + 300e3*5e-4 = 20 + 60 + 150 = 230 N
    # right: 400 kPa on every sensor -> 400e3 * 10e-4 = 400 N
    rows = [[0.00, 100, 200, 300, 400, 400, 400], [0.01, 100, 200, 300, 400, 400, 400],
            [0.02, 0, 0, 0, 400, 400, 400]]
    return _both_feet_csv(tmp_path / "ins.csv", rows), _write(tmp_path / "ins.toml", SPEC.format(unit="kPa"))


def test_pressure_export_force_and_cop_by_hand(files):
    csv, toml = files
    left, right = read_insoles(csv, read_insole_spec(toml))
    assert isinstance(left, InsolePressure) and (left.foot, right.foot) == ("left", "right")
    assert left.vertical_force_n() == pytest.approx([230.0, 230.0, 0.0])
    assert right.vertical_force_n() == pytest.approx([400.0, 400.0, 400.0])
    # centre of pressure: force-weighted sensor centroid, by hand (m)
    x = (20 * 0.040 + 60 * 0.120 + 150 * 0.220) / 230
    y = (20 * 0 + 60 * 0.010 + 150 * -0.010) / 230
    assert left.cop_xy_m()[0] == pytest.approx([x, y])
    assert np.isnan(left.cop_xy_m()[2]).all()                          # unloaded: no centre of pressure
    assert right.cop_xy_m()[0] == pytest.approx([(2 * 0.04 + 3 * 0.12 + 5 * 0.22) / 10, (3 * 0.01 - 5 * 0.01) / 10])
    assert left.time_s == pytest.approx([0.0, 0.01, 0.02])


def test_pressure_units_n_per_cm2_and_psi(tmp_path, files):
    csv, _ = files
    # 10 N/cm² = 100 kPa: the same file read in N/cm² is /10 in N
    n_cm2 = read_insoles(csv, read_insole_spec(_write(tmp_path / "a.toml", SPEC.format(unit="N/cm2"))))
    assert n_cm2[1].vertical_force_n()[0] == pytest.approx(400.0 * 10)          # 400 N/cm² x 10 cm²
    psi = read_insoles(csv, read_insole_spec(_write(tmp_path / "b.toml", SPEC.format(unit="psi"))))
    assert psi[1].vertical_force_n()[0] == pytest.approx(400 * 6894.757 * 10e-4)


def test_two_files_left_then_right_and_time_base_start(tmp_path):
    left = _write(tmp_path / "L.csv", "t_ms;P1;P2\n1000;50;50\n1010;60;60\n1020;70;70\n")
    right = _write(tmp_path / "R.csv", "t_ms;P1;P2\n1000;80;80\n1010;80;80\n1020;80;80\n")
    spec = insole_spec({f: {"pressure": ["P1", "P2"], "sensor_area": 1.5, "sensor_x": [50, 200],
                            "sensor_y": [0, 0]} for f in ("left", "right")},
                       delimiter=";", time_column="t_ms", time_unit="ms", time_base="start", pressure_unit="N/cm2")
    lf, rf = read_insoles([left, right], spec, motion_start_s=2.0)
    assert lf.vertical_force_n() == pytest.approx([150.0, 180.0, 210.0])   # 2 x 1.5 cm² x 50 N/cm²
    assert rf.vertical_force_n() == pytest.approx([240.0] * 3)
    assert lf.time_s == pytest.approx([2.0, 2.01, 2.02])


def test_force_export_with_and_without_cop(tmp_path):
    csv = _write(tmp_path / "f.csv", "time,Lf,Rf,Lx,Ly\n0,0.4,0.41,120,5\n0.02,0.39,0.42,125,6\n")
    spec = insole_spec({"left": {"force": "Lf", "cop": ["Lx", "Ly"]}, "right": {"force": "Rf"}}, format="force",
                       time_column="time", force_unit="kN")
    lf, rf = read_insoles(csv, spec)
    assert isinstance(lf, InsoleForce) and lf.has_cop and not rf.has_cop
    assert lf.vertical_force_n() == pytest.approx([400.0, 390.0])
    assert lf.cop_xy_m()[1] == pytest.approx([0.125, 0.006])
    assert np.isnan(rf.cop_xy_m()).all()


# ----------------------------------------------------------------------------- bad files
def _bad(tmp_path, csv_text, spec_text):
    csv = _write(tmp_path / "bad.csv", csv_text)
    return csv, _write(tmp_path / "bad.toml", spec_text)


GOOD_ROWS = "time,L1,L2,L3,R1,R2,R3\n0,100,200,300,400,400,400\n0.01,100,200,300,400,400,400\n"


@pytest.mark.parametrize(("csv_text", "spec_text", "error", "words"), [
    # an empty cell (NaN): names the sensor column
    ("time,L1,L2,L3,R1,R2,R3\n0,100,,300,400,400,400\n0.01,100,200,300,400,400,400\n", SPEC.format(unit="kPa"),
     InputFileError, ["left.pressure L2", "row 1"]),
    # a negative pressure beyond the zero noise
    ("time,L1,L2,L3,R1,R2,R3\n0,100,200,300,400,400,400\n0.01,100,-80,300,400,400,400\n", SPEC.format(unit="kPa"),
     DataQualityError, ["left.pressure L2", "-80 kPa", "compression only"]),
    # kPa values declared as Pa: 0.4 N under a foot
    (GOOD_ROWS, SPEC.format(unit="Pa"), UnitsError, ["left.pressure", "pressure_unit", "N"]),
    # an unknown unit
    (GOOD_ROWS, SPEC.format(unit="kgf"), UnitsError, ["pressure_unit", "kgf", "kPa"]),
    # the time column runs at 100 Hz, rate_hz says 50
    (GOOD_ROWS, SPEC.format(unit="kPa").replace("rate_hz = 100", "rate_hz = 50"), DataQualityError,
     ["time_column", "100 Hz", "50 Hz"]),
    # areas in mm² declared as cm²
    (GOOD_ROWS, SPEC.format(unit="kPa").replace("[2.0, 3.0, 5.0]", "[200.0, 300.0, 500.0]"), UnitsError,
     ["sensor_area", "area_unit"]),
    # three sensor columns, two positions
    (GOOD_ROWS, SPEC.format(unit="kPa").replace("sensor_x = [40, 120, 220]", "sensor_x = [40, 120]", 1),
     InputFileError, ["left.sensor_x", "2 values for 3 sensor"]),
    # positions in mm declared as m
    (GOOD_ROWS, SPEC.format(unit="kPa").replace('length_unit = "mm"', 'length_unit = "m"'), UnitsError,
     ["sensor_x", "length_unit"]),
    # no [right] table
    (GOOD_ROWS, SPEC.format(unit="kPa").split("[right]")[0], InputFileError, ["[right]", "right"]),
    # a column that is not in the header
    (GOOD_ROWS.replace("R3", "R4"), SPEC.format(unit="kPa"), InputFileError, ["R3", "header"]),
    # a text cell
    (GOOD_ROWS.replace("0.01,100", "0.01,abc"), SPEC.format(unit="kPa"), InputFileError, ["'abc'", "column 2"]),
    # no clock
    (GOOD_ROWS, SPEC.format(unit="kPa").replace("rate_hz = 100\ntime_column = \"time\"\n", ""), InputFileError,
     ["time_column", "rate_hz"]),
])
def test_bad_files_name_file_field_and_expected(tmp_path, csv_text, spec_text, error, words):
    csv, toml = _bad(tmp_path, csv_text, spec_text)
    with pytest.raises(error) as exc:
        read_insoles(csv, read_insole_spec(toml))
    msg = str(exc.value)
    assert ("bad.csv" in msg or "bad.toml" in msg), msg
    for w in words:
        assert w in msg, (w, msg)


def test_two_files_at_different_rates(tmp_path):
    left = _write(tmp_path / "L.csv", "t,P1\n0,300\n0.01,300\n0.02,300\n")
    right = _write(tmp_path / "R.csv", "t,P1\n0,300\n0.02,300\n0.04,300\n")
    spec = insole_spec({f: {"pressure": ["P1"], "sensor_area": 10.0, "sensor_x": [100], "sensor_y": [0]}
                        for f in ("left", "right")}, time_column="t")
    with pytest.raises(DataQualityError, match=r"L\.csv runs at 100 Hz, .*R\.csv at 50 Hz"):
        read_insoles([left, right], spec)


def test_all_errors_are_liftrisk_errors(tmp_path):
    with pytest.raises(LiftriskError, match="format"):
        insole_spec({}, format="pressures", rate_hz=100)
    with pytest.raises(LiftriskError, match="unknown key"):
        insole_spec({}, rate=100)
    with pytest.raises(LiftriskError, match="not found"):
        read_insole_spec(tmp_path / "missing.toml")
