"""Helpers of the crash/fault tests: a real `liftrisk serve` / `liftrisk batch` process,
its descendants (read from /proc), and leftovers on disk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
RUNNERS = ROOT / "tests" / "store"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, runner: str = "lr_test_runners:sleepy_runner", **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIFTRISK_")}
    env.update(LIFTRISK_DATA_DIR=str(data_dir), LIFTRISK_RUNNER=runner, LIFTRISK_EXECUTOR="process",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), str(RUNNERS), env.get("PYTHONPATH")])))
    env.update({k: str(v) for k, v in extra.items()})
    return env


#: every process started here, so that a failing test never leaves one running
STARTED: list[subprocess.Popen] = []


def liftrisk(args: list[str], env: dict, **kw) -> subprocess.Popen:
    """Start `liftrisk ARGS` as a user would (the console entry point's code)."""
    proc = subprocess.Popen([sys.executable, "-c", "from liftrisk.cli.main import main; main()", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    STARTED.append(proc)
    return proc


def cleanup() -> None:
    """Kill what this test started and is still running (with its descendants)."""
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            kids = descendants(proc.pid)
            proc.kill()
            proc.wait(10)
            for pid in alive(kids):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if proc.stderr is not None:
            proc.stderr.close()


class Server:
    """`liftrisk serve` on 127.0.0.1 and a port of its own."""

    def __init__(self, data_dir: Path, workers: int = 2, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = liftrisk(["serve", "--port", str(self.port), "--workers", str(workers)], env_for(data_dir, **env))
        self.http = httpx.Client(base_url=self.url, timeout=60)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if self.http.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not start in 120 s")

    def kill(self) -> list[int]:
        """SIGKILL the server process alone (as the OOM killer does); returns the pids of its
        descendants at that moment."""
        kids = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.http.close()
        return kids

    def stop(self) -> list[int]:
        """SIGTERM (a clean stop); returns the descendants it had."""
        kids = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        self.http.close()
        return kids


def _ppids() -> dict[int, int]:
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z":
                out[int(d.name)] = int(fields[1])
    return out


def descendants(pid: int) -> list[int]:
    """Live (non-zombie) descendants of a process."""
    ppids = _ppids()
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in ppids.items() if pp == p]
        found += kids
        frontier += kids
    return found


def alive(pids: list[int]) -> list[int]:
    ppids = _ppids()
    return [p for p in pids if p in ppids]


def wait_gone(pids: list[int], timeout_s: float = 10.0) -> list[int]:
    """Wait for processes to end; returns those still alive after the timeout."""
    t0 = time.monotonic()
    while alive(pids) and time.monotonic() - t0 < timeout_s:
        time.sleep(0.05)
    return alive(pids)


def leftovers(data_dir: Path) -> list[Path]:
    """Temporary files a killed process could leave in the data folder."""
    found = list((data_dir / "uploads").glob(".incoming-*"))
    work = data_dir / "work"
    if work.is_dir():
        found += [p for p in work.iterdir()]
    return found
