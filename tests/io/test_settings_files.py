"""Settings files: the priority order defaults < project [assessment] < [recordings."name"] <
sidecar < explicit values, a round trip through the writer, and errors that name the file
and the key."""

from __future__ import annotations

import pytest

from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import InputFileError, SettingsError
from liftrisk.io.settings import parse_lift_times, read_settings_file, settings_for, write_settings_file


def _project(tmp_path, text):
    p = tmp_path / "liftrisk.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_priority_order(tmp_path):
    p = _project(tmp_path, '[assessment]\nlifts_per_min = 4\nduration_h = 2\ncoupling = "good"\ncutoff_hz = 5\n'
                           '[recordings."a.trc"]\nlifts_per_min = 3\nduration_h = 1.5\n')
    (tmp_path / "a.liftrisk.toml").write_text("[assessment]\nduration_h = 1.25\n", encoding="utf-8")
    s = settings_for(tmp_path / "a.trc", p, {"cutoff_hz": 8.0, "coupling": None})
    # default reba_activity; file cutoff overridden; coupling from the file (None is "not given")
    assert (s.reba_activity, s.cutoff_hz, s.coupling, s.lifts_per_min, s.duration_h) == (0, 8.0, "good", 3.0, 1.25)
    other = settings_for(tmp_path / "b.trc", p)  # no entry, no sidecar: the project's values
    assert (other.lifts_per_min, other.duration_h) == (4.0, 2.0)
    assert settings_for() == AssessmentSettings()


def test_write_then_read_round_trip(tmp_path):
    s = AssessmentSettings(lifts_per_min=2.5, coupling="poor", lower_body=False, lift_times_s=((1.0, 2.5),))
    p = write_settings_file(s, tmp_path / "s.toml")
    assert settings_for(project_file=p) == s
    assert "# NIOSH lifting frequency" in p.read_text()
    with pytest.raises(InputFileError, match="exists already"):
        write_settings_file(s, p)


@pytest.mark.parametrize("text, match", [
    ("[assessment]\nlifts_per_min = -2\n", r"liftrisk.toml \[assessment\]: setting lifts_per_min is -2"),
    ('[recordings."x.mp4"]\nhours = 2\n', r"recordings.\"x.mp4\".*hours is not a known setting"),
    ("[assesment]\ncutoff_hz = 6\n", "unknown top-level entries"),
    ("[assessment\ncutoff_hz = 6\n", "not a readable TOML"),
    ('[assessment]\ncoupling = "great"\n', "coupling is 'great'"),
])
def test_errors_name_file_and_key(tmp_path, text, match):
    with pytest.raises((SettingsError, InputFileError), match=match):
        read_settings_file(_project(tmp_path, text))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputFileError, match="settings file not found"):
        settings_for(project_file=tmp_path / "nope.toml")


def test_lift_times_text():
    assert parse_lift_times("1.2-2.9; 6-7.4") == ((1.2, 2.9), (6.0, 7.4))
    with pytest.raises(SettingsError, match="grasp_s-release_s"):
        parse_lift_times("1.2 to 2.9")
    with pytest.raises(SettingsError, match="grasp_s < release_s"):
        parse_lift_times("3-2")
