"""CLI commands of the files area: ``liftrisk info FILE`` and ``liftrisk angles FILE -o out.csv``.

Thin layer: typed options that call `liftrisk.io`, `liftrisk.processing` and
`liftrisk.kinematics`. Every `LiftriskError` (and OS errors such as a missing folder) is
printed as one ``error: ...`` line with exit code 2, never a traceback.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import typer

from liftrisk import io
from liftrisk.cli import _lab
from liftrisk.cli._common import clean_errors
from liftrisk.core.skeletons import CANONICAL_POINTS, detect_skeleton
from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.kinematics import canonical_joint_centres, joint_centres_from_markers
from liftrisk.kinematics.angles import joint_angles
from liftrisk.processing import fill_gaps, lowpass

FRAME_HELP = "Frame of the file's coordinates: y_up (OpenSim/TRC) or z_up (C3D labs). Default: the format's usual one."


_clean_errors = clean_errors


def _reader_kw(frame: str | None) -> dict:
    return {} if frame is None else {"frame": frame}


# ----------------------------------------------------------------------------- info
def _motion_lines(m) -> list[str]:
    miss = m.missing_fraction()
    total = float(np.mean(list(miss.values()))) if miss else 0.0
    worst = sorted(miss.items(), key=lambda kv: -kv[1])[:5]
    names = ", ".join(m.point_names[:12]) + (f", ... ({m.n_points} in all)" if m.n_points > 12 else "")
    lines = [
        f"points:     {m.n_points} ({names})",
        f"frames:     {m.n_frames} at {m.rate_hz:g} Hz",
        f"time:       {m.time_s[0]:.3f}-{m.time_s[-1]:.3f} s (duration {m.duration_s:.3f} s)",
        f"units:      file {m.meta.get('file_units', 'm')} -> liftrisk m",
        f"frame:      file {m.meta.get('file_frame', 'z_up')} -> liftrisk Z up, X forward, Y left",
        f"missing:    {100 * total:.1f} % of point-frames"
        + ("" if total == 0 else " (most: " + ", ".join(f"{n} {100 * v:.0f} %" for n, v in worst if v > 0) + ")"),
    ]
    sk = m.meta.get("skeleton")
    if sk:
        lines.append(f"skeleton:   {sk}")
    if m.meta.get("frame_warning"):
        lines.append(f"warning:    {m.meta['frame_warning']}")
    return lines


def _plate_lines(grfs) -> list[str]:
    if not grfs:
        return ["force plates: none"]
    out = [f"force plates: {len(grfs)}"]
    for g in grfs:
        fz = g.force_n[:, 2]
        peak = float(np.nanmax(fz)) if np.isfinite(fz).any() else float("nan")
        out.append(f"  {g.name or '?'}{' (' + g.foot + ')' if g.foot else ''}: {g.rate_hz:g} Hz, "
                   f"peak vertical force {peak:.0f} N, loaded {100 * np.mean(np.isfinite(g.cop_m[:, 0])):.0f} % "
                   "of samples")
    return out


def info_lines(path: Path, frame: str | None = None) -> list[str]:
    """The lines `liftrisk info` prints for a file (see `info`).

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from liftrisk.core import Motion
    >>> from liftrisk.io import write_trc
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.trc"
    >>> write_trc(Motion.from_points({"a": np.zeros((3, 3)), "b": np.ones((3, 3))}, rate_hz=100.0), f)
    >>> info_lines(f)[3]
    'frames:     3 at 100 Hz'
    """
    with warnings.catch_warnings():  # reader warnings are shown as 'warning:' lines instead
        warnings.simplefilter("ignore", UserWarning)
        return _info_lines(path, frame)


def _info_lines(path: Path, frame: str | None = None) -> list[str]:
    fmt = io.detect_format(path)
    lines = [f"file:       {path}", f"format:     {fmt}"]
    kw = _reader_kw(frame)
    if fmt == "c3d":
        rec = io.read_c3d(path, **kw)
        lines += _motion_lines(rec.motion)
        lines += _plate_lines(rec.ground_reactions)
        lines.append(f"analogs:    {rec.analogs.shape[1]} channels at {rec.analog_rate_hz:g} Hz")
        lines.append(f"events:     {len(rec.events)}")
        if rec.subject_mass_kg:
            lines.append(f"subject:    {rec.subject_mass_kg:.1f} kg"
                         + (f", {rec.subject_height_m:.2f} m" if rec.subject_height_m else ""))
        proc = rec.motion.meta.get("processing", {}) or {}
        pig = {k: v for k, v in proc.items() if any(w in k.lower() for w in ("leglength", "width", "asis",
                                                                            "markerdiameter"))}
        if pig:
            lines.append("subject measurements (PROCESSING, mm): "
                         + ", ".join(f"{k} {v:g}" for k, v in sorted(pig.items())))
        if rec.model_outputs:
            lines.append(f"model outputs (not markers): {len(rec.model_outputs)}")
    elif fmt == "mot":
        table, head = io.read_mot(path)
        t = io.regular_time(table.index.to_numpy(float))
        rate = 1.0 / float(np.median(np.diff(t))) if t.size > 1 else float("nan")
        lines += [f"columns:    {table.shape[1]} ({', '.join(map(str, table.columns[:8]))}"
                  f"{', ...' if table.shape[1] > 8 else ''})",
                  f"rows:       {len(table)} at {rate:.4g} Hz, {t[0]:.3f}-{t[-1]:.3f} s",
                  f"inDegrees:  {head.get('inDegrees', '?')}",
                  f"missing:    {100 * float(table.isna().to_numpy().mean()):.1f} % of values"]
        if any("ground_force" in str(c) for c in table.columns):
            lines += _plate_lines(io.read_opensim_grf(path, **kw))
    elif fmt == "imu_csv":
        rec = io.read_imu_csv(path)
        st = rec.stacked()
        lines += [f"sensors:    {len(rec.sensors)} ({', '.join(rec.sensors)})",
                  f"samples:    {rec.time_s.size} at {rec.rate_hz:.4g} Hz, "
                  f"duration {rec.time_s[-1] - rec.time_s[0]:.3f} s",
                  "units:      acc m/s², gyr rad/s (sensor frames)",
                  f"missing:    {100 * float(np.mean(~np.isfinite(st))):.1f} % of values"]
    elif fmt in ("json", "openpose_dir"):
        try:
            data = io.read_motion(path, **kw)
        except LiftriskError as exc:
            if "2D image keypoints" not in str(exc):
                raise
            data = None
        if data is not None:
            lines += _motion_lines(data)
        else:
            k = io.read_keypoints_json(path, rate_hz=30.0)
            det = np.isfinite(k.xy_px[:, :, 0])
            lines += [f"keypoints:  2D, skeleton {k.skeleton}, {len(k.point_names)} points",
                      f"frames:     {len(k.time_s)} (rate not stored in the file; pass it when reading)",
                      f"missing:    {100 * float(1 - det.mean()):.1f} % of point-frames",
                      "frame:      image pixels (x right, y down); lift to 3D with liftrisk.pose"]
    else:
        lines += _motion_lines(io.read_motion(path, **kw))
    return lines


def info(file: Path = typer.Argument(..., help="Motion or data file (.trc, .c3d, .mot/.sto, .csv, .json)."),
         frame: str | None = typer.Option(None, "--frame", help=FRAME_HELP)) -> None:
    """Show what a file contains: points, rate, duration, units, frame, force plates, missing data."""
    _clean_errors(lambda: [typer.echo(line) for line in info_lines(file, frame)])()


# ----------------------------------------------------------------------------- angles
def joint_centre_motion(motion, static=None, sex: str = "male", measurements=None):
    """Canonical joint centres of a motion: keypoint skeletons via the registry, marker sets
    via `liftrisk.kinematics.joint_centres_from_markers`, canonical points as they are.

    Examples
    --------
    >>> from liftrisk.synthetic import neutral_body
    >>> "l5s1" in joint_centre_motion(neutral_body().select(["l_hip", "r_hip", "neck"]))
    True
    """
    names = set(motion.point_names)
    if names <= set(CANONICAL_POINTS) | {"box"} or detect_skeleton(motion.point_names) is not None:
        return canonical_joint_centres(motion, sex=sex)
    try:
        return joint_centres_from_markers(motion, static=static, sex=sex, measurements=measurements)
    except LiftriskError as exc:
        raise DataQualityError(
            f"{motion.source or 'motion'}: cannot build joint centres from points "
            f"{', '.join(motion.point_names[:8])}{', ...' if motion.n_points > 8 else ''} ({exc}). "
            "Fix: use a file with a supported marker set (OpenSim gait2354, Plug-in Gait), keypoints of a "
            "registered skeleton (MediaPipe 33, COCO 17, BODY_25, Halpe 26, Pose2Sim) or canonical "
            "joint-centre names") from None


def compute_angles(path: Path, cutoff_hz: float | None = 6.0, max_gap_s: float = 0.0, frame: str | None = None,
                   static: Path | None = None, sex: str = "male", progress=None, measurements=None):
    """Read a motion file, low-pass it, build joint centres and return joint angles in degrees.

    Returns a DataFrame indexed by ``time_s`` whose columns end in ``_deg``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from liftrisk.io import write_keypoints_csv
    >>> from liftrisk.synthetic import neutral_body
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> write_keypoints_csv(neutral_body(n_frames=30), f)
    >>> round(float(compute_angles(f)["r_knee_flexion_deg"].abs().max()), 6)
    0.0
    """
    def step(msg):
        if progress is not None:
            progress(msg)

    step("reading")
    motion = io.read_motion(path, **_reader_kw(frame))
    static_m = io.read_motion(static, **_reader_kw(frame)) if static is not None else None
    if max_gap_s > 0:
        step("filling gaps")
        motion = fill_gaps(motion, max_gap_s)
    if cutoff_hz:
        step(f"low-pass {cutoff_hz:g} Hz")
        motion = lowpass(motion, cutoff_hz)
    step("joint centres")
    canon = joint_centre_motion(motion, static_m, sex, measurements)
    step("joint angles")
    ang = joint_angles(canon)
    deg = np.degrees(ang).add_suffix("_deg")
    deg.index.name = "time_s"
    deg.attrs["notes"] = list(canon.meta.get("notes", ()))
    if not np.isfinite(deg.to_numpy()).any():
        raise DataQualityError(f"{path}: no joint angle could be computed (points {', '.join(canon.point_names)}); "
                               "check the marker/keypoint names")
    return deg


def angles(file: Path = typer.Argument(..., help="Motion file (.trc, .c3d, keypoint .csv/.json)."),
           output: Path = typer.Option(..., "-o", "--output", help="Output CSV (angles in degrees)."),
           cutoff_hz: float = typer.Option(6.0, "--cutoff-hz", help="Low-pass cut-off in Hz (0 = no filter)."),
           max_gap_s: float = typer.Option(0.0, "--max-gap-s", help="Fill gaps up to this length (s) first."),
           frame: str | None = typer.Option(None, "--frame", help=FRAME_HELP),
           static: Path | None = typer.Option(None, "--static", help="Static trial (marker sets, e.g. gait2354)."),
           sex: str = typer.Option("male", "--sex", help="male or female (L5/S1 and hand regressions)."),
           leg_length_mm: float | None = typer.Option(None, "--leg-length-mm", help=_lab.LEG_HELP),
           knee_width_mm: float | None = typer.Option(None, "--knee-width-mm", help=_lab.KNEE_HELP),
           ankle_width_mm: float | None = typer.Option(None, "--ankle-width-mm", help=_lab.ANKLE_HELP),
           overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output file.")) -> None:
    """Joint angles (degrees) from a motion file, written as CSV indexed by time_s."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @_clean_errors
    def run():
        io.check_writable(output, overwrite)  # before the work, not after it
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      transient=True, console=None) as bar:
            task = bar.add_task("angles", total=6)

            def progress(msg):
                bar.update(task, description=msg, advance=1)

            deg = compute_angles(file, cutoff_hz or None, max_gap_s, frame, static, sex, progress,
                                 _lab.measurements(leg_length_mm, knee_width_mm, ankle_width_mm))
            progress("writing")
            io.write_table_csv(deg, output, overwrite=overwrite)
        have = [c for c in deg.columns if np.isfinite(deg[c]).any()]
        typer.echo(f"wrote {output}: {len(deg)} frames, {len(have)} of {deg.shape[1]} angles with data (degrees)")
        for n in deg.attrs.get("notes", ()):
            typer.echo(f"  note: {n}")

    run()


def register(app: typer.Typer) -> None:
    """Add ``info`` and ``angles`` to the main app."""
    app.command("info")(info)
    app.command("angles")(angles)
