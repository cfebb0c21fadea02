"""Job-level figures from the measured lifts of each task: NIOSH single-task LI, CLI and
VLI, LiFFT (and its measured-moment extension), the Shoulder Tool (and its extension),
Liberty Mutual percent capable (female and male) and the joints' percent capable.

Choices where the sources leave a task measured by several lifts open (all conservative,
stated in the report): a task's LiFFT moment, Shoulder Tool lever arm and NIOSH geometry
are those of its worst measured lift; its LM-MMH and joint percent capable the lowest over
its lifts. Lowerings enter LiFFT and the Shoulder Tool like lifts (the papers describe
lifting and handling only) and LM-MMH through its lowering equation.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from liftrisk.errors import DataQualityError, LiftriskError
from liftrisk.job import lifft, lm_mmh, shoulder_tool
from liftrisk.job.measures import LiftMeasure
from liftrisk.job.niosh_job import SampledLift, composite_index, task_summary, variable_index
from liftrisk.job.spec import JobSpec
from liftrisk.risk.niosh import NioshLimitWarning, li_category

__all__ = ["JobResult", "SEXES", "evaluate_job"]

SEXES = ("female", "male")


def _finite(x) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


@dataclass(frozen=True)
class JobResult:
    """Everything `evaluate_job` computes; `to_dict` is the JSON export.

    Attributes
    ----------
    spec : JobSpec
        The job evaluated.
    measures : dict
        Task name -> list of `LiftMeasure` (SI; angles in degrees).
    tasks : list
        Per-task rows (frequencies, loads in kg, NIOSH indices).
    niosh : dict
        Job NIOSH results (CLI or VLI, dimensionless; limits in kg).
    lifft, lifft_measured : dict
        LiFFT cumulative damage, probability and band from the task loads and from the
        measured L5/S1 moments (N·m).
    shoulder, shoulder_measured : dict
        Shoulder tool results, likewise.
    notes : list of str
        What the user must know about the figures.
    capable_timeseries : dict
        Recording -> per-frame % capable (0-100), when computed.
    handlings : list
        LM-MMH results (kg, % capable) of the pushes, pulls and carries.

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.job.spec import TaskSpec
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0)
    >>> spec = JobSpec("j", 8.0, Subject("male", 80, 1.78), (TaskSpec("t", ("r",), 10.0, 1.0, 8.0),))
    >>> r = evaluate_job(spec, {"t": [m]})
    >>> len(r.lifts_table()), list(r.to_dict())[:3]
    (1, ['job', 'worker', 'tasks'])
    """

    spec: JobSpec
    measures: dict
    tasks: list
    niosh: dict
    lifft: dict
    lifft_measured: dict
    shoulder: dict
    shoulder_measured: dict
    notes: list = field(default_factory=list)
    capable_timeseries: dict = field(default_factory=dict)  # recording -> per-frame % capable (optional)
    handlings: list = field(default_factory=list)           # LM-MMH of the pushes, pulls and carries

    def lifts_table(self) -> pd.DataFrame:
        """One row per measured lift (SI units; A in degrees)."""
        rows = []
        for task, ms in self.measures.items():
            for m in ms:
                j, pc = m.worst_joint
                rows.append({"task": task, "recording": m.recording, "lift": m.index + 1, "kind": m.kind,
                             "grasp_s": m.grasp_s, "release_s": m.release_s, "load_kg": m.load_kg,
                             "h_origin_m": m.origin[0], "v_origin_m": m.origin[1], "a_origin_deg": m.origin[2],
                             "h_destination_m": m.destination[0], "v_destination_m": m.destination[1],
                             "a_destination_deg": m.destination[2], "d_m": m.d_m,
                             "max_l5s1_to_hands_m": m.max_l5s1_to_hands_m, "max_h_m": m.max_h_m,
                             "peak_l5s1_moment_nm": m.peak_l5s1_moment_nm,
                             "peak_left_shoulder_moment_nm": m.peak_shoulder_moment_nm.get("left"),
                             "peak_right_shoulder_moment_nm": m.peak_shoulder_moment_nm.get("right"),
                             "worst_joint": j, "worst_joint_percent_capable": pc})
        return pd.DataFrame(rows)

    def tasks_table(self) -> pd.DataFrame:
        """One row per task with its headline figures."""
        rows = []
        for t in self.tasks:
            r = {"task": t["name"], "n_lifts": t["n_lifts"], "lifts_per_min": t["lifts_per_min"],
                 "hours": t["hours"], "repetitions_per_day": t["repetitions_per_day"], "load_kg": t["load_kg"],
                 "stli": t["niosh"].get("STLI"), "fili": t["niosh"].get("FILI"),
                 "lifft_plm_nm": t["lifft_moment_nm"], "lifft_damage": t["lifft_damage"],
                 "lifft_measured_moment_nm": t["measured_moment_nm"], "lifft_measured_damage": t["measured_damage"]}
            for sex in SEXES:
                lm = t["lm_mmh"][sex]
                r[f"lm_mmh_{sex}_percent_capable"] = lm.get("percent_capable")
                r[f"lm_mmh_{sex}_mal_kg"] = lm.get("mal_kg")
            r["worst_joint"], r["worst_joint_percent_capable"] = t["worst_joint"]
            rows.append(r)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        s = self.spec
        return {
            "job": {"name": s.name, "duration_h": s.duration_h},
            "worker": {"sex": s.worker.sex, "mass_kg": s.worker.mass_kg, "height_m": s.worker.height_m,
                       "age_years": s.worker.age_years},
            "tasks": self.tasks, "niosh": self.niosh, "lifft": self.lifft,
            "lifft_measured_moment_extension": self.lifft_measured, "shoulder_tool": self.shoulder,
            "shoulder_tool_measured_moment_extension": self.shoulder_measured,
            "handlings": self.handlings,
            "lifts": {k: [m.to_dict() for m in v] for k, v in self.measures.items()}, "notes": list(self.notes)}


def _lm_mmh_task(ms: list[LiftMeasure], task, notes: list) -> dict:
    out = {}
    for sex in SEXES:
        best = None
        reasons = []
        for m in ms:
            try:
                r = lm_mmh.lift_lower_mal(m.kind, sex, m.lm_mmh_h_m, m.origin[1], m.destination[1],
                                          task.lifts_per_min, task.handles)
            except LiftriskError as exc:
                reasons.append(f"lift {m.index + 1} of {m.recording.split('/')[-1]}: {exc}")
                continue
            pc = float(r.percent_capable(m.load_kg))
            if best is None or pc < best["percent_capable"]:
                best = {"percent_capable": pc, "mal_kg": r.mal_kg, "sd_kg": r.sd_kg, "equation": r.equation,
                        "scale_factors": r.scale_factors, "handle_factor": r.handle_factor,
                        "load_75_percent_capable_kg": float(r.load_at_percent_capable(75.0)),
                        "load_90_percent_capable_kg": float(r.load_at_percent_capable(90.0)), "lift": m.index + 1}
        out[sex] = best if best is not None else {"percent_capable": None, "mal_kg": None}
        if reasons:
            out[sex]["not_rated"] = reasons
    return out


def _handling(h) -> dict:
    out = {"name": h.name, "kind": h.kind, "variant": h.variant, "load_kg": h.load_kg, "v_m": h.v_m,
           "distance_m": h.distance_m, "per_min": h.per_min}
    for sex in SEXES:
        try:
            r = lm_mmh.push_pull_carry_mal(h.kind, sex, h.v_m, h.distance_m, h.per_min, h.variant)
        except LiftriskError as exc:
            out[sex] = {"percent_capable": None, "mal_kg": None, "not_rated": [str(exc)]}
            continue
        out[sex] = {"percent_capable": float(r.percent_capable(h.load_kg)), "mal_kg": r.mal_kg, "sd_kg": r.sd_kg,
                    "equation": r.equation, "scale_factors": r.scale_factors,
                    "load_75_percent_capable_kg": float(r.load_at_percent_capable(75.0)),
                    "load_90_percent_capable_kg": float(r.load_at_percent_capable(90.0))}
    return out


def _joint_capable(ms: list[LiftMeasure]) -> tuple[dict, tuple]:
    joints: dict = {}
    for m in ms:
        for k, v in m.min_percent_capable.items():
            if v is not None and math.isfinite(v):
                joints[k] = min(joints.get(k, 100.0), float(v))
    if not joints:
        return {}, ("", None)
    k = min(joints, key=joints.get)
    return joints, (k, joints[k])


def evaluate_job(spec: JobSpec, measures: dict) -> JobResult:
    """All job-level figures for `spec` given each task's measured lifts.

    Parameters
    ----------
    spec : JobSpec
    measures : dict
        ``task name -> list of LiftMeasure`` (`liftrisk.job.measures.lift_measures` of each
        of the task's recordings).

    Returns
    -------
    JobResult

    Examples
    --------
    >>> from liftrisk.core import Subject
    >>> from liftrisk.job.spec import TaskSpec
    >>> m = LiftMeasure("r", 0, "lift", 0.0, 1.0, 10.0, (0.3, 0.3, 0.0), (0.3, 1.0, 0.0), 0.7, 0.45, 150.0)
    >>> spec = JobSpec("j", 8.0, Subject("male", 80, 1.78), (TaskSpec("t", ("r",), 10.0, 1.0, 8.0),))
    >>> r = evaluate_job(spec, {"t": [m]})
    >>> abs(r.niosh["CLI"] - r.tasks[0]["niosh"]["STLI"]) < 1e-12
    True
    """
    notes: list[str] = []
    tasks, lifft_tasks, meas_tasks, vli_lifts, cli_tasks = [], [], [], [], []
    sh_orig = {"left": [], "right": []}
    sh_meas = {"left": [], "right": []}
    reps = []
    for task in spec.tasks:
        ms = list(measures.get(task.name, []))
        if not ms:
            notes.append(f"task {task.name!r}: no lift was detected in its recordings, so it is left out of every "
                         "job figure")
            continue
        sampled = [SampledLift(m.load_kg, m.origin, m.destination, m.d_m, task.lifts_per_min / len(ms),
                               task.coupling) for m in ms]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NioshLimitWarning)
            _, ix = task_summary([SampledLift(s.load_kg, s.origin, s.destination, s.d_m, task.lifts_per_min,
                                              s.coupling) for s in sampled], task.lifts_per_min, spec.duration_h)
        notes += [f"task {task.name!r}: {w.message}" for w in caught if issubclass(w.category, NioshLimitWarning)]
        cli_tasks.append((sampled, task.lifts_per_min))
        vli_lifts += sampled
        plm = [float(lifft.peak_load_moment_nm(m.load_kg, m.max_l5s1_to_hands_m)) for m in ms]
        meas = [m.peak_l5s1_moment_nm for m in ms if math.isfinite(m.peak_l5s1_moment_nm)]
        n = task.repetitions_per_day
        lifft_tasks.append(lifft.LifftTask(task.name, max(plm), n))
        if meas:
            meas_tasks.append(lifft.LifftTask(task.name, max(meas), n))
        for side in ("left", "right"):
            lever = max(m.max_shoulder_to_hand_m.get(side, float("nan")) for m in ms)
            sh_orig[side].append(float(shoulder_tool.handling_moment_nm(task.box_kg * lifft.G_M_S2 / 2.0, lever)))
            sh_meas[side].append(max(m.peak_shoulder_moment_nm.get(side, float("nan")) for m in ms))
        reps.append(n)
        joints, worst = _joint_capable(ms)
        tasks.append({
            "name": task.name, "recordings": list(task.recordings), "n_lifts": len(ms),
            "lifts_per_min": task.lifts_per_min, "hours": task.hours, "repetitions_per_day": n,
            "load_kg": float(np.mean([m.load_kg for m in ms])), "coupling": task.coupling, "handles": task.handles,
            "niosh": {k: _finite(v) for k, v in ix.items()},
            "niosh_category": li_category(ix["STLI"]),
            "lifft_moment_nm": max(plm), "lifft_damage": float(lifft.damage_per_cycle(max(plm)) * n),
            "measured_moment_nm": max(meas) if meas else None,
            "measured_damage": float(lifft.damage_per_cycle(max(meas)) * n) if meas else None,
            "lm_mmh": _lm_mmh_task(ms, task, notes), "percent_capable": joints, "worst_joint": worst})
    if not tasks:
        raise DataQualityError("no task of the job has a detected lift; nothing to rate (check the recordings and "
                               "lift_times_s)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NioshLimitWarning)
        cli = composite_index(cli_tasks, spec.duration_h)
        vli = variable_index(vli_lifts, spec.duration_h)
    niosh = {"CLI": _finite(cli["CLI"]), "CLI_category": li_category(cli["CLI"]),
             "CLI_order": [tasks[i]["name"] for i in cli["order"]], "VLI": _finite(vli["VLI"]),
             "VLI_category": li_category(vli["VLI"]),
             "VLI_categories": [{k: v for k, v in c.items() if k != "lifts"} | {"n_lifts": len(c["lifts"])}
                                for c in vli["categories"]], "duration_h": spec.duration_h}
    lr = lifft.assess_tasks(lifft_tasks)
    lm = lifft.assess_tasks(meas_tasks).to_dict() if meas_tasks else {}
    if lm:
        lm["label"] = ("liftrisk extension: LiFFT damage curve fed with the measured peak L5/S1 moment; not LiFFT's "
                       "validated risk")
    sh = {}
    for name, per_side in (("original", sh_orig), ("measured", sh_meas)):
        ok = {s: v for s, v in per_side.items() if v and all(math.isfinite(x) for x in v)}
        if not ok:
            sh[name] = {}
            continue
        d = shoulder_tool.job_damage(ok, reps)
        p = float(shoulder_tool.probability_outcome(d["job"]))
        sh[name] = {"moments_nm": ok, "cumulative_damage": d, "probability": p,
                    "band": shoulder_tool.risk_band(p)}
    if sh.get("measured"):
        sh["measured"]["label"] = ("liftrisk extension: Shoulder Tool damage curve fed with the measured peak shoulder "
                                   "moment; not validated by the tool's authors")
    return JobResult(spec, {t["name"]: list(measures[t["name"]]) for t in tasks}, tasks, niosh, lr.to_dict(), lm,
                     sh.get("original", {}), sh.get("measured", {}), notes,
                     handlings=[_handling(h) for h in getattr(spec, "handlings", ())])
