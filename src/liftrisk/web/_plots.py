"""Interactive plots of an assessment's time series (plotly figures as JSON, drawn in the
page by the plotly.js that ships inside the plotly Python package: no CDN).

Columns are grouped by the unit suffix in their names (``_n`` newtons, ``_nm`` newton
metres, ``_deg`` degrees, ...), one figure per unit, so that a figure never mixes units.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from liftrisk.errors import DataQualityError
from liftrisk.report.labels import label as human

#: unit suffix -> axis label (longest suffix first when matching)
UNITS = {
    "_nm_per_kg": "moment (N·m/kg)", "_nm": "moment (N·m)", "_n": "force (N)", "_deg": "angle (deg)",
    "_rad": "angle (rad)", "_deg_s": "angular velocity (deg/s)", "_rad_s": "angular velocity (rad/s)",
    "_m_s2": "acceleration (m/s²)", "_m_s": "velocity (m/s)", "_m": "position (m)", "_kg": "mass (kg)",
    "_w": "power (W)", "_pct": "percent (%)", "_ratio": "ratio (-)", "_score": "score (-)",
    "_class": "class (-)", "_li": "lifting index (-)",
}
#: columns without a unit suffix that are scores
SCORES = ("reba", "fuzzy_reba", "rula", "grand")
#: series shown at first (the others are one click away in the legend)
HEADLINE = ("compression_n", "ap_shear_n", "l5s1_extension_moment_nm", "trunk_flexion_deg", "reba", "fuzzy_reba",
            "rula", "l_hip_workload_ratio", "r_hip_workload_ratio", "l_knee_workload_ratio", "r_knee_workload_ratio",
            "value_n", "double_value_n")
MAX_POINTS = 2000
MAX_FIGURES = 10
MAX_TRACES = 60


def read_timeseries(csv_text: str) -> pd.DataFrame:
    """Parse a time-series CSV (first column, or ``time_s``, is time in s).

    Examples
    --------
    >>> read_timeseries("time_s,a_n\\n0,1\\n0.1,2\\n").index.name
    'time_s'
    """
    if not csv_text or not csv_text.strip():
        raise DataQualityError("the time series is empty")
    df = pd.read_csv(io.StringIO(csv_text), comment="#")
    tcol = "time_s" if "time_s" in df.columns else df.columns[0]
    df = df.set_index(tcol)
    df.index.name = "time_s"
    return df.select_dtypes(include=[np.number])


def unit_group(column: str) -> str:
    """Axis label of a column from its unit suffix ('other' when none matches).

    Examples
    --------
    >>> unit_group("l5s1_compression_n"), unit_group("trunk_flexion_deg"), unit_group("reba"), unit_group("x")
    ('force (N)', 'angle (deg)', 'risk score (-)', 'other')
    >>> unit_group("above_action_limit")
    'limit exceeded (1 = yes)'

    """
    c = column.lower()
    if c in SCORES:
        return "risk score (-)"
    if c.startswith(("above_", "exceeds_")):
        return "limit exceeded (1 = yes)"
    for suffix in sorted(UNITS, key=len, reverse=True):
        if c.endswith(suffix):
            return UNITS[suffix]
    return "other"


def _groups(df: pd.DataFrame) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for col in df.columns:
        if df[col].notna().any():
            groups.setdefault(unit_group(str(col)), []).append(str(col))
    return dict(list(groups.items())[:MAX_FIGURES])


def _thin(df: pd.DataFrame) -> pd.DataFrame:
    step = max(1, int(np.ceil(len(df) / MAX_POINTS)))
    return df.iloc[::step]


def _figure(title: str, ylabel: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, xaxis_title="time (s)", yaxis_title=ylabel, height=380,
                      margin=dict(l=60, r=10, t=40, b=45), template="plotly_white",
                      legend=dict(orientation="v", x=1.01, y=1, font=dict(size=10)))
    return fig


def _trace(x, y, name: str, dash: str = "solid", visible: bool = True) -> go.Scatter:
    y = np.where(np.isfinite(y), y, None)
    return go.Scatter(x=np.asarray(x, float), y=y, mode="lines", name=name, line=dict(dash=dash),
                      visible=True if visible else "legendonly")


def _shown(cols: list[str]) -> set[str]:
    """Columns drawn at first: the headline series of the group, else its first three."""
    head = [c for c in cols if c in HEADLINE]
    return set(head or cols[:3])


def timeseries_figures(csv_text: str) -> list[str]:
    """Plotly figures (JSON strings), one per unit, of one assessment's time series."""
    df = _thin(read_timeseries(csv_text))
    out = []
    for label, cols in _groups(df).items():
        fig = _figure(label.split(" (")[0].capitalize(), label)
        shown = _shown(cols)
        for col in cols[:MAX_TRACES]:
            fig.add_trace(_trace(df.index, df[col].to_numpy(float), human(col, with_unit=False), visible=col in shown))
        out.append(pio.to_json(fig, validate=False))
    return out


def comparison_figures(csv_a: str, csv_b: str, name_a: str = "A", name_b: str = "B") -> list[str]:
    """Overlaid figures of the columns two assessments share (A solid, B dashed), time from 0."""
    a, b = _thin(read_timeseries(csv_a)), _thin(read_timeseries(csv_b))
    a.index = a.index - a.index[0]
    b.index = b.index - b.index[0]
    shared = [c for c in a.columns if c in b.columns]
    groups = _groups(a[shared]) if shared else {}
    out = []
    for label, cols in groups.items():
        fig = _figure(label.split(" (")[0].capitalize() + f": {name_a} vs {name_b}", label)
        shown = _shown(cols)
        for col in cols[: MAX_TRACES // 2]:
            vis = col in shown
            fig.add_trace(_trace(a.index, a[col].to_numpy(float), f"{human(col, False)} ({name_a})", visible=vis))
            fig.add_trace(_trace(b.index, b[col].to_numpy(float), f"{human(col, False)} ({name_b})", dash="dash",
                                 visible=vis))
        out.append(pio.to_json(fig, validate=False))
    return out


def flatten_summary(summary: dict, prefix: str = "") -> dict[str, object]:
    """Flatten nested summary dicts to ``a.b.c`` keys (lists shown as text).

    Examples
    --------
    >>> flatten_summary({"a": {"b": 1}, "c": [1, 2]})
    {'a.b': 1, 'c': '[1, 2]'}
    """
    out: dict[str, object] = {}
    for k, v in summary.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten_summary(v, key + "."))
        elif isinstance(v, list):
            out[key] = str(v) if len(str(v)) < 200 else f"[{len(v)} items]"
        else:
            out[key] = v
    return out


def compare_summaries(a: dict, b: dict) -> list[dict]:
    """Rows (key, A, B, change B-A, relative change) over the keys of both summaries."""
    skip = ("findings", "lifts", "warnings")
    fa = {k: v for k, v in flatten_summary(a).items() if k not in skip}
    fb = {k: v for k, v in flatten_summary(b).items() if k not in skip}
    rows = []
    for key in list(fa) + [k for k in fb if k not in fa]:
        va, vb = fa.get(key), fb.get(key)
        row = {"key": key, "a": va, "b": vb, "delta": None, "rel": None}
        if isinstance(va, int | float) and isinstance(vb, int | float) and not isinstance(va, bool) \
                and not isinstance(vb, bool):
            row["delta"] = vb - va
            row["rel"] = (vb - va) / abs(va) if va else None
        rows.append(row)
    return rows


#: series overlaid on the lift cycle in a before/after comparison
CYCLE = ("compression_n", "l5s1_extension_moment_nm", "trunk_flexion_deg", "reba")


def cycle_curves(df: pd.DataFrame, lifts: list[dict], column: str, n: int = 101) -> np.ndarray:
    """The series ``column`` of each lift resampled onto 0-100 % of its cycle (grasp to release);
    shape (n_lifts, n); lifts outside the recording or without times are left out.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]}, index=[0.0, 1.0, 2.0, 3.0])
    >>> cycle_curves(df, [{"grasp_s": 1.0, "release_s": 3.0}], "x", n=3).tolist()
    [[1.0, 2.0, 3.0]]
    """
    t = df.index.to_numpy(float)
    y = df[column].to_numpy(float)
    out = []
    for lift in lifts:
        g, r = lift.get("grasp_s"), lift.get("release_s")
        if not isinstance(g, int | float) or not isinstance(r, int | float) or not r > g or g < t[0] or r > t[-1]:
            continue
        out.append(np.interp(np.linspace(g, r, n), t, y))
    return np.asarray(out).reshape(len(out), n)


def lift_cycle_figures(csv_a: str, lifts_a: list[dict], csv_b: str, lifts_b: list[dict], name_a: str = "A",
                       name_b: str = "B") -> list[str]:
    """Figures of the headline series over the lift cycle (0 % grasp, 100 % release): the mean
    over the lifts of A (solid) and of B (dashed), each lift thin behind."""
    a, b = read_timeseries(csv_a), read_timeseries(csv_b)
    out = []
    pct = np.linspace(0, 100, 101)
    for col in CYCLE:
        if col not in a.columns or col not in b.columns:
            continue
        ca, cb = cycle_curves(a, lifts_a, col), cycle_curves(b, lifts_b, col)
        if not len(ca) or not len(cb):
            continue
        fig = _figure(f"{human(col, False)} over the lift cycle", unit_group(col))
        fig.update_xaxes(title_text="lift cycle (% from grasp to release)")
        for curves, name, dash, colour in ((ca, name_a, "solid", "#1f6feb"), (cb, name_b, "dash", "#d92d20")):
            for k, c in enumerate(curves):
                fig.add_trace(go.Scatter(x=pct, y=c, mode="lines", line=dict(width=1, color=colour, dash=dash),
                                         opacity=0.3, name=f"{name}: lift {k + 1}", showlegend=False))
            fig.add_trace(go.Scatter(x=pct, y=curves.mean(axis=0), mode="lines", name=f"{name} (mean of {len(curves)})",
                                     line=dict(width=3, color=colour, dash=dash)))
        out.append(pio.to_json(fig, validate=False))
    return out
