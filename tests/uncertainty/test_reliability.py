"""Reliability verdicts: each reason is triggered by the condition it names."""

import numpy as np
import pandas as pd

from liftrisk.core.motion import Motion
from liftrisk.uncertainty.reliability import lift_verdicts


def _motion(n=20, conf=None):
    pts = {p: np.tile([0.3, 0.0, 1.0], (n, 1)) for p in ("l_hand", "r_hand", "l_hip", "r_hip", "l_ankle")}
    m = Motion.from_points(pts, rate_hz=10.0)
    return m if conf is None else m.replace(confidence=conf)


def test_clean_lift_is_reliable():
    assert lift_verdicts([(0, 19)], _motion())[0] == {"lift": 1, "verdict": "reliable", "reasons": [],
                                                       "unreliable": []}


def test_low_hand_confidence_makes_the_lift_unreliable():
    conf = np.ones((20, 5))
    conf[5:15, 0] = 0.1
    v = lift_verdicts([(0, 19)], _motion(conf=conf), kind="keypoints", n_views=2)[0]
    assert v["verdict"] == "unreliable" and "low confidence in 50 %" in v["reasons"][0]


def test_off_balance_and_one_camera_and_a_band_across_a_limit():
    off = np.zeros(20, bool)
    off[:10] = True
    li = pd.DataFrame({"li_p05": [0.9], "li_p95": [1.2]})
    v = lift_verdicts([(0, 19)], _motion(), off_balance=off, kind="keypoints", n_views=1, lift_intervals=li)[0]
    assert v["verdict"] == "use with care"
    text = " ".join(v["reasons"])
    assert "off balance in 50 %" in text and "one camera" in text and "either side of 1" in text
    assert "hip, knee and ankle torques and workloads" in v["unreliable"]


def test_joints_out_of_frame_are_named():
    m = _motion()
    pos = np.array(m.positions_m)
    pos[:, m.index("l_ankle")] = np.nan
    v = lift_verdicts([(0, 19)], m.replace(positions_m=pos))[0]
    assert "l_ankle" in v["reasons"][0]
