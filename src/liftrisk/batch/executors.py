"""Where batch items run: local processes (default), Dask (local cluster or a scheduler
address) or Ray. Every executor calls the same top-level function `run_item` with the same
arguments, so the results do not depend on the executor.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib.util
import inspect
import multiprocessing as mp
import os
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict

from liftrisk.batch._lifeline import watch_parent
from liftrisk.batch.manifest import BatchItem
from liftrisk.batch.runner import AssessmentOutput, load_runner
from liftrisk.core.settings import AssessmentSettings
from liftrisk.core.subject import Subject
from liftrisk.errors import LiftriskError
from liftrisk.io import LabInputs
from liftrisk.store import jsonable

EXECUTORS = ("local", "dask", "ray")


def run_item(runner: str, path: str, subject: dict, box_mass_kg: float | None, settings: dict | None = None,
             lab: dict | None = None) -> dict:
    """Assess one recording (runs in a worker); never raises, returns a plain dict.

    Parameters
    ----------
    runner : str
        ``module:function`` of the runner.
    path : str
        The recording.
    subject : dict
        Subject fields (sex, mass_kg, height_m, age_years, ...).
    box_mass_kg : float or None
        Mass in the hands (kg).
    settings : dict, optional
        `AssessmentSettings` fields (units in the names).
    lab : dict, optional
        The recording's lab inputs (`liftrisk.io.LabInputs.to_dict`), passed to the runner as
        ``lab=``; a runner that takes no ``lab`` then fails the item with a clear message.

    Returns
    -------
    dict
        ``{"status": "done", "summary", "timeseries_csv", "report_html"}`` or
        ``{"status": "failed", "error"}``.
    """
    try:
        func = load_runner(runner)
        extra = {}
        if lab:
            if "lab" not in inspect.signature(func).parameters:
                raise LiftriskError(f"runner {runner} takes no lab inputs (static trial, plates, insoles); "
                                    "use the default runner or give it a 'lab' parameter")
            extra["lab"] = LabInputs.from_dict(lab)
        out = func(path, Subject(**subject), hand_load=box_mass_kg,
                   settings=AssessmentSettings.from_dict(settings or {}), **extra)
        if not isinstance(out, AssessmentOutput):
            raise TypeError(f"runner {runner} returned {type(out).__name__}; expected AssessmentOutput")
        return {"status": "done", "summary": jsonable(out.summary), "timeseries_csv": out.timeseries_csv,
                "report_html": out.report_html}
    except LiftriskError as exc:
        return {"status": "failed", "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad recording must not stop the batch
        return {"status": "failed", "error": f"internal error ({type(exc).__name__}: {exc})",
                "traceback": traceback.format_exc(limit=8)}


def _args(runner: str, item: BatchItem) -> tuple:
    return runner, str(item.path), asdict(item.subject), item.box_mass_kg, item.settings.to_dict(), item.lab.to_dict()


def default_workers() -> int:
    """Worker processes by default: the CPUs this process may use, at most 8.

    Returns
    -------
    int
        Number of worker processes (1-8).
    """
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:
        n = os.cpu_count() or 1
    return max(1, min(8, n))


def run_items(items: list[BatchItem], runner: str, executor: str = "local", workers: int | None = None,
              dask_address: str | None = None, dask_processes: bool = True) -> Iterator[tuple[BatchItem, dict]]:
    """Yield (item, outcome) as items finish, in completion order.

    `dask_processes=False` makes the local Dask cluster use threads in this process (quick to
    start; for runners that are thread-safe).

    Parameters
    ----------
    items : list of BatchItem
        The recordings.
    runner : str
        ``module:function`` of the runner.
    executor : {"local", "dask", "ray"}
        Where items run.
    workers : int, optional
        Parallel workers (default: the CPUs available, at most 8).
    dask_address : str, optional
        Scheduler of an existing Dask cluster.
    dask_processes : bool
        Local Dask cluster with worker processes (default) or threads.

    Yields
    ------
    (BatchItem, dict)
        Each item with its outcome (see `run_item`).
    """
    if executor not in EXECUTORS:
        raise LiftriskError(f"executor is {executor!r}; expected one of {', '.join(EXECUTORS)}")
    if not items:
        return
    n = workers or default_workers()
    if executor == "dask":
        yield from _dask(items, runner, n, dask_address, dask_processes)
        return
    runners: dict[str, Callable] = {"local": _local, "ray": _ray}
    yield from runners[executor](items, runner, n, dask_address)


def _local(items, runner, n, _address):
    if n == 1:
        for it in items:
            yield it, run_item(*_args(runner, it))
        return
    with cf.ProcessPoolExecutor(min(n, len(items)), mp_context=mp.get_context("spawn"),
                                initializer=watch_parent, initargs=(os.getpid(),)) as pool:
        futs = {pool.submit(run_item, *_args(runner, it)): it for it in items}
        for fut in cf.as_completed(futs):
            try:
                yield futs[fut], fut.result()
            except cf.process.BrokenProcessPool:
                yield futs[fut], {"status": "failed", "error": "internal error: the worker process stopped "
                                                                "unexpectedly (out of memory or a native crash)"}


def _need(module: str, extra: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise LiftriskError(f"the {extra} executor needs the '{module}' package, which is not installed. "
                            f"Fix: pip install 'liftrisk[{extra}]', or use --executor local")


def _dask(items, runner, n, address, processes=True):
    _need("distributed", "dask")
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None if address else LocalCluster(n_workers=min(n, len(items)), threads_per_worker=1,
                                                processes=processes, dashboard_address=None)
    client = Client(address or cluster)
    try:
        futs = {client.submit(run_item, *_args(runner, it), pure=False): it for it in items}
        for fut in as_completed(futs):
            try:
                yield futs[fut], fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker
                yield futs[fut], {"status": "failed", "error": f"internal error on the Dask cluster "
                                                               f"({type(exc).__name__}: {exc})"}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ray(items, runner, n, _address):
    _need("ray", "ray")
    import ray

    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=n, include_dashboard=False, log_to_driver=False)
    try:
        remote = ray.remote(run_item)
        pending = {remote.remote(*_args(runner, it)): it for it in items}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                it = pending.pop(ref)
                try:
                    yield it, ray.get(ref)
                except Exception as exc:  # noqa: BLE001
                    yield it, {"status": "failed", "error": f"internal error on Ray ({type(exc).__name__}: {exc})"}
    finally:
        if started:
            ray.shutdown()


__all__ = ["run_items", "run_item", "EXECUTORS", "default_workers"]
