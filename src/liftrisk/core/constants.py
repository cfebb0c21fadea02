"""Physical constants used across liftrisk (SI).

Two accelerations of gravity, for two different jobs:

* `GRAVITY_MPS2` = 9.81 m/s²: the gravitational acceleration of every mechanics computation
  (body weight, segment weights in inverse dynamics, the ground reaction, the weight of a
  lifted object). Rounded as in the biomechanics sources liftrisk follows; local g on Earth
  lies between 9.78 and 9.83 m/s².
* `STANDARD_GRAVITY_MPS2` = 9.80665 m/s²: the standard acceleration of gravity g0 (CGPM 1901,
  ISO 80000-3), a unit definition: accelerations recorded in "g" and masses in
  kilogram-force convert with it.
"""

from __future__ import annotations

GRAVITY_MPS2 = 9.81
STANDARD_GRAVITY_MPS2 = 9.80665

__all__ = ["GRAVITY_MPS2", "STANDARD_GRAVITY_MPS2"]
