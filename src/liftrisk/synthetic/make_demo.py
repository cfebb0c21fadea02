"""Generate the bundled demo recording ``liftrisk/data/demo/demo_lift.trc`` (+ ground truth JSON).

Run ``python -m liftrisk.synthetic.make_demo`` (add ``--output DIR`` to write elsewhere,
``--overwrite`` to replace existing files). The recording is `synthetic_lift` with the
settings in `DEMO_SETTINGS`: a male worker (80 kg, 1.78 m) doing two squat lifts of a
10 kg box from the floor (hands 0.25 m high, 0.40 m ahead of the ankles) to waist height
(0.95 m), lowering it back in between (3 handlings of 3 s), standing still for 0.5 s at
the start and the end; 10 s at 60 Hz, 1 mm of marker noise.

The TRC is written with `liftrisk.io.write_trc` in metres and in the OpenSim/Pose2Sim
Y-up convention, which is what `liftrisk.io.read_trc` / `read_motion` assume by default,
so reading it back gives the Z-up motion. The JSON sidecar holds the ground truth
(subject, box mass, each handling's grasp/release times and hand positions).
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path

from liftrisk.core.motion import Motion
from liftrisk.core.subject import Subject
from liftrisk.io import write_trc
from liftrisk.synthetic.lift import synthetic_lift

DEMO_SUBJECT = Subject("male", 80.0, 1.78, age_years=40.0)
DEMO_SETTINGS = {"box_mass_kg": 10.0, "origin_m": (0.40, 0.25), "destination_m": (0.40, 0.95),
                 "asymmetry_deg": 0.0, "style": "squat", "duration_s": 10.0, "rate_hz": 60.0, "n_lifts": 2,
                 "noise_m": 0.001, "seed": 0, "still_s": 0.5}
TRC_NAME = "demo_lift.trc"
TRUTH_NAME = "demo_lift.json"


def demo_motion() -> Motion:
    """The demo recording as a Motion (canonical points + ``box``, m, Z-up world frame).

    Returns
    -------
    Motion
        The 10 s demo lift (60 Hz, m, Z-up world frame; ``meta`` holds the truth).

    Examples
    --------
    >>> m = demo_motion()
    >>> m.n_frames, m.rate_hz, m.meta["box_mass_kg"]
    (601, 60.0, 10.0)
    """
    return synthetic_lift(DEMO_SUBJECT, **DEMO_SETTINGS)


def default_folder() -> Path:
    """The package's ``data/demo`` folder.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> default_folder().name
    'demo'
    """
    return Path(str(resources.files("liftrisk").joinpath("data", "demo")))


def write_demo(folder: Path | None = None, overwrite: bool = False) -> list[Path]:
    """Write ``demo_lift.trc`` and ``demo_lift.json`` into `folder` (default the package's).

    Parameters
    ----------
    folder : pathlib.Path, optional
        Output folder (default: the package's).
    overwrite : bool
        Replace existing files (otherwise ``FileExistsError``).

    Returns
    -------
    list of pathlib.Path
        The TRC and JSON files written.

    Examples
    --------
    >>> import tempfile
    >>> [p.name for p in write_demo(Path(tempfile.mkdtemp()))]
    ['demo_lift.trc', 'demo_lift.json']
    """
    folder = Path(folder) if folder is not None else default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    m = demo_motion()
    trc = folder / TRC_NAME
    write_trc(m, trc, units="m", frame="y_up", overwrite=overwrite, decimals=5)
    truth = folder / TRUTH_NAME
    if truth.exists() and not overwrite:
        raise FileExistsError(f"{truth} exists; pass --overwrite to replace it")
    doc = {"description": "liftrisk synthetic demo lift (python -m liftrisk.synthetic.make_demo)",
           "file_frame": "y_up (OpenSim convention; liftrisk.io.read_trc converts to Z-up)", "units": "m",
           "subject": {"sex": DEMO_SUBJECT.sex, "mass_kg": DEMO_SUBJECT.mass_kg, "height_m": DEMO_SUBJECT.height_m,
                       "age_years": DEMO_SUBJECT.age_years},
           "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in DEMO_SETTINGS.items()},
           "handlings": m.meta["handlings"]}
    truth.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return [trc, truth]


def main(argv=None) -> int:
    """Command-line entry: ``python -m liftrisk.synthetic.make_demo [--output DIR] [--overwrite]``.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status (0 = written).

    Examples
    --------
    >>> import tempfile
    >>> main(["--output", tempfile.mkdtemp()])  # doctest: +ELLIPSIS
    wrote .../demo_lift.trc (... KiB)
    wrote .../demo_lift.json (... KiB)
    0
    """
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--output", type=Path, default=None, help="folder to write into (default: the package's)")
    ap.add_argument("--overwrite", action="store_true", help="replace existing files")
    args = ap.parse_args(argv)
    for p in write_demo(args.output, args.overwrite):
        print(f"wrote {p} ({p.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
