"""Benchmark of the web app, the job pool and batch runs (run on demand; prints figures).

    python benchmarks/bench_web.py [--n 6] [--workers 2] [--video]

Measures, with the real pipeline on synthetic lifts (2.4 s at 60 Hz, TRC):
1. one upload through the web app (TestClient): request time and upload-to-done latency;
2. n uploads at once: wall time until all are done, and assessments per minute;
3. `run_batch` over the same n files: serial, local processes, Dask LocalCluster;
4. (--video) the bundled demo video (13.4 s, 30 fps) upload-to-done latency.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from liftrisk.batch import run_batch
from liftrisk.core import Subject
from liftrisk.io import write_trc
from liftrisk.store import StoreSettings
from liftrisk.synthetic.lift import synthetic_lift
from liftrisk.web.app import create_app
from liftrisk.web.settings import WebSettings

DEMO = Path(__file__).resolve().parents[1] / "src" / "liftrisk" / "data" / "demo_video" / "sports2d_demo4_walk.mp4"
FORM = {"sex": "male", "mass_kg": "80", "height_m": "1.78", "box_mass_kg": "10"}


def _wait(c: TestClient, aid: int, timeout_s: float = 600) -> dict:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        s = c.get(f"/api/assessments/{aid}").json()
        if s["status"] in ("done", "failed"):
            return s
        time.sleep(0.05)
    raise TimeoutError(aid)


def _upload(c: TestClient, path: Path, mime: str = "") -> int:
    r = c.post("/api/assessments", files={"file": (path.name, path.read_bytes(), mime)}, data=FORM)
    r.raise_for_status()
    return r.json()["id"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--video", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="lr-bench-"))
    files = []
    for i in range(args.n):
        p = tmp / "in" / f"lift{i}.trc"
        p.parent.mkdir(exist_ok=True)
        write_trc(synthetic_lift(Subject("male", 70 + 3 * i, 1.70 + 0.02 * i), 10.0, noise_m=0.002, seed=i), p)
        files.append(p)
    settings = WebSettings(store=StoreSettings.at(tmp / "data"), workers=args.workers, executor="process")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        _wait(c, _upload(c, files[0]))  # warm the worker processes (imports)
        t0 = time.perf_counter()
        aid = _upload(c, files[1])
        t_req = time.perf_counter() - t0
        s = _wait(c, aid)
        t_one = time.perf_counter() - t0
        print(f"web, one synthetic lift (145 frames): upload request {1000 * t_req:.0f} ms, "
              f"upload-to-done {t_one:.2f} s ({s['status']})")
        t0 = time.perf_counter()
        ids = [_upload(c, f) for f in files]
        states = [_wait(c, i)["status"] for i in ids]
        t_all = time.perf_counter() - t0
        print(f"web, {args.n} uploads at once, {args.workers} worker processes: all done in {t_all:.2f} s "
              f"({60 * args.n / t_all:.1f} assessments/min; statuses {sorted(set(states))})")
        if args.video:
            t0 = time.perf_counter()
            s = _wait(c, _upload(c, DEMO, "video/mp4"))
            print(f"web, demo video (13.4 s, 401 frames): upload-to-done {time.perf_counter() - t0:.1f} s "
                  f"({s['status']})")
    for label, kw in (("serial", {"workers": 1}), (f"local x{args.workers}", {"workers": args.workers}),
                      (f"dask x{args.workers}", {"workers": args.workers, "executor": "dask"})):
        out = tmp / f"batch-{label.replace(' ', '')}"
        t0 = time.perf_counter()
        rep = run_batch(tmp / "in", out, defaults={"sex": "male", "mass_kg": 80, "height_m": 1.78,
                                                   "box_mass_kg": 10}, **kw)
        dt = time.perf_counter() - t0
        t1 = time.perf_counter()
        again = run_batch(tmp / "in", out, defaults={"sex": "male", "mass_kg": 80, "height_m": 1.78,
                                                     "box_mass_kg": 10}, **kw)
        print(f"batch {label}: {rep.done} items in {dt:.2f} s ({rep.done / dt:.2f} items/s incl. start-up); "
              f"resume with all done: {again.skipped} skipped in {time.perf_counter() - t1:.2f} s")
    print(f"(files under {tmp})")


if __name__ == "__main__":
    main()
