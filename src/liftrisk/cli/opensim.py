"""`liftrisk opensim`: liftrisk's fitted body model as OpenSim files (no OpenSim needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from liftrisk import io
from liftrisk.bodymodel import fit_body_model
from liftrisk.bodymodel.osim import to_osim_xml
from liftrisk.cli._common import clean_errors
from liftrisk.core.subject import Subject


def opensim(file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json)."),
            output: Path = typer.Option(..., "-o", "--output", help="Output folder (created)."),
            mass_kg: float = typer.Option(..., "--mass-kg", help="Body mass, kg."),
            height_m: float = typer.Option(..., "--height-m", help="Stature, m."),
            sex: str = typer.Option(..., "--sex", help="male or female."),
            static: Path | None = typer.Option(None, "--static", help="Static trial for scaling (mocap)."),
            overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files.")) -> None:
    """Scale and fit liftrisk's body model, then write model.osim (OpenSim 4), ik.mot (the
    fitted coordinates; rotations in degrees) and markers.trc (the measured markers, Y-up, mm)."""

    @clean_errors
    def run():
        subject = Subject(sex, mass_kg, height_m)
        output.mkdir(parents=True, exist_ok=True)
        paths = [output / n for n in ("model.osim", "ik.mot", "markers.trc")]
        for p in paths:
            io.check_writable(p, overwrite)
        motion = io.read_motion(file)
        st = io.read_motion(static) if static is not None else None
        fit = fit_body_model(motion, subject, static=st)
        io.write_osim(to_osim_xml(fit.model, name=file.stem), paths[0], overwrite)
        coords = fit.coordinates.copy()
        rot = [c for c in coords.columns if c not in ("pelvis_tx", "pelvis_ty", "pelvis_tz")]
        coords[rot] = np.degrees(coords[rot])
        io.write_mot(coords, paths[1], in_degrees=True, overwrite=overwrite,
                     description="liftrisk inverse kinematics (liftrisk.bodymodel)")
        io.write_trc(motion.select([n for n in fit.model.markers if n in motion]), paths[2], overwrite=overwrite)
        typer.echo(f"wrote {', '.join(str(p) for p in paths)}; RMS marker residual "
                   f"{1000 * fit.rms_residual_m():.1f} mm")

    run()


def register(app: typer.Typer) -> None:
    """Add ``opensim`` to the main app."""
    app.command("opensim")(opensim)
