"""Human labels and rounded, unit-carrying values for the web pages.

The summary, lift table and time-series names of an assessment are machine names with the
unit as suffix (``peak_compression_n``, ``h_origin_m``, ``trunk_flexion_deg``). The pages show
them as words with units and sensible rounding (forces to 10 N, moments to 1 N·m, hand
distances in cm, angles to 1 degree, loads to 0.1 kg, lifting indices to 0.01); the raw names
stay in the CSV and JSON downloads.
"""

from __future__ import annotations

import math
import re

#: words of machine names -> words shown
WORDS = {
    "l": "left", "r": "right", "l5s1": "L5/S1", "ap": "anterior-posterior", "li": "LI", "reba": "REBA",
    "rula": "RULA", "acgih": "ACGIH", "tlv": "TLV", "rwl": "RWL", "cop": "centre of pressure", "n": "number of",
    "pct": "%", "vs": "vs", "x": "X", "y": "Y", "z": "Z", "p05": "5th percentile", "p95": "95th percentile",
    "3d": "3D", "2d": "2D", "imu": "IMU", "niosh": "NIOSH", "lifft": "LiFFT", "cli": "CLI", "vli": "VLI",
    "stli": "STLI", "fili": "FILI", "com": "centre of mass", "id": "ID", "dof": "DOF", "kg": "kg",
}
#: unit suffix of a machine name -> (unit shown, kind of rounding); longest first
SUFFIXES = (
    ("_nm_per_kg", "N·m/kg", "f2"), ("_deg_s", "°/s", "f0"), ("_rad_s", "rad/s", "f2"), ("_m_s2", "m/s²", "f1"),
    ("_m_s", "m/s", "f2"), ("_nm", "N·m", "f0"), ("_n", "N", "n"), ("_deg", "°", "f0"), ("_rad", "rad", "f2"),
    ("_kg", "kg", "f1"), ("_hz", "Hz", "g"), ("_px", "px", "f1"), ("_pct", "%", "f0"), ("_ratio", "%", "pct"),
    ("_m", "m", "f2"), ("_s", "s", "f2"), ("_h", "h", "g"), ("_per_min", "/min", "g"), ("_years", "years", "f0"),
)
#: machine names with a hand-written label: name -> (label, unit, rounding)
KNOWN = {
    # summary
    "duration_s": ("Recording length", "s", "f1"), "n_frames": ("Frames", "", "int"),
    "rate_hz": ("Frame rate", "Hz", "f0"), "mass_kg": ("Body mass", "kg", "f1"), "height_m": ("Height", "m", "f2"),
    "box_kg": ("Load in the hands", "kg", "f1"),
    "peak_compression_n": ("Peak L5/S1 compression", "N", "n"),
    "peak_compression_time_s": ("Peak compression at", "s", "f2"),
    "time_above_action_limit_s": ("Time above the NIOSH action limit", "s", "f2"),
    "time_above_max_permissible_s": ("Time above the NIOSH maximum permissible limit", "s", "f2"),
    "peak_l5s1_extension_moment_nm": ("Peak L5/S1 extension moment", "N·m", "f0"),
    "peak_l5s1_moment_time_s": ("Peak moment at", "s", "f2"),
    "peak_reba": ("Worst REBA score", "", "f0"), "peak_reba_time_s": ("Worst REBA at", "s", "f2"),
    "peak_reba_level": ("Worst REBA risk level", "", "text"),
    "peak_fuzzy_reba": ("Highest fuzzy REBA score", "", "f1"),
    "peak_fuzzy_reba_time_s": ("Highest fuzzy REBA at", "s", "f2"),
    "peak_rula": ("Worst RULA score", "", "f0"), "n_lifts": ("Lifts and lowerings", "", "int"),
    "max_li": ("Highest NIOSH lifting index", "", "f2"),
    "action_limit_n": ("NIOSH action limit (compression)", "N", "n"),
    "maximum_permissible_n": ("NIOSH maximum permissible limit (compression)", "N", "n"),
    "peak_workload_joint": ("Joint with the highest workload", "", "text"),
    "peak_workload_ratio": ("Highest joint workload (share of its strength)", "%", "pct"),
    "peak_compression_n_p05": ("Peak compression, 5th percentile", "N", "n"),
    "peak_compression_n_p95": ("Peak compression, 95th percentile", "N", "n"),
    "peak_l5s1_extension_moment_nm_p05": ("Peak extension moment, 5th percentile", "N·m", "f0"),
    "peak_l5s1_extension_moment_nm_p95": ("Peak extension moment, 95th percentile", "N·m", "f0"),
    "median_reprojection_px": ("Median reprojection error", "px", "f1"), "method": ("Method", "", "text"),
    # lifts
    "lift": ("#", "", "int"), "kind": ("Kind", "", "text"), "grasp_s": ("Grasp", "s", "f2"),
    "release_s": ("Release", "s", "f2"),
    "h_origin_m": ("Hands out, origin", "cm", "cm"), "v_origin_m": ("Hand height, origin", "cm", "cm"),
    "a_origin_deg": ("Asymmetry, origin", "°", "f0"), "h_dest_m": ("Hands out, destination", "cm", "cm"),
    "v_dest_m": ("Hand height, destination", "cm", "cm"), "a_dest_deg": ("Asymmetry, destination", "°", "f0"),
    "d_m": ("Vertical travel", "cm", "cm"), "rwl_origin_kg": ("RWL, origin", "kg", "f1"),
    "rwl_dest_kg": ("RWL, destination", "kg", "f1"), "li_origin": ("LI, origin", "", "f2"),
    "li_dest": ("LI, destination", "", "f2"), "li": ("NIOSH LI", "", "f2"), "li_category": ("Risk", "", "text"),
    "acgih_zone": ("ACGIH zone", "", "int"), "acgih_tlv_kg": ("ACGIH TLV", "kg", "tlv"),
    "acgih_risk": ("ACGIH risk", "", "text"), "exceeds_tlv": ("Above the TLV", "", "text"),
    "li_p05": ("LI, 5th percentile", "", "f2"), "li_p95": ("LI, 95th percentile", "", "f2"),
    "p_li_gt_1": ("P(LI > 1)", "%", "pct"), "p_li_gt_3": ("P(LI > 3)", "%", "pct"),
    "reliability": ("Reliability", "", "text"), "reasons": ("Why", "", "text"),
    "unreliable_figures": ("Unreliable figures", "", "text"),
    # settings
    "cutoff_hz": ("Filter cut-off", "Hz", "g"), "max_gap_s": ("Longest gap filled", "s", "f2"),
    "min_confidence": ("Minimum keypoint confidence", "", "f2"), "coupling": ("Hand coupling", "", "text"),
    "lifts_per_min": ("Lifts per minute", "/min", "g"), "duration_h": ("Work duration", "h", "g"),
    "reba_activity": ("REBA activity score", "", "int"), "floor_z_m": ("Floor height", "m", "f2"),
    "lower_body": ("Lower-body loads", "", "text"), "body_model": ("Body model fitted", "", "text"),
    "lift_times_s": ("Lift times given", "s", "text"),
    "uncertainty_draws": ("Uncertainty draws", "", "int"), "uncertainty_seed": ("Uncertainty seed", "", "int"),
    "compression_n": ("L5/S1 compression", "N", "n"), "ap_shear_n": ("L5/S1 shear", "N", "n"),
    "reba": ("REBA", "", "f0"), "fuzzy_reba": ("Fuzzy REBA", "", "f1"), "rula": ("RULA", "", "f0"),
    "above_action_limit": ("Above the action limit (1 = yes)", "", "f0"),
    "above_maximum_permissible": ("Above the maximum permissible limit (1 = yes)", "", "f0"),
    "left_foot_share": ("Share of the weight on the left foot", "%", "pct"),
}
#: a machine name: lower-case words joined by underscores
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


def _split(key: str) -> tuple[str, str, str]:
    """(stem, unit, rounding) of a machine name from its unit suffix."""
    k = key.lower()
    for suffix, unit, rounding in SUFFIXES:
        if k.endswith(suffix) and len(k) > len(suffix):
            return k[: -len(suffix)], unit, rounding
    if k.endswith("_workload_ratio"):
        return k, "%", "pct"
    return k, "", "g"


def words(text: str) -> str:
    """A machine name as words (``r_hip`` -> ``right hip``; first letter upper-case).

    Parameters
    ----------
    text : str
        A machine name or any text.

    Returns
    -------
    str

    Examples
    --------
    >>> words("l_hip_flexion"), words("l5s1_extension_moment"), words("Palletising")
    ('Left hip flexion', 'L5/S1 extension moment', 'Palletising')
    """
    parts = [WORDS.get(w, w) for w in str(text).replace(".", "_").split("_") if w]
    out = " ".join(parts)
    return out[:1].upper() + out[1:] if out else out


def spec(key: str) -> tuple[str, str, str]:
    """(label, unit, rounding) of a machine name.

    Parameters
    ----------
    key : str
        A machine name (a dotted path keeps its last part).

    Returns
    -------
    (str, str, str)

    Examples
    --------
    >>> spec("peak_compression_n")
    ('Peak L5/S1 compression', 'N', 'n')
    >>> spec("r_knee_flexion_deg")
    ('Right knee flexion', '°', 'f0')
    >>> spec("l_hip_workload_ratio")
    ('Left hip workload', '%', 'pct')
    """
    key = str(key).split(".")[-1]
    if key in KNOWN:
        return KNOWN[key]
    stem, unit, rounding = _split(key)
    return words(stem), unit, rounding


def label(key: str, with_unit: bool = True) -> str:
    """The label of a machine name, with its unit in brackets.

    Parameters
    ----------
    key : str
        A machine name.
    with_unit : bool
        Append the unit in brackets.

    Returns
    -------
    str

    Examples
    --------
    >>> label("h_origin_m"), label("trunk_flexion_deg"), label("n_lifts"), label("h_origin_m", False)
    ('Hands out, origin (cm)', 'Trunk flexion (°)', 'Lifts and lowerings', 'Hands out, origin')
    """
    name, unit, _ = spec(key)
    return f"{name} ({unit})" if with_unit and unit else name


def number(value: float, rounding: str) -> str:
    """A number rounded as ``rounding`` says (no unit).

    Parameters
    ----------
    value : float or None
        The value in SI units.
    rounding : str
        ``n`` (to 10 N), ``cm`` (m shown in cm), ``pct`` (fraction in %), ``int``, ``f0``-``f2``,
        ``tlv`` (None is 'no lifting'), else 3 significant digits.

    Returns
    -------
    str

    Examples
    --------
    >>> number(4788.14, "n"), number(0.39997, "cm"), number(0.7828, "pct"), number(1.03686, "f2")
    ('4,790', '40', '78', '1.04')
    >>> number(float("nan"), "f2"), number(None, "tlv")
    ('—', 'no lifting')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "no lifting" if rounding == "tlv" else "—"
    v = float(value)
    if rounding == "n":  # forces: to 10 N (their uncertainty is hundreds of N)
        return f"{round(v, -1):,.0f}" if abs(v) >= 100 else f"{v:.0f}"
    if rounding == "cm":
        return f"{100 * v:.0f}"
    if rounding == "pct":
        return f"{100 * v:.0f}"
    if rounding == "int":
        return f"{v:.0f}"
    if rounding in ("f0", "f1", "f2", "tlv"):
        return f"{v:.{0 if rounding == 'tlv' else int(rounding[1])}f}"
    return f"{v:.3g}"


def text(value) -> str:
    """A non-numeric value as text (machine words as words, booleans as yes/no, lists joined).

    Parameters
    ----------
    value : object
        A text, boolean, list or None.

    Returns
    -------
    str

    Examples
    --------
    >>> text("r_hip"), text(True), text([]), text("increased risk (1 < LI <= 3)")
    ('right hip', 'yes', 'none', 'increased risk (1 < LI <= 3)')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value) if value else "none"
    s = str(value)
    if SNAKE.match(s):
        w = words(s)
        return w[:1].lower() + w[1:] if w[:1].isupper() and not w[:2].isupper() else w
    return s


def value(key: str, v, with_unit: bool = True) -> str:
    """A value of a machine name, rounded and (optionally) with its unit.

    Parameters
    ----------
    key : str
        The machine name (gives unit and rounding).
    v : object
        The value (SI units).
    with_unit : bool
        Append the unit.

    Returns
    -------
    str

    Examples
    --------
    >>> value("peak_compression_n", 4788.14), value("h_origin_m", 0.39997), value("a_origin_deg", 0.1899)
    ('4,790 N', '40 cm', '0°')
    >>> value("grasp_s", 1.2667), value("peak_workload_ratio", 0.78), value("peak_workload_joint", "r_hip")
    ('1.27 s', '78 %', 'right hip')
    >>> value("h_origin_m", 0.39997, with_unit=False), value("acgih_tlv_kg", None)
    ('40', 'no lifting')
    """
    _, unit, rounding = spec(key)
    if v is None and rounding == "tlv":
        return "no lifting"
    if isinstance(v, bool) or not isinstance(v, int | float) or rounding == "text":
        return text(v)
    s = number(v, rounding)
    if not with_unit or not unit or s in ("—", "no lifting"):
        return s
    return f"{s}{unit}" if unit == "°" else f"{s} {unit}"


def rows(mapping: dict, skip=()) -> list[tuple[str, str]]:
    """(label, value) rows of a flat summary dict (keys in ``skip`` and nested values left out).

    Parameters
    ----------
    mapping : dict
        A flat summary.
    skip : iterable of str
        Keys left out.

    Returns
    -------
    list of (str, str)
    """
    return [(label(k, with_unit=False), value(k, v)) for k, v in mapping.items()
            if k not in skip and not isinstance(v, dict)]
