"""The one Anderson et al. (2007) table: one data file, one loader, one age mapping."""

import hashlib
from importlib import resources

import pytest

from liftrisk.core import Subject
from liftrisk.errors import DataQualityError
from liftrisk.kinetics import strength as kin_strength
from liftrisk.kinetics.strength_table import AGE_GROUPS, age_group, anderson_table
from liftrisk.predict import strength as pred_strength


@pytest.mark.parametrize(("age", "group"), [
    # Anderson et al. (2007) Table 3 age groups: 18-25, 55-65, >65 years (completed years)
    (18, "18-25"), (25, "18-25"), (25.99, "18-25"),
    (55, "55-65"), (65, "55-65"), (65.99, "55-65"),
    (66, ">65"), (90, ">65"),
    # between the groups: nearest group, the midpoint 40 to the older group
    (17, "18-25"), (26, "18-25"), (39.99, "18-25"), (40, "55-65"), (54, "55-65"),
    (None, "18-25"),
])
def test_age_group_band_edges(age, group):
    assert age_group(age) == group


def test_age_group_rejects_nonsense():
    with pytest.raises(DataQualityError, match="age"):
        age_group(-1.0)
    with pytest.raises(DataQualityError, match="age"):
        age_group(float("nan"))


def test_table_covers_every_cell_in_mean_and_sd():
    for stat in ("mean", "sd"):
        t = anderson_table(stat)
        keys = {(j, d, s, g) for j in ("hip", "knee", "ankle") for d in ("extension", "flexion")
                for s in ("male", "female") for g in AGE_GROUPS}
        assert set(t) == keys
    with pytest.raises(DataQualityError, match="statistic"):
        anderson_table("median")


def test_kinetics_and_predict_use_the_same_groups_and_coefficients():
    """Peak isometric knee-extension torque c1 W H (Anderson 2007 eq. 2 at theta = c3, omega = 0)
    from both strength models, at the ages where the two old copies disagreed (40)."""
    for age in (25, 40, 60, 70):
        s = Subject("male", 80.0, 1.80, age_years=age)
        c = anderson_table()[("knee", "extension", "male", age_group(age))]
        expected = c["c1"] * s.weight_n * s.height_m
        assert float(kin_strength.joint_strength(s, "knee", "extension")) == pytest.approx(expected, rel=1e-12)
        sym = pred_strength.smooth_joint_strength(s, "knee", "extension", c["c3"], 0.0, bilateral=False)
        # the predictor floors the cosine and velocity factors smoothly (1 + tiny at the peak)
        assert float(sym) == pytest.approx(expected, rel=1e-3)


def test_no_package_data_file_is_stored_twice():
    root = resources.files("liftrisk") / "data"
    seen: dict[str, str] = {}
    dupes = []

    def walk(d, rel=""):
        for e in d.iterdir():
            if e.is_dir():
                walk(e, f"{rel}{e.name}/")
            elif not e.name.endswith(".md"):
                h = hashlib.sha256(e.read_bytes()).hexdigest()
                if h in seen:
                    dupes.append((seen[h], f"{rel}{e.name}"))
                seen.setdefault(h, f"{rel}{e.name}")

    walk(root)
    assert not dupes, f"byte-identical data files (keep one, share its loader): {dupes}"
