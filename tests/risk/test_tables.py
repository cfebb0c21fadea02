"""Every cell of the packaged risk tables against the project's reference files and
published checks (worked cases, the RULA paper's text, the partial RULA Table B)."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from liftrisk.risk import tables
from liftrisk.risk.reba import reba

COPIES = ["reba_table_A.csv", "reba_table_B.csv", "reba_table_C.csv", "reba_tables_meta.json",
          "niosh_table1_horizontal_multiplier.csv", "niosh_table2_vertical_multiplier.csv",
          "niosh_table3_distance_multiplier.csv", "niosh_table4_asymmetric_multiplier.csv",
          "niosh_table5_frequency_multiplier.csv", "niosh_table7_coupling_multiplier.csv",
          "niosh_rnle_rules_and_examples.json", "acgih_lifting_tlv_table1.csv"]


@pytest.mark.parametrize("name", COPIES)
def test_package_copy_equals_reference_file(shared_data, name):
    ref = shared_data / "reference_numbers" / name
    if not ref.exists():
        pytest.skip(f"{ref} not available")
    assert filecmp.cmp(ref, tables.data_path(name), shallow=False)


def _ref(shared_data, name):
    p = shared_data / "reference_numbers" / name
    if not p.exists():
        pytest.skip(f"{p} not available")
    return pd.read_csv(p)


def test_reba_table_a_every_cell(shared_data):
    df = _ref(shared_data, "reba_table_A.csv")
    arr = tables.reba_table_a()
    assert len(df) == 5 * 3 * 4
    for r in df.itertuples():
        assert arr[r.trunk, r.neck, r.legs] == r.score_A_posture, r


def test_reba_table_b_every_cell(shared_data):
    df = _ref(shared_data, "reba_table_B.csv")
    arr = tables.reba_table_b()
    assert len(df) == 6 * 2 * 3
    for r in df.itertuples():
        assert arr[r.upper_arm, r.lower_arm, r.wrist] == r.score_B_posture, r


def test_reba_table_c_every_cell(shared_data):
    df = _ref(shared_data, "reba_table_C.csv")
    arr = tables.reba_table_c()
    assert df.shape == (12, 13)
    for r in df.itertuples(index=False):
        for b in range(1, 13):
            assert arr[r.score_A, b] == getattr(r, f"score_B_{b}"), (r.score_A, b)


def test_package_tables_parse_every_cell_of_package_csv():
    """The loaded arrays hold every cell of the package CSVs (and nothing else non-zero)."""
    for name, fn, keys, val in (("reba_table_A.csv", tables.reba_table_a, ["trunk", "neck", "legs"],
                                 "score_A_posture"),
                                ("reba_table_B.csv", tables.reba_table_b, ["upper_arm", "lower_arm", "wrist"],
                                 "score_B_posture"),
                                ("rula_table_A.csv", tables.rula_table_a,
                                 ["upper_arm", "lower_arm", "wrist", "wrist_twist"], "score_A_posture"),
                                ("rula_table_B.csv", tables.rula_table_b, ["neck", "trunk", "legs"],
                                 "score_B_posture")):
        df = tables.read_csv(name)
        arr = fn()
        for r in df.itertuples(index=False):
            assert arr[tuple(getattr(r, k) for k in keys)] == getattr(r, val)
        assert np.count_nonzero(arr) == len(df)


def test_rula_table_b_agrees_with_partial_reference(shared_data):
    df = _ref(shared_data, "rula_table_B_partial.csv")
    arr = tables.rula_table_b()
    assert len(df) == 48
    for r in df.itertuples():
        assert arr[r.neck, r.trunk, r.legs] == r.score_B_posture, r


def test_rula_table_shapes_and_ranges():
    a, b, c = tables.rula_table_a(), tables.rula_table_b(), tables.rula_table_c()
    assert a[1:, 1:, 1:, 1:].shape == (6, 3, 4, 2) and a[1:, 1:, 1:, 1:].min() == 1 and a.max() == 9
    assert b[1:, 1:, 1:].shape == (6, 6, 2) and b[1:, 1:, 1:].min() == 1 and b.max() == 9
    assert c[1:, 1:].shape == (8, 7) and c[1:, 1:].min() == 1 and c.max() == 7


@pytest.mark.parametrize("fn", [tables.rula_table_a, tables.rula_table_b, tables.rula_table_c,
                                tables.reba_table_a, tables.reba_table_b, tables.reba_table_c])
def test_tables_never_decrease_along_any_axis(fn):
    """A worse body-part score never lowers a published table's value."""
    t = fn()
    t = t[tuple(slice(1, None) for _ in t.shape)]
    for ax in range(t.ndim):
        assert (np.diff(t, axis=ax) >= 0).all(), ax


def test_rula_table_c_matches_paper_text():
    """McAtamney & Corlett (1993), "Stage 3" text: a grand score of 1 or 2 means both scores C and D
    were 2 or less (posture scores 2 or less, muscle use and force 0)."""
    c = tables.rula_table_c()
    for i in range(1, 9):
        for j in range(1, 8):
            assert (c[i, j] <= 2) == (i <= 2 and j <= 2), (i, j)


def test_rula_table_a_spot_cells_from_worksheet_text():
    """Cells legible in the worksheet text layer (scribd.com/document/36693774) that all
    sources agree on: row UA1/LA1, UA5/LA1, UA5/LA3, UA6/LA3."""
    a = tables.rula_table_a()
    rows = {(1, 1): [1, 2, 2, 2, 2, 3, 3, 3], (5, 1): [5, 5, 5, 5, 5, 6, 6, 7],
            (5, 3): [6, 6, 6, 7, 7, 7, 7, 8], (6, 3): [9] * 8}
    for (ua, la), vals in rows.items():
        got = [a[ua, la, w, t] for w in range(1, 5) for t in (1, 2)]
        assert got == vals, (ua, la)


@pytest.mark.parametrize("wrist_deg, expected", [(20.0, (2, 2, 2, 1, 2, 3, 4, 3, 4, 4)),
                                                 (10.0, (2, 2, 2, 1, 2, 2, 4, 2, 4, 4))])
def test_reba_worked_cases_rs9000(wrist_deg, expected):
    """Third-party worked cases (github.com/rs9000/ergonomics README, 'Pose Left'/'Pose Right'):
    neck 2, trunk 2, legs 2, upper arm 1, lower arm 2, wrist 3 (left) or 2 (right) ->
    A 4, B 3 / 2, C 4, REBA 4 (no load, good coupling, no activity)."""
    angles = {"trunk_flexion_deg": [10.0], "neck_flexion_deg": [25.0], "knee_flexion_deg": [40.0],
              "upper_arm_flexion_deg": [10.0], "elbow_flexion_deg": [40.0], "wrist_flexion_deg": [wrist_deg],
              "wrist_deviation_deg": [20.0]}
    r = reba(angles).iloc[0]
    parts = (r.neck, r.trunk, r.legs, r.upper_arm, r.lower_arm, r.wrist, r.score_a, r.score_b, r.table_c, r.reba)
    assert parts == expected
