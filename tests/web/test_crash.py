"""Crash/fault tests on real processes: `liftrisk serve` on 127.0.0.1 is SIGKILLed (as the
out-of-memory killer does) in the middle of jobs and in the middle of storing an upload,
then started again; `liftrisk batch --db` is SIGKILLed midway and resumed.

After each restart: no finished assessment is lost or changed, no assessment stays queued
or running, no worker process outlives its server or batch, no temporary file is left.

The default suite runs one kill of each kind (`test_server_killed_...`, `test_batch_killed_...`);
``-m slow`` runs repeated kills with concurrent uploads (`test_repeated_kills`).
"""

from __future__ import annotations

import json
import random
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from lr_crash import Server, alive, cleanup, descendants, env_for, leftovers, liftrisk, wait_gone

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; POSIX signals")


@pytest.fixture(autouse=True)
def _no_process_left():
    yield
    cleanup()  # a failed assertion must not leave a server or batch running

SUBJECT = {"sex": "male", "mass_kg": "80", "height_m": "1.78"}


def _csv(i: int) -> bytes:
    return ("time_s,value\n" + "".join(f"{0.01 * k:.2f},{(k * (i + 1)) % 7 - 3}\n" for k in range(5 + i))).encode()


def _upload(http, i: int, content: bytes | None = None, name: str | None = None) -> int:
    r = http.post("/api/assessments", files={"file": (name or f"lift{i}.csv", content or _csv(i), "text/csv")},
                  data=SUBJECT)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _status(http, aid: int) -> dict:
    return http.get(f"/api/assessments/{aid}").json()


def _wait(http, ids, states=("done", "failed"), timeout_s=120.0) -> dict[int, dict]:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        got = {i: _status(http, i) for i in ids}
        if all(s["status"] in states for s in got.values()):
            return got
        time.sleep(0.1)
    raise AssertionError(f"not finished in {timeout_s} s: {got}")


def _finished(http, ids) -> dict[int, tuple]:
    """Summary and report of every done assessment (what must survive a crash unchanged)."""
    out = {}
    for i in ids:
        if _status(http, i)["status"] == "done":
            out[i] = (http.get(f"/api/assessments/{i}/summary").json(),
                      http.get(f"/assessments/{i}/report.html").text)
    return out


def _kill_mid_upload(server: Server, data_dir, big) -> tuple[list[int], bool]:
    """Send a large upload and SIGKILL the server while it is storing it (its .incoming file
    exists). Returns the server's descendants and whether the kill hit the storing phase."""
    uploads = data_dir / "uploads"

    def send():
        try:
            with big.open("rb") as f:
                server.http.post("/api/assessments", files={"file": ("big.csv", f, "text/csv")}, data=SUBJECT)
        except Exception:  # noqa: BLE001 - the server dies under it
            pass

    t = threading.Thread(target=send, daemon=True)
    t.start()
    t0 = time.monotonic()
    hit = False
    while time.monotonic() - t0 < 60 and t.is_alive():
        if any(p.stat().st_size > 0 for p in uploads.glob(".incoming-*")):
            hit = True
            break
        time.sleep(0.002)
    kids = server.kill()
    t.join(30)
    return kids, hit


def _big_csv(path, mb: int) -> None:
    line = b"0.01,1.5\n"
    with path.open("wb") as f:
        f.write(b"time_s,value\n")
        block = line * (1 << 17)
        for _ in range(mb * 1_000_000 // len(block) + 1):
            f.write(block)


def _check_after_restart(server: Server, data_dir, ids, finished_before, interrupted_ok=True) -> dict:
    """Everything settles: no queued/running left, done ones unchanged, no leftovers."""
    final = _wait(server.http, ids)
    assert _finished(server.http, finished_before) == finished_before  # nothing finished was lost or changed
    for s in final.values():
        assert s["status"] == "done" or (interrupted_ok and "interrupted" in (s["error"] or "")), s
    counts = server.http.get("/healthz").json()["counts"]
    assert counts["queued"] == counts["running"] == 0, counts
    assert leftovers(data_dir) == []
    return final


def test_server_killed_mid_job_and_mid_upload_then_restarted(tmp_path):
    data = tmp_path / "data"
    big = tmp_path / "big.csv"
    _big_csv(big, 60)
    a = Server(data, LR_SLEEP_S=3)
    done_first = _upload(a.http, 0)
    _wait(a.http, [done_first])
    ids = [done_first] + [_upload(a.http, i) for i in range(1, 5)]  # 2 workers: 2 run, 2 wait
    t0 = time.monotonic()
    while _status(a.http, ids[1])["status"] != "running" and time.monotonic() - t0 < 60:
        time.sleep(0.05)
    before = _finished(a.http, ids)
    assert done_first in before
    kids, hit = _kill_mid_upload(a, data, big)
    assert kids, "the server had no worker processes"
    assert wait_gone(kids, 10) == [], "worker processes outlived their server"
    assert hit, "the kill did not land while the upload was being stored"
    assert list((data / "uploads").glob(".incoming-*")), "expected the killed upload's temporary file"

    b = Server(data, LR_SLEEP_S=0.2)
    try:
        final = _check_after_restart(b, data, ids, before)
        interrupted = [i for i, s in final.items() if s["status"] == "failed"]
        assert len(interrupted) <= 2  # at most the jobs running at the kill (2 workers); all others done
        assert all(final[i]["status"] == "done" for i in before)
    finally:
        kids = b.stop()
    assert wait_gone(kids, 30) == [] and alive([b.proc.pid]) == []


def _batch_state(out):
    lines = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines() if x.strip()] \
        if (out / "results.jsonl").exists() else []
    return lines


def _run_batch_with_kills(tmp_path, n_items: int, kills: int, seed: int = 0) -> int:
    """`liftrisk batch --db` killed `kills` times at random moments, then run to the end;
    returns the number of kills that landed while the batch was running."""
    rng = random.Random(seed)
    src, out, data = tmp_path / "in", tmp_path / "out", tmp_path / "data"
    src.mkdir(parents=True)
    for i in range(n_items):
        (src / f"rec{i:03d}.csv").write_bytes(_csv(i))
    env = env_for(data, LR_SLEEP_S=0.4)
    args = ["batch", str(src), "-o", str(out), "--workers", "2", "--sex", "male", "--mass-kg", "80", "--height-m",
            "1.78", "--db"]
    landed = 0
    for _ in range(kills):
        proc = liftrisk(args, env)
        deadline = time.monotonic() + rng.uniform(2.5, 6.0)
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        if proc.poll() is None:
            kids = descendants(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            landed += 1
            assert wait_gone(kids, 10) == [], "batch workers outlived the batch"
    proc = liftrisk(args, env)
    assert proc.wait(300) == 0, proc.stderr.read().decode()[-2000:]
    # every item done exactly once: one done line per key, one database row per item, nothing queued
    lines = _batch_state(out)
    done = [r for r in lines if r["status"] == "done"]
    assert len({r["key"] for r in done}) == n_items
    assert len({r["assessment_id"] for r in done}) == n_items
    from liftrisk.store import AssessmentStore, StoreSettings

    st = AssessmentStore(StoreSettings.at(data))
    try:
        assert st.counts() == {"queued": 0, "running": 0, "done": n_items, "failed": 0}
        for r in done:
            assert st.get_result(r["assessment_id"]).summary["n_frames"] == r["summary"]["n_frames"]
    finally:
        st.close()
    assert not list((out / "items").glob(".*")) and leftovers(data) == []
    for r in done:
        assert (out / r["outputs"] / "summary.json").is_file()
    return landed


def test_batch_killed_midway_then_resumed(tmp_path):
    assert _run_batch_with_kills(tmp_path, n_items=10, kills=2, seed=1) >= 1


@pytest.mark.slow
def test_repeated_kills(tmp_path):
    """Three server kill/restart cycles with 12 concurrent uploads each, and 8 batch kills
    over 40 items."""
    data = tmp_path / "data"
    big = tmp_path / "big.csv"
    _big_csv(big, 60)
    ids: list[int] = []
    before: dict = {}
    for cycle in range(3):
        s = Server(data, LR_SLEEP_S=1.0)
        if cycle:
            _check_after_restart(s, data, ids, before)
        with ThreadPoolExecutor(12) as pool:  # 12 concurrent uploads
            new = list(pool.map(partial(_upload, s.http), range(100 * cycle, 100 * cycle + 12)))
        ids += new
        _wait(s.http, ids[:4 + 12 * cycle], timeout_s=180)
        before = _finished(s.http, ids)
        kids, _ = _kill_mid_upload(s, data, big)
        assert wait_gone(kids, 10) == []
    s = Server(data, LR_SLEEP_S=0.1)
    try:
        _check_after_restart(s, data, ids, before)
    finally:
        assert wait_gone(s.stop(), 30) == []
    assert _run_batch_with_kills(tmp_path / "b", n_items=40, kills=8, seed=7) >= 6
