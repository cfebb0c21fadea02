"""`run_batch`: assess many recordings, resumably.

Output folder layout::

    OUT/results.jsonl          one line per finished item (done or failed), appended as
                               items finish and fsync'ed: the record that makes a run resumable
    OUT/items/<stem>-<key>/    summary.json, timeseries.csv, report.html and record.json of a done item
    OUT/summary.csv            one row per done item (path, codes, lab inputs when any + flattened
                               summary), rewritten at the end

An item's outputs (with its record, ``record.json``) are written to a temporary folder and
renamed into place before its line is appended to ``results.jsonl``, so a crash never leaves
a half-written item that a later run would take as finished; an item whose line was lost
or cut by a crash is taken back from its ``record.json`` without running it again.
Running the same command again skips done items (same file content and parameters) and
retries failed ones. Recordings listed twice with the same content and parameters (e.g.
two copies of one file) are assessed once; the copies are reported as duplicates.

With ``--db`` every done item is also recorded in the assessment database, as a finished
assessment with its result in one transaction, keyed by the item's key: a resumed batch
never records an item twice and never leaves a ``queued`` row behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from liftrisk.batch.executors import run_items
from liftrisk.batch.manifest import LAB_COLUMNS, BatchItem, collect
from liftrisk.batch.runner import DEFAULT_RUNNER
from liftrisk.io.dispatch import VIDEO_SUFFIXES
from liftrisk.store import AssessmentStore

RESULTS = "results.jsonl"
RECORD = "record.json"


@dataclass
class BatchReport:
    """What a batch run did.

    Attributes
    ----------
    out_dir : pathlib.Path
        Output folder.
    total, skipped, done, failed : int
        Item counts.
    failures : list of (str, str)
        (item, error message) of each failed item.
    duplicates : list of (str, str)
        (item, earlier item) of recordings with the same content.
    """

    out_dir: Path
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        dup = f", {len(self.duplicates)} duplicate(s) skipped" if self.duplicates else ""
        return (f"{self.total} recordings: {self.done} assessed, {self.skipped} already done (skipped), "
                f"{self.failed} failed{dup}; results in {self.out_dir / RESULTS}")


def read_results(out_dir) -> dict[str, dict]:
    """Latest record per item key from ``results.jsonl`` (a torn last line is ignored).

    Parameters
    ----------
    out_dir : str or os.PathLike
        Output folder of a batch.

    Returns
    -------
    dict
        Item key -> its latest record.
    """
    path = Path(out_dir) / RESULTS
    records: dict[str, dict] = {}
    if not path.exists():
        return records
    with open(path, encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut by a crash: the item is simply not finished
            if isinstance(rec, dict) and "key" in rec:
                records[rec["key"]] = rec
    return records


def _is_done(rec: dict | None, out_dir: Path) -> bool:
    return bool(rec and rec.get("status") == "done" and (out_dir / rec.get("outputs", "\0") / "summary.json").is_file())


def _item_dir(item: BatchItem) -> str:
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in item.path.stem)[:60]
    return f"items/{stem}-{item.key[:12]}"


def _write_outputs(out_dir: Path, rel: str, outcome: dict, rec: dict) -> None:
    final = out_dir / rel
    tmp = final.with_name(f".{final.name}.tmp{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    (tmp / "summary.json").write_text(json.dumps(outcome["summary"], indent=2, sort_keys=True), encoding="utf-8")
    (tmp / "timeseries.csv").write_text(outcome["timeseries_csv"], encoding="utf-8")
    (tmp / "report.html").write_text(outcome["report_html"], encoding="utf-8")
    (tmp / RECORD).write_text(json.dumps(rec, sort_keys=True), encoding="utf-8")
    if final.exists():  # left by an earlier run whose result line was never written
        shutil.rmtree(final)
    os.replace(tmp, final)


def _recover(out_dir: Path, item: BatchItem) -> dict | None:
    """The record of an item whose outputs are complete but whose line in ``results.jsonl``
    was lost or cut by a crash (None when the item must run)."""
    folder = out_dir / _item_dir(item)
    try:
        rec = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(rec, dict) and rec.get("key") == item.key and rec.get("status") == "done"
    return rec if ok and _is_done(rec, out_dir) else None


def _sweep_temp(out_dir: Path) -> None:
    """Remove item folders half-written by a killed run (``items/.<name>.tmp<pid>``)."""
    items = out_dir / "items"
    if items.is_dir():
        for d in items.glob(".*.tmp*"):
            shutil.rmtree(d, ignore_errors=True)


def _append(out_dir: Path, rec: dict) -> None:
    path = out_dir / RESULTS
    torn = False
    if path.exists() and path.stat().st_size:
        with open(path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"  # a crash cut the last line: start a fresh one
    with open(path, "a", encoding="utf-8") as f:
        f.write(("\n" if torn else "") + json.dumps(rec, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _flatten(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        elif not isinstance(v, list):
            out[f"{prefix}{k}"] = v
    return out


def lab_cells(lab: dict) -> dict[str, str]:
    """An item's lab inputs (`liftrisk.io.LabInputs.to_dict`) as manifest-style text cells:
    paths as they were read, two insoles as ``left;right``, object plates as ``1;2``.

    Parameters
    ----------
    lab : dict
        `LabInputs.to_dict` of the item.

    Returns
    -------
    dict
        Column (`liftrisk.batch.manifest.LAB_COLUMNS`) -> text.
    """
    return {k: ";".join(map(str, v)) if isinstance(v, list) else "true" if v is True else str(v)
            for k, v in lab.items()}


def write_summary_csv(out_dir) -> Path:
    """Rewrite ``summary.csv`` from the done records of ``results.jsonl``.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Output folder of a batch.

    Returns
    -------
    pathlib.Path
        The ``summary.csv`` written.
    """
    out_dir = Path(out_dir)
    recs = [r for r in read_results(out_dir).values() if r.get("status") == "done"]
    recs.sort(key=lambda r: r["path"])
    lab_cols = [c for c in LAB_COLUMNS if any(c in r.get("lab", {}) for r in recs)]
    rows = [{"path": r["path"], "job": r.get("job", ""), "task": r.get("task", ""), "worker": r.get("worker", ""),
             "label": r.get("label", "")} | {c: lab_cells(r.get("lab", {})).get(c, "") for c in lab_cols}
            | _flatten({k: v for k, v in r.get("summary", {}).items() if k != "lab_inputs"}) for r in recs]
    cols: list[str] = []
    for row in rows:
        cols += [c for c in row if c not in cols]
    path = out_dir / "summary.csv"
    tmp = path.with_suffix(".csv.tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols or ["path"])
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, path)
    return path


def run_batch(source, out_dir, executor: str = "local", workers: int | None = None,
              defaults: dict | None = None, runner: str = DEFAULT_RUNNER, dask_address: str | None = None,
              store=None, on_item: Callable[[BatchItem, dict], None] | None = None,
              dask_processes: bool = True, settings_file=None, settings: dict | None = None) -> BatchReport:
    """Assess every recording of a folder or manifest; skip items already done in `out_dir`.

    Parameters
    ----------
    source : path
        Folder of recordings, or a manifest CSV (`liftrisk.batch.manifest`).
    out_dir : path
        Output folder (created); holds ``results.jsonl`` which makes the run resumable.
    executor : {"local", "dask", "ray"}
        Where items run.
    workers : int, optional
        Parallel workers (default: the CPUs available, at most 8).
    defaults : dict, optional
        Subject fields (sex, mass_kg, height_m, age_years, handedness, box_mass_kg) for items
        that do not give them.
    runner : str
        ``module:function`` of the runner (`liftrisk.batch.runner`).
    dask_address : str, optional
        Scheduler of an existing Dask cluster (default: a local cluster).
    dask_processes : bool
        Local Dask cluster with worker processes (default) or threads in this process.
    store : AssessmentStore, optional
        Also record every done item in this assessment database (browsable in the web app).
    on_item : callable(item, record), optional
        Called after each finished item (progress display).
    settings_file : path, optional
        Project settings file (`liftrisk.io.settings`): each item's `AssessmentSettings`.
    settings : dict, optional
        Explicit settings for every item (e.g. command-line options); a manifest's columns win.

    Returns
    -------
    BatchReport
        Counts, failures and duplicates of the run.
    """
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    _sweep_temp(out)
    if store is not None:  # what a killed earlier run left in the database's folders (lock-checked: never
        store.sweep()      # a file or job folder another live process is writing)
    items, duplicates = _unique(collect(source, defaults, exclude=out, settings_file=settings_file,
                                              overrides=settings))
    previous = read_results(out)
    todo = []
    for it in items:
        if _is_done(previous.get(it.key), out):
            continue
        rec = _recover(out, it)
        if rec is None:
            todo.append(it)
        else:  # finished before a crash cut its line: take it back, do not run it again
            _append(out, rec)
    report = BatchReport(out, total=len(items), skipped=len(items) - len(todo), duplicates=duplicates)
    for item, outcome in run_items(todo, runner, executor, workers, dask_address, dask_processes):
        rec = {"key": item.key, "path": str(item.path), "sha256": item.sha256, "status": outcome["status"],
               "job": item.job, "task": item.task, "worker": item.worker, "label": item.label,
               "box_mass_kg": item.box_mass_kg, "subject": item.subject.__dict__.copy(),
               "settings": item.settings.to_dict(), "executor": executor,
               "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        if item.lab:  # which static trial, plates and insoles the item used (content by SHA-256)
            rec |= {"lab": item.lab.to_dict(), "lab_sha256": item.lab_sha256}
        if outcome["status"] == "done":
            if item.lab:  # also in summary.json and the database's result
                outcome["summary"]["lab_inputs"] = lab_cells(item.lab.to_dict())
            rel = _item_dir(item)
            rec |= {"outputs": rel, "summary": outcome["summary"]}
            if store is not None:  # idempotent: a resumed run finds the row it recorded before a crash
                rec["assessment_id"] = record_in_store(store, item, outcome)
            _write_outputs(out, rel, outcome, rec)
            report.done += 1
        else:
            rec["error"] = outcome["error"]
            report.failed += 1
            report.failures.append((str(item.path), outcome["error"]))
        _append(out, rec)
        if on_item:
            on_item(item, rec)
    write_summary_csv(out)
    return report


def _unique(items: list[BatchItem]) -> tuple[list[BatchItem], list[tuple[str, str]]]:
    """Items without repeats of the same work (same content and parameters), and the
    repeats as (path, path of the item kept)."""
    first: dict[str, BatchItem] = {}
    dups = []
    for it in items:
        if it.key in first:
            dups.append((str(it.path), str(first[it.key].path)))
        else:
            first[it.key] = it
    return list(first.values()), dups


def record_in_store(store: AssessmentStore, item: BatchItem, outcome: dict) -> int:
    """Record a done batch item in the assessment database (one transaction, once per item
    key); returns the assessment id.

    Parameters
    ----------
    store : AssessmentStore
        The assessment database.
    item : BatchItem
        The item.
    outcome : dict
        Its outcome (see `liftrisk.batch.executors.run_item`).

    Returns
    -------
    int
        The assessment id.
    """
    kind = "video" if item.path.suffix.lower() in VIDEO_SUFFIXES else "motion"
    up = store.add_upload_file(item.path, kind=kind)
    return store.add_finished(up.sha256, item.path.name, item.subject, outcome["summary"], outcome["timeseries_csv"],
                              outcome["report_html"], source_key=item.key, box_mass_kg=item.box_mass_kg,
                              job=item.job or None, task=item.task or None, worker=item.worker or None,
                              label=item.label, settings=item.settings)


__all__ = ["run_batch", "BatchReport", "read_results", "write_summary_csv", "record_in_store", "lab_cells"]
