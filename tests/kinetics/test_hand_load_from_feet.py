"""Hand load from the ground reactions under the feet: analytic whole-body dynamics."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core.loads import GroundReaction
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics import hand_load_from_feet, held_mass_kg
from liftrisk.risk.reba import reba
from liftrisk.synthetic.body import neutral_body

SUBJ = Subject("male", 80.0, 1.80)
RATE = 100.0
N = 301


def _bouncing_body(amp_m=0.05, freq_hz=1.0):
    """A rigid upright body moved up and down as z(t) = A sin(2 pi f t): every point, hence the
    centre of mass, has the analytic acceleration -A (2 pi f)^2 sin(2 pi f t)."""
    body = neutral_body(SUBJ, n_frames=N, rate_hz=RATE)
    t = body.time_s
    dz = amp_m * np.sin(2 * np.pi * freq_hz * t)
    pts = {n: body[n] + np.c_[np.zeros(N), np.zeros(N), dz] for n in body.point_names}
    acc = -amp_m * (2 * np.pi * freq_hz) ** 2 * np.sin(2 * np.pi * freq_hz * t)
    return body.with_points(pts), t, acc


def _insoles(t, vertical):
    return [GroundReaction(t, np.c_[np.zeros_like(t), np.zeros_like(t), 0.5 * vertical], np.zeros((t.size, 3)), foot=f)
            for f in ("right", "left")]


def test_dynamic_load_recovers_box_weight_under_vertical_acceleration():
    """Ground force = (m_body + m_box)(g + a): the dynamic method recovers the 12 kg box within
    0.3 kg (tolerance: the 6 Hz low-pass and finite differences of a 1 Hz sine, about 1 %
    of the inertial term), the static method (Int J Intell Syst 2023) misses it by m_body a / g,
    up to 8 kg here."""
    motion, t, acc = _bouncing_body()
    ground = (80.0 + 12.0) * (9.81 + acc)
    dyn = held_mass_kg(hand_load_from_feet(_insoles(t, ground), motion, SUBJ))
    inner = slice(30, -30)  # away from the filter's end effects
    np.testing.assert_allclose(dyn[inner], 12.0 * (1 + acc[inner] / 9.81), atol=0.3)
    static = held_mass_kg(hand_load_from_feet(_insoles(t, ground), motion, SUBJ, dynamic=False))
    assert np.max(np.abs(static[inner] - dyn[inner])) > 5.0


def test_quiet_window_calibrates_body_weight():
    """Insoles reading 4 % high: calibrating on quiet standing with empty hands removes the
    gain error of the body-weight term (static body, 10 kg picked up at 1.5 s)."""
    body = neutral_body(SUBJ, n_frames=N, rate_hz=RATE)
    t = body.time_s
    true = 80.0 * 9.81 + np.where(t > 1.5, 10.0 * 9.81, 0.0)
    read = 1.04 * true
    load = held_mass_kg(hand_load_from_feet(_insoles(t, read), body, SUBJ, dynamic=False, quiet_window_s=(0.0, 1.0)))
    assert load[t > 1.6].mean() == pytest.approx(10.0 * 1.04, abs=0.05)   # only the box's share of the gain left
    uncal = held_mass_kg(hand_load_from_feet(_insoles(t, read), body, SUBJ, dynamic=False))
    assert uncal[t > 1.6].mean() > 13.0


def test_per_frame_load_feeds_reba():
    body = neutral_body(SUBJ, n_frames=N, rate_hz=RATE)
    t = body.time_s
    ground = 80.0 * 9.81 + np.where(t > 1.5, 12.0 * 9.81, 0.0)
    kg = held_mass_kg(hand_load_from_feet(_insoles(t, ground), body, SUBJ, dynamic=False))
    r = reba({"trunk_flexion_deg": np.full(N, 10.0), "neck_flexion_deg": np.full(N, 5.0),
              "upper_arm_flexion_deg": np.full(N, 30.0), "elbow_flexion_deg": np.full(N, 80.0)}, load_kg=kg)
    assert set(r["load"][t < 1.4]) == {0} and set(r["load"][t > 1.6]) == {2}


def test_reactions_must_cover_the_motion():
    body = neutral_body(SUBJ, n_frames=N, rate_hz=RATE)
    t = body.time_s
    with pytest.raises(DataQualityError, match="covers"):
        hand_load_from_feet(_insoles(t[:100], np.full(100, 800.0)), body, SUBJ)
