"""CLI commands of the predict area: maximum-weight lifting prediction."""

from __future__ import annotations

from pathlib import Path

import typer

from liftrisk.core.subject import Subject


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
        strength_percentile: float = typer.Option(50.0, help="Strength percentile of the worker (50 = mean)."),
        duration_s: float = typer.Option(1.44, help="Lifting time (s)."),
        style: str = typer.Option("squat", help="Guide postures: squat, stoop or none."),
        w1: float = typer.Option(0.15, help="Weight of the effort objective (w2 = 1 - w1); "
                                                 "best in Xiang et al. 2021: 0.15."),
        three_d: bool = typer.Option(False, "--3d", help="Use the 3D model (left/right hand loads and GRFs)."),
        csv: Path = typer.Option(None, help="Write the time profiles to this CSV file."),
        plot: Path = typer.Option(None, help="Write a PNG of angles, torques, strength ratios and GRF."),
        pareto: Path = typer.Option(None, help="Also sweep the 21 weight pairs and write the Pareto PNG here."),
    ) -> None:
        """Predict the maximum box weight a worker can lift and the lifting motion (Xiang et al.)."""
        from liftrisk.predict.problem2d import LiftTask, PredictionError

        subject = Subject(sex, mass_kg, height_m, age_years=age_years)
        if not 0.0 <= w1 <= 1.0:
            raise PredictionError(f"--w1 is {w1}; expected a value in [0, 1] (w2 = 1 - w1)")
        guides = None if style.lower() == "none" else style.lower()
        task = LiftTask(box_start_m=tuple(box_start_m), box_end_m=tuple(box_end_m), duration_s=duration_s,
                        guide_postures_deg=guides)
        if three_d:
            from liftrisk.predict.problem3d import predict_max_weight_3d

            res = predict_max_weight_3d(subject, task, weights=(w1, 1.0 - w1),
                                        strength_percentile=strength_percentile)
            sol = res.solution
            typer.echo(f"3D maximum box weight: {sol.box_weight_n:.1f} N ({sol.box_mass_kg:.1f} kg); "
                       f"right hand {sol.right_hand_n:.1f} N, left hand {sol.left_hand_n:.1f} N")
        else:
            from liftrisk.predict.problem2d import predict_max_weight

            res = predict_max_weight(subject, task, weights=(w1, 1.0 - w1), strength_percentile=strength_percentile)
            sol = res.solution
            typer.echo(f"2D maximum box weight: {sol.box_weight_n:.1f} N ({sol.box_mass_kg:.1f} kg)")
        typer.echo(f"IPOPT: {sol.status}, {sol.iterations} iterations, {sol.solve_time_s:.3f} s; "
                   f"max constraint violation {sol.max_constraint_violation:.1e}")
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
            from liftrisk.predict.problem2d import pareto_front

            front = pareto_front(subject, task, strength_percentile=strength_percentile)
            plot_pareto(front).savefig(pareto, dpi=120)
            typer.echo(f"Pareto front ({int(front.success.sum())}/21 converged) written to {pareto}")
