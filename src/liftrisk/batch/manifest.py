"""What a batch runs: recordings from a folder or a manifest CSV, each with its subject data.

Manifest CSV (UTF-8, one row per recording; paths relative to the manifest's folder)::

    path,sex,mass_kg,height_m,age_years,handedness,box_mass_kg,lifts_per_min,duration_h,coupling,job,task,worker,label
    lifts/w017_before.mp4,male,82,1.79,41,right,12,4,2,poor,warehouse,pallet,W017,before

Only ``path`` is required; missing subject columns take the defaults given on the command
line. Any field of `liftrisk.core.settings.AssessmentSettings` may be a column (the NIOSH
task: ``lifts_per_min``, ``duration_h``, ``coupling``; also ``cutoff_hz``, ...;
``lift_times_s`` as ``1.2-2.9;6.0-7.4``); an empty cell takes the recording's settings from
the settings file (`liftrisk.io.settings.settings_for`) and the command line. Every item
gets a key from the SHA-256 of the file and its parameters (settings included), so a batch
run again skips what it has already finished even if files were renamed or reordered.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from liftrisk.batch.runner import RECORDING_SUFFIXES
from liftrisk.core.limits import check
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.errors import InputFileError, LiftriskError, SettingsError
from liftrisk.io.settings import parse_lift_times, settings_for
from liftrisk.store.blobs import sha256_file

SUBJECT_FIELDS = ("sex", "mass_kg", "height_m", "age_years", "handedness")
SETTINGS_FIELDS = tuple(AssessmentSettings().to_dict())
COLUMNS = ("path",) + SUBJECT_FIELDS + ("box_mass_kg",) + SETTINGS_FIELDS + ("job", "task", "worker", "label")


@dataclass(frozen=True)
class BatchItem:
    """One recording of a batch and the parameters it is assessed with.

    Attributes
    ----------
    path : pathlib.Path
        The recording.
    subject : Subject
        The worker (kg, m, years).
    box_mass_kg : float or None
        Mass in the hands (kg).
    job, task, worker : str
        Codes that group the assessment in the database (optional).
    label : str
        Free label.
    sha256 : str
        Hash of the file, once known.
    settings : AssessmentSettings
        Settings of this item (units in the names).
    """

    path: Path
    subject: Subject
    box_mass_kg: float | None = None
    job: str = ""
    task: str = ""
    worker: str = ""
    label: str = ""
    sha256: str = field(default="", compare=False)
    settings: AssessmentSettings = field(default_factory=AssessmentSettings)

    @property
    def key(self) -> str:
        """Identity of the item: file content, every parameter that changes the result, and
        the job/task/worker codes and label when given."""
        params = {"sha256": self.sha256, "subject": asdict(self.subject), "box_mass_kg": self.box_mass_kg}
        # the codes do not change the result, but two workers doing the same lift are two records
        params |= {k: v for k, v in (("job", self.job), ("task", self.task), ("worker", self.worker),
                                     ("label", self.label)) if v}
        if self.settings != AssessmentSettings():  # so keys made before settings existed stay valid
            params["settings"] = self.settings.to_dict()
        return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:20]


def _opt_float(value) -> float | None:
    text = str(value if value is not None else "").strip()
    return None if text == "" else float(text)


def _subject(row: dict, defaults: dict, where: str) -> tuple[Subject, float | None]:
    vals = {k: (row.get(k) if str(row.get(k) or "").strip() else defaults.get(k)) for k in SUBJECT_FIELDS}
    missing = [k for k in ("sex", "mass_kg", "height_m") if vals[k] in (None, "")]
    if missing:
        raise LiftriskError(f"{where}: {', '.join(missing)} missing; give them in the manifest or as "
                            f"--sex/--mass-kg/--height-m defaults")
    try:
        subj = Subject(vals["sex"], float(vals["mass_kg"]), float(vals["height_m"]),
                       _opt_float(vals["age_years"]), vals["handedness"] or "right")
        box_raw = row.get("box_mass_kg") if str(row.get("box_mass_kg") or "").strip() else defaults.get("box_mass_kg")
        box = check("box_mass_kg", box_raw, optional=True)
    except (TypeError, ValueError) as exc:
        raise LiftriskError(f"{where}: {exc}") from None
    except LiftriskError as exc:
        raise type(exc)(f"{where}: {exc}") from None
    return subj, box


def _row_settings(row: dict, recording: Path, settings_file, overrides: dict | None, where: str
                  ) -> AssessmentSettings:
    """The recording's settings: file < command line < the manifest row's non-empty cells."""
    cells = {k: str(row.get(k) or "").strip() for k in SETTINGS_FIELDS}
    given = {k: v for k, v in cells.items() if v}
    if "lift_times_s" in given:
        given["lift_times_s"] = parse_lift_times(given["lift_times_s"], where)
    return settings_for(recording, settings_file, {**(overrides or {}), **given})


def read_manifest(path, defaults: dict | None = None, settings_file=None, overrides: dict | None = None
                  ) -> list[BatchItem]:
    """Items of a manifest CSV (see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
        Manifest CSV.
    defaults : dict, optional
        Default subject and load for items that do not give them.
    settings_file : str or os.PathLike, optional
        Project settings file (`liftrisk.io.settings`).
    overrides : dict, optional
        Explicit settings (e.g. command-line options); the row's non-empty cells win.

    Returns
    -------
    list of BatchItem
        One item per row; a bad row raises an error naming the row and column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.trc").write_text("x")
    >>> _ = (d / "m.csv").write_text("path,sex,mass_kg,height_m\\na.trc,f,60,1.65\\n")
    >>> [(i.path.name, i.subject.sex) for i in read_manifest(d / "m.csv")]
    [('a.trc', 'female')]
    """
    p = Path(path)
    defaults = defaults or {}
    try:
        with open(p, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(p, f"cannot read the manifest: {exc}",
                             fix="give a UTF-8 CSV with a 'path' column") from None
    if not rows or "path" not in rows[0]:
        raise InputFileError(p, "the manifest has no rows or no 'path' column",
                             fix=f"use the columns {', '.join(COLUMNS)}")
    unknown = set(rows[0]) - set(COLUMNS)
    if unknown:
        raise InputFileError(p, f"unknown columns {sorted(unknown)}", fix=f"use only {', '.join(COLUMNS)}")
    items = []
    for n, row in enumerate(rows, start=2):
        where = f"{p.name} line {n}"
        rec = (p.parent / str(row["path"]).strip()).resolve()
        if not rec.is_file():
            raise InputFileError(rec, f"listed in {where} but not found", fix="correct the path (relative to "
                                 "the manifest's folder)")
        subj, box = _subject(row, defaults, where)
        try:
            settings = _row_settings(row, rec, settings_file, overrides, where)
        except SettingsError as exc:
            raise SettingsError(exc.field, exc.problem, f"{p.name} line {n}" + (f" ({exc.source})" if exc.source
                                                                               else "")) from None
        items.append(BatchItem(rec, subj, box, *(str(row.get(k) or "").strip() for k in ("job", "task", "worker",
                                                                                           "label")),
                               sha256=sha256_file(rec), settings=settings))
    return items


def scan_folder(folder, defaults: dict, exclude: Path | None = None, settings_file=None,
                overrides: dict | None = None) -> list[BatchItem]:
    """Every recording under a folder (recursively, sorted), all with the default subject;
    each with its settings (`liftrisk.io.settings.settings_for`).

    Parameters
    ----------
    folder : str or os.PathLike
        Folder with recordings.
    defaults : dict
        Subject and load given to every item.
    exclude : pathlib.Path, optional
        A folder to skip (e.g. the output folder).
    settings_file : str or os.PathLike, optional
        Project settings file (`liftrisk.io.settings`).
    overrides : dict, optional
        Explicit settings for every item (e.g. command-line options).

    Returns
    -------
    list of BatchItem
        One item per recording, sorted by path.
    """
    root = Path(folder)
    excl = exclude.resolve() if exclude else None
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in RECORDING_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(root).parts)
                   and not (excl and (p.resolve() == excl or excl in p.resolve().parents)))
    if not files:
        raise InputFileError(root, f"no recordings found (looked for {', '.join(RECORDING_SUFFIXES)})",
                             fix="give a folder of recordings or a manifest CSV")
    subj, box = _subject({}, defaults, str(root))
    return [BatchItem(p.resolve(), subj, box, sha256=sha256_file(p),
                      settings=settings_for(p, settings_file, overrides)) for p in files]


def collect(source, defaults: dict | None = None, exclude: Path | None = None, settings_file=None,
            overrides: dict | None = None) -> list[BatchItem]:
    """Items from a folder or a manifest CSV, with their subjects and settings (a project
    settings file, explicit `overrides`, the manifest's columns).

    Parameters
    ----------
    source : str or os.PathLike
        Folder of recordings or manifest CSV.
    defaults : dict, optional
        Default subject and load for items that do not give them.
    exclude : pathlib.Path, optional
        A folder to skip (e.g. the output folder).
    settings_file : str or os.PathLike, optional
        Project settings file (`liftrisk.io.settings`).
    overrides : dict, optional
        Explicit settings for every item; a manifest's columns win.

    Returns
    -------
    list of BatchItem
        The items.
    """
    src = Path(source)
    if src.is_dir():
        return scan_folder(src, defaults or {}, exclude, settings_file, overrides)
    if src.is_file() and src.suffix.lower() == ".csv":
        return read_manifest(src, defaults, settings_file, overrides)
    if not src.exists():
        raise InputFileError(src, "not found", fix="give a folder of recordings or a manifest CSV")
    raise InputFileError(src, "is neither a folder nor a manifest .csv", fix="give a folder or a manifest CSV")


__all__ = ["BatchItem", "collect", "read_manifest", "scan_folder", "COLUMNS"]
