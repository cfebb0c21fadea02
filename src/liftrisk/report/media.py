"""The recording for the web page: a skeleton-overlay video (video input) or an animated 3D
stick figure (motion capture).

The overlay is a WebM (VP8) written by OpenCV's bundled FFmpeg (every current browser plays
it; nothing is downloaded): each frame of the source video, rotated as the pose detector saw
it, with the detected 2D keypoints of view 1 drawn as the skeleton (left side blue, right
red), shrunk to at most `OVERLAY_MAX_SIDE_PX`. Its time 0 is the video's first frame, the
same time base as the assessment's time series, so a page can seek it to a plotted time.

The stick figure is a plotly figure (JSON) with one animation frame per sample of the
joint centres (thinned to at most `STICK_MAX_FRAMES`), for recordings without a video.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from liftrisk.core.skeletons import get_skeleton
from liftrisk.report.html import BONES

#: longest side of the overlay video (px)
OVERLAY_MAX_SIDE_PX = 720
#: at most this many frames in the stick-figure animation
STICK_MAX_FRAMES = 150
_BGR = {"l": (180, 119, 31), "r": (40, 39, 214), "": (60, 60, 60)}


def _side(a: str, b: str) -> str:
    for s in ("l", "r"):
        if a.startswith((s + "_", "left" if s == "l" else "right")) or b.startswith((s + "_",)):
            return s
    return ""


def _canonical_2d(kp, min_confidence: float) -> tuple[np.ndarray, np.ndarray, list]:
    """The detector's keypoints as canonical joint centres (mean of the source points of
    `liftrisk.core.skeletons`), which of them are trusted per frame, and the bones to draw
    (index, index, BGR colour) of the report's skeleton."""
    sk = get_skeleton(kp.skeleton)
    names = list(kp.point_names)
    canon, cols, conf = [], [], []
    for c, sources in sk.to_canonical.items():
        idx = [names.index(n) for n in sources if n in names]
        if not idx:
            continue
        canon.append(c)
        with warnings.catch_warnings():  # a frame where every source point is missing stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            cols.append(np.nanmean(kp.xy_px[:, idx, :], axis=1) if len(idx) > 1 else kp.xy_px[:, idx[0], :])
        conf.append(np.nanmin(np.nan_to_num(kp.confidence[:, idx]), axis=1))
    xy = np.stack(cols, axis=1) if cols else np.zeros((len(kp.time_s), 0, 2))
    ok = (np.isfinite(xy).all(axis=-1) & (np.stack(conf, axis=1) >= min_confidence)) if conf else \
        np.zeros(xy.shape[:2], bool)
    pairs = list(BONES) + ([("neck", "mid_hip")] if "l5s1" not in canon else [])
    bones = [(canon.index(p), canon.index(q), _BGR[_side(p, q)]) for p, q in pairs if p in canon and q in canon]
    return xy, ok, bones


def overlay_video(a, out_path: str | os.PathLike, max_side_px: int = OVERLAY_MAX_SIDE_PX) -> Path | None:
    """Write the skeleton-overlay video of a video assessment.

    Parameters
    ----------
    a : Assessment
        Result of `liftrisk.pipeline.assess_video` (with keypoints and a video path).
    out_path : path
        The ``.webm`` file to write.
    max_side_px : int
        Longest side of the written frames.

    Returns
    -------
    Path or None
        The file written; None when the assessment has no video or the writer is missing.
    """
    import cv2

    from liftrisk.pose.video import iter_frames, probe_video

    if not (a.keypoints and a.video_paths):
        return None
    kp = a.keypoints[0]
    info = probe_video(a.video_paths[0], kp.meta.get("rotation_deg"))
    scale = min(1.0, max_side_px / max(info.width_px, info.height_px))
    size = (int(round(info.width_px * scale)) // 2 * 2, int(round(info.height_px * scale)) // 2 * 2)
    out = Path(out_path)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"VP80"), float(info.rate_hz), size)
    if not writer.isOpened():
        return None
    try:
        xy, ok_pt, bones = _canonical_2d(kp, a.settings.min_confidence)
        xy = xy * np.array([size[0] / info.width_px, size[1] / info.height_px])
        t_kp = np.asarray(kp.time_s, float)
        for _, t, frame in iter_frames(a.video_paths[0], kp.meta.get("rotation_deg"), info=info):
            img = cv2.resize(frame, size, interpolation=cv2.INTER_AREA) if frame.shape[1::-1] != size else frame
            k = int(np.clip(np.searchsorted(t_kp, t), 1, len(t_kp) - 1)) if len(t_kp) > 1 else 0
            if len(t_kp) > 1 and abs(t_kp[k - 1] - t) < abs(t_kp[k] - t):
                k -= 1
            if len(t_kp) and abs(t_kp[k] - t) <= 1.5 / max(info.rate_hz, 1.0):  # no stale skeleton on skipped frames
                p = xy[k]
                for i, j, colour in bones:
                    if ok_pt[k, i] and ok_pt[k, j]:
                        cv2.line(img, (int(p[i, 0]), int(p[i, 1])), (int(p[j, 0]), int(p[j, 1])), colour, 3,
                                 cv2.LINE_AA)
                for i in np.flatnonzero(ok_pt[k]):
                    cv2.circle(img, (int(p[i, 0]), int(p[i, 1])), 4, (255, 255, 255), -1, cv2.LINE_AA)
            cv2.putText(img, f"{t:.2f} s", (10, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2, cv2.LINE_AA)
            writer.write(img)
    finally:
        writer.release()
    return out if out.is_file() and out.stat().st_size > 0 else None


def stick_figure_json(a, max_frames: int = STICK_MAX_FRAMES) -> str:
    """An animated 3D stick figure (plotly JSON) of the assessment's joint centres.

    Parameters
    ----------
    a : Assessment
        Any assessment (its ``motion`` holds the canonical joint centres, m).
    max_frames : int
        At most this many animation frames (evenly thinned).

    Returns
    -------
    str
        The plotly figure as JSON (``data``, ``layout`` with play button and time slider,
        ``frames``); empty when the motion has fewer than two of the skeleton's points.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    m = a.motion
    names = list(m.point_names)
    bones = [(names.index(p), names.index(q)) for p, q in BONES if p in names and q in names]
    if len(bones) < 2:
        return ""
    step = max(1, int(np.ceil(len(m.time_s) / max_frames)))
    idx = np.arange(0, len(m.time_s), step)
    pos = np.asarray(m.positions_m, float)

    def lines(k: int) -> tuple[list, list, list]:
        xs, ys, zs = [], [], []
        for i, j in bones:
            xs += [pos[k, i, 0], pos[k, j, 0], None]
            ys += [pos[k, i, 1], pos[k, j, 1], None]
            zs += [pos[k, i, 2], pos[k, j, 2], None]
        return xs, ys, zs

    def trace(k: int) -> go.Scatter3d:
        x, y, z = lines(k)
        return go.Scatter3d(x=x, y=y, z=z, mode="lines+markers", line=dict(width=6, color="#1d3557"),
                            marker=dict(size=3, color="#e76f51"), name="joint centres", connectgaps=False)

    finite = pos[idx][np.isfinite(pos[idx]).all(axis=-1)]
    lo, hi = finite.min(axis=0), finite.max(axis=0)
    half = float((hi - lo).max()) / 2 + 0.1
    mid = (hi + lo) / 2
    frames = [go.Frame(data=[trace(k)], name=f"{m.time_s[k]:.2f}") for k in idx]
    slider = dict(active=0, currentvalue=dict(prefix="time (s): "), pad=dict(t=30),
                  steps=[dict(method="animate", label=f.name, args=[[f.name], dict(mode="immediate",
                              frame=dict(duration=0, redraw=True), transition=dict(duration=0))]) for f in frames])
    play = dict(type="buttons", showactive=False, x=0.05, y=0, xanchor="right", yanchor="top",
                buttons=[dict(label="Play", method="animate",
                              args=[None, dict(frame=dict(duration=1000 * step / max(m.rate_hz, 1.0), redraw=True),
                                               fromcurrent=True, transition=dict(duration=0))]),
                         dict(label="Pause", method="animate",
                              args=[[None], dict(mode="immediate", frame=dict(duration=0, redraw=False))])])
    titles = ("X forward (m)", "Y left (m)", "Z up (m)")
    axis = [dict(range=[float(c - half), float(c + half)], title=t) for c, t in zip(mid, titles, strict=True)]
    fig = go.Figure(data=[trace(idx[0])], frames=frames)
    fig.update_layout(title="Joint centres (3D)", height=560, margin=dict(l=0, r=0, t=40, b=0), showlegend=False,
                      scene=dict(xaxis=axis[0], yaxis=axis[1], zaxis=axis[2], aspectmode="cube"),
                      updatemenus=[play], sliders=[slider], template="plotly_white")
    return pio.to_json(fig, validate=False)


def recording_media(a, folder: str | os.PathLike) -> dict[str, bytes]:
    """The media of an assessment for the web page: ``overlay.webm`` (video input) or
    ``stick3d.json`` (any other input).

    Parameters
    ----------
    a : Assessment
        The assessment.
    folder : path
        A scratch folder for the video file.

    Returns
    -------
    dict
        File name -> content.
    """
    if a.keypoints and a.video_paths:
        path = overlay_video(a, Path(folder) / "overlay.webm")
        return {"overlay.webm": path.read_bytes()} if path is not None else {}
    text = stick_figure_json(a)
    return {"stick3d.json": text.encode()} if text else {}
