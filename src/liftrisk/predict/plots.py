"""Figures of the lifting prediction (matplotlib ``Figure`` objects; saving is the caller's job)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def plot_pareto(front: pd.DataFrame) -> Figure:
    """Pareto front in the normalised criterion space (Xiang et al. 2021, Fig. 3).

    Parameters
    ----------
    front : DataFrame
        Output of :func:`liftrisk.predict.problem2d.pareto_front`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> df = pd.DataFrame({"n_effort": [0.0, 0.5, 1.0], "n_neg_log_weight": [1.0, 0.2, 0.0],
    ...                    "w1": [1.0, 0.5, 0.0], "box_weight_n": [0.0, 300.0, 400.0]})
    >>> len(plot_pareto(df).axes)
    1
    """
    fig = Figure(figsize=(5.0, 4.0), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(front["n_effort"], front["n_neg_log_weight"], "o-", ms=4)
    for _, r in front.iterrows():
        if np.isclose(r["w1"] * 20 % 5, 0) or np.isclose(r["w1"], 0.15):
            ax.annotate(f"w1={r['w1']:.2f}\n{r['box_weight_n']:.0f} N", (r["n_effort"], r["n_neg_log_weight"]),
                        fontsize=7, textcoords="offset points", xytext=(4, 4))
    ax.set_xlabel("N[dynamic effort]")
    ax.set_ylabel("N[-log(W + 10)]")
    ax.set_title("Pareto front, 2D maximum-weight lifting")
    return fig


def plot_profiles(frames: pd.DataFrame) -> Figure:
    """Joint angles (deg), torques (N·m), torque/strength ratios and GRF (N) over time.

    Parameters
    ----------
    frames : DataFrame
        ``LiftingSolution.frames`` (2D) or ``LiftingSolution3D.frames`` (3D: left dashed,
        right and left GRF).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(10.0, 7.0), layout="constrained")
    axes = fig.subplots(2, 2)
    t = frames.index.to_numpy()
    joints = [c[6:] for c in frames.columns if c.startswith("ratio_")]  # 2D: spine..ankle; 3D: spine, r_*, l_*
    for j in joints:
        ls = "--" if j.startswith("l_") else "-"
        axes[0, 0].plot(t, np.degrees(frames[f"q_{j}"]), ls, label=j)
        axes[0, 1].plot(t, frames[f"tau_{j}"], ls, label=j)
        axes[1, 0].plot(t, frames[f"ratio_{j}"], ls, label=j)
    if "grf_z_n" in frames:
        axes[1, 1].plot(t, frames["grf_z_n"], label="vertical")
        axes[1, 1].plot(t, frames["grf_x_n"], label="horizontal")
    else:
        for side, name in (("r", "right"), ("l", "left")):
            axes[1, 1].plot(t, frames[f"grf_{side}_z_n"], label=f"{name} vertical")
            axes[1, 1].plot(t, frames[f"grf_{side}_x_n"], label=f"{name} horizontal")
    for ax, title in zip(axes.ravel(), ("joint angle (deg)", "joint torque (N·m)", "torque / strength",
                                        "ground reaction force (N)"), strict=True):
        ax.set_title(title)
        ax.set_xlabel("time (s)")
        ax.legend(fontsize=7)
    axes[1, 0].axhline(1.0, color="k", lw=0.8, ls="--")
    return fig
