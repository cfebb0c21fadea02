"""de Leva (1996) segment parameters for the lifting-prediction models.

A small adapter over :func:`liftrisk.kinetics.segments.de_leva_table` (the project's one copy
of de Leva Table 4) that scales whole rows to a :class:`~liftrisk.core.subject.Subject` for
the rigid 2D/3D prediction models (which have no measured motion to take lengths from).
Lengths scale with stature relative to de Leva's reference subjects (male 1.741 m, female
1.735 m), masses with body mass, radii of gyration with segment length.

Reference: de Leva P (1996) J Biomech 29:1223-1230, Table 4.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from liftrisk.core.subject import Subject
from liftrisk.errors import ModelError
from liftrisk.kinetics.segments import de_leva_table

#: Folder of the predict area's data files (with SOURCE.md).
DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "predict"

#: Stature (m) of de Leva's reference subjects (de Leva 1996, Table 1 / Table 4 heading).
REFERENCE_HEIGHT_M = {"male": 1.741, "female": 1.735}


@dataclass(frozen=True)
class ScaledSegment:
    """Scaled inertial parameters of one de Leva segment (SI units).

    Attributes
    ----------
    name : str
        de Leva segment name as in the table (e.g. ``"thigh"``).
    length_m : float
        Endpoint-to-endpoint length scaled to the subject's stature.
    mass_kg : float
        Segment mass.
    com_from_proximal_m : float
        Distance of the centre of mass from the proximal endpoint along the segment.
    inertia_sagittal_kgm2 : float
        Moment of inertia about the centre of mass for rotation in the sagittal plane
        (de Leva's "transverse" radius of gyration: axis medio-lateral).
    """

    name: str
    length_m: float
    mass_kg: float
    com_from_proximal_m: float
    inertia_sagittal_kgm2: float


def _table():
    return de_leva_table()


def de_leva_row(segment: str, sex: str) -> dict[str, float]:
    """Unscaled de Leva (1996) Table 4 row for one segment and sex.

    Parameters
    ----------
    segment : str
        Table segment name, e.g. ``"thigh"``, ``"upper_arm"``, ``"shank_alt_AJC"``.
    sex : {"male", "female"}

    Returns
    -------
    dict
        ``ref_segment_length_m``, ``mass_fraction_of_body``, ``com_fraction_from_proximal``,
        ``r_gyr_transverse_frac``.

    Examples
    --------
    >>> de_leva_row("thigh", "male")["mass_fraction_of_body"]
    0.1416
    """
    try:
        row = _table()[(segment, sex)]
    except KeyError:
        known = sorted({s for s, _ in _table()})
        raise ModelError(f"de Leva segment {segment!r} for sex {sex!r} is not in "
                         f"de Leva Table 4 (liftrisk.kinetics.segments); known segments: {known}") from None
    return {k: float(row[k]) for k in ("ref_segment_length_m", "mass_fraction_of_body", "com_fraction_from_proximal",
                                       "r_gyr_transverse_frac")}


def scaled_segment(subject: Subject, segment: str) -> ScaledSegment:
    """Scale one de Leva segment to a subject by stature (the rigid prediction models).

    Not `liftrisk.kinetics.segment_parameters`, which gives every segment with lengths
    measured from a motion.

    Parameters
    ----------
    subject : Subject
        Sex, body mass (kg) and stature (m).
    segment : str
        de Leva Table 4 segment name.

    Returns
    -------
    ScaledSegment

    Examples
    --------
    >>> p = scaled_segment(Subject("male", 73.0, 1.741), "thigh")
    >>> round(p.mass_kg, 3), round(p.length_m, 4)
    (10.337, 0.4222)
    """
    row = de_leva_row(segment, subject.sex)
    scale = subject.height_m / REFERENCE_HEIGHT_M[subject.sex]
    length = row["ref_segment_length_m"] * scale
    mass = row["mass_fraction_of_body"] * subject.mass_kg
    radius = row["r_gyr_transverse_frac"] * length
    return ScaledSegment(segment, length, mass, row["com_fraction_from_proximal"] * length,
                             mass * radius**2)
