"""Fuzzy REBA transition widths and breakpoints as settings; the sensitivity table."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.errors import DataQualityError
from liftrisk.risk.fuzzy_reba import FuzzySettings, fuzzy_reba, fuzzy_reba_reference, fuzzy_sensitivity
from liftrisk.risk.reba import RebaSettings

N = 25
# trunk sweeps across its 60 deg edge; every other angle sits mid-band, > 10 deg from an edge
ANGLES = {"trunk_flexion_deg": np.linspace(52.0, 68.0, N), "neck_flexion_deg": np.full(N, 8.0),
          "upper_arm_flexion_deg": np.full(N, 32.0), "elbow_flexion_deg": np.full(N, 80.0),
          "knee_flexion_deg": np.full(N, 10.0)}


def test_per_part_width_only_changes_that_part():
    """A trunk-only width of 2 deg equals a global 2 deg width when only the trunk is near an
    edge, and differs from the global 5 deg default."""
    part = fuzzy_reba(ANGLES, fuzzy=FuzzySettings(transition_by_part_deg=(("trunk", 2.0),)))["fuzzy_reba"]
    glob2 = fuzzy_reba(ANGLES, fuzzy=FuzzySettings(transition_deg=2.0))["fuzzy_reba"]
    glob5 = fuzzy_reba(ANGLES)["fuzzy_reba"]
    np.testing.assert_allclose(part, glob2, atol=1e-12)
    assert np.max(np.abs(part - glob5)) > 0.05


def test_breakpoint_override_moves_the_transition_and_matches_scikit_fuzzy():
    """Moving the trunk's 60 deg edge to 64 deg shifts the score curve by 4 deg; the vectorised
    and the scikit-fuzzy reference implementations agree with per-part settings."""
    fz = FuzzySettings(breakpoints_deg=(("trunk", (-20.0, -5.0, 5.0, 20.0, 64.0)),),
                       transition_by_part_deg=(("trunk", 3.0),))
    moved = fuzzy_reba(ANGLES, fuzzy=fz)["fuzzy_reba"].to_numpy()
    base = fuzzy_reba(ANGLES, fuzzy=FuzzySettings(transition_by_part_deg=(("trunk", 3.0),)))["fuzzy_reba"].to_numpy()
    t = ANGLES["trunk_flexion_deg"]
    np.testing.assert_allclose(np.interp(t - 4.0, t, base)[t >= 56.0], moved[t >= 56.0], atol=0.02)
    ref = fuzzy_reba_reference(ANGLES, fuzzy=fz)["fuzzy_reba"].to_numpy()
    np.testing.assert_allclose(moved, ref, atol=1e-6)


def test_bad_settings_are_named():
    with pytest.raises(DataQualityError, match="spine"):
        FuzzySettings(transition_by_part_deg=(("spine", 2.0),))
    with pytest.raises(DataQualityError, match="edges"):
        FuzzySettings(breakpoints_deg=(("trunk", (0.0, 20.0)),)).bands(RebaSettings())


def test_sensitivity_table_wider_transition_departs_more_from_crisp():
    t = fuzzy_sensitivity(ANGLES, (2.0, 5.0, 10.0))
    assert list(t.index) == [2.0, 5.0, 10.0]
    assert t.loc[5.0, "max_abs_change_vs_reference"] == 0.0
    assert t["mean_abs_diff_vs_crisp"].is_monotonic_increasing
    assert (t["spearman_vs_crisp"] > 0.5).all()
