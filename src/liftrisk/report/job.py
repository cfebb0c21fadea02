"""Self-contained HTML report of a job (`liftrisk.job.JobResult`): per-task figures, NIOSH
CLI and VLI, LiFFT damage and risk, the Shoulder Tool, Liberty Mutual percent capable and
the joints' percent capable (matplotlib PNGs inlined; opens offline). Also the JSON and
CSV exports of the same figures."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import textwrap
from pathlib import Path

import numpy as np

from liftrisk.errors import InputFileError
from liftrisk.report.html import _plt, _png

LIFFT_NOTE = ("LiFFT (Gallagher et al. 2017): damage per lift from the peak load moment (load x largest "
              "horizontal L5/S1-to-load distance), summed over the day; probability that the job is a high-risk "
              "job (12+ low-back injuries per 200,000 h).")
EXT_NOTE = ("liftrisk extension, not LiFFT: the same damage curve fed with the measured peak L5/S1 moment "
            "(body weight and inertia included). The curve was fitted to load moments, so this is a relative "
            "indicator, not a validated risk.")


def _fmt(x, nd=2, pct=False):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{100 * x:.{nd}f}%" if pct else f"{x:.{nd}f}"


def _cls_li(li):
    return "" if li is None else ("ok" if li <= 1 else ("warn" if li <= 3 else "bad"))


def _cls_p(p, lo=0.25, hi=0.5):
    return "" if p is None else ("ok" if p < lo else ("warn" if p <= hi else "bad"))


def _cls_cap(pc):
    return "" if pc is None else ("ok" if pc >= 90 else ("warn" if pc >= 75 else "bad"))


def _names(r) -> list[str]:
    return [textwrap.fill(t["name"], 22) for t in r.tasks]


def _fig_niosh(r):
    plt = _plt()
    names = _names(r)
    stli = [t["niosh"]["STLI"] or np.nan for t in r.tasks]
    fili = [t["niosh"]["FILI"] or np.nan for t in r.tasks]
    fig, ax = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
    x = np.arange(len(names))
    ax.bar(x - 0.18, fili, 0.36, label="FILI (frequency independent)", color="#8d99ae")
    ax.bar(x + 0.18, stli, 0.36, label="STLI (single task)", color="#457b9d")
    for val, lab, ls in ((r.niosh["CLI"], "CLI", "-"), (r.niosh["VLI"], "VLI", "--")):
        if val is not None:
            ax.axhline(val, color="#e63946", ls=ls, lw=1.4, label=f"{lab} {val:.2f}")
    ax.axhline(1.0, color="#2a9d8f", lw=0.8, ls=":")
    ax.axhline(3.0, color="#e63946", lw=0.8, ls=":")
    ax.set_xticks(x, names, fontsize=8)
    ax.set_xlim(-0.8, len(names) - 0.2)
    ax.set_ylabel("lifting index")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(fig)


def _fig_lifft(r):
    from liftrisk.job.lifft import probability_high_risk

    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
    cd = np.logspace(-4, 1, 200)
    ax.semilogx(cd, 100 * probability_high_risk(cd), color="#1d3557", lw=1.5, label="LiFFT risk curve")
    ax.axhspan(0, 25, color="#2a9d8f", alpha=0.10)
    ax.axhspan(25, 50, color="#e9c46a", alpha=0.15)
    ax.axhspan(50, 100, color="#e63946", alpha=0.10)
    ax.plot([r.lifft["cumulative_damage"]], [100 * r.lifft["probability"]], "o", color="#1d3557", ms=8,
            label=f"job: CD {r.lifft['cumulative_damage']:.2g}")
    if r.lifft_measured:
        ax.plot([r.lifft_measured["cumulative_damage"]], [100 * r.lifft_measured["probability"]], "s", mfc="none",
                color="#e63946", ms=8,
                label=f"measured-moment extension: CD {r.lifft_measured['cumulative_damage']:.2g}")
    ax.set_xlabel("daily cumulative damage (CD)")
    ax.set_ylabel("P(high-risk job), %")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7, loc="upper left")
    return _png(fig)


def _fig_capable(r):
    plt = _plt()
    names = _names(r)
    fig, ax = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
    x = np.arange(len(names))
    f = [t["lm_mmh"]["female"].get("percent_capable") or np.nan for t in r.tasks]
    m = [t["lm_mmh"]["male"].get("percent_capable") or np.nan for t in r.tasks]
    j = [t["worst_joint"][1] if t["worst_joint"][1] is not None else np.nan for t in r.tasks]
    ax.bar(x - 0.27, f, 0.27, label="LM-MMH females", color="#b56576")
    ax.bar(x, m, 0.27, label="LM-MMH males", color="#457b9d")
    ax.bar(x + 0.27, j, 0.27, label="worst joint (strength)", color="#8d99ae")
    ax.axhline(75, color="#e63946", lw=1, ls="--", label="75% (design minimum, females)")
    ax.axhline(90, color="#2a9d8f", lw=1, ls=":", label="90%")
    ax.set_xticks(x, names, fontsize=8)
    ax.set_xlim(-0.8, len(names) - 0.2)
    ax.set_ylim(0, 105)
    ax.set_ylabel("% of population capable")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return _png(fig)


def render_job_html(r, title: str | None = None) -> str:
    """HTML text of the job report.

    Parameters
    ----------
    r : JobResult
    title : str, optional
        Report title (default: the job's name).

    Returns
    -------
    str
        Self-contained HTML.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0)
    >>> spec = JobSpec("j", 8.0, Subject("male", 80, 1.78), (TaskSpec("t", ("r",), 10.0, 1.0, 8.0),))
    >>> render_job_html(evaluate_job(spec, {"t": [m]})).count("data:image/png;base64")
    3
    """
    import jinja2

    from liftrisk import __version__

    env = jinja2.Environment(loader=jinja2.PackageLoader("liftrisk", "report/templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    s = r.spec
    cards = [
        {"value": _fmt(r.niosh["CLI"]), "label": "NIOSH composite LI (CLI)", "cls": _cls_li(r.niosh["CLI"])},
        {"value": _fmt(r.niosh["VLI"]), "label": "NIOSH variable LI (VLI)", "cls": _cls_li(r.niosh["VLI"])},
        {"value": _fmt(r.lifft["probability"], 0, True), "label": f"LiFFT P(high-risk job), {r.lifft['band']}",
         "cls": _cls_p(r.lifft["probability"])},
        {"value": _fmt(r.lifft["cumulative_damage"], 4), "label": "LiFFT daily cumulative damage", "cls": ""},
    ]
    if r.shoulder:
        cards.append({"value": _fmt(r.shoulder["probability"], 0, True),
                      "label": f"Shoulder Tool P(clinic visit), {r.shoulder['band']}",
                      "cls": _cls_p(r.shoulder["probability"], 0.25 + 1e-9, 0.5)})
    worst_f = [t["lm_mmh"]["female"].get("percent_capable") for t in r.tasks]
    worst_f = [v for v in worst_f if v is not None]
    if worst_f:
        cards.append({"value": f"{min(worst_f):.0f}%", "label": "LM-MMH females capable (worst task)",
                      "cls": _cls_cap(min(worst_f))})
    tasks = []
    for t in r.tasks:
        f, m = t["lm_mmh"]["female"], t["lm_mmh"]["male"]
        tasks.append({
            "name": t["name"], "n_lifts": t["n_lifts"], "freq": f"{t['lifts_per_min']:g}", "hours": f"{t['hours']:g}",
            "reps": f"{t['repetitions_per_day']:.0f}", "load": f"{t['load_kg']:.1f}",
            "fili": _fmt(t["niosh"]["FILI"]), "stli": _fmt(t["niosh"]["STLI"]),
            "stli_cls": _cls_li(t["niosh"]["STLI"]),
            "plm": _fmt(t["lifft_moment_nm"], 0), "dmg": _fmt(t["lifft_damage"], 5),
            "share": _fmt(next(x["share_percent"] for x in r.lifft["tasks"] if x["name"] == t["name"]), 0),
            "mm": _fmt(t["measured_moment_nm"], 0), "mdmg": _fmt(t["measured_damage"], 4),
            "f_pc": _fmt(f.get("percent_capable"), 0), "f_cls": _cls_cap(f.get("percent_capable")),
            "f_mal": _fmt(f.get("mal_kg"), 1), "f_75": _fmt(f.get("load_75_percent_capable_kg"), 1),
            "m_pc": _fmt(m.get("percent_capable"), 0), "m_cls": _cls_cap(m.get("percent_capable")),
            "m_mal": _fmt(m.get("mal_kg"), 1), "m_75": _fmt(m.get("load_75_percent_capable_kg"), 1),
            "lm_notes": (f.get("not_rated", []) + m.get("not_rated", [])),
            "joints": ", ".join(f"{k.replace('_', ' ')} {v:.0f}%" for k, v in sorted(t["percent_capable"].items(),
                                                                                key=lambda kv: kv[1])) or "-",
            "worst": (f"{t['worst_joint'][0].replace('_', ' ')} {t['worst_joint'][1]:.0f}%"
                      if t["worst_joint"][1] is not None else "-"),
            "worst_cls": _cls_cap(t["worst_joint"][1])})
    lifts = r.lifts_table()
    lift_rows = [] if lifts.empty else [
        {"task": x.task, "rec": os.path.basename(x.recording), "n": x.lift, "kind": x.kind,
         "t": f"{x.grasp_s:.2f}-{x.release_s:.2f}", "load": f"{x.load_kg:.1f}",
         "ho": f"{100 * x.h_origin_m:.0f}", "vo": f"{100 * x.v_origin_m:.0f}", "hd": f"{100 * x.h_destination_m:.0f}",
         "vd": f"{100 * x.v_destination_m:.0f}", "d": f"{100 * x.d_m:.0f}",
         "reach": f"{100 * x.max_l5s1_to_hands_m:.0f}", "m": _fmt(x.peak_l5s1_moment_nm, 0),
         "worst": (f"{x.worst_joint.replace('_', ' ')} {x.worst_joint_percent_capable:.0f}%"
                   if x.worst_joint else "-")}
        for x in lifts.itertuples()]
    shoulder = []
    for label, d in (("Shoulder Tool (load x lever arm + arm weight)", r.shoulder),
                     ("liftrisk extension: measured peak shoulder moment", r.shoulder_measured)):
        if d:
            shoulder.append({"label": label, "cd": _fmt(d["cumulative_damage"]["job"], 5),
                             "left": _fmt(d["cumulative_damage"].get("left"), 5),
                             "right": _fmt(d["cumulative_damage"].get("right"), 5),
                             "p": _fmt(d["probability"], 1, True), "band": d["band"]})
    handlings = []
    for h in r.handlings:
        f, m = h["female"], h["male"]
        handlings.append({
            "name": h["name"], "what": f"{h['kind']} {h['variant']}".strip(), "load": _fmt(h["load_kg"], 1),
            "v": f"{100 * h['v_m']:.0f}", "dist": f"{h['distance_m']:g}", "f": f"{h['per_min']:g}",
            "f_pc": _fmt(f.get("percent_capable"), 0), "f_cls": _cls_cap(f.get("percent_capable")),
            "f_mal": _fmt(f.get("mal_kg"), 1), "m_pc": _fmt(m.get("percent_capable"), 0),
            "m_cls": _cls_cap(m.get("percent_capable")), "m_mal": _fmt(m.get("mal_kg"), 1),
            "notes": f.get("not_rated", []) + m.get("not_rated", [])})
    w = s.worker
    return env.get_template("job.html.j2").render(handlings=handlings,
        title=title or s.name, version=__version__, generated=_dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        worker=f"{w.sex}, {w.mass_kg:g} kg, {w.height_m:.2f} m" + (f", {w.age_years:g} y" if w.age_years else ""),
        duration_h=f"{s.duration_h:g}", cards=cards, tasks=tasks, lifts=lift_rows, niosh=r.niosh,
        vli_categories=[{"rng": f"{c['fili_range'][0]:.3f}-{c['fili_range'][1]:.3f}", "fili": f"{c['fili']:.3f}",
                         "f": f"{c['lifts_per_min']:.3g}", "fm": f"{c['fm']:.3f}", "stli": _fmt(c["stli"]),
                         "n": c["n_lifts"]} for c in r.niosh["VLI_categories"]],
        lifft=r.lifft, lifft_measured=r.lifft_measured, lifft_note=LIFFT_NOTE, ext_note=EXT_NOTE,
        shoulder=shoulder, notes=r.notes, fig_niosh=_fig_niosh(r), fig_lifft=_fig_lifft(r),
        fig_capable=_fig_capable(r), fmt=_fmt)


def _check_out(p: Path, overwrite: bool) -> Path:
    if p.parent and not p.parent.exists():
        raise InputFileError(p, "the output folder does not exist", fix="create it or choose another path")
    if p.exists() and not overwrite:
        raise InputFileError(p, "file exists", fix="choose another path or pass --overwrite")
    return p


def _json_safe(o):
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {str(k): _json_safe(v) for k, v in o.items()}
    if isinstance(o, list | tuple):
        return [_json_safe(v) for v in o]
    if isinstance(o, np.floating | np.integer):
        return _json_safe(o.item())
    return o


def write_job_report(r, path: str | os.PathLike, title: str | None = None, overwrite: bool = True) -> Path:
    """Write the job report HTML; returns the path.

    Parameters
    ----------
    r : JobResult
    path : str or Path
        Output .html file.
    title : str, optional
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from liftrisk.core import Subject
    >>> from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0)
    >>> spec = JobSpec("j", 8.0, Subject("male", 80, 1.78), (TaskSpec("t", ("r",), 10.0, 1.0, 8.0),))
    >>> write_job_report(evaluate_job(spec, {"t": [m]}), pathlib.Path(tempfile.mkdtemp()) / "j.html").suffix
    '.html'
    """
    p = _check_out(Path(path), overwrite)
    p.write_text(render_job_html(r, title), encoding="utf-8")
    return p


def write_job_exports(r, stem: str | os.PathLike, overwrite: bool = True) -> list[Path]:
    """Write ``<stem>.json`` (every figure; non-finite numbers as null), ``<stem>_tasks.csv``,
    ``<stem>_lifts.csv`` and, when the result carries them, ``<stem>_capable.csv`` (percent
    capable of every hip, knee and ankle at every frame of every recording); returns the paths.

    Parameters
    ----------
    r : JobResult
    stem : str or Path
        Output path without suffix.
    overwrite : bool
        Replace existing files.

    Returns
    -------
    list of Path
        The written files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from liftrisk.core import Subject
    >>> from liftrisk.job import JobSpec, LiftMeasure, TaskSpec, evaluate_job
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0)
    >>> spec = JobSpec("j", 8.0, Subject("male", 80, 1.78), (TaskSpec("t", ("r",), 10.0, 1.0, 8.0),))
    >>> [p.name for p in write_job_exports(evaluate_job(spec, {"t": [m]}), pathlib.Path(tempfile.mkdtemp()) / "j")]
    ['j.json', 'j_tasks.csv', 'j_lifts.csv']
    """
    stem = Path(stem)
    js = _check_out(stem.with_suffix(".json"), overwrite)
    js.write_text(json.dumps(_json_safe(r.to_dict()), indent=1), encoding="utf-8")
    tc = _check_out(stem.parent / f"{stem.name}_tasks.csv", overwrite)
    r.tasks_table().to_csv(tc, index=False, float_format="%.6g")
    lc = _check_out(stem.parent / f"{stem.name}_lifts.csv", overwrite)
    r.lifts_table().to_csv(lc, index=False, float_format="%.6g")
    out = [js, tc, lc]
    series = [df.assign(recording=name).reset_index() for name, df in r.capable_timeseries.items() if df.shape[1]]
    if series:
        import pandas as pd

        cc = _check_out(stem.parent / f"{stem.name}_capable.csv", overwrite)
        df = pd.concat(series, ignore_index=True)
        df[["recording"] + [c for c in df.columns if c != "recording"]].to_csv(cc, index=False, float_format="%.6g")
        out.append(cc)
    return out
