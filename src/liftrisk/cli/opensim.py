"""`liftrisk opensim`: liftrisk's fitted body model as OpenSim files (no OpenSim needed); with the
``opensim`` extra, OpenSim's scaling, IK and ID on those files (or on a user's model) in a worker
process, compared with liftrisk's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import typer

from liftrisk import io
from liftrisk.bodymodel import fit_body_model
from liftrisk.bodymodel.fit import UPPER_BODIES, UPPER_LENGTHS, arms_down_joint_centres, calibration_joint_centres
from liftrisk.bodymodel.osim import (
    SCALE_MARKER_PREFIX,
    SCALE_MEASUREMENTS,
    measurement_joint_centres,
    opensim_loads,
    scale_spec,
    scaling_model,
    to_osim_xml,
)
from liftrisk.cli import _lab
from liftrisk.cli._common import clean_errors
from liftrisk.core.loads import ForcePlates
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, InputFileError, UnknownFormatError
from liftrisk.io.opensim_worker import run_worker
from liftrisk.kinetics import bottom_up, top_down_l5s1
from liftrisk.kinetics.object_plate import hand_load_from_object_plates
from liftrisk.processing.filters import lowpass

# liftrisk bottom-up column -> (OpenSim coordinate of the exported model, sign OpenSim = sign * liftrisk)
_ID_JOINTS = (("hip_extension", "hip_flexion", -1.0), ("knee_extension", "knee_flexion", -1.0),
              ("ankle_plantarflexion", "ankle_dorsiflexion", -1.0))
_ROOT_TRANSLATIONS = ("pelvis_tx", "pelvis_ty", "pelvis_tz")
# candidate bodies of a user's model for the external loads (gait2354/Rajagopal, liftrisk's, others)
_USER_BODIES = {"right_foot": ("calcn_r", "r_foot", "foot_r"), "left_foot": ("calcn_l", "l_foot", "foot_l"),
                "right_hand": ("hand_r", "r_hand"), "left_hand": ("hand_l", "l_hand")}


def _compare_id(m, subject, plates, feet, hand, holds, id_sto) -> list[tuple[str, float, float]]:
    """(joint, RMS N m, RMS % of OpenSim's peak) of liftrisk's bottom-up vs OpenSim's ID
    (stance only: the side's vertical load > 20 N) and top-down lumbar (whole trial); `id_sto`
    is the ID file or its table with liftrisk's coordinate names."""
    osim_id = io.read_sto(id_sto)[0] if isinstance(id_sto, str | Path) else id_sto
    t = osim_id.index.to_numpy()
    bu = bottom_up(m, subject, plates, frame="pelvis")
    td = top_down_l5s1(m, subject, hand, frame="pelvis", joints=False, hold_intervals_s=holds)
    rows = []

    def add(name, mine, theirs, sel):
        if sel.sum() < 3:
            return
        d = mine[sel] - theirs[sel]
        rms = float(np.sqrt(np.nanmean(d ** 2)))
        rows.append((name, rms, 100.0 * rms / max(float(np.nanmax(np.abs(theirs[sel]))), 1e-9)))

    for side, foot in (("r", "right"), ("l", "left")):
        fz = sum((np.interp(t, g.time_s, np.nan_to_num(g.force_n[:, 2])) for g in feet if g.foot == foot),
                 np.zeros(t.size))
        stance = fz > 20.0
        for mine, theirs, sign in _ID_JOINTS:
            col = f"{side}_{mine}_moment_nm"
            if col in bu and f"{side}_{theirs}_moment" in osim_id:
                mv = sign * np.interp(t, bu.index.to_numpy(), bu[col].to_numpy())
                add(f"{side}_{theirs}", mv, osim_id[f"{side}_{theirs}_moment"].to_numpy(), stance)
    if "lumbar_flexion_moment" in osim_id:
        lum = np.interp(t, td.index.to_numpy(), td["l5s1_extension_moment_nm"].to_numpy())
        add("lumbar_extension (top-down)", lum, -osim_id["lumbar_flexion_moment"].to_numpy(), np.isfinite(lum))
    return rows


def _plates(file: Path, motion, grf, grf_loads, plates_csv, plates_spec, both_feet, object_plate):
    """ForcePlates from --grf (.mot/.sto or .c3d) or --plates/--plates-spec, else None."""
    if grf is not None and plates_csv is not None:
        raise DataQualityError(f"--grf {grf} and --plates {plates_csv} both given; give the force data once")
    if grf_loads is not None and (grf is None or grf.suffix.lower() not in (".mot", ".sto")):
        raise DataQualityError(f"--grf-loads {grf_loads} goes with an OpenSim GRF file (--grf *.mot)")
    if grf is None:
        if both_feet or object_plate:
            raise DataQualityError("--object-plate and --plates-under-both-feet apply to C3D force plates (--grf "
                                   "FILE.c3d); a plate CSV says each plate's role in its --plates-spec")
        if plates_csv is None and plates_spec is None:
            return None
        return io.recording_plates(file, motion, plates_csv, plates_spec)
    suffix = grf.suffix.lower()
    if suffix in (".mot", ".sto"):
        if both_feet or object_plate:
            raise DataQualityError(f"--grf {grf}: --object-plate and --plates-under-both-feet apply to C3D plates "
                                   "only (an OpenSim GRF file says the feet in its ExternalLoads .xml)")
        return ForcePlates(tuple(io.read_opensim_grf(grf, grf_loads)), (), source=str(grf))
    if suffix == ".c3d":
        fp = io.recording_plates(grf, motion, None, None, both_feet, object_plate)
        if fp is None:
            raise DataQualityError(f"{grf}: the C3D has no force platforms (ANALOG channels with FORCE_PLATFORM "
                                   "parameters); give --grf walk_grf.mot or --plates/--plates-spec")
        return fp
    raise UnknownFormatError(grf, f"ground reactions are read from .c3d or OpenSim .mot files, not {suffix!r}",
                             fix="give --grf walk_grf.mot or a .c3d with force plates, or --plates/--plates-spec "
                                 "for a CSV")


def _coords_deg(coords):
    out = coords.copy()
    rot = [c for c in out.columns if c not in _ROOT_TRANSLATIONS]
    out[rot] = np.degrees(out[rot])
    return out


def _ik_rms(mine, theirs_path: Path) -> dict[str, float]:
    """RMS difference (deg) per rotational coordinate between liftrisk's (deg) and an OpenSim IK .mot."""
    theirs, _ = io.read_mot(theirs_path)
    t = theirs.index.to_numpy()
    out = {}
    for c in mine.columns:
        if c in _ROOT_TRANSLATIONS or c not in theirs:
            continue
        v = np.interp(t, mine.index.to_numpy(), mine[c].to_numpy()) - theirs[c].to_numpy()
        if np.isfinite(v).any():
            out[c] = float(np.sqrt(np.nanmean(v ** 2)))
    return out


def _echo_id(rows, what: str) -> None:
    typer.echo(f"liftrisk Newton-Euler vs OpenSim ID ({what}), RMS (stance for the legs):")
    for name, rms, pct in rows:
        typer.echo(f"  {name:28s} {rms:6.2f} N m  ({pct:4.1f} % of OpenSim's peak)")


def _run_opensim(fit, subject, motion, static, out: dict, loads_xml, id_args, overwrite: bool, cutoff: str,
                 keep_proportions: bool = False) -> None:
    """OpenSim's scaling of liftrisk's generic model, IK on the scaled and on liftrisk's model, ID."""
    calib = static if static is not None else motion
    jc = calibration_joint_centres(motion, subject, static)
    arms_down = arms_down_joint_centres(motion, subject, static)  # as fit_body_model: raised arms in the static
    meas_jc = measurement_joint_centres(jc, arms_down, UPPER_LENGTHS)
    gen = scaling_model(fit.model, fit.scaling.scale_factors, keep_proportions)
    model_markers = [n for n in fit.model.markers if n in calib]
    measurements, ik_weights = scale_spec(meas_jc, model_markers)
    ik_weights = {k: v for k, v in ik_weights.items()
                  if not k.startswith(SCALE_MARKER_PREFIX) or k[len(SCALE_MARKER_PREFIX):] in jc}
    if not measurements:
        raise DataQualityError("OpenSim scaling: the calibration trial has none of the joint-centre pairs that "
                               f"liftrisk scales on ({', '.join(SCALE_MEASUREMENTS)})")
    fixed = [n for n in gen.markers if n.startswith(SCALE_MARKER_PREFIX)]
    if arms_down is not None and keep_proportions:
        # the markers liftrisk registered on the arms-down frames (torso, head, arms) stay where it
        # placed them: in its body frames, which OpenSim's uniform scaling of the generic model
        # with the subject's proportions gives back; the MarkerPlacer's static pose (the raised
        # arms) ignores them. With de Leva's proportions OpenSim's bodies are not liftrisk's, so
        # the MarkerPlacer places them on the static trial (docs/bodymodel.md: measured both ways).
        upper = [n for n, (b, _) in gen.markers.items() if b in UPPER_BODIES]
        fixed += [n for n in upper if n not in fixed]
        ik_weights = {n: (0.0 if n in upper else w) for n, w in ik_weights.items()}
        n_up = sum(not n.startswith(SCALE_MARKER_PREFIX) for n in upper)
        typer.echo(f"OpenSim marker placement: the static trial's arms are raised; the {n_up} markers on the "
                   "torso, head and arms stay where liftrisk registered them on the arms-down frames "
                   "(--keep-proportions: OpenSim's scaled bodies are liftrisk's); the others on the static trial")
    io.write_osim(to_osim_xml(gen, name="liftrisk_generic", fixed=fixed), out["generic"], overwrite)
    jc_points = {SCALE_MARKER_PREFIX + p: jc[p] for p in jc.point_names
                 if (SCALE_MARKER_PREFIX + p) in ik_weights}
    scale_trc = calib.select(model_markers).with_points(jc_points)
    io.write_trc(scale_trc, out["scale_trc"], overwrite=overwrite)
    t0 = float(calib.time_s[0])
    spec = {"generic_model": str(out["generic"].resolve()), "static_trc": str(out["scale_trc"].resolve()),
            "mass_kg": subject.mass_kg, "height_m": subject.height_m,
            "time_range": [t0, float(calib.time_s[-1])],
            "measurements": measurements, "ik_weights": ik_weights,
            "output_model": str(out["scaled"].resolve()), "output_scale_set": str(out["scale_set"].resolve()),
            "setup_file": str(out["scale_setup"].resolve())}
    if static is None:  # a moving recording: OpenSim's static pose from its first two frames only
        spec["placer_time_range"] = [t0, float(calib.time_s[min(1, calib.n_frames - 1)])]
    if arms_down is not None:  # the measurements read their own TRC (the MarkerPlacer keeps the static trial)
        io.write_trc(meas_jc.rename({p: SCALE_MARKER_PREFIX + p for p in meas_jc.point_names}),
                     out["scale_measure_trc"], overwrite=overwrite)
        spec["measure_trc"] = str(out["scale_measure_trc"].resolve())
        spec["measure_time_range"] = [float(meas_jc.time_s[0]), float(meas_jc.time_s[-1])]
        typer.echo(f"OpenSim scaling: the static trial's arms are raised; trunk, head and arm lengths measured on "
                   f"{arms_down.n_frames} arms-down frames of the recording (as liftrisk's): "
                   f"{out['scale_measure_trc']}")
    for k in ("scaled", "scale_set", "scale_setup"):
        io.check_writable(out[k], overwrite)
    spec_path = out["scale_spec"]
    spec_path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    res = json.loads(run_worker("scale", str(spec_path)).strip().splitlines()[-1])
    typer.echo(f"wrote {out['scaled']} (OpenSim ScaleTool; setup {out['scale_setup']})")
    typer.echo("scale factors (OpenSim: measurement on the calibration joint centres, X Y Z; liftrisk: length):")
    measured = {m["name"] for m in measurements}
    for length, (_, bodies) in SCALE_MEASUREMENTS.items():
        for b in bodies:
            f = res["scale_factors"].get(b)
            os_txt = (" ".join(f"{v:.4f}" for v in f) if f and length in measured
                      else "not measured (generic)")
            lr_txt = "" if length in fit.scaling.measured else " (not measured: median of the measured)"
            typer.echo(f"  {b:14s} OpenSim {os_txt:22s} liftrisk {length} {fit.scaling.scale_factors[length]:.4f}"
                       + lr_txt)
    # the same weights as liftrisk's last IK pass (time-mean; OpenSim's weights are constant per marker)
    w = fit.marker_weights.mean(axis=0) if fit.marker_weights is not None else None
    weights = {n: float(w[n]) if w is not None else 1.0 for n in fit.model.markers if n in motion}
    io.check_writable(out["weights"], overwrite)
    out["weights"].write_text(json.dumps(weights, indent=1), encoding="utf-8")
    for k in ("ik_same", "ik_scaled"):
        io.check_writable(out[k], overwrite)
    run_worker("ik", str(out["model"]), str(out["markers"]), str(out["ik_same"]), str(out["weights"]))
    run_worker("ik", str(out["scaled"]), str(out["markers"]), str(out["ik_scaled"]), str(out["weights"]))
    mine = _coords_deg(fit.coordinates)
    same, scaled = _ik_rms(mine, out["ik_same"]), _ik_rms(mine, out["ik_scaled"])
    typer.echo(f"wrote {out['ik_same']} and {out['ik_scaled']} (OpenSim IK, liftrisk's marker weights); "
               "liftrisk IK vs OpenSim IK, RMS deg per coordinate: on liftrisk's model | on OpenSim's scaled model")
    for c in same:
        typer.echo(f"  {c:24s} {same[c]:6.2f} | {scaled.get(c, float('nan')):6.2f}")
    if id_args is not None:
        io.check_writable(out["id_scaled"], overwrite)
        run_worker("id", str(out["scaled"]), str(out["ik_scaled"]), str(loads_xml), str(out["id_scaled"]), cutoff)
        typer.echo(f"wrote {out['id_scaled']} (OpenSim ID on OpenSim's scaled model and IK)")
        _echo_id(_compare_id(*id_args, out["id_scaled"]), "OpenSim's scaled model and IK")


def _user_body(mm, names: dict, key: str) -> str:
    if key in mm.bodies:
        if mm.bodies[key] not in names["bodies"]:
            raise InputFileError(mm.source, f"[bodies] {key} = {mm.bodies[key]!r} is not a body of the model "
                                            f"(bodies: {', '.join(names['bodies'][:30])})", field=f"bodies.{key}",
                                 fix="name one of the model's bodies")
        return mm.bodies[key]
    for b in _USER_BODIES[key]:
        if b in names["bodies"]:
            return b
    raise InputFileError(mm.source, f"the model has no body for the {key.replace('_', ' ')} (tried "
                                    f"{', '.join(_USER_BODIES[key])})", field=f"bodies.{key}",
                         fix=f'add [bodies] {key} = "<body name>" (bodies: {", ".join(names["bodies"][:30])})')


def _run_user_model(model_path: Path, map_path: Path, subject, motion, static, loads, bodies, out: dict,
                    overwrite: bool, cutoff: str, id_args=None) -> None:
    """OpenSim scale (when the map has [[scale]]), IK and ID with the user's model."""
    mm = io.read_marker_map(map_path)
    names = io.read_osim_names(model_path)
    missing_data = [d for d in mm.markers if d not in motion]
    if missing_data:
        raise InputFileError(map_path, f"data marker(s) {missing_data[:8]} of [markers] are not in the recording "
                                       f"(it has {', '.join(motion.point_names[:40])})",
                             field=f"markers.{missing_data[0]}", fix="map the recording's marker names")
    missing_model = [m for m in mm.markers.values() if m not in names["markers"]]
    if missing_model:
        raise InputFileError(map_path, f"model marker(s) {missing_model[:8]} are not in {model_path} (it has "
                                       f"{', '.join(names['markers'][:40])})",
                             field="markers", fix="map to the model's marker names")
    for s in mm.scale:
        bad = [n for pair in s["pairs"] for n in pair if n not in mm.markers.values()]
        badb = [b for b in s["bodies"] if b not in names["bodies"]]
        if bad or badb:
            raise InputFileError(map_path, f"[[scale]] {s['name']!r}: " + (f"marker {bad[0]!r} is not a mapped model "
                                 "marker" if bad else f"body {badb[0]!r} is not in the model"),
                                 field=f"scale.{s['name']}", fix="use mapped model markers and the model's bodies")

    def renamed(mo):
        return mo.select(list(mm.markers)).rename(mm.markers)

    io.write_trc(renamed(motion), out["user_trc"], overwrite=overwrite)
    bad = [(f"coordinate_weights.{c}", c) for c in mm.coordinate_weights if c not in names["coordinates"]]
    bad += [(f"coordinates.{k}", v.lstrip("-")) for k, v in mm.coordinates.items()
            if v.lstrip("-") not in names["coordinates"]]
    if bad:
        raise InputFileError(map_path, f"coordinate {bad[0][1]!r} is not in {model_path} (it has "
                                       f"{', '.join(names['coordinates'][:40])})", field=bad[0][0],
                             fix="name one of the model's coordinates")
    io.check_writable(out["user_weights"], overwrite)
    out["user_weights"].write_text(json.dumps({"markers": mm.weights, "coordinates": mm.coordinate_weights},
                                              indent=1), encoding="utf-8")
    model_used = model_path
    if mm.scale:
        calib = static if static is not None else motion
        if static is not None:
            for d in mm.markers:
                if d not in static:
                    raise InputFileError(map_path, f"data marker {d!r} is not in the static trial",
                                         field=f"markers.{d}", fix="give a static trial with the same markers")
        io.write_trc(renamed(calib), out["user_static_trc"], overwrite=overwrite)
        t0 = float(calib.time_s[0])
        spec = {"generic_model": str(model_path.resolve()), "static_trc": str(out["user_static_trc"].resolve()),
                "mass_kg": subject.mass_kg, "height_m": subject.height_m,
                "time_range": [t0, float(calib.time_s[-1])], "measurements": mm.scale,
                "ik_weights": mm.weights, "output_model": str(out["user_scaled"].resolve()),
                "output_scale_set": str(out["user_scale_set"].resolve()),
                "setup_file": str(out["user_scale_setup"].resolve())}
        if static is None:  # a moving recording: OpenSim's static pose from its first two frames only
            spec["placer_time_range"] = [t0, float(calib.time_s[min(1, calib.n_frames - 1)])]
        spec_path = out["user_scale_spec"]
        for p in (out["user_scaled"], out["user_scale_set"], out["user_scale_setup"], spec_path):
            io.check_writable(p, overwrite)
        spec_path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
        res = json.loads(run_worker("scale", str(spec_path)).strip().splitlines()[-1])
        model_used = out["user_scaled"]
        typer.echo(f"wrote {model_used} (OpenSim ScaleTool on {model_path.name}); scale factors X Y Z:")
        scaled_bodies = {b for sm in mm.scale for b in sm["bodies"]}
        for b, f in res["scale_factors"].items():
            if b in scaled_bodies:
                typer.echo(f"  {b:14s} {' '.join(f'{v:.4f}' for v in f)}")
    else:
        typer.echo(f"{map_path}: no [[scale]] measurements; {model_path.name} is used as it is (unscaled)")
    io.check_writable(out["user_ik"], overwrite)
    run_worker("ik", str(model_used), str(out["user_trc"]), str(out["user_ik"]), str(out["user_weights"]))
    ik, _ = io.read_mot(out["user_ik"])
    typer.echo(f"wrote {out['user_ik']} (OpenSim IK with {model_path.name}: {ik.shape[1]} coordinates, "
               f"{len(ik)} frames)")
    if loads:
        key = {"r_foot": "right_foot", "l_foot": "left_foot", "r_hand": "right_hand", "l_hand": "left_hand"}
        user_bodies = [_user_body(mm, names, key[b]) for b in bodies]
        for p in (out["user_loads_mot"], out["user_loads_xml"], out["user_id"]):
            io.check_writable(p, overwrite)
        io.write_external_loads(loads, out["user_loads_mot"], out["user_loads_xml"], applied_to=user_bodies,
                                overwrite=overwrite)
        run_worker("id", str(model_used), str(out["user_ik"]), str(out["user_loads_xml"]), str(out["user_id"]), cutoff)
        typer.echo(f"wrote {out['user_id']} (OpenSim ID with {model_path.name}; loads on "
                   f"{', '.join(sorted(set(user_bodies)))})")
        if mm.coordinates and id_args is not None:
            theirs, _ = io.read_sto(out["user_id"])
            table = theirs[[]].copy()
            for mine, col in mm.coordinates.items():
                sign, name = (-1.0, col[1:]) if col.startswith("-") else (1.0, col)
                if f"{name}_moment" in theirs:
                    table[f"{mine}_moment"] = sign * theirs[f"{name}_moment"]
            _echo_id(_compare_id(*id_args, table), f"{model_path.name}, coordinates per [coordinates] of the map; "
                     "different models and kinematics")


def opensim(file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json)."),
            output: Path = typer.Option(..., "-o", "--output", help="Output folder (created)."),
            mass_kg: float = typer.Option(..., "--mass-kg", help="Body mass, kg."),
            height_m: float = typer.Option(..., "--height-m", help="Stature, m."),
            sex: str = typer.Option(..., "--sex", help="male or female."),
            static: Path | None = typer.Option(None, "--static", help="Static trial for scaling (mocap)."),
            grf: Path | None = typer.Option(None, "--grf", help="Ground reactions: an OpenSim GRF .mot (Y up) or a "
                                            ".c3d with force platforms (e.g. FILE itself)."),
            grf_loads: Path | None = typer.Option(None, "--grf-loads",
                                                  help="The .mot's ExternalLoads .xml (which foot each force is "
                                                       "under)."),
            plates: Path | None = typer.Option(None, "--plates", help=_lab.PLATES_HELP),
            plates_spec: Path | None = typer.Option(None, "--plates-spec", help=_lab.SPEC_HELP),
            both_feet: bool = typer.Option(False, "--plates-under-both-feet", help=_lab.BOTH_FEET_HELP),
            object_plate: list[int] = typer.Option([], "--object-plate", help=_lab.OBJECT_PLATE_HELP),
            right_share: float = typer.Option(0.5, "--right-share", help="Share of the object plate's load "
                                              "applied to the right hand (0-1)."),
            model: Path | None = typer.Option(None, "--model", help="Your own OpenSim model (.osim): with the "
                                              "opensim extra, OpenSim scales it (per --marker-map), runs IK and "
                                              "ID with it; needs --marker-map."),
            marker_map: Path | None = typer.Option(None, "--marker-map", help="TOML: data marker -> model marker, "
                                                   "optional IK weights, scaling measurements, the bodies of the "
                                                   "loads and the coordinates compared (docs/bodymodel.md)."),
            run_id: bool = typer.Option(False, "--run-id", help="With the opensim extra: run OpenSim's inverse "
                                        "dynamics on the written files and compare with liftrisk's."),
            run_opensim: bool = typer.Option(False, "--run-opensim", help="With the opensim extra: OpenSim's "
                                             "ScaleTool (liftrisk's measurements), IK and, with force data, ID; "
                                             "scale factors and IK compared with liftrisk's."),
            keep_proportions: bool = typer.Option(False, "--keep-proportions", help="With --run-opensim: OpenSim "
                                                  "scales a generic model with the subject's proportions (liftrisk's "
                                                  "model, each body divided by its factor) instead of de Leva's."),
            cutoff_hz: float = typer.Option(6.0, "--cutoff-hz", help="Low-pass of the coordinates (OpenSim) and "
                                            "joint centres (liftrisk) for the ID, Hz; 0 = none."),
            overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files.")) -> None:
    """Scale and fit liftrisk's body model, then write model.osim (OpenSim 4), ik.mot (the
    fitted coordinates; rotations in degrees), markers.trc (the measured markers, Y-up, mm) and,
    with force data, external_loads.mot/.xml (plates on the feet, an object plate's load at the
    hands); --run-id runs OpenSim's ID, --run-opensim OpenSim's scaling, IK and ID."""

    @clean_errors
    def run():
        subject = Subject(sex, mass_kg, height_m)
        if not 0.0 <= right_share <= 1.0:
            raise DataQualityError(f"--right-share is {right_share:g}; expected the right hand's share of the "
                                   "object's load, 0-1 (0.5: both hands alike)")
        if (model is None) != (marker_map is None):
            raise DataQualityError("--model and --marker-map go together: the map says which of the recording's "
                                   "markers is which marker of the model")
        out = {k: output / n for k, n in (
            ("model", "model.osim"), ("ik", "ik.mot"), ("markers", "markers.trc"),
            ("loads_mot", "external_loads.mot"), ("loads_xml", "external_loads.xml"), ("id", "inverse_dynamics.sto"),
            ("generic", "opensim_generic.osim"), ("scale_trc", "opensim_scale_static.trc"),
            ("scaled", "opensim_scaled.osim"), ("scale_set", "opensim_scale_set.xml"),
            ("scale_setup", "opensim_scale_setup.xml"), ("weights", "opensim_ik_weights.json"),
            ("ik_same", "opensim_ik_liftrisk_model.mot"), ("ik_scaled", "opensim_ik.mot"),
            ("id_scaled", "opensim_inverse_dynamics.sto"),
            ("user_trc", "user_markers.trc"), ("user_static_trc", "user_static.trc"),
            ("user_weights", "user_ik_weights.json"), ("user_scaled", "user_scaled.osim"),
            ("user_scale_set", "user_scale_set.xml"), ("user_scale_setup", "user_scale_setup.xml"),
            ("user_ik", "user_ik.mot"), ("user_loads_mot", "user_external_loads.mot"),
            ("user_loads_xml", "user_external_loads.xml"), ("user_id", "user_inverse_dynamics.sto"),
            ("scale_spec", "scale_spec.json"), ("user_scale_spec", "user_scale_spec.json"),
            ("scale_measure_trc", "opensim_scale_measurements.trc"))}
        output.mkdir(parents=True, exist_ok=True)
        for p in (out["model"], out["ik"], out["markers"]):
            io.check_writable(p, overwrite)
        motion = io.read_motion(file)
        st = io.read_motion(static) if static is not None else None
        fp = _plates(file, motion, grf, grf_loads, plates, plates_spec, both_feet, object_plate)
        if run_id and fp is None:
            raise DataQualityError("--run-id needs force data: OpenSim's inverse dynamics needs the ground "
                                   "reactions (--grf GRF.mot/FILE.c3d, or --plates with --plates-spec)")
        # every file this run will write is checked before the first is written
        planned = ["loads_mot", "loads_xml"] if fp is not None else []
        planned += ["id"] if run_id else []
        if run_opensim:
            planned += ["generic", "scale_trc", "scaled", "scale_set", "scale_setup", "scale_spec", "weights",
                        "ik_same", "ik_scaled", "scale_measure_trc"] + (["id_scaled"] if fp is not None else [])
        if model is not None:
            mm = io.read_marker_map(marker_map)  # a bad map fails before the fit
            io.read_osim_names(model)
            planned += ["user_trc", "user_weights", "user_ik"]
            planned += (["user_static_trc", "user_scaled", "user_scale_set", "user_scale_setup", "user_scale_spec"]
                        if mm.scale else [])
            planned += ["user_loads_mot", "user_loads_xml", "user_id"] if fp is not None else []
        for k in planned:
            io.check_writable(out[k], overwrite)
        fit = fit_body_model(motion, subject, static=st)
        io.write_osim(to_osim_xml(fit.model, name=file.stem), out["model"], overwrite)
        io.write_mot(_coords_deg(fit.coordinates), out["ik"], in_degrees=True, overwrite=overwrite,
                     description="liftrisk inverse kinematics (liftrisk.bodymodel)")
        io.write_trc(motion.select([n for n in fit.model.markers if n in motion]), out["markers"],
                     overwrite=overwrite)
        written = [out["model"], out["ik"], out["markers"]]
        loads, bodies, id_args = [], [], None
        m = lowpass(fit.joint_centres, cutoff_hz) if cutoff_hz > 0 else fit.joint_centres
        if fp is not None:
            hand, holds = None, None
            if fp.objects:
                measured = hand_load_from_object_plates(fp.objects, m, split=right_share)
                for note in measured.notes:
                    typer.echo(f"note: {note}")
                if measured.hand_load is not None:
                    hand, holds = measured.hand_load, measured.holds_s
                    typer.echo(f"object plate: {measured.hand_load.box_mass_kg:.2f} kg, in the hands "
                               + ", ".join(f"{a:.2f}-{b:.2f} s" for a, b in holds)
                               + f" (applied at the fitted hand points, {100 * right_share:.0f} % to the right hand)")
            loads, bodies = opensim_loads(m, list(fp.ground), hand, holds)
            if not loads:
                raise DataQualityError(f"{fp.source or 'force data'}: no plate carries any load")
            io.write_external_loads(loads, out["loads_mot"], out["loads_xml"], applied_to=bodies,
                                    overwrite=overwrite)
            written += [out["loads_mot"], out["loads_xml"]]
            id_args = (m, subject, list(fp.ground), [g for g, b in zip(loads, bodies, strict=True)
                                                      if b.endswith("_foot")], hand, holds)
        typer.echo(f"wrote {', '.join(str(p) for p in written)}; RMS marker residual "
                   f"{1000 * fit.rms_residual_m():.1f} mm")
        cut = str(cutoff_hz or -1)
        if run_id:
            run_worker("id", str(out["model"]), str(out["ik"]), str(out["loads_xml"]), str(out["id"]), cut)
            typer.echo(f"wrote {out['id']} (OpenSim ID)")
            _echo_id(_compare_id(*id_args, out["id"]), "liftrisk's model and IK")
        if run_opensim:
            _run_opensim(fit, subject, motion, st, out, out["loads_xml"] if loads else None, id_args, overwrite, cut,
                         keep_proportions)
        if model is not None:
            _run_user_model(model, marker_map, subject, motion, st, loads, bodies, out, overwrite, cut, id_args)

    run()


def register(app: typer.Typer) -> None:
    """Add ``opensim`` to the main app."""
    app.command("opensim")(opensim)
