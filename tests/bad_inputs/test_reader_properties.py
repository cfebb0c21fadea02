"""Property-based tests (hypothesis) on the readers, from the outside (`liftrisk.io`):

- write -> read round trips of keypoint CSV and TRC give back the positions (m, Z-up) and
  times, within the precision the writers print (CSV %.9g: 5e-9 relative, times too; TRC 6 decimals in
  mm: 5e-10 m, taken as 1e-9 m; TRC times 6 decimals: 5e-7 s);
- arbitrary bytes, and valid files cut at any byte, either read or raise a LiftriskError
  (a clear message), never another exception.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from liftrisk.core import Motion
from liftrisk.core.skeletons import CANONICAL_POINTS
from liftrisk.errors import LiftriskError
from liftrisk.io import read_motion, write_keypoints_csv, write_trc

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def body_motions(draw):
    """Plausible bodies: 2-6 canonical points spread 0.2-2 m, 2-40 frames, some NaN."""
    k = draw(st.integers(2, 6))
    t = draw(st.integers(2, 40))
    rate = draw(st.sampled_from([25.0, 30.0, 50.0, 60.0, 100.0, 120.0]))
    names = draw(st.permutations(CANONICAL_POINTS))[:k]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    base = rng.uniform(-0.5, 0.5, size=(1, k, 3)) * draw(st.floats(0.4, 4.0))
    pos = base + rng.normal(scale=0.01, size=(t, k, 3)) + draw(st.floats(-3, 3))
    frac_nan = draw(st.sampled_from([0.0, 0.0, 0.1]))
    pos[rng.random((t, k)) < frac_nan] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames where every point is NaN
        extent = np.nanmax(np.nanmax(pos, axis=1) - np.nanmin(pos, axis=1))
    assume(np.isfinite(extent) and 0.2 <= extent <= 2.0)
    assume(np.isfinite(pos).all(axis=2).any(axis=0).all())  # every point seen at least once
    return Motion(time_s=np.arange(t) / rate, positions_m=pos, point_names=names, rate_hz=rate, source="gen")


def _same(a: Motion, b: Motion, atol_m: float, atol_s: float) -> None:
    assert b.point_names == a.point_names
    np.testing.assert_allclose(b.time_s, a.time_s, atol=atol_s, rtol=0)
    np.testing.assert_array_equal(np.isnan(b.positions_m), np.isnan(a.positions_m))
    np.testing.assert_allclose(b.positions_m, a.positions_m, atol=atol_m, rtol=5e-9, equal_nan=True)


@FAST
@given(m=body_motions())
def test_keypoints_csv_round_trip(tmp_path, m):
    f = tmp_path / f"kp{np.random.default_rng().integers(1 << 30)}.csv"
    write_keypoints_csv(m, f)
    _same(m, read_motion(f), atol_m=1e-12, atol_s=5e-9 * m.time_s[-1])


@pytest.mark.filterwarnings("ignore:.*probably z_up")  # random point clouds are not upright bodies
@FAST
@given(m=body_motions(), units=st.sampled_from(["mm", "m"]))
def test_trc_round_trip_y_up_file_z_up_inside(tmp_path, m, units):
    f = tmp_path / f"m{np.random.default_rng().integers(1 << 30)}.trc"
    write_trc(m, f, units=units)
    _same(m, read_motion(f), atol_m=1e-9 if units == "mm" else 1e-6, atol_s=5e-7)


SUFFIXES = [".trc", ".csv", ".json", ".c3d"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2000),
                      st.text(max_size=600).map(lambda s: s.encode("utf-8", "surrogatepass")),
                      st.lists(st.sampled_from(["time_s", "neck_x_m", "neck_y_m", "neck_z_m", ",", "\n", "0", "1e9",
                                                "nan", "-", "PathFileType\t4\n", "{", "}", "[", "]", '"frames"',
                                                ":", "\t", "inf", "Units", "mm", "1.5"]),
                               max_size=60).map(lambda xs: "".join(xs).encode())),
       suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_read_or_clear_error(tmp_path, data, suffix):
    f = tmp_path / f"x{np.random.default_rng().integers(1 << 30)}{suffix}"
    f.write_bytes(data)
    try:
        m = read_motion(f)
    except LiftriskError as exc:
        assert str(exc)  # a message, not an empty error
        return
    assert isinstance(m, Motion)


@pytest.fixture(scope="module")
def valid_files(tmp_path_factory):
    from liftrisk.core import Subject
    from liftrisk.synthetic.body import neutral_body

    d = tmp_path_factory.mktemp("valid")
    m = neutral_body(Subject("female", 60, 1.65), n_frames=8)
    write_trc(m, d / "a.trc")
    write_keypoints_csv(m, d / "a.csv")
    return {s: (d / f"a{s}").read_bytes() for s in (".trc", ".csv")}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".trc", ".csv"]), cut=st.floats(0.0, 1.0))
def test_truncated_valid_files_read_or_clear_error(tmp_path, valid_files, suffix, cut):
    data = valid_files[suffix]
    f = tmp_path / f"t{np.random.default_rng().integers(1 << 30)}{suffix}"
    f.write_bytes(data[: int(cut * len(data))])
    try:
        m = read_motion(f)
    except LiftriskError as exc:
        assert str(exc)
        return
    assert isinstance(m, Motion) and m.n_frames >= 1
