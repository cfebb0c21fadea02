"""Sensor sites, channel order and the fixed sampling constants of the IMU classifier.

Snyder et al. 2021 ("Data collection" and Eq 1) use six IMUs (upper back/T12, left and
right wrist, dominant upper arm, waist/side, dominant thigh), each with a tri-axial
accelerometer and gyroscope sampled at 25 Hz, and a 30 s window:
6 IMUs x 2 sensors x 3 axes x 30 s x 25 frames/s = 27,000 features.

Channel names follow the project's IMU CSV layout (``liftrisk.io.read_imu_csv``):
``<site>_acc_<axis>_mps2`` (specific force, m/s²) and ``<site>_gyr_<axis>_radps``
(angular velocity, rad/s), axes in the sensor frame.
"""

from __future__ import annotations

#: Sensor sites, in the order used for every array of this package.
SITES: tuple[str, ...] = ("back", "l_wrist", "r_wrist", "upper_arm", "waist", "thigh")
#: Human-readable description of each site (Snyder et al. 2021, "Data collection").
SITE_DESCRIPTIONS: dict[str, str] = {
    "back": "upper back at T12",
    "l_wrist": "left wrist",
    "r_wrist": "right wrist",
    "upper_arm": "dominant upper arm",
    "waist": "waist (side)",
    "thigh": "dominant thigh",
}
KINDS: tuple[str, ...] = ("acc", "gyr")
AXES: tuple[str, ...] = ("x", "y", "z")
UNITS: dict[str, str] = {"acc": "mps2", "gyr": "radps"}

#: Sampling rate of the IMUs of Snyder et al. 2021 (Hz).
RATE_HZ: float = 25.0
#: Analysis window of Snyder et al. 2021 (s); shorter lifts are zero-padded.
WINDOW_S: float = 30.0
#: Frames per window (750 at 25 Hz).
N_FRAMES: int = int(round(RATE_HZ * WINDOW_S))


def sensor_names() -> list[str]:
    """The 12 sensors (one accelerometer and one gyroscope per site), e.g. ``back_acc``.

    Returns
    -------
    list of str
        12 names, ``<site>_acc`` / ``<site>_gyr``.

    Examples
    --------
    >>> sensor_names()[:3]
    ['back_acc', 'back_gyr', 'l_wrist_acc']
    """
    return [f"{site}_{kind}" for site in SITES for kind in KINDS]


def channel_names() -> list[str]:
    """The 36 channel (column) names in canonical order: site, then acc/gyr, then x, y, z.

    Returns
    -------
    list of str
        36 names, ``<site>_acc_<axis>_mps2`` (m/s²) and ``<site>_gyr_<axis>_radps`` (rad/s).

    Examples
    --------
    >>> names = channel_names()
    >>> len(names), names[0], names[3]
    (36, 'back_acc_x_mps2', 'back_gyr_x_radps')
    """
    return [f"{site}_{kind}_{axis}_{UNITS[kind]}" for site in SITES for kind in KINDS for axis in AXES]


N_SENSORS: int = len(SITES) * len(KINDS)
N_CHANNELS: int = N_SENSORS * len(AXES)
N_FEATURES: int = N_CHANNELS * N_FRAMES
