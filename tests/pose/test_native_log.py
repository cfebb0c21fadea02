"""MediaPipe's native log lines stay off the terminal; everything else on stderr still shows."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from liftrisk.pose._native_log import is_native_log_line

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "src")


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC), **env}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=full_env, timeout=120)


@pytest.mark.parametrize("line,native", [
    (b"W0000 00:00:1796487959.636161   13740 inference_feedback_manager.cc:114] Feedback manager", True),
    (b"I20261205 16:20:01.123456  1234 gl_context.cc:357] GL version", True),
    (b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n", True),
    (b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n", True),
    (b"error: walk.trc: no point named 'r_hip'\n", False),
    (b"Warning: 12 frames without a person\n", False),
])
def test_native_line_classification(line, native):
    assert is_native_log_line(line) is native


def test_filter_drops_native_lines_and_keeps_python_output():
    code = """
        import os, sys, threading, warnings
        from liftrisk.pose._native_log import filtered_native_stderr
        with filtered_native_stderr():
            os.write(2, b"INFO: ")                      # TFLite writes its line in two parts
            os.write(2, b"Created TensorFlow Lite XNNPACK delegate for CPU.\\n")
            line = b"W0000 00:00:1796487959.636161   7 x.cc:1] native noise\\n"
            t = threading.Thread(target=os.write, args=(2, line))
            t.start(); t.join()
            warnings.warn("a python warning")
            print("progress 50%", end="\\r", file=sys.stderr, flush=True)
        print("after", file=sys.stderr)
    """
    res = _run(code)
    assert res.returncode == 0, res.stderr
    assert "TensorFlow Lite" not in res.stderr and "native noise" not in res.stderr
    assert "a python warning" in res.stderr and "progress 50%" in res.stderr and "after" in res.stderr


def test_verbose_shows_native_lines():
    res = _run("""
        import os
        from liftrisk.pose._native_log import filtered_native_stderr
        with filtered_native_stderr():
            os.write(2, b"W0000 00:00:1796487959.636161   7 x.cc:1] native noise\\n")
    """, LIFTRISK_VERBOSE="1")
    assert "native noise" in res.stderr


def test_real_detection_prints_no_mediapipe_lines(tmp_path):
    """A MediaPipe run over a short video writes none of its C++ log lines (seen before: XNNPACK
    delegate, 'Feedback manager requires a model with a single signature inference')."""
    video = tmp_path / "room.avi"
    res = _run(f"""
        import cv2, numpy as np
        w = cv2.VideoWriter({str(video)!r}, cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (64, 48))
        for _ in range(3):
            w.write(np.full((48, 64, 3), 90, np.uint8))
        w.release()
        from liftrisk.pose.detector import detect_video
        kp = detect_video({str(video)!r})
        print("frames", kp.n_frames)
    """)
    assert res.returncode == 0, res.stderr
    assert "frames 3" in res.stdout
    assert "Feedback manager" not in res.stderr and "TensorFlow Lite" not in res.stderr, res.stderr
