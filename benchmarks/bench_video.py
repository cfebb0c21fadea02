"""End-to-end speed of video -> report: frames/s and the share of each stage.

Run:  python benchmarks/bench_video.py [VIDEO] [--repeat N]
Default video: ../shared/data/sports2d_demo/demo.mp4 (Sports2D demo, VP9, 1768x994, 30 fps,
7.7 s). Stages: decode (OpenCV, in a reader thread overlapping detection),
2D+3D detection (MediaPipe Pose, model_complexity=1),
monocular 3D (scale + root translation + worker frame), assessment (joint centres, filter,
kinematics, kinetics, risk, lifts), HTML report. "Real time" = processing frames/s above the
video's frame rate.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from liftrisk.core import Subject
from liftrisk.pipeline import assess_keypoints
from liftrisk.pose.detector import MediaPipePoseDetector, detect_video
from liftrisk.pose.video import probe_video
from liftrisk.report import render_html, warm_up

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "sports2d_demo" / "demo.mp4"


class TimedDetector:
    """Wraps a detector and accumulates the time spent in detect() (incl. BGR->RGB outside)."""

    def __init__(self, det):
        self.det, self.skeleton, self.seconds = det, det.skeleton, 0.0

    def detect(self, frame_rgb):
        t = time.perf_counter()
        out = self.det.detect(frame_rgb)
        self.seconds += time.perf_counter() - t
        return out

    def close(self):
        self.det.close()


def run(video: Path, max_rate_hz: float | None = 30.0) -> dict:
    info = probe_video(video)
    stride = max(1, int(round(info.rate_hz / max_rate_hz))) if max_rate_hz else 1
    det = TimedDetector(MediaPipePoseDetector())
    c0, t0 = time.process_time(), time.perf_counter()
    warm_up()  # as `liftrisk assess`: matplotlib's import overlaps the video analysis
    kp = detect_video(video, det, stride=stride)
    pose_total, pose_cpu = time.perf_counter() - t0, time.process_time() - c0
    det.close()
    n = kp.n_frames * stride  # video frames covered
    subject = Subject("male", 80.0, 1.78)
    c0, t0 = time.process_time(), time.perf_counter()
    a = assess_keypoints([kp], subject, None, 10.0, video_paths=[video])
    assess_s, assess_cpu = time.perf_counter() - t0, time.process_time() - c0
    c0, t0 = time.process_time(), time.perf_counter()
    render_html(a)
    report_s, report_cpu = time.perf_counter() - t0, time.process_time() - c0
    # decoding runs in a reader thread beside detection: only the time the detector waits for
    # frames (plus the loop's own work) is left outside "detect"
    stages = {"decode (waiting for the reader thread)": pose_total - det.seconds, "detect (MediaPipe)": det.seconds,
              "3D + assessment": assess_s, "report": report_s}
    cpu = {"decode + detect (both threads)": pose_cpu, "3D + assessment": assess_cpu, "report": report_cpu}
    total = sum(stages.values())
    return {"video": str(video), "frames": n, "analysed": kp.n_frames, "video_fps": info.rate_hz,
            "size": (info.width_px, info.height_px), "stages": stages, "cpu": cpu, "total_s": total,
            "fps": n / total, "detected": kp.detected_fraction()}


BONES = [("l_hip", "l_knee"), ("r_hip", "r_knee"), ("l_knee", "l_ankle"), ("r_knee", "r_ankle"),
         ("l_shoulder", "l_elbow"), ("r_shoulder", "r_elbow"), ("l_elbow", "l_wrist"), ("r_elbow", "r_wrist")]


def pose2sim_figures(folder: Path) -> None:
    """Multi-view figures on the Pose2Sim demo: detection speed per view, reprojection error
    and bone-length consistency (coefficient of variation over time), with/without sync and
    outlier-view rejection, QCA vs Pose2Sim-TOML distortion."""
    from liftrisk.core.skeletons import to_canonical
    from liftrisk.pose import read_calibration, triangulate_keypoints
    from liftrisk.pose.triangulation import apply_frame_offsets, estimate_frame_offsets

    views = []
    for i in range(1, 5):
        v = folder / "videos_balancing" / f"cam0{i}.mp4"
        t0 = time.perf_counter()
        views.append(detect_video(v))
        dt = time.perf_counter() - t0
        info = probe_video(v)
        print(f"  {v.name}: {info.width_px}x{info.height_px}, {views[-1].n_frames} frames, "
              f"{views[-1].n_frames / dt:.1f} frames/s (decode + MediaPipe)")
    for calname in ("Calib.qca.txt", "Calib_qualisys_converted_by_pose2sim.toml"):
        cams = read_calibration(folder / "calibration" / calname)
        lags = estimate_frame_offsets(views, cams)
        for label, vv, thr in (("no sync, all views", views, 1e9), ("no sync, views > 15 px dropped", views, 15.0),
                               (f"sync {lags}, views > 15 px dropped", apply_frame_offsets(views, lags), 15.0)):
            res = triangulate_keypoints(vv, cams, max_reprojection_px=thr)
            can = to_canonical(res.motion, "mediapipe33")
            cvs = []
            for a, b in BONES:
                d = np.linalg.norm(can[a] - can[b], axis=1)
                cvs.append(np.nanstd(d) / np.nanmean(d))
            print(f"  {calname[:12]:<12} {label:<40} median reprojection {res.median_reprojection_px():5.2f} px, "
                  f"views used {np.mean(res.n_views):.2f}, bone-length CV median {100 * np.median(cvs):.1f} % "
                  f"(max {100 * np.max(cvs):.1f} %)")
    monocular_vs_multiview(views, read_calibration(folder / "calibration" / "Calib.qca.txt"))


def monocular_vs_multiview(views, cams) -> None:
    """Each view alone (monocular) against the 4-view triangulation: error of the vertical
    (level-camera assumption vs balance) and RMS difference of joint angles."""
    from liftrisk.core import Motion
    from liftrisk.core.skeletons import to_canonical
    from liftrisk.pipeline import AssessmentSettings
    from liftrisk.pose.frames import up_from_balance

    subject = Subject("male", 70.0, 1.76)
    ref = assess_keypoints(views, subject, cams, None)
    cols = ("trunk_flexion", "l_hip_flexion", "r_hip_flexion", "l_knee_flexion", "r_knee_flexion",
            "l_elbow_flexion", "r_elbow_flexion")
    for kp, cam in zip(views, cams, strict=True):
        can = to_canonical(Motion(kp.time_s, kp.world_m, kp.point_names, kp.rate_hz, meta={"skeleton": kp.skeleton}),
                           kp.skeleton)
        up_true = cam.rotation @ np.array([0.0, 0.0, 1.0])
        err_level = np.degrees(np.arccos(-up_true[1]))
        err_bal = np.degrees(np.arccos(np.clip(up_true @ up_from_balance(can), -1, 1)))
        line = f"  {cam.name}: vertical error level-camera {err_level:4.1f} deg, balance {err_bal:4.1f} deg; angle RMSD"
        for label, kw in (("balance", dict(settings=AssessmentSettings(monocular_vertical="balance"))),
                          ("calibrated", dict(cameras=[cam]))):
            a = assess_keypoints([kp], subject, kw.get("cameras"), None, settings=kw.get("settings",
                                                                                       AssessmentSettings()))
            t = np.intersect1d(np.round(a.angles_rad.index, 4), np.round(ref.angles_rad.index, 4))
            am = a.angles_rad.set_axis(np.round(a.angles_rad.index, 4)).loc[t]
            rm = ref.angles_rad.set_axis(np.round(ref.angles_rad.index, 4)).loc[t]
            rmsd = [float(np.degrees(np.sqrt(np.nanmean((am[c] - rm[c]) ** 2)))) for c in cols]
            line += (f" | {label}: trunk {rmsd[0]:.0f}, hips {np.mean(rmsd[1:3]):.0f}, "
                     f"knees {np.mean(rmsd[3:5]):.0f}, elbows {np.mean(rmsd[5:7]):.0f} deg")
        print(line)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", nargs="?", default=str(DEFAULT))
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--max-rate-hz", type=float, default=30.0, help="as assess_video (0: every frame)")
    ap.add_argument("--pose2sim", metavar="FOLDER", help="also print multi-view figures on the Pose2Sim demo folder "
                                                         "(../shared/data/pose2sim_demo)")
    args = ap.parse_args(argv)
    video = Path(args.video)
    if not video.exists():
        sys.exit(f"{video} not found; give a video path")
    print(f"CPU cores visible: {os.cpu_count()}, affinity: {len(os.sched_getaffinity(0))}; OpenCV threads: "
          f"{cv2.getNumThreads()}")
    runs = [run(video, args.max_rate_hz or None) for _ in range(args.repeat)]
    r = min(runs, key=lambda x: x["total_s"])
    print(f"video: {r['video']} ({r['size'][0]}x{r['size'][1]}, {r['frames']} frames at {r['video_fps']:g} fps, "
          f"{r['analysed']} analysed; "
          f"person found in {100 * r['detected']:.0f}% of frames)")
    for name, s in r["stages"].items():
        print(f"  {name:<45} {s:7.2f} s  {100 * s / r['total_s']:5.1f} %  ({r['frames'] / max(s, 1e-9):8.1f} frames/s)")
    cpu_total = sum(r["cpu"].values())
    print("CPU time (all threads; less affected by other load on a shared machine than wall time):")
    for name, s in r["cpu"].items():
        print(f"  {name:<45} {s:7.2f} s  {1000 * s / r['analysed']:6.1f} ms per analysed frame")
    print(f"  {'total':<45} {cpu_total:7.2f} s  {1000 * cpu_total / r['analysed']:6.1f} ms per analysed frame "
          f"(real time needs < {2000 / r['video_fps'] * (r['frames'] / r['analysed']):.1f} ms on 2 cores)")
    rt = r["fps"] / r["video_fps"]
    print(f"end-to-end: {r['total_s']:.2f} s for {r['frames']} frames = {r['fps']:.1f} frames/s "
          f"({rt:.2f} x real time{'' if rt >= 1 else ', SLOWER than real time'})")
    if args.repeat > 1:
        fps = np.array([x["fps"] for x in runs])
        print(f"over {args.repeat} runs: {fps.min():.1f}-{fps.max():.1f} frames/s")
    if args.pose2sim:
        print("Pose2Sim demo (4 portrait phone videos, 60 fps, 100 frames):")
        pose2sim_figures(Path(args.pose2sim))


if __name__ == "__main__":
    main()
