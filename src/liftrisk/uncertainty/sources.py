"""The input uncertainties of an assessment and how each is drawn (SI units).

Every Monte Carlo draw (`liftrisk.uncertainty.propagate`) perturbs the inputs below. Where a
published variability was available it is cited; where it could not be read, the value is
an assumption and says so (docs/uncertainty.md lists them).

=========================  ===========================================================  ==========
input                      distribution per draw                                        source
=========================  ===========================================================  ==========
point positions            Gaussian, per point and frame, SD from the data's own          measured
                           jitter, detector confidence and reprojection error, at least
                           ``position_noise_m`` (`liftrisk.uncertainty.noise`)
body mass                  Gaussian, SD ``mass_tolerance_kg``                            setting
stature                    Gaussian, SD ``stature_tolerance_m``                          setting
hand load                  Gaussian factor, SD ``hand_load_tolerance``                   setting
segment masses             Gaussian factor per segment, CV 10 %, renormalised to the     assumption
                           body mass                                                     (see below)
segment CoM positions      Gaussian shift, SD 2 % of the segment length                  assumption
radii of gyration          Gaussian factor, CV 5 %                                       assumption
joint-centre method        constant offset per draw of the hips, shoulders and L5/S1,    assumption
                           SD 10 mm (marker regressions) / 20 mm (video keypoints)
erector moment arm         uniform 0.045-0.055 m (Chaffin's 0.05 m +- 10 %)              assumption
low-pass cut-off           uniform ``cutoff_hz`` +- ``cutoff_tolerance_hz``              setting
=========================  ===========================================================  ==========

de Leva (1996) Table 4 publishes means only; the between-subject spread of the underlying
Zatsiorsky-Seluyanov gamma-scan sample was not available here, so the segment-parameter
spreads above are stated assumptions, not published coefficients. The erector moment arm
of 0.05 m is Chaffin et al. (2006); MRI studies (Jorgensen et al. 2001) measured the
lever arms at L5/S1 person by person, but their table could not be read here: the +- 10 %
range is an assumption centred on the value the assessment uses, so the bands stay centred
on its figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from liftrisk.core.subject import Subject
from liftrisk.kinetics.segments import SegmentParams, segment_parameters
from liftrisk.kinetics.spine import ERECTOR_MOMENT_ARM_M

#: Segment-parameter spreads (assumptions; see the module docstring).
SEGMENT_MASS_CV = 0.10
SEGMENT_COM_SD_FRACTION = 0.02
SEGMENT_RADIUS_CV = 0.05
#: Joint-centre method offsets, m (assumptions): marker regressions / video keypoints.
JOINT_CENTRE_OFFSET_SD_M = {"markers": 0.010, "keypoints": 0.020, "canonical": 0.010}
#: Points moved by the joint-centre offset (each draw: one offset per point).
OFFSET_POINTS = ("l_hip", "r_hip", "mid_hip", "l_shoulder", "r_shoulder", "neck", "l5s1")
#: Erector spinae moment arm range, m (Chaffin et al. 2006's 0.05 m +- 10 %: an assumption).
MOMENT_ARM_RANGE_M = (0.045, 0.055)


@dataclass(frozen=True)
class GroupInputs:
    """The inputs one group of draws shares (scalars drawn once per group).

    Attributes
    ----------
    subject : Subject with the drawn mass (kg) and stature (m).
    params : de Leva segment parameters with drawn masses, CoM fractions and radii.
    load_factor : multiplies the hand load.
    cutoff_hz : low-pass cut-off, Hz.
    moment_arm_m : erector moment arm, m.
    """

    subject: Subject
    params: dict
    load_factor: float
    cutoff_hz: float
    moment_arm_m: float


def _perturbed_params(subject: Subject, rng: np.random.Generator, vary: bool = True) -> dict[str, SegmentParams]:
    base = segment_parameters(subject)
    if not vary:
        return base
    names = list(base)
    k = np.clip(1.0 + SEGMENT_MASS_CV * rng.standard_normal(len(names)), 0.5, 1.5)
    masses = np.array([base[n].mass_kg for n in names]) * k
    masses *= subject.mass_kg / masses.sum()  # the segments still make up the body
    out = {}
    for i, n in enumerate(names):
        p = base[n]
        com = float(np.clip(p.com_fraction + SEGMENT_COM_SD_FRACTION * rng.standard_normal(), 0.05, 0.95))
        radii = tuple(float(r * np.clip(1.0 + SEGMENT_RADIUS_CV * rng.standard_normal(), 0.7, 1.3))
                      for r in p.radii_of_gyration)
        out[n] = replace(p, mass_kg=float(masses[i]), mass_fraction=float(masses[i] / subject.mass_kg),
                         com_fraction=com, radii_of_gyration=radii)
    return out


ALL = frozenset({"mass", "stature", "segments", "hand_load", "cutoff", "moment_arm"})


def draw_group_inputs(subject: Subject, settings, rng: np.random.Generator, vary=ALL) -> GroupInputs:
    """Draw the per-group inputs (mass, stature, segment parameters, load, cut-off, moment arm).

    Parameters
    ----------
    subject : Subject
        As entered.
    settings : AssessmentSettings
        Tolerances (``mass_tolerance_kg``, ``stature_tolerance_m``, ``hand_load_tolerance``,
        ``cutoff_hz``, ``cutoff_tolerance_hz``).
    rng : numpy.random.Generator
    vary : set of str
        Which of ``mass``, ``stature``, ``segments``, ``hand_load``, ``cutoff``, ``moment_arm``
        are drawn (the others stay as entered: Chaffin's 0.05 m for the moment arm).

    Returns
    -------
    GroupInputs

    Examples
    --------
    >>> from liftrisk.core.settings import AssessmentSettings
    >>> g = draw_group_inputs(Subject("male", 80, 1.78), AssessmentSettings(), np.random.default_rng(0))
    >>> round(sum(p.mass_kg for p in g.params.values()), 6) == round(g.subject.mass_kg, 6)
    True
    """
    z = rng.standard_normal(3)  # drawn whatever `vary` says, so one seed gives the same other draws
    mass = float(np.clip(subject.mass_kg + settings.mass_tolerance_kg * z[0], 0.8 * subject.mass_kg,
                         1.2 * subject.mass_kg)) if "mass" in vary else subject.mass_kg
    height = float(np.clip(subject.height_m + settings.stature_tolerance_m * z[1], 0.9 * subject.height_m,
                           1.1 * subject.height_m)) if "stature" in vary else subject.height_m
    drawn = replace(subject, mass_kg=mass, height_m=height)
    load = float(max(0.0, 1.0 + settings.hand_load_tolerance * z[2])) if "hand_load" in vary else 1.0
    cutoff = settings.cutoff_hz
    u = rng.uniform(size=2)
    if "cutoff" in vary and cutoff > 0 and settings.cutoff_tolerance_hz > 0:
        lo = max(0.5 * cutoff, cutoff - settings.cutoff_tolerance_hz)
        cutoff = float(lo + u[0] * (cutoff + settings.cutoff_tolerance_hz - lo))
    lo_arm, hi_arm = MOMENT_ARM_RANGE_M
    arm = float(lo_arm + u[1] * (hi_arm - lo_arm)) if "moment_arm" in vary else ERECTOR_MOMENT_ARM_M
    return GroupInputs(drawn, _perturbed_params(drawn, rng, "segments" in vary), load, cutoff, arm)


def joint_centre_offsets(kind: str, names, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """(D, P, 3) constant offsets of the joint-centre method, m (zero for other points).

    Parameters
    ----------
    kind : {"markers", "keypoints", "canonical"}
        Input kind (`JOINT_CENTRE_OFFSET_SD_M`).
    names : sequence of str
        The motion's point names.
    n_draws : int
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray (D, P, 3), m; each point's offset has the kind's SD as its 3D RMS.

    Examples
    --------
    >>> o = joint_centre_offsets("keypoints", ["l_hip", "head"], 4, np.random.default_rng(1))
    >>> o.shape, bool((o[:, 1] == 0).all())
    ((4, 2, 3), True)
    """
    sd = JOINT_CENTRE_OFFSET_SD_M.get(kind, JOINT_CENTRE_OFFSET_SD_M["canonical"])
    out = np.zeros((n_draws, len(names), 3))
    for j, n in enumerate(names):
        if n in OFFSET_POINTS:
            out[:, j] = sd / np.sqrt(3.0) * rng.standard_normal((n_draws, 3))
    return out
