"""CLI commands of the kinetics area: ``liftrisk loads FILE ... -o out.csv``.

Thin layer: reads the motion (`liftrisk.io`), builds canonical joint centres with L5/S1 and
hands (`liftrisk.kinematics`), low-pass filters (`liftrisk.processing`), runs the top-down
inverse dynamics, the spine model and (with ``--grf``) the bottom-up chain
(`liftrisk.kinetics`), writes one CSV and prints the peaks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from liftrisk.cli import _lab
from liftrisk.cli._common import clean_errors
from liftrisk.core import ForcePlates, HandLoad, Subject
from liftrisk.core.limits import check
from liftrisk.errors import DataQualityError, InputFileError, LiftriskError, UnknownFormatError
from liftrisk.io import read_c3d, read_motion, read_opensim_grf, recording_plates
from liftrisk.kinematics.joint_centres import NOTES_KEY, canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinetics import bottom_up, spine_load, top_down_l5s1
from liftrisk.kinetics.inverse_dynamics import unavailable_l5s1
from liftrisk.kinetics.object_plate import hand_load_from_object_plates
from liftrisk.processing.filters import lowpass

_clean_errors = clean_errors


def _joint_centres(motion, sex: str, calibration=None, measurements=None):
    try:
        return canonical_joint_centres(motion, sex=sex)
    except DataQualityError:
        return joint_centres_from_markers(motion, static=calibration, sex=sex, measurements=measurements)


def _ground_reactions(path: Path):
    suffix = path.suffix.lower()
    if suffix == ".c3d":
        return read_c3d(path).ground_reactions
    if suffix in (".mot", ".sto"):
        xml = path.with_suffix(".xml")
        return read_opensim_grf(path, xml if xml.exists() else None)
    raise UnknownFormatError(path, f"ground reactions are read from .c3d or OpenSim .mot files, not {suffix!r}",
                             fix="give --grf walk_grf.mot or a .c3d with force plates")


def loads(
    file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json) with joint centres, "
                                          "keypoints or a known marker set."),
    mass_kg: float = typer.Option(..., "--mass-kg", help="Body mass, kg."),
    height_m: float = typer.Option(..., "--height-m", help="Stature, m."),
    sex: str = typer.Option(..., "--sex", help="male or female (de Leva parameters)."),
    box_kg: float = typer.Option(0.0, "--box-kg", help="Mass of the box held in both hands, kg."),
    right_share: float = typer.Option(0.5, "--right-share", help="Share of the box carried by the right hand."),
    hold_s: tuple[float, float] | None = typer.Option(None, "--hold-s", help="Grasp and release times (s): the box "
                                                                            "is in the hands only between them."),
    grf: Path | None = typer.Option(None, "--grf", help="Ground reactions (.mot or .c3d) for the bottom-up chain."),
    cutoff_hz: float = typer.Option(6.0, "--cutoff-hz", help="Low-pass cut-off for the joint centres, Hz "
                                                             "(0 = no filtering)."),
    static: bool = typer.Option(False, "--static", help="Static equilibrium (ignore accelerations)."),
    calibration: Path | None = typer.Option(None, "--calibration-trial",
                                            help="Static marker trial (same marker set) for knee/ankle centres "
                                                 "when the motion lacks medial/lateral markers."),
    plates: Path | None = typer.Option(None, "--plates", help=_lab.PLATES_HELP),
    plates_spec: Path | None = typer.Option(None, "--plates-spec", help=_lab.SPEC_HELP),
    both_feet: bool = typer.Option(False, "--plates-under-both-feet", help=_lab.BOTH_FEET_HELP),
    object_plate: list[int] = typer.Option([], "--object-plate", help=_lab.OBJECT_PLATE_HELP),
    leg_length_mm: float | None = typer.Option(None, "--leg-length-mm", help=_lab.LEG_HELP),
    knee_width_mm: float | None = typer.Option(None, "--knee-width-mm", help=_lab.KNEE_HELP),
    ankle_width_mm: float | None = typer.Option(None, "--ankle-width-mm", help=_lab.ANKLE_HELP),
    output: Path | None = typer.Option(None, "-o", "--output", help="CSV file for the time series."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file."),
) -> None:
    """L5/S1 loads (top-down Newton-Euler), spine compression/shear and peaks; bottom-up with force plates.

    Force plates: --grf (.mot or .c3d), or --plates/--plates-spec (CSV), or the C3D's own plates.
    A lower-body-only file gives the bottom-up loads (L5/S1 from the plates); an upper-body-only
    file the top-down ones; what is missing is printed as a note."""
    _run_loads(file, mass_kg, height_m, sex, box_kg, right_share, hold_s, grf, cutoff_hz, static, calibration,
               output, overwrite, plates, plates_spec, _lab.measurements(leg_length_mm, knee_width_mm, ankle_width_mm),
               both_feet, object_plate)


@_clean_errors
def _run_loads(file, mass_kg, height_m, sex, box_kg, right_share, hold_s, grf, cutoff_hz, static, calibration,
               output, overwrite, plates=None, plates_spec=None, measurements=None, both_feet=False, object_plate=()):
    import pandas as pd

    if output is not None and output.exists() and not overwrite:
        raise InputFileError(output, "the output file exists", fix="pass --overwrite or another -o path")
    subject = Subject(sex, mass_kg, height_m)
    box_kg = check("box_mass_kg", box_kg, where="--box-kg")  # refuse a negative box before any work
    cal = read_motion(calibration) if calibration is not None else None
    raw = read_motion(file)
    motion = _joint_centres(raw, subject.sex, cal, measurements)
    notes = list(motion.meta.get(NOTES_KEY, ()))
    if cutoff_hz > 0:
        motion = lowpass(motion, cutoff_hz)
    if grf is not None:
        fp = ForcePlates(tuple(_ground_reactions(grf)), (), source=str(grf))
    else:
        fp = recording_plates(file, raw, plates, plates_spec, both_feet, object_plate) or ForcePlates()
    hand = HandLoad(box_mass_kg=box_kg, split=right_share) if box_kg > 0 else None
    holds = [hold_s] if hold_s else None
    if fp.objects:
        measured = hand_load_from_object_plates(fp.objects, motion, box_kg or None, right_share)
        notes += measured.notes
        if measured.hand_load is not None:
            hand, holds = measured.hand_load, holds or measured.holds_s
    bu = None
    if fp.ground:
        try:
            bu = bottom_up(motion, subject, list(fp.ground), static=static, frame="auto")
        except LiftriskError as exc:
            notes.append(f"bottom-up loads not computed: {exc}")
    try:
        td = top_down_l5s1(motion, subject, hand, static=static, hold_intervals_s=holds)
    except LiftriskError as exc:
        if bu is None:
            raise
        td = unavailable_l5s1(motion.time_s, bu)
        notes.append(f"top-down loads not computed ({exc}); the L5/S1 columns are the bottom-up ones from the "
                     "force plates")
    sp = spine_load(td)
    table = pd.concat([td, sp], axis=1)
    if bu is not None:
        table = pd.concat([table, bu.add_prefix("bottom_up_")], axis=1)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(output, float_format="%.6g")

    def peak(series) -> tuple[float, float]:
        v = series.to_numpy(dtype=float)
        if not np.isfinite(v).any():
            return float("nan"), float("nan")
        i = int(np.nanargmax(np.abs(v)))
        return float(v[i]), float(series.index[i])

    typer.echo(f"{file}: {motion.n_frames} frames, {subject.sex} {subject.mass_kg:g} kg {subject.height_m:g} m"
               + (f", box {box_kg:g} kg" if box_kg else ""))
    src = " (bottom-up)" if td.attrs.get("source") == "bottom_up" else ""
    rows = [(f"L5/S1 extension moment{src} (N·m)", td["l5s1_extension_moment_nm"]),
            ("L5/S1 lateral bending moment (N·m)", td["l5s1_lateral_bending_left_moment_nm"]),
            ("L5/S1 axial twist moment (N·m)", td["l5s1_axial_twist_left_moment_nm"]),
            ("L5/S1 compression (N)", sp["compression_n"]),
            ("L5/S1 anterior shear (N)", sp["ap_shear_n"])]
    if bu is not None:
        rows += [(f"{s} {j} (N·m, bottom-up)", bu[f"{s}_{j}_moment_nm"]) for s in ("r", "l")
                 for j in ("hip_extension", "knee_extension", "ankle_plantarflexion")]
    for label, series in rows:
        v, t = peak(series)
        typer.echo(f"  peak {label:40s} {v:9.1f} at {t:.2f} s")
    frac = float(sp["above_action_limit"].mean())
    typer.echo(f"  frames above the 3400 N action limit: {100 * frac:.1f} %; above 6400 N: "
               f"{100 * float(sp['above_maximum_permissible'].mean()):.1f} %")
    for n in notes:
        typer.echo(f"  note: {n}")
    if output is not None:
        typer.echo(f"wrote {output} ({len(table.columns)} columns)")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("loads")(loads)
