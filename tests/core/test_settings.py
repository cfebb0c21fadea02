"""AssessmentSettings are checked when made: bad values raise SettingsError naming the field,
what was received and what is expected; good values are normalised (types, case)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import SettingsError


@pytest.mark.parametrize("field, value, expected", [
    ("lifts_per_min", -1.0, "from 0 to 60"), ("duration_h", 0.0, "above 0"), ("duration_h", -2, "above 0"),
    ("cutoff_hz", -6.0, ">= 0"), ("max_gap_s", float("nan"), "finite"), ("min_confidence", 1.5, "0 to 1"),
    ("coupling", "excellent", "good, fair, poor"), ("reba_activity", 4, "0 to 3"), ("reba_activity", 1.5, "whole"),
    ("lower_body", "maybe", "true or false"), ("lift_times_s", ((2.0, 1.0),), "grasp_s < release_s"),
    ("lift_times_s", ((1.0,),), "pair"), ("monocular_vertical", "up", "balance, level_camera"),
    ("lifts_per_min", "four", "a number"), ("floor_z_m", True, "a number"),
])
def test_bad_values_are_refused_with_the_field_named(field, value, expected):
    with pytest.raises(SettingsError) as err:
        AssessmentSettings(**{field: value})
    assert err.value.field == field and expected in str(err.value) and field in str(err.value)


def test_values_are_normalised():
    s = AssessmentSettings(lifts_per_min=4, coupling=" Poor ", reba_activity=2.0, lower_body="false",
                           lift_times_s=[[1, 2]])
    assert (s.lifts_per_min, s.coupling, s.reba_activity, s.lower_body, s.lift_times_s) == (
        4.0, "poor", 2, False, ((1.0, 2.0),))
    assert isinstance(s.lifts_per_min, float) and isinstance(s.reba_activity, int)


@given(st.floats(0, 60), st.floats(0.01, 24), st.sampled_from(["good", "fair", "poor"]), st.floats(0, 30))
def test_dict_round_trip(f, d, c, fc):
    s = AssessmentSettings(lifts_per_min=f, duration_h=d, coupling=c, cutoff_hz=fc, lift_times_s=((0.5, 1.5),))
    assert AssessmentSettings.from_dict(s.to_dict()) == s


def test_unknown_keys_are_named():
    with pytest.raises(SettingsError, match="lift_per_min.*not a known setting"):
        AssessmentSettings.from_dict({"lift_per_min": 2}, source="p.toml")
