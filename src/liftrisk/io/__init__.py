"""liftrisk.io: readers and writers (the only package besides report/store/cli/web that touches files).

Every reader returns SI units in liftrisk's world frame (Z up, X forward, Y left) and records
the file's own unit and frame in ``meta``. Writers never replace an existing file unless
``overwrite=True``.
"""

from liftrisk.core.frames import Y_UP_TO_Z_UP
from liftrisk.core.keypoints import Keypoints2D  # re-exported: the readers return it
from liftrisk.io._common import check_writable, regular_time
from liftrisk.io.c3d import C3DRecording, plate_wrench_to_lab, read_c3d
from liftrisk.io.csv_formats import (
    ImuRecording,
    read_imu_csv,
    read_keypoints_csv,
    write_imu_csv,
    write_keypoints_csv,
)
from liftrisk.io.dispatch import MOTION_SUFFIXES, VIDEO_SUFFIXES, detect_format, is_video, read_motion
from liftrisk.io.force_plates_csv import (
    PlateCsvSpec,
    check_plate_timing,
    plate_spec,
    read_force_plates_csv,
    read_plate_spec,
)
from liftrisk.io.insoles import InsoleSpec, insole_spec, read_insole_spec, read_insoles
from liftrisk.io.keypoints_json import (
    read_coco_json,
    read_keypoints_json,
    read_mediapipe_json,
    read_mediapipe_world_json,
    read_openpose_json,
)
from liftrisk.io.lab import LAB_FILES, LAB_MEASUREMENTS, LabInputs, read_lab_inputs, recording_insoles, recording_plates
from liftrisk.io.opensim import (
    MarkerMap,
    read_marker_map,
    read_mot,
    read_opensim_grf,
    read_osim_names,
    read_sto,
    write_external_loads,
    write_mot,
    write_osim,
    write_sto,
)
from liftrisk.io.results import write_result_csv, write_table_csv
from liftrisk.io.settings import parse_lift_times, read_settings_file, settings_for, write_settings_file
from liftrisk.io.trc import read_trc, write_trc

__all__ = [
    "C3DRecording", "ImuRecording", "InsoleSpec", "insole_spec", "read_insole_spec", "read_insoles",
    "Keypoints2D", "PlateCsvSpec", "Y_UP_TO_Z_UP", "check_plate_timing",
    "plate_spec", "read_force_plates_csv", "read_plate_spec",
    "MOTION_SUFFIXES", "VIDEO_SUFFIXES", "detect_format", "is_video", "plate_wrench_to_lab",
    "read_c3d", "read_coco_json", "read_imu_csv", "read_keypoints_csv", "read_keypoints_json",
    "read_mediapipe_json", "read_mediapipe_world_json", "read_mot", "read_motion", "read_openpose_json",
    "read_opensim_grf", "read_settings_file", "read_sto", "read_trc", "parse_lift_times", "settings_for",
    "write_imu_csv", "write_keypoints_csv", "write_mot", "write_result_csv", "write_settings_file", "write_table_csv",
    "regular_time", "check_writable", "write_sto", "write_trc", "write_osim", "write_external_loads",
    "MarkerMap", "read_marker_map", "read_osim_names",
    "LAB_FILES", "LAB_MEASUREMENTS", "LabInputs", "read_lab_inputs", "recording_insoles", "recording_plates",
]
