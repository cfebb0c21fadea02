"""CLI edges found by the reliability probe: no silent overwrite, no negative loads, no
REBA of zeros, no truncated C3D read as complete, no local path in the report, no native
log lines around the one error line."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from liftrisk.cli.main import main
from liftrisk.core import Motion
from liftrisk.errors import InputFileError
from liftrisk.io import read_motion, write_trc

SUBJ = ["--mass-kg", "80", "--height-m", "1.8", "--sex", "male"]


class _Result:
    def __init__(self, exit_code: int, output: str):
        self.exit_code, self.output = exit_code, output


@pytest.fixture()
def run(capsys):
    """Run the `liftrisk` entry point as a user does (errors become one line and exit code 2)."""

    def _run(*args) -> _Result:
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        text = out.out + out.err
        assert "Traceback" not in text
        return _Result(code, " ".join(text.split()))  # unwrap the terminal's line breaks

    return _run


@pytest.fixture()
def lift_trc(tmp_path):
    src = resources.files("liftrisk").joinpath("data", "demo", "demo_lift.trc")
    f = tmp_path / "lift.trc"
    f.write_bytes(src.read_bytes())
    return f


def test_assess_refuses_existing_output(run, lift_trc, tmp_path):
    """Before: `assess lift.trc -o existing.csv` replaced the file with the HTML report."""
    existing = tmp_path / "existing.csv"
    existing.write_text("keep me\n")
    res = run("assess", lift_trc, *SUBJ, "-o", existing, "-q")
    assert res.exit_code == 2 and "file exists" in res.output and "--overwrite" in res.output
    assert existing.read_text() == "keep me\n"
    res = run("assess", lift_trc, *SUBJ, "-o", lift_trc, "--overwrite", "-q")
    assert res.exit_code == 2 and "is one of the inputs" in res.output
    assert lift_trc.read_bytes().startswith(b"PathFileType")


def test_report_names_the_file_not_its_folder(run, lift_trc, tmp_path):
    """Before: the report embedded the full local path of the input."""
    out = tmp_path / "r.html"
    res = run("assess", lift_trc, *SUBJ, "--box-kg", "10", "-o", out, "-q")
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "lift.trc" in html and str(tmp_path) not in html and str(lift_trc.parent) not in html


@pytest.mark.parametrize("args, message", [
    (["niosh", "{f}", "--load-kg", "-5", "--lifts-per-min", "1", "--hours", "1"],
     "--load-kg: load_kg is -5.0 kg; expected 0.0-200.0 kg"),
    (["niosh", "{f}", "--load-kg", "10", "--lifts-per-min", "-1", "--hours", "1"], "lifts_per_min is -1.0"),
    (["niosh", "{f}", "--load-kg", "10", "--lifts-per-min", "1", "--hours", "0"], "duration_h is 0.0 h"),
    (["loads", "{f}", *SUBJ, "--box-kg", "-3", "-o", "{o}"], "--box-kg: box_mass_kg is -3.0 kg"),
    (["posture", "{f}", "--load-kg", "-2", "-o", "{o}"], "--load-kg: load_kg is -2.0 kg"),
    (["assess", "{f}", *SUBJ, "--box-kg", "-3", "-o", "{o}"], "--box-kg: box_mass_kg is -3.0 kg"),
])
def test_negative_loads_refused(run, lift_trc, tmp_path, args, message):
    """Before: `niosh --load-kg -5` printed "LI -0.46: design goal"; `loads --box-kg -3` ran with no box."""
    out = tmp_path / "out.csv"
    res = run(*[a.format(f=lift_trc, o=out) for a in args])
    assert res.exit_code == 2 and message in res.output, res.output
    assert not out.exists()


def test_reba_without_trunk_points_is_an_error(run, lift_trc, tmp_path):
    """Before: a TRC without hips, knees and L5/S1 gave 601 rows of REBA = 0 ("no risk")."""
    m = read_motion(lift_trc)
    drop = {"l_hip", "r_hip", "l_knee", "r_knee", "l5s1", "mid_hip"}
    keep = [i for i, n in enumerate(m.point_names) if n not in drop]
    f = tmp_path / "no_hips.trc"
    write_trc(Motion(m.time_s, m.positions_m[:, keep], tuple(m.point_names[i] for i in keep), m.rate_hz), f)
    out = tmp_path / "p.csv"
    res = run("posture", f, "-o", out)
    assert res.exit_code == 2 and "REBA/RULA cannot be scored" in res.output and "trunk_flexion_deg" in res.output
    assert not out.exists()


def test_truncated_c3d_is_an_error(run, tmp_path):
    """Before: a C3D cut to 25 % of its frames was read without a word (106 of 450 frames)."""
    ezc3d = pytest.importorskip("ezc3d")
    c = ezc3d.c3d()
    c["parameters"]["POINT"]["RATE"]["value"] = [100.0]
    c["parameters"]["POINT"]["LABELS"]["value"] = ("A", "B")
    pts = np.ones((4, 2, 450))
    pts[2] = 1000.0
    c["data"]["points"] = pts
    full = tmp_path / "full.c3d"
    c.write(str(full))
    assert read_motion(full).n_frames == 450
    cut = tmp_path / "cut.c3d"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 4])
    with pytest.raises(InputFileError, match=r"truncated: it holds \d+ of the 450 frames"):
        read_motion(cut)
    res = run("info", cut)
    assert res.exit_code == 2 and "truncated" in res.output


def test_quiet_error_is_one_line_without_native_noise(run, tmp_path):
    """Before: FFmpeg's "moov atom not found" and OpenCV's WARN line came before the error."""
    demo = resources.files("liftrisk").joinpath("data", "demo_video", "sports2d_demo4_walk.mp4")
    bad = tmp_path / "cut.mp4"
    bad.write_bytes(demo.read_bytes()[:5000])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENCV_", "GLOG_", "TF_CPP"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2] / "src"),
                                                      env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-c", "from liftrisk.cli.main import main; main()", "assess", str(bad),
                           *SUBJ, "-q", "-o", str(tmp_path / "r.html")], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 2
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "cut.mp4: OpenCV cannot open" in lines[0], lines
