"""`Keypoints2D`: one camera's detected 2D keypoints over time (pixels + confidence),
optionally with the detector's metric 3D landmarks in its own camera-aligned frame.

The one 2D keypoint container of liftrisk: the file readers (`liftrisk.io`), the video
detector and the multi-view/monocular lifting (`liftrisk.pose`) all take and return it.

Pixel frame: origin at the top-left corner of the (rotation-corrected) image, u to the
right, v down, px. Points are named by a registered skeleton (`liftrisk.core.skeletons`),
never addressed by number outside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from liftrisk.core.skeletons import get_skeleton
from liftrisk.errors import DataQualityError


@dataclass(frozen=True, eq=False)
class Keypoints2D:
    """2D keypoints of one person seen by one camera.

    Parameters
    ----------
    time_s : array (T,)
        Frame times, s.
    xy_px : array (T, K, 2)
        Pixel coordinates (u right, v down); NaN when not detected.
    confidence : array (T, K)
        Detector confidence/visibility in [0, 1]; 0 when not detected.
    point_names : tuple of str (K,)
        Names of the skeleton's points, in order.
    skeleton : str
        Registered skeleton name (e.g. ``"mediapipe33"``).
    image_size_px : (int, int), optional
        Width, height of the frames the pixels refer to; ``(0, 0)`` (or None given) when
        unknown (e.g. a COCO results file).
    world_m : array (T, K, 3), optional
        Detector's metric 3D landmarks in its camera-aligned frame (MediaPipe: origin at
        the hip centre, x image-right, y image-down, z away from the camera), m.
    camera : str
        Camera/view name (matched to the calibration in multi-view runs).
    source : str
        Where the keypoints came from (file path or video), used in error messages.
    meta : mapping
        Free-form provenance (e.g. ``{"format": "coco_json"}``).

    Examples
    --------
    >>> import numpy as np
    >>> k = Keypoints2D(np.arange(2) / 30, np.zeros((2, 1, 2)), np.ones((2, 1)), ("nose",), "coco17", (64, 48))
    >>> k.n_frames, k.rate_hz, k["nose"].shape
    (2, 30.0, (2, 2))
    """

    time_s: np.ndarray
    xy_px: np.ndarray
    confidence: np.ndarray
    point_names: tuple
    skeleton: str
    image_size_px: tuple | None = (0, 0)
    world_m: np.ndarray | None = None
    camera: str = ""
    source: str = ""
    meta: MappingProxyType = field(default_factory=dict)

    def __post_init__(self) -> None:
        t = np.array(self.time_s, float).reshape(-1)
        xy = np.array(self.xy_px, float)
        c = np.array(self.confidence, float)
        names = tuple(str(n) for n in self.point_names)
        src = self.source or "keypoints"
        if xy.ndim != 3 or xy.shape[2] != 2 or xy.shape[0] != t.size or xy.shape[1] != len(names):
            raise DataQualityError(f"{src}: xy_px has shape {xy.shape}; expected ({t.size}, {len(names)}, 2)")
        if c.shape != xy.shape[:2]:
            raise DataQualityError(f"{src}: confidence has shape {c.shape}; expected {xy.shape[:2]}")
        if t.size > 1 and np.any(np.diff(t) <= 0):
            raise DataQualityError(f"{src}: frame times are not strictly increasing")
        c = np.where(np.isfinite(xy).all(axis=2), np.nan_to_num(c, nan=0.0), 0.0)
        w = None
        if self.world_m is not None:
            w = np.array(self.world_m, float)
            if w.shape != (t.size, len(names), 3):
                raise DataQualityError(f"{src}: world_m has shape {w.shape}; expected ({t.size}, {len(names)}, 3)")
            w.setflags(write=False)
        for a in (t, xy, c):
            a.setflags(write=False)
        object.__setattr__(self, "time_s", t)
        object.__setattr__(self, "xy_px", xy)
        object.__setattr__(self, "confidence", c)
        object.__setattr__(self, "world_m", w)
        object.__setattr__(self, "point_names", names)
        size = self.image_size_px if self.image_size_px is not None else (0, 0)
        object.__setattr__(self, "image_size_px", (int(size[0]), int(size[1])))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return int(self.time_s.size)

    @property
    def rate_hz(self) -> float:
        """Frame rate, Hz (median of the time steps)."""
        return float(1.0 / np.median(np.diff(self.time_s))) if self.n_frames > 1 else 0.0

    def __getitem__(self, name: str) -> np.ndarray:
        """(T, 2) pixel coordinates of one named point (read-only)."""
        return self.xy_px[:, self.index(name)]

    def index(self, name: str) -> int:
        """Position of a named point."""
        try:
            return self.point_names.index(name)
        except ValueError:
            raise DataQualityError(f"{self.source or 'keypoints'} has no point {name!r}") from None

    def detected_fraction(self) -> float:
        """Share of frames with at least one detected point."""
        return float(np.mean(np.any(self.confidence > 0, axis=1))) if self.n_frames else 0.0

    def slice_frames(self, start: int, stop: int | None = None) -> Keypoints2D:
        """Frames start:stop."""
        sl = slice(start, stop)
        return Keypoints2D(self.time_s[sl], self.xy_px[sl], self.confidence[sl], self.point_names, self.skeleton,
                           self.image_size_px, None if self.world_m is None else self.world_m[sl], self.camera,
                           self.source, dict(self.meta))

    def canonical_pixels(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Canonical joint centres in pixels: name -> ((T, 2) px, (T,) confidence).

        Each canonical point is the mean of its source points (registry mapping).
        """
        sk = get_skeleton(self.skeleton)
        out = {}
        for canon, srcs in sk.to_canonical.items():
            if not all(s in self.point_names for s in srcs):
                continue
            idx = [self.point_names.index(s) for s in srcs]
            out[canon] = (self.xy_px[:, idx].mean(axis=1), self.confidence[:, idx].min(axis=1))
        return out
