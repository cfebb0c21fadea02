"""CLI command ``liftrisk compare``: two load tables in the form of Mehrizi et al. 2019."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from liftrisk.cli._common import clean_errors
from liftrisk.errors import DataQualityError, InputFileError
from liftrisk.metrics.lift_comparison import compare_lifts

_NAMES = {"l5s1_extension_moment_nm": "sagittal moment", "l5s1_lateral_bending_left_moment_nm": "lateral moment",
          "l5s1_axial_twist_left_moment_nm": "rotation moment", "moment_total": "total moment",
          "l5s1_axial_force_n": "vertical force", "l5s1_anterior_force_n": "ant-post force",
          "l5s1_left_force_n": "med-lat force", "force_total": "total force"}


def _read(path: Path, prefix: str) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, index_col=0)
    except (OSError, ValueError) as exc:
        raise InputFileError(path, f"cannot read a CSV table ({exc})",
                             fix="give the CSV written by `liftrisk loads -o`") from None
    if prefix:
        cols = [c for c in df.columns if c.startswith(prefix)]
        if not cols:
            raise DataQualityError(f"{path}: no column starts with {prefix!r}; the table has {list(df.columns)[:8]}")
        df = df[cols].rename(columns=lambda c: c[len(prefix):])
    df.index = pd.Index(pd.to_numeric(df.index, errors="coerce"), name="time_s")
    return df[df.index.notna()]


def render(result) -> str:
    """The comparison as text lines (one table per group, then peaks, ICC and total error)."""
    lines = [f"{result.n_lifts} lift(s), each time-normalised to 0-100 % of its cycle (Mehrizi et al. 2019)",
             f"{'component':<18}{'RMSE mean +- SD':>22}{'r mean +- SD':>18}{'peak RMSE':>11}{'peak r':>8}"]
    for comp, row in result.planes.iterrows():
        unit = "N·m" if "moment" in comp else "N"
        sd = "" if pd.isna(row.rmse_sd) else f" +- {row.rmse_sd:.2f}"
        rsd = "" if pd.isna(row.r_sd) else f" +- {row.r_sd:.2f}"
        lines.append(f"{_NAMES.get(comp, comp):<18}{f'{row.rmse_mean:.2f}{sd} {unit}':>22}"
                     f"{f'{row.r_mean:.3f}{rsd}':>18}{row.peak_rmse:>11.2f}{row.peak_r:>8.3f}")
    for g, (v, cls) in result.peak_icc.items():
        lines.append(f"ICC({result.icc_form}) of the {g} peaks pooled over lifts and planes: {v:.3f} ({cls})")
    for g, (m, s) in result.total_error.items():
        unit = "N·m" if g == "moment" else "N"
        lines.append(f"total {g} absolute error, mean +- SD over all samples: {m:.2f} +- {s:.2f} {unit}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the main app."""

    @app.command("compare")
    @clean_errors
    def compare_cmd(
        a: Path = typer.Argument(..., help="First load table (CSV of `liftrisk loads -o`, time in the first column)."),
        b: Path = typer.Argument(None, help="Second table (default: the first one again, see --b-prefix)."),
        a_prefix: str = typer.Option("", help="Column prefix of the first series in A (e.g. '')."),
        b_prefix: str = typer.Option("", help="Column prefix of the second series (e.g. 'bottom_up_' to compare "
                                     "top-down with bottom-up in one `liftrisk loads` table)."),
        lift: list[str] = typer.Option(None, help="Lift cycle START-END in s (grasp to release); repeatable. "
                                       "Default: the whole common span."),
        output: Path = typer.Option(None, "-o", "--output", help="CSV of the per-lift, per-plane figures."),
    ) -> None:
        """Compare two L5/S1 (or any joint) load series: per-plane RMSE and r over normalised lift
        cycles, peak RMSE and r, ICC(2,1) of the peaks, mean +- SD of the total error."""
        ta = _read(a, a_prefix)
        tb = _read(b if b is not None else a, b_prefix)
        lifts = None
        if lift:
            lifts = []
            for text in lift:
                try:
                    s, e = (float(v) for v in text.split("-"))
                except ValueError:
                    raise DataQualityError(f"--lift {text!r}: expected START-END in seconds, e.g. 2.4-3.9") from None
                lifts.append((s, e))
        res = compare_lifts(ta, tb, lifts)
        typer.echo(render(res))
        if output is not None:
            res.per_lift.to_csv(output, index=False, float_format="%.6g")
            typer.echo(f"per-lift figures written to {output}")
