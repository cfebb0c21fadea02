"""The estimated ground reaction inside a full assessment: the off-balance warning reaches
the user, and the bottom-up ankle moments match statics by hand."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.core import Motion, Subject
from liftrisk.kinetics.inverse_dynamics import demo_posture
from liftrisk.kinetics.segments import segment_parameters
from liftrisk.pipeline import assess_motion

SUBJECT = Subject("male", 80.0, 1.78, 40.0)
G = 9.81
FEET = ("l_heel", "l_toe", "r_heel", "r_toe")


def com(m: Motion) -> np.ndarray:
    """(T, 3) whole-body centre of mass: de Leva segment masses at their segment centres."""
    params = segment_parameters(SUBJECT)
    total = sum(p.mass_kg for p in params.values())
    return sum(p.mass_kg * p.com(m) for p in params.values()) / total


def shifted(m: Motion, dxy, keep=FEET + ("l_ankle", "r_ankle")) -> Motion:
    """The body above the ankles moved horizontally by dxy (m); the feet stay put."""
    pos = m.positions_m.copy()
    for k, name in enumerate(m.point_names):
        if name not in keep:
            pos[:, k, :2] += dxy
    return m.replace(positions_m=pos)


def test_off_balance_warning_reaches_the_assessment():
    """A posture held 25 cm beyond the left foot: the assessment warns (off balance) with its span."""
    m = shifted(demo_posture(40), [0.0, 0.40])
    a = assess_motion(m, SUBJECT, None)
    assert any(w.startswith("off balance") for w in a.warnings)
    assert "cop_outside_support_m" in a.lower and float(a.lower["cop_outside_support_m"].max()) > 0.1


@pytest.mark.parametrize("side", ["l", "r"])
def test_static_ankle_moment_from_cop_under_com(side):
    """Static, symmetric feet: each ankle's plantarflexion moment = half the body weight times
    the COM's lead over the ankle, minus the foot's own weight times its lead (statics by hand)."""
    m = demo_posture(40)
    a = assess_motion(m, SUBJECT, None)
    c = com(a.motion)
    ankle = a.motion[f"{side}_ankle"][:, 0]
    foot = segment_parameters(SUBJECT)[f"{side}_foot"]
    expected = 0.5 * SUBJECT.mass_kg * G * (c[:, 0] - ankle) - foot.mass_kg * G * (foot.com(a.motion)[:, 0] - ankle)
    got = a.lower[f"{side}_ankle_plantarflexion_moment_nm"].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
