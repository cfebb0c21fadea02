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

from liftrisk.cli._common import clean_errors

_clean_errors = clean_errors


def _joint_centres(motion, sex: str, calibration=None):
    from liftrisk.errors import DataQualityError
    from liftrisk.kinematics.joint_centres import canonical_joint_centres, joint_centres_from_markers

    try:
        return canonical_joint_centres(motion, sex=sex)
    except DataQualityError:
        return joint_centres_from_markers(motion, static=calibration, sex=sex)


def _ground_reactions(path: Path):
    from liftrisk.errors import UnknownFormatError
    from liftrisk.io import read_c3d, read_opensim_grf

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
    output: Path | None = typer.Option(None, "-o", "--output", help="CSV file for the time series."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file."),
) -> None:
    """L5/S1 loads (top-down Newton-Euler), spine compression/shear and peaks; optional bottom-up."""
    _run_loads(file, mass_kg, height_m, sex, box_kg, right_share, hold_s, grf, cutoff_hz, static, calibration,
               output, overwrite)


@_clean_errors
def _run_loads(file, mass_kg, height_m, sex, box_kg, right_share, hold_s, grf, cutoff_hz, static, calibration,
               output, overwrite):
    import pandas as pd

    from liftrisk.core import HandLoad, Subject
    from liftrisk.errors import InputFileError
    from liftrisk.io import read_motion
    from liftrisk.kinetics import bottom_up, spine_load, top_down_l5s1
    from liftrisk.processing.filters import lowpass

    if output is not None and output.exists() and not overwrite:
        raise InputFileError(output, "the output file exists", fix="pass --overwrite or another -o path")
    subject = Subject(sex, mass_kg, height_m)
    cal = read_motion(calibration) if calibration is not None else None
    motion = _joint_centres(read_motion(file), subject.sex, cal)
    if cutoff_hz > 0:
        motion = lowpass(motion, cutoff_hz)
    hand = HandLoad(box_mass_kg=box_kg, split=right_share) if box_kg > 0 else None
    td = top_down_l5s1(motion, subject, hand, static=static, hold_intervals_s=[hold_s] if hold_s else None)
    sp = spine_load(td)
    table = pd.concat([td, sp], axis=1)
    bu = None
    if grf is not None:
        bu = bottom_up(motion, subject, _ground_reactions(grf), static=static)
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
    rows = [("L5/S1 extension moment (N·m)", td["l5s1_extension_moment_nm"]),
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
    if output is not None:
        typer.echo(f"wrote {output} ({len(table.columns)} columns)")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command("loads")(loads)
