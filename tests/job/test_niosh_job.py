"""NIOSH job level: CLI and VLI from measured lifts (Waters et al. 1994/2021; 2016)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftrisk.job.niosh_job import SampledLift, composite_index, lift_indices, variable_index
from liftrisk.risk.niosh import NioshTask, task_indices

geom = st.tuples(st.floats(0.25, 0.6), st.floats(0.0, 1.7), st.floats(0, 90))


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 30), geom, geom, st.floats(0.2, 10), st.sampled_from([1.0, 2.0, 8.0]),
       st.sampled_from(["good", "fair", "poor"]))
def test_cli_and_vli_reduce_to_single_task_li(load, o, d, f, hours, coupling):
    """One task of one lift: CLI = VLI = that task's STLI (manual p. 28; Waters 2016)."""
    s = SampledLift(load, o, d, max(abs(d[1] - o[1]), 0.0), f, coupling)
    stli = task_indices(NioshTask(load, o, s.d_m, f, coupling, d), hours)["STLI"]
    cli = composite_index([([s], f)], hours)["CLI"]
    vli = variable_index([s], hours)["VLI"]
    if stli == float("inf"):
        assert cli == vli == float("inf")
    else:
        assert cli == pytest.approx(stli, rel=1e-12)
        assert vli == pytest.approx(stli, rel=1e-12)


def test_identical_lifts_split_over_tasks_equal_one_task():
    """The same lift split into two tasks at f/2 each gives the single task's LI at f."""
    s = SampledLift(12.0, (0.4, 0.3, 0.0), (0.4, 1.0, 0.0), 0.7, 1.0, "fair")
    whole = task_indices(NioshTask(12.0, (0.4, 0.3, 0.0), 0.7, 2.0, "fair", (0.4, 1.0, 0.0)), 8.0)["STLI"]
    half = SampledLift(12.0, (0.4, 0.3, 0.0), (0.4, 1.0, 0.0), 0.7, 1.0, "fair")
    assert composite_index([([s], 1.0), ([half], 1.0)], 8.0)["CLI"] == pytest.approx(whole)
    assert variable_index([s, half], 8.0)["VLI"] == pytest.approx(whole)


def test_vli_six_categories_and_bounds():
    lifts = [SampledLift(m, (0.3 + 0.02 * i, 0.5, 0.0), (0.3, 0.9, 0.0), 0.4, 0.25, "good")
             for i, m in enumerate([5, 7, 9, 11, 13, 15, 17, 19, 21, 23])]
    r = variable_index(lifts, 8.0)
    assert len(r["categories"]) <= 6
    assert sum(c["lifts_per_min"] for c in r["categories"]) == pytest.approx(2.5)
    assert sum(len(c["lifts"]) for c in r["categories"]) == len(lifts)
    worst = max(c["stli"] for c in r["categories"])
    assert r["VLI"] >= worst
    fili = [lift_indices(s, 8.0)["FILI"] for s in lifts]
    # more total frequency can only raise the index above the worst single lift at its own rate
    assert r["VLI"] >= max(fili)


@given(st.floats(0.5, 5.0), st.floats(0.5, 5.0))
@settings(deadline=None)
def test_more_frequent_lifting_never_lowers_cli(f1, f2):
    s = SampledLift(10.0, (0.35, 0.4, 0.0), (0.35, 1.0, 0.0), 0.6, 1.0, "good")
    lo, hi = sorted((f1, f2))
    assert composite_index([([s], hi)], 8.0)["CLI"] >= composite_index([([s], lo)], 8.0)["CLI"] - 1e-12
