"""Domain exceptions of liftrisk.

Every error a user can trigger with bad input is one of these. Messages say what was
received, what was expected and how to fix it; the CLI and the web app print the message
only (never a traceback).
"""

from __future__ import annotations


class LiftriskError(ValueError):
    """Base class of every error liftrisk raises on purpose."""


class InputFileError(LiftriskError):
    """A file cannot be read, or its content is not what liftrisk expects.

    Parameters
    ----------
    path : str or os.PathLike
        The file the user gave.
    problem : str
        What is wrong (what was received and what was expected).
    fix : str, optional
        How the user can fix it.
    field : str, optional
        The field, column or channel of the file that is wrong.

    Examples
    --------
    >>> str(InputFileError("walk.trc", "no frames", fix="export the trial again"))
    'walk.trc: no frames. Fix: export the trial again'
    """

    def __init__(self, path, problem: str, fix: str = "", field: str = ""):
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        self.field = field
        where = f"{self.path}" + (f" [{field}]" if field else "")
        msg = f"{where}: {problem}"
        if fix:
            msg += f". Fix: {fix}"
        super().__init__(msg)


class UnknownFormatError(InputFileError):
    """The file extension or content matches no reader."""


class UnitsError(LiftriskError):
    """Values look like they are in the wrong unit (e.g. millimetres given as metres)."""


class SubjectError(LiftriskError):
    """Subject data (mass, height, sex, age) are missing or implausible."""


class MissingPointError(LiftriskError, KeyError):
    """A named point is not in a Motion."""

    def __str__(self) -> str:  # KeyError would add quotes
        return str(self.args[0]) if self.args else ""


class DataQualityError(LiftriskError):
    """Data are present but unusable (all NaN, too short, mismatched rates, ...)."""


class ModelError(LiftriskError):
    """A model file or estimator is missing, incompatible or not fitted."""


class SettingsError(LiftriskError):
    """An assessment setting (from a settings file, the command line or a form) is invalid.

    Parameters
    ----------
    field : str
        The setting's name (its TOML key, e.g. ``lifts_per_min``).
    problem : str
        What was received and what was expected.
    source : str, optional
        Where the value came from (a settings file, ``--option``, a manifest line).

    Examples
    --------
    >>> str(SettingsError("lifts_per_min", "is -1; expected >= 0 lifts/min", "liftrisk.toml"))
    'liftrisk.toml: setting lifts_per_min is -1; expected >= 0 lifts/min'
    """

    def __init__(self, field: str, problem: str, source: str = ""):
        self.field = field
        self.problem = problem
        self.source = source
        super().__init__(f"{source + ': ' if source else ''}setting {field} {problem}")
