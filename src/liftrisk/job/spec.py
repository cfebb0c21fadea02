"""A job: tasks (each with its recordings or measured lifts, frequency and time per shift),
the shift and the worker. Built from a mapping (e.g. a parsed JOB.toml) by `job_spec`.

JOB.toml layout (units in every key; paths relative to the file)::

    [job]
    name = "pallet loading"
    duration_h = 8.0            # NIOSH work duration of the lifting (Table 5 category)

    [worker]                    # the subject of every recording
    sex = "male"
    mass_kg = 80.0
    height_m = 1.78
    age_years = 40              # optional

    [[task]]
    name = "floor to bench"
    recordings = ["lift1.trc", "lift2.c3d"]
    box_kg = 10.0               # load in the hands
    lifts_per_min = 2.0         # lifts of this task per minute while it is done
    hours = 4.0                 # time on this task per shift (default: job duration_h)
    coupling = "fair"           # NIOSH coupling: good, fair, poor
    handles = "handles"         # LM-MMH: handles, poor_or_slippery, none
    lift_times_s = [[1.2, 2.9]] # optional grasp-release times of every recording

    [[handling]]                # optional: a push, pull or carry measured by hand (LM-MMH only)
    name = "cart to dock"
    kind = "push"               # push, pull, carry
    variant = "initial"         # initial or sustained (push, pull)
    load_kg = 25.0              # object carried, or push/pull force in kgf
    v_m = 0.95                  # hands' height
    distance_m = 15.0           # per push, pull or carry
    per_min = 1.0

A recording can also be a table with its own grasp-release times, force plates (a CSV
table and its description, `liftrisk.io.force_plates_csv`; a plate under the object gives the
measured hand load and hold times), a static trial (Plug-in Gait) and the both-feet option::

    recordings = [{path = "stoop1.c3d", plates = "stoop1_plates.csv", plates_spec = "plates.toml",
                   static = "neutral.c3d", plates_under_both_feet = false}, "lift2.trc"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from liftrisk.core.settings import COUPLINGS
from liftrisk.core.subject import Subject
from liftrisk.errors import DataQualityError, SubjectError

__all__ = ["COUPLINGS", "HANDLES", "HandlingSpec", "JobSpec", "RECORDING_KEYS", "TaskSpec", "job_spec"]

HANDLES = ("handles", "poor_or_slippery", "none")


@dataclass(frozen=True)
class TaskSpec:
    """One task of a job (see module docstring).

    Attributes
    ----------
    name : str
        Task name.
    recordings : tuple
        Recording paths (or tables with their own options).
    box_kg : float
        Load in the hands (kg).
    lifts_per_min : float
        Lifts of this task per minute while it is done (lifts/min).
    hours : float
        Time on this task per shift (h).
    coupling : {"good", "fair", "poor"}
        NIOSH coupling.
    handles : {"handles", "poor_or_slippery", "none"}
        LM-MMH handles.
    lift_times_s : tuple
        Grasp-release times (s) of every recording (optional).
    recording_options : tuple
        Per recording: dict of its own ``lift_times_s``, plates, ``plates_spec``, ``static``, ...

    Examples
    --------
    >>> TaskSpec("t", ("a.trc",), 10.0, 2.0, 4.0).repetitions_per_day
    480.0
    """

    name: str
    recordings: tuple
    box_kg: float
    lifts_per_min: float
    hours: float
    coupling: str = "fair"
    handles: str = "handles"
    lift_times_s: tuple = ()
    recording_options: tuple = ()   # per recording: dict of its own lift_times_s, plates, plates_spec, static, ...

    def options_for(self, i: int) -> dict:
        """Options of recording i (empty dict when it was given as a plain path)."""
        return dict(self.recording_options[i]) if i < len(self.recording_options) else {}

    def times_for(self, i: int) -> tuple:
        """Grasp-release times to use for recording i (its own, else the task's)."""
        return self.options_for(i).get("lift_times_s") or self.lift_times_s

    @property
    def repetitions_per_day(self) -> float:
        """Lifts of this task per shift: lifts/min x 60 x hours."""
        return self.lifts_per_min * 60.0 * self.hours


@dataclass(frozen=True)
class HandlingSpec:
    """A push, pull or carry of the job measured by hand (rated by the LM-MMH equations only).

    Attributes
    ----------
    name : str
        Handling name.
    kind : {"push", "pull", "carry"}
        What is done.
    load_kg : float
        The object carried (kg), or the initial / sustained push or pull force (kgf).
    v_m : float
        The hands' height (m).
    distance_m : float
        Distance per push, pull or carry (m).
    per_min : float
        Frequency (per minute).
    variant : str
        ``"initial"`` or ``"sustained"`` (push, pull).

    Examples
    --------
    >>> HandlingSpec("cart", "push", 25.0, 0.95, 15.0, 1.0, "initial").kind
    'push'
    """

    name: str
    kind: str
    load_kg: float
    v_m: float
    distance_m: float
    per_min: float
    variant: str = ""


@dataclass(frozen=True)
class JobSpec:
    """A job: name, NIOSH work duration (h), worker, lifting tasks and other handlings.

    Attributes
    ----------
    name : str
        Job name.
    duration_h : float
        NIOSH work duration of the lifting (h).
    worker : Subject
        The subject of every recording.
    tasks : tuple of TaskSpec
        Lifting tasks.
    handlings : tuple of HandlingSpec
        Pushes, pulls and carries.

    Examples
    --------
    >>> JobSpec("j", 8.0, Subject("male", 80, 1.78)).tasks
    ()
    """

    name: str
    duration_h: float
    worker: Subject
    tasks: tuple = field(default_factory=tuple)
    handlings: tuple = field(default_factory=tuple)


def _num(where: str, d: dict, key: str, default=None, lo: float | None = None, hi: float | None = None) -> float:
    if key not in d:
        if default is None:
            raise DataQualityError(f"{where}: missing '{key}'")
        return float(default)
    try:
        v = float(d[key])
    except (TypeError, ValueError):
        raise DataQualityError(f"{where}.{key} is {d[key]!r}; expected a number") from None
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise DataQualityError(f"{where}.{key} is {v:g}; expected {lo:g}-{hi:g}")
    return v


def _choice(where: str, d: dict, key: str, options: tuple, default: str) -> str:
    v = str(d.get(key, default)).strip().lower()
    if v not in options:
        raise DataQualityError(f"{where}.{key} is {d.get(key)!r}; expected one of {options}")
    return v


RECORDING_KEYS = ("path", "lift_times_s", "plates", "plates_spec", "static", "plates_under_both_feet")


def _path(base: Path, p) -> str:
    return str(Path(str(p)) if Path(str(p)).is_absolute() else base / str(p))


def _times(where: str, raw) -> tuple:
    try:
        times = tuple(tuple(float(x) for x in p) for p in raw)
    except (TypeError, ValueError):
        raise DataQualityError(f"{where}.lift_times_s is {raw!r}; expected [[grasp_s, release_s], ...]") from None
    if any(len(p) != 2 or p[1] <= p[0] for p in times):
        raise DataQualityError(f"{where}.lift_times_s: expected [grasp_s, release_s] pairs with release > grasp")
    return times


def job_spec(data: dict, base_dir: str | Path = ".", source: str = "job file") -> JobSpec:
    """Validate a parsed job mapping and build the `JobSpec` (paths resolved against base_dir).

    Parameters
    ----------
    data : dict
        Parsed job file (`liftrisk.io.job_file.read_job_file`).
    base_dir : str or Path
        Folder relative paths are read from (the job file's).
    source : str
        Name used in error messages.

    Returns
    -------
    JobSpec
        Validated job (raises a `liftrisk.errors` exception naming the field otherwise).

    Examples
    --------
    >>> j = job_spec({"job": {"name": "j", "duration_h": 2},
    ...               "worker": {"sex": "male", "mass_kg": 80, "height_m": 1.78},
    ...               "task": [{"name": "t", "recordings": ["a.trc"], "box_kg": 10, "lifts_per_min": 1}]})
    >>> j.tasks[0].repetitions_per_day, j.tasks[0].hours
    (120.0, 2.0)
    """
    if not isinstance(data, dict):
        raise DataQualityError(f"{source}: expected tables [job], [worker] and [[task]]")
    job = data.get("job", {})
    worker = data.get("worker")
    if not isinstance(worker, dict):
        raise DataQualityError(f"{source}: missing [worker] table (sex, mass_kg, height_m)")
    duration = _num(f"{source} [job]", job, "duration_h", 8.0, 0.01, 24.0)
    try:
        subj = Subject(str(worker.get("sex", "")), _num(f"{source} [worker]", worker, "mass_kg"),
                       _num(f"{source} [worker]", worker, "height_m"),
                       None if worker.get("age_years") is None else _num(f"{source} [worker]", worker, "age_years"))
    except (DataQualityError, SubjectError) as exc:
        msg = str(exc)
        raise type(exc)(msg if msg.startswith(source) else f"{source} [worker]: {msg}") from None
    tasks = data.get("task", [])
    if not isinstance(tasks, list) or not tasks:
        raise DataQualityError(f"{source}: no [[task]] given; expected at least one task with recordings")
    base = Path(base_dir)
    out, names = [], set()
    for i, t in enumerate(tasks):
        where = f"{source} [[task]] #{i + 1}"
        name = str(t.get("name", f"task {i + 1}"))
        if name in names:
            raise DataQualityError(f"{where}: task name {name!r} is used twice; expected unique names")
        names.add(name)
        recs = t.get("recordings", [])
        if isinstance(recs, str):
            recs = [recs]
        if not recs:
            raise DataQualityError(f"{where} ({name}): 'recordings' is empty; expected one or more motion files")
        times = _times(where, t.get("lift_times_s", ()))
        paths, own = [], []
        for j, r in enumerate(recs):
            opts = {}
            if isinstance(r, dict):
                w = f"{where}.recordings[{j + 1}]"
                unknown = set(r) - set(RECORDING_KEYS)
                if "path" not in r or unknown:
                    raise DataQualityError(f"{w}: a recording table needs 'path' and may hold only "
                                           f"{', '.join(RECORDING_KEYS)}" + (f" (unknown: {sorted(unknown)})"
                                                                            if unknown else ""))
                opts["lift_times_s"] = _times(w, r.get("lift_times_s", ()))
                for key in ("plates", "plates_spec", "static"):
                    if r.get(key):
                        opts[key] = _path(base, r[key])
                opts["plates_under_both_feet"] = bool(r.get("plates_under_both_feet", False))
                r = r["path"]
            own.append(opts)
            paths.append(_path(base, r))
        out.append(TaskSpec(
            name=name, recordings=tuple(paths), recording_options=tuple(own),
            box_kg=_num(where, t, "box_kg", None, 0.0, 200.0),
            lifts_per_min=_num(where, t, "lifts_per_min", None, 0.0, 30.0),
            hours=_num(where, t, "hours", duration, 0.0, 24.0),
            coupling=_choice(where, t, "coupling", COUPLINGS, "fair"),
            handles=_choice(where, t, "handles", HANDLES, "handles"), lift_times_s=times))
    return JobSpec(str(job.get("name", "job")), duration, subj, tuple(out), _handlings(data, source))


def _handlings(data: dict, source: str) -> tuple:
    items = data.get("handling", [])
    if not isinstance(items, list):
        raise DataQualityError(f"{source}: 'handling' must be [[handling]] tables")
    out = []
    for i, h in enumerate(items):
        where = f"{source} [[handling]] #{i + 1}"
        kind = _choice(where, h, "kind", ("push", "pull", "carry"), "")
        variant = _choice(where, h, "variant", ("initial", "sustained"), "initial") if kind != "carry" else ""
        out.append(HandlingSpec(str(h.get("name", f"{kind} {i + 1}")), kind, _num(where, h, "load_kg", None, 0, 500),
                                _num(where, h, "v_m", None, 0, 3), _num(where, h, "distance_m", None, 0, 500),
                                _num(where, h, "per_min", None, 0, 60), variant))
    return tuple(out)
