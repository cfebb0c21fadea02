"""CLI commands of the predict area: maximum-weight lifting prediction."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from liftrisk.cli.risk import _canonical_motion
from liftrisk.core.subject import Subject
from liftrisk.io.cache import default_cache_dir
from liftrisk.predict import (
    LiftTask,
    PredictionError,
    PredictionWarning,
    guide_postures_from_motion,
    max_weight_table,
    percentile_for_weight,
    percentile_to_z,
    predict_max_weight,
    predict_max_weight_3d,
    prepare_problem,
)
from liftrisk.predict.problem2d import pareto_front

_NOTE_TEMPLATES = ("NOTE: no measured lift was given (--guide-motion), so the guide postures of Xiang et al. "
                   "(2021) Eq. 18 are derived from templates; the maximum weight depends strongly on that choice. "
                   "Every template is shown: give the worker's measured lift for one answer.")
_NOTE_PERCENTILE = ("NOTE: the strength percentile of a worker is rarely known (Xiang et al. 2019 fit it to a "
                    "measured maximum weight: --measured-weight-n); the population's 5th/50th/95th percentiles "
                    "are shown unless --strength-percentile is given.")


def _echo_table(df, percentiles) -> None:
    labels = list(dict.fromkeys(df["guide"]))
    typer.echo("maximum box weight, N (kg)  [binding joint]")
    typer.echo(f"{'guide postures':<16}" + "".join(f"{f'{p:g}th pct':>24}" for p in percentiles))
    for g in labels:
        cells = []
        for p in percentiles:
            r = df[(df.guide == g) & (df.percentile == float(p))].iloc[0]
            ok = r.box_weight_n == r.box_weight_n  # not NaN
            cells.append(f"{r.box_weight_n:.1f} ({r.box_mass_kg:.1f}) [{r.binding_joint}]" if ok else "infeasible")
        typer.echo(f"{g:<16}" + "".join(f"{c:>24}" for c in cells))
    notes = sorted({w for w in df["warnings"] if w} | {s for s in df["status"] if s != "Solve_Succeeded"})
    for n in notes:
        typer.secho(f"WARNING: {n}", fg="yellow")


def register(app: typer.Typer) -> None:
    """Add ``predict-max-weight`` to the main app."""

    @app.command("predict-max-weight")
    def predict_max_weight_cmd(
        mass_kg: float = typer.Option(..., help="Body mass (kg)."),
        height_m: float = typer.Option(..., help="Stature (m)."),
        sex: str = typer.Option(..., help="male or female."),
        box_start_m: tuple[float, float] = typer.Option((0.40, 0.15), help="Grip position X Z (m) at the start; "
                                                        "X forward of the ankle, Z above the floor."),
        box_end_m: tuple[float, float] = typer.Option((0.40, 1.00), help="Grip position X Z (m) at the end."),
        age_years: float = typer.Option(None, help="Age (selects the Anderson 2007 strength age group)."),
        strength_percentile: list[float] = typer.Option(None, help="Strength percentile(s) of the worker "
                                                        "(repeatable; default 5, 50 and 95)."),
        duration_s: float = typer.Option(None, help="Lifting time (s); default the measured lift's, else 1.44."),
        free_time_s: tuple[float, float] = typer.Option(None, help="Let the lift time vary within LO HI (s), "
                                                        "as Zaman et al. (2021) does."),
        guide_motion: Path = typer.Option(None, help="Measured lift of the worker (C3D/TRC/CSV...): its start, "
                                          "middle and end postures guide the prediction (Xiang et al. 2021, eq. 18)."),
        lift_window_s: tuple[float, float] = typer.Option(None, help="Lift start and end in the guide motion (s); "
                                                          "default the file's lift events or its whole span."),
        neutral_s: float = typer.Option(None, help="Time of upright standing in the guide motion (removes the "
                                        "pelvis-axis offset)."),
        style: str = typer.Option("all", help="Without --guide-motion: squat, stoop, none or all (side by side)."),
        measured_weight_n: float = typer.Option(None, help="The worker's measured maximum weight on this lift (N): "
                                                "print the strength percentile that reproduces it and use it."),
        box_collision: bool = typer.Option(True, help="Keep legs and trunk out of the box (Table 1 item 5)."),
        w1: float = typer.Option(0.15, help="Effort weight (w2 = 1 - w1); best 0.15 (Xiang et al. 2021)."),
        three_d: bool = typer.Option(False, "--3d", help="Use the 3D model (left/right hand loads and GRFs)."),
        anchor_cache: bool = typer.Option(True, help="--3d: keep the normalisation anchors in the user's cache "
                                          "folder ($LIFTRISK_CACHE_DIR or ~/.cache/liftrisk) and reuse them for the "
                                          "same worker, task and percentile; --no-anchor-cache solves them again."),
        csv: Path = typer.Option(None, help="Write the time profiles to this CSV file (one guide, one percentile)."),
        plot: Path = typer.Option(None, help="Write a PNG of angles, torques, strength ratios and GRF."),
        pareto: Path = typer.Option(None, help="Also sweep the 21 weight pairs and write the Pareto PNG here."),
    ) -> None:
        """Predict the maximum box weight a worker can lift and the lifting motion (Xiang et al.)."""
        subject = Subject(sex, mass_kg, height_m, age_years=age_years)
        if not 0.0 <= w1 <= 1.0:
            raise PredictionError(f"--w1 is {w1}; expected a value in [0, 1] (w2 = 1 - w1)")
        percentiles = list(strength_percentile or [5.0, 50.0, 95.0])
        if guide_motion is not None:
            start, end = lift_window_s if lift_window_s else (None, None)
            measured = guide_postures_from_motion(_canonical_motion(guide_motion), start, end, neutral_s)
            guides = {"measured": measured}
            duration = duration_s or measured["_duration_s"]
        else:
            s = style.lower()
            options = {"squat": "squat", "stoop": "stoop", "none": None}
            if s != "all" and s not in options:
                raise PredictionError(f"--style is {style!r}; expected squat, stoop, none or all")
            guides = options if s == "all" else {s: options[s]}
            duration = duration_s or 1.44
        first = next(iter(guides.values()))
        task = LiftTask(box_start_m=tuple(box_start_m), box_end_m=tuple(box_end_m), duration_s=duration,
                        guide_postures_deg=first, duration_bounds_s=tuple(free_time_s) if free_time_s else None,
                        box_collision=box_collision)
        if measured_weight_n is not None:
            if len(guides) != 1:
                raise PredictionError("--measured-weight-n needs one guide: give --guide-motion (best) or --style")
            pct = percentile_for_weight(subject, measured_weight_n, task, weights=(w1, 1.0 - w1))
            typer.echo(f"strength percentile reproducing {measured_weight_n:.1f} N: {pct:.1f} "
                       f"(z = {percentile_to_z(pct):.2f}; liftrisk's reading of Xiang et al. 2019, see docs)")
            percentiles = [pct]
        single = len(guides) == 1 and len(percentiles) == 1
        if (csv or plot or pareto or three_d) and not single:
            raise PredictionError("--csv, --plot, --pareto and --3d need one guide and one percentile: give "
                                  "--guide-motion or --style squat|stoop|none, and one --strength-percentile")
        if three_d:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PredictionWarning)  # printed below
                res = predict_max_weight_3d(subject, task, weights=(w1, 1.0 - w1),
                                            strength_percentile=percentiles[0],
                                            anchor_cache=default_cache_dir() if anchor_cache else None)
            sol = res.solution
            typer.echo(f"3D maximum box weight: {sol.box_weight_n:.1f} N ({sol.box_mass_kg:.1f} kg)")
            typer.echo(sol.split_text())
            if res.anchor_source.startswith("read from"):
                typer.secho(f"NOTE: normalisation anchors {res.anchor_source} (solved by an earlier run for this "
                            "worker, task and percentile; --no-anchor-cache solves them again)", fg="yellow")
            elif "not used" in res.anchor_source or "not stored" in res.anchor_source:
                typer.secho(f"WARNING: normalisation anchors {res.anchor_source}", fg="yellow")
        else:
            prob = prepare_problem(subject, task)
            if not single:
                df = max_weight_table(subject, task, guides=guides, percentiles=percentiles,
                                      weights=(w1, 1.0 - w1), problem=prob)
                _echo_table(df, percentiles)
                if guide_motion is None:
                    typer.secho(_NOTE_TEMPLATES, fg="yellow")
                if not strength_percentile:
                    typer.secho(_NOTE_PERCENTILE, fg="yellow")
                free = f" (free within {free_time_s[0]:g}-{free_time_s[1]:g} s)" if free_time_s else ""
                typer.echo(f"lift time {duration:.2f} s{free}; "
                           f"guide postures: {', '.join(guides)}; box collision {'on' if box_collision else 'off'}")
                return
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PredictionWarning)  # printed below
                res = predict_max_weight(subject, weights=(w1, 1.0 - w1), strength_percentile=percentiles[0],
                                         problem=prob)
            sol = res.solution
            typer.echo(f"2D maximum box weight: {sol.box_weight_n:.1f} N ({sol.box_mass_kg:.1f} kg); lift time "
                       f"{sol.duration_s:.2f} s; guide postures: {task.guide_source}")
        typer.echo(f"IPOPT: {sol.status}, {sol.iterations} iterations, {sol.solve_time_s:.3f} s; "
                   f"max constraint violation {sol.max_constraint_violation:.1e}")
        for w in sol.warnings:
            typer.secho(f"WARNING: {w}", fg="yellow")
        peaks = sol.peak_strength_ratio()
        typer.echo("peak torque/strength: " + ", ".join(f"{k} {v:.2f}" for k, v in peaks.items()))
        if csv is not None:
            sol.frames.to_csv(csv)
            typer.echo(f"profiles written to {csv}")
        if plot is not None:
            from liftrisk.predict.plots import plot_profiles

            plot_profiles(sol.frames).savefig(plot, dpi=120)
            typer.echo(f"figure written to {plot}")
        if pareto is not None:
            from liftrisk.predict.plots import plot_pareto
            front = pareto_front(subject, task, strength_percentile=percentiles[0])
            plot_pareto(front).savefig(pareto, dpi=120)
            typer.echo(f"Pareto front ({int(front.success.sum())}/21 converged) written to {pareto}")
