"""CLI helpers for lab recordings: force plates (from a C3D or a described CSV), pressure
insoles (a described CSV) and Plug-in Gait subject measurements. Thin: they call `liftrisk.io`
and return core objects."""

from __future__ import annotations

from pathlib import Path

from liftrisk.core.loads import ForcePlates, ObjectSupport
from liftrisk.errors import DataQualityError
from liftrisk.io import (
    check_plate_timing,
    read_c3d,
    read_force_plates_csv,
    read_insole_spec,
    read_insoles,
    read_plate_spec,
)

PLATES_HELP = ("Force plates as a CSV table (needs --plates-spec): plates under the feet give the bottom-up "
               "loads, a plate under the lifted object the measured hand load and the grasp/release times.")
SPEC_HELP = ("TOML description of the --plates CSV: columns, units, frame, time base and what each plate is "
             "under (feet, left_foot, right_foot, object); see docs/io.md.")
LEG_HELP = "Plug-in Gait leg length (ASIS to medial malleolus), mm; default: C3D PROCESSING, static trial, markers."
KNEE_HELP = "Plug-in Gait knee width, mm (default: C3D PROCESSING, static trial medial markers, else 100 mm)."
BOTH_FEET_HELP = ("The C3D's force plates are each under both feet (lifting on one plate): share each plate "
                  "between the feet instead of giving it, frame by frame, to the nearer foot (walking).")
OBJECT_PLATE_HELP = ("Number (1, 2, ...) of a C3D force platform that is under the lifted object, not under the "
                     "feet: it gives the measured hand load and the grasp/release times. Repeat for several.")
INSOLES_HELP = ("Pressure insoles: one CSV with both feet, or two (give --insoles twice: left, then right); needs "
                "--insole-spec. Without --box-kg (or with --hand-load-from-feet) they give the hand load frame by "
                "frame (feet force minus body weight, with the centre-of-mass dynamics).")
INSOLE_SPEC_HELP = ("TOML description of the --insoles CSV: per-sensor pressures with the sensor layout, or the total "
                    "force (+ centre of pressure) per foot; units and time base; see docs/io.md.")
ANKLE_HELP = "Plug-in Gait ankle width, mm (default: C3D PROCESSING, static trial medial markers, else 70 mm)."


def read_plates(motion_path: Path, motion, plates_csv: Path | None = None, plates_spec: Path | None = None,
                both_feet: bool = False, object_plates=()):
    """ForcePlates for a recording: the described CSV when given, else the C3D's own force
    platforms (each assigned frame by frame to the nearer foot, or shared between the feet
    with `both_feet`; the 1-based numbers in `object_plates` are under the lifted object),
    else None.

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> read_plates(Path("walk.trc"), Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=10)) is None
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
        from dataclasses import replace

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


def read_insole_files(motion, paths=(), spec: Path | None = None) -> tuple:
    """Both insoles of a recording from the described CSV(s) (`liftrisk.io.read_insoles`), or
    () when none is given; their times are checked against the motion's.

    Examples
    --------
    >>> import numpy as np
    >>> from liftrisk.core import Motion
    >>> read_insole_files(Motion.from_points({"a": np.zeros((2, 3))}, rate_hz=10))
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


def measurements(leg_length_mm: float | None, knee_width_mm: float | None, ankle_width_mm: float | None) -> dict:
    """The Plug-in Gait measurements the user gave (mm), for `joint_centres_from_markers`.

    Examples
    --------
    >>> measurements(None, 105.0, None)
    {'knee_width_mm': 105.0}
    """
    given = {"leg_length_mm": leg_length_mm, "knee_width_mm": knee_width_mm, "ankle_width_mm": ankle_width_mm}
    return {k: float(v) for k, v in given.items() if v is not None}
