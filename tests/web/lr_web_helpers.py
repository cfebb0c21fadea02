"""Helpers of the web and bad-input tests (module name unique on sys.path)."""

from __future__ import annotations

import time

CSV_A = b"time_s,value\n0.0,1.0\n0.01,-3.5\n0.02,2.0\n"
CSV_B = b"time_s,value\n0.0,0.5\n0.01,9.0\n0.02,1.0\n0.03,0.0\n"
SUBJECT = {"sex": "male", "mass_kg": "80", "height_m": "1.78", "age_years": "35", "box_mass_kg": "10"}


def make_client(tmp_path, runner="lr_test_runners:table_runner", executor="thread", workers=2, **kw):
    from fastapi.testclient import TestClient

    from liftrisk.store import StoreSettings
    from liftrisk.web.app import create_app
    from liftrisk.web.settings import WebSettings

    store = kw.pop("store", None) or StoreSettings.at(tmp_path / "data")
    settings = WebSettings(store=store, runner=runner, executor=executor, workers=workers, **kw)
    return TestClient(create_app(settings), base_url="http://127.0.0.1")


def upload(client, content=CSV_A, name="lift.csv", mime="text/csv", **fields):
    data = dict(SUBJECT) | fields
    return client.post("/api/assessments", files={"file": (name, content, mime)}, data=data)


def wait_done(client, aid, timeout_s=60.0, headers=None):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        s = client.get(f"/api/assessments/{aid}", headers=headers or {}).json()
        if s["status"] in ("done", "failed"):
            return s
        time.sleep(0.05)
    raise AssertionError(f"assessment {aid} not finished after {timeout_s} s: {s}")
