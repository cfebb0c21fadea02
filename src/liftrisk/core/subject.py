"""The worker being assessed: sex, body mass, height, age, handedness."""

from __future__ import annotations

import math
from dataclasses import dataclass

from liftrisk.core.constants import GRAVITY_MPS2
from liftrisk.core.limits import LIMITS
from liftrisk.errors import SubjectError

# the accepted ranges live in liftrisk.core.limits (shared by the CLI, batch and the web app)
MASS_RANGE_KG = (LIMITS["mass_kg"].lo, LIMITS["mass_kg"].hi)
HEIGHT_RANGE_M = (LIMITS["height_m"].lo, LIMITS["height_m"].hi)
AGE_RANGE_YEARS = (LIMITS["age_years"].lo, LIMITS["age_years"].hi)
SEXES = ("male", "female")
HANDS = ("right", "left")


@dataclass(frozen=True)
class Subject:
    """Anthropometry of one worker (SI units).

    Parameters
    ----------
    sex : {"male", "female"}
        Selects sex-specific segment parameters and strength models.
    mass_kg : float
        Body mass in kg, 20-250.
    height_m : float
        Stature in m, 1.0-2.3 (a value above 100 is rejected as centimetres).
    age_years : float, optional
        Age in years (strength models use it when given).
    handedness : {"right", "left"}
        Dominant hand.

    Examples
    --------
    >>> Subject("male", 80.0, 1.78).mass_kg
    80.0
    """

    sex: str
    mass_kg: float
    height_m: float
    age_years: float | None = None
    handedness: str = "right"

    def __post_init__(self) -> None:
        sex = str(self.sex).strip().lower()
        sex = {"m": "male", "f": "female"}.get(sex, sex)
        if sex not in SEXES:
            raise SubjectError(f"sex is {self.sex!r}; expected 'male' or 'female'")
        object.__setattr__(self, "sex", sex)
        _check_range("mass_kg", self.mass_kg, MASS_RANGE_KG, "kg",
                     hint_big="is it in pounds or grams?")
        h = _as_float("height_m", self.height_m)
        if 100.0 <= h <= 230.0:
            raise SubjectError(f"height_m is {h}; this looks like centimetres. "
                               f"Give the height in metres, e.g. {h / 100:.2f}")
        if 1000.0 <= h <= 2300.0:
            raise SubjectError(f"height_m is {h}; this looks like millimetres. "
                               f"Give the height in metres, e.g. {h / 1000:.2f}")
        _check_range("height_m", h, HEIGHT_RANGE_M, "m")
        if self.age_years is not None:
            _check_range("age_years", self.age_years, AGE_RANGE_YEARS, "years")
        hand = str(self.handedness).strip().lower()
        if hand not in HANDS:
            raise SubjectError(f"handedness is {self.handedness!r}; expected 'right' or 'left'")
        object.__setattr__(self, "handedness", hand)
        object.__setattr__(self, "mass_kg", float(self.mass_kg))
        object.__setattr__(self, "height_m", h)

    @property
    def weight_n(self) -> float:
        """Body weight in N (g = `GRAVITY_MPS2` = 9.81 m/s²)."""
        return self.mass_kg * GRAVITY_MPS2


def _as_float(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SubjectError(f"{name} is {value!r}; expected a number") from None
    if not math.isfinite(v):
        raise SubjectError(f"{name} is {value!r}; expected a finite number")
    return v


def _check_range(name: str, value, bounds, unit: str, hint_big: str = "") -> float:
    v = _as_float(name, value)
    lo, hi = bounds
    if not lo <= v <= hi:
        hint = f" ({hint_big})" if hint_big and v > hi else ""
        raise SubjectError(f"{name} is {v} {unit}; expected {lo}-{hi} {unit}{hint}")
    return v
