"""What a batch runs: recordings from a folder or a manifest CSV, each with its subject data.

Manifest CSV (UTF-8, one row per recording; paths relative to the manifest's folder)::

    path,sex,mass_kg,height_m,age_years,handedness,box_mass_kg,lifts_per_min,duration_h,coupling,job,task,worker,label
    lifts/w017_before.mp4,male,82,1.79,41,right,12,4,2,poor,warehouse,pallet,W017,before

Only ``path`` is required; missing subject columns take the defaults given on the command
line. Any field of `liftrisk.core.settings.AssessmentSettings` may be a column (the NIOSH
task: ``lifts_per_min``, ``duration_h``, ``coupling``; also ``cutoff_hz``, ...;
``lift_times_s`` as ``1.2-2.9;6.0-7.4``); an empty cell takes the recording's settings from
the settings file (`liftrisk.io.settings.settings_for`) and the command line.

A motion-capture row may bring its lab inputs (`liftrisk.io.LabInputs`, as ``liftrisk assess``
takes them): ``static`` (static trial), ``plates`` + ``plates_spec`` (force-plate CSV and its
TOML), ``insoles`` (one CSV, or two as ``left.csv;right.csv``) + ``insole_spec``, and for a
C3D's own platforms ``plates_under_both_feet`` (true/false) and ``object_plates`` (``2`` or
``1;2``), and the Plug-in Gait measurements ``leg_length_mm``, ``knee_width_mm``,
``ankle_width_mm``. They are files relative to the manifest's folder, checked before anything runs. Every item
gets a key from the SHA-256 of the file and its parameters (settings and the lab files'
content included), so a batch
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
from liftrisk.io import LAB_FILES, LAB_MEASUREMENTS, MOTION_SUFFIXES, LabInputs
from liftrisk.io.settings import parse_lift_times, settings_for
from liftrisk.store.blobs import sha256_file

SUBJECT_FIELDS = ("sex", "mass_kg", "height_m", "age_years", "handedness")
SETTINGS_FIELDS = tuple(AssessmentSettings().to_dict())
#: lab inputs of a motion-capture row (`liftrisk.io.LabInputs`): files relative to the manifest's folder
LAB_COLUMNS = LAB_FILES + ("plates_under_both_feet", "object_plates") + LAB_MEASUREMENTS
COLUMNS = (("path",) + SUBJECT_FIELDS + ("box_mass_kg",) + SETTINGS_FIELDS + ("job", "task", "worker", "label")
           + LAB_COLUMNS)


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
    lab : LabInputs
        Static trial, force-plate CSV, insoles and their descriptions (motion files only).
    lab_sha256 : dict
        Hash of each lab file, by role (``insoles``: a list), once known.
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
    lab: LabInputs = field(default_factory=LabInputs)
    lab_sha256: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """Identity of the item: file content, every parameter that changes the result (the
        lab inputs by their content), and the job/task/worker codes and label when given."""
        params = {"sha256": self.sha256, "subject": asdict(self.subject), "box_mass_kg": self.box_mass_kg}
        # the codes do not change the result, but two workers doing the same lift are two records
        params |= {k: v for k, v in (("job", self.job), ("task", self.task), ("worker", self.worker),
                                     ("label", self.label)) if v}
        if self.settings != AssessmentSettings():  # so keys made before settings existed stay valid
            params["settings"] = self.settings.to_dict()
        if self.lab:  # so keys of items without lab inputs stay valid
            opts = {k: v for k, v in self.lab.to_dict().items() if k not in LAB_FILES}
            params["lab"] = {**opts, **self.lab_sha256}
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


def lab_files_problem(recording: str, files: dict[str, list[str]]) -> tuple[str, str, str] | None:
    """The first problem of a recording's set of lab files, before any is read: lab files
    with a video, a table without its TOML description or a TOML without its table, more than
    two insole files, a static trial that is not a motion file. Shared by the manifest rows
    and the web app's upload form, which word it with their own place (line and column, form
    field).

    Parameters
    ----------
    recording : str
        The recording's file name (its suffix says video or motion file).
    files : dict
        Role (`liftrisk.io.LAB_FILES`) -> the names of the files given for it (empty roles
        may be left out).

    Returns
    -------
    tuple of str or None
        ``(role, problem, fix)`` of the first problem, or None when the set is valid.

    Examples
    --------
    >>> lab_files_problem("lift.c3d", {"plates": ["p.csv"]})[:2]
    ('plates_spec', "empty, but 'plates' gives a CSV table")
    >>> lab_files_problem("lift.c3d", {"static": ["static.c3d"]}) is None
    True
    """
    given = {k: list(v) for k, v in files.items() if v}
    if not given:
        return None
    if Path(recording).suffix.lower() not in MOTION_SUFFIXES:
        first = next(k for k in LAB_FILES if k in given)
        return (first, f"lab inputs go with a motion file ({', '.join(MOTION_SUFFIXES)}), not with the video "
                       f"{Path(recording).name}", "leave the lab files out for a video")
    for table, spec, what in (("plates", "plates_spec", "force-plate"), ("insoles", "insole_spec", "insole")):
        if table in given and spec not in given:
            return (spec, f"empty, but '{table}' gives a CSV table",
                    "give the TOML that describes the table (columns, units, time base; docs/io.md)")
        if spec in given and table not in given:
            return (table, f"empty, but '{spec}' describes a table", f"give the {what} CSV or leave '{spec}' empty")
    if len(given.get("insoles", ())) > 2:
        return ("insoles", f"{len(given['insoles'])} files", "give one file (both feet) or two as left;right")
    static = given.get("static", [""])[0]
    if "static" in given and Path(static).suffix.lower() not in MOTION_SUFFIXES:
        return ("static", f"{Path(static).name} is not a motion file",
                f"give the static trial as {', '.join(MOTION_SUFFIXES)}")
    return None


_TRUE, _FALSE = ("true", "yes", "1", "y"), ("false", "no", "0", "n", "")


def lab_options(cells: dict[str, str], recording: str, plate_table: bool) -> tuple[dict, tuple[str, str, str] | None]:
    """The C3D plate options and Plug-in Gait measurements of a recording, from text (a
    manifest row's cells, the web form's fields), checked: ``plates_under_both_feet`` true or
    false, ``object_plates`` platform numbers from 1 (``2`` or ``1;2``), both only for a C3D's own
    platforms (no plate table), the measurements lengths in mm.

    Parameters
    ----------
    cells : dict
        Name -> text (missing or empty: not given).
    recording : str
        The recording's file name.
    plate_table : bool
        A force-plate table is given with it.

    Returns
    -------
    tuple
        The `liftrisk.io.LabInputs` keyword arguments given (``plates_under_both_feet``,
        ``object_plates``, measurements in mm), and ``(name, problem, fix)`` of the first
        problem or None.

    Examples
    --------
    >>> lab_options({"object_plates": "1;2", "knee_width_mm": "105"}, "t.c3d", False)
    ({'plates_under_both_feet': False, 'object_plates': (1, 2), 'knee_width_mm': 105.0}, None)
    >>> lab_options({"object_plates": "2"}, "t.trc", False)[1][:2]
    ('object_plates', "applies to a C3D's own force platforms")
    """
    cells = {k: str(cells.get(k) or "").strip() for k in ("plates_under_both_feet", "object_plates")
             + LAB_MEASUREMENTS}
    both = cells["plates_under_both_feet"].lower()
    if both not in _TRUE + _FALSE:
        return {}, ("plates_under_both_feet", f"{both!r} is not true or false", "write true, false or leave it empty")
    try:
        objects = tuple(int(t) for t in cells["object_plates"].split(";") if t.strip())
    except ValueError:
        return {}, ("object_plates", f"{cells['object_plates']!r} is not a list of plate numbers",
                    "write the C3D platform numbers under the object, e.g. 2 or 1;2")
    if any(k < 1 for k in objects):
        return {}, ("object_plates", f"{cells['object_plates']!r}", "platforms are numbered from 1")
    if (both in _TRUE or objects) and (plate_table or Path(recording).suffix.lower() != ".c3d"):
        return {}, ("object_plates" if objects else "plates_under_both_feet",
                    "applies to a C3D's own force platforms", "give the plates' roles in the plates_spec "
                    "TOML instead (feet, left_foot, right_foot, object)")
    sizes = {}
    for k in LAB_MEASUREMENTS:
        if cells[k]:
            try:
                sizes[k] = float(cells[k])
            except ValueError:
                sizes[k] = float("nan")
            if not 0.0 < sizes[k] < 2000.0:
                return {}, (k, f"{cells[k]!r} is not a length in mm", "give the Plug-in Gait measurement in mm, "
                            "e.g. 105, or leave it empty")
    return {"plates_under_both_feet": both in _TRUE, "object_plates": objects} | sizes, None


def _lab_inputs(row: dict, manifest: Path, n: int, recording: Path) -> tuple[LabInputs, dict]:
    """The row's lab inputs, every file checked, and their SHA-256 by role; a problem raises
    an error naming the manifest, the line and the column."""
    cells = {k: str(row.get(k) or "").strip() for k in LAB_COLUMNS}
    where = f"{manifest.name} line {n}"

    def bad(column: str, problem: str, fix: str) -> InputFileError:
        return InputFileError(manifest, f"line {n}, column '{column}': {problem}", fix=fix)

    def file(column: str, text: str) -> Path:
        f = (manifest.parent / text).resolve()
        if not f.is_file():
            raise InputFileError(f, f"listed in {where}, column '{column}', but not found",
                                 fix="correct the path (relative to the manifest's folder)")
        return f

    if not any(cells.values()):
        return LabInputs(), {}
    if recording.suffix.lower() not in MOTION_SUFFIXES:
        given = next(k for k in LAB_COLUMNS if cells[k])
        raise bad(given, f"lab inputs go with a motion file ({', '.join(MOTION_SUFFIXES)}), not with the video "
                         f"{recording.name}", "leave the lab columns empty for video rows")
    files = {k: [t.strip() for t in cells[k].split(";") if t.strip()] if k == "insoles" else [cells[k]]
             for k in LAB_FILES if cells[k]}
    problem = lab_files_problem(recording.name, files)
    if problem:
        raise bad(*problem)
    paths = {k: file(k, cells[k]) for k in ("static", "plates", "plates_spec", "insole_spec") if cells[k]}
    insoles = tuple(file("insoles", t) for t in files.get("insoles", ()))
    options, problem = lab_options(cells, recording.name, bool(cells["plates"]))
    if problem:
        raise bad(*problem)
    lab = LabInputs(insoles=insoles, **paths, **options)
    hashes: dict = {k: sha256_file(v) for k, v in paths.items()}
    if insoles:
        hashes["insoles"] = [sha256_file(f) for f in insoles]
    return lab, hashes


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
        lab, lab_sha256 = _lab_inputs(row, p, n, rec)
        try:
            settings = _row_settings(row, rec, settings_file, overrides, where)
        except SettingsError as exc:
            raise SettingsError(exc.field, exc.problem, f"{p.name} line {n}" + (f" ({exc.source})" if exc.source
                                                                               else "")) from None
        items.append(BatchItem(rec, subj, box, *(str(row.get(k) or "").strip() for k in ("job", "task", "worker",
                                                                                           "label")),
                               sha256=sha256_file(rec), settings=settings, lab=lab, lab_sha256=lab_sha256))
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


__all__ = ["BatchItem", "collect", "read_manifest", "scan_folder", "lab_files_problem", "lab_options", "COLUMNS",
           "LAB_COLUMNS"]
