"""One camera on real clips without a reference: the detector's 3D vs the reprojection IK.

Run: python benchmarks/validate_monocular_ik_clips.py CLIP [CLIP ...]

CLIP: a video (detected with MediaPipe) or a keypoint file (`liftrisk.pose.write_keypoints`).
E.g. the bundled walking clip (src/liftrisk/data/demo_video/sports2d_demo4_walk.mp4) and
Sports2D's demo.mp4. No calibration, subject 80 kg / 1.78 m male. Prints plausibility figures
only (there is no reference): knee and hip flexion range (p5-p95, deg), trunk flexion and
lateral bend spread, the 95th percentile of the frame-to-frame step of the L5/S1 lateral
bending moment (N m), the REBA peak and the peak L5/S1 extension moment.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def main() -> None:
    from liftrisk.core import Subject
    from liftrisk.io import is_video
    from liftrisk.pipeline import AssessmentSettings, assess_keypoints
    from liftrisk.pose import detect_video, read_keypoints

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clips", nargs="+", type=Path)
    args = ap.parse_args()
    subject = Subject("male", 80.0, 1.78)
    for clip in args.clips:
        kp = detect_video(clip) if is_video(clip) else read_keypoints(clip)
        for ik in (False, True):
            a = assess_keypoints([kp], subject, None, settings=AssessmentSettings(uncertainty_draws=0, monocular_ik=ik))
            an = np.degrees(a.angles_rad)
            lat = np.abs(np.diff(a.kinetics["l5s1_lateral_bending_left_moment_nm"].to_numpy()))

            def rng(c, an=an):
                return f"{np.nanpercentile(an[c], 5):.0f}-{np.nanpercentile(an[c], 95):.0f}"

            label = "reprojection IK" if ik else "detector 3D"
            print(f"{clip.name}, {label}: knee flexion L {rng('l_knee_flexion')}, "
                  f"R {rng('r_knee_flexion')} deg; hip flexion L {rng('l_hip_flexion')}, R {rng('r_hip_flexion')} deg; "
                  f"trunk flexion median {np.nanmedian(an['trunk_flexion']):.1f} "
                  f"SD {np.nanstd(an['trunk_flexion']):.1f} deg; "
                  f"lateral bend SD {np.nanstd(an['trunk_lateral_bend']):.1f} deg; L5/S1 lateral moment step "
                  f"p95 {np.nanpercentile(lat, 95):.0f} N m; REBA peak {a.summary.get('peak_reba')}; peak L5/S1 "
                  f"extension {a.summary.get('peak_l5s1_extension_moment_nm', np.nan):.0f} N m", flush=True)


if __name__ == "__main__":
    main()
