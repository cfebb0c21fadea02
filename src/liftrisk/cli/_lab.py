"""CLI helpers for lab recordings: force plates (from a C3D or a described CSV), pressure
insoles (a described CSV) and Plug-in Gait subject measurements. Thin: the readers are
`liftrisk.io.recording_plates` and `liftrisk.io.recording_insoles` (shared with `liftrisk batch`)."""

from __future__ import annotations

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


def measurements(leg_length_mm: float | None, knee_width_mm: float | None, ankle_width_mm: float | None) -> dict:
    """The Plug-in Gait measurements the user gave (mm), for `joint_centres_from_markers`.

    Examples
    --------
    >>> measurements(None, 105.0, None)
    {'knee_width_mm': 105.0}
    """
    given = {"leg_length_mm": leg_length_mm, "knee_width_mm": knee_width_mm, "ankle_width_mm": ankle_width_mm}
    return {k: float(v) for k, v in given.items() if v is not None}
