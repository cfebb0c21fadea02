"""Dataset format: round trip, and clear errors for bad files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from liftrisk.errors import DataQualityError, InputFileError
from liftrisk.imu.dataset import (
    load_dataset,
    load_trial,
    trial_frame,
    trial_from_frame,
    trial_from_recording,
    write_dataset,
)


def _trial(n=100, rate=25.0, f_hz=3.0):
    t = np.arange(n) / rate
    data = np.tile(np.sin(2 * np.pi * f_hz * t)[:, None], (1, 36)) + np.arange(36)[None, :]
    df = trial_frame(data)
    df["time_s"] = t
    return df, data


def test_round_trip_csv(tmp_path, tiny_dataset):
    sub = tiny_dataset.subset(range(3))
    write_dataset(tmp_path, sub.trials, sub.labels)
    back = load_dataset(tmp_path)
    assert list(back.y) == list(sub.y) and list(back.subjects) == list(sub.subjects)
    for a, b in zip(back.trials, sub.trials, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)   # 6 significant digits in the CSV


def test_risk_derived_when_absent(tmp_path):
    _, data = _trial()
    write_dataset(tmp_path, [data, data], pd.DataFrame({"subject": ["a", "b"], "zone": [4, 12]}))
    assert list(load_dataset(tmp_path).y) == ["low", "high"]


def test_risk_zone_disagreement(tmp_path):
    _, data = _trial()
    with pytest.raises(InputFileError, match="disagrees with zone 4"):
        write_dataset(tmp_path, [data], pd.DataFrame({"subject": ["a"], "zone": [4], "risk": ["high"]}))


def test_missing_sensor_names_site(tmp_path):
    df, _ = _trial()
    df = df.drop(columns=[c for c in df.columns if c.startswith("thigh_")])
    with pytest.raises(InputFileError, match="thigh"):
        trial_from_frame(df, "x.csv")


def test_missing_labels_column(tmp_path):
    pd.DataFrame({"trial": ["a.csv"], "zone": [3]}).to_csv(tmp_path / "labels.csv", index=False)
    with pytest.raises(InputFileError, match="subject"):
        load_dataset(tmp_path)


def test_missing_folder_and_file(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        load_dataset(tmp_path / "nope")
    with pytest.raises(InputFileError, match="not found"):
        load_trial(tmp_path / "nope.csv")
    (tmp_path / "x.txt").write_text("1")
    with pytest.raises(InputFileError, match="expected .csv or .parquet"):
        load_trial(tmp_path / "x.txt")


def test_higher_rate_is_resampled_preserving_a_sine():
    t = np.arange(0, 8, 0.01)                      # 100 Hz
    cols = {"time_s": t}
    for j, c in enumerate(trial_frame(np.zeros((1, 36))).columns[1:]):
        cols[c] = np.sin(2 * np.pi * 3.0 * t) + j
    out = trial_from_frame(pd.DataFrame(cols))
    assert out.shape == (200, 36)
    tn = np.arange(200) / 25.0
    # 3 Hz passes the 10 Hz anti-alias low-pass nearly unchanged (order-4 Butterworth, zero phase)
    np.testing.assert_allclose(out[20:-20, 0], np.sin(2 * np.pi * 3.0 * tn[20:-20]), atol=0.03)
    with pytest.raises(InputFileError, match="100.00 Hz"):
        trial_from_frame(pd.DataFrame(cols), on_rate_mismatch="error")


def test_lower_rate_is_an_error():
    df, _ = _trial(rate=10.0)
    with pytest.raises(InputFileError, match="10.00 Hz"):
        trial_from_frame(df)


def test_mismatched_lengths_reported():
    df, _ = _trial()
    df.loc[80:, "r_wrist_gyr_z_radps"] = np.nan
    with pytest.raises(InputFileError, match="mismatched lengths: r_wrist_gyr_z_radps end at frame 80"):
        trial_from_frame(df, "t.csv")


def test_gap_and_time_errors():
    df, _ = _trial()
    df.loc[10, "back_acc_x_mps2"] = np.nan
    with pytest.raises(InputFileError, match="missing or non-numeric"):
        trial_from_frame(df)
    df, _ = _trial()
    df.loc[5, "time_s"] = 0.0
    with pytest.raises(InputFileError, match="strictly increasing"):
        trial_from_frame(df)
    with pytest.raises(InputFileError, match="time_s"):
        trial_from_frame(df.drop(columns="time_s"))


def test_too_long_trial():
    df, _ = _trial(n=800)
    with pytest.raises(DataQualityError, match="32.0 s"):
        trial_from_frame(df)


def test_parquet_needs_pyarrow(tmp_path):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        df, data = _trial()
        with pytest.raises(DataQualityError, match="pyarrow"):
            write_dataset(tmp_path, [data], pd.DataFrame({"subject": ["a"], "zone": [1]}), fmt="parquet")
        return
    df, data = _trial()
    write_dataset(tmp_path, [data], pd.DataFrame({"subject": ["a"], "zone": [1]}), fmt="parquet")
    np.testing.assert_allclose(load_dataset(tmp_path).trials[0], data)


def test_g_and_degps_columns_are_converted():
    df, data = _trial()
    for c in list(df.columns):
        if c.startswith("waist_acc_"):
            df[c.replace("_mps2", "_g")] = df.pop(c) / 9.80665
        if c.startswith("thigh_gyr_"):
            df[c.replace("_radps", "_degps")] = np.rad2deg(df.pop(c))
    np.testing.assert_allclose(trial_from_frame(df), data, atol=1e-12)


def test_from_io_recording(tmp_path):
    """Round trip through the io area's reader when it is available."""
    io = pytest.importorskip("liftrisk.io.csv_formats")
    if not hasattr(io, "read_imu_csv"):
        pytest.skip("liftrisk.io.read_imu_csv not available")
    df, data = _trial()
    df.to_csv(tmp_path / "t.csv", index=False)
    np.testing.assert_allclose(trial_from_recording(io.read_imu_csv(tmp_path / "t.csv")), data, atol=1e-9)
    with pytest.raises(InputFileError, match="sensor_map"):
        trial_from_recording(io.read_imu_csv(tmp_path / "t.csv"), sensor_map={"back": "t12"})
