"""Findings name joints the way a reader does ("L5/S1", "left knee"), never by a column key."""

from __future__ import annotations

import re

from liftrisk.core import HandLoad, Subject
from liftrisk.core.settings import AssessmentSettings
from liftrisk.pipeline import assess_motion
from liftrisk.report.findings import findings
from liftrisk.synthetic import synthetic_lift


def test_workload_finding_names_the_joint_for_a_reader():
    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s, 10.0, style="stoop")
    a = assess_motion(m.select([n for n in m.point_names if n != "box"]), s, HandLoad(10.0),
                      settings=AssessmentSettings(uncertainty_draws=0))
    text = " ".join(findings(a))
    assert "joint workload:" in text
    assert not re.search(r"\b(l5s1|[lr]_[a-z]+)\b", text), text   # no column keys
    joint = str(a.summary["peak_workload_joint"])
    expected = {"l5s1": "L5/S1"}.get(joint, joint.replace("l_", "left ").replace("r_", "right "))
    assert f"joint workload: {expected} at" in text


def test_findings_quote_the_compression_as_the_summary_card_shows_it():
    """The peak compression in the findings is the card's figure (to 10 N), not a second rounding."""
    s = Subject("male", 80.0, 1.78)
    m = synthetic_lift(s, 12.0, style="stoop")
    a = assess_motion(m.select([n for n in m.point_names if n != "box"]), s, HandLoad(12.0),
                      settings=AssessmentSettings(uncertainty_draws=0))
    text = " ".join(findings(a))
    c = float(a.summary["peak_compression_n"])
    card = f"{round(c, -1):,.0f}"          # the card rounds forces to 10 N
    assert f"Highest low-back compression: {card} N" in text, (c, text)
