"""A lab recording's companion files, read the same way wherever the recording is assessed
(``liftrisk assess``, ``liftrisk batch`` manifests, the batch runner).

`LabInputs` names the files that come with a motion-capture trial: the static calibration
trial, force plates as a described CSV (``plates`` + ``plates_spec``; a C3D's own platforms
are read from the C3D itself), pressure insoles (one CSV with both feet, or two: left, right)
with their description. `read_lab_inputs` reads them with the readers of this package and
returns the keyword arguments of `liftrisk.pipeline.assess_motion`
(``force_plates``, ``static``, ``insoles``, ``measurements``); `recording_plates` and `recording_insoles` are
its two halves.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from liftrisk.core.loads import ForcePlates, ObjectSupport
from liftrisk.errors import DataQualityError
from liftrisk.io.c3d import read_c3d
from liftrisk.io.dispatch import read_motion
from liftrisk.io.force_plates_csv import check_plate_timing, read_force_plates_csv, read_plate_spec
from liftrisk.io.insoles import read_insole_spec, read_insoles

#: the file roles of `LabInputs`, in the order they are reported
LAB_FILES = ("static", "plates", "plates_spec", "insoles", "insole_spec")
#: Plug-in Gait subject measurements that may come with a lab recording (mm)
LAB_MEASUREMENTS = ("leg_length_mm", "knee_width_mm", "ankle_width_mm")


def _path(value) -> Path | None:
    return None if value in (None, "") else Path(value)


@dataclass(frozen=True)
class LabInputs:
    """The files (and plate options) that come with one motion-capture recording.

    Parameters
    ----------
    static : pathlib.Path, optional
        Static calibration trial of the same marker set.
    plates : pathlib.Path, optional
        Force plates as a CSV table; needs `plates_spec`.
    plates_spec : pathlib.Path, optional
        TOML description of the `plates` table (`liftrisk.io.read_plate_spec`).
    insoles : tuple of pathlib.Path
        Pressure insoles: one CSV with both feet, or two (left, right); needs `insole_spec`.
    insole_spec : pathlib.Path, optional
        TOML description of the insole CSV(s) (`liftrisk.io.read_insole_spec`).
    plates_under_both_feet : bool
        A C3D's platforms are each under both feet (shared between them, not given to the
        nearer foot).
    object_plates : tuple of int
        1-based numbers of the C3D's platforms that are under the lifted object.
    leg_length_mm, knee_width_mm, ankle_width_mm : float, optional
        Plug-in Gait subject measurements (mm); default: the C3D's PROCESSING group, the static
        trial, else liftrisk's stated defaults.

    Examples
    --------
    >>> lab = LabInputs(static=Path("static.c3d"))
    >>> bool(lab), bool(LabInputs()), lab.to_dict()["static"]
    (True, False, 'static.c3d')
    """

    static: Path | None = None
    plates: Path | None = None
    plates_spec: Path | None = None
    insoles: tuple[Path, ...] = ()
    insole_spec: Path | None = None
    plates_under_both_feet: bool = False
    object_plates: tuple[int, ...] = ()
    leg_length_mm: float | None = None
    knee_width_mm: float | None = None
    ankle_width_mm: float | None = None

    def __post_init__(self) -> None:
        for name in ("static", "plates", "plates_spec", "insole_spec"):
            object.__setattr__(self, name, _path(getattr(self, name)))
        object.__setattr__(self, "insoles", tuple(Path(p) for p in self.insoles or ()))
        object.__setattr__(self, "object_plates", tuple(int(k) for k in self.object_plates or ()))
        object.__setattr__(self, "plates_under_both_feet", bool(self.plates_under_both_feet))
        for name in LAB_MEASUREMENTS:
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None else float(value))

    def __bool__(self) -> bool:
        return (any(self.files().values()) or self.plates_under_both_feet or bool(self.object_plates)
                or bool(self.measurements()))

    def measurements(self) -> dict[str, float]:
        """The Plug-in Gait measurements given (mm), for `liftrisk.pipeline.assess_motion`.

        Returns
        -------
        dict
            ``leg_length_mm``, ``knee_width_mm``, ``ankle_width_mm``: only those given.

        Examples
        --------
        >>> LabInputs(knee_width_mm=105).measurements()
        {'knee_width_mm': 105.0}
        """
        return {k: getattr(self, k) for k in LAB_MEASUREMENTS if getattr(self, k) is not None}

    def files(self) -> dict[str, Path | tuple[Path, ...] | None]:
        """The files by role (`LAB_FILES`).

        Returns
        -------
        dict
            Role -> path (``insoles``: a tuple of paths); None or () where not given.

        Examples
        --------
        >>> LabInputs(plates=Path("p.csv"), plates_spec=Path("p.toml")).files()["plates_spec"].name
        'p.toml'
        """
        return {k: getattr(self, k) for k in LAB_FILES}

    def to_dict(self) -> dict:
        """Plain data (strings, for worker processes and records); `from_dict` reverses it.

        Returns
        -------
        dict
            Paths as strings (``insoles`` a list), the plate options and measurements (mm);
            only what is given.

        Examples
        --------
        >>> LabInputs(insoles=(Path("l.csv"), Path("r.csv")), insole_spec=Path("i.toml")).to_dict()
        {'insoles': ['l.csv', 'r.csv'], 'insole_spec': 'i.toml'}
        """
        out: dict = {}
        for k, v in self.files().items():
            if isinstance(v, tuple):
                if v:
                    out[k] = [str(p) for p in v]
            elif v is not None:
                out[k] = str(v)
        if self.plates_under_both_feet:
            out["plates_under_both_feet"] = True
        if self.object_plates:
            out["object_plates"] = list(self.object_plates)
        return out | self.measurements()

    @classmethod
    def from_dict(cls, data: dict | None) -> LabInputs:
        """The `LabInputs` of `to_dict`'s output.

        Parameters
        ----------
        data : dict or None
            As `to_dict` gives it (None or {}: no lab inputs).

        Returns
        -------
        LabInputs
            The inputs.

        Examples
        --------
        >>> LabInputs.from_dict({"static": "s.c3d"}).static.name
        's.c3d'
        """
        d = dict(data or {})
        d["insoles"] = tuple(d.get("insoles") or ())
        d["object_plates"] = tuple(d.get("object_plates") or ())
        return cls(**d)


def recording_plates(motion_path: str | os.PathLike, motion, plates_csv: str | os.PathLike | None = None,
                     plates_spec: str | os.PathLike | None = None, both_feet: bool = False,
                     object_plates: Sequence[int] = ()) -> ForcePlates | None:
    """The force plates of a recording: the described CSV when given, else the C3D's own
    force platforms, else None; their times are checked against the motion's.

    Parameters
    ----------
    motion_path : str or os.PathLike
        The recording (its C3D platforms are read when no CSV is given).
    motion : Motion
        The recording's motion (its first time is the CSV's ``time_base = "start"``).
    plates_csv : str or os.PathLike, optional
        Force plates as a CSV table; needs `plates_spec`.
    plates_spec : str or os.PathLike, optional
        TOML description of the table.
    both_feet : bool
        A C3D's platforms are each under both feet (shared between the feet instead of given,
        frame by frame, to the nearer foot).
    object_plates : sequence of int
        1-based numbers of the C3D's platforms under the lifted object.

    Returns
    -------
    ForcePlates or None
        Plates in N and m, on the motion's clock; None when the recording has none.

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> recording_plates(Path("walk.trc"), Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=10)) is None
    True
    """
    if plates_csv is not None:
        if plates_spec is None:
            raise DataQualityError(f"{plates_csv}: a force-plate CSV needs its description; give --plates-spec "
                                   "plates.toml (columns, units, time base, what each plate is under)")
        plates = read_force_plates_csv(plates_csv, read_plate_spec(plates_spec), float(motion.time_s[0]))
    elif plates_spec is not None:
        raise DataQualityError(f"--plates-spec {plates_spec} given without --plates (the CSV table)")
    elif Path(motion_path).suffix.lower() == ".c3d":
        grfs = read_c3d(motion_path).ground_reactions
        if not grfs:
            if object_plates:
                raise DataQualityError(f"{motion_path}: --object-plate given but the file has no force platforms")
            return None
        wrong = [k for k in object_plates if not 1 <= int(k) <= len(grfs)]
        if wrong:
            raise DataQualityError(f"{motion_path}: --object-plate {wrong[0]} does not exist; the file has "
                                   f"{len(grfs)} force platform(s), numbered from 1")
        objects = tuple(ObjectSupport(g.time_s, g.force_n, g.cop_m, name=g.name or f"plate{k}")
                        for k, g in enumerate(grfs, 1) if k in object_plates)
        feet = [g for k, g in enumerate(grfs, 1) if k not in object_plates]
        if both_feet:
            feet = [replace(g, foot="both") for g in feet]
        plates = ForcePlates(tuple(feet), objects, source=str(motion_path))
    else:
        return None
    check_plate_timing(plates, motion.time_s)
    return plates


def recording_insoles(motion, paths: Sequence[str | os.PathLike] = (),
                      spec: str | os.PathLike | None = None) -> tuple:
    """Both insoles of a recording from the described CSV(s) (`liftrisk.io.read_insoles`), or
    () when none is given; their times are checked against the motion's.

    Parameters
    ----------
    motion : Motion
        The recording's motion (same clock as the insoles).
    paths : sequence of path
        One CSV with both feet, or two (left, right).
    spec : str or os.PathLike, optional
        TOML description of the CSV(s); needed with `paths`.

    Returns
    -------
    tuple
        The left and right `InsolePressure` / `InsoleForce` (N, m, s), or ().

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> recording_insoles(Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=10))
    ()
    """
    paths = [Path(p) for p in paths or ()]
    if not paths:
        if spec is not None:
            raise DataQualityError(f"--insole-spec {spec} given without --insoles (the CSV table)")
        return ()
    if spec is None:
        raise DataQualityError(f"{paths[0]}: an insole CSV needs its description; give --insole-spec insoles.toml "
                               "(columns, units, sensor layout, time base)")
    if len(paths) > 2:
        raise DataQualityError(f"--insoles given {len(paths)} times; give one file (both feet) or two (left, right)")
    insoles = read_insoles(paths, read_insole_spec(spec), float(motion.time_s[0]))
    t = motion.time_s
    for ins in insoles:
        if ins.time_s[0] > t[0] + 0.05 or ins.time_s[-1] < t[-1] - 0.05:
            raise DataQualityError(f"{ins.meta.get('source', 'insoles')}: the {ins.foot} insole covers "
                                   f"{ins.time_s[0]:.3f}-{ins.time_s[-1]:.3f} s, the motion {t[0]:.3f}-{t[-1]:.3f} s. "
                                   "Fix: use time_base = \"start\" if the insole clock starts with the motion, or "
                                   "trim the motion")
    return insoles


def read_lab_inputs(motion_path: str | os.PathLike, motion, lab: LabInputs | None = None) -> dict:
    """Read a recording's lab inputs into the keyword arguments of
    `liftrisk.pipeline.assess_motion`: what ``liftrisk assess`` and the batch runner both use.

    Parameters
    ----------
    motion_path : str or os.PathLike
        The recording (a C3D's own platforms are read when `lab` gives no plate CSV).
    motion : Motion
        The recording's motion.
    lab : LabInputs, optional
        The companion files (default: none).

    Returns
    -------
    dict
        ``force_plates`` (ForcePlates or None), ``static`` (Motion or None), ``insoles`` (tuple),
        ``measurements`` (dict, mm).

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> read_lab_inputs("walk.trc", Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=10))
    {'force_plates': None, 'static': None, 'insoles': (), 'measurements': {}}
    """
    lab = lab or LabInputs()
    return {"force_plates": recording_plates(motion_path, motion, lab.plates, lab.plates_spec,
                                             lab.plates_under_both_feet, lab.object_plates),
            "static": read_motion(lab.static) if lab.static is not None else None,
            "insoles": recording_insoles(motion, lab.insoles, lab.insole_spec),
            "measurements": lab.measurements()}


__all__ = ["LAB_FILES", "LAB_MEASUREMENTS", "LabInputs", "read_lab_inputs", "recording_insoles", "recording_plates"]
