"""CLI commands of the assess area: ``liftrisk assess`` (video or motion file -> HTML report)
and ``liftrisk demo`` (the same on bundled data, offline)."""

from __future__ import annotations

import json
import warnings
from importlib import resources
from pathlib import Path

import typer

from liftrisk.cli import _lab
from liftrisk.cli.settings_options import SettingsRequest, settings_options
from liftrisk.core.limits import check, check_file_size
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, InputFileError
from liftrisk.io import LabInputs, is_video, read_lab_inputs, read_motion

# liftrisk.pipeline, liftrisk.report and liftrisk.synthetic are imported where used: with a
# video, pose detection starts first and those imports (about 1 s of CPU) overlap it

DEMO_TRC = ("data", "demo", "demo_lift.trc")
DEMO_VIDEO = ("data", "demo_video", "sports2d_demo4_walk.mp4")


def _progress_bar(quiet: bool):
    """A rich progress bar driven by the pipeline's (stage, done, total) callback."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("[bold]{task.description:<28}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), disable=quiet, transient=False)
    tasks: dict[str, int] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = prog.add_task(stage, total=max(total, 1))
        prog.update(tasks[stage], completed=done, total=max(total, 1))

    return prog, cb


def _subject(sex: str, mass_kg: float, height_m: float, age_years: float | None):
    return Subject(sex, mass_kg, height_m, age_years)


def _outputs(a, output: Path, csv_dir: Path | None, trc: Path | None, mot: Path | None, title: str) -> list[Path]:
    from liftrisk.pipeline import export_csv, export_mot, export_trc
    from liftrisk.report import write_report

    written = [write_report(a, output, title=title)]
    if csv_dir is not None:
        written += export_csv(a, csv_dir, stem=output.stem)
    if trc is not None:
        written.append(export_trc(a, trc))
    if mot is not None:
        written.append(export_mot(a, mot))
    return written


def _refuse_existing(outputs: list[Path | None], inputs: list[Path], overwrite: bool) -> None:
    """Refuse, before any work, to write over an input, or over an existing file without --overwrite."""
    given = {p.resolve() for p in inputs if p.exists()}
    for out in outputs:
        if out is None:
            continue
        if out.resolve() in given:
            raise InputFileError(out, "is one of the inputs; it would be overwritten by the report",
                                 fix="choose another -o path")
        if out.exists() and not overwrite:
            raise InputFileError(out, "file exists", fix="choose another -o path or pass --overwrite")


def _print_summary(a, written: list[Path], quiet: bool) -> None:
    if quiet:
        return
    from liftrisk.report import findings

    for f in findings(a):
        typer.echo(f"  - {f}")
    s = a.summary
    if "l5s1_extension_rms_difference_nm" in s:
        typer.echo(f"  - L5/S1 extension moment, top-down (hands) vs bottom-up (force plates): RMS difference "
                   f"{s['l5s1_extension_rms_difference_nm']:.1f} N·m over {s['l5s1_comparison_frames']} frames; "
                   f"peaks {s['peak_l5s1_extension_top_down_nm']:.0f} / {s['peak_l5s1_extension_bottom_up_nm']:.0f} "
                   "N·m.")
    for w in a.warnings:
        typer.echo(f"  note: {w}")
    for p in written:
        typer.echo(f"wrote {p}")


def _assess_videos(videos, subject, calib, box_kg, settings, rotate_deg, max_frames, cb, camera):
    """`liftrisk.pipeline.assess_video` with the pose detection started first, in a thread:
    the analysis modules (SciPy, pandas' heavier parts, the report's matplotlib) are imported
    while the detector and its reader thread work on the video. Several videos or a
    calibration are assessed in the usual order (views and cameras are checked before any
    detection)."""
    from concurrent.futures import ThreadPoolExecutor

    from liftrisk.pose.detector import detect_videos

    if calib is not None or len(videos) != 1:  # calibration, cameras, views: checked before any detection
        from liftrisk.pipeline import assess_video
        from liftrisk.report import warm_up

        warm_up()
        return assess_video(videos, subject, calib, box_kg, settings=settings, rotate_deg=rotate_deg,
                            max_frames=max_frames, progress=cb, camera_names=camera)
    with ThreadPoolExecutor(1, thread_name_prefix="liftrisk-pose-stage") as pool:
        job = pool.submit(detect_videos, videos, rotate_deg=rotate_deg, max_frames=max_frames,
                          rate_hz=settings.video_rate_hz, max_side_px=settings.video_max_side_px or None,
                          detect_every=settings.video_detect_every, fill_tolerance=settings.video_fill_tolerance,
                          progress=cb)
        from liftrisk.pipeline import assess_video
        from liftrisk.report import warm_up

        warm_up()  # matplotlib's import overlaps the video analysis
        views = job.result()
    return assess_video(videos, subject, calib, box_kg, settings=settings, rotate_deg=rotate_deg,
                        max_frames=max_frames, progress=cb, camera_names=camera, views=views)


def _quiet_numpy(fn):
    """Run a command without NumPy's RuntimeWarnings (all-NaN frames are expected in video:
    nobody in view) cluttering the terminal."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return fn(*args, **kwargs)

    return wrapper


def register(app: typer.Typer) -> None:
    """Add ``assess`` and ``demo`` to the main app."""

    @app.command("assess")
    @_quiet_numpy
    @settings_options
    def assess(
        inputs: list[Path] = typer.Argument(..., help="One phone video (monocular), N synchronised videos with "
                                                      "--calib, or one motion file (TRC, C3D, keypoint CSV/JSON)."),
        mass_kg: float = typer.Option(..., "--mass-kg", help="Worker's body mass, kg."),
        height_m: float = typer.Option(..., "--height-m", help="Worker's stature, m (scales monocular 3D)."),
        sex: str = typer.Option(..., "--sex", help="male or female (segment and strength models)."),
        box_kg: float = typer.Option(0.0, "--box-kg", help="Mass of the object lifted, kg."),
        age_years: float = typer.Option(None, "--age-years", help="Age (strength model), years."),
        calib: Path = typer.Option(None, "--calib", help="Calibration (Pose2Sim TOML or Qualisys QCA) for "
                                                         "multi-view videos."),
        camera: list[str] = typer.Option([], "--camera", help="Calibration camera name of each video, in "
                                                              "order (repeat for several videos); needed when "
                                                              "one video's name matches no camera."),
        output: Path = typer.Option(Path("report.html"), "-o", "--output", help="HTML report to write."),
        csv_dir: Path = typer.Option(None, "--csv", help="Folder for CSV exports (time series, lifts)."),
        trc: Path = typer.Option(None, "--trc", help="Write the joint centres as TRC."),
        mot: Path = typer.Option(None, "--mot", help="Write joint angles and L5/S1 loads as .mot."),
        rotate_deg: int = typer.Option(None, "--rotate-deg", help="Override the video rotation (0/90/180/270)."),
        max_frames: int = typer.Option(None, "--max-frames", help="Analyse only the first N frames."),
        keypoints: bool = typer.Option(False, "--keypoints", help="Inputs are precomputed 2D keypoints (liftrisk "
                                                                  "JSON/CSV, OpenPose folder, MediaPipe JSON), one "
                                                                  "per view, instead of videos."),
        rate_hz: float = typer.Option(None, "--rate-hz", help="Frame rate of keypoint files that carry none."),
        plates: Path = typer.Option(None, "--plates", help=_lab.PLATES_HELP),
        plates_spec: Path = typer.Option(None, "--plates-spec", help=_lab.SPEC_HELP),
        both_feet: bool = typer.Option(False, "--plates-under-both-feet", help=_lab.BOTH_FEET_HELP),
        object_plate: list[int] = typer.Option([], "--object-plate", help=_lab.OBJECT_PLATE_HELP),
        insoles: list[Path] = typer.Option([], "--insoles", help=_lab.INSOLES_HELP),
        insole_spec: Path = typer.Option(None, "--insole-spec", help=_lab.INSOLE_SPEC_HELP),
        static: Path = typer.Option(None, "--static", help="Static trial of the same marker set (knee/ankle "
                                                           "calibration, Plug-in Gait leg length and widths)."),
        leg_length_mm: float = typer.Option(None, "--leg-length-mm", help=_lab.LEG_HELP),
        knee_width_mm: float = typer.Option(None, "--knee-width-mm", help=_lab.KNEE_HELP),
        ankle_width_mm: float = typer.Option(None, "--ankle-width-mm", help=_lab.ANKLE_HELP),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
        overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing output files."),
        settings_request: SettingsRequest = None,
    ) -> None:
        """Assess lifting risk from video or motion capture and write an HTML report.

        Motion-capture files may come with force plates: the C3D's own, or a CSV table with
        --plates/--plates-spec (plates under the feet and/or under the lifted object), and with
        pressure insoles (--insoles/--insole-spec), which measure the load in the hands.
        Settings come from --settings FILE (its 'assessment' table and the entry of the first
        input's file name) and the options below, which win."""
        _refuse_existing([output, trc, mot], inputs + list(insoles), overwrite)
        for p in inputs:
            if p.is_file():  # (a keypoint input may be a folder)
                check_file_size(p)
        box_kg = check("box_mass_kg", box_kg, where="--box-kg")
        if rate_hz is not None:
            rate_hz = check("rate_hz", rate_hz, where="--rate-hz")

        subject = _subject(sex, mass_kg, height_m, age_years)
        settings = settings_request.for_recording(inputs[0])
        videos = [p for p in inputs if is_video(p)]
        if (videos or keypoints) and (insoles or insole_spec):
            raise DataQualityError("--insoles works with a motion file (TRC, C3D, ...) whose clock they share, "
                                   "not with video")
        if keypoints:
            from liftrisk.pipeline import assess_keypoints
            from liftrisk.pose import read_calibration, read_keypoints

            views = [read_keypoints(p, rate_hz=rate_hz) for p in inputs]
            cams = read_calibration(calib) if calib is not None else None
            prog, cb = _progress_bar(quiet)
            with prog:
                a = assess_keypoints(views, subject, cams, box_kg, settings=settings, progress=cb)
                written = _outputs(a, output, csv_dir, trc, mot, ", ".join(p.name for p in inputs))
            _print_summary(a, written, quiet)
            return
        if videos and len(videos) != len(inputs):
            raise DataQualityError("give either videos or one motion file, not both")
        if not videos and len(inputs) != 1:
            raise DataQualityError(f"{len(inputs)} motion files given; assess one at a time")
        prog, cb = _progress_bar(quiet)
        with prog:
            if videos:
                a = _assess_videos(videos, subject, calib, box_kg, settings, rotate_deg, max_frames, cb, camera)
            else:
                from liftrisk.pipeline import assess_motion

                cb("read motion", 0, 1)
                motion = read_motion(inputs[0])
                lab = LabInputs(static, plates, plates_spec, tuple(insoles), insole_spec, both_feet,
                                tuple(object_plate), leg_length_mm, knee_width_mm, ankle_width_mm)
                lab_data = read_lab_inputs(inputs[0], motion, lab)  # the same reader as `liftrisk batch`
                cb("read motion", 1, 1)
                a = assess_motion(motion, subject, box_kg, settings, progress=cb, **lab_data)
            cb("report", 0, 1)
            written = _outputs(a, output, csv_dir, trc, mot, ", ".join(p.name for p in inputs))
            cb("report", 1, 1)
        _print_summary(a, written, quiet)

    @app.command("demo")
    @_quiet_numpy
    def demo(
        output: Path = typer.Option(Path("demo_report.html"), "-o", "--output", help="HTML report to write."),
        video: bool = typer.Option(True, "--video/--no-video", help="Also assess the bundled demo video (a walk, "
                                                                    "not a lift) monocularly; writes "
                                                                    "<output stem>_video.html."),
        quiet: bool = typer.Option(False, "--quiet", "-q"),
    ) -> None:
        """Run the full assessment on bundled demo data (offline): three synthetic 10 kg lifts, shin to waist
        height, by an 80 kg, 1.78 m man (motion file), and the bundled Sports2D walking clip (video)."""
        from liftrisk.pipeline import AssessmentSettings, assess_motion, assess_video
        from liftrisk.synthetic.lift import synthetic_lift

        subject = _subject("male", 80.0, 1.78, 40.0)
        trc = resources.files("liftrisk").joinpath(*DEMO_TRC)
        prog, cb = _progress_bar(quiet)
        with prog:
            sidecar = resources.files("liftrisk").joinpath(*DEMO_TRC[:-1], "demo_lift.json")
            if trc.is_file():
                with resources.as_file(trc) as path:
                    motion = read_motion(path)
                handlings = json.loads(sidecar.read_text()).get("handlings", []) if sidecar.is_file() else []
            else:  # the bundled file is made by liftrisk.synthetic.make_demo; regenerate it in memory
                motion = synthetic_lift(subject, 10.0, origin_m=(0.40, 0.25), destination_m=(0.40, 0.95),
                                        duration_s=10.0, rate_hz=60.0, n_lifts=3, noise_m=0.001)
                handlings = motion.meta["handlings"]
            # the generator's grasp/release times (lifts and lowerings) are known: use them
            times = tuple((h["grasp_s"], h["release_s"]) for h in handlings)
            a = assess_motion(motion, subject, 10.0, AssessmentSettings(lift_times_s=times), progress=cb)
            written = _outputs(a, output, None, None, None, "demo: synthetic 10 kg lifts (male, 80 kg, 1.78 m)")
            if video:
                with resources.as_file(resources.files("liftrisk").joinpath(*DEMO_VIDEO)) as vp:
                    av = assess_video(vp, subject, None, 0.0, progress=cb)
                    vout = output.with_name(output.stem + "_video.html")
                    written += _outputs(av, vout, None, None, None, "demo video: Sports2D walking clip (not a lift)")
        _print_summary(a, written, quiet)
