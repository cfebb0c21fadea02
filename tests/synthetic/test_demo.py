"""The bundled demo recording: present, small, and reproduced by its generator (regression)."""

import importlib.resources
import json

import numpy as np

from liftrisk.io import read_motion
from liftrisk.kinematics import joint_angles
from liftrisk.synthetic.make_demo import TRC_NAME, TRUTH_NAME, demo_motion, main

DEMO = importlib.resources.files("liftrisk").joinpath("data", "demo")


def test_demo_file_is_bundled_small_and_regenerates():
    """The file stores 5 decimals of a metre: regenerating must agree to 10 um."""
    trc = DEMO.joinpath(TRC_NAME)
    assert trc.is_file()
    with importlib.resources.as_file(trc) as p:
        assert p.stat().st_size < 1_000_000
        m = read_motion(p)
    fresh = demo_motion()
    assert m.n_frames == fresh.n_frames == 601 and abs(m.rate_hz - 60.0) < 1e-9
    np.testing.assert_allclose(m.points(fresh.point_names), fresh.positions_m, atol=1e-5)
    truth = json.loads(DEMO.joinpath(TRUTH_NAME).read_text())
    assert [h["kind"] for h in truth["handlings"]] == ["lift", "lower", "lift"]
    assert truth["settings"]["box_mass_kg"] == 10.0


def test_demo_is_a_floor_to_waist_lift():
    m = demo_motion()
    box_z = m["box"][:, 2]
    assert box_z.min() == np.float64(0.25) and abs(box_z.max() - 0.95) < 1e-9
    a = joint_angles(m)
    assert np.degrees(a["trunk_flexion"].max()) > 30 and np.degrees(a["r_knee_flexion"].max()) > 80


def test_generator_writes_elsewhere(tmp_path, capsys):
    assert main(["--output", str(tmp_path)]) == 0
    assert (tmp_path / TRC_NAME).is_file() and (tmp_path / TRUTH_NAME).is_file()
    assert "wrote" in capsys.readouterr().out
