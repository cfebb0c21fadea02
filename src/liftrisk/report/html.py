"""Self-contained HTML report of an `Assessment` (matplotlib PNGs inlined as base64, one
jinja2 template, no external files or scripts: it opens offline and can be e-mailed)."""

from __future__ import annotations

import base64
import datetime as _dt
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jinja2
import numpy as np

from liftrisk import __version__
from liftrisk.core.settings import FIELD_HELP
from liftrisk.errors import InputFileError
from liftrisk.kinematics.lift_events import hold_window_s
from liftrisk.processing import spans_s
from liftrisk.report.findings import findings
from liftrisk.report.labels import words

BONES = (("head", "neck"), ("neck", "l5s1"), ("l5s1", "mid_hip"), ("neck", "l_shoulder"), ("neck", "r_shoulder"),
         ("l_shoulder", "l_elbow"), ("l_elbow", "l_wrist"), ("l_wrist", "l_hand"), ("r_shoulder", "r_elbow"),
         ("r_elbow", "r_wrist"), ("r_wrist", "r_hand"), ("mid_hip", "l_hip"), ("mid_hip", "r_hip"),
         ("l_hip", "l_knee"), ("l_knee", "l_ankle"), ("l_ankle", "l_heel"), ("l_heel", "l_toe"), ("l_ankle", "l_toe"),
         ("r_hip", "r_knee"), ("r_knee", "r_ankle"), ("r_ankle", "r_heel"), ("r_heel", "r_toe"), ("r_ankle", "r_toe"))
SIDE_COLOUR = {"l": "#1f77b4", "r": "#d62728", "": "#2b2b2b"}


#: Share of the clip off balance above which leg torques are not drawn as numbers.
MOSTLY_OFF_BALANCE = 0.5

def warm_up():
    """Import matplotlib (and set up its Agg backend) in a background thread, e.g. while a
    video is analysed, so the report does not pay the ~0.3 s import at the end. Returns the
    started thread.

    Returns
    -------
    threading.Thread
        The started import thread.

    Examples
    --------
    >>> warm_up().join()
    """
    th = threading.Thread(target=_plt, name="liftrisk-report-warm-up", daemon=True)
    th.start()
    return th


def _plt():
    import matplotlib
    import matplotlib.pyplot as plt  # first: waits while another thread (MediaPipe's import) finishes it

    # after pyplot is complete: `use` on a half-imported pyplot (another thread importing it)
    # fails with "partially initialized module 'matplotlib.pyplot'"
    matplotlib.use("Agg", force=False)
    return plt


DPI = 96


def _png(fig) -> str:
    """Figure -> base64 PNG (no tight bounding box: it draws the figure twice; zlib level 1:
    a few % larger files, several times faster to encode)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    _plt().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(nrows: int, height_in: float, sharex: bool = True):
    """A full-width (11 in) figure with fixed margins (cheaper than tight/constrained layout)."""
    fig, ax = _plt().subplots(nrows, 1, figsize=(11, height_in), sharex=sharex, squeeze=False)
    fig.subplots_adjust(left=0.09, right=0.80, top=0.98, bottom=0.5 / height_in + 0.02, hspace=0.12)
    return fig, ax[:, 0]


def _legend(ax, ncol: int = 1, fontsize: int = 8) -> None:
    """Legend to the right of the axes (never over the curves)."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=fontsize, ncol=ncol, frameon=False,
              borderaxespad=0.0)


MAX_PLOT_POINTS = 1000


def decimate(t: np.ndarray, v: np.ndarray, max_points: int = MAX_PLOT_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """A series thinned for plotting: each bucket of k samples keeps its minimum and maximum
    (in time order), so peaks survive; a plot ~1000 px wide cannot show more points.

    Parameters
    ----------
    t : numpy.ndarray
        (T,) times (s).
    v : numpy.ndarray
        (T,) values (any unit).
    max_points : int
        Largest number of points kept.

    Returns
    -------
    t, v : numpy.ndarray
        The thinned series (same units).

    Examples
    --------
    >>> t = np.arange(10_000.0); v = np.sin(t / 50); v[4321] = 9.0
    >>> tt, vv = decimate(t, v)
    >>> len(tt) <= 1000, float(vv.max()), float(tt[vv.argmax()])
    (True, 9.0, 4321.0)
    """
    t = np.asarray(t, float)
    v = np.asarray(v, float)
    n = v.size
    if n <= max_points:
        return t, v
    k = int(np.ceil(2 * n / max_points))
    nb = n // k
    body = v[:nb * k].reshape(nb, k)
    filled = np.where(np.isfinite(body), body, np.nan)
    ok = np.isfinite(filled).any(axis=1)
    lo = np.where(ok, np.nanargmin(np.where(ok[:, None], filled, 0.0), axis=1), 0)
    hi = np.where(ok, np.nanargmax(np.where(ok[:, None], filled, 0.0), axis=1), 0)
    base = np.arange(nb) * k
    idx = np.sort(np.concatenate([base + np.minimum(lo, hi), base + np.maximum(lo, hi), np.arange(nb * k, n)]))
    return t[idx], v[idx]


def _series(a):
    """Getter ``get(df, col) -> (time_s, values)`` of a column decimated for plotting."""
    t = a.motion.time_s

    def get(df, col):
        return decimate(t, df[col].to_numpy(float))
    return get


def _bone_colour(a: str, b: str) -> str:
    side = a[:2] if a[:2] in ("l_", "r_") else b[:2] if b[:2] in ("l_", "r_") else ""
    return SIDE_COLOUR[side[:1]]


def _mark_events(ax, a, off_balance: bool = False) -> None:
    s = a.summary
    if np.isfinite(s.get("peak_compression_time_s", np.nan)):
        ax.axvline(s["peak_compression_time_s"], color="#e63946", lw=0.8, ls=":")
    for la in a.lifts:
        g, r = hold_window_s(la.lift)
        ax.axvspan(g, r, color="#a8dadc", alpha=0.25, lw=0)
    if off_balance:
        for g, r in spans_s(a.off_balance_frames(), a.motion.time_s):
            ax.axvspan(g, r, color="#999999", alpha=0.25, lw=0, hatch="//")


def plot_l5s1(a) -> str:
    """L5/S1 moments, forces and compression over time (PNG, base64).

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).

    Returns
    -------
    str
        PNG image, base64-encoded.
    """
    get = _series(a)
    k, sp = a.kinetics, a.spine
    fig, ax = _figure(3, 7.6)
    for col, lab in (("l5s1_extension_moment_nm", "extension"), ("l5s1_lateral_bending_left_moment_nm",
                                                                  "lateral bending (left +)"),
                     ("l5s1_axial_twist_left_moment_nm", "axial twist (left +)")):
        if col in k:
            ax[0].plot(*get(k, col), label=lab)
    ax[0].set_ylabel("moment (N·m)")
    _legend(ax[0])
    for col, lab in (("l5s1_axial_force_n", "axial (along trunk)"), ("l5s1_anterior_force_n", "anterior"),
                     ("l5s1_left_force_n", "lateral (left +)")):
        if col in k:
            ax[1].plot(*get(k, col), label=lab)
    ax[1].set_ylabel("net force (N)")
    _legend(ax[1])
    (tc, comp), (ts, shear) = get(sp, "compression_n"), get(sp, "ap_shear_n")
    u = getattr(a, "uncertainty", None)
    if u is not None:  # shaded 90 % bands (5-95 % of the Monte Carlo draws)
        for axis, col, colour in ((ax[0], "l5s1_extension_moment_nm", "C0"), (ax[2], "compression_n", "#1d3557"),
                                  (ax[2], "ap_shear_n", "#8d99ae")):
            if f"{col}_p05" in u.bands:
                tb, lo = get(u.bands, f"{col}_p05")
                _, hi = get(u.bands, f"{col}_p95")
                axis.fill_between(tb, lo, hi, color=colour, alpha=0.25, lw=0,
                                  label="90 % band" if col == "compression_n" else None)
    ax[2].plot(tc, comp, color="#1d3557", lw=2, label="disc compression")
    ax[2].plot(ts, shear, color="#8d99ae", label="anterior shear")
    al, mpl = a.summary["action_limit_n"], a.summary["maximum_permissible_n"]
    ax[2].axhline(al, color="#e9a23b", ls="--", label=f"action limit {al:.0f} N")
    ax[2].axhline(mpl, color="#e63946", ls="--", label=f"max. permissible {mpl:.0f} N")
    peak = a.summary.get("peak_compression_n", np.nan)
    top = max(float(peak) if np.isfinite(peak) else 0.0, mpl)
    both = np.concatenate([comp, shear])
    low = float(np.nanmin(both)) if np.isfinite(both).any() else 0.0
    ax[2].set_ylim(min(0.0, low * 1.1), top * 1.1)
    ax[2].set_ylabel("force (N)")
    ax[2].set_xlabel("time (s)")
    _legend(ax[2])
    for x in ax:
        _mark_events(x, a)
        x.grid(alpha=0.3)
    return _png(fig)


JOINT_COLOUR = {"l5s1": "#1d3557", "shoulder": "#457b9d", "elbow": "#2a9d8f", "hip": "#e76f51", "knee": "#6a4c93",
                "ankle": "#8d99ae"}


def _band(ax, get, u, col: str, colour, label: str | None = None) -> None:
    """Shade the 90 % band (5-95 % of the Monte Carlo draws) of `col` when it was redrawn."""
    if u is not None and f"{col}_p05" in u.bands:
        tb, lo = get(u.bands, f"{col}_p05")
        _, hi = get(u.bands, f"{col}_p95")
        ax.fill_between(tb, lo, hi, color=colour, alpha=0.18, lw=0, label=label)


def plot_joints(a) -> str:
    """Joint torques (arms top-down, legs bottom-up) and workload ratios of every rated joint
    (PNG, base64), each with its shaded 90 % band when the bands were computed. Frames whose
    centre of pressure left the feet are hatched grey.

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).

    Returns
    -------
    str
        PNG image, base64-encoded.
    """
    get = _series(a)
    u = getattr(a, "uncertainty", None)
    has_w = a.workload is not None and a.workload.shape[1] > 0
    fig, ax = _figure(3 if has_w else 2, 7.6 if has_w else 5.2)
    banded = False
    for s, ls in (("l", "-"), ("r", "--")):
        for j in ("shoulder", "elbow"):
            col = f"{s}_{j}_flexion_moment_nm"
            if col in a.kinetics:
                _band(ax[0], get, u, col, JOINT_COLOUR[j], None if banded else "90 % band")
                banded = banded or (u is not None and f"{col}_p05" in u.bands)
                ax[0].plot(*get(a.kinetics, col), ls=ls, color=JOINT_COLOUR[j], label=f"{s.upper()} {j} flexion")
    ax[0].set_ylabel("arm torque (N·m)")
    _legend(ax[0])
    mostly_off = bool(np.mean(a.off_balance_frames()) > MOSTLY_OFF_BALANCE) if a.lower is not None else False
    if mostly_off:  # numbers resting on a clipped centre of pressure are not shown
        ax[1].text(0.5, 0.5, f"off balance for {100 * np.mean(a.off_balance_frames()):.0f} % of the clip: hip, knee "
                   "and ankle torques are not shown (unreliable)", ha="center", va="center", transform=ax[1].transAxes)
    elif a.lower is not None:
        for s, ls in (("l", "-"), ("r", "--")):
            for j, name in (("hip", "extension"), ("knee", "extension"), ("ankle", "plantarflexion")):
                col = f"{s}_{j}_{name}_moment_nm"
                if col in a.lower:
                    _band(ax[1], get, u, col, JOINT_COLOUR[j])
                    ax[1].plot(*get(a.lower, col), ls=ls, color=JOINT_COLOUR[j], label=f"{s.upper()} {j} {name}")
        _legend(ax[1])
    else:
        ax[1].text(0.5, 0.5, "lower-body torques not available", ha="center", transform=ax[1].transAxes)
    ax[1].set_ylabel("leg torque (N·m)")
    if has_w:
        for col in a.workload.columns:
            name = col.removesuffix("_workload_ratio")
            joint = name[2:] if name[:2] in ("l_", "r_") else name
            if mostly_off and joint in ("hip", "knee", "ankle"):
                continue
            tw, v = get(a.workload, col)
            if u is not None and f"{col}_p05" in u.bands:
                tb, lo = get(u.bands, f"{col}_p05")
                _, hi = get(u.bands, f"{col}_p95")
                ax[2].fill_between(tb, 100 * lo, 100 * hi, color=JOINT_COLOUR.get(joint), alpha=0.15, lw=0)
            ax[2].plot(tw, 100 * np.where(np.isfinite(v), v, np.nan), ls="--" if name.startswith("r_") else "-",
                       color=JOINT_COLOUR.get(joint), lw=2 if joint == "l5s1" else 1.2,
                       label=words(name))
        ax[2].axhline(100, color="#e63946", lw=0.8, ls=":")
        ax[2].set_ylabel("workload (% of max.)")
        _legend(ax[2], 2, 7)
    ax[-1].set_xlabel("time (s)")
    for x in ax:
        _mark_events(x, a, off_balance=x is not ax[0])
        x.grid(alpha=0.3)
    return _png(fig)


def plot_scores(a) -> str:
    """REBA, fuzzy REBA and RULA over time with REBA risk bands (PNG, base64).

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).

    Returns
    -------
    str
        PNG image, base64-encoded.
    """
    get = _series(a)
    fig, ax = _figure(1, 3.4)
    ax = ax[0]
    for lo, hi, c in ((1, 2, "#2a9d8f"), (2, 4, "#a7c957"), (4, 8, "#e9c46a"), (8, 11, "#f4a261"), (11, 15, "#e63946")):
        ax.axhspan(lo, hi, color=c, alpha=0.12, lw=0)
    p = a.posture
    (tr, reba), (tu, rula) = get(p, "reba"), get(p, "rula")
    ax.step(tr, np.where(reba > 0, reba, np.nan), where="mid", color="#1d3557", lw=1.6, label="REBA")
    ax.plot(*get(p, "fuzzy_reba"), color="#e63946", lw=1.6, label="fuzzy REBA")
    ax.step(tu, np.where(rula > 0, rula, np.nan), where="mid", color="#8d99ae", lw=1, ls="--", label="RULA")
    ax.set_ylim(0, 15)
    ax.set_ylabel("score")
    ax.set_xlabel("time (s)")
    _legend(ax)
    _mark_events(ax, a)
    ax.grid(alpha=0.3)
    return _png(fig)


def key_frame_indices(a, n_max: int = 4) -> list[tuple[int, str]]:
    """Frames worth showing: peak compression, worst REBA, lift grasps and releases.

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).
    n_max : int
        Largest number of frames.

    Returns
    -------
    list of (int, str)
        Motion frame index and label, in time order.
    """
    t = a.motion.time_s
    s = a.summary
    cand = []
    for key, lab in (("peak_compression_time_s", "peak compression"), ("peak_reba_time_s", "worst posture")):
        if np.isfinite(s.get(key, np.nan)):
            cand.append((float(s[key]), lab))
    for la in a.lifts:
        cand.append((la.lift.origin.time_s, f"lift {la.index + 1} origin"))
        cand.append((la.lift.destination.time_s, f"lift {la.index + 1} destination"))
    if not cand:
        cand = [(t[0], "start"), (t[len(t) // 2], "middle")]
    out, used = [], set()
    for ts, lab in cand:
        i = int(np.argmin(np.abs(t - ts)))
        if all(abs(i - j) > max(2, a.motion.rate_hz * 0.1) for j in used):
            used.add(i)
            out.append((i, lab))
        if len(out) >= n_max:
            break
    return sorted(out)


def read_key_images(a) -> tuple[list[int], dict]:
    """Video frame indices of the key frames and their decoded images (index -> BGR array;
    empty without a video or when it cannot be read). Runs well in a thread: OpenCV's
    decoder releases the GIL while matplotlib draws.

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).

    Returns
    -------
    indices : list of int
        Video frame index of each key frame.
    images : dict
        Video frame index -> BGR image (numpy.ndarray).
    """
    if not (a.keypoints and a.video_paths):
        return [], {}
    from liftrisk.pose.video import read_frames

    kp = a.keypoints[0]
    idx = [int(np.argmin(np.abs(kp.time_s - a.motion.time_s[i]))) for i, _ in key_frame_indices(a)]
    try:
        return idx, read_frames(a.video_paths[0], idx, kp.meta.get("rotation_deg"))
    except InputFileError:
        return idx, {}


def plot_key_frames(a, images: tuple[list[int], dict] | None = None) -> tuple[str, str]:
    """Key frames: video frames with the detected skeleton, or a side-view stick figure.

    ``images``: the result of `read_key_images` when already read (e.g. in a thread).

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).
    images : (list of int, dict), optional
        Result of `read_key_images` when already read.

    Returns
    -------
    png : str
        PNG image, base64-encoded.
    note : str
        Caption of the figure.
    """
    plt = _plt()
    frames = key_frame_indices(a)
    if a.keypoints and a.video_paths:
        idx, imgs = read_key_images(a) if images is None else images
        kp = a.keypoints[0]
        if imgs:
            pix = kp.canonical_pixels()
            if "mid_hip" in pix and "neck" in pix and "l5s1" not in pix:
                pix["l5s1"] = pix["mid_hip"]  # trunk line neck -> hips (L5/S1 is not a keypoint)
            fig, axes = plt.subplots(1, len(frames), figsize=(3.2 * len(frames) + 1, 4.6), squeeze=False)
            fig.subplots_adjust(left=0.01, right=0.99, top=0.88, bottom=0.01, wspace=0.04)
            for ax, (i, lab), k in zip(axes[0], frames, idx, strict=True):
                img = imgs.get(k)
                if img is not None:
                    hgt, wid = img.shape[:2]
                    x0, x1, y0, y1 = 0, wid, 0, hgt
                    pts = kp.xy_px[k][kp.confidence[k] > 0.3]
                    if len(pts):  # zoom on the worker
                        lo, hi = np.nanmin(pts, axis=0), np.nanmax(pts, axis=0)
                        c, half = (lo + hi) / 2, max(hi[1] - lo[1], hi[0] - lo[0]) * 0.65 + 20
                        x0, x1 = int(max(0, c[0] - half)), int(min(wid, c[0] + half))
                        y0, y1 = int(max(0, c[1] - half)), int(min(hgt, c[1] + half))
                    sub = img[y0:y1, x0:x1, ::-1]
                    f = min(1.0, 480.0 / max(sub.shape[:2]))
                    if f < 1.0:  # draw a small image: the report does not need full resolution
                        import cv2

                        sub = cv2.resize(np.ascontiguousarray(sub), None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
                    ax.imshow(sub, extent=(x0, x1, y1, y0))
                    ax.set_xlim(x0, x1)
                    ax.set_ylim(y1, y0)
                for p, q in BONES:
                    if p in pix and q in pix:
                        (xa, ca), (xb, cb) = pix[p], pix[q]
                        if ca[k] > 0.3 and cb[k] > 0.3:
                            ax.plot([xa[k, 0], xb[k, 0]], [xa[k, 1], xb[k, 1]], color=_bone_colour(p, q), lw=2.2)
                ax.set_title(f"{lab}\n{a.motion.time_s[i]:.2f} s", fontsize=10)
                ax.axis("off")
            return _png(fig), "Detected keypoints drawn on the video (blue: left side, red: right side)."
    fig, axes = plt.subplots(1, len(frames), figsize=(3.0 * len(frames) + 1, 4.2), squeeze=False)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.86, bottom=0.02, wspace=0.05)
    m = a.motion
    z_all = m.positions_m[..., 2]
    x_all = m.positions_m[..., 0]
    for ax, (i, lab) in zip(axes[0], frames, strict=True):
        for p, q in BONES:
            if p in m and q in m:
                pa, pb = m[p][i], m[q][i]
                ax.plot([pa[0], pb[0]], [pa[2], pb[2]], color=_bone_colour(p, q), lw=2.5)
        tol = 2.0 / m.rate_hz  # a destination frame may fall a frame after the release
        held = not a.lifts or any(g - tol <= m.time_s[i] <= r + tol
                                  for g, r in map(hold_window_s, (la.lift for la in a.lifts)))
        if "l_hand" in m and "r_hand" in m and a.hand_load is not None and a.hand_load.box_mass_kg > 0 and held:
            h = 0.5 * (m["l_hand"][i] + m["r_hand"][i])
            ax.add_patch(plt.Rectangle((h[0] - 0.05, h[2] - 0.22), 0.35, 0.24, color="#bc8a5f", alpha=0.6))
        ax.axhline(0.0, color="#555", lw=1)
        ax.set_xlim(np.nanmin(x_all) - 0.3, np.nanmax(x_all) + 0.5)
        ax.set_ylim(-0.05, np.nanmax(z_all) + 0.15)
        ax.set_aspect("equal")
        ax.set_title(f"{lab}\n{m.time_s[i]:.2f} s", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    return _png(fig), "Side view (the worker faces right) of the joint centres used, with the box while it is held."


def plot_hand_load(a) -> str:
    """The load in the hands measured from the feet over time, as an equivalent mass (kg),
    raw and as used (0 outside the holds) (PNG, base64).

    Parameters
    ----------
    a : Assessment
        An assessment whose hand load was measured (``hand_load.force_n``, N).

    Returns
    -------
    str
        PNG image, base64-encoded.
    """
    load = a.hand_load
    t = np.asarray(load.time_s, float)
    kg = -np.asarray(load.force_n)[:, 2] / 9.81
    fig, ax = _figure(1, 2.6)
    ax = ax[0]
    ax.plot(*decimate(t, kg), color="#8d99ae", lw=1, label="measured (vertical force / g)")
    if a.holds_s:
        held = np.zeros(t.size, bool)
        for g, r in a.holds_s:
            held |= (t >= g) & (t <= r)
        ax.plot(*decimate(t, np.where(held, np.clip(kg, 0, None), 0.0)), color="#1d3557", lw=1.6,
                label="used (held)")
    ax.axhline(0.0, color="k", lw=0.6)
    ax.set_ylabel("load in the hands (kg)")
    ax.set_xlabel("time (s)")
    _legend(ax)
    _mark_events(ax, a)
    ax.grid(alpha=0.3)
    return _png(fig)


def _cards(a) -> list[dict]:
    s = a.summary
    c = s["peak_compression_n"]
    cls_c = "bad" if c > s["maximum_permissible_n"] else "warn" if c > s["action_limit_n"] else "ok"
    r = s["peak_reba"]
    cls_r = "bad" if r >= 8 else "warn" if r >= 4 else "ok"
    li = s["max_li"]
    cls_li = "" if not np.isfinite(li) else "bad" if li > 3 else "warn" if li > 1 else "ok"
    cards = [
        {"label": "peak L5/S1 compression", "value": f"{c:,.0f} N" if np.isfinite(c) else "-", "cls": cls_c},
        {"label": "peak L5/S1 extension moment", "value": f"{s['peak_l5s1_extension_moment_nm']:.0f} N·m"
         if np.isfinite(s["peak_l5s1_extension_moment_nm"]) else "-", "cls": ""},
        {"label": f"max REBA ({s['peak_reba_level']})", "value": f"{r:.0f}" if np.isfinite(r) else "-", "cls": cls_r},
        {"label": "max fuzzy REBA", "value": f"{s['peak_fuzzy_reba']:.1f}" if np.isfinite(s["peak_fuzzy_reba"])
         else "-", "cls": cls_r},
        {"label": "lifts / max NIOSH LI", "value": f"{s['n_lifts']} / " + (f"{li:.2f}" if np.isfinite(li) else "-"),
         "cls": cls_li},
    ]
    if np.isfinite(s.get("peak_workload_ratio", np.nan)):
        w = s["peak_workload_ratio"]
        cards.append({"label": f"peak workload ({s['peak_workload_joint'].replace('_', ' ')})",
                      "value": f"{100 * w:.0f} %", "cls": "bad" if w > 0.5 else "warn" if w > 0.3 else "ok"})
    return cards


def render_html(a, title: str | None = None) -> str:
    """The report as one HTML string (everything inlined).

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).
    title : str, optional
        Title (default: the source file name).

    Returns
    -------
    str
        The HTML document.
    """
    env = jinja2.Environment(loader=jinja2.PackageLoader("liftrisk", "report/templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    tpl = env.get_template("report.html.j2")
    with ThreadPoolExecutor(1) as pool:  # decode the key frames while the time series are drawn
        images = pool.submit(read_key_images, a)
        figs = {"l5s1": plot_l5s1(a), "joints": plot_joints(a), "scores": plot_scores(a)}
        kf, kf_note = plot_key_frames(a, images.result())
    kf_width_px = int.from_bytes(base64.b64decode(kf[:32])[16:20], "big")  # PNG IHDR width: never upscaled
    lifts = []
    verdicts = a.reliability() if hasattr(a, "reliability") else []
    u = getattr(a, "uncertainty", None)
    for k, row in enumerate(a.lifts_table().to_dict("records")):
        tlv = row.get("acgih_tlv_kg")
        row["tlv_txt"] = f"{tlv:.0f}" if tlv is not None and np.isfinite(tlv) else "no lifting"
        v = verdicts[k] if k < len(verdicts) else {"verdict": "", "reasons": []}
        row["reliability"], row["reliability_reasons"] = v["verdict"], "; ".join(v["reasons"])
        row["li_interval"] = ""
        if u is not None and k < len(u.lifts):
            r = u.lifts.iloc[k]
            row["li_interval"] = f"{r['li_p05']:.2f}-{r['li_p95']:.2f}, P(LI>1) {100 * r['p_li_gt_1']:.0f} %"
        lifts.append(row)
    sub = a.subject
    st = a.settings
    s = a.summary
    measured = "lift_loads_kg" in s and a.hand_load is not None and a.hand_load.force_n is not None
    load_txt = f"hand load measured from the {s['hand_load']}" if measured else f"box {s['box_kg']:.1f} kg"
    method = s.get("method", "3D motion file")
    if "median_reprojection_px" in s:
        method += f"; median reprojection error {s['median_reprojection_px']:.1f} px"
    return tpl.render(
        title=title or (Path(a.source).name if a.source else "assessment"),
        subject_line=f"{sub.sex}, {sub.mass_kg:.0f} kg, {sub.height_m:.2f} m, {load_txt}",
        hand_load_fig=plot_hand_load(a) if measured else "", hand_load_source=s.get("hand_load", ""),
        lift_loads=", ".join(f"lift {k + 1}: {v:.1f} kg" for k, v in enumerate(s.get("lift_loads_kg", ()))) or "none",
        generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), version=__version__,
        cards=_cards(a), findings=findings(a),
        off_balance=bool(a.off_balance_frames().any()), warnings=a.warnings, keyframes=kf, keyframes_note=kf_note,
        keyframes_width_px=kf_width_px,
        lifts=lifts, ranking=ranking_rows(a), n_draws=u.n_draws if u is not None else 0, seed=st.uncertainty_seed,
        holds_redrawn=not st.lift_times_s and s.get("hand_load") != "object plate", body_model=st.body_model,
        body_fit=body_model_report(a),
        is_video=bool(a.keypoints or a.video_paths),
        plot_key=_plot_key(a, u), **figs,
        box_kg=f"{s['box_kg']:.1f}", coupling=st.coupling, lifts_per_min=st.lifts_per_min, duration_h=st.duration_h,
        method=method, source=_file_names(a.source), n_frames=s["n_frames"], rate_hz=s["rate_hz"],
        duration_s=s["duration_s"], cutoff_hz=st.cutoff_hz, settings_rows=settings_rows(st),
        action_limit_n=f"{s['action_limit_n']:.0f}", maximum_permissible_n=f"{s['maximum_permissible_n']:.0f}")


def body_model_report(a) -> dict | None:
    """How the body model was fitted, for the report's method section: a sentence, the scale
    factors and each marker's RMS residual (cm, worst first); None without the body model.

    Parameters
    ----------
    a : Assessment

    Returns
    -------
    dict or None
        ``text`` (str), ``scale`` (list of (length, factor text)), ``markers`` (list of
        (marker, RMS cm text)).
    """
    info = a.motion.meta.get("body_model")
    if not info:
        return None
    rms = info.get("rms_residual_m", np.nan)
    if info.get("route") == "raw markers":
        text = (f"liftrisk's body model ({info.get('marker_set', 'markers')}) scaled on the "
                f"{info.get('calibration', 'recording')} and fitted by inverse kinematics to the raw markers "
                f"(low-pass filtered at {a.settings.cutoff_hz:g} Hz; per-marker weights from each marker's residual; "
                f"joint limits); RMS marker residual {_num(100 * rms, '{:.1f}')} cm.")
    else:
        text = (f"liftrisk's body model scaled on the {info.get('calibration', 'recording')} and fitted by inverse "
                f"kinematics to the joint centres; RMS residual {_num(100 * rms, '{:.1f}')} cm.")
    scale = [(k.replace("_", " "), f"{v:.2f}") for k, v in info.get("scale_factors", {}).items()]
    markers = sorted(info.get("marker_rms_m", {}).items(), key=lambda kv: -np.nan_to_num(kv[1], nan=-1.0))
    return {"text": text, "scale": scale, "markers": [(n, _num(100 * v, "{:.1f}")) for n, v in markers]}


def _plot_key(a, u) -> str:
    """What the shadings and lines of the time plots mean, for the captions."""
    parts = []
    if u is not None:
        parts.append(f"Shaded along a curve: its 90 % band (5-95 % of {u.n_draws} Monte Carlo redraws of the inputs)")
    if a.lifts:
        parts.append("pale blue columns: the load is in the hands (grasp to release)")
    if np.isfinite(a.summary.get("peak_compression_time_s", np.nan)):
        parts.append("red dotted line: the time of the peak compression")
    return ("; ".join(parts) + ".") if parts else ""


def _num(x, fmt: str, none: str = "-") -> str:
    return fmt.format(x) if x is not None and np.isfinite(x) else none


def ranking_rows(a) -> list[dict]:
    """The summary's lifts ranked by risk, worst first (`Assessment.lift_ranking`) as text cells:
    rank, lift, time, LI with its 90 % interval and P(LI > 1), peak compression in the lift
    with its band, the reliability verdict and its reasons.

    Parameters
    ----------
    a : Assessment

    Returns
    -------
    list of dict (empty without lifts)
    """
    if not a.lifts or not hasattr(a, "lift_ranking"):
        return []
    times = {la.index + 1: (la.lift.grasp_s, la.lift.release_s) for la in a.lifts}
    kinds = {int(r["lift"]): r.get("kind", "") for r in a.lifts_table().to_dict("records") if "lift" in r}
    out = []
    for r in a.lift_ranking().to_dict("records"):
        g, rel = times.get(int(r["lift"]), (np.nan, np.nan))
        li = _num(r.get("li"), "{:.2f}")
        if np.isfinite(r.get("li_p05", np.nan)):
            li += f" ({r['li_p05']:.2f}-{r['li_p95']:.2f})"
        p1 = r.get("p_li_gt_1")
        p1 = f"{100 * p1:.0f} %" if p1 is not None and np.isfinite(p1) else ""
        comp = _num(r.get("peak_compression_n"), "{:,.0f} N")
        if np.isfinite(r.get("compression_p05_n", np.nan)):
            comp += f" ({r['compression_p05_n']:,.0f}-{r['compression_p95_n']:,.0f})"
        kind = kinds.get(int(r["lift"]), "")
        kind = "lowering" if kind == "lower" else kind
        out.append({"rank": int(r["rank"]), "lift": f"{int(r['lift'])} ({kind})" if kind else str(int(r["lift"])),
                    "time": f"{g:.2f}-{rel:.2f} s"
                    if np.isfinite(g) and np.isfinite(rel) else "-", "li": li, "p_li_gt_1": p1,
                    "compression": comp, "verdict": r.get("reliability") or "-", "reasons": r.get("reasons") or ""})
    return out


def settings_rows(settings) -> list[tuple[str, str, str]]:
    """(key, value as text, meaning) of every setting, for the report's settings table.

    Parameters
    ----------
    settings : AssessmentSettings

    Returns
    -------
    list of (key, value, meaning)
        Values as text with their units where the key has none (lift times in s).

    Examples
    --------
    >>> from liftrisk.core.settings import AssessmentSettings
    >>> rows = settings_rows(AssessmentSettings(lift_times_s=((1, 2),)))
    >>> next(r[1] for r in rows if r[0] == "lift_times_s")
    '1.00-2.00 s'
    """
    rows = []
    for key, value in settings.to_dict().items():
        if key == "lift_times_s":
            text = "; ".join(f"{g:.2f}-{r:.2f} s" for g, r in value) or "detected"
        elif key == "quiet_standing_s":
            text = f"{value[0]:.2f}-{value[1]:.2f} s" if value else "body mass x g"
        else:
            text = str(value).lower() if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) \
                else str(value)
        rows.append((key, text, FIELD_HELP.get(key, "")))
    return rows


def write_report(a, path: str | os.PathLike, title: str | None = None) -> Path:
    """Write the self-contained HTML report; returns the path.

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_motion` (or another `assess_*`).
    path : str or os.PathLike
        Output HTML file.
    title : str, optional
        Title (default: the source file name).

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from liftrisk.core import Subject
    >>> from liftrisk.kinetics.inverse_dynamics import demo_posture
    >>> from liftrisk.pipeline import assess_motion
    >>> a = assess_motion(demo_posture(30), Subject("male", 80, 1.78), 10.0)
    >>> p = write_report(a, pathlib.Path(tempfile.mkdtemp()) / "r.html")
    >>> p.read_text().count("data:image/png;base64") >= 4
    True
    """
    p = Path(path)
    if p.parent and not p.parent.exists():
        raise InputFileError(p, "the output folder does not exist", fix="create it or choose another path")
    p.write_text(render_html(a, title), encoding="utf-8")
    return p


def _file_names(source: str | None) -> str:
    """The input file name(s) of an assessment, never the local folder they were in (a
    report is shared; the path can name people or machines).

    Examples
    --------
    >>> _file_names("/home/ana/site A/w017.trc"), _file_names("/x/cam1.mp4, /x/cam2.mp4"), _file_names(None)
    ('w017.trc', 'cam1.mp4, cam2.mp4', '-')
    """
    if not source:
        return "-"
    return ", ".join(Path(part.strip()).name for part in str(source).split(", "))
