"""Whole-body centre of mass from the segments' masses and centres (de Leva 1996), and its
low-pass path for monocular video.

The whole-body centre of mass is the mass-weighted mean of the segment centres of mass
(`liftrisk.kinetics.segments.segment_parameters`); segments whose end points are missing
from the motion are left out of both sums.
"""

from __future__ import annotations

import numpy as np

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.kinetics.segments import segment_parameters
from liftrisk.processing import lowpass


def centre_of_mass_m(motion: Motion, subject: Subject) -> np.ndarray:
    """(T, 3) whole-body centre of mass (de Leva segment masses and COM positions), m.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres (Z-up world, m).
    subject : Subject
        Body mass and sex for the segment parameters.

    Returns
    -------
    numpy.ndarray (T, 3)
        Centre of mass in the motion's frame, m; NaN when no segment is complete.

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> c = centre_of_mass_m(demo_posture(12), Subject("male", 80, 1.78))
    >>> bool(0.8 < c[0, 2] < 1.1)
    True
    """
    num = np.zeros((motion.n_frames, 3))
    mass = 0.0
    for p in segment_parameters(subject).values():
        if motion.has(p.proximal, p.distal):
            num += p.mass_kg * p.com(motion)
            mass += p.mass_kg
    return num / mass if mass > 0 else np.full((motion.n_frames, 3), np.nan)


def smooth_centre_of_mass(motion: Motion, subject: Subject, cutoff_hz: float) -> Motion:
    """Translate every point so that the whole-body centre of mass follows its own low-pass
    path (zero-phase 2nd-order Butterworth at `cutoff_hz`, Hz); the pose relative to the
    centre of mass is unchanged.

    From one camera the body's position along the camera axis comes from its size in pixels
    and the detector's relative depths jitter by about a centimetre; at 6 Hz that is
    (2 pi 6)^2 x 0.01 m = 14 m/s2 of whole-body acceleration, which top-down and whole-body
    inverse dynamics turn into force (m a). A person's centre of mass moves slowly in lifting
    and walking (its accelerations are a few m/s2, content below ~2 Hz), so its path is
    filtered harder than the joints (6 Hz), as the root translation is in
    `liftrisk.pose.lift_monocular`. Frames without a centre of mass are not moved.

    Parameters
    ----------
    motion : Motion
        Canonical joint centres with L5/S1 (Z-up world, m).
    subject : Subject
        Segment masses.
    cutoff_hz : float
        Cut-off of the centre of mass path, Hz (0, or at least half the frame rate: no change).

    Returns
    -------
    Motion
        The same points, translated per frame (m).

    Examples
    --------
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> s = Subject("male", 80, 1.78)
    >>> m = demo_posture(60)
    >>> shaken = m.replace(positions_m=m.positions_m + 0.01 * np.sin(np.arange(60) * 2.5)[:, None, None])
    >>> c = centre_of_mass_m(smooth_centre_of_mass(shaken, s, 1.0), s)
    >>> bool(np.ptp(c[20:40, 0]) < 0.004)
    True
    """
    if not cutoff_hz or cutoff_hz >= motion.rate_hz / 2 or motion.n_frames < 15:
        return motion
    com = centre_of_mass_m(motion, subject)
    smooth = lowpass(com, cutoff_hz, rate_hz=motion.rate_hz)
    return motion.replace(positions_m=motion.positions_m + np.nan_to_num(smooth - com)[:, None, :])
