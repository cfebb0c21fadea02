"""End-to-end speed of video -> report, stage by stage, and the accuracy cost of the faster modes.

Run:
    python benchmarks/bench_video.py [VIDEO] [--repeat N] [--rate-hz R] [--max-side-px S] [--detect-every N]
    python benchmarks/bench_video.py --modes            # accuracy of each speed mode vs every frame
    python benchmarks/bench_video.py --make-1080p DIR    # write the 1080p 30 fps test clip(s)

Default video: ../shared/data/sports2d_demo/demo.mp4 (Sports2D demo, VP9, 1768x994, 30 fps,
7.7 s). The run goes through `liftrisk.pipeline.assess_video` as ``liftrisk assess`` does
(body model and inverse kinematics included, settings default unless given), then the
uncertainty bands and the HTML report. Each stage's wall time and CPU time (user + sys of
all threads, `resource.getrusage`) are printed: on a shared machine wall time is inflated
by other work, CPU time much less, so both are shown with the load average. Stages:
pose (decode + resize + colour conversion in a reader thread, MediaPipe in the main
thread; the two overlap on two cores), 3D pose, joint centres, body model (scaling + IK),
kinematics, lifts, kinetics, risk scores, uncertainty bands, report. "x real time" =
video duration / end-to-end wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from liftrisk.core import Subject
from liftrisk.core.settings import AssessmentSettings
from liftrisk.pipeline import assess_keypoints, assess_video
from liftrisk.pose.detector import detect_video
from liftrisk.pose.video import iter_frames, probe_video
from liftrisk.report import render_html, warm_up

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = DATA / "sports2d_demo" / "demo.mp4"
SUBJECT = Subject("male", 80.0, 1.78)


def cpu_s() -> float:
    """User + system CPU time of this process, all threads (s)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(video: Path, settings: AssessmentSettings = AssessmentSettings(), report: bool = True) -> dict:
    """One end-to-end run of `video`; wall and CPU seconds per stage."""
    info = probe_video(video)
    marks: list[tuple[str, float, float]] = [("pose", time.perf_counter(), cpu_s())]

    def cb(stage: str, done: int, total: int) -> None:
        name = "pose" if stage.startswith("pose ") else stage
        if name != marks[-1][0]:
            marks.append((name, time.perf_counter(), cpu_s()))

    warm_up()  # as `liftrisk assess`: matplotlib's import overlaps the video analysis
    a = assess_video(video, SUBJECT, None, 0.0, settings=settings, progress=cb)
    marks.append(("uncertainty bands", time.perf_counter(), cpu_s()))
    _ = a.uncertainty
    if report:
        marks.append(("report", time.perf_counter(), cpu_s()))
        render_html(a)
    marks.append(("end", time.perf_counter(), cpu_s()))
    wall = {m[0]: n[1] - m[1] for m, n in zip(marks[:-1], marks[1:], strict=True) if m[0] != "done"}
    cpu = {m[0]: n[2] - m[2] for m, n in zip(marks[:-1], marks[1:], strict=True) if m[0] != "done"}
    total = marks[-1][1] - marks[0][1]
    return {"video": str(video), "frames": info.n_frames, "analysed": a.motion.n_frames, "video_fps": info.rate_hz,
            "duration_s": info.n_frames / info.rate_hz, "size": (info.width_px, info.height_px), "wall": wall,
            "cpu": cpu, "total_s": total, "cpu_total_s": marks[-1][2] - marks[0][2],
            "detected": a.keypoints[0].detected_fraction(), "assessment": a,
            "parts": a.keypoints[0].meta.get("pose_segments", 1),
            "detector_runs": a.keypoints[0].meta.get("pose_detector_runs"),
            "redone": a.keypoints[0].meta.get("pose_frames_redone", [])}


def print_run(r: dict) -> None:
    """The stage table of one run."""
    la = os.getloadavg()
    print(f"video: {r['video']} ({r['size'][0]}x{r['size'][1]}, {r['frames']} frames at {r['video_fps']:g} fps = "
          f"{r['duration_s']:.2f} s, {r['analysed']} frames analysed; person found in "
          f"{100 * r['detected']:.0f}% of them; {r['parts']} part(s) detected at once, frames redone at the cuts: "
          f"{r['redone']}; detector runs {r['detector_runs'] or r['analysed']}); load average "
          f"{la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")
    print(f"  {'stage':<22} {'wall s':>8} {'CPU s':>8} {'CPU ms/frame':>13}")
    for name in r["wall"]:
        print(f"  {name:<22} {r['wall'][name]:8.2f} {r['cpu'][name]:8.2f} {1000 * r['cpu'][name] / r['frames']:13.1f}")
    rt = r["duration_s"] / r["total_s"]
    print(f"  {'total':<22} {r['total_s']:8.2f} {r['cpu_total_s']:8.2f} {1000 * r['cpu_total_s'] / r['frames']:13.1f}")
    print(f"end-to-end: {rt:.2f} x real time by wall time; CPU {r['cpu_total_s']:.2f} s = "
          f"{r['duration_s'] / r['cpu_total_s']:.2f} x real time on one core, "
          f"{2 * r['duration_s'] / r['cpu_total_s']:.2f} x on two fully used cores")


def figures() -> dict[str, tuple]:
    """Figures for `benchmarks/run_all.py`: the bundled Sports2D walking clip (13.4 s, 1280x720,
    30 fps) through `assess_video` with the default settings (body model and IK included),
    the uncertainty bands and the HTML report: wall and CPU time, x real time, and the CPU
    time per video frame of the pose stage and of the body model."""
    from importlib import resources

    clip = resources.files("liftrisk").joinpath("data", "demo_video", "sports2d_demo4_walk.mp4")
    with resources.as_file(clip) as p:
        r = run(Path(p))
    n = r["frames"]
    return {"video_e2e_wall_s": (r["total_s"], "s", "lower"),
            "video_e2e_cpu_s": (r["cpu_total_s"], "s", "lower"),
            "video_e2e_x_real_time": (r["duration_s"] / r["total_s"], "x real time", "higher"),
            "video_pose_cpu_ms_per_frame": (1000 * r["cpu"]["pose"] / n, "ms/frame", "lower"),
            "video_body_model_cpu_ms_per_frame": (1000 * r["cpu"].get("body model", float("nan")) / n, "ms/frame",
                                                  "lower")}


def _child(code: str) -> tuple[float, float, float, str]:
    """Run `code` in a fresh Python; (peak RSS MiB, CPU s, wall s, its last output line)."""
    import subprocess

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    out = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    if status != 0:
        raise RuntimeError(f"child failed ({status}): {code[:80]}")
    lines = out.strip().splitlines()
    return ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime, time.perf_counter() - t0, lines[-1] if lines else ""


def memory(clips=(), frames=(1800, 3600, 7200), video=DEFAULT) -> None:
    """Peak RSS, each in a fresh process: (1) pose over each long clip (frames streamed; every
    6th frame detected to keep the run short; decoding reads every frame), (2) the rest of
    the video path (3D, body model + IK, kinetics, risk, bands, report) on keypoints of
    `video` played forward and backward to each length in `frames` (30 fps)."""
    for clip in clips:
        info = probe_video(clip)
        rss, cpu, wall, out = _child(
            "from liftrisk.pose.detector import detect_video\n"
            f"kp = detect_video({str(clip)!r}, stride=6)\nprint(kp.n_frames)")
        print(f"  pose only, {clip.name} ({info.width_px}x{info.height_px}, {info.n_frames} frames = "
              f"{info.duration_s:.0f} s, {out} detected): peak RSS {rss:.0f} MiB, CPU {cpu:.1f} s, wall {wall:.1f} s",
              flush=True)
    kp_file = Path("/tmp") / f"liftrisk_bench_{os.getpid()}_keypoints.json"
    from liftrisk.pose import write_keypoints

    write_keypoints(detect_video(video), kp_file)
    for n in frames:
        code = (
            "import numpy as np\nfrom liftrisk.pose import read_keypoints\nfrom liftrisk.core import Subject\n"
            "from liftrisk.pipeline import assess_keypoints\nfrom liftrisk.report import render_html\n"
            "from dataclasses import replace\n"
            f"kp = read_keypoints({str(kp_file)!r})\n"
            f"idx = np.concatenate([np.arange(kp.n_frames), np.arange(kp.n_frames - 2, 0, -1)])\n"
            f"idx = np.resize(idx, {n})\n"
            "kp = replace(kp, time_s=np.arange(idx.size) / kp.rate_hz, xy_px=kp.xy_px[idx], "
            "confidence=kp.confidence[idx], world_m=None if kp.world_m is None else kp.world_m[idx])\n"
            "a = assess_keypoints([kp], Subject('male', 80.0, 1.78), None, 0.0)\n"
            "_ = a.uncertainty\nrender_html(a)\nprint(a.motion.n_frames)")
        rss, cpu, wall, out = _child(code)
        print(f"  3D + body model + kinetics + risk + bands + report, {n} frames at 30 Hz ({n / 1800:.1f} min): "
              f"peak RSS {rss:.0f} MiB, CPU {cpu:.1f} s, wall {wall:.1f} s", flush=True)
    kp_file.unlink(missing_ok=True)


#: speed modes compared with analysing every frame at full size with one detector
MODES = {
    "every frame, 1 detector (reference)": dict(video_rate_hz=0.0, video_max_side_px=0, _workers=1),
    "default (30 Hz, full size, parts)": {},
    "960 px": dict(video_max_side_px=960),
    "15 Hz": dict(video_rate_hz=15.0),
    "10 Hz": dict(video_rate_hz=10.0),
    "640 px": dict(video_max_side_px=640),
    "fill, every 2, tol 0.02": dict(video_detect_every=2, video_fill_tolerance=0.02),
    "fill, every 3, tol 0.02": dict(video_detect_every=3, video_fill_tolerance=0.02),
    "fill, every 3, tol 0.05": dict(video_detect_every=3, video_fill_tolerance=0.05),
}
CLIPS = (DATA / "sports2d_demo" / "demo.mp4", DATA / "sports2d_demo" / "demo4.mp4",
         DATA / "pose2sim_demo" / "videos_balancing" / "cam01.mp4",
         DATA / "pose2sim_demo" / "videos_balancing" / "cam03.mp4")


def headline(a) -> dict:
    """The figures whose change is the accuracy cost of a speed mode."""
    s = a.summary
    out = {"l5s1_peak_nm": s["peak_l5s1_extension_moment_nm"], "compression_peak_n": s["peak_compression_n"],
           "reba_peak": s["peak_reba"], "reba_median": float(np.nanmedian(a.posture["reba"].where(
               a.posture["reba"] > 0).to_numpy(float))),
           "trunk_flexion_p95_deg": float(np.degrees(np.nanpercentile(a.angles_rad["trunk_flexion"], 95))),
           "l5s1": a.kinetics["l5s1_extension_moment_nm"].to_numpy(float)}
    out["lifts"] = [(la.row()["grasp_s"], la.lift.origin.h_m, la.lift.origin.v_m, la.lift.origin.a_deg,
                     la.lift.destination.h_m, la.lift.destination.v_m, la.lift.destination.a_deg, la.li)
                    for la in a.lifts]
    return out


def lift_differences(v: dict, r: dict) -> dict:
    """Largest |difference| of H, V (cm), A (deg) and LI over the reference's lifts, each
    matched to the lift of `v` whose grasp is nearest (within 1 s); unmatched lifts counted."""
    worst = {"H": 0.0, "V": 0.0, "A": 0.0, "LI": 0.0}
    missed = 0
    for lr in r.get("lifts", []):
        cands = [lv for lv in v.get("lifts", []) if abs(lv[0] - lr[0]) < 1.0]
        if not cands:
            missed += 1
            continue
        lv = min(cands, key=lambda x: abs(x[0] - lr[0]))
        worst["H"] = max(worst["H"], 100 * abs(lv[1] - lr[1]), 100 * abs(lv[4] - lr[4]))
        worst["V"] = max(worst["V"], 100 * abs(lv[2] - lr[2]), 100 * abs(lv[5] - lr[5]))
        worst["A"] = max(worst["A"], abs(lv[3] - lr[3]), abs(lv[6] - lr[6]))
        worst["LI"] = max(worst["LI"], abs(lv[7] - lr[7]))
    return {**worst, "missed": missed, "n_ref": len(r.get("lifts", [])), "n": len(v.get("lifts", []))}


def video_modes(clips=CLIPS, modes=MODES) -> dict:
    # (`_workers`: 1 = one detector over the whole clip)
    """Each clip in each mode: headline figures, wall and CPU time (no report)."""
    out = {}
    for clip in clips:
        if not clip.exists():
            print(f"  {clip} not found, skipped")
            continue
        for name, kw in modes.items():
            import liftrisk.pose.detector as det

            kw = dict(kw)
            workers = kw.pop("_workers", None)
            saved = det.MIN_SEGMENT_FRAMES
            if workers == 1:
                det.MIN_SEGMENT_FRAMES = 10**9
            c0, t0 = cpu_s(), time.perf_counter()
            try:
                a = assess_video(clip, SUBJECT, None, 0.0, settings=replace(AssessmentSettings(), **kw))
            finally:
                det.MIN_SEGMENT_FRAMES = saved
            out[(clip.name, name)] = {**headline(a), "wall_s": time.perf_counter() - t0, "cpu_s": cpu_s() - c0,
                                      "frames": a.motion.n_frames}
            print(f"  {clip.name:<10} {name:<24} " + ", ".join(
                f"{k} {v:.3g}" for k, v in out[(clip.name, name)].items() if k not in ("lifts", "l5s1")), flush=True)
    return out


def synthetic_modes(rates=(30.0, 60.0, 20.0, 15.0, 10.0), noise_m: float = 0.01) -> dict:
    """The analysis rate's cost on rendered-style synthetic box lifts: the generator's 60 Hz
    motion (3 lifts of 10 kg, squat and stoop, with 1 cm point noise as monocular video has)
    kept every n-th frame, as `video_rate_hz` keeps frames, and assessed with the lift times
    detected; figures vs the 30 Hz assessment (every frame of a 30 fps video)."""
    from liftrisk.pipeline import assess_motion
    from liftrisk.synthetic.lift import synthetic_lift

    out = {}
    for style, origin, dest, asym in (("squat", (0.40, 0.25), (0.45, 0.95), 0.0),
                                      ("stoop", (0.45, 0.20), (0.40, 1.10), 45.0)):
        m = synthetic_lift(SUBJECT, 10.0, origin_m=origin, destination_m=dest, asymmetry_deg=asym, style=style,
                           rate_hz=60.0, n_lifts=2, noise_m=noise_m, still_s=1.0)
        for r in rates:
            n = int(round(60.0 / r))
            idx = np.arange(0, m.n_frames, n)
            sub = m.replace(time_s=m.time_s[idx], positions_m=m.positions_m[idx],
                            confidence=None if m.confidence is None else m.confidence[idx], rate_hz=60.0 / n)
            out[(style, f"{r:g} Hz" + (" (reference)" if r == rates[0] else ""))] = headline(
                assess_motion(sub, SUBJECT, 10.0))
    return out


class _KnownDetector:
    """A detector that returns known points for the frame whose index is written in its first
    pixel: the fill-between logic run on a synthetic lift without a renderer."""

    skeleton = "mediapipe33"

    def __init__(self, xyz: np.ndarray):
        self.xyz = xyz

    def detect(self, frame_rgb):
        from liftrisk.pose.detector import FrameDetection

        p = self.xyz[int(frame_rgb[0, 0, 0]) + 256 * int(frame_rgb[0, 0, 1])]
        # a side camera 500 px per m (image x = forward, image y = down) and the 3D points
        return FrameDetection(500.0 * np.c_[p[:, 0], -p[:, 2]], np.ones(len(p)), p.copy())

    def close(self) -> None:
        pass


def synthetic_fill_modes(fills=((2, 0.02), (3, 0.02), (3, 0.05), (3, 1.0)), noise_m: float = 0.01) -> dict:
    """The cost of filling between detections (`video_detect_every`, `video_fill_tolerance`)
    on the synthetic box lifts of `synthetic_modes`: the 30 Hz frames (every 2nd of the
    generator's 60 Hz, 1 cm point noise) are the detections, the fill logic of
    `liftrisk.pose.detect_video` chooses which to keep and interpolates the others, and the
    result is assessed like the reference (every frame). Tolerance 1.0: never refined."""
    from liftrisk.pipeline import assess_motion
    from liftrisk.pose.detector import _detect_filling
    from liftrisk.synthetic.lift import synthetic_lift

    out = {}
    for style, origin, dest, asym in (("squat", (0.40, 0.25), (0.45, 0.95), 0.0),
                                      ("stoop", (0.45, 0.20), (0.40, 1.10), 45.0)):
        m = synthetic_lift(SUBJECT, 10.0, origin_m=origin, destination_m=dest, asymmetry_deg=asym, style=style,
                           rate_hz=60.0, n_lifts=2, noise_m=noise_m, still_s=1.0)
        idx = np.arange(0, m.n_frames, 2)
        ref = m.replace(time_s=m.time_s[idx], positions_m=m.positions_m[idx],
                        confidence=None if m.confidence is None else m.confidence[idx], rate_hz=30.0)
        out[(style, "every frame (reference)")] = headline(assess_motion(ref, SUBJECT, 10.0))
        xyz = ref.positions_m

        def frames(times=ref.time_s):
            for i, t in enumerate(times):
                f = np.zeros((2, 2, 3), np.uint8)
                f[0, 0, 0], f[0, 0, 1] = i % 256, i // 256
                yield i, float(t), f, True

        for every, tol in fills:
            found, stats = _detect_filling(frames(), _KnownDetector(xyz), _KnownDetector(xyz), every, tol,
                                           lambda: None)
            pos = np.stack([d.world_m for _, d in found])
            h = headline(assess_motion(ref.replace(positions_m=pos), SUBJECT, 10.0))
            h["detected"] = stats["pose_detector_runs"] / ref.n_frames
            out[(style, f"every {every}, tolerance {tol:g}")] = h
    return out


def print_costs(res: dict) -> None:
    """Differences of each mode from its clip's reference (first mode of each clip)."""
    refs = {}
    for (clip, mode), v in res.items():
        if clip not in refs:
            refs[clip] = v
            continue
        r = refs[clip]
        parts = []
        for k in ("l5s1_peak_nm", "compression_peak_n"):
            parts.append(f"{k} {100 * (v[k] - r[k]) / abs(r[k]):+.1f} %")
        if "l5s1" in v and "l5s1" in r and len(v["l5s1"]) == len(r["l5s1"]):
            parts.append(f"L5/S1 RMS diff {np.sqrt(np.nanmean((v['l5s1'] - r['l5s1']) ** 2)):.1f} N m")
        for k in ("reba_peak", "reba_median"):
            parts.append(f"{k} {v[k] - r[k]:+.1f}")
        parts.append(f"trunk p95 {v['trunk_flexion_p95_deg'] - r['trunk_flexion_p95_deg']:+.1f} deg")
        if r.get("lifts"):
            d = lift_differences(v, r)
            parts.append(f"lifts {d['n']}/{d['n_ref']} ({d['missed']} unmatched), worst |dH| {d['H']:.1f} cm, "
                         f"|dV| {d['V']:.1f} cm, |dA| {d['A']:.1f} deg, |dLI| {d['LI']:.2f}")
        if "detected" in v:
            parts.append(f"detector runs {100 * v['detected']:.0f} % of the frames")
        if "cpu_s" in v:
            parts.append(f"CPU {v['cpu_s']:.1f} s (ref {r['cpu_s']:.1f} s)")
        print(f"  {clip:<10} {mode:<24} " + "; ".join(parts))


def make_clip(out: Path, source: Path = DEFAULT, size=(1920, 1080), seconds: float | None = None) -> Path:
    """Write a test clip: `source` resized to `size` (1080p by default), 30 fps, MPEG-4 Part 2
    (the encoder OpenCV's wheel has; phones write H.264 or HEVC, which cost more to decode);
    with `seconds`, the source is played forward and backward until that length (a long
    recording without a cut)."""
    frames = [cv2.resize(f, size, interpolation=cv2.INTER_CUBIC) for _, _, f in iter_frames(source)]
    loop = frames + frames[-2:0:-1]
    n = len(frames) if seconds is None else int(round(seconds * 30.0))
    w = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, size)
    if not w.isOpened():
        raise RuntimeError(f"cannot write {out}")
    for i in range(n):
        w.write(loop[i % len(loop)])
    w.release()
    return out


def step_costs(video: Path, n_detect: int = 60) -> dict:
    """CPU ms per frame of each step of the pose stage, one at a time on one thread: decoding
    only (`grab`), decoding + YUV -> BGR (`read`), BGR -> RGB (`cvtColor`) and MediaPipe in
    tracking mode on `n_detect` frames (every 3rd frame of the video, kept in memory)."""
    from liftrisk.pose._native_log import filtered_native_stderr
    from liftrisk.pose.detector import MediaPipePoseDetector

    def per_frame(fn, n):
        c = time.process_time()
        fn()
        return 1000 * (time.process_time() - c) / max(n, 1)

    cap = cv2.VideoCapture(str(video))
    n = [0]

    def grab():
        while cap.grab():
            n[0] += 1

    c = time.process_time()
    grab()
    out = {"decode (grab)": 1000 * (time.process_time() - c) / max(n[0], 1)}
    cap.release()
    frames: list = []
    cap = cv2.VideoCapture(str(video))

    def read():
        k = 0
        while True:
            ok, f = cap.read()
            if not ok:
                break
            k += 1
            if k % 3 == 0 and len(frames) < n_detect:
                frames.append(f)

    out["decode + YUV->BGR (read)"] = per_frame(read, n[0])
    cap.release()
    rgb: list = []
    out["BGR->RGB"] = per_frame(lambda: rgb.extend(cv2.cvtColor(f, cv2.COLOR_BGR2RGB) for f in frames), len(frames))
    with filtered_native_stderr():
        det = MediaPipePoseDetector()
        for f in rgb[:5]:
            det.detect(f)
        out["MediaPipe (tracking)"] = per_frame(lambda: [det.detect(f) for f in rgb[5:]], len(rgb) - 5)
        det.close()
    return out


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
    ap.add_argument("--rate-hz", type=float, default=None, help="video_rate_hz (0: every frame; default: settings)")
    ap.add_argument("--max-side-px", type=int, default=None, help="video_max_side_px (0: full frames)")
    ap.add_argument("--detect-every", type=int, default=None, help="video_detect_every (fill between detections; "
                                                                     "1: detect every frame)")
    ap.add_argument("--fill-tolerance", type=float, default=None, help="video_fill_tolerance (fraction of the body "
                                                                        "size)")
    ap.add_argument("--no-body-model", action="store_true", help="body_model = false")
    ap.add_argument("--workers", type=int, default=None, help="pose parts detected at once (1: one detector; "
                                                               "default: the usable cores, at most 4)")
    ap.add_argument("--pose2sim", metavar="FOLDER", help="also print multi-view figures on the Pose2Sim demo folder "
                                                         "(../shared/data/pose2sim_demo)")
    ap.add_argument("--clips", nargs="*", help="with --modes: these clips (default: demo, demo4, Pose2Sim cam01, "
                                               "cam03)")
    ap.add_argument("--modes", action="store_true", help="accuracy cost of each speed mode vs every frame "
                                                           "(real clips and synthetic lifts)")
    ap.add_argument("--make-clip", metavar="OUT", help="write a 1080p 30 fps copy of VIDEO to OUT (then exit)")
    ap.add_argument("--seconds", type=float, help="with --make-clip: length of the clip (forward-backward loop)")
    ap.add_argument("--costs", action="store_true", help="CPU ms per frame of each pose step (decode, colour "
                                                           "conversion, MediaPipe) on VIDEO")
    ap.add_argument("--memory", nargs="*", metavar="CLIP", help="peak RSS: pose over these long clips, and the "
                                                                 "rest of the path on 1, 2 and 4 minutes of keypoints")
    args = ap.parse_args(argv)
    if args.costs:
        la = os.getloadavg()
        for k, v in step_costs(Path(args.video)).items():
            print(f"  {k:<26} {v:6.2f} ms CPU per frame")
        print(f"load average {la[0]:.2f} (before), {os.getloadavg()[0]:.2f} (after)")
        return
    if args.memory is not None:
        print(f"load average {os.getloadavg()}")
        memory([Path(c) for c in args.memory])
        return
    if args.make_clip:
        print(make_clip(Path(args.make_clip), Path(args.video), seconds=args.seconds))
        return
    if args.modes:
        print(f"load average {os.getloadavg()}")
        print("Synthetic lifts (60 Hz generator, every n-th frame kept):")
        print_costs(synthetic_modes())
        print("Synthetic lifts, fill between detections (30 Hz frames):")
        print_costs(synthetic_fill_modes())
        print("Real clips (no lifts in them: L5/S1 with no load, REBA, trunk flexion):")
        print_costs(video_modes([Path(c) for c in args.clips] if args.clips else CLIPS))
        return
    video = Path(args.video)
    if not video.exists():
        sys.exit(f"{video} not found; give a video path")
    settings = AssessmentSettings()
    if args.rate_hz is not None:
        settings = replace(settings, video_rate_hz=args.rate_hz)
    if args.max_side_px is not None:
        settings = replace(settings, video_max_side_px=args.max_side_px)
    if args.no_body_model:
        settings = replace(settings, body_model=False)
    if args.detect_every is not None:
        settings = replace(settings, video_detect_every=args.detect_every)
    if args.fill_tolerance is not None:
        settings = replace(settings, video_fill_tolerance=args.fill_tolerance)
    print(f"CPU cores visible: {os.cpu_count()}, affinity: {len(os.sched_getaffinity(0))}; OpenCV threads: "
          f"{cv2.getNumThreads()}; video_rate_hz {settings.video_rate_hz:g}, video_max_side_px "
          f"{settings.video_max_side_px}, video_detect_every {settings.video_detect_every} (tolerance "
          f"{settings.video_fill_tolerance:g}), body_model {settings.body_model}, pose workers "
          f"{args.workers or 'auto'}")
    if args.workers is not None:
        import liftrisk.pose.detector as det

        n_cores = det.segment_count
        det.segment_count = lambda n, workers=None: n_cores(n, args.workers)
    runs = [run(video, settings) for _ in range(args.repeat)]
    print_run(min(runs, key=lambda x: x["total_s"]))
    if args.repeat > 1:
        rt = np.array([x["duration_s"] / x["total_s"] for x in runs])
        print(f"over {args.repeat} runs: {rt.min():.2f}-{rt.max():.2f} x real time")
    if args.pose2sim:
        print("Pose2Sim demo (4 portrait phone videos, 60 fps, 100 frames):")
        pose2sim_figures(Path(args.pose2sim))


if __name__ == "__main__":
    main()
