"""CLI command of the batch area: ``liftrisk batch FOLDER_OR_MANIFEST``."""

from __future__ import annotations

from pathlib import Path

import typer

from liftrisk.batch import DEFAULT_RUNNER, run_batch
from liftrisk.batch.manifest import collect
from liftrisk.cli.settings_options import SettingsRequest, settings_options
from liftrisk.store import AssessmentStore


@settings_options
def batch(
    source: Path = typer.Argument(..., help="Folder of recordings, or a manifest CSV (path,sex,mass_kg,...)."),
    out: Path = typer.Option(Path("liftrisk_output/batch"), "-o", "--out", help="Output folder (resumable)."),
    executor: str = typer.Option("local", help="local (processes), dask or ray."),
    workers: int = typer.Option(None, help="Parallel workers (default: available CPUs, at most 8)."),
    dask_address: str = typer.Option(None, help="Scheduler address of an existing Dask cluster."),
    dask_threads: bool = typer.Option(False, "--dask-threads", help="Local Dask cluster with threads, not processes."),
    sex: str = typer.Option(None, help="Default sex for items without one (male/female)."),
    mass_kg: float = typer.Option(None, help="Default body mass, kg."),
    height_m: float = typer.Option(None, help="Default height, m."),
    age_years: float = typer.Option(None, help="Default age, years."),
    box_kg: float = typer.Option(None, "--box-kg", help="Default mass held in the hands, kg."),
    db: bool = typer.Option(False, "--db", help="Also store results in the assessment database (web app)."),
    runner: str = typer.Option(None, hidden=True, envvar="LIFTRISK_RUNNER", help="module:function of the runner."),
    settings_request: SettingsRequest = None,
) -> None:
    """Assess many recordings; run it again to resume (finished items are skipped).

    Each recording's settings: --settings FILE (its 'assessment' table, then the entry of the
    recording's file name), the options below, then the manifest's columns, which win."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    defaults = {k: v for k, v in dict(sex=sex, mass_kg=mass_kg, height_m=height_m, age_years=age_years,
                                      box_mass_kg=box_kg).items() if v is not None}
    store = None
    if db:
        store = AssessmentStore()
    sfile, sover = settings_request.project_file, settings_request.overrides
    n = len(collect(source, defaults, exclude=out.resolve(), settings_file=sfile, overrides=sover))
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      transient=True) as progress:
            bar = progress.add_task("assessing", total=n)
            report = run_batch(source, out, executor=executor, workers=workers, defaults=defaults,
                               runner=runner or DEFAULT_RUNNER, dask_address=dask_address, store=store,
                               dask_processes=not dask_threads, settings_file=sfile, settings=sover,
                               on_item=lambda item, rec: progress.update(bar, advance=1))
    finally:
        if store is not None:
            store.close()
    typer.echo(str(report))
    for path, kept in report.duplicates:
        typer.secho(f"duplicate: {path}: same content and parameters as {kept}; assessed once", err=True,
                    fg="yellow")
    for path, error in report.failures:
        typer.secho(f"failed: {path}: {error}", err=True, fg="red")
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``batch`` to the main app."""
    app.command("batch")(batch)
