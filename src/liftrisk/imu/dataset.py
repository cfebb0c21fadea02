"""Dataset format of the IMU lift-risk classifier, loader and writer.

A dataset is a folder with

- ``labels.csv``: one row per trial (one lift), columns
  ``trial`` (path of the trial file relative to the folder), ``subject`` (any id),
  ``zone`` (ACGIH zone 1-12) and, optionally, ``risk`` (``low``/``medium``/``high``; when
  given it must agree with the zone under Snyder et al. 2021, Table 1, when absent it is derived);
  any further columns (height_m, sex, ...) are kept as metadata;
- one file per trial, ``.csv`` or ``.parquet`` (Parquet needs ``pyarrow``), in the project's
  IMU CSV layout: a ``time_s`` column then, for each site ``back, l_wrist, r_wrist,
  upper_arm, waist, thigh``, ``<site>_acc_{x,y,z}_mps2`` (specific force in the sensor frame,
  m/s², gravity included) and ``<site>_gyr_{x,y,z}_radps`` (angular velocity, rad/s).
  Extra columns are ignored; column order is free. Rate 25 Hz (others are resampled, see
  ``load_trial``); at most 30 s per trial.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import signal

from liftrisk.core.constants import STANDARD_GRAVITY_MPS2
from liftrisk.errors import DataQualityError, InputFileError
from liftrisk.imu.layout import RATE_HZ, SITES, WINDOW_S, channel_names
from liftrisk.imu.zones import RISK_LEVELS
from liftrisk.risk.acgih import zone_risk

LABELS_FILE = "labels.csv"
#: Standard gravity (m/s²), 3rd CGPM (1901), to convert accelerometer columns given in g.
#: Other units accepted for a channel (suffix -> factor to SI), as in ``liftrisk.io.read_imu_csv``.
ALT_UNITS = {"mps2": ("g", STANDARD_GRAVITY_MPS2), "radps": ("degps", np.pi / 180.0)}
#: Relative tolerance on the sampling rate before a trial counts as "not 25 Hz".
RATE_TOLERANCE = 0.02


@dataclass
class ImuDataset:
    """Trials and their labels.

    Attributes
    ----------
    trials : list of numpy.ndarray (T_i, 36)
        Raw signals at 25 Hz in ``channel_names()`` order.
    labels : pandas.DataFrame
        One row per trial: ``trial``, ``subject``, ``zone``, ``risk`` and metadata.
    """

    trials: list[np.ndarray]
    labels: pd.DataFrame

    def __post_init__(self) -> None:
        if len(self.trials) != len(self.labels):
            raise DataQualityError(f"{len(self.trials)} trials but {len(self.labels)} label rows")

    def __len__(self) -> int:
        return len(self.trials)

    @property
    def y(self) -> np.ndarray:
        """Risk level names (array of str)."""
        return self.labels["risk"].to_numpy(dtype=object).astype(str)

    @property
    def subjects(self) -> np.ndarray:
        """Subject id of each trial."""
        return self.labels["subject"].astype(str).to_numpy()

    def subset(self, index) -> ImuDataset:
        """Trials at the given positions."""
        idx = np.asarray(index, dtype=np.int64)
        return ImuDataset([self.trials[i] for i in idx], self.labels.iloc[idx].reset_index(drop=True))


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputFileError(path, "file not found", fix="check the path (relative to the dataset folder)")
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
    except ImportError as exc:
        raise InputFileError(path, f"cannot read Parquet ({exc})",
                             fix="install pyarrow, or store the trial as CSV") from None
    except (ValueError, pd.errors.ParserError, OSError) as exc:
        raise InputFileError(path, f"cannot be parsed ({exc})") from None
    raise InputFileError(path, f"extension {suffix!r} is not supported; expected .csv or .parquet")


def resample_to_rate(time_s: np.ndarray, data: np.ndarray, rate_hz: float = RATE_HZ) -> np.ndarray:
    """Resample signals sampled at a higher rate onto a uniform ``rate_hz`` grid.

    An order-4 zero-phase Butterworth low-pass at 0.8 x the new Nyquist frequency (anti-alias)
    is applied, then linear interpolation at ``t0 + k / rate_hz``.

    Parameters
    ----------
    time_s : numpy.ndarray
        (T,) sample times (s), increasing.
    data : numpy.ndarray
        (T, C) signals.
    rate_hz : float
        Target rate (Hz).

    Returns
    -------
    numpy.ndarray
        (T', C) signals on the uniform grid starting at ``time_s[0]``.

    Examples
    --------
    >>> t = np.arange(0, 4, 0.01); x = np.sin(2 * np.pi * 0.5 * t)[:, None]
    >>> y = resample_to_rate(t, x, 25.0)
    >>> y.shape, bool(abs(y[25:-25, 0] - np.sin(2 * np.pi * 0.5 * np.arange(25, 75) / 25)).max() < 0.01)
    ((100, 1), True)
    """
    t = np.asarray(time_s, dtype=float)
    x = np.asarray(data, dtype=float)
    src_rate = (len(t) - 1) / (t[-1] - t[0])
    if src_rate > rate_hz * (1 + RATE_TOLERANCE):
        sos = signal.butter(4, 0.8 * rate_hz / 2.0, btype="lowpass", fs=src_rate, output="sos")
        x = signal.sosfiltfilt(sos, x, axis=0, padlen=min(15, len(t) - 1))
    n = int(np.floor((t[-1] - t[0]) * rate_hz + 1e-9)) + 1
    tn = t[0] + np.arange(n) / rate_hz
    return np.column_stack([np.interp(tn, t, x[:, j]) for j in range(x.shape[1])])


def trial_from_frame(df: pd.DataFrame, source="<table>", on_rate_mismatch: str = "resample") -> np.ndarray:
    """Check and convert one trial table to a (T, 36) array at 25 Hz.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ``time_s`` and the 36 channels of ``channel_names()`` (any order, extras ignored).
    source : str
        Name used in error messages (file path).
    on_rate_mismatch : {"resample", "error"}
        What to do when the rate is not 25 Hz: resample a higher rate down to 25 Hz, or raise.
        A lower rate always raises (the 2-12 Hz band cannot be recovered).

    Returns
    -------
    numpy.ndarray, shape (T, 36)

    Examples
    --------
    >>> cols = {"time_s": np.arange(50) / 25.0} | {c: np.zeros(50) for c in channel_names()}
    >>> trial_from_frame(pd.DataFrame(cols)).shape
    (50, 36)
    """
    names = channel_names()
    df = _si_columns(df)
    if "time_s" not in df.columns:
        raise InputFileError(source, "no time_s column", field="time_s",
                             fix="add a time column in seconds named time_s")
    missing = [c for c in names if c not in df.columns]
    if missing:
        sites = sorted({c.split("_acc_")[0].split("_gyr_")[0] for c in missing})
        raise InputFileError(source, f"{len(missing)} IMU channel(s) missing (sensor site(s): {', '.join(sites)}; "
                             f"first: {missing[0]})", field=missing[0],
                             fix=f"provide <site>_acc_<x|y|z>_mps2 and <site>_gyr_<x|y|z>_radps for sites "
                                 f"{', '.join(SITES)}")
    t = pd.to_numeric(df["time_s"], errors="coerce").to_numpy(dtype=float)
    data = df[names].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if len(t) < 2:
        raise DataQualityError(f"{source}: {len(t)} frame(s); expected a lift of at least 2 frames")
    bad_rows = ~np.isfinite(data).all(axis=1)
    if bad_rows.any():
        cols_nan = [names[j] for j in np.flatnonzero(~np.isfinite(data).all(axis=0))]
        if bad_rows[np.argmax(bad_rows):].all():
            raise InputFileError(source, f"channels have mismatched lengths: {', '.join(cols_nan[:4])} end at "
                                 f"frame {int(np.argmax(bad_rows))} of {len(t)}", field=cols_nan[0],
                                 fix="trim all sensors to their common time span before saving")
        raise InputFileError(source, f"{int(bad_rows.sum())} frame(s) with missing or non-numeric values in "
                             f"{', '.join(cols_nan[:4])}", field=cols_nan[0], fix="fill the gaps or cut the trial")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise InputFileError(source, "time_s is not strictly increasing", field="time_s",
                             fix="sort the frames by time and drop duplicates")
    dt = np.diff(t)
    rate = 1.0 / np.median(dt)
    if abs(rate - RATE_HZ) > RATE_TOLERANCE * RATE_HZ or np.ptp(dt) > 0.5 / RATE_HZ:
        if rate < RATE_HZ * (1 - RATE_TOLERANCE):
            raise InputFileError(source, f"sampling rate is {rate:.2f} Hz; expected {RATE_HZ:g} Hz (a lower rate "
                                 "cannot carry the 2-12 Hz band)", field="time_s", fix="record at 25 Hz or more")
        if on_rate_mismatch != "resample":
            raise InputFileError(source, f"sampling rate is {rate:.2f} Hz; expected {RATE_HZ:g} Hz", field="time_s",
                                 fix="resample to 25 Hz, or load with on_rate_mismatch='resample'")
        data = resample_to_rate(t, data, RATE_HZ)
    if data.shape[0] > int(round(WINDOW_S * RATE_HZ)):
        raise DataQualityError(f"{source}: trial lasts {data.shape[0] / RATE_HZ:.1f} s; the classifier window is "
                               f"{WINDOW_S:g} s. Fix: cut the recording to one lift")
    return data


def _si_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Add SI columns for channels given in g or deg/s (``_acc_x_g``, ``_gyr_x_degps``)."""
    extra = {}
    for name in channel_names():
        if name in df.columns:
            continue
        stem, unit = name.rsplit("_", 1)
        alt_unit, factor = ALT_UNITS[unit]
        alt = f"{stem}_{alt_unit}"
        if alt in df.columns:
            extra[name] = pd.to_numeric(df[alt], errors="coerce") * factor
    return df.assign(**extra) if extra else df


def trial_from_recording(recording, sensor_map: dict[str, str] | None = None,
                         on_rate_mismatch: str = "resample") -> np.ndarray:
    """(T, 36) trial from an IMU recording of ``liftrisk.io.read_imu_csv``.

    Parameters
    ----------
    recording : object with ``time_s`` (T,), ``acc_mps2`` and ``gyr_radps`` (sensor -> (T, 3))
        E.g. ``liftrisk.io.read_imu_csv(path)``.
    sensor_map : dict, optional
        Classifier site -> sensor name in the recording (``{"back": "t12", ...}``); default: the
        same names (``back, l_wrist, r_wrist, upper_arm, waist, thigh``).
    on_rate_mismatch : {"resample", "error"}
        See ``trial_from_frame``.

    Returns
    -------
    numpy.ndarray
        (T, 36) trial at 25 Hz (m/s², rad/s) in ``channel_names()`` order.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> t = np.arange(50) / 25.0
    >>> rec = SimpleNamespace(time_s=t, acc_mps2={s: np.zeros((50, 3)) for s in SITES},
    ...                       gyr_radps={s: np.ones((50, 3)) for s in SITES}, source="demo.csv")
    >>> trial_from_recording(rec)[0, :6].tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    """
    smap = {s: s for s in SITES} | dict(sensor_map or {})
    source = getattr(recording, "source", "") or "<recording>"
    cols = {"time_s": np.asarray(recording.time_s, dtype=float)}
    for site in SITES:
        name = smap[site]
        if name not in recording.acc_mps2 or name not in recording.gyr_radps:
            raise InputFileError(source, f"sensor {name!r} (classifier site {site!r}) is not in the recording; "
                                 f"sensors are {sorted(recording.acc_mps2)}", field=name,
                                 fix="pass sensor_map={'site': 'sensor name', ...} for the six sites")
        for kind, store, unit in (("acc", recording.acc_mps2, "mps2"), ("gyr", recording.gyr_radps, "radps")):
            arr = np.asarray(store[name], dtype=float)
            for j, axis in enumerate("xyz"):
                cols[f"{site}_{kind}_{axis}_{unit}"] = arr[:, j]
    return trial_from_frame(pd.DataFrame(cols), source=source, on_rate_mismatch=on_rate_mismatch)


def load_trial(path, on_rate_mismatch: str = "resample") -> np.ndarray:
    """Read one trial file (.csv or .parquet) to a (T, 36) array at 25 Hz.

    See ``trial_from_frame`` for the checks and the rate handling.

    Parameters
    ----------
    path : str or os.PathLike
        Trial file with ``time_s`` and the 36 named channels.
    on_rate_mismatch : {"resample", "error"}
        What to do when the file is not at 25 Hz.

    Returns
    -------
    numpy.ndarray
        (T, 36) trial at 25 Hz (m/s², rad/s).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> trial_frame(np.zeros((50, 36))).to_csv(p, index=False)
    >>> load_trial(p).shape
    (50, 36)
    """
    p = Path(path)
    return trial_from_frame(_read_table(p), source=str(p), on_rate_mismatch=on_rate_mismatch)


def _check_labels(labels: pd.DataFrame, source) -> pd.DataFrame:
    for col in ("trial", "subject", "zone"):
        if col not in labels.columns:
            raise InputFileError(source, f"no {col!r} column; columns are {list(labels.columns)}", field=col,
                                 fix="labels.csv needs columns trial, subject, zone (and optionally risk)")
    lab = labels.copy()
    zones = pd.to_numeric(lab["zone"], errors="coerce")
    bad = ~zones.isin(range(1, 13))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFileError(source, f"row {i + 2}: zone is {labels['zone'].iloc[i]!r}; expected 1-12", field="zone")
    lab["zone"] = zones.astype(int)
    derived = lab["zone"].map(zone_risk)
    if "risk" in lab.columns and lab["risk"].notna().any():
        given = lab["risk"].astype(str).str.strip().str.lower()
        bad_name = ~given.isin(RISK_LEVELS)
        if bad_name.any():
            i = int(np.flatnonzero(bad_name.to_numpy())[0])
            raise InputFileError(source, f"row {i + 2}: risk is {labels['risk'].iloc[i]!r}; expected low, "
                                 "medium or high", field="risk")
        mism = given != derived
        if mism.any():
            i = int(np.flatnonzero(mism.to_numpy())[0])
            raise InputFileError(source, f"row {i + 2}: risk {given.iloc[i]!r} disagrees with zone "
                                 f"{lab['zone'].iloc[i]} ({derived.iloc[i]!r} in Snyder et al. 2021, Table 1)",
                                 field="risk",
                                 fix="correct the zone or the risk, or drop the risk column to derive it")
        lab["risk"] = given
    else:
        lab["risk"] = derived
    lab["subject"] = lab["subject"].astype(str)
    return lab


def load_dataset(root, on_rate_mismatch: str = "resample") -> ImuDataset:
    """Load a dataset folder (``labels.csv`` + one file per trial).

    Parameters
    ----------
    root : str or os.PathLike
        Dataset folder.
    on_rate_mismatch : {"resample", "error"}
        See ``trial_from_frame``.

    Returns
    -------
    ImuDataset

    Examples
    --------
    >>> import tempfile
    >>> from liftrisk.imu.synthetic import generate_dataset
    >>> ds = generate_dataset(n_subjects=1, trials_per_zone=1, zones=(4, 10))
    >>> root = write_dataset(tempfile.mkdtemp(), ds.trials, ds.labels).parent
    >>> len(load_dataset(root).trials)
    2
    """
    r = Path(root)
    if not r.is_dir():
        raise InputFileError(r, "dataset folder not found",
                             fix="give a folder with labels.csv (e.g. made by `liftrisk imu synth OUTDIR`)")
    labels = _check_labels(_read_table(r / LABELS_FILE), r / LABELS_FILE)
    trials = [load_trial(r / str(f), on_rate_mismatch) for f in labels["trial"]]
    return ImuDataset(trials, labels.reset_index(drop=True))


def trial_frame(data: np.ndarray, rate_hz: float = RATE_HZ) -> pd.DataFrame:
    """(T, 36) array -> table with ``time_s`` and the named channels.

    Parameters
    ----------
    data : numpy.ndarray
        (T, 36) trial (m/s², rad/s).
    rate_hz : float
        Sampling rate (Hz).

    Returns
    -------
    pandas.DataFrame
        ``time_s`` (s) and the 36 channel columns.

    Examples
    --------
    >>> list(trial_frame(np.zeros((3, 36))).columns[:2])
    ['time_s', 'back_acc_x_mps2']
    """
    a = np.asarray(data, dtype=float)
    df = pd.DataFrame(a, columns=channel_names())
    df.insert(0, "time_s", np.arange(a.shape[0]) / rate_hz)
    return df


def write_dataset(root, trials: Sequence[np.ndarray], labels: pd.DataFrame, fmt: str = "csv") -> Path:
    """Write trials and labels in the dataset format (``fmt`` = ``csv`` or ``parquet``).

    ``labels`` needs ``subject`` and ``zone`` (``trial`` file names are made when absent).
    Returns the path of ``labels.csv``.

    Parameters
    ----------
    root : str or os.PathLike
        Output folder (created).
    trials : sequence of numpy.ndarray
        (T_i, 36) trials at 25 Hz (m/s², rad/s).
    labels : pandas.DataFrame
        One row per trial (``subject``, ``zone``, ...).
    fmt : {"csv", "parquet"}
        File format of the trials.

    Returns
    -------
    pathlib.Path
        The ``labels.csv`` file written (its folder is the dataset).

    Examples
    --------
    >>> import tempfile
    >>> from liftrisk.imu.synthetic import generate_dataset
    >>> ds = generate_dataset(n_subjects=1, trials_per_zone=1, zones=(4,))
    >>> write_dataset(tempfile.mkdtemp(), ds.trials, ds.labels).name
    'labels.csv'
    """
    if fmt not in ("csv", "parquet"):
        raise DataQualityError(f"format is {fmt!r}; expected 'csv' or 'parquet'")
    r = Path(root)
    (r / "trials").mkdir(parents=True, exist_ok=True)
    lab = labels.copy().reset_index(drop=True)
    if "trial" not in lab.columns:
        lab.insert(0, "trial", [f"trials/trial_{i:04d}.{fmt}" for i in range(len(lab))])
    for name, data in zip(lab["trial"], trials, strict=True):
        df = trial_frame(data)
        if fmt == "csv":
            df.to_csv(r / name, index=False, float_format="%.6g")
        else:
            try:
                df.to_parquet(r / name, index=False)
            except ImportError as exc:
                raise DataQualityError(f"cannot write Parquet ({exc}). Fix: install pyarrow or use fmt='csv'") from None
    lab = _check_labels(lab, r / LABELS_FILE)
    lab.to_csv(r / LABELS_FILE, index=False)
    return r / LABELS_FILE
