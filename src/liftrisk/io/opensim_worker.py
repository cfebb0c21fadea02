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

``ik MODEL.osim MARKERS.trc OUT.mot``
    OpenSim's InverseKinematicsTool on the model and marker file (every model marker found
    in the file, weight 1); writes OUT.mot (OpenSim's coordinates, rotations in degrees).

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

_FILE_SUFFIXES = (".osim", ".trc", ".mot", ".sto", ".xml")  # arguments resolved to absolute paths


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
        raise LiftriskError(f"OpenSim worker failed ({' '.join(args[:1])}): {r.stderr.strip()[-2000:]}. "
                            "Install the extra with pip install 'liftrisk[opensim]'")
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


def _ik(model_path: str, trc_path: str, out_path: str) -> None:
    import opensim as osim  # only ever in this worker process

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
        if name in names:
            task = osim.IKMarkerTask()
            task.setName(name)
            task.setWeight(1.0)
            tasks.cloneAndAppend(task)
    ik.run()


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
    if len(argv) == 3 and argv[0] == "markers":
        print(json.dumps(_markers(argv[1], argv[2])))
        return 0
    if len(argv) == 4 and argv[0] == "ik":
        _ik(argv[1], argv[2], argv[3])
        return 0
    if len(argv) == 6 and argv[0] == "id":
        _id(*argv[1:])
        return 0
    print(f"unknown worker command {argv!r}; expected: markers MODEL.osim COORDS_JSON | ik MODEL.osim "
          "MARKERS.trc OUT.mot | id MODEL.osim COORDS.mot LOADS.xml OUT.sto CUTOFF_HZ", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
