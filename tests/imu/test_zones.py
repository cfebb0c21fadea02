"""ACGIH zone -> risk mapping against Snyder et al. 2021, Table 1 and Table 3, and the TLV table."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.errors import LiftriskError
from liftrisk.imu.zones import check_zone, risk_index, zone_grid_position, zones_to_risk_index
from liftrisk.risk.acgih import HORIZONTAL_ZONES, VERTICAL_ZONES, tlv_table, zone_number, zone_risk

# Snyder et al. 2021, Table 1, typed from the paper: low 4, 5; medium 6-9; high 1-3, 10-12.
SNYDER_TABLE1 = {"low": {4, 5}, "medium": {6, 7, 8, 9}, "high": {1, 2, 3, 10, 11, 12}}


def test_mapping_matches_snyder_table1():
    for risk, zones in SNYDER_TABLE1.items():
        for z in zones:
            assert zone_risk(z) == risk


def test_class_counts_match_snyder_table3():
    # 10 subjects x 6 trials per zone: Snyder et al. 2021, Table 3, gives low 120, medium 240, high 360
    labels = zones_to_risk_index(np.repeat(np.arange(1, 13), 60))
    assert np.bincount(labels).tolist() == [120, 240, 360]


def test_grid_numbering_rows_from_top():
    assert zone_grid_position(1) == (0, 0)
    assert zone_grid_position(6) == (1, 2)
    assert zone_grid_position(10) == (3, 0)
    for z in range(1, 13):  # the same numbering as the risk area's zone_number
        r, c = zone_grid_position(z)
        assert zone_number([VERTICAL_ZONES[r]], [HORIZONTAL_ZONES[c]])[0] == z


@pytest.mark.parametrize("bad", [0, 13, 2.5, "x", None, True])
def test_bad_zone(bad):
    with pytest.raises(LiftriskError, match="zone"):
        check_zone(bad)
    with pytest.raises(LiftriskError, match="zone"):
        zones_to_risk_index([bad])


@pytest.mark.parametrize("bad", [13, -1, 2.5, "x", None])
def test_zone_risk_rejects_non_zones(bad):
    with pytest.raises(LiftriskError, match="zone"):
        zone_risk(bad)


def test_zone_risk_outside_and_shapes():
    assert zone_risk(0) == ""  # outside every zone (zone_number's 0)
    assert zone_risk(np.array([[4, 0], [12, 7]])).tolist() == [["low", ""], ["high", "medium"]]


def test_bad_risk_name():
    with pytest.raises(LiftriskError, match="low, medium, high"):
        risk_index("extreme")


def test_mapping_is_consistent_with_tlv_structure():
    # low = knuckle-to-shoulder zones within 60 cm; every "no known safe limit" zone is high
    tlv = tlv_table()
    for z in range(1, 13):
        r, c = zone_grid_position(z)
        risk, limit = zone_risk(z), tlv[(VERTICAL_ZONES[r], HORIZONTAL_ZONES[c])]
        if risk == "low":
            assert VERTICAL_ZONES[r] == "knuckle_to_shoulder" and HORIZONTAL_ZONES[c] != "extended"
        if np.isnan(limit):
            assert risk == "high"
