"""The .osim written by liftrisk, loaded by OpenSim itself (in a worker process, never beside
CasADi): OpenSim's forward kinematics of the exported model must put every marker where
liftrisk's puts it (an independent implementation of the same kinematics)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from liftrisk.bodymodel.forward import KinematicTree
from liftrisk.bodymodel.model import build_model
from liftrisk.bodymodel.osim import Y_UP_FROM_Z_UP, to_osim_xml
from liftrisk.core import Subject
from liftrisk.io.opensim_worker import opensim_available, run_worker


def test_xml_has_every_body_joint_coordinate_and_marker():
    m = build_model(Subject("female", 60.0, 1.65))
    m = m.with_markers(m.landmarks())
    xml = to_osim_xml(m)
    assert xml.count("<Body name=") == len(m.body_names)
    assert xml.count("<Coordinate name=") == len(m.coordinate_names)
    assert xml.count("<Marker name=") == len(m.markers)


@pytest.mark.skipif(not opensim_available(), reason="opensim (the liftrisk[opensim] extra) not installed")
def test_opensim_places_the_markers_where_liftrisk_does(tmp_path):
    m = build_model(Subject("male", 80.0, 1.78))
    m = m.with_markers({**m.landmarks(), "l_index": ("l_hand", np.array([0.02, 0.03, -0.08])),
                        "nose": ("head", np.array([0.1, 0.0, 0.12]))})
    path = tmp_path / "model.osim"
    path.write_text(to_osim_xml(m), encoding="utf-8")
    tree = KinematicTree(m, dict(m.markers))
    rng = np.random.default_rng(3)
    for _ in range(2):
        q = rng.uniform(-0.5, 0.5, tree.n_coords)
        e = rng.uniform(-0.5, 0.5, 3)
        o0 = rng.normal(size=3)
        p = tree.points(Rotation.from_euler("ZYX", e).as_matrix()[None], o0[None], q[None])[0]
        coords = {c.name: float(v) for c, v in zip(m.coordinates, q, strict=True)}
        coords.update(pelvis_rotation=e[0], pelvis_tilt=e[1], pelvis_list=e[2], pelvis_tx=o0[0], pelvis_ty=o0[1],
                      pelvis_tz=o0[2])
        theirs = json.loads(run_worker("markers", str(path), json.dumps(coords)).strip().splitlines()[-1])
        for i, n in enumerate(tree.point_names):
            # 1 micrometre: the same kinematics in double precision (measured 6e-11 m)
            assert np.allclose(Y_UP_FROM_Z_UP @ p[i], theirs[n], atol=1e-6), n
