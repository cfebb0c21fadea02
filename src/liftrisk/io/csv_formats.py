"""liftrisk's documented CSV layouts: 3D keypoints and IMU data.

Keypoints CSV (one row per frame, liftrisk Z-up world frame, m)::

    time_s, <point>_x_m, <point>_y_m, <point>_z_m [, <point>_conf], ...

IMU CSV (one row per sample, sensor frame)::

    time_s, <sensor>_acc_x_mps2, <sensor>_acc_y_mps2, <sensor>_acc_z_mps2,
            <sensor>_gyr_x_radps, <sensor>_gyr_y_radps, <sensor>_gyr_z_radps, ...

An empty cell is a missing value (NaN). The IMU reader also accepts accelerations in g
(``_acc_x_g``, converted with g0 = 9.80665 m/s², the standard gravity of ISO 80000-3) and
angular rates in deg/s (``_gyr_x_degps``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.core.constants import STANDARD_GRAVITY_MPS2
from liftrisk.core.motion import Motion
from liftrisk.errors import DataQualityError, InputFileError
from liftrisk.io._common import atomic_write_text, check_positions, check_readable, check_writable

_KP_RE = re.compile(r"^(?P<point>.+)_(?P<axis>[xyz])_(?P<unit>m|mm)$")
_IMU_RE = re.compile(r"^(?P<sensor>.+)_(?P<kind>acc|gyr)_(?P<axis>[xyz])_(?P<unit>mps2|g|radps|degps)$")
_IMU_SCALE = {"mps2": 1.0, "g": STANDARD_GRAVITY_MPS2, "radps": 1.0, "degps": np.pi / 180.0}


def _read_table(path) -> pd.DataFrame:
    p = check_readable(path)
    try:
        df = pd.read_csv(p)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFileError(p, f"not a readable CSV file ({exc})", fix="save it as comma-separated text") from None
    except pd.errors.EmptyDataError:
        raise InputFileError(p, "the file has no header line", fix="export the data again") from None
    df.columns = [str(c).strip() for c in df.columns]
    if "time_s" not in df.columns:
        raise InputFileError(p, f"no 'time_s' column; the columns are {list(df.columns)[:8]}", field="time_s",
                             fix="name the time column 'time_s' (seconds)")
    if df.empty:
        raise InputFileError(p, "the file has a header but no rows", fix="export the data again")
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise InputFileError(p, f"columns {bad[:5]} are not numeric", field=bad[0],
                             fix="use '.' as decimal point and leave missing values empty")
    return df


def read_keypoints_csv(path) -> Motion:
    """Read 3D keypoints from liftrisk's keypoint CSV layout.

    Parameters
    ----------
    path : str or Path
        CSV with ``time_s`` and ``<point>_x_m``, ``<point>_y_m``, ``<point>_z_m`` columns
        (optionally ``<point>_conf`` in [0, 1]). ``_mm`` columns are accepted and converted.

    Returns
    -------
    Motion
        Z-up world frame, m (the layout is defined in that frame).

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> m = Motion.from_points({"r_wrist": np.ones((2, 3)), "l_wrist": np.zeros((2, 3))}, rate_hz=30.0)
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> write_keypoints_csv(m, f)
    >>> read_keypoints_csv(f).point_names
    ('r_wrist', 'l_wrist')
    """
    df = _read_table(path)
    points: dict[str, dict[str, np.ndarray]] = {}
    units: dict[str, str] = {}
    for c in df.columns:
        mt = _KP_RE.match(c)
        if mt:
            points.setdefault(mt["point"], {})[mt["axis"]] = df[c].to_numpy(float) * (1e-3 if mt["unit"] == "mm" else 1)
            units[mt["point"]] = mt["unit"]
    points = {k: v for k, v in points.items() if set(v) == {"x", "y", "z"}}
    if not points:
        raise InputFileError(path, "no keypoint columns named <point>_x_m, <point>_y_m, <point>_z_m",
                             fix="see docs/io.md for the keypoint CSV layout")
    names = list(points)
    pos = np.stack([np.column_stack([points[n][a] for a in "xyz"]) for n in names], axis=1)
    check_positions(pos, path, "/".join(sorted(set(units.values()))), "keypoint columns")
    conf = None
    if any(f"{n}_conf" in df.columns for n in names):
        conf = np.column_stack([df[f"{n}_conf"].to_numpy(float) if f"{n}_conf" in df.columns
                                else np.ones(len(df)) for n in names])
    return Motion(time_s=df["time_s"].to_numpy(float), positions_m=pos, point_names=tuple(names),
                  confidence=conf, source=str(path),
                  meta={"format": "keypoints_csv", "file_units": "m", "file_frame": "z_up"})


def write_keypoints_csv(motion: Motion, path, overwrite: bool = False, with_confidence: bool | None = None) -> None:
    """Write a Motion in liftrisk's keypoint CSV layout (m, Z-up world frame).

    Parameters
    ----------
    motion : Motion
    path : str or Path
        Output file; an existing file is kept unless `overwrite`.
    overwrite : bool
        Replace an existing file.
    with_confidence : bool, optional
        Write ``<point>_conf`` columns (default: when the motion has confidences).

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> m = Motion.from_points({"neck": np.zeros((1, 3))}, rate_hz=30.0)
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> write_keypoints_csv(m, f)
    >>> f.read_text().splitlines()[0]
    'time_s,neck_x_m,neck_y_m,neck_z_m'
    """
    p = check_writable(path, overwrite)
    cols = {"time_s": motion.time_s}
    conf = motion.confidence is not None if with_confidence is None else with_confidence
    for i, n in enumerate(motion.point_names):
        for j, a in enumerate("xyz"):
            cols[f"{n}_{a}_m"] = motion.positions_m[:, i, j]
        if conf:
            cols[f"{n}_conf"] = motion.point_confidence(n)
    atomic_write_text(p, pd.DataFrame(cols).to_csv(index=False, float_format="%.9g"))


@dataclass(frozen=True, eq=False)
class ImuRecording:
    """IMU samples per sensor, SI units, each sensor's own frame.

    Attributes
    ----------
    time_s : array (T,)
    rate_hz : float
    sensors : tuple of str
        Sensor names in file order.
    acc_mps2 : mapping sensor -> array (T, 3)
        Specific force (accelerometer output) in m/s².
    gyr_radps : mapping sensor -> array (T, 3)
        Angular rate in rad/s.
    source : str
        The file read, for messages.
    meta : Mapping
        Further header information, as read.
    """

    time_s: np.ndarray
    rate_hz: float
    sensors: tuple
    acc_mps2: Mapping
    gyr_radps: Mapping
    source: str = ""
    meta: Mapping = field(default_factory=dict)

    def stacked(self) -> np.ndarray:
        """(T, S, 6) array: acc x,y,z (m/s²) then gyr x,y,z (rad/s) per sensor in `sensors` order."""
        return np.stack([np.column_stack([self.acc_mps2[s], self.gyr_radps[s]]) for s in self.sensors], axis=1)


def read_imu_csv(path) -> ImuRecording:
    """Read IMU data from liftrisk's IMU CSV layout.

    Each sensor needs all six columns ``<sensor>_acc_{x,y,z}_mps2`` and
    ``<sensor>_gyr_{x,y,z}_radps`` (``_g`` and ``_degps`` are converted to SI).

    Parameters
    ----------
    path : str or os.PathLike
        IMU CSV file (``time_s`` and six columns per sensor).

    Returns
    -------
    ImuRecording

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "imu.csv"
    >>> cols = ["time_s"] + [f"pelvis_{k}_{a}_{u}" for k, u in (("acc", "g"), ("gyr", "degps")) for a in "xyz"]
    >>> _ = f.write_text(",".join(cols) + "\\n0,0,0,1,0,0,180\\n0.01,0,0,1,0,0,180\\n")
    >>> rec = read_imu_csv(f)
    >>> rec.sensors, round(float(rec.acc_mps2["pelvis"][0, 2]), 5), round(float(rec.gyr_radps["pelvis"][0, 2]), 5)
    (('pelvis',), 9.80665, 3.14159)
    """
    df = _read_table(path)
    found: dict[str, dict[str, np.ndarray]] = {}
    for c in df.columns:
        mt = _IMU_RE.match(c)
        if mt:
            found.setdefault(mt["sensor"], {})[f"{mt['kind']}_{mt['axis']}"] = \
                df[c].to_numpy(float) * _IMU_SCALE[mt["unit"]]
    if not found:
        raise InputFileError(path, "no IMU columns named <sensor>_acc_x_mps2 ... <sensor>_gyr_z_radps",
                             fix="see docs/io.md for the IMU CSV layout")
    need = {f"{k}_{a}" for k in ("acc", "gyr") for a in "xyz"}
    for s, cols in found.items():
        missing = sorted(need - set(cols))
        if missing:
            raise InputFileError(path, f"sensor {s!r} lacks columns {missing}", field=s,
                                 fix="give all six acc/gyr columns for every sensor")
    t = df["time_s"].to_numpy(float)
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise DataQualityError(f"{path} [time_s]: times are not strictly increasing; sort the rows or "
                               "drop repeated samples")
    all_vals = np.column_stack([v for cols in found.values() for v in cols.values()])
    if not np.isfinite(all_vals).any():
        raise DataQualityError(f"{path}: every IMU value is missing (NaN); check the export")
    rate = float(1.0 / np.median(np.diff(t))) if t.size > 1 else 0.0
    sensors = tuple(found)
    return ImuRecording(time_s=t, rate_hz=rate, sensors=sensors,
                        acc_mps2={s: np.column_stack([found[s][f"acc_{a}"] for a in "xyz"]) for s in sensors},
                        gyr_radps={s: np.column_stack([found[s][f"gyr_{a}"] for a in "xyz"]) for s in sensors},
                        source=str(path), meta={"format": "imu_csv"})


def write_imu_csv(rec: ImuRecording, path, overwrite: bool = False) -> None:
    """Write an ImuRecording in liftrisk's IMU CSV layout (m/s², rad/s).

    Parameters
    ----------
    rec : ImuRecording
        Samples (m/s², rad/s).
    path : str or os.PathLike
        Output file; an existing file is kept unless `overwrite`.
    overwrite : bool
        Replace an existing file.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> rec = ImuRecording(np.arange(3) / 100, 100.0, ("wrist",), {"wrist": np.zeros((3, 3))},
    ...                    {"wrist": np.ones((3, 3))})
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "imu.csv"
    >>> write_imu_csv(rec, f)
    >>> read_imu_csv(f).gyr_radps["wrist"][0].tolist()
    [1.0, 1.0, 1.0]
    """
    p = check_writable(path, overwrite)
    cols = {"time_s": np.asarray(rec.time_s, float)}
    for s in rec.sensors:
        for j, a in enumerate("xyz"):
            cols[f"{s}_acc_{a}_mps2"] = np.asarray(rec.acc_mps2[s])[:, j]
        for j, a in enumerate("xyz"):
            cols[f"{s}_gyr_{a}_radps"] = np.asarray(rec.gyr_radps[s])[:, j]
    atomic_write_text(p, pd.DataFrame(cols).to_csv(index=False, float_format="%.9g"))
