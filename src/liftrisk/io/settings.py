"""Assessment settings files (TOML), in the manner of Pose2Sim's ``Config.toml``.

A project file holds the settings of every recording of a study; a recording may override
some of them, either in the project file or in a file beside the recording::

    # liftrisk.toml (units in the key names)
    [assessment]
    cutoff_hz = 6.0
    lifts_per_min = 4.0
    duration_h = 2.0
    coupling = "poor"

    [recordings."w017_before.mp4"]     # this recording only (its file name)
    lifts_per_min = 2.0
    lift_times_s = [[1.2, 2.9], [6.0, 7.4]]

    # w017_before.liftrisk.toml, beside the recording: [assessment] overrides the project file

Keys are the fields of `liftrisk.core.settings.AssessmentSettings`. Priority, lowest first:
the defaults, the project file's ``[assessment]``, its ``[recordings."<file name>"]``, the
recording's own ``<stem>.liftrisk.toml``, then explicit values (command-line options, a batch
manifest's columns, the web form). Every value is checked when the settings are made; an
error names the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomli_w

from liftrisk.core.settings import FIELD_HELP, AssessmentSettings
from liftrisk.errors import InputFileError, SettingsError

SIDECAR_SUFFIX = ".liftrisk.toml"
TOP_LEVEL = ("assessment", "recordings")


def read_settings_file(path: str | os.PathLike) -> dict:
    """The tables of a settings file: ``{"assessment": {...}, "recordings": {name: {...}}}``.

    Parameters
    ----------
    path : path
        A TOML file with an ``[assessment]`` table and optional ``[recordings."<name>"]``
        tables (module docstring).

    Returns
    -------
    dict
        Both tables (empty when absent); values as written (checked by `settings_for`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "liftrisk.toml"
    >>> _ = p.write_text('[assessment]\\nlifts_per_min = 4\\n[recordings."a.mp4"]\\ncoupling = "poor"\\n')
    >>> read_settings_file(p)["recordings"]["a.mp4"]
    {'coupling': 'poor'}
    """
    p = Path(path)
    try:
        with open(p, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise InputFileError(p, "settings file not found", fix="give the path of a TOML settings file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(p, f"not a readable TOML settings file ({exc})",
                             fix="check the syntax (key = value lines under [assessment])") from None
    unknown = sorted(set(data) - set(TOP_LEVEL))
    if unknown:
        raise InputFileError(p, f"unknown top-level entries {unknown}", field=", ".join(unknown),
                             fix='put settings under [assessment] or [recordings."<file name>"]')
    base = data.get("assessment", {})
    recs = data.get("recordings", {})
    if not isinstance(base, dict) or not isinstance(recs, dict) or not all(isinstance(v, dict) for v in recs.values()):
        raise InputFileError(p, "[assessment] and each [recordings.\"<name>\"] must be tables of key = value",
                             field="assessment/recordings")
    for where, table in [("assessment", base)] + [(f'recordings."{k}"', v) for k, v in recs.items()]:
        AssessmentSettings.from_dict(table, source=f"{p} [{where}]")  # every table valid on its own
    return {"assessment": dict(base), "recordings": {str(k): dict(v) for k, v in recs.items()}}


def settings_for(recording: str | os.PathLike | None = None, project_file: str | os.PathLike | None = None,
                 overrides: dict | None = None, *, sidecar: bool = True) -> AssessmentSettings:
    """The settings of one recording: defaults < project file < its recording entry < the
    recording's sidecar file < `overrides`.

    Parameters
    ----------
    recording : path, optional
        The recording (its file name selects ``[recordings."<name>"]``; its folder holds the
        sidecar ``<stem>.liftrisk.toml``).
    project_file : path, optional
        Project settings file.
    overrides : dict, optional
        Explicit values (None values are ignored), e.g. command-line options.
    sidecar : bool
        Read ``<stem>.liftrisk.toml`` beside the recording when it exists.

    Returns
    -------
    AssessmentSettings

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.toml").write_text('[assessment]\\nlifts_per_min = 4\\ncoupling = "good"\\n'
    ...                              '[recordings."a.trc"]\\nlifts_per_min = 2\\n')
    >>> s = settings_for(d / "a.trc", d / "p.toml", {"coupling": "poor", "duration_h": None})
    >>> s.lifts_per_min, s.coupling, s.duration_h
    (2.0, 'poor', 1.0)
    """
    values: dict = {}
    if project_file is not None:
        tables = read_settings_file(project_file)
        values.update(tables["assessment"])
        if recording is not None:
            values.update(tables["recordings"].get(Path(recording).name, {}))
    if recording is not None and sidecar:
        side = Path(recording).with_name(Path(recording).stem + SIDECAR_SUFFIX)
        if side.is_file():
            values.update(read_settings_file(side)["assessment"])
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    source = str(project_file) if project_file is not None else ""
    return AssessmentSettings.from_dict(values, source=source)


def write_settings_file(settings: AssessmentSettings, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write `settings` as a project file (every key under ``[assessment]``, with its help
    text as a comment above it); never replaces a file unless `overwrite`.

    Parameters
    ----------
    settings : AssessmentSettings
    path : path
        The TOML file to write.
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_settings_file(AssessmentSettings(lifts_per_min=3), pathlib.Path(tempfile.mkdtemp()) / "s.toml")
    >>> settings_for(project_file=p).lifts_per_min
    3.0
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise InputFileError(p, "exists already", fix="choose another name or remove the file")
    lines = ["# liftrisk assessment settings (units in the key names); see docs/settings.md", "[assessment]"]
    for key, value in settings.to_dict().items():
        lines.append(f"# {FIELD_HELP.get(key, key)}")
        lines.append(tomli_w.dumps({key: value}).strip())
    lines += ["", '# [recordings."<file name>"]  overrides for one recording, e.g. lifts_per_min = 2.0', ""]
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def parse_lift_times(text: str, where: str = "lift_times_s") -> tuple:
    """``"1.2-2.9; 6.0-7.4"`` -> ((1.2, 2.9), (6.0, 7.4)) (grasp and release times, s).

    Parameters
    ----------
    text : str
        ``grasp_s-release_s`` pairs separated by ``;`` (or ``,``), s; empty = none.
    where : str
        Where the text came from, for error messages (an option, a manifest line).

    Returns
    -------
    tuple of (grasp_s, release_s)
        Checked times, s (0 <= grasp < release).

    Examples
    --------
    >>> parse_lift_times("1.2-2.9; 6-7.4"), parse_lift_times("")
    (((1.2, 2.9), (6.0, 7.4)), ())
    """
    out = []
    for part in filter(None, (x.strip() for x in str(text or "").replace(",", ";").split(";"))):
        g, sep, r = part.partition("-")
        try:
            out.append((float(g), float(r)))
        except ValueError:
            raise SettingsError("lift_times_s", f"entry {part!r} is not grasp_s-release_s (e.g. 1.2-2.9)",
                                where) from None
    return AssessmentSettings(lift_times_s=tuple(out)).lift_times_s
