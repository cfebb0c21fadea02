"""The assessment settings of an upload: the server's settings file, the recording's entry in
it, then the NIOSH task fields of the upload form (`liftrisk.io.settings.settings_for`)."""

from __future__ import annotations

from liftrisk.core.settings import AssessmentSettings
from liftrisk.errors import SettingsError
from liftrisk.io.settings import settings_for

#: form field -> setting (text fields; empty = from the settings file / the defaults)
FORM_SETTINGS = ("lifts_per_min", "duration_h", "coupling", "cutoff_hz")


def upload_settings(input_name: str, settings_file=None, **form: str) -> AssessmentSettings:
    """Settings of one upload from the server's settings file and the form's text fields.

    Parameters
    ----------
    input_name : str
        The uploaded file's name (selects ``[recordings."<name>"]`` of the settings file).
    settings_file : path, optional
        The server's project settings file (``liftrisk serve --settings``).
    **form : str
        The form's ``lifts_per_min``, ``duration_h``, ``coupling``, ``cutoff_hz``; empty
        strings are left to the file / defaults.

    Examples
    --------
    >>> s = upload_settings("lift.mp4", lifts_per_min="4", duration_h="", coupling="poor", cutoff_hz="")
    >>> s.lifts_per_min, s.duration_h, s.coupling
    (4.0, 1.0, 'poor')
    """
    unknown = sorted(set(form) - set(FORM_SETTINGS))
    if unknown:
        raise SettingsError(", ".join(unknown), "is not a form setting", "upload form")
    given = {k: str(v).strip() for k, v in form.items() if str(v or "").strip()}
    return settings_for(input_name, settings_file, given, sidecar=False)
