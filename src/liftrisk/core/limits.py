"""Input limits, in one place: what the CLI, `liftrisk batch` and the web app accept.

Every edge (command-line options, manifest rows, upload forms, settings files) checks its
numbers with `check` against the ranges below, so the same value is accepted or refused
with the same message everywhere. The ranges are plausibility limits for a working adult
and an industrial manual-handling task, not physiological norms:

====================  ==================  =====================================================
field                 range               why
====================  ==================  =====================================================
mass_kg               20-250 kg           body mass of an adult worker
height_m              1.0-2.3 m           stature; 100-230 is refused as centimetres
age_years             14-100 years        working age
box_mass_kg / load    0-200 kg            object in the hands (0 = none); negative is an error
lifts_per_min         0-60 lifts/min      NIOSH Table 5 ends at 15/min (FM = 0 beyond; Waters
                                          et al. 1994); one lift a second is the most a task has
duration_h            above 0, to 24 h    NIOSH Table 5 covers up to 8 h (beyond: warned)
rate_hz               1-10000 Hz          sample rate of a motion/force recording
upload / file size    500 MB (web) /      `MAX_UPLOAD_MB_DEFAULT`, `MAX_INPUT_BYTES`
                      4 GB (local file)
====================  ==================  =====================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from liftrisk.errors import DataQualityError, InputFileError, SubjectError


@dataclass(frozen=True)
class Limit:
    """An accepted range of one input field.

    Attributes
    ----------
    lo, hi : float
        Inclusive bounds, in `unit`.
    unit : str
        SI unit (or a count per time) of the field.
    error : type
        The `liftrisk.errors` class raised for a value out of range.
    hint_big : str
        Added to the message when the value is above `hi` (a likely unit mix-up).
    lo_open : bool
        `lo` itself is excluded (e.g. a duration must be above 0).
    """

    lo: float
    hi: float
    unit: str
    error: type = DataQualityError
    hint_big: str = ""
    lo_open: bool = False


LIMITS: dict[str, Limit] = {
    "mass_kg": Limit(20.0, 250.0, "kg", SubjectError, "is it in pounds or grams?"),
    "height_m": Limit(1.0, 2.3, "m", SubjectError),
    "age_years": Limit(14.0, 100.0, "years", SubjectError),
    "box_mass_kg": Limit(0.0, 200.0, "kg"),
    "load_kg": Limit(0.0, 200.0, "kg"),
    "lifts_per_min": Limit(0.0, 60.0, "lifts/min"),
    "duration_h": Limit(0.0, 24.0, "h", lo_open=True),
    "rate_hz": Limit(1.0, 10_000.0, "Hz"),
}

#: largest upload the web app accepts by default, MB (10^6 bytes); LIFTRISK_MAX_UPLOAD_MB changes it
MAX_UPLOAD_MB_DEFAULT = 500.0
#: largest local input file the CLI and `liftrisk batch` read, bytes
MAX_INPUT_BYTES = 4 * 10**9


def check(field: str, value, *, optional: bool = False, where: str = "") -> float | None:
    """`value` as a float if it is a finite number inside the limits of `field`.

    Parameters
    ----------
    field : str
        A key of `LIMITS` (e.g. ``"box_mass_kg"``).
    value : float, str or None
        The value given (text is parsed; a decimal comma is accepted).
    optional : bool
        Return None for a missing value (None or empty text) instead of raising.
    where : str
        Prefix for the message (file, line, option).

    Returns
    -------
    float or None
        The value, in the unit of the field.

    Raises
    ------
    SubjectError or DataQualityError
        The class of the limit (`SubjectError`, `DataQualityError`), naming the field, the
        value and the expected range.

    Examples
    --------
    >>> check("box_mass_kg", "12,5")
    12.5
    >>> check("load_kg", -5)
    Traceback (most recent call last):
    ...
    liftrisk.errors.DataQualityError: load_kg is -5.0 kg; expected 0.0-200.0 kg (a negative load is not a load)
    """
    lim = LIMITS[field]
    pre = f"{where}: " if where else ""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise lim.error(f"{pre}{field} is missing; expected a number in {lim.lo:g}-{lim.hi:g} {lim.unit}")
    try:
        v = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise lim.error(f"{pre}{field} is {value!r}; expected a number") from None
    if not math.isfinite(v):
        raise lim.error(f"{pre}{field} is {value!r}; expected a finite number")
    if field == "height_m" and (100.0 <= v <= 230.0 or 1000.0 <= v <= 2300.0):
        unit, scale = ("centimetres", 100) if v <= 230.0 else ("millimetres", 1000)
        raise lim.error(f"{pre}height_m is {v}; this looks like {unit}. Give the height in metres, "
                        f"e.g. {v / scale:.2f}")
    if not lim.lo <= v <= lim.hi or (lim.lo_open and v == lim.lo):
        hint = ""
        if v > lim.hi and lim.hint_big:
            hint = f" ({lim.hint_big})"
        elif v < 0 <= lim.lo:
            hint = " (a negative load is not a load)" if field in ("box_mass_kg", "load_kg") else " (negative)"
        rng = f"above {lim.lo} to {lim.hi}" if lim.lo_open else f"{lim.lo}-{lim.hi}"
        raise lim.error(f"{pre}{field} is {v} {lim.unit}; expected {rng} {lim.unit}{hint}")
    return v


def check_file_size(path, max_bytes: int = MAX_INPUT_BYTES) -> int:
    """Size of a local input file in bytes; refuses an empty file or one above `max_bytes`.

    Parameters
    ----------
    path : str or os.PathLike
        Local input file.
    max_bytes : int
        Largest accepted size (bytes).

    Returns
    -------
    int
        The file size (bytes); an empty or too large file raises an input error naming it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.trc"; _ = p.write_bytes(b"x" * 10)
    >>> check_file_size(p)
    10
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputFileError(p, f"cannot read it ({exc.strerror})", fix="check the path") from None
    if size == 0:
        raise InputFileError(p, "the file is empty (0 bytes)", fix="export or record it again")
    if size > max_bytes:
        raise InputFileError(p, f"the file has {size / 1e9:.1f} GB; the limit is {max_bytes / 1e9:g} GB",
                             fix="split the recording into shorter trials")
    return size


__all__ = ["LIMITS", "Limit", "MAX_INPUT_BYTES", "MAX_UPLOAD_MB_DEFAULT", "check", "check_file_size"]
