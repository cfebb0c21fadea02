"""Read a job description file (TOML; layout in `liftrisk.job.spec`)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from liftrisk.errors import InputFileError


def read_job_file(path: str | os.PathLike) -> dict:
    """Parsed JOB.toml as a dict (validated later by `liftrisk.job.job_spec`).

    Parameters
    ----------
    path : str or Path
        JOB.toml.

    Returns
    -------
    dict
        The parsed tables.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "job.toml"
    >>> _ = p.write_text('[job]\\nname = "j"\\n')
    >>> read_job_file(p)["job"]["name"]
    'j'
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(p, "no such file", fix="give the path of a JOB.toml file")
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(p, f"not valid TOML ({exc})", fix="check the file's syntax (see docs/job.md)") from None
