"""A workload limited by a joint whose capacity uses a stand-in says so next to the figure."""

from __future__ import annotations

from importlib import resources

import pytest

from liftrisk.core import Subject
from liftrisk.io import read_motion
from liftrisk.pipeline import assess_motion
from liftrisk.report.findings import findings


@pytest.fixture(scope="module")
def demo():
    m = read_motion(resources.files("liftrisk") / "data" / "demo" / "demo_lift.trc")
    return assess_motion(m, Subject("male", 80, 1.78), 10.0)


def test_stand_in_named_next_to_the_workload(demo):
    hip = [x for x in findings(demo, dict(demo.summary, peak_workload_joint="r_hip")) if "workload" in x]
    assert hip and "stand-in" not in hip[0]
    sh = [x for x in findings(demo, dict(demo.summary, peak_workload_joint="r_shoulder")) if "workload" in x]
    assert "stand-in" in sh[0] and "abduction" in sh[0]
    back = [x for x in findings(demo, dict(demo.summary, peak_workload_joint="l5s1")) if "workload" in x]
    assert "0.60" in back[0]   # male trunk: female value / 0.60
