"""`liftrisk assess` and `liftrisk demo`: exit codes, files written, one-line errors."""

from __future__ import annotations

import numpy as np
import pytest

from liftrisk.cli.main import main


def _trc(tmp_path):
    from liftrisk.core import Subject
    from liftrisk.io import write_trc
    from liftrisk.synthetic.lift import synthetic_lift

    m = synthetic_lift(Subject("male", 80.0, 1.78), 10.0, duration_s=2.4, rate_hz=30.0)
    p = tmp_path / "lift.trc"
    write_trc(m.select([n for n in m.point_names if n != "box"]), p)
    return p


def test_assess_motion_file_writes_report_and_exports(tmp_path, capsys):
    trc = _trc(tmp_path)
    out = tmp_path / "r.html"
    with pytest.raises(SystemExit) as e:
        main(["assess", str(trc), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male", "--box-kg", "10",
              "-o", str(out), "--csv", str(tmp_path / "csv"), "--trc", str(tmp_path / "j.trc"),
              "--mot", str(tmp_path / "a.mot"), "-q"])
    assert e.value.code in (0, None)
    assert out.stat().st_size > 50_000 and "L5/S1" in out.read_text()
    assert (tmp_path / "csv" / "r_timeseries.csv").exists()
    assert (tmp_path / "j.trc").exists() and (tmp_path / "a.mot").exists()
    ts = np.genfromtxt(tmp_path / "csv" / "r_timeseries.csv", delimiter=",", names=True)
    assert "compression_n" in ts.dtype.names


@pytest.mark.parametrize("args, message", [
    (["assess", "nope.mp4", "--mass-kg", "80", "--height-m", "1.78", "--sex", "male"], "video file not found"),
    (["assess", "x.trc", "--mass-kg", "80", "--height-m", "178", "--sex", "male"], "centimetres"),
    (["assess", "a.mp4", "b.mp4", "--mass-kg", "80", "--height-m", "1.78", "--sex", "male"], "no calibration"),
])
def test_bad_input_is_one_line_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as e:
        main(args + ["-q"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_demo_runs_offline(tmp_path):
    out = tmp_path / "demo.html"
    with pytest.raises(SystemExit) as e:
        main(["demo", "-o", str(out), "--no-video", "-q"])
    assert e.value.code in (0, None)
    html = out.read_text()
    assert "NIOSH" in html and html.count("data:image/png;base64") == 4
    assert "<tr><td>1</td>" in html  # at least one lift rated


def test_assess_precomputed_keypoints(tmp_path):
    """Two views of rendered keypoints written as liftrisk JSON + a Pose2Sim TOML calibration."""
    from liftrisk.core import Subject
    from liftrisk.pose import write_keypoints, write_pose2sim_toml
    from liftrisk.synthetic.lift import synthetic_lift
    from tests.pipeline._render import as_mediapipe, look_at, render

    m = synthetic_lift(Subject("male", 80.0, 1.78), 10.0, duration_s=2.4, rate_hz=30.0)
    truth = as_mediapipe(m.select([n for n in m.point_names if n != "box"]))
    cams = [look_at("cam1", (0.3, -3.0, 1.2), (0.3, 0, 0.9)), look_at("cam2", (3.0, 0.5, 1.4), (0.3, 0, 0.9))]
    files = [write_keypoints(render(truth, c), tmp_path / f"{c.name}.json") for c in cams]
    calib = write_pose2sim_toml(cams, tmp_path / "calib.toml")
    out = tmp_path / "k.html"
    with pytest.raises(SystemExit) as e:
        main(["assess", *map(str, files), "--keypoints", "--calib", str(calib), "--mass-kg", "80",
              "--height-m", "1.78", "--sex", "male", "--box-kg", "10", "-o", str(out), "-q"])
    assert e.value.code in (0, None)
    assert "2-view triangulation" in out.read_text()


@pytest.mark.slow
def test_demo_with_bundled_video(tmp_path):
    """The whole video path on the bundled clip (MediaPipe on 401 frames, ~10-20 s)."""
    out = tmp_path / "demo.html"
    with pytest.raises(SystemExit) as e:
        main(["demo", "-o", str(out), "-q"])
    assert e.value.code in (0, None)
    html = (tmp_path / "demo_video.html").read_text()
    assert "Detected keypoints drawn on the video" in html and "monocular" in html


def test_warnings_are_printed(tmp_path, capsys):
    """An off-balance recording (the body 40 cm beside its feet): the terminal shows the note."""
    from liftrisk.io import write_trc
    from liftrisk.kinetics.inverse_dynamics import demo_posture

    m = demo_posture(40)
    pos = m.positions_m.copy()
    body = [k for k, n in enumerate(m.point_names) if not n.endswith(("heel", "toe", "ankle"))]
    pos[:, body, 1] += 0.40
    p = tmp_path / "leaning.trc"
    write_trc(m.replace(positions_m=pos), p)
    with pytest.raises(SystemExit) as e:
        main(["assess", str(p), "--mass-kg", "80", "--height-m", "1.78", "--sex", "male",
              "-o", str(tmp_path / "r.html")])
    assert e.value.code in (0, None)
    out = capsys.readouterr().out
    assert "note: off balance" in out


def test_assess_one_video_detection_started_first(tmp_path, capsys):
    """`assess VIDEO` (one video, no calibration) detects in a thread while the analysis is
    imported, with the fill options passed through: 60 frames of the bundled walk, every 3rd
    detected where calm; the report is written and nothing is printed on stderr (the
    matplotlib warm-up once raced MediaPipe's import of pyplot)."""
    from importlib import resources

    out = tmp_path / "walk.html"
    with resources.as_file(resources.files("liftrisk").joinpath("data", "demo_video",
                                                                 "sports2d_demo4_walk.mp4")) as vp:
        with pytest.raises(SystemExit) as e:
            main(["assess", str(vp), "--mass-kg", "70", "--height-m", "1.75", "--sex", "female", "--max-frames",
                  "60", "--video-detect-every", "3", "--video-fill-tolerance", "0.05", "-o", str(out), "-q"])
    assert e.value.code in (0, None)
    assert "monocular" in out.read_text()
    assert capsys.readouterr().err == ""
