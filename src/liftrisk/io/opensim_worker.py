"""OpenSim, run in its own worker process (never beside CasADi).

Why a separate process: the official ``opensim`` 4.6 wheel bundles its own libcasadi /
libipopt (for Moco) under the same shared-library names as the ``casadi`` wheel that
liftrisk's prediction uses; importing both in one interpreter fails whichever comes first
(undefined casadi symbols). So liftrisk never imports ``opensim``: it starts this module with
its own interpreter (`run_worker`), passes file paths and JSON, and reads JSON back.

Commands (``python -m liftrisk.io.opensim_worker COMMAND ARGS``):

``markers MODEL.osim COORDS_JSON``
    Pose the model at the given coordinate values (rad, m) and print the markers' ground
    positions (OpenSim frame, m) as JSON - a check of a liftrisk-written model against
    OpenSim's own kinematics.

``ik MODEL.osim MARKERS.trc OUT.mot [WEIGHTS.json]``
    OpenSim's InverseKinematicsTool on the model and marker file (every model marker found
    in the file, weight 1; or, with WEIGHTS.json = ``{"marker": weight}``, those markers with
    those weights; or ``{"markers": {...}, "coordinates": {"coordinate": weight}}``, the
    coordinates also held near their default value with those weights); writes OUT.mot
    (OpenSim's coordinates, rotations in degrees).

``scale SPEC.json``
    OpenSim's ScaleTool set up from SPEC (written by liftrisk; absolute paths):
    ``generic_model``, ``static_trc``, ``mass_kg``, ``height_m``, ``time_range`` [t0, t1] (s),
    ``measurements`` (list of ``{"name", "pairs": [[marker, marker], ...], "bodies": [...]}``:
    each measurement's factor, the mean over its pairs of the experimental distance (mean over
    the time range) over the model's, scales its bodies along X, Y and Z), ``ik_weights``
    (``{"marker": weight}``: the static pose of the MarkerPlacer), ``output_model``,
    ``output_scale_set`` and ``setup_file`` (the ScaleTool setup as OpenSim writes it, for
    re-running in OpenSim); optional ``placer_time_range`` (the MarkerPlacer's static pose,
    default ``time_range``), ``measure_trc`` and ``measure_time_range`` (the measurements'
    own marker file and time range; default ``static_trc``, ``time_range``). Mass
    distribution preserved; the MarkerPlacer moves every
    marker that is not ``fixed`` to its static-trial position. Prints the JSON
    ``{"scale_factors": {body: [x, y, z]}}``.

``id MODEL.osim COORDS.mot LOADS.xml OUT.sto CUTOFF_HZ``
    OpenSim's InverseDynamicsTool: the coordinates (low-pass filtered at CUTOFF_HZ by
    OpenSim; a negative value: no filtering), the ExternalLoads file (``-``: none; its
    ``datafile`` is resolved next to the .xml), muscles excluded; writes the generalised
    forces to OUT.sto (N m, N).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from liftrisk.errors import LiftriskError

__all__ = ["run_worker", "opensim_available"]

_FILE_SUFFIXES = (".osim", ".trc", ".mot", ".sto", ".xml", ".json")  # arguments resolved to absolute paths


def run_worker(*args: str, timeout_s: float = 600.0) -> str:
    """Run a worker command in a new interpreter; its standard output (JSON text).

    Parameters
    ----------
    *args : str
        Command and its arguments (see the module docstring).
    timeout_s : float
        Time limit, s.

    Returns
    -------
    str
        What the worker printed.

    Examples
    --------
    >>> isinstance(opensim_available(), bool)
    True
    """
    import os
    import tempfile

    env = dict(os.environ)
    if env.get("PYTHONPATH"):  # the worker starts in a scratch folder: keep relative entries valid
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    with tempfile.TemporaryDirectory(prefix="liftrisk-opensim-") as scratch:  # OpenSim's side files land here
        r = subprocess.run([sys.executable, "-m", "liftrisk.io.opensim_worker",
                            *[str(Path(a).resolve()) if Path(a).suffix in _FILE_SUFFIXES else a for a in args]],
                           capture_output=True, text=True, timeout=timeout_s, cwd=scratch, env=env)
    if r.returncode != 0:
        hint = (" Install the extra with pip install 'liftrisk[opensim]'" if "No module named 'opensim'" in r.stderr
                else "")
        raise LiftriskError(f"OpenSim worker failed ({' '.join(args[:1])}): {r.stderr.strip()[-2000:]}.{hint}")
    return r.stdout


def opensim_available() -> bool:
    """True when ``import opensim`` works in a separate interpreter (never imported here).

    Returns
    -------
    bool

    Examples
    --------
    >>> opensim_available() in (True, False)
    True
    """
    r = subprocess.run([sys.executable, "-c", "import opensim"], capture_output=True, timeout=120)
    return r.returncode == 0


def _markers(model_path: str, coords_json: str) -> dict:
    import opensim as osim  # only ever in this worker process

    model = osim.Model(model_path)
    state = model.initSystem()
    for name, value in json.loads(coords_json).items():
        model.getCoordinateSet().get(name).setValue(state, float(value), False)
    model.realizePosition(state)
    out = {}
    ms = model.getMarkerSet()
    for i in range(ms.getSize()):
        p = ms.get(i).getLocationInGround(state)
        out[ms.get(i).getName()] = [p.get(0), p.get(1), p.get(2)]
    return out


def _ik(model_path: str, trc_path: str, out_path: str, weights_path: str | None = None) -> None:
    import opensim as osim  # only ever in this worker process

    weights = json.loads(Path(weights_path).read_text(encoding="utf-8")) if weights_path else None
    coord_weights = {}
    if isinstance(weights, dict) and isinstance(weights.get("markers"), dict):
        weights, coord_weights = weights["markers"], weights.get("coordinates") or {}

    model = osim.Model(model_path)
    model.initSystem()
    data = osim.MarkerData(trc_path)
    ik = osim.InverseKinematicsTool()
    ik.setModel(model)
    ik.setMarkerDataFileName(trc_path)
    ik.setStartTime(data.getStartFrameTime())
    ik.setEndTime(data.getLastFrameTime())
    ik.setOutputMotionFileName(out_path)
    ik.set_accuracy(1e-8)
    ik.set_report_errors(False)  # no _ik_marker_errors.sto beside the caller's files
    names = {data.getMarkerNames().get(i) for i in range(data.getMarkerNames().getSize())}
    tasks = ik.getIKTaskSet()
    ms = model.getMarkerSet()
    for i in range(ms.getSize()):
        name = ms.get(i).getName()
        if name in names and (weights is None or weights.get(name, 0.0) > 0):
            task = osim.IKMarkerTask()
            task.setName(name)
            task.setWeight(1.0 if weights is None else float(weights[name]))
            tasks.cloneAndAppend(task)
    for name, w in coord_weights.items():  # held at the model's default value
        task = osim.IKCoordinateTask()
        task.setName(name)
        task.setWeight(float(w))
        task.setValueType(osim.IKCoordinateTask.DefaultValue)
        tasks.cloneAndAppend(task)
    ik.run()


def _scale(spec_path: str) -> dict:
    import opensim as osim  # only ever in this worker process

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    tool = osim.ScaleTool()
    tool.setName("liftrisk_scale")
    tool.setSubjectMass(float(spec["mass_kg"]))
    tool.setSubjectHeight(1000.0 * float(spec["height_m"]))  # OpenSim's setup files give mm (informative only)
    tool.getGenericModelMaker().setModelFileName(spec["generic_model"])
    t0, t1 = (float(v) for v in spec["time_range"])
    times = osim.ArrayDouble()
    times.append(t0)
    times.append(t1)
    scaler = tool.getModelScaler()
    scaler.setApply(True)
    order = osim.ArrayStr()
    order.append("measurements")
    scaler.setScalingOrder(order)
    measurements = scaler.getMeasurementSet()
    for m in spec["measurements"]:
        meas = osim.Measurement()
        meas.setName(m["name"])
        meas.setApply(True)
        for a, b in m["pairs"]:
            meas.getMarkerPairSet().cloneAndAppend(osim.MarkerPair(a, b))
        for body in m["bodies"]:
            bs = osim.BodyScale()
            bs.setName(body)
            axes = osim.ArrayStr()
            for ax in "XYZ":
                axes.append(ax)
            bs.setAxisNames(axes)
            meas.getBodyScaleSet().cloneAndAppend(bs)
        measurements.cloneAndAppend(meas)
    scaler.setMarkerFileName(spec.get("measure_trc", spec["static_trc"]))
    if "measure_time_range" in spec:
        times = osim.ArrayDouble()
        for v in spec["measure_time_range"]:
            times.append(float(v))
    scaler.setTimeRange(times)
    scaler.setPreserveMassDist(True)
    scaler.setOutputModelFileName(spec["output_model"])
    scaler.setOutputScaleFileName(spec["output_scale_set"])
    placer = tool.getMarkerPlacer()
    placer.setApply(True)
    placer.setStaticPoseFileName(spec["static_trc"])
    placer_times = osim.ArrayDouble()
    for v in spec.get("placer_time_range", [t0, t1]):
        placer_times.append(float(v))
    placer.setTimeRange(placer_times)
    placer.setOutputModelFileName(spec["output_model"])
    placer.setMoveModelMarkers(True)
    for name, w in spec["ik_weights"].items():
        task = osim.IKMarkerTask()
        task.setName(name)
        task.setWeight(float(w))
        placer.getIKTaskSet().cloneAndAppend(task)
    tool.printToXML(spec["setup_file"])
    if not tool.run():
        raise RuntimeError("OpenSim's ScaleTool failed")
    factors = {}
    scale_set = osim.ScaleSet(spec["output_scale_set"])
    for i in range(scale_set.getSize()):
        sc = scale_set.get(i)
        f = sc.getScaleFactors()
        factors[sc.getSegmentName()] = [f.get(0), f.get(1), f.get(2)]
    return {"scale_factors": factors}


def _id(model_path: str, coords_path: str, loads_path: str, out_path: str, cutoff_hz: str) -> None:
    import os

    import opensim as osim  # only ever in this worker process

    model = osim.Model(model_path)
    model.initSystem()
    coords = osim.Storage(coords_path)
    tool = osim.InverseDynamicsTool()
    tool.setModel(model)
    tool.setCoordinatesFileName(coords_path)
    tool.setLowpassCutoffFrequency(float(cutoff_hz))
    tool.setStartTime(coords.getFirstTime())
    tool.setEndTime(coords.getLastTime())
    if loads_path != "-":
        tool.setExternalLoadsFileName(loads_path)
    excluded = osim.ArrayStr()
    excluded.append("Muscles")
    tool.setExcludedForces(excluded)
    tool.setResultsDir(os.path.dirname(out_path))
    tool.setOutputGenForceFileName(os.path.basename(out_path))
    if not tool.run():
        raise RuntimeError("OpenSim's InverseDynamicsTool failed")


def main(argv: list[str]) -> int:
    """Entry point of the worker process (see the module docstring)."""
    if argv and argv[0] in ("ik", "id", "scale"):
        import opensim as osim  # only ever in this worker process

        osim.Logger.removeFileSink()  # no opensim.log beside the user's files (the tools change folder)
    if len(argv) == 3 and argv[0] == "markers":
        print(json.dumps(_markers(argv[1], argv[2])))
        return 0
    if len(argv) in (4, 5) and argv[0] == "ik":
        _ik(*argv[1:])
        return 0
    if len(argv) == 2 and argv[0] == "scale":
        print(json.dumps(_scale(argv[1])))
        return 0
    if len(argv) == 6 and argv[0] == "id":
        _id(*argv[1:])
        return 0
    print(f"unknown worker command {argv!r}; expected: markers MODEL.osim COORDS_JSON | ik MODEL.osim "
          "MARKERS.trc OUT.mot [WEIGHTS.json] | scale SPEC.json | "
          "id MODEL.osim COORDS.mot LOADS.xml OUT.sto CUTOFF_HZ", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
