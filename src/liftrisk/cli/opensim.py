"""`liftrisk opensim`: liftrisk's fitted body model as OpenSim files (no OpenSim needed); with the
``opensim`` extra, OpenSim's ID on those files in a worker process, compared with liftrisk's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import typer

from liftrisk import io
from liftrisk.bodymodel import fit_body_model
from liftrisk.bodymodel.osim import to_osim_xml
from liftrisk.cli._common import clean_errors
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError
from liftrisk.io.opensim_worker import run_worker
from liftrisk.kinetics import bottom_up, top_down_l5s1
from liftrisk.processing.filters import lowpass

FOOT_BODIES = {"right": "r_foot", "left": "l_foot"}
# liftrisk bottom-up column -> (OpenSim coordinate of the exported model, sign OpenSim = sign * liftrisk)
_ID_JOINTS = (("hip_extension", "hip_flexion", -1.0), ("knee_extension", "knee_flexion", -1.0),
              ("ankle_plantarflexion", "ankle_dorsiflexion", -1.0))


def _compare_id(fit, subject, grf, id_sto: Path, cutoff_hz: float) -> list[tuple[str, float, float]]:
    """(joint, RMS N m, RMS % of OpenSim's peak) of liftrisk's bottom-up vs OpenSim's ID, stance only."""
    osim_id, _ = io.read_sto(id_sto)
    t = osim_id.index.to_numpy()
    m = lowpass(fit.joint_centres, cutoff_hz) if cutoff_hz > 0 else fit.joint_centres
    bu = bottom_up(m, subject, grf, frame="pelvis")
    td = top_down_l5s1(m, subject, frame="pelvis", joints=False)
    rows = []

    def add(name, mine, theirs, sel):
        if sel.sum() < 3:
            return
        d = mine[sel] - theirs[sel]
        rms = float(np.sqrt(np.nanmean(d ** 2)))
        rows.append((name, rms, 100.0 * rms / max(float(np.nanmax(np.abs(theirs[sel]))), 1e-9)))

    for g in grf:
        side = {"right": "r", "left": "l"}.get(g.foot)
        if side is None:
            continue
        stance = np.interp(t, g.time_s, np.nan_to_num(g.force_n[:, 2])) > 20.0
        for mine, theirs, sign in _ID_JOINTS:
            col = f"{side}_{mine}_moment_nm"
            if col in bu and f"{side}_{theirs}_moment" in osim_id:
                mv = sign * np.interp(t, bu.index.to_numpy(), bu[col].to_numpy())
                add(f"{side}_{theirs}", mv, osim_id[f"{side}_{theirs}_moment"].to_numpy(), stance)
    if "lumbar_flexion_moment" in osim_id:
        lum = np.interp(t, td.index.to_numpy(), td["l5s1_extension_moment_nm"].to_numpy())
        add("lumbar_extension (top-down)", lum, -osim_id["lumbar_flexion_moment"].to_numpy(), np.isfinite(lum))
    return rows


def opensim(file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json)."),
            output: Path = typer.Option(..., "-o", "--output", help="Output folder (created)."),
            mass_kg: float = typer.Option(..., "--mass-kg", help="Body mass, kg."),
            height_m: float = typer.Option(..., "--height-m", help="Stature, m."),
            sex: str = typer.Option(..., "--sex", help="male or female."),
            static: Path | None = typer.Option(None, "--static", help="Static trial for scaling (mocap)."),
            grf: Path | None = typer.Option(None, "--grf", help="Ground reactions as an OpenSim GRF .mot (Y up)."),
            grf_loads: Path | None = typer.Option(None, "--grf-loads",
                                                  help="Its ExternalLoads .xml (which foot each force is under)."),
            run_id: bool = typer.Option(False, "--run-id", help="With the opensim extra: run OpenSim's inverse "
                                        "dynamics on the written files and compare with liftrisk's."),
            cutoff_hz: float = typer.Option(6.0, "--cutoff-hz", help="Low-pass of the coordinates (OpenSim) and "
                                            "joint centres (liftrisk) for --run-id, Hz; 0 = none."),
            overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files.")) -> None:
    """Scale and fit liftrisk's body model, then write model.osim (OpenSim 4), ik.mot (the
    fitted coordinates; rotations in degrees), markers.trc (the measured markers, Y-up, mm) and,
    with --grf, external_loads.mot/.xml (applied to the feet); --run-id runs OpenSim's ID."""

    @clean_errors
    def run():
        subject = Subject(sex, mass_kg, height_m)
        output.mkdir(parents=True, exist_ok=True)
        paths = [output / n for n in ("model.osim", "ik.mot", "markers.trc")]
        loads = None
        if grf is not None:
            loads = io.read_opensim_grf(grf, grf_loads)
            paths += [output / "external_loads.mot", output / "external_loads.xml"]
        if run_id:
            if loads is None:
                raise DataQualityError("--run-id needs --grf: OpenSim's inverse dynamics needs the ground "
                                       "reactions (an OpenSim GRF .mot, with --grf-loads for the feet)")
            paths.append(output / "inverse_dynamics.sto")
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
        if loads is not None:
            io.write_external_loads(loads, paths[3], paths[4], FOOT_BODIES, overwrite=overwrite)
        typer.echo(f"wrote {', '.join(str(p) for p in paths if p.suffix != '.sto')}; RMS marker residual "
                   f"{1000 * fit.rms_residual_m():.1f} mm")
        if run_id:
            run_worker("id", str(paths[0]), str(paths[1]), str(paths[4]), str(paths[5]), str(cutoff_hz or -1))
            typer.echo(f"wrote {paths[5]} (OpenSim ID); liftrisk Newton-Euler vs OpenSim ID, RMS "
                       "(stance for the legs):")
            for name, rms, pct in _compare_id(fit, subject, loads, paths[5], cutoff_hz):
                typer.echo(f"  {name:28s} {rms:6.2f} N m  ({pct:4.1f} % of OpenSim's peak)")

    run()


def register(app: typer.Typer) -> None:
    """Add ``opensim`` to the main app."""
    app.command("opensim")(opensim)
