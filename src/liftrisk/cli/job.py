"""CLI command of the job area: ``liftrisk job JOB.toml`` (tasks with their recordings,
frequencies, shift and worker -> job report HTML + JSON/CSV exports)."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from liftrisk.cli._common import clean_errors
from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import InputFileError
from liftrisk.io import LabInputs, read_lab_inputs, read_motion
from liftrisk.io.job_file import read_job_file
from liftrisk.job import evaluate_job, job_spec, lift_measures
from liftrisk.job.measures import capable_timeseries
from liftrisk.pipeline import assess_motion, assess_video, is_video
from liftrisk.report.job import write_job_exports, write_job_report


def _assess(rec: str, task, i: int, spec):
    """Assess one recording of a task (video or motion file, with its plates/static)."""
    opts = task.options_for(i)
    settings = AssessmentSettings(coupling=task.coupling, lifts_per_min=task.lifts_per_min,
                                  duration_h=min(spec.duration_h, 8.0), lift_times_s=task.times_for(i))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if is_video(rec):
            return assess_video([rec], spec.worker, hand_load=task.box_kg, settings=settings)
        motion = read_motion(rec)
        lab = LabInputs(static=opts.get("static"), plates=opts.get("plates"), plates_spec=opts.get("plates_spec"),
                        plates_under_both_feet=opts.get("plates_under_both_feet", False))
        return assess_motion(motion, spec.worker, task.box_kg, settings, **read_lab_inputs(Path(rec), motion, lab))


def _check_files(spec, path: Path) -> None:
    """Every recording, plate table and static trial of the job exists (before any is assessed)."""
    for task in spec.tasks:
        for i, rec in enumerate(task.recordings):
            opts = task.options_for(i)
            for f in [rec] + [opts[k] for k in ("plates", "plates_spec", "static") if k in opts]:
                if not Path(f).is_file():
                    raise InputFileError(f, f"no such file (task {task.name!r} of {path})",
                                         fix="check the path; relative paths are read from the job file's folder")


def assess_job_file(path: Path, progress=None):
    """Assess every recording of a job file and evaluate the job; returns the JobResult
    (with the per-frame percent capable of every recording)."""
    from dataclasses import replace

    spec = job_spec(read_job_file(path), base_dir=path.parent, source=str(path))
    _check_files(spec, path)
    measures, series = {}, {}
    for task in spec.tasks:
        ms = []
        for i, rec in enumerate(task.recordings):
            if progress:
                progress(f"{task.name}: {Path(rec).name}")
            a = _assess(rec, task, i, spec)
            ms += lift_measures(a, recording=rec)
            series[f"{task.name} | {Path(rec).name}"] = capable_timeseries(a)
        measures[task.name] = ms
    return replace(evaluate_job(spec, measures), capable_timeseries=series)


def register(app: typer.Typer) -> None:
    """Add ``job`` to the main app."""

    @app.command("job")
    @clean_errors
    def job(
        job_file: Path = typer.Argument(..., help="JOB.toml: [job], [worker] and [[task]] tables (docs/job.md)"),
        output: Path = typer.Option(Path("job_report.html"), "-o", "--output", help="HTML job report"),
        export: Path = typer.Option(None, "--export", help="Stem of the JSON/CSV exports "
                                    "(<stem>.json, <stem>_tasks.csv, <stem>_lifts.csv); default: next to -o"),
        title: str = typer.Option(None, help="Report title (default: the job's name)"),
        overwrite: bool = typer.Option(False, help="Replace existing output files"),
        quiet: bool = typer.Option(False, "-q", "--quiet", help="Print nothing but errors"),
    ) -> None:
        """Assess a whole job: NIOSH CLI/VLI, LiFFT, Shoulder Tool, Liberty Mutual and joint % capable."""
        def say(msg: str) -> None:
            if not quiet:
                typer.echo(f"  assessing {msg}")

        r = assess_job_file(job_file, progress=say)
        written = [write_job_report(r, output, title=title, overwrite=overwrite)]
        written += write_job_exports(r, export if export is not None else output.with_suffix(""), overwrite=overwrite)
        if quiet:
            return
        n = r.niosh
        typer.echo(f"NIOSH CLI {n['CLI']:.2f} ({n['CLI_category']}), VLI {n['VLI']:.2f}" if n["CLI"] is not None and
                   n["VLI"] is not None else "NIOSH: a lifting index is infinite (a multiplier is 0)")
        typer.echo(f"LiFFT daily damage {r.lifft['cumulative_damage']:.4g}: P(high-risk job) "
                   f"{100 * r.lifft['probability']:.0f}% ({r.lifft['band']})")
        for t in r.tasks:
            f, m = t["lm_mmh"]["female"].get("percent_capable"), t["lm_mmh"]["male"].get("percent_capable")
            lm = (f"LM-MMH females {f:.0f}% / males {m:.0f}% capable" if f is not None and m is not None
                  else "LM-MMH not rated (outside its range)")
            typer.echo(f"  {t['name']}: {t['n_lifts']} lifts, STLI {t['niosh']['STLI']:.2f}, {lm}")
        for note in r.notes:
            typer.echo(f"  note: {note}")
        for p in written:
            typer.echo(f"wrote {p}")
