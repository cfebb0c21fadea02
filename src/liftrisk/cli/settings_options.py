"""Command-line options for the assessment settings, shared by ``assess``, ``batch`` and
``serve``: ``--settings FILE`` (a project settings file, `liftrisk.io.settings`) and one
option per setting (``--lifts-per-min``, ``--hours``, ``--coupling``, ``--cutoff-hz``, ...).

An option left out takes its value from the settings file (or the recording's entry in it),
else the default of `liftrisk.core.settings.AssessmentSettings`; an option given wins.
"""

from __future__ import annotations

import functools
import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path

import typer

from liftrisk.cli._common import clean_errors
from liftrisk.core.settings import FIELD_HELP, AssessmentSettings
from liftrisk.io.settings import parse_lift_times, settings_for

_DEFAULTS = AssessmentSettings()

#: setting -> (option names, type); help texts come from FIELD_HELP
OPTIONS = {
    "cutoff_hz": (("--cutoff-hz",), float),
    "max_gap_s": (("--max-gap-s",), float),
    "min_confidence": (("--min-confidence",), float),
    "coupling": (("--coupling",), str),
    "lifts_per_min": (("--lifts-per-min",), float),
    "duration_h": (("--duration-h", "--hours"), float),
    "reba_activity": (("--reba-activity",), int),
    "floor_z_m": (("--floor-z-m",), float),
    "lower_body": (("--lower-body/--no-lower-body",), bool),
    "lift_times_s": (("--lift-times-s",), str),
    "hand_load_from_feet": (("--hand-load-from-feet/--no-hand-load-from-feet",), bool),
    "quiet_standing_s": (("--quiet-standing-s",), str),
    "monocular_vertical": (("--monocular-vertical",), str),
    "monocular_depth_cutoff_hz": (("--monocular-depth-cutoff-hz",), float),
    "monocular_com_cutoff_hz": (("--monocular-com-cutoff-hz",), float),
    "video_rate_hz": (("--video-rate-hz",), float),
    "video_max_side_px": (("--video-max-side-px",), int),
    "video_detect_every": (("--video-detect-every",), int),
    "video_fill_tolerance": (("--video-fill-tolerance",), float),
}
_EXAMPLE = {"lift_times_s": " Format: 1.2-2.9;6.0-7.4 (grasp-release, s).", "quiet_standing_s": " Format: 0-1.5."}


@dataclass(frozen=True)
class SettingsRequest:
    """What the command line asked for: a project settings file and explicit values."""

    project_file: Path | None = None
    overrides: dict = field(default_factory=dict)

    def for_recording(self, recording: str | os.PathLike | None = None) -> AssessmentSettings:
        """The settings of one recording (`liftrisk.io.settings.settings_for`)."""
        return settings_for(recording, self.project_file, self.overrides)


def _settings_file_param() -> inspect.Parameter:
    return inspect.Parameter(
        "settings_file", inspect.Parameter.KEYWORD_ONLY, annotation=Path,
        default=typer.Option(None, "--settings", help="Project settings file (TOML: an 'assessment' table, optional "
                                                      "'recordings' tables per file name; docs/settings.md)."))


def _field_params() -> list[inspect.Parameter]:
    out = []
    for name, (flags, typ) in OPTIONS.items():
        default = getattr(_DEFAULTS, name)
        shown = "detect" if name == "lift_times_s" else "body mass" if name == "quiet_standing_s" else default
        out.append(inspect.Parameter(
            f"setting_{name}", inspect.Parameter.KEYWORD_ONLY, annotation=typ,
            default=typer.Option(None, *flags, show_default=False,
                                 help=f"{FIELD_HELP[name]}{_EXAMPLE.get(name, '')} (default {shown})")))
    return out


def _wrap(fn, params: list[inspect.Parameter]):
    sig = inspect.signature(fn)
    keep = [p for p in sig.parameters.values() if p.name != "settings_request"]

    @functools.wraps(fn)
    @clean_errors
    def wrapper(*args, **kwargs):
        project = kwargs.pop("settings_file", None)
        over = {}
        for name in OPTIONS:
            value = kwargs.pop(f"setting_{name}", None)
            if value is not None:
                over[name] = parse_lift_times(value, "--lift-times-s") if name == "lift_times_s" else value
        request = SettingsRequest(Path(project) if project else None, over)
        request.for_recording(None)  # check the file and the options before any work
        return fn(*args, settings_request=request, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=keep + params)
    return wrapper


def settings_options(fn):
    """Add ``--settings FILE`` and one option per setting to a Typer command; the command
    receives ``settings_request: SettingsRequest``."""
    return _wrap(fn, [_settings_file_param()] + _field_params())


def settings_file_option(fn):
    """Add only ``--settings FILE`` to a Typer command (``settings_request`` as above)."""
    return _wrap(fn, [_settings_file_param()])
