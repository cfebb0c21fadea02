"""liftrisk: how much a lift loads the lower back and joints, and how risky it is.

Public API entry points live in the sub-packages (see docs/): `liftrisk.core` (Motion,
Subject, loads), `liftrisk.io` (readers/writers), `liftrisk.kinematics`,
`liftrisk.kinetics`, `liftrisk.risk`, `liftrisk.pose`, `liftrisk.imu`, `liftrisk.predict`.
"""

from liftrisk.core import GroundReaction, HandLoad, InsolePressure, Motion, Subject
from liftrisk.errors import LiftriskError

__version__ = "0.1.0"
__all__ = ["Motion", "Subject", "HandLoad", "GroundReaction", "InsolePressure", "LiftriskError",
           "__version__"]
