"""liftrisk's world frame and the fixed rotations from other lab frames into it.

The world frame is right-handed, **Z up, X forward, Y to the worker's left**. OpenSim and
TRC files are Y-up (X forward, Y up, Z to the right). The proper rotation

    x' = x,  y' = -z,  z' = y          (``Y_UP_TO_Z_UP``, det = +1)

takes a Y-up vector to liftrisk's Z-up frame; its transpose goes back.
"""

from __future__ import annotations

import numpy as np

#: Rotation taking OpenSim/TRC Y-up coordinates (X fwd, Y up, Z right) to Z-up (X fwd, Y left, Z up).
Y_UP_TO_Z_UP = np.array([[1.0, 0.0, 0.0],
                         [0.0, 0.0, -1.0],
                         [0.0, 1.0, 0.0]])
Y_UP_TO_Z_UP.setflags(write=False)

__all__ = ["Y_UP_TO_Z_UP"]
