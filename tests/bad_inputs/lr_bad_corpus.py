"""The bad-input corpus, generated (no binary files in the repository).

Each entry: (id, file name, bytes, declared MIME type, expected HTTP status at upload,
expected words of the message at upload or, for status 201, of the failed job's error).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from liftrisk.core import Motion, Subject


def small_mp4(n_frames: int = 20) -> bytes:
    """A valid tiny MP4 (MPEG-4 part 2, 64x48, 25 fps) of grey frames, written by OpenCV."""
    import tempfile

    import cv2

    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "v.mp4")
        w = cv2.VideoWriter(p, cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (64, 48))
        for i in range(n_frames):
            w.write(np.full((48, 64, 3), 5 * i, np.uint8))
        w.release()
        return Path(p).read_bytes()


def _motion(scale: float = 1.0, nan: bool = False) -> Motion:
    from liftrisk.synthetic.body import neutral_body

    m = neutral_body(Subject("male", 80, 1.78), n_frames=30)
    pos = np.full(m.positions_m.shape, np.nan) if nan else m.positions_m * scale
    return m.replace(positions_m=pos)


def _csv(m: Motion) -> bytes:
    cols = ["time_s"] + [f"{n}_{a}_m" for n in m.point_names for a in "xyz"]
    rows = np.column_stack([m.time_s, m.positions_m.reshape(m.n_frames, -1)])
    buf = io.StringIO()
    np.savetxt(buf, rows, delimiter=",", header=",".join(cols), comments="", fmt="%.9g")
    return buf.getvalue().encode()


def _trc_mm_declared_m() -> bytes:
    """A TRC whose header says metres but whose numbers are millimetres."""
    import tempfile

    from liftrisk.io import write_trc

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.trc"
        write_trc(_motion(scale=1000.0), p, units="m")
        return p.read_bytes()


def corpus() -> list[tuple]:
    """The corpus (see the module docstring)."""
    mp4 = small_mp4()
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(300)
    return [
        ("empty-video", "lift.mp4", b"", "video/mp4", 400, "the file is empty (0 bytes)"),
        ("corrupt-video", "lift.mp4", os.urandom(4000), "video/mp4", 415, "content is not a .mp4 video"),
        ("truncated-video", "lift.mp4", mp4[: len(mp4) // 3], "video/mp4", 400, "cannot open this file as a video"),
        ("video-renamed-avi", "lift.avi", mp4, "video/x-msvideo", 415, "content is not a .avi video"),
        ("zero-length-c3d", "trial.c3d", b"", "application/octet-stream", 400, "the file is empty (0 bytes)"),
        ("short-c3d", "trial.c3d", b"\x02\x50" + b"\x00" * 100, "", 400, "at least a 512-byte header"),
        ("garbage-c3d", "trial.c3d", b"\x02\x50" + os.urandom(3000), "", 201, "not a readable C3D file"),
        ("nan-only-keypoints", "kp.csv", _csv(_motion(nan=True)), "text/csv", 201, "every point is missing (NaN)"),
        ("mm-as-m-csv", "kp.csv", _csv(_motion(scale=1000.0)), "text/csv", 201, "look like millimetres"),
        ("mm-as-m-trc", "markers.trc", _trc_mm_declared_m(), "", 201, "look like millimetres"),
        ("binary-as-csv", "kp.csv", b"\x00\x01\x02" * 100, "text/csv", 415, "content is not a .csv text file"),
        ("imu-csv", "imu.csv", b"time_s,pelvis_acc_x_mps2,pelvis_gyr_x_radps\n0,9.8,0\n0.01,9.8,0\n", "text/csv", 201,
         "is IMU data, not point trajectories"),
        ("broken-json", "kp.json", b'{"frames": [', "application/json", 201, "not valid JSON"),
        ("png-as-mp4", "lift.mp4", png, "video/mp4", 415, "starts like a PNG image"),
        ("declared-image", "lift.csv", b"time_s,x\n0,1\n", "image/png", 415, "declared type 'image/png'"),
        ("exe", "setup.exe", b"MZ" + os.urandom(100), "application/x-msdownload", 415, "unsupported file type"),
        ("no-extension", "recording", b"time_s,x\n0,1\n", "text/csv", 415, "unsupported file type '(no extension)'"),
    ]
